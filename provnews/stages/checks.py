"""Data checks run after a source's daily load: did the day's crawl give us usable articles?

The checks read only the warehouse (crawl_log, articles, quarantine), so they judge what actually landed
and need nothing but the warehouse path. Three things fail a source's day, each with a message a person
can act on:

* the source returned nothing: no article page was fetched successfully that day;
* its articles mostly lack a publication date or a body (the extractor or the site's markup broke);
* its article count falls far below its own recent history (a listing or sitemap stopped announcing
  articles).

"Articles of the day" are the distinct article URLs that crawl_log records as fetched with a 2xx on that
crawl day (all runs of the day together, so re-running a day does not make it look empty).
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class CheckFailed(Exception):
    """One source's day failed one or more data checks; str() lists every failure on its own line."""

    def __init__(self, source: str, day: date, failures: list[str]) -> None:
        self.source, self.day, self.failures = source, day, failures
        lines = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"data checks failed for source {source!r} on {day.isoformat()}:\n{lines}")


@dataclass(frozen=True)
class Thresholds:
    max_missing_share: float = 0.5  # more than half the day's articles without a date (or a body) fails
    history_days: int = 14  # how far back "recent history" looks, in crawl days
    min_history_days: int = 3  # fewer crawl days than this: too early to judge volume
    min_history_median: float = 4.0  # a source that usually brings fewer articles is too small to judge
    min_share_of_median: float = 0.25  # below a quarter of the usual count is "far below"


@dataclass(frozen=True)
class DayStats:
    """What the warehouse says about one source's crawl day."""

    source: str
    day: date
    fetched: int  # distinct article URLs fetched with a 2xx
    landed: int  # of those, rows present in the articles table
    missing_date: int  # landed rows without published_at
    missing_body: int  # landed rows with an empty body_text
    quarantined: int  # quarantine rows of the day
    history: tuple[int, ...] = field(default=())  # `fetched` of earlier crawl days, newest first

    def as_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["day"] = self.day.isoformat()
        doc["history"] = list(self.history)
        return doc


def gather(root: Path, source: str, day: date, history_days: int = Thresholds.history_days) -> DayStats:
    """Read the day's numbers and the source's recent history from the warehouse."""
    from warehouse import reader  # at run time only: keeps DAG parsing light

    daily = reader.articles_fetched_per_day(root, source, day - timedelta(days=history_days), day)
    todays = daily.pop(day.isoformat(), 0)
    history = tuple(daily[d] for d in sorted(daily, reverse=True))
    landed, no_date, no_body = reader.landed_article_counts(root, source, day)
    quarantined = reader.count_rows(root, "quarantine", source, day.isoformat())
    return DayStats(source, day, todays, landed, no_date, no_body, quarantined, history)


def evaluate(stats: DayStats, limits: Thresholds | None = None) -> list[str]:
    """Every failed check as a readable sentence; an empty list means the day is fine."""
    limits = limits or Thresholds()
    failures = [_nothing(stats)] if stats.fetched == 0 else [*_incomplete(stats, limits)]
    drop = _volume(stats, limits)
    if drop and stats.fetched > 0:
        failures.append(drop)
    return [f for f in failures if f]


def _nothing(s: DayStats) -> str:
    return (f"{s.source} returned nothing on {s.day}: no article page was fetched with a 2xx (see crawl_log "
            f"source={s.source}/dt={s.day} for the errors; is the site down, or did its listings change?)")


def _incomplete(s: DayStats, limits: Thresholds) -> list[str]:
    if s.landed == 0:
        return [f"{s.source} on {s.day}: {s.fetched} article pages fetched but none landed in the articles "
                f"table ({s.quarantined} quarantined; see quarantine source={s.source}/dt={s.day})"]
    out = []
    for what, missing in (("a publication date", s.missing_date), ("a body", s.missing_body)):
        share = missing / s.landed
        if share > limits.max_missing_share:
            out.append(f"{s.source} on {s.day}: {missing} of {s.landed} articles ({share:.0%}) lack {what} "
                       f"(limit {limits.max_missing_share:.0%}); the extractor or the site's markup changed")
    return out


def _volume(s: DayStats, limits: Thresholds) -> str:
    if len(s.history) < limits.min_history_days:
        return ""
    usual = statistics.median(s.history)
    if usual < limits.min_history_median or s.fetched >= usual * limits.min_share_of_median:
        return ""
    return (f"{s.source} on {s.day}: {s.fetched} articles, far below its usual {usual:g} a day (median of "
            f"the last {len(s.history)} crawl days: {list(s.history)}; "
            f"limit {limits.min_share_of_median:.0%} of it)")


def run_checks(root: Path, source: str, day: date, limits: Thresholds | None = None) -> DayStats:
    """Gather and evaluate; raise CheckFailed listing every failure, else return the stats."""
    limits = limits or Thresholds()
    stats = gather(root, source, day, limits.history_days)
    failures = evaluate(stats, limits)
    log.info("checks for %s on %s: %s", source, day, "failed" if failures else "passed",
             extra={**stats.as_dict(), "failures": len(failures)})
    if failures:
        raise CheckFailed(source, day, failures)
    return stats
