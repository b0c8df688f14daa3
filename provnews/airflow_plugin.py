"""The provnews Airflow plugin: serves the daily HTML reports from the api-server, linked from the run note.

Registered through the `airflow.plugins` entry point (pyproject.toml), so every Airflow process that has
provnews installed (standalone, docker-compose) loads it. `/provnews/reports/<day>/index.html` is the report
the daily DAG's summary wrote for <day>; `/provnews/reports/` redirects to the newest; the navigation bar
gets a "provnews report" link.
"""

from __future__ import annotations

from pathlib import Path

from airflow.plugins_manager import AirflowPlugin
from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from provnews.settings import Settings
from warehouse.paths import reports_root

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


class ProvnewsPlugin(AirflowPlugin):
    name = "provnews"
    fastapi_apps = [{"app": reports_app(reports_root(Settings.from_env().warehouse)), "url_prefix": PREFIX,
                     "name": "provnews reports"}]
    external_views = [{"name": "provnews report", "href": f"{PREFIX}/reports/", "destination": "nav"}]
