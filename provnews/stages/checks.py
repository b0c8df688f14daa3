"""Data checks run after a source's daily load: did the day's crawl give us usable articles?

The checks read only the warehouse (crawl_log, articles, quarantine), so they judge what actually landed
and need nothing but the warehouse path. A source's day ends ok, warning or failed, with a one-line text
a person can act on when it is not ok:

* failed: none of its listings, feeds or sitemaps answered (the site could not be reached or answered
  only errors; the crawl stage normally fails such a day first, with SiteUnreachable);
* failed: its articles mostly lack a title, a publication date or a body (the extractor or the site's markup
  broke), or the pages fetched never landed, or most of the day's article pages were quarantined;
* silent (listings answered, nothing new published): judged against its own rhythm, the median gap between
  its recent publishing days (published_date in the articles table). Silent for one usual gap (a day, for a
  daily paper) is a warning, for three gaps a failure; a weekly source is fine after three quiet days;
* warning: its article count falls far below its own recent history (a listing or sitemap stopped announcing
  most articles);
* warning: a listing's pager could not be followed (crawl_log rows `pager not followed: …`, written by the
  crawler and counted in its stats as pagers_unfollowed): the articles only behind that pager were not
  reached, however normal the day's count looks.
* warning: its error rate or its quarantine rate jumps above its own rate over the days before (the site
  answers errors, or its markup changed for part of its pages). The rates are those of `provnews sources
  status` (provnews.stages.health.RunCounts): the day's from its run's counts, the usual from its runs table.

"Articles of the day" are the distinct article URLs that crawl_log records as fetched with a 2xx on that
crawl day (all runs of the day together, so re-running a day does not make it look empty), each by the URL
that answered: a redirected article is known by its final URL, as the articles table knows it. A quiet day, or
a second run of a day, has none: that alone is no failure.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from crawler.crawl_log import PAGER_NOT_FOLLOWED
from provnews.stages.health import RunCounts
from warehouse.storage import Root

log = logging.getLogger(__name__)


class CheckFailed(Exception):
    """One source's day failed one or more data checks; str() is one line naming the source, day and failures.

    `result` is the whole verdict (counts, status, problem), for callers that report the day anyway."""

    def __init__(self, source: str, day: date, failures: list[str], result: CheckResult | None = None) -> None:
        self.source, self.day, self.failures, self.result = source, day, failures, result
        super().__init__(f"data checks failed for {source} on {day.isoformat()}: {'; '.join(failures)}")


@dataclass(frozen=True)
class Thresholds:
    max_missing_share: float = 0.5  # more than half the day's articles without a date (or a body) fails
    history_days: int = 14  # how far back "recent history" of daily counts looks, in crawl days
    min_history_days: int = 3  # fewer crawl days than this: too early to judge volume
    min_history_median: float = 4.0  # a source that usually brings fewer articles is too small to judge
    min_share_of_median: float = 0.25  # below a quarter of the usual count is "far below" (a warning)
    publishing_history: int = 15  # its rhythm: the median gap between its latest 15 publishing days
    min_publishing_days: int = 3  # fewer: its rhythm is unknown, and silence is a warning at most
    silent_gaps_warning: float = 1.0  # silent for one usual gap (one day, for a daily paper): a warning
    silent_gaps_failure: float = 3.0  # silent for three usual gaps: a failure
    max_quarantine_share: float = 0.5  # more than half the day's article records quarantined fails
    quarantine_jump: float = 0.25  # the day's quarantine rate this far above its usual one: a warning
    error_jump: float = 0.2  # the day's error rate this far above its usual one: a warning
    min_rate_records: int = 4  # fewer article records in the day: too few to judge its quarantine rate
    min_rate_requests: int = 10  # fewer requests in the day: too few to judge its error rate


@dataclass(frozen=True)
class DayStats:
    """What the warehouse says about one source's crawl day."""

    source: str
    day: date
    fetched: int  # distinct article URLs fetched with a 2xx
    landed: int  # of those, rows present in the articles table
    missing_date: int  # landed rows without published_at
    missing_body: int  # landed rows with an empty body (no paragraphs, or blank)
    quarantined: int  # quarantine rows of the day
    history: tuple[int, ...] = field(default=())  # `fetched` of earlier crawl days, newest first
    discovery_answered: int = 0  # listing, feed and sitemap fetches of the day answered 2xx or 304
    last_published: date | None = None  # its latest published_date on or before `day`
    usual_gap: float | None = None  # median days between its recent publishing days; None: too few known
    publishing_days: int = 0  # how many publishing days `usual_gap` was measured on
    pagers_unfollowed: int = 0  # listings whose pager the day's crawls could not follow
    pager_problem: str | None = None  # the first of them: `URL: why`
    missing_title: int = 0  # landed rows without a title
    today: RunCounts = field(default_factory=RunCounts)  # the day's run(s): requests, errors, records judged
    usual: RunCounts = field(default_factory=RunCounts)  # its runs of the `history_days` before the day

    @property
    def silent_days(self) -> int | None:
        """Days since its latest article was published (0: it published on `day`); None: nothing landed yet."""
        return (self.day - self.last_published).days if self.last_published else None

    def as_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["day"] = self.day.isoformat()
        doc["history"] = list(self.history)
        doc["last_published"] = self.last_published.isoformat() if self.last_published else None
        doc["silent_days"] = self.silent_days
        return doc


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one source's day: status ok | warning | failed and, when not ok, the one-line problem."""

    stats: DayStats
    failures: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return "failed" if self.failures else "warning" if self.warnings else "ok"

    @property
    def problem(self) -> str | None:
        return "; ".join(self.failures or self.warnings) or None

    def as_dict(self) -> dict[str, Any]:
        return {**self.stats.as_dict(), "status": self.status, "problem": self.problem}


