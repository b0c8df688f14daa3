"""One source, one day, end to end: recover → crawl → transform → load → checks → the runs table.

The same stage functions, in the same order, as the daily DAG's tasks; `provnews run` and `make demo` call
this. A source walks listings and sitemaps deeply (backfill) until one such crawl has succeeded: on its
first run, so a new source starts with its history, and again after a backfill that failed. Every run,
failed or not, leaves its row in the warehouse's runs table, which the daily report reads.

Nothing fetched is lost by a bad day. Before crawling, the run loads from the raw archive every earlier
crawl day holding a page that did not land (its crawl failed its checks so it was never loaded, its load
crashed or was killed, an older extractor quarantined it), each with a runs row of its own day; and the
crawler asks again for what is still owed (crawler.run.article_state). The DAG's crawl task calls `recover`
first too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from crawler.settings import DEFAULTS as CRAWL_DEFAULTS
from provnews.settings import Settings
from provnews.stages.checks import CheckFailed, run_checks
from provnews.stages.crawl import CrawlFailed, CrawlResult, backfilled, crawl, new_run_id
from provnews.stages.load import load
from provnews.stages.report import SourceReport, build, one_line
from provnews.stages.transform import transform
from transforms.version import EXTRACTOR_VERSION
from warehouse.reader import article_fetches, unlanded_days

log = logging.getLogger(__name__)


def is_first_run(settings: Settings, source: str) -> bool:
    """Whether the run should backfill: no backfill crawl of the source has succeeded yet."""
    return not backfilled(settings, source)


def run(settings: Settings, source: str, day: date, backfill: bool | None = None,
        crawl_overrides: dict[str, Any] | None = None) -> SourceReport:
    """Crawl, transform, load and check one source for one day; the report says how it went (not raised)."""
    recover(settings, source, day, crawl_overrides)
    started = datetime.now(UTC)
    if backfill is None:
        backfill = is_first_run(settings, source)
    crawled = crawl(settings, source, day, backfill=backfill, overrides=crawl_overrides)
    try:
        crawled.check()
    except CrawlFailed as exc:
        report = SourceReport.of_crawl(source, day, crawled.summary()).judged("failed", f"crawl: {exc}")
    else:
        report = load_and_judge(settings, crawled)
    record(settings, [report.as_dict()], started)
    return report


def load_and_judge(settings: Settings, crawled: CrawlResult) -> SourceReport:
    """Transform and load the crawled day, then check it. A crash is the day's problem, not the run's end:
    its pages stay unlanded, and the next run loads them (recover) or the crawler fetches them again."""
    source, day = crawled.source, crawled.day
    try:
        counts = load(settings, source, day, transform(settings, source, day))
    except Exception as exc:  # any crash of transform or load fails this source's day only
        log.exception("load failed", extra={"source": source, "day": day.isoformat()})
        return SourceReport.of_crawl(source, day, crawled.summary()).judged("failed", f"load: {error_line(exc)}")
    report = build(settings.warehouse_root, source, day, crawled.summary(), counts.new, counts.updated,
                   counts.unchanged)
    return judge(settings, report)


def recover(settings: Settings, source: str, today: date,
            crawl_overrides: dict[str, Any] | None = None) -> list[SourceReport]:
    """Load every crawl day but `today` whose archive holds a page that has not landed, oldest first; each
    load lands a runs row of its own day (no crawl: only the load's counts). A day whose load fails again is
    logged and left: the crawler asks for its pages again (PROVNEWS_UNLANDED_MAX_RUNS bounds both)."""
    max_runs = int({**CRAWL_DEFAULTS, **(crawl_overrides or {})}["PROVNEWS_UNLANDED_MAX_RUNS"])
    days = [d for d in unlanded_days(article_fetches(settings.warehouse_root, source, EXTRACTOR_VERSION), max_runs)
            if d != today]  # today's own pages are loaded after today's crawl
    reports = []
    for day in days:
        started = datetime.now(UTC)
        try:
            counts = load(settings, source, day, transform(settings, source, day))
        except Exception as exc:  # a day that cannot be loaded must not stop today's run
            log.error("could not load an earlier day from its archive", extra={
                "source": source, "day": day.isoformat(), "error": error_line(exc)})
            continue
        report = build(settings.warehouse_root, source, day, {"run_id": new_run_id(day)}, counts.new, counts.updated,
                       counts.unchanged)  # no crawl that day: only the load's counts
        log.warning("loaded an earlier day from its archive: %s", report.line(),
                    extra={"source": source, "day": day.isoformat(), "today": today.isoformat()})
        record(settings, [report.as_dict()], started)
        reports.append(report)
    return reports


def judge(settings: Settings, report: SourceReport) -> SourceReport:
    """The report with the day's data checks' verdict: ok, warning (with why) or failed (with why)."""
    day = date.fromisoformat(report.day)
    try:
        checked = run_checks(settings.warehouse_root, report.source, day, counts=report.as_dict())
    except CheckFailed as exc:
        return report.judged("failed", f"checks: {'; '.join(exc.failures)}")
    return report.judged(checked.status, checked.problem)


def record(settings: Settings, reports: Iterable[Mapping[str, Any]], started: datetime | None = None) -> None:
    """Land the reports as rows of the runs table, each with its source's province."""
    from sources.config import read_sources
    from warehouse.writer import record_runs

    loaded, _broken = read_sources(settings.sources_dir)  # a broken profile elsewhere keeps no one's province
    provinces = {sid: cfg.province.current for sid, cfg in loaded.items()}
    finished = datetime.now(UTC)
    rows = [{**{k: v for k, v in r.items() if k != "day"}, "dt": r["day"],
             "run_id": r.get("run_id") or f"{r['day']}-{r['source']}-none",  # a crawl that never started
             "province": provinces.get(r["source"]), "started_at": started or finished, "finished_at": finished}
            for r in reports]
    record_runs(settings.warehouse_root, rows)


def error_line(exc: BaseException) -> str:
    """`OSError: …`: an exception as one line for a person (the traceback goes to the log)."""
    return one_line(f"{type(exc).__name__}: {exc}", 300)
