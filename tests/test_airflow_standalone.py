"""`make airflow` for real: the launcher starts the replica (following the machine's clock, as a person runs it)
and `airflow standalone` (SQLite, temp AIRFLOW_HOME, free ports); the test logs in through Airflow 3's REST API
(JWT from /auth/token), triggers provnews_daily as the Trigger button does (logical date: now), waits for the
run to succeed with its run note and report, then triggers it again: the second run of the day finds nothing
new, and a quiet day with healthy sites is green too. Nothing here names a date: CI also runs it under a
shifted clock (faketime)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from replica_fixture import candidate_port

from provnews.airflow_standalone import ADMIN, AirflowApi, admin_password
from provnews.settings import PACKAGE_SOURCES_DIR

pytestmark = pytest.mark.slow

SOURCES = ("baohaiduong", "tinhuyhaiduong")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(what: str, probe: Callable[[], Any], timeout: float, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except (OSError, RuntimeError) as exc:
            last = exc
        time.sleep(2)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last})\n{tail}")


def quick_profiles(dest: Path) -> Path:
    """Two replica profiles with politeness off (loopback), still on the placeholder port."""
    dest.mkdir(parents=True)
    for source in SOURCES:
        doc = yaml.safe_load((PACKAGE_SOURCES_DIR / f"{source}.yaml").read_text(encoding="utf-8"))
        doc["politeness"].update(download_delay=0.0, autothrottle=False, concurrency=8)
        (dest / f"{source}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("standalone")
    api_port, replica_port = free_port(), candidate_port()
    log = tmp / "standalone.log"
    cmd = [sys.executable, "-m", "provnews.airflow_standalone", "--port", str(replica_port),
           "--airflow-port", str(api_port), "--home", str(tmp / "airflow_home"),
           "--warehouse", str(tmp / "warehouse"),
           "--per-day", "3", "--days", "6", "--sources", str(quick_profiles(tmp / "profiles"))]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        base = f"http://127.0.0.1:{api_port}"
        yield {"base": base, "home": tmp / "airflow_home", "warehouse": tmp / "warehouse", "log": log,
               "proc": proc}
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def trigger(api: AirflowApi, logical: str) -> dict[str, Any]:
    """POST a run for `logical`; if an earlier attempt did create it (409), that run."""
    try:
        run: dict[str, Any] = api.call("POST", "dags/provnews_daily/dagRuns", {"logical_date": logical})
        return run
    except RuntimeError as exc:
        if "HTTP 409" not in str(exc):
            raise
    wanted = datetime.fromisoformat(logical)
    runs = api.call("GET", "dags/provnews_daily/dagRuns")["dag_runs"]
    return next(r for r in runs if datetime.fromisoformat(r["logical_date"].replace("Z", "+00:00")) == wanted)


def run_to_the_end(api: AirflowApi, log: Path) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """Trigger provnews_daily now, as the UI's Trigger button does; wait; the run and its task states."""
    logical = datetime.now(UTC).isoformat()
    # SQLite lets one writer in: a trigger landing while the scheduler writes can answer 500 "Database error",
    # and a user would simply press the button again
    run = wait_for("the trigger to be accepted", lambda: trigger(api, logical), 90, log)
    path = f"dags/provnews_daily/dagRuns/{run['dag_run_id']}"
    final = wait_for("the run to finish",
                     lambda: (r := api.call("GET", path))["state"] in ("success", "failed") and r, 300, log)
    tis = api.call("GET", f"{path}/taskInstances")["task_instances"]
    return final, {(t["task_id"], t.get("rendered_map_index") or ""): t["state"] for t in tis}


def test_trigger_the_daily_dag_through_the_rest_api_and_see_it_succeed(airflow: dict[str, Any]) -> None:
    started = time.monotonic()
    log: Path = airflow["log"]
    password = admin_password(airflow["home"])
    api: AirflowApi = wait_for("the api-server to hand out a token",
                               lambda: AirflowApi.login(airflow["base"], ADMIN, password), 180, log)
    up = time.monotonic() - started
    assert f"password: {password}" in log.read_text()  # the launcher told the user how to log in
    dag = wait_for("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 120, log)
    assert dag["is_paused"] is False
    assert api.call("GET", "dags/provnews_daily/dagRuns")["total_entries"] == 0, "no run nobody asked for"

    final, states = run_to_the_end(api, log)
    print(f"standalone: API up in {up:.0f} s; first run finished in {time.monotonic() - started - up:.0f} s")
    assert final["state"] == "success", states
    assert {("source.crawl", s) for s in SOURCES} <= set(states)
    checks = {name: state for (task, name), state in states.items() if task == "source.check"}
    for source in SOURCES:  # each check task is named by its source, status and counts
        assert any(name.startswith(f"{source} · ok · ") and " new · " in name for name in checks), checks
        assert list((airflow["warehouse"] / "articles" / f"source={source}").glob("*/*.parquet"))
    note = final.get("note") or ""
    assert note.startswith("**provnews ") and f"2 ok, 0 warning, 0 failed of {len(SOURCES)} sources" in note
    report_link = f"{airflow['base']}/provnews/reports/"
    assert report_link in note, note
    url = note[note.index(report_link):].split(")")[0]
    with urllib.request.urlopen(url, timeout=10) as page:
        html = page.read().decode()
    assert all(source in html for source in SOURCES), "the report linked from the note lists every source"

    again, states = run_to_the_end(api, log)  # the same day again: nothing new, the sites are fine
    assert again["state"] == "success", states
    assert "0 new" in (again.get("note") or ""), again.get("note")