def gather(root: Root, source: str, day: date, limits: Thresholds | None = None,
           counts: Mapping[str, Any] | None = None) -> DayStats:
    """Read the day's numbers and the source's recent history from the warehouse. `counts`: the day's run's
    counts (a SourceReport dict, not yet in the runs table); without them, the day's runs rows."""
    from provnews.stages.health import day_counts, usual_counts
    from warehouse import reader  # at run time only: keeps DAG parsing light

    limits = limits or Thresholds()
    daily = reader.articles_fetched_per_day(root, source, day - timedelta(days=limits.history_days), day)
    todays = daily.pop(day.isoformat(), 0)
    history = tuple(daily[d] for d in sorted(daily, reverse=True))
    landed, no_date, no_body, no_title = reader.landed_article_counts(root, source, day)
    quarantined = reader.count_rows(root, "quarantine", source, day.isoformat())
    published = reader.publishing_days(root, source, day, limits.publishing_history)
    gaps = [(newer - older).days for newer, older in zip(published, published[1:], strict=False)]
    usual = float(statistics.median(gaps)) if len(published) >= limits.min_publishing_days else None
    pagers = {url: error for url, error in reader.log_errors(root, source, day, PAGER_NOT_FOLLOWED)}
    first = next(iter(pagers.items()), None)
    return DayStats(source, day, todays, landed, no_date, no_body, quarantined, history,
                    reader.discovery_answered(root, source, day), published[0] if published else None,
                    usual, len(published), len(pagers),
                    f"{first[0]}: {first[1].removeprefix(PAGER_NOT_FOLLOWED + ': ')}" if first else None, no_title,
                    RunCounts.of([counts]) if counts is not None else day_counts(root, source, day),
                    usual_counts(root, source, day, limits.history_days))


def evaluate(stats: DayStats, limits: Thresholds | None = None) -> CheckResult:
    """Every failed check and every warning as a readable sentence (no failure and no warning: ok)."""
    limits = limits or Thresholds()
    if stats.discovery_answered == 0:
        return CheckResult(stats, failures=(_unanswered(stats),))
    failures = _incomplete(stats, limits) if stats.fetched else []
    if quarantine := _quarantined(stats, limits):
        failures.append(quarantine)
    warnings = [w for w in (_volume(stats, limits), _pagers(stats), _rate_jump(stats, limits)) if w]
    level, silence = _silence(stats, limits)
    if silence and not (failures and stats.last_published is None):  # "none landed" says it already
        (failures if level == "failed" else warnings).insert(0, silence)
    return CheckResult(stats, tuple(failures), tuple(warnings))


def _unanswered(s: DayStats) -> str:
    return (f"none of its listings, feeds or sitemaps answered: the site could not be reached or answered "
            f"only errors (see crawl_log source={s.source}/dt={s.day})")


def _incomplete(s: DayStats, limits: Thresholds) -> list[str]:
    if s.landed == 0:
        return [f"{s.fetched} article pages fetched but none landed in the articles table ({s.quarantined} "
                f"quarantined; see quarantine source={s.source}/dt={s.day})"]
    out = []
    for what, missing in (("a title", s.missing_title), ("a publication date", s.missing_date),
                          ("a body", s.missing_body)):
        share = missing / s.landed
        if share > limits.max_missing_share:
            out.append(f"{missing} of {s.landed} articles ({share:.0%}) lack {what} "
                       f"(limit {limits.max_missing_share:.0%}); the extractor or the site's markup changed")
    return out


