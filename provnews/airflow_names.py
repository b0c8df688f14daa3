"""The names Airflow knows provnews by, one home each: both DAGs, the run note and the `make airflow` launcher
import them from here (docker-compose's set-up spells the pool and the connection in its header).

No Airflow import at module level: importing Airflow reads its configuration (and creates AIRFLOW_HOME), which
the launcher and the tests must not do in their own process."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airflow.sdk import Asset

# The pool that bounds concurrent crawls (Scrapy subprocesses); every crawl task runs in it.
CRAWL_POOL = "provnews_crawl"
# The connection to Airflow's own REST API that the daily DAG writes its run note through.
API_CONN_ID = "provnews_airflow_api"
ADMIN = "admin"  # the user of the simple auth manager (`make airflow`), the connection's default login


def articles_asset() -> Asset:
    """The articles table as an Asset: provnews_daily's loads and provnews_maintenance's re-extractions emit
    events on it, so downstream DAGs can `schedule=[articles_asset()]`."""
    from airflow.sdk import Asset

    return Asset(name="provnews_articles", uri="provnews://warehouse/articles", group="provnews")
