"""The daily data checks on real Parquet written by the warehouse writer: ok, warning or failed, with why.

A small warehouse per test: crawl_log rows for the crawl days and article rows with the publication dates
that make up a source's rhythm (a daily paper, a weekly bulletin); last, the real pipeline on the replica."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from crawl_helpers import FAST
from replica_fixture import Replica

from provnews.settings import Settings
from provnews.stages.checks import CheckFailed, CheckResult, DayStats, Thresholds, evaluate, gather, run_checks
from provnews.stages.crawl import crawl
from provnews.stages.load import load
from provnews.stages.transform import transform
from warehouse.writer import append_crawl_log, record_runs, replace_partition, upsert_articles

SOURCE = "baotest"
DAY = date(2026, 11, 21)
LISTING = "http://site.test/"


def crawl_day(root: Path, day: date, urls: list[str], errors: int = 0, listing_status: int | None = 200,
              run_id: str = "r1") -> None:
    """crawl_log of one day: the listing (200, 304, 503, or None: no connection), the article fetches (2xx)
    and `errors` failed article fetches."""
    listing_error = None if listing_status and listing_status < 400 else f"HTTP {listing_status}"
    rows = [{"url": LISTING, "kind": "listing", "status": listing_status,
             "error": listing_error if listing_status else "connection refused"}]
    rows += [{"url": u, "canonical_url": u, "kind": "article", "status": 200} for u in urls]
    rows += [{"url": f"http://site.test/broken-{i}", "kind": "article", "status": 500, "error": "HTTP 500"}
             for i in range(errors)]
    when = datetime.combine(day, time(3), UTC)
    for i, row in enumerate(rows):
        row.update(run_id=run_id, fetched_at=when + timedelta(seconds=i))
    append_crawl_log(root, SOURCE, day.isoformat(), pa.Table.from_pylist(rows))


def land(root: Path, urls: list[str], published: date = DAY, dated: bool = True, body: bool = True,
         titled: bool = True) -> None:
    at = datetime.combine(published, time(1), UTC)  # 08:00 in Vietnam, the same local day
    rows = [{"article_id": hashlib.sha1(u.encode()).hexdigest(), "url": u, "title": f"Tin {i}" if titled else "",
             "published_at": at if dated else None, "published_date": published,
             "body_text": "Nội dung bài viết." if body else "", "crawled_at": at}
            for i, u in enumerate(urls)]
    upsert_articles(root, SOURCE, pa.Table.from_pylist(rows))


def urls(n: int, prefix: str = "a") -> list[str]:
    return [f"http://site.test/tin/{prefix}-{i}.html" for i in range(n)]


def published_on(root: Path, days: list[date]) -> None:
    """Two articles on each of `days`: the source's publishing history."""
    for day in days:
        land(root, urls(2, prefix=day.isoformat()), published=day)


def quiet_day(root: Path, silent: int, every: int = 1) -> None:
    """The listing answered 304 on DAY; the source last published `silent` days before, every `every` days."""
    last = DAY - timedelta(days=silent)
    published_on(root, [last - timedelta(days=every * n) for n in range(10)])
    crawl_day(root, DAY, [], listing_status=304)


def test_a_healthy_day_is_ok_and_reports_its_numbers(tmp_path: Path) -> None:
    day_urls = urls(6)
    crawl_day(tmp_path, DAY, day_urls, errors=1)
    land(tmp_path, day_urls)
    result = run_checks(tmp_path, SOURCE, DAY)
    assert (result.status, result.problem) == ("ok", None)
    stats = result.stats
    assert (stats.fetched, stats.landed, stats.missing_date, stats.missing_body) == (6, 6, 0, 0)
    assert (stats.discovery_answered, stats.silent_days) == (1, 0)
    assert result.as_dict()["status"] == "ok" and result.as_dict()["last_published"] == "2026-11-21"


