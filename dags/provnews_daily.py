"""
### provnews_daily: crawl every enabled provincial news source, land its articles, check the day

One run per day (Asia/Ho_Chi_Minh). For every enabled source profile (`PROVNEWS_SOURCES_DIR`, read when
the file is parsed) a mapped task group `source` runs

    crawl  ->  transform_load  ->  check

then `summary` collects every source's counts into one table (its log, its XCom and the run note) and
fails the run, naming the sources, if any source failed.

**Why one DAG with dynamic task mapping, not one DAG per source.** The person who opens Airflow every
morning asks one question: *did last night's crawl work, and if not, which sites broke and how?* With one
DAG, that is one row in the DAG list and one column per day in the grid: green means every site landed;
red means open the run, where the run note lists every source with fetched / new / updated / failed /
quarantined and the reason of each failure, and the mapped tasks are named by source id
(`map_index_template`), so `crawl [ubndbacgiang]` is the red box to click. One DAG per source would turn
that into N rows to scan (dozens as provinces are added), N run notes to open, no place for the day's
totals, and N copies of the schedule and pools to keep aligned. What per-source DAGs would buy, isolation,
mapping gives too: a failed source fails only its own mapped tasks, the other sources still load (and
still emit the articles Asset); a single source can be re-run by clearing its mapped task instances; and
adding a site is adding a YAML file, with no new DAG to switch on.

**Day crawled** = the logical date in Asia/Ho_Chi_Minh (for a manual run without one, the run's
`run_after`). Scheduled runs start at 23:00 local, so the day is nearly complete; later articles are
caught by the next day's incremental crawl. Backfills of past dates (`airflow backfill create`) crawl
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

import logging
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task, task_group

log = logging.getLogger(__name__)
VN_TZ = pendulum.timezone("Asia/Ho_Chi_Minh")
CRAWL_POOL = "provnews_crawl"
CRAWL_TIMEOUT_S = 55 * 60.0  # under the crawl task's execution_timeout of one hour
# The articles table. provnews_maintenance declares the same Asset (same name and URI) for its re-extraction.
ARTICLES = Asset(name="provnews_articles", uri="provnews://warehouse/articles", group="provnews")
BY_SOURCE = "{{ task.op_kwargs['source'] }}"  # names each mapped task instance by its source id
FAILURE_KEY = "failure"  # XCom key under which a failing task leaves its reason for the summary


def enabled_sources() -> list[str]:
    """Ids of the enabled source profiles; parse time, so only YAML + pydantic (no Scrapy, no pyarrow)."""
    from crawler.config import load_sources
    from provnews.settings import Settings

    return sorted(sid for sid, src in load_sources(Settings.from_env().sources_dir).items() if src.enabled)


def _context_day() -> tuple[Any, pendulum.Date, bool]:
    """(settings, crawl day, backfill?) for the running task."""
    from provnews.settings import Settings

    ctx = get_current_context()
    run = ctx["dag_run"]
    when = run.logical_date or run.run_after
    day = pendulum.instance(when).in_timezone(VN_TZ).date()
    backfill = bool(ctx["params"].get("backfill")) or run.run_type == "backfill"
    return Settings.from_env(), day, backfill


def _failing(step: str, source: str, exc: BaseException) -> None:
    """Leave the reason where `summary` finds it; the task still fails with the original exception."""
    msg = f"{step}: {type(exc).__name__}: {exc}"
    get_current_context()["ti"].xcom_push(FAILURE_KEY, {"source": source, "step": step, "error": msg})


@dag(
    dag_id="provnews_daily",
    schedule="0 23 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz=VN_TZ),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    doc_md=__doc__,
    tags=["provnews"],
    params={"backfill": Param(False, type="boolean", description="follow listings deeper (past days)")},
    default_args={
        "owner": "provnews",
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
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
    def crawl(source: str) -> dict[str, Any]:
        """Scrapy in a subprocess; raw WARC + crawl_log land in the warehouse."""
        from provnews.stages.crawl import crawl as crawl_stage
        from provnews.stages.run import is_first_run

        settings, day, backfill = _context_day()
        backfill = backfill or is_first_run(settings, source)  # as `provnews run`: a new source gets its history
        try:  # the stage's own timeout fires first, with a clearer message than Airflow's
            result = crawl_stage(settings, source, day, backfill=backfill, timeout=CRAWL_TIMEOUT_S).check()
            log.info("crawled %s", source, extra=result.summary())
            return result.summary()
        except Exception as exc:
            _failing("crawl", source, exc)
            raise

    @task(outlets=[ARTICLES], map_index_template=BY_SOURCE, multiple_outputs=False)
    def transform_load(source: str, crawled: dict[str, Any]) -> dict[str, Any]:
        """Extract the day's raw pages and upsert the articles; returns the source's counts."""
        from provnews.stages.load import load
        from provnews.stages.report import build
        from provnews.stages.transform import transform

        settings, day, _ = _context_day()
        try:
            counts = load(settings, source, day, transform(settings, source, day))
            report = build(settings.warehouse, source, day, counts.new, counts.updated, crawled.get("run_id"))
        except Exception as exc:
            _failing("transform_load", source, exc)
            raise
        get_current_context()["outlet_events"][ARTICLES].extra = report.as_dict()
        return report.as_dict()

    @task(retries=0, execution_timeout=timedelta(minutes=10), map_index_template=BY_SOURCE,
          multiple_outputs=False)
    def check(source: str, loaded: dict[str, Any]) -> dict[str, Any]:
        """Fail with a readable message when the day's data looks wrong (see provnews.stages.checks)."""
        from provnews.stages.checks import run_checks

        settings, day, _ = _context_day()
        try:
            return run_checks(settings.warehouse, source, day).as_dict()
        except Exception as exc:
            _failing("check", source, exc)
            raise

    @task(trigger_rule="all_done", retries=0, execution_timeout=timedelta(minutes=10), multiple_outputs=False)
    def summary(checked: Any, sources: list[str]) -> dict[str, Any]:
        """Every source's counts in one table: logged, returned as XCom and written as the run note.

        Fails (so the run is red) when a source failed, naming each one and the step and reason."""
        from airflow.sdk.exceptions import AirflowFailException

        from provnews.airflow_standalone import set_run_note
        from provnews.stages.report import summarise

        ctx = get_current_context()
        ti, run = ctx["ti"], ctx["dag_run"]
        steps = [f"source.{step}" for step in ("crawl", "transform_load", "check")]
        result = summarise(_context_day()[1].isoformat(), sources,
                           ti.xcom_pull(task_ids=["source.transform_load"]),
                           ti.xcom_pull(task_ids=steps, key=FAILURE_KEY))
        log.info("provnews %s\n%s", run.run_id, result["note"])
        set_run_note(run.dag_id, run.run_id, result["note"])
        if result["failed"]:
            raise AirflowFailException(f"{len(result['failed'])} of {len(sources)} sources failed: "
                                       + "; ".join(f"{s}: {why}" for s, why in result["failed"].items()))
        return result

    sources = enabled_sources()
    summary(checked=per_source.expand(source=sources), sources=sources)


provnews_daily()
