"""`make airflow`: the replica plus Airflow 3 standalone on SQLite, running this repo's DAGs against it.

    python -m provnews_tools.airflow_standalone --port 8377 [--today 2026-11-21] [--airflow-port 8080]

Starts the replica sites on 127.0.0.2..9:PORT (following the machine's clock, or fixed at --today), writes
source profiles pointing at them,
prepares AIRFLOW_HOME (./airflow_home: SQLite metadata DB, the `provnews_crawl` pool, a fixed admin
password) and runs `airflow standalone` (api-server, scheduler, dag-processor, triggerer) with dags/ as the
DAG folder, sized for the machine (`Sizing`). Prints the UI URL and the credentials once the UI answers;
Ctrl-C stops everything.

The daily DAG writes its run note through the connection set here (provnews.run_note); the names it shares
with the DAGs (pool, connection, admin user) live in provnews.airflow_names.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from provnews.airflow_names import ADMIN, API_CONN_ID, CRAWL_POOL
from provnews.run_note import REPORTS_PATH
from provnews.settings import PACKAGE_SOURCES_DIR, Settings
from provnews_tools.replica_sources import SOURCE_PORT, write_sources
from transforms.constants import VN_TZ_NAME

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]  # tools/provnews_tools/ -> the checkout
DAGS_DIR = REPO / "dags"


# ---------------------------------------------------------------- preparing AIRFLOW_HOME


def admin_password(home: Path) -> str:
    """The admin password in the simple auth manager's password file, created once and then kept."""
    path = home / "simple_auth_manager_passwords.json.generated"
    if path.exists():
        return str(json.loads(path.read_text())[ADMIN])
    home.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    path.write_text(json.dumps({ADMIN: password}) + "\n")
    path.chmod(0o600)
    return password


@dataclass(frozen=True)
class Sizing:
    """How much Airflow runs at once, from the core count: a 2-core laptop gets 2 task slots, not 32."""

    cores: int

    @classmethod
    def for_machine(cls) -> Sizing:
        return cls(max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))

    @property
    def parallelism(self) -> int:  # task processes at once (LocalExecutor workers); crawls wait mostly on I/O
        return max(2, self.cores)

    @property
    def crawl_slots(self) -> int:  # concurrent Scrapy subprocesses, the provnews_crawl pool
        return max(1, self.parallelism // 2)


def airflow_env(home: Path, api_port: int, sources_dir: Path, warehouse: Path, password: str,
                host: str = "127.0.0.1", base: dict[str, str] | None = None,
                sizing: Sizing | None = None) -> dict[str, str]:
    """The environment for every Airflow process: SQLite under `home`, our DAGs, our settings."""
    env = dict(os.environ if base is None else base)
    url = f"http://{host}:{api_port}"
    size = sizing or Sizing.for_machine()
    env.update({
        "AIRFLOW__CORE__PARALLELISM": str(size.parallelism),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(size.parallelism),
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": VN_TZ_NAME,  # naive dates and the DAGs' zone, as the schedule
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN}:admin",
        # unpaused: the schedule is live, but its first run is the next 23:00 (the DAG runs no missed slot)
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": host,
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",  # one laptop, one user
        "AIRFLOW__API__BASE_URL": url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        f"AIRFLOW_CONN_{API_CONN_ID.upper()}": json.dumps(
            {"conn_type": "http", "host": host, "port": api_port, "login": ADMIN, "password": password}),
        "PROVNEWS_SOURCES_DIR": str(sources_dir),
        "PROVNEWS_WAREHOUSE": str(warehouse),
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        # standalone starts its components as `airflow ...` from PATH: this venv's, even when not activated
        "PATH": os.pathsep.join(p for p in (str(Path(sys.executable).parent), env.get("PATH", "")) if p),
    })
    return env


def airflow_bin() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def prepare(env: dict[str, str], slots: int, timeout: float = 180.0) -> None:
    """Create or upgrade the metadata DB and the crawl pool (both idempotent)."""
    for args in (["db", "migrate"],
                 ["pools", "set", CRAWL_POOL, str(slots), "bounds concurrent provnews crawls"]):
        cmd = [airflow_bin(), *args]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            tail = done.stderr[-2000:]
            raise RuntimeError(f"`airflow {' '.join(args)}` failed ({done.returncode}):\n{tail}")


