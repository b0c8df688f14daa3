"""Per-source counts of one crawl day, in the shapes people read them: a log line, a JSON-able dict (Airflow
XCom) and a Markdown table (the Airflow run note and the summary task's log).

fetched and failed come from crawl_log (this run's fetch attempts when a run id is given); new and updated
from the load; quarantined from the quarantine partition of the day.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

COUNT_FIELDS = ("fetched", "new", "updated", "failed", "quarantined")


@dataclass(frozen=True)
class SourceReport:
    source: str
    day: str  # crawl day, YYYY-MM-DD (local)
    fetched: int  # responses with a 2xx or 304
    new: int  # article rows the load added
    updated: int  # article rows the load replaced with a changed version
    failed: int  # fetch attempts without a usable response (network error, 4xx, 5xx)
    quarantined: int  # pages that could not be extracted

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        counts = " ".join(f"{name}={getattr(self, name)}" for name in COUNT_FIELDS)
        return f"{self.source} {self.day}: {counts}"


def crawl_counts(root: Path, source: str, day: date, run_id: str | None = None) -> tuple[int, int]:
    """(fetched, failed) attempts in crawl_log for the day, only those of `run_id` when given."""
    import pyarrow.compute as pc

    from warehouse.reader import read_source

    where = pc.field("dt") == day.isoformat()
    if run_id is not None:
        where = where & (pc.field("run_id") == run_id)
    status = read_source(root, "crawl_log", source, ["status"], where).column("status")
    ok = pc.or_(pc.and_(pc.greater_equal(status, 200), pc.less(status, 300)), pc.equal(status, 304))
    fetched = int(pc.sum(pc.fill_null(ok, False).cast("int64")).as_py() or 0)
    return fetched, len(status) - fetched


def quarantined(root: Path, source: str, day: date) -> int:
    from warehouse.reader import count_rows

    return count_rows(root, "quarantine", source, day.isoformat())


def build(root: Path, source: str, day: date, new: int, updated: int,
          run_id: str | None = None) -> SourceReport:
    fetched, failed = crawl_counts(root, source, day, run_id)
    held = quarantined(root, source, day)
    report = SourceReport(source, day.isoformat(), fetched, new, updated, failed, held)
    log.info("counts %s", report.line(), extra=report.as_dict())
    return report


NOTE_LIMIT = 1000  # Airflow's maximum length of a run note


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
              failures: Iterable[Any] | None) -> dict[str, Any]:
    """The day's result for every expected source: counts, which failed (step and reason), a Markdown note.

    `reports` are SourceReport dicts of the loads that succeeded and `failures` {source, step, error} dicts
    left by failing tasks (None entries, as Airflow returns for absent XComs, are ignored). A source with
    neither failed without saying why (killed, timed out, upstream failed): it is reported so, not dropped.
    """
    by_source = {r["source"]: r for r in reports or [] if r}
    failed: dict[str, str] = {}
    for f in failures or []:
        if f and f["source"] not in failed:  # the first failing step is the cause
            failed[f["source"]] = str(f["error"])
    for source in sources:
        if source not in by_source and source not in failed:
            failed[source] = "no counts and no reason recorded (killed, timed out or upstream failed)"
    totals = {n: sum(int(r.get(n, 0)) for r in by_source.values()) for n in COUNT_FIELDS}
    return {"day": day, "sources": by_source, "failed": failed, "totals": totals,
            "note": markdown(day, by_source.values(), failed)}


def markdown(day: str, reports: Iterable[Mapping[str, Any]], problems: Mapping[str, str],
             limit: int = NOTE_LIMIT) -> str:
    """A Markdown table of the sources' counts, failed ones with their reason, at most `limit` characters.

    When every row does not fit, failed sources keep their rows and the healthy ones are folded into a count.
    """
    rows = {r["source"]: r for r in reports}
    header = ["source", *COUNT_FIELDS, "status"]
    head = [f"**provnews {day}**: {len(problems)} of {len(set(rows) | set(problems))} sources failed", "",
            "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    totals = [str(sum(int(r.get(n, 0)) for r in rows.values())) for n in COUNT_FIELDS]
    tail = ["| **total** | " + " | ".join(totals) + " | |"]
    body = {s: _row(s, rows.get(s), problems.get(s)) for s in sorted(set(rows) | set(problems))}
    text = "\n".join([*head, *body.values(), *tail])
    if len(text) <= limit:
        return text
    kept = [body[s] for s in sorted(problems)]
    folded = [f"| … {len(body) - len(kept)} healthy sources | " + " | " * len(COUNT_FIELDS) + " |"]
    text = "\n".join([*head, *kept, *folded, *tail])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(source: str, counts: Mapping[str, Any] | None, problem: str | None) -> str:
    values = [str(counts.get(n, "")) if counts else "–" for n in COUNT_FIELDS]
    status = f"FAILED {_one_line(problem)}" if problem else "ok"
    return "| " + " | ".join([source, *values, status]) + " |"


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.replace("|", "/").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
