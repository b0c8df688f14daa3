"""The daily data checks and the per-source report, on real Parquet written by the warehouse writer."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from provnews.stages.checks import CheckFailed, DayStats, evaluate, gather, run_checks
from provnews.stages.report import NOTE_LIMIT, SourceReport, build, note, summarise
from warehouse.writer import append_crawl_log, replace_partition, upsert_articles

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


def land(root: Path, urls: list[str], dated: bool = True, body: bool = True) -> None:
    published = datetime(2026, 11, 20, 8, tzinfo=UTC)
    rows = [{"article_id": hashlib.sha1(u.encode()).hexdigest(), "url": u, "title": f"Tin {i}",
             "published_at": published if dated else None, "body_text": "Nội dung bài viết." if body else "",
             "month": "2026-11", "crawled_at": published}
            for i, u in enumerate(urls)]
    upsert_articles(root, SOURCE, pa.Table.from_pylist(rows))


def urls(n: int, prefix: str = "a") -> list[str]:
    return [f"http://site.test/tin/{prefix}-{i}.html" for i in range(n)]


def test_a_healthy_day_passes_and_reports_its_numbers(tmp_path: Path) -> None:
    day_urls = urls(6)
    crawl_day(tmp_path, DAY, day_urls, errors=1)
    land(tmp_path, day_urls)
    stats = run_checks(tmp_path, SOURCE, DAY)
    assert (stats.fetched, stats.landed, stats.missing_date, stats.missing_body) == (6, 6, 0, 0)


def test_a_source_that_returned_nothing_fails(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, [], errors=3)
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY)
    assert "baotest returned nothing on 2026-11-21" in str(caught.value)
    assert "crawl_log source=baotest/dt=2026-11-21" in str(caught.value)


def test_articles_mostly_without_a_date_fail(tmp_path: Path) -> None:
    day_urls = urls(5)
    crawl_day(tmp_path, DAY, day_urls)
    land(tmp_path, day_urls[:1])
    land(tmp_path, day_urls[1:], dated=False)
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY)
    assert "4 of 5 articles (80%) lack a publication date" in str(caught.value)
    assert "lack a body" not in str(caught.value)


def test_articles_mostly_without_a_body_fail(tmp_path: Path) -> None:
    day_urls = urls(4)
    crawl_day(tmp_path, DAY, day_urls)
    land(tmp_path, day_urls, body=False)
    with pytest.raises(CheckFailed, match="4 of 4 articles \\(100%\\) lack a body"):
        run_checks(tmp_path, SOURCE, DAY)


def test_fetched_pages_that_never_landed_fail(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, urls(3))
    replace_partition(tmp_path, "quarantine", SOURCE, DAY.isoformat(), pa.Table.from_pylist(
        [{"url": u, "reason": "no_body", "dt": DAY.isoformat()} for u in urls(3)]))
    with pytest.raises(CheckFailed, match="3 article pages fetched but none landed .*3 quarantined"):
        run_checks(tmp_path, SOURCE, DAY)


def test_a_count_far_below_its_own_history_fails(tmp_path: Path) -> None:
    for back in range(1, 5):
        day = DAY - timedelta(days=back)
        crawl_day(tmp_path, day, urls(10, prefix=day.isoformat()))
    crawl_day(tmp_path, DAY, urls(1))
    land(tmp_path, urls(1))
    stats = gather(tmp_path, SOURCE, DAY)
    assert stats.history == (10, 10, 10, 10)
    failures = evaluate(stats)
    assert len(failures) == 1
    assert "1 articles, far below its usual 10 a day" in failures[0]


def test_volume_is_not_judged_without_enough_history() -> None:
    young = DayStats(SOURCE, DAY, fetched=1, landed=1, missing_date=0, missing_body=0, quarantined=0,
                     history=(50, 40))
    assert evaluate(young) == []


def test_a_report_counts_what_the_crawler_judged_and_the_load_did(tmp_path: Path) -> None:
    stats = {"run_id": "late", "by_status": {"200": 7, "304": 2, "404": 1}, "not_modified": 2,
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
