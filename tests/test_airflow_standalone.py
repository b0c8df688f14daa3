"""`make airflow` for real: the launcher starts the replica and `airflow standalone` (SQLite, temp AIRFLOW_HOME,
free ports; see tests/airflow_launcher.py); the test logs in through Airflow 3's REST API (JWT from
/auth/token), triggers provnews_daily for the replica's day and waits for the run to succeed, its run note
written by the summary task. tests/test_airflow_ui.py does the same through the UI in a browser."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest
from airflow_launcher import LOGICAL_DATE, SOURCES, Standalone, wait_for

from provnews.airflow_standalone import ADMIN, AirflowApi, admin_password

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


def test_trigger_the_daily_dag_through_the_rest_api_and_see_it_succeed(airflow: Standalone) -> None:
    started = time.monotonic()
    password = admin_password(airflow.home)
    api: AirflowApi = wait_for("the api-server to hand out a token",
                               lambda: AirflowApi.login(airflow.base, ADMIN, password), 180, airflow.log)
    up = time.monotonic() - started
    assert airflow.printed_password() == password  # the launcher told the user how to log in
    dag = wait_for("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 120, airflow.log)
    assert dag["is_paused"] is False

    # SQLite lets one writer in: a trigger landing while the scheduler writes can answer 500 "Database error",
    # and a user would simply press the button again
    run = wait_for("the trigger to be accepted", lambda: trigger(api, LOGICAL_DATE), 90, airflow.log)
    path = f"dags/provnews_daily/dagRuns/{run['dag_run_id']}"
    final = wait_for("the run to finish",
                     lambda: (r := api.call("GET", path))["state"] in ("success", "failed") and r, 300, airflow.log)
    ran = time.monotonic() - started - up
    print(f"standalone: API up in {up:.0f} s; DAG parsed, triggered and finished in {ran:.0f} s")

    tis = api.call("GET", f"{path}/taskInstances")["task_instances"]
    states = {(t["task_id"], t.get("rendered_map_index")): t["state"] for t in tis}
    assert final["state"] == "success", states
    assert {("source.crawl", s) for s in SOURCES} <= set(states)
    assert "| baohaiduong |" in (final.get("note") or ""), "the summary task wrote the run note"
    for source in SOURCES:
        assert list((airflow.warehouse / "articles" / f"source={source}").glob("*/*.parquet"))