def test_a_pager_the_crawl_could_not_follow_makes_a_healthy_day_a_warning(tmp_path: Path) -> None:
    """The crawler's `pager not followed` rows (one per listing; any other error row does not count)."""
    day_urls = urls(6)
    crawl_day(tmp_path, DAY, day_urls)
    land(tmp_path, day_urls)
    when = datetime.combine(DAY, time(4), UTC)
    append_crawl_log(tmp_path, SOURCE, DAY.isoformat(), pa.Table.from_pylist([
        {"run_id": "r1", "url": f"{LISTING}{name}", "kind": "listing", "fetched_at": when + timedelta(seconds=i),
         "error": error} for i, (name, error) in enumerate([
            ("tin-tuc/Default.aspx", "pager not followed: a javascript:__doPostBack pager, and the profile ..."),
            ("su-kien/Default.aspx", "pager not followed: posting the form back for page 2 answered HTTP 500"),
            ("other", "bad url: empty (in http://site.test/)")])]))

    result = run_checks(tmp_path, SOURCE, DAY)

    assert result.status == "warning" and result.stats.pagers_unfollowed == 2
    assert result.problem == (
        "pager not followed on 2 listings: articles only behind it are not crawled (http://site.test/su-kien/"
        "Default.aspx: posting the form back for page 2 answered HTTP 500 and 1 more; see crawl_log "
        "source=baotest/dt=2026-11-21)")


def test_a_daily_paper_silent_for_one_day_is_a_warning(tmp_path: Path) -> None:
    quiet_day(tmp_path, silent=1)
    result = run_checks(tmp_path, SOURCE, DAY)
    assert result.status == "warning"
    assert result.problem == ("no new article for 1 day (last published 2026-11-20; "
                              "it usually publishes every day)")


def test_a_daily_paper_silent_for_three_days_fails(tmp_path: Path) -> None:
    quiet_day(tmp_path, silent=3)
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY)
    assert str(caught.value) == (
        "data checks failed for baotest on 2026-11-21: no new article for 3 days (last published 2026-11-18; "
        "it usually publishes every day): did its listings or its article URL pattern change?")
    assert caught.value.result is not None and caught.value.result.status == "failed"


def test_a_weekly_source_is_fine_after_three_quiet_days(tmp_path: Path) -> None:
    quiet_day(tmp_path, silent=3, every=7)
    result = run_checks(tmp_path, SOURCE, DAY)
    assert (result.status, result.stats.usual_gap, result.stats.silent_days) == ("ok", 7.0, 3)


def test_the_thresholds_are_the_callers_to_choose(tmp_path: Path) -> None:
    quiet_day(tmp_path, silent=3, every=7)
    strict = Thresholds(silent_gaps_warning=0.25, silent_gaps_failure=1.0)
    assert run_checks(tmp_path, SOURCE, DAY, strict).problem == (
        "no new article for 3 days (last published 2026-11-18; it usually publishes every 7 days)")


def test_a_site_that_answered_only_errors_fails(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, [], errors=3, listing_status=503)
    published_on(tmp_path, [DAY - timedelta(days=n) for n in range(1, 5)])
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY)
    assert caught.value.failures == ["none of its listings, feeds or sitemaps answered: the site could not be "
                                     "reached or answered only errors (see crawl_log source=baotest/dt=2026-11-21)"]


def test_a_source_whose_listings_answer_but_that_never_landed_an_article_fails(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, [])
    with pytest.raises(CheckFailed, match="its listings answered but none of its articles has landed yet"):
        run_checks(tmp_path, SOURCE, DAY)


def test_a_young_source_with_no_rhythm_yet_is_a_warning_when_quiet(tmp_path: Path) -> None:
    published_on(tmp_path, [DAY - timedelta(days=5)])
    crawl_day(tmp_path, DAY, [], listing_status=304)
    result = run_checks(tmp_path, SOURCE, DAY)
    assert result.status == "warning" and "too few publishing days (1) to know its rhythm" in str(result.problem)


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


def test_articles_mostly_without_a_title_fail(tmp_path: Path) -> None:
    day_urls = urls(4)
    crawl_day(tmp_path, DAY, day_urls)
    land(tmp_path, day_urls[:1])
    land(tmp_path, day_urls[1:], titled=False)
    with pytest.raises(CheckFailed, match="3 of 4 articles \\(75%\\) lack a title"):
        run_checks(tmp_path, SOURCE, DAY)


def usual_days(root: Path, days: int = 5, **counts: int) -> None:
    """Runs rows of the `days` crawl days before DAY: the source's usual rates."""
    record_runs(root, [{"source": SOURCE, "dt": (DAY - timedelta(days=n)).isoformat(), "run_id": f"r-{n}",
                        "status": "ok", **counts} for n in range(1, days + 1)])


def test_most_of_the_days_pages_quarantined_fail_naming_the_markup(tmp_path: Path) -> None:
    usual_days(tmp_path, pages_fetched=20, articles_new=10)
    crawl_day(tmp_path, DAY, urls(8))
    land(tmp_path, urls(8)[:3])
    day = {"pages_fetched": 12, "articles_new": 3, "quarantined": 5}  # the day's run's counts (SourceReport)
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY, counts=day)
    assert caught.value.failures == ["5 of 8 article pages (62%) quarantined (usual 0%, limit 50%): did the "
                                     "site's markup change? (see quarantine source=baotest/dt=2026-11-21)"]


