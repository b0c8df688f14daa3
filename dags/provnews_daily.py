"""
### provnews_daily: crawl every enabled provincial news source, land its articles, check the day

One run per day (Asia/Ho_Chi_Minh). For every enabled source profile (`PROVNEWS_SOURCES_DIR`, read when
the file is parsed) a mapped task group `source` runs

    crawl  ->  transform_load  ->  check

then `summary` lands every source's row in the warehouse's runs table, writes the day's HTML report, puts
the totals and the sources that need attention in the run note (with a link to the report) and fails the run,
naming the sources, if any source failed; beside it, `knowledge` rebuilds the tables across sources
(officials, documents, duplicates) from the mentions every load wrote. Each `check` task instance is named
by its source and its counts (`baohaiduong · ok · 12 new · 0 updated`), and returns the source's counts as
XCom.

**Why one DAG with dynamic task mapping, not one DAG per source.** The person who opens Airflow every morning
asks one question: *did last night's crawl work, and if not, which sites broke and how?* With one DAG, that is
one row in the DAG list and one column per day in the grid: green means every site landed; red means open the
run, where the run note gives the day's totals and names every source that failed or warned, with its reason,
and links the full report (every source's counts, plots over time); the mapped tasks are named by source id
(`map_index_template`), so `crawl [ubndbacgiang]` is the red box to click. One DAG per source would turn that
into N rows to scan (dozens as provinces are added), N run notes to open, no place for the day's totals, and N
copies of the schedule and pools to keep aligned. What per-source DAGs would buy, isolation, mapping gives
too: a failed source fails only its own mapped tasks, the other sources still load (and still emit the
articles Asset); a single source can be re-run by clearing its mapped task instances; and adding a site is
adding a YAML file, with no new DAG to switch on.

**Day crawled** = the logical date in Asia/Ho_Chi_Minh (for a manual run without one, the run's
`run_after`). Scheduled runs start at 23:00 local, so the day is nearly complete; later articles are
caught by the next day's incremental crawl. The DAG has no start date and does not run the last missed
slot when it is switched on, whatever the hour: the first scheduled run is the next 23:00, and a person who
wants today now presses Trigger. (`run_immediately=False` is not enough: Airflow then still runs the past slot
when the DAG is first parsed within a tenth of the period after it, i.e. until 01:24; a zero window never does.)

**Failing and warning.** A site that cannot be reached, or answers only errors, fails its crawl at once
(no task retries: the next day's run fetches again what was missed). A site that answered but brought
nothing new is judged against its own publishing history: a quiet day is a warning (the run stays green),
three quiet days for a daily source fail it. Backfills of past dates (`airflow backfill create`) crawl
those dates; a backfill run, the `backfill` param, or a source's first run (as in `provnews run`) makes the
crawler follow listings deeper (`backfill_max_pages`).

**Resources.** Crawls run Scrapy in a subprocess (the crawl stage does it) inside the `provnews_crawl`
pool, which bounds concurrent crawls (created by `make airflow`; for docker-compose see its header).
Retries back off exponentially; every task has an execution timeout; at most one run is active.

**Data.** Settings come from the environment at run time (`PROVNEWS_WAREHOUSE`, `PROVNEWS_SOURCES_DIR`,
...). Each successful load emits an event on the Asset `provnews_articles`, so downstream DAGs can
`schedule=[Asset("provnews_articles", uri="provnews://warehouse/articles")]`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task, task_group
from airflow.sdk.exceptions import AirflowFailException
from airflow.timetables.trigger import CronTriggerTimetable

from provnews.airflow_names import CRAWL_POOL, articles_asset
from transforms.constants import VN_TZ_NAME

log = logging.getLogger(__name__)
VN_TZ = pendulum.timezone(VN_TZ_NAME)  # the schedule's zone, as the timetable wants it
CRAWL_TIMEOUT_S = 55 * 60.0  # under the crawl task's execution_timeout of one hour
ARTICLES = articles_asset()  # the articles table; provnews_maintenance's re-extractions emit on it too
BY_SOURCE = "{{ task.op_kwargs['source'] }}"  # names each mapped task instance by its source id
# the check task sets `source_label` (source, status, counts) in its context; before that, the source id
BY_SOURCE_AND_COUNTS = "{{ source_label | default(task.op_kwargs['source']) }}"
# switched on, a DAG runs no missed slot at any hour (False means "within a tenth of the period" to Airflow)
NO_MISSED_SLOT = timedelta(0)
FAILURE_KEY = "failure"  # XCom key under which a failing task leaves its reason for the summary


def enabled_sources() -> list[str]:
    """Ids of the enabled source profiles; parse time, so only YAML + pydantic (no Scrapy, no pyarrow)."""
    from provnews.settings import Settings
    from sources.config import load_sources

    return sorted(sid for sid, src in load_sources(Settings.from_env().sources_dir).items() if src.enabled)


def retry_delay_s() -> float:
    """Seconds before a failed task's first retry (parse time, like enabled_sources)."""
    from provnews.settings import Settings

    return Settings.from_env().task_retry_delay_s


