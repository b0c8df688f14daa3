"""One source, one day, end to end: crawl → transform → load → checks.

The same stage functions, in the same order, as the daily DAG's tasks; `provnews run` and `make demo` call
this. A source's first run (nothing fetched yet in the warehouse) walks listings and sitemaps deeply
(backfill), so a new source starts with its history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from provnews.settings import Settings
from provnews.stages.checks import CheckFailed, run_checks
from provnews.stages.crawl import crawl
from provnews.stages.load import load
from provnews.stages.report import SourceReport, build
from provnews.stages.transform import transform
from warehouse.reader import fetched_article_urls

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    source: str
    day: date
    backfill: bool
    report: SourceReport | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        counts = self.report.as_dict() if self.report else {"source": self.source, "day": self.day.isoformat()}
        return {**counts, "backfill": self.backfill, "ok": self.ok, "problems": self.problems}


def is_first_run(settings: Settings, source: str) -> bool:
    return not fetched_article_urls(settings.warehouse, source)


def run(settings: Settings, source: str, day: date, backfill: bool | None = None,
        crawl_overrides: dict[str, Any] | None = None) -> RunResult:
    """Crawl, transform, load and check one source for one day. Problems are collected, not raised."""
    if backfill is None:
        backfill = is_first_run(settings, source)
    result = RunResult(source, day, backfill)
    crawled = crawl(settings, source, day, backfill=backfill, overrides=crawl_overrides)
    if not crawled.ok:
        result.problems += [f"crawl: {p}" for p in crawled.problems]
        return result
    counts = load(settings, source, day, transform(settings, source, day))
    result.report = build(settings.warehouse, source, day, counts.new, counts.updated, crawled.run_id)
    try:
        run_checks(settings.warehouse, source, day)
    except CheckFailed as exc:
        result.problems.append(f"checks: {exc}")
    return result
