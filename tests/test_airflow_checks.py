"""The per-source report, on real Parquet written by the warehouse writer (the checks: tests/test_checks.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from provnews.stages.report import NOTE_LIMIT, build, markdown, summarise
from warehouse.writer import append_crawl_log

SOURCE = "baotest"
DAY = date(2026, 11, 21)


def crawl_day(root: Path, day: date, urls: list[str], errors: int = 0, run_id: str = "r1") -> None:
    """crawl_log of one day: a listing, the article fetches (2xx) and `errors` failed fetches."""
    rows = [{"url": "http://site.test/", "kind": "listing", "status": 200}]
    rows += [{"url": u, "canonical_url": u, "kind": "article", "status": 200} for u in urls]
    rows += [{"url": f"http://site.test/broken-{i}", "kind": "article", "status": 500, "error": "500"}
             for i in range(errors)]
    when = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=3)
    for i, row in enumerate(rows):
        row.update(run_id=run_id, fetched_at=when + timedelta(seconds=i))
    append_crawl_log(root, SOURCE, day.isoformat(), pa.Table.from_pylist(rows))


def urls(n: int, prefix: str = "a") -> list[str]:
    return [f"http://site.test/tin/{prefix}-{i}.html" for i in range(n)]


def test_report_counts_this_run_from_crawl_log_and_quarantine(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, urls(2), errors=1, run_id="early")
    crawl_day(tmp_path, DAY, urls(3, prefix="b"), errors=2, run_id="late")
    report = build(tmp_path, SOURCE, DAY, new=3, updated=0, run_id="late")
    assert (report.fetched, report.failed, report.new, report.quarantined) == (4, 2, 3, 0)
    assert report.line() == "baotest 2026-11-21: fetched=4 new=3 updated=0 failed=2 quarantined=0"


def test_summary_names_failed_sources_and_the_ones_that_left_no_reason() -> None:
    ok = {"source": "a", "day": "2026-11-21", "fetched": 5, "new": 3, "updated": 1, "failed": 0,
          "quarantined": 1}
    failure = {"source": "b", "step": "crawl", "error": "crawl: CrawlFailed: nothing was fetched"}
    result = summarise("2026-11-21", ["a", "b", "c"], [ok, None], [None, failure])
    assert result["failed"] == {"b": "crawl: CrawlFailed: nothing was fetched",
                                "c": "no counts and no reason recorded (killed, timed out or upstream failed)"}
    assert result["totals"]["new"] == 3
    assert "| a | 5 | 3 | 1 | 0 | 1 | ok |" in result["note"]
    assert "| b | – | – | – | – | – | FAILED crawl: CrawlFailed: nothing was fetched |" in result["note"]


def test_the_run_note_fits_airflow_and_keeps_the_failures() -> None:
    reports = [{"source": f"site{i:02d}", "fetched": 9, "new": 6, "updated": 0, "failed": 0, "quarantined": 0}
               for i in range(60)]
    note = markdown("2026-11-21", reports, {"site07": "crawl: CrawlFailed: nothing was fetched"})
    assert len(note) <= NOTE_LIMIT
    assert "site07" in note and "healthy sources" in note and "| **total** | 540 | 360 |" in note
