"""One source, one day, end to end: crawl → transform → load → checks → the runs table.

The same stage functions, in the same order, as the daily DAG's tasks; `provnews run` and `make demo` call
this. A source's first run (nothing fetched yet in the warehouse) walks listings and sitemaps deeply
(backfill), so a new source starts with its history. Every run, failed or not, leaves its row in the
warehouse's runs table, which the daily report reads.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from provnews.settings import Settings
from provnews.stages.checks import CheckFailed, run_checks
from provnews.stages.crawl import CrawlFailed, crawl
from provnews.stages.load import load
from provnews.stages.report import SourceReport, build
from provnews.stages.transform import transform
from warehouse.reader import fetched_article_urls

log = logging.getLogger(__name__)


def is_first_run(settings: Settings, source: str) -> bool:
    return not fetched_article_urls(settings.warehouse, source)


def run(settings: Settings, source: str, day: date, backfill: bool | None = None,
        crawl_overrides: dict[str, Any] | None = None) -> SourceReport:
    """Crawl, transform, load and check one source for one day; the report says how it went (not raised)."""
    started = datetime.now(UTC)
    if backfill is None:
        backfill = is_first_run(settings, source)
    crawled = crawl(settings, source, day, backfill=backfill, overrides=crawl_overrides)
    try:
        crawled.check()
    except CrawlFailed as exc:
        report = SourceReport.of_crawl(source, day, crawled.summary()).judged("failed", f"crawl: {exc}")
    else:
        counts = load(settings, source, day, transform(settings, source, day))
        report = build(settings.warehouse, source, day, crawled.summary(), counts.new, counts.updated,
                       counts.unchanged)
        report = judge(settings, report)
    record(settings, [report.as_dict()], started)
    return report


def judge(settings: Settings, report: SourceReport) -> SourceReport:
    """The report with the day's data checks' verdict: ok, warning (with why) or failed (with why)."""
    day = date.fromisoformat(report.day)
    try:
        checked = run_checks(settings.warehouse, report.source, day)
    except CheckFailed as exc:
        return report.judged("failed", f"checks: {'; '.join(exc.failures)}")
    return report.judged(checked.status, checked.problem)


def record(settings: Settings, reports: Iterable[Mapping[str, Any]], started: datetime | None = None) -> None:
    """Land the reports as rows of the runs table, each with its source's province."""
    from crawler.config import read_sources
    from warehouse.writer import record_runs

    loaded, _broken = read_sources(settings.sources_dir)  # a broken profile elsewhere keeps no one's province
    provinces = {sid: cfg.province.current for sid, cfg in loaded.items()}
    finished = datetime.now(UTC)
    rows = [{**{k: v for k, v in r.items() if k != "day"}, "dt": r["day"],
             "run_id": r.get("run_id") or f"{r['day']}-{r['source']}-none",  # a crawl that never started
             "province": provinces.get(r["source"]), "started_at": started or finished, "finished_at": finished}
            for r in reports]
    record_runs(settings.warehouse, rows)
