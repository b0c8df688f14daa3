"""Source health: how each source has been doing lately, from what every run recorded in the warehouse.

Every run of a source, in the DAG, `provnews run` or `make demo`, lands a row in the runs table (its counts,
status and problem, see provnews.stages.report); the articles table has what was published. From those:

* last run / last ok: the latest crawl day with a run, and the latest whose run ended ok or warning (its
  crawl and load worked and its checks passed);
* articles per day: articles by publication day (local) over the window (default 14 days up to the day);
* error rate: of the requests its runs in the window made (pages fetched, not modified, failed), the share
  that finally failed;
* quarantine rate: of the article records its loads in the window judged (new, updated, unchanged,
  quarantined), the share quarantined: pages the extractor could not read (a site whose markup changed);
* last failure / last warning: the crawl day and problem (which check, and why) of its latest failed and
  latest warning run.

The same RunCounts feed the daily checks (provnews.stages.checks): a day's error and quarantine rates are
judged against the source's own rates over the window before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from warehouse.storage import Root

WINDOW_DAYS = 14  # how far back the figures look, in days, the day included
STALE_AFTER_DAYS = 2  # no run for more days than this before the day: the source is not being crawled
_DAYS = ("last_run", "last_ok", "last_failed", "last_warning")  # crawl days, YYYY-MM-DD text in the runs table


@dataclass(frozen=True)
class RunCounts:
    """Counts summed over runs rows (or SourceReport dicts: the same names), and the two rates."""

    runs: int = 0
    requests: int = 0  # pages fetched + not modified + failed requests
    errors: int = 0  # requests that finally failed
    records: int = 0  # article records the loads judged: new + updated + unchanged + quarantined
    quarantined: int = 0

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> RunCounts:
        rows = list(rows)

        def total(*names: str) -> int:
            return sum(int(r.get(n) or 0) for r in rows for n in names)

        return cls(len(rows), total("pages_fetched", "not_modified", "errors"), total("errors"),
                   total("articles_new", "articles_updated", "articles_unchanged", "quarantined"),
                   total("quarantined"))

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.requests if self.requests else None

    @property
    def quarantine_rate(self) -> float | None:
        return self.quarantined / self.records if self.records else None


@dataclass(frozen=True)
class SourceHealth:
    source: str
    day: date  # the last day of the window
    articles_per_day: tuple[int, ...]  # by publication day, oldest first, one per day of the window
    window: RunCounts = field(default_factory=RunCounts)
    last_run: date | None = None
    last_status: str | None = None  # status of the latest run
    last_ok: date | None = None
    last_ok_at: datetime | None = None  # when that run finished
    last_published: date | None = None
    last_failed: date | None = None
    last_failed_problem: str | None = None
    last_warning: date | None = None
    last_warning_problem: str | None = None

    @property
    def health(self) -> str:
        """ok | warning | failed (its latest run), stale (no run for more than STALE_AFTER_DAYS) or no run."""
        if self.last_run is None:
            return "no run"
        if (self.day - self.last_run).days > STALE_AFTER_DAYS:
            return "stale"
        return self.last_status or "no run"

    @property
    def articles_mean(self) -> float:
        return sum(self.articles_per_day) / max(len(self.articles_per_day), 1)

    @property
    def silent_days(self) -> int | None:
        return (self.day - self.last_published).days if self.last_published else None

    def as_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.update(since=window_start(self.day, len(self.articles_per_day)), health=self.health,
                   articles_mean=round(self.articles_mean, 2), silent_days=self.silent_days,
                   articles_per_day=list(self.articles_per_day), error_rate=self.window.error_rate,
                   quarantine_rate=self.window.quarantine_rate)
        return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in doc.items()}


def window_start(day: date, days: int = WINDOW_DAYS) -> date:
    return day - timedelta(days=days - 1)


def source_health(root: Root, day: date, sources: Iterable[str] = (),
                  days: int = WINDOW_DAYS) -> list[SourceHealth]:
    """The health of `sources` and of every source the warehouse has runs or articles of, sorted by id."""
    from warehouse import reader  # at run time only: keeps DAG parsing light

    since = window_start(day, days)
    runs = reader.runs_between(root, since, day)
    milestones = reader.run_milestones(root, day)
    published = reader.last_published(root, day)
    per_day: dict[str, dict[str, int]] = {}
    for pub_day, source, n in reader.articles_per_day(root, since, day):
        per_day.setdefault(source, {})[pub_day] = n
    names = sorted(set(sources) | set(milestones) | set(published))
    dates = [(since + timedelta(days=i)).isoformat() for i in range(days)]
    return [SourceHealth(name, day, tuple(per_day.get(name, {}).get(d, 0) for d in dates),
                         RunCounts.of(r for r in runs if r["source"] == name), last_published=published.get(name),
                         **_milestones(milestones.get(name, {})))
            for name in names]


def _milestones(row: dict[str, Any]) -> dict[str, Any]:
    """A reader.run_milestones row as SourceHealth fields: its crawl days (YYYY-MM-DD text) as dates."""
    return {k: (date.fromisoformat(v) if v else None) if k in _DAYS else v for k, v in row.items()}


def usual_counts(root: Root, source: str, day: date, days: int = WINDOW_DAYS) -> RunCounts:
    """The source's runs over the window before `day` (the day itself left out): what the day is judged by."""
    from warehouse import reader

    return RunCounts.of(reader.runs_between(root, window_start(day, days), day - timedelta(days=1), source))


def day_counts(root: Root, source: str, day: date) -> RunCounts:
    """The runs already recorded for `day` (a re-check of a day that ran)."""
    from warehouse import reader

    return RunCounts.of(reader.runs_between(root, day, day, source))