def _silence(s: DayStats, limits: Thresholds) -> tuple[str, str]:
    """("failed" | "warning" | "ok", text): how long the source has been silent, against its own rhythm."""
    if s.silent_days is None:
        return "failed", ("its listings answered but none of its articles has landed yet (does the profile's "
                          "article_url_pattern match its links?)")
    days = f"{s.silent_days} day{'s' if s.silent_days != 1 else ''}"
    if s.usual_gap is None:
        rhythm = f"too few publishing days ({s.publishing_days}) to know its rhythm"
        return ("warning", f"no new article for {days} (last published {s.last_published}; {rhythm})") \
            if s.silent_days else ("ok", "")
    gaps = s.silent_days / max(s.usual_gap, 1.0)
    every = "every day" if s.usual_gap <= 1 else f"every {s.usual_gap:g} days"
    text = f"no new article for {days} (last published {s.last_published}; it usually publishes {every})"
    if gaps >= limits.silent_gaps_failure:
        return "failed", f"{text}: did its listings or its article URL pattern change?"
    return ("warning", text) if gaps >= limits.silent_gaps_warning else ("ok", "")


def _percent(rate: float | None) -> str:
    return "none known" if rate is None else f"{rate:.0%}"


def _quarantined(s: DayStats, limits: Thresholds) -> str:
    """Most of the day's article records quarantined: the extractor cannot read the site's pages any more."""
    rate = s.today.quarantine_rate
    if rate is None or s.today.records < limits.min_rate_records or rate <= limits.max_quarantine_share \
            or (s.fetched and not s.landed):  # "fetched but none landed" says it already
        return ""
    return (f"{s.today.quarantined} of {s.today.records} article pages ({rate:.0%}) quarantined (usual "
            f"{_percent(s.usual.quarantine_rate)}, limit {limits.max_quarantine_share:.0%}): did the site's "
            f"markup change? (see quarantine source={s.source}/dt={s.day})")


def _rate_jump(s: DayStats, limits: Thresholds) -> str:
    """The day's error or quarantine rate far above the source's own rate over the days before."""
    jumps = []
    if s.today.requests >= limits.min_rate_requests:
        jumps.append(_jump("requests failed", s.today.error_rate, s.usual.error_rate, limits.error_jump))
    quarantine = s.today.quarantine_rate
    if s.today.records >= limits.min_rate_records and (quarantine or 0.0) <= limits.max_quarantine_share:
        # above the share, the day failed already (_quarantined)
        jumps.append(_jump("article pages quarantined", quarantine, s.usual.quarantine_rate,
                           limits.quarantine_jump))
    return "; ".join(j for j in jumps if j)


def _jump(what: str, today: float | None, usual: float | None, jump: float) -> str:
    if today is None or today <= (usual or 0.0) + jump:
        return ""
    return f"{today:.0%} of its {what}, up from its usual {_percent(usual)}"


def _volume(s: DayStats, limits: Thresholds) -> str:
    if not s.fetched or len(s.history) < limits.min_history_days:
        return ""
    usual = statistics.median(s.history)
    if usual < limits.min_history_median or s.fetched >= usual * limits.min_share_of_median:
        return ""
    return (f"{s.fetched} articles, far below its usual {usual:g} a day (median of the last "
            f"{len(s.history)} crawl days: {list(s.history)}; limit {limits.min_share_of_median:.0%} of it)")


def _pagers(s: DayStats) -> str:
    if not s.pagers_unfollowed:
        return ""
    more = f" and {s.pagers_unfollowed - 1} more" if s.pagers_unfollowed > 1 else ""
    return (f"{PAGER_NOT_FOLLOWED} on {s.pagers_unfollowed} listing{'s' if s.pagers_unfollowed != 1 else ''}: "
            f"articles only behind it are not crawled ({s.pager_problem}{more}; see crawl_log "
            f"source={s.source}/dt={s.day})")


def run_checks(root: Root, source: str, day: date, limits: Thresholds | None = None,
               counts: Mapping[str, Any] | None = None) -> CheckResult:
    """Gather and evaluate; raise CheckFailed (with the result) when a check failed, else return the result,
    whose status is ok or warning. `counts`: the day's run's counts (see gather)."""
    result = evaluate(gather(root, source, day, limits, counts), limits)
    level = {"ok": logging.INFO, "warning": logging.WARNING}.get(result.status, logging.ERROR)
    log.log(level, "checks for %s on %s: %s", source, day, result.status,
            extra={**result.stats.as_dict(), "problem": result.problem})
    if result.failures:
        raise CheckFailed(source, day, list(result.failures), result)
    return result
