"""Airflow 3 on the CeleryExecutor for a test or a bench session: the machine's PostgreSQL and Redis, a fresh database,
then api-server, scheduler, dag-processor and two `airflow celery worker` processes, each its own process
group with its own log file, all running this checkout's DAGs.

    with start_cluster(tmp_path, sources_dir, warehouse) as cluster:
        api = cluster.login()
        ...
        cluster.kill_worker("worker1")   # SIGKILL its process group, as a machine that dies

The database (`provnews_celery_<random>`) is created before `airflow db migrate` and dropped at the end; the
Celery broker is a Redis database number of its own (REDIS_DB), flushed before and after. Ports come from
PORTS, the range this machine's helpers were given.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provnews.airflow_names import ADMIN, CRAWL_POOL
from provnews.run_note import AirflowApi
from provnews_tools.airflow_standalone import Sizing, admin_password, airflow_bin, airflow_env, prepare, wait_for

PG = "postgresql://postgres@127.0.0.1:5432"  # trust authentication on loopback
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # the broker's database: not 0, which anything else on the machine would use first; a second
# cluster alive at the same time takes the next one (workers on one broker database take each other's tasks)
PORTS = range(18600, 18700)
WORKERS = ("worker1", "worker2")
STOP_TIMEOUT_S = 30.0


def port_in_range(host: str = "127.0.0.1", skip: tuple[int, ...] = ()) -> int:
    """The first port of PORTS free on `host` (bound and released: a small race, which the caller would see)."""
    for port in PORTS:
        if port in skip:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1} on {host}")


def services_answer() -> str | None:
    """None when PostgreSQL and Redis answer on loopback; otherwise what is missing (for a skip or a failure)."""
    import psycopg2
    import redis

    try:
        psycopg2.connect(f"{PG}/postgres", connect_timeout=5).close()
    except psycopg2.OperationalError as exc:
        return f"PostgreSQL at {PG}: {exc}"
    try:
        redis.Redis(REDIS_HOST, REDIS_PORT, socket_timeout=5).ping()
    except redis.RedisError as exc:
        return f"Redis at {REDIS_HOST}:{REDIS_PORT}: {exc}"
    return None


def _admin_sql(sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(f"{PG}/postgres", connect_timeout=5)
    con.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with con.cursor() as cur:
            cur.execute(sql)
    finally:
        con.close()


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty Postgres database for one session; dropped after (its connections ended first)."""
    name = f"provnews_celery_{secrets.token_hex(4)}"
    _admin_sql(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _flush_broker(db: int) -> None:
    import redis

    redis.Redis(REDIS_HOST, REDIS_PORT, db=db, socket_timeout=5).flushdb()


def celery_env(home: Path, api_port: int, sources: Path, warehouse: Path, database: str,
               broker_db: int = REDIS_DB) -> dict[str, str]:
    """`make airflow`'s environment, on Celery: Postgres metadata and results, the Redis broker, and the
    secrets every component must share (each process would otherwise pick its own)."""
    env = airflow_env(home, api_port, sources, warehouse, admin_password(home), sizing=Sizing(2))
    env.update({
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{broker_db}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://postgres@127.0.0.1:5432/{database}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__CORE__FERNET_KEY": "",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
        "PYTHONUNBUFFERED": "1",
    })
    return env


@dataclass
class Cluster:
    """The running components (name -> process, each a process-group leader) and where they write."""

    base: str
    home: Path
    env: dict[str, str]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.home / f"{name}.log"

    def env_path(self, key: str) -> Path:
        return Path(self.env[key])

    def start(self, name: str, *args: str) -> None:
        with self.log(name).open("ab") as out:
            self.procs[name] = subprocess.Popen([airflow_bin(), *args], env=self.env, stdout=out,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def start_worker(self, name: str) -> None:
        # two workers on one host: their own Celery node name and pid file; no log server (it binds port 8793)
        self.start(name, "celery", "worker", "--celery-hostname", f"{name}@%h", "--concurrency", "2",
                   "--pid", str(self.home / f"{name}.pid"), "--skip-serve-logs")

    def tasks_received(self, name: str) -> int:
        """How many task messages worker `name` took from the broker (Celery logs each one)."""
        text = self.log(name).read_text(errors="replace")
        return len(re.findall(r"Task execute_workload\[[-0-9a-f]+\] received", text))

    def worker_running(self, ti_id: str) -> str | None:
        """The worker whose log names task instance `ti_id` (its task supervisor logs it on start), if any."""
        return next((n for n in self.procs if n.startswith("worker") and ti_id in
                     self.log(n).read_text(errors="replace")), None)

    def check_alive(self) -> None:
        """AssertionError naming the first component that has exited, with its log file's tail."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = self.log(name).read_text(errors="replace")[-3000:]
                raise AssertionError(f"`airflow` {name} exited with {proc.returncode}; {self.log(name)}:\n{tail}")

    def wait(self, what: str, probe: Callable[[], Any], timeout: float, component: str = "api-server",
             every: float = 2.0) -> Any:
        """wait_for, failing early (and by name) if a component died meanwhile; `component`'s log in the
        message when time runs out."""
        def alive_then_probe() -> Any:
            self.check_alive()
            return probe()
        return wait_for(what, alive_then_probe, timeout, self.log(component), every)

    def login(self) -> AirflowApi:
        password = admin_password(self.home)
        api: AirflowApi = self.wait("the api-server to hand out a token",
                                    lambda: AirflowApi.login(self.base, ADMIN, password), 240)
        return api

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker's whole process group: the Celery parent, its pool and the task it was running."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        """SIGTERM every component's group (workers first, then the rest), SIGKILL what lingers."""
        order = sorted(self.procs, key=lambda n: not n.startswith("worker"))
        for name in order:
            proc = self.procs[name]
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for name in order:
            proc = self.procs[name]
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group's children too, even if the leader has gone
            proc.wait(timeout=10)


@contextlib.contextmanager
def start_cluster(tmp: Path, sources: Path, warehouse: Path, crawl_slots: int = 1,
                  workers: tuple[str, ...] = WORKERS, extra_env: dict[str, str] | None = None,
                  broker_db: int = REDIS_DB) -> Iterator[Cluster]:
    """Migrate a fresh database, set the crawl pool to `crawl_slots`, start every component (with `extra_env`
    on top of celery_env); stop them after."""
    home = tmp / "airflow_home"
    home.mkdir(parents=True, exist_ok=True)
    api_port = port_in_range()
    with fresh_database() as database:
        env = {**celery_env(home, api_port, sources, warehouse, database, broker_db), **(extra_env or {})}
        _flush_broker(broker_db)
        prepare(env, crawl_slots, timeout=300)
        cluster = Cluster(f"http://127.0.0.1:{api_port}", home, env)
        try:
            cluster.start("api-server", "api-server")
            cluster.start("scheduler", "scheduler")
            cluster.start("dag-processor", "dag-processor")
            for name in workers:
                cluster.start_worker(name)
            yield cluster
        finally:
            cluster.stop()
            _flush_broker(broker_db)


__all__ = ["CRAWL_POOL", "Cluster", "port_in_range", "services_answer", "start_cluster"]
