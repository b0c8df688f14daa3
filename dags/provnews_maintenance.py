"""
### provnews_maintenance: re-extract a date range from the raw archive, then compact the warehouse

Runs weekly (Sunday 03:00 Asia/Ho_Chi_Minh) and on demand. **Trigger with params** to re-extract:

* `since`, `until` (YYYY-MM-DD, inclusive): crawl days whose archived responses (raw WARC) are extracted again
  with the current extractors, without crawling; the articles table is updated in place (emits the
  `provnews_articles` Asset). Leave both empty to only compact.
* `sources`: source ids to limit the re-extraction to (empty: every source).

`compact` then rewrites partitions that have accumulated several small files into one file per partition
(atomic, per-source lock, so it is safe next to a running daily crawl of other sources).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable

from provnews.airflow_names import articles_asset
from transforms.constants import VN_TZ_NAME

log = logging.getLogger(__name__)
VN_TZ = pendulum.timezone(VN_TZ_NAME)  # the schedule's zone, as the timetable wants it
ARTICLES = articles_asset()  # the articles table, provnews_daily's outlet too


def _param_date(name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"param {name!r}: {value!r} is not a YYYY-MM-DD date") from None


@dag(
    dag_id="provnews_maintenance",
    # as provnews_daily: switched on, it runs no missed slot; the first run is the next Sunday 03:00
    schedule=CronTriggerTimetable("0 3 * * 0", timezone=VN_TZ, run_immediately=timedelta(0)),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["provnews"],
    params={
        "since": Param(None, type=["null", "string"], format="date", description="first crawl day"),
        "until": Param(None, type=["null", "string"], format="date", description="last crawl day"),
        "sources": Param([], type="array", items={"type": "string"}, description="only these source ids"),
    },
    default_args={
        "owner": "provnews",
        "retries": 1,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": 2.0,
        "execution_timeout": timedelta(hours=2),
    },
)
def provnews_maintenance() -> None:
    @task(outlets=[ARTICLES])
    def reprocess() -> Any:
        """Re-extract [since, until] from the raw archive; skipped when no range is given."""
        from airflow.sdk.exceptions import AirflowSkipException

        from provnews.settings import Settings
        from provnews.stages.report import plain
        from provnews.stages.reprocess import reprocess as reprocess_stage

        params = get_current_context()["params"]
        since, until = _param_date("since", params.get("since")), _param_date("until", params.get("until"))
        if since is None and until is None:
            raise AirflowSkipException("no since/until given: nothing to re-extract")
        if since is None or until is None or since > until:
            raise ValueError(f"give both since and until with since <= until (got {since} .. {until})")
        only = params.get("sources") or None
        return plain(reprocess_stage(Settings.from_env(), since, until, sources=only))

    @task(trigger_rule="none_failed")
    def compact() -> Any:
        """One file per partition again, table by table, source by source."""
        from provnews.settings import Settings
        from provnews.stages.report import plain
        from warehouse.compaction import compact_all

        done = compact_all(Settings.from_env().warehouse_root)
        log.info("compacted %d partitions", len(done))
        return plain(done)

    reprocess() >> compact()


provnews_maintenance()
