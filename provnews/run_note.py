"""The daily run's note in the Airflow UI, written through Airflow 3's public REST API, and the link to the
day's report that it carries.

Airflow 3.3's Task SDK cannot set a note of the current run (tasks have no DB access), so the DAG's summary
task calls the API like a user would, with the `provnews_airflow_api` connection; the tests and the `make
airflow` launcher use the same small client to trigger runs.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from provnews.airflow_names import ADMIN, API_CONN_ID

log = logging.getLogger(__name__)

REPORTS_PATH = "/provnews/reports"  # served by provnews.airflow_plugin from the warehouse's reports folder


@dataclass(frozen=True)
class AirflowApi:
    """Just enough of Airflow 3's public REST API: a JWT from /auth/token, then JSON calls on /api/v2."""

    base_url: str
    token: str

    @classmethod
    def login(cls, base_url: str, username: str, password: str, timeout: float = 10.0) -> AirflowApi:
        doc = _request("POST", f"{base_url.rstrip('/')}/auth/token", None,
                       {"username": username, "password": password}, timeout)
        return cls(base_url.rstrip("/"), str(doc["access_token"]))

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 10.0) -> Any:
        return _request(method, f"{self.base_url}/api/v2/{path.lstrip('/')}", self.token, body, timeout)


def _request(method: str, url: str, token: str | None, body: dict[str, Any] | None, timeout: float) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:500]
        raise RuntimeError(f"{method} {url}: HTTP {exc.code}: {detail}") from None
    return json.loads(raw) if raw else None


def report_url(day: str, base_url: str | None = None) -> str | None:
    """The address of the day's HTML report in the Airflow UI (None when the UI's base URL is unknown)."""
    base = base_url or os.environ.get("AIRFLOW__API__BASE_URL")
    return f"{base.rstrip('/')}{REPORTS_PATH}/{day}/index.html" if base else None


def set_run_note(dag_id: str, run_id: str, note: str) -> bool:
    """Write the run note through the REST API, if the `provnews_airflow_api` connection exists.

    Airflow 3.3's Task SDK cannot set a note of the current run (tasks have no DB access), so the task calls
    the public API like a user would. Without the connection (e.g. in dag.test()) this logs and returns False.
    """
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(API_CONN_ID)
    except AirflowNotFoundException:
        log.info("no run note: connection %r is not configured (counts are in this log and the XCom)",
                 API_CONN_ID)
        return False
    base = f"http://{conn.host}:{conn.port}" if conn.port else f"http://{conn.host}"
    try:
        api = AirflowApi.login(base, conn.login or ADMIN, conn.password or "")
        path = f"dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id, safe='')}?update_mask=note"
        api.call("PATCH", path, {"note": note})
    except (OSError, RuntimeError) as exc:  # a note is a convenience: never fail the run over it
        log.warning("could not write the run note via %s: %s", base, exc)
        return False
    return True