def _context_day() -> tuple[Any, pendulum.Date, bool]:
    """(settings, crawl day, backfill?) for the running task."""
    from provnews.settings import Settings

    ctx = get_current_context()
    run = ctx["dag_run"]
    when = run.logical_date or run.run_after
    day = pendulum.instance(when).in_timezone(VN_TZ).date()
    backfill = bool(ctx["params"].get("backfill")) or run.run_type == "backfill"
    return Settings.from_env(), day, backfill


class SourceFailed(AirflowFailException):
    """A source's step failed for a reason the summary shows, with what was counted before it (no retry)."""

    def __init__(self, reason: str, counts: dict[str, Any]) -> None:
        super().__init__(reason)
        self.counts = counts


def leaves_reason(step: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A per-source step that, failing, leaves its reason (and counts) where `summary` finds it; the task still
    fails. Done in the task, not in an on_failure_callback: Airflow runs that after it has recorded the
    failure, when the summary may already be reading."""

    @functools.wraps(step)
    def run(source: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return step(source=source, **kwargs)
        except Exception as exc:
            counts = exc.counts if isinstance(exc, SourceFailed) else {}
            get_current_context()["ti"].xcom_push(FAILURE_KEY, {"source": source, "step": step.__name__,
                                                                "error": f"{step.__name__}: {exc}",
                                                                "counts": counts})
            raise

    return run


@dag(
    dag_id="provnews_daily",
    schedule=CronTriggerTimetable("0 23 * * *", timezone=VN_TZ, run_immediately=NO_MISSED_SLOT),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    doc_md=__doc__,
    tags=["provnews"],
    params={"backfill": Param(False, type="boolean", description="follow listings deeper (past days)")},
    default_args={
        "owner": "provnews",
        "retries": 2,
        "retry_delay": timedelta(seconds=retry_delay_s()),  # PROVNEWS_TASK_RETRY_DELAY_S, 2 minutes
        "retry_exponential_backoff": 2.0,  # 2, 4 minutes ... capped below
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(minutes=30),
    },
)
def provnews_daily() -> None:
    @task_group(group_id="source")
    def per_source(source: str) -> Any:
        crawled: Any = crawl(source=source)
        loaded: Any = transform_load(source=source, crawled=crawled)
        return check(source=source, loaded=loaded)

    @task(pool=CRAWL_POOL, execution_timeout=timedelta(hours=1), map_index_template=BY_SOURCE,
          multiple_outputs=False)
    @leaves_reason
    def crawl(source: str) -> dict[str, Any]:
        """Earlier days whose pages did not land are loaded from their archive; then Scrapy in a subprocess,
        raw WARC + crawl_log landing in the warehouse."""
        from provnews.stages.crawl import CrawlFailed
        from provnews.stages.crawl import crawl as crawl_stage
        from provnews.stages.report import SourceReport
        from provnews.stages.run import is_first_run, recover

        settings, day, backfill = _context_day()
        recover(settings, source, day)  # as `provnews run`: a failed day before loses nothing
        backfill = backfill or is_first_run(settings, source)  # as `provnews run`: a new source gets its history
        # the stage's own timeout fires first, with a clearer message than Airflow's
        result = crawl_stage(settings, source, day, backfill=backfill, timeout=CRAWL_TIMEOUT_S)
        try:
            result.check()
        except CrawlFailed as exc:  # the crawler retried already; the next day fetches again what was missed
            raise SourceFailed(str(exc), SourceReport.of_crawl(source, day, result.summary()).as_dict()) from None
        return result.summary()

    @task(outlets=[ARTICLES], map_index_template=BY_SOURCE, multiple_outputs=False)
    @leaves_reason
    def transform_load(source: str, crawled: dict[str, Any]) -> dict[str, Any]:
        """Extract the day's raw pages and upsert the articles; returns the source's counts."""
        from provnews.stages.load import load
        from provnews.stages.report import build
        from provnews.stages.transform import transform

        settings, day, _ = _context_day()
        counts = load(settings, source, day, transform(settings, source, day))
        report = build(settings.warehouse_root, source, day, crawled, counts.new, counts.updated, counts.unchanged)
        get_current_context()["outlet_events"][ARTICLES].extra = report.as_dict()
        return report.as_dict()

    @task(retries=0, execution_timeout=timedelta(minutes=10), map_index_template=BY_SOURCE_AND_COUNTS,
          multiple_outputs=False)
    @leaves_reason
    def check(source: str, loaded: dict[str, Any]) -> dict[str, Any]:
        """Judge the day (see provnews.stages.checks): ok, a warning (stays green) or a failure."""
        from provnews.stages.report import SourceReport
        from provnews.stages.run import judge

        settings, _, _ = _context_day()
        report = judge(settings, SourceReport(**loaded))
        get_current_context()["source_label"] = report.label()  # type: ignore[typeddict-unknown-key]
        log.info("%s", report.line())
        if report.status == "failed":
            raise SourceFailed(str(report.problem), report.as_dict())
        return report.as_dict()

    @task(trigger_rule="all_done", retries=0, execution_timeout=timedelta(minutes=10), multiple_outputs=False)
    def summary(checked: Any, sources: list[str]) -> dict[str, Any]:
        """Every source's counts: in the runs table, the day's report, the run note, this log and XCom.

        Fails (so the run is red) when a source failed, naming each one and its reason."""
        from provnews.run_note import report_url, set_run_note
        from provnews.stages.daily_report import write_report
        from provnews.stages.report import summarise
        from provnews.stages.run import record

        ctx = get_current_context()
        ti, run = ctx["ti"], ctx["dag_run"]
        settings, day, _ = _context_day()
        steps = [f"source.{step}" for step in ("crawl", "transform_load", "check")]
        result = summarise(day.isoformat(), sources, ti.xcom_pull(task_ids=["source.check"]),
                           ti.xcom_pull(task_ids=steps, key=FAILURE_KEY), report_url(day.isoformat()))
        record(settings, result["sources"].values(), run.start_date)
        path = write_report(settings.warehouse_root, day - timedelta(days=13), day)
        log.info("provnews %s: report %s\n%s", run.run_id, path, result["note"])
        set_run_note(run.dag_id, run.run_id, result["note"])
        if result["failed"]:
            raise AirflowFailException(f"{len(result['failed'])} of {len(sources)} sources failed: "
                                       + "; ".join(f"{s}: {why}" for s, why in result["failed"].items()))
        return result

    @task(trigger_rule="all_done", execution_timeout=timedelta(minutes=30), multiple_outputs=False)
    def knowledge(checked: Any) -> dict[str, Any]:
        """Rebuild the tables across sources (officials, documents, duplicates) from what every load wrote;
        a source that failed today keeps its earlier rows in them."""
        from provnews.stages.knowledge import build

        settings, _, _ = _context_day()
        return asdict(build(settings))

    sources = enabled_sources()
    checked = per_source.expand(source=sources)
    summary(checked=checked, sources=sources)
    knowledge(checked=checked)


provnews_daily()