# ---------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(
        prog="python -m provnews_tools.airflow_standalone",
        description="Serve the replica and run Airflow 3 standalone (SQLite) with the provnews DAGs on it.")
    parser.add_argument("--port", type=int, default=SOURCE_PORT, help="replica port (default: %(default)s)")
    parser.add_argument("--today", type=date.fromisoformat,
                        help="fix the replica's clock, YYYY-MM-DD (default: follow the machine's clock)")
    parser.add_argument("--airflow-port", type=int, default=8080, help="UI/API port (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address the UI listens on (default: %(default)s)")
    parser.add_argument("--home", type=Path, default=Path("airflow_home"),
                        help="AIRFLOW_HOME (default: %(default)s)")
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse,
                        help="PROVNEWS_WAREHOUSE for the tasks (default: %(default)s)")
    parser.add_argument("--per-day", type=int,
                        help="replica articles per site per day (default: the world's)")
    parser.add_argument("--days", type=int, help="replica days of news (default: the world's)")
    parser.add_argument("--sources", type=Path, default=PACKAGE_SOURCES_DIR,
                        help="source profiles to copy, their replica port replaced (default: %(default)s)")
    return parser


def _start_replica(args: argparse.Namespace) -> Any:
    """The replica, its clock fixed at --today, or following the machine's clock (each day brings news)."""
    from replica.server import ReplicaServer
    from replica.world import World, WorldConfig, local_today

    overrides = {k: v for k, v in (("per_day", args.per_day), ("days", args.days)) if v is not None}
    config = WorldConfig.following_the_clock(args.today or local_today(), **overrides)
    return ReplicaServer(World(config), args.port, args.today).start()


def wait_for(what: str, probe: Callable[[], Any], timeout: float, log: Path, every: float = 2.0) -> Any:
    """`probe()`'s first truthy value within `timeout` s (OSError/RuntimeError count as not yet)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except (OSError, RuntimeError) as exc:
            last = exc
        time.sleep(every)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last})\n{tail}")


def wait_for_ui(base_url: str, proc: subprocess.Popen[bytes], timeout: float = 300.0) -> bool:
    """True once the api-server answers its health check; False if standalone died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base_url}/api/v2/monitor/health", timeout=5):
                return True
        except OSError:
            time.sleep(2)
    return False


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    home = args.home.resolve()
    password = admin_password(home)
    sources = home / "sources"
    write_sources(sources, args.port, args.sources)
    sizing = Sizing.for_machine()
    env = airflow_env(home, args.airflow_port, sources, args.warehouse.resolve(), password, args.host, sizing=sizing)
    log.info("preparing %s (metadata DB, pool %s with %d slots; parallelism %d for %d cores)",
             home, CRAWL_POOL, sizing.crawl_slots, sizing.parallelism, sizing.cores)
    prepare(env, sizing.crawl_slots)
    for signum in (signal.SIGINT, signal.SIGTERM):  # stop everything, even where a shell ignored SIGINT for us
        signal.signal(signum, _interrupt)
    replica = _start_replica(args)
    proc = subprocess.Popen([airflow_bin(), "standalone"], env=env, start_new_session=True)
    try:  # from here on, whatever stops the launcher stops Airflow and the replica too
        return _serve(args, proc, replica, sources, password)
    except KeyboardInterrupt:
        return _stop(proc, replica)
    finally:
        _stop(proc, replica)


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace, proc: subprocess.Popen[bytes], replica: Any, sources: Path,
           password: str) -> int:
    """Wait for the UI, tell the user where it is, then wait for Airflow to end."""
    url = f"http://{args.host}:{args.airflow_port}"
    clock = f"fixed at {args.today}" if args.today else f"the machine's (today {replica.today})"
    log.info("replica on 127.0.0.2..:%s, clock %s; waiting for the Airflow UI at %s", args.port, clock, url)
    if not wait_for_ui(url, proc):
        print(f"Airflow did not come up at {url}; see the log above", file=sys.stderr, flush=True)
        return 1
    print(f"\nreplica: 127.0.0.2..:{args.port}, clock {clock}; sources in {sources}\n"
          f"Airflow UI: {url}  user: {ADMIN}  password: {password}\n"
          f"provnews_daily is switched on: it runs every day at 23:00 Asia/Ho_Chi_Minh (the first run is the "
          f"next 23:00); press Trigger to crawl today now.\n"
          f"warehouse: {args.warehouse.resolve()}; reports: {url}{REPORTS_PATH}/. Ctrl-C stops.\n",
          flush=True)
    return proc.wait()


def _stop(proc: subprocess.Popen[bytes], replica: Any) -> int:
    """Stop standalone's process group and the replica (both idempotent); the launcher's exit code."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # standalone shuts its components down on SIGINT
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    replica.stop()
    return 0 if proc.returncode in (0, -signal.SIGINT, -signal.SIGKILL) else 1


if __name__ == "__main__":
    sys.exit(main())
