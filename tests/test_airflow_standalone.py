"""`make airflow` for real: the launcher starts the replica (following the machine's clock, as a person runs it)
and `airflow standalone` (SQLite, temp AIRFLOW_HOME, free ports; see tests/airflow_launcher.py); the test logs
in through Airflow 3's REST API (JWT from /auth/token), triggers provnews_daily as the Trigger button does
(logical date: now), waits for the run to succeed with its run note and report, then triggers it again: the
second run of the day finds nothing new, and a quiet day with healthy sites is green too. Nothing here names a
date: CI also runs it under a shifted clock (faketime). tests/test_airflow_ui.py does the same in a browser."""

from __future__ import annotations

import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from airflow_launcher import SOURCES, Standalone

from provnews.airflow_names import ADMIN
from provnews.run_note import AirflowApi
from provnews_tools.airflow_standalone import admin_password, wait_for

pytestmark = pytest.mark.slow


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


def test_trigger_the_daily_dag_through_the_rest_api_and_see_it_succeed(airflow: Standalone) -> None:
    started = time.monotonic()
    password = admin_password(airflow.home)
    api: AirflowApi = wait_for("the api-server to hand out a token",
                               lambda: AirflowApi.login(airflow.base, ADMIN, password), 180, airflow.log)
    up = time.monotonic() - started
    # the launcher tells the user how to log in once its own probe of the UI answers (every 2 s)
    assert wait_for("the launcher to print the password", airflow.printed_password, 30, airflow.log) == password
    dag = wait_for("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 120, airflow.log)
    assert dag["is_paused"] is False
    assert api.call("GET", "dags/provnews_daily/dagRuns")["total_entries"] == 0, "no run nobody asked for"

    final, states = run_to_the_end(api, airflow.log)
    print(f"standalone: API up in {up:.0f} s; first run finished in {time.monotonic() - started - up:.0f} s")
    assert final["state"] == "success", states
    assert {("source.crawl", s) for s in SOURCES} <= set(states)
    checks = [name for (task, name) in states if task == "source.check"]
    note = final.get("note") or ""
    assert note.startswith("**provnews ") and f"2 ok, 0 warning, 0 failed of {len(SOURCES)} sources" in note
    for source in SOURCES:  # each check task is named by its source, status and counts; so is its note line
        assert any(name.startswith(f"{source} · ok · ") and " new · " in name for name in checks), checks
        assert f"- {source}: " in note and " new · " in note
        assert list((airflow.warehouse / "articles" / f"source={source}").glob("*/*.parquet"))
    report_link = f"{airflow.base}/provnews/reports/"
    assert report_link in note, note
    with urllib.request.urlopen(note[note.index(report_link):].split(")")[0], timeout=10) as page:
        html = page.read().decode()
    assert all(source in html for source in SOURCES), "the report linked from the note lists every source"

    again, states = run_to_the_end(api, airflow.log)  # the same day again: nothing new, the sites are fine
    assert again["state"] == "success", states
    assert f"{len(SOURCES)} ok, 0 warning, 0 failed" in (again.get("note") or ""), again.get("note")
