"""Per-source counts of one crawl day, in the shapes people read them: a log line, a JSON-able dict (Airflow
XCom, the runs table) and the Airflow run note.

One meaning for each count, the same name in the CLI, the logs, the run note, the runs table and the report:

* pages_fetched: HTTP responses with a 2xx status in the run (robots, listings, feeds, sitemaps, articles)
* not_modified: 304 answers to conditional requests
* errors: requests that finally failed (no response, 5xx, 4xx); a 404 past a listing's last page is the end
  of pagination, not an error
* articles_new / articles_updated / articles_unchanged: article records of the day's archive that the load
  added / replaced with a changed version / found already landed as they are (a second run of a day reloads
  the day's archive, so its articles count as unchanged)
* quarantined: pages of the day that could not be extracted

The crawl counts come from the crawler's own stats (what it judged, once), the article counts from the load.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from warehouse.storage import Root

log = logging.getLogger(__name__)

COUNT_FIELDS = ("articles_new", "articles_updated", "articles_unchanged", "pages_fetched", "not_modified",
                "errors", "quarantined")
SHORT_NAMES = {"articles_new": "new", "articles_updated": "updated", "articles_unchanged": "unchanged",
               "pages_fetched": "pages fetched", "not_modified": "not modified", "errors": "errors",
               "quarantined": "quarantined"}
STATUSES = ("ok", "warning", "failed")
NOTE_LIMIT = 1000  # Airflow's maximum length of a run note


@dataclass(frozen=True)
class SourceReport:
    """One source's crawl day: the counts, and how it went (status ok | warning | failed, with the problem)."""

    source: str
    day: str  # crawl day, YYYY-MM-DD (local)
    run_id: str | None = None
    pages_fetched: int = 0
    not_modified: int = 0
    errors: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    quarantined: int = 0
    duration_s: float | None = None  # the crawl's wall time
    status: str = "ok"
    problem: str | None = None

    @classmethod
    def of_crawl(cls, source: str, day: date, stats: Mapping[str, Any], **fields: Any) -> SourceReport:
        """The report of a crawl's summary (CrawlResult.summary(), crawler.crawl_stats.WORDS), with more
        fields (load counts, ...)."""
        return cls(source, day.isoformat(), stats.get("run_id"),
                   pages_fetched=int(stats.get("pages_fetched") or 0),
                   not_modified=int(stats.get("not_modified") or 0),
                   errors=int(stats.get("requests_failed") or 0),
                   duration_s=stats.get("duration_s"), **fields)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def judged(self, status: str, problem: str | None) -> SourceReport:
        return dataclasses.replace(self, status=status, problem=problem)

    def line(self) -> str:
        """`baohaiduong 2026-11-21 ok: pages_fetched=12 … quarantined=0`, for logs and the CLI."""
        counts = " ".join(f"{name}={getattr(self, name)}" for name in COUNT_FIELDS)
        why = f" ({self.problem})" if self.problem else ""
        return f"{self.source} {self.day} {self.status}{why}: {counts}"

    def label(self) -> str:
        """The short form a mapped task instance is named by: `baohaiduong · ok · 12 new · 0 updated`."""
        return f"{self.source} · {self.status} · {self.articles_new} new · {self.articles_updated} updated"


def quarantined(root: Root, source: str, day: date) -> int:
    from warehouse.reader import count_rows

    return count_rows(root, "quarantine", source, day.isoformat())


def build(root: Root, source: str, day: date, crawled: Mapping[str, Any], new: int, updated: int,
          unchanged: int) -> SourceReport:
    """The day's report from the crawl's summary (CrawlResult.summary()) and the load's counts."""
    report = SourceReport.of_crawl(source, day, crawled, articles_new=new, articles_updated=updated,
                                   articles_unchanged=unchanged, quarantined=quarantined(root, source, day))
    log.info("counts %s", report.line())
    return report


def plain(value: Any) -> Any:
    """A stage result (dataclass, pydantic model, dates, paths) as JSON-able data for an XCom."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def summarise(day: str, sources: Sequence[str], reports: Iterable[Any] | None,
              failures: Iterable[Any] | None, report_url: str | None = None) -> dict[str, Any]:
    """The day's result for every expected source: a report each, totals, which failed, and the run note.

    `reports` are SourceReport dicts of the sources that got through their checks (status ok or warning) and
    `failures` {source, step, error, counts?} dicts left by failing tasks (None entries, as Airflow returns for
    absent XComs, are ignored). A source with neither failed without saying why (killed, timed out, upstream
    failed): it is reported so, not dropped.
    """
    by_source = {r["source"]: dict(r) for r in reports or [] if r}
    for f in failures or []:
        if f and by_source.get(f["source"], {}).get("status") != "failed":  # the first failing step is the cause
            counts = {k: v for k, v in (f.get("counts") or {}).items() if k in COUNT_FIELDS}
            by_source[f["source"]] = {**SourceReport(f["source"], day).as_dict(), **counts,
                                      "status": "failed", "problem": one_line(str(f["error"]), 400)}
    for source in sources:
        if source not in by_source:
            by_source[source] = {**SourceReport(source, day).as_dict(), "status": "failed",
                                 "problem": "no counts and no reason recorded (killed, timed out or upstream failed)"}
    failed = {s: str(r["problem"]) for s, r in by_source.items() if r["status"] == "failed"}
    totals = {n: sum(int(r.get(n) or 0) for r in by_source.values()) for n in COUNT_FIELDS}
    return {"day": day, "sources": by_source, "failed": failed, "totals": totals, "report_url": report_url,
            "note": note(day, by_source.values(), report_url)}


def note(day: str, reports: Iterable[Mapping[str, Any]], report_url: str | None = None,
         limit: int = NOTE_LIMIT) -> str:
    """The run note: the day's totals, the sources that need attention, then the healthy ones with their counts
    while they fit Airflow's limit (folded into a count past it), and the link to the full report."""
    rows = sorted(reports, key=lambda r: (-STATUSES.index(r["status"]), r["source"]))
    by_status = {s: [r for r in rows if r["status"] == s] for s in STATUSES}
    totals = {n: sum(int(r.get(n) or 0) for r in rows) for n in COUNT_FIELDS}
    head = [f"**provnews {day}**: {len(by_status['ok'])} ok, {len(by_status['warning'])} warning, "
            f"{len(by_status['failed'])} failed of {len(rows)} sources", "", counts_text(totals), ""]
    tail = ["", f"[full report]({report_url})"] if report_url else []
    budget = limit - len("\n".join([*head, *tail])) - 1
    entries: list[str] = []
    for n, r in enumerate(rows):
        problem = one_line(str(r.get("problem") or ""), 140)
        entry = {"ok": f"- {r['source']}: {counts_text(r)}",
                 "warning": f"- WARNING {r['source']}: {problem} ({counts_text(r)})",
                 "failed": f"- FAILED {r['source']}: {problem}"}[r["status"]]
        fold = f"- … {len(rows) - n - 1} more sources: see the report" if n < len(rows) - 1 else ""
        if len(entry) + 1 + len(fold) + 1 > budget:
            entries.append(f"- … {len(rows) - n} more sources: see the report")
            break
        entries.append(entry)
        budget -= len(entry) + 1
    text = "\n".join([*head, *entries, *tail])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts_text(counts: Mapping[str, Any]) -> str:
    """`12 new · 0 updated · … · 0 quarantined`, the counts as a person reads them."""
    return " · ".join(f"{int(counts.get(n) or 0)} {SHORT_NAMES[n]}" for n in COUNT_FIELDS)


def one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