def test_a_quarantine_or_error_rate_jump_over_its_own_history_is_a_warning(tmp_path: Path) -> None:
    usual_days(tmp_path, pages_fetched=19, errors=1, articles_new=10)  # 5% errors, nothing quarantined
    crawl_day(tmp_path, DAY, urls(10))
    land(tmp_path, urls(10))
    result = run_checks(tmp_path, SOURCE, DAY, counts={"pages_fetched": 14, "errors": 6, "articles_new": 7,
                                                       "quarantined": 3})
    assert result.status == "warning"
    assert result.problem == ("30% of its requests failed, up from its usual 5%; "
                              "30% of its article pages quarantined, up from its usual 0%")
    steady = run_checks(tmp_path, SOURCE, DAY, counts={"pages_fetched": 19, "errors": 1, "articles_new": 10})
    assert steady.status == "ok"


def test_without_the_days_counts_the_runs_rows_of_the_day_are_judged(tmp_path: Path) -> None:
    usual_days(tmp_path, pages_fetched=20, articles_new=10)
    crawl_day(tmp_path, DAY, urls(10))
    land(tmp_path, urls(10))
    record_runs(tmp_path, [{"source": SOURCE, "dt": DAY.isoformat(), "run_id": "r-0", "status": "ok",
                            "pages_fetched": 10, "articles_new": 6, "quarantined": 4}])
    result = run_checks(tmp_path, SOURCE, DAY)
    assert (result.stats.today.records, result.stats.usual.runs) == (10, 5)
    assert result.problem == "40% of its article pages quarantined, up from its usual 0%"


def test_fetched_pages_that_never_landed_fail(tmp_path: Path) -> None:
    crawl_day(tmp_path, DAY, urls(3))
    replace_partition(tmp_path, "quarantine", SOURCE, DAY.isoformat(), pa.Table.from_pylist(
        [{"url": u, "reason": "no_body", "dt": DAY.isoformat()} for u in urls(3)]))
    with pytest.raises(CheckFailed) as caught:
        run_checks(tmp_path, SOURCE, DAY)
    assert caught.value.failures == ["3 article pages fetched but none landed in the articles table "
                                     "(3 quarantined; see quarantine source=baotest/dt=2026-11-21)"]


def test_a_count_far_below_its_own_history_is_a_warning(tmp_path: Path) -> None:
    for back in range(1, 5):
        day = DAY - timedelta(days=back)
        crawl_day(tmp_path, day, urls(10, prefix=day.isoformat()))
    crawl_day(tmp_path, DAY, urls(1))
    land(tmp_path, urls(1))
    stats = gather(tmp_path, SOURCE, DAY)
    assert stats.history == (10, 10, 10, 10)
    result = evaluate(stats)
    assert result.status == "warning"
    assert result.problem is not None and result.problem.startswith("1 articles, far below its usual 10 a day")


def test_volume_is_not_judged_without_enough_history() -> None:
    young = DayStats(SOURCE, DAY, fetched=1, landed=1, missing_date=0, missing_body=0, quarantined=0,
                     history=(50, 40), discovery_answered=1, last_published=DAY, usual_gap=1.0,
                     publishing_days=5)
    assert evaluate(young).status == "ok"


@pytest.mark.slow
def test_a_replica_day_crawled_again_is_ok_and_the_next_quiet_day_a_warning(replica: Replica,
                                                                             tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    source, day = "tinhuyhaiduong", replica.today  # the replica's clock stays at `day` throughout

    def pipeline(on: date, backfill: bool = False) -> CheckResult:
        crawled = crawl(settings, source, on, backfill, overrides=FAST).check()
        load(settings, source, on, transform(settings, source, on))
        assert backfill or crawled.stats.new_articles == 0  # nothing new: the warehouse holds it all
        return run_checks(settings.warehouse, source, on)

    pipeline(day, backfill=True)
    again = pipeline(day)
    assert (again.status, again.stats.silent_days, again.stats.usual_gap) == ("ok", 0, 1.0)

    next_day = pipeline(day + timedelta(days=1))
    assert (next_day.status, next_day.stats.fetched) == ("warning", 0)
    assert next_day.problem == f"no new article for 1 day (last published {day}; it usually publishes every day)"
