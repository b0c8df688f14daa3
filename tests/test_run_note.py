"""A source's day in counts, and the run note that sums up every source (the checks: tests/test_checks.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from provnews.stages.report import NOTE_LIMIT, SourceReport, build, note, summarise

SOURCE = "baotest"
DAY = date(2026, 11, 21)


def test_a_report_counts_what_the_crawler_judged_and_the_load_did(tmp_path: Path) -> None:
    stats = {"run_id": "late", "pages_fetched": 7, "not_modified": 2,
             "requests_failed": 1, "duration_s": 3.5}  # the 404 that ended pagination is not in requests_failed
    report = build(tmp_path, SOURCE, DAY, stats, new=3, updated=1, unchanged=2)
    assert (report.pages_fetched, report.not_modified, report.errors) == (7, 2, 1)
    assert (report.articles_new, report.articles_updated, report.articles_unchanged) == (3, 1, 2)
    assert report.line() == ("baotest 2026-11-21 ok: articles_new=3 articles_updated=1 articles_unchanged=2 "
                             "pages_fetched=7 not_modified=2 errors=1 quarantined=0")
    assert report.judged("warning", "quiet").label() == "baotest · warning · 3 new · 1 updated"


def test_summary_names_failed_sources_and_the_ones_that_left_no_reason() -> None:
    ok = SourceReport("a", "2026-11-21", "r", pages_fetched=5, articles_new=3, articles_updated=1,
                      quarantined=1).as_dict()
    quiet = SourceReport("q", "2026-11-21", "r", pages_fetched=2).judged("warning", "q: no new article today")
    failure = {"source": "b", "step": "crawl", "error": "crawl: b: site unreachable: connection refused",
               "counts": {"errors": 4}}
    result = summarise("2026-11-21", ["a", "b", "c", "q"], [ok, quiet.as_dict(), None], [None, failure],
                       "http://ui/provnews/reports/2026-11-21/index.html")
    assert result["failed"] == {"b": "crawl: b: site unreachable: connection refused",
                                "c": "no counts and no reason recorded (killed, timed out or upstream failed)"}
    assert result["totals"]["articles_new"] == 3 and result["totals"]["errors"] == 4
    note = result["note"]
    assert note.splitlines()[0] == "**provnews 2026-11-21**: 1 ok, 1 warning, 2 failed of 4 sources"
    assert "- FAILED b: crawl: b: site unreachable: connection refused" in note
    assert "- WARNING q: q: no new article today" in note
    assert "- a: 3 new · 1 updated · 0 unchanged · 5 pages fetched · 0 not modified · 0 errors · 1 quarantined" in note
    assert note.index("FAILED b") < note.index("WARNING q") < note.index("- a: ")  # attention first
    assert note.endswith("[full report](http://ui/provnews/reports/2026-11-21/index.html)")


def test_the_run_note_fits_airflow_and_keeps_the_link_for_300_sources() -> None:
    reports = [SourceReport(f"site{i:03d}", "2026-11-21", "r", pages_fetched=9, articles_new=6).as_dict()
               for i in range(300)]
    for r in reports[:120]:
        r.update(status="failed", problem="crawl: site unreachable: connection refused (12 of 12 requests)")
    link = "http://127.0.0.1:8080/provnews/reports/2026-11-21/index.html"
    text = note("2026-11-21", reports, link)
    assert len(text) <= NOTE_LIMIT
    assert "180 ok, 0 warning, 120 failed of 300 sources" in text and "1800 new" in text
    assert "- FAILED site000:" in text and "more sources: see the report" in text
    assert "- site" not in text  # no healthy source's line, when failures fill the note
    assert text.endswith(f"[full report]({link})")
