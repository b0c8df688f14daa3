"""The provnews Airflow plugin: serves the daily HTML reports from the api-server, linked from the run note.

Registered through the `airflow.plugins` entry point (pyproject.toml), so every Airflow process that has
provnews installed (standalone, docker-compose) loads it. `/provnews/reports/<day>/index.html` is the report
the daily DAG's summary wrote for <day>; `/provnews/reports/` redirects to the newest; the navigation bar
gets a "provnews report" link.
"""

from __future__ import annotations

import re
from pathlib import Path

from airflow.plugins_manager import AirflowPlugin
from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from provnews.settings import Settings
from warehouse.paths import reports_root
from warehouse.storage import Root, S3Root, glob_keys

PREFIX = "/provnews"


def latest_report(root: Path) -> str | None:
    """The newest report's day folder name, if any report was written."""
    days = sorted(p.parent.name for p in root.glob("*/index.html"))
    return days[-1] if days else None


def reports_app(root: Path) -> FastAPI:
    app = FastAPI(title="provnews reports")

    @app.get("/reports/")
    def newest() -> RedirectResponse:
        day = latest_report(root)
        if day is None:
            raise HTTPException(404, f"no report yet in {root}: run provnews_daily (or `provnews report`)")
        return RedirectResponse(f"{PREFIX}/reports/{day}/index.html")

    app.mount("/reports", StaticFiles(directory=root, html=True, check_dir=False), name="reports")
    return app


_REPORT_FILE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}/[A-Za-z0-9_.-]+\.(html|png)$")


def s3_reports_app(root: S3Root) -> FastAPI:
    """reports_app for an s3:// warehouse: the pages and charts read from its reports/ objects."""
    app = FastAPI(title="provnews reports")

    @app.get("/reports/")
    def newest() -> RedirectResponse:
        days = sorted(key.parent.name for key in glob_keys(root, "reports", "/index.html"))
        if not days:
            raise HTTPException(404, f"no report yet in {root}/reports: run provnews_daily (or `provnews report`)")
        return RedirectResponse(f"{PREFIX}/reports/{days[-1]}/index.html")

    @app.get("/reports/{day}/{name}")
    def page(day: str, name: str) -> Response:
        if not _REPORT_FILE.match(f"{day}/{name}"):
            raise HTTPException(404, "no such report file")
        try:
            with root.filesystem.open_input_stream(root.key("reports", day, name)) as src:
                body = bytes(src.read())
        except FileNotFoundError:
            raise HTTPException(404, "no such report file") from None
        return Response(body, media_type="text/html" if name.endswith(".html") else "image/png")

    return app


def app_for(root: Root) -> FastAPI:
    return s3_reports_app(root) if isinstance(root, S3Root) else reports_app(reports_root(root))


class ProvnewsPlugin(AirflowPlugin):
    name = "provnews"
    fastapi_apps = [{"app": app_for(Settings.from_env().warehouse_root), "url_prefix": PREFIX,
                     "name": "provnews reports"}]
    external_views = [{"name": "provnews report", "href": f"{PREFIX}/reports/", "destination": "nav"}]
