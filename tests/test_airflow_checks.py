"""The daily data checks and the per-source report, on real Parquet written by the warehouse writer."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from provnews.stages.checks import CheckFailed, DayStats, evaluate, gather, run_checks
from provnews.stages.report import NOTE_LIMIT, build, markdown, summarise
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
