"""Recovery by construction: whatever stops a fetched page from landing (a crawl that failed its checks, a
transform that crashed, a load killed half-way, a damaged archive, an older extractor's quarantine), the
following runs land it, once. What the crawler holds is what the warehouse landed, not what crawl_log says
was fetched.

The replica is real (HTTP on loopback, its fault mode for the bad day); one site, thaibinhtv, a small world.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import MakeReplica
from crawl_helpers import FAST, crawl_log
from replica_fixture import Replica

import provnews.stages.run as run_stage
from provnews.settings import Settings
from provnews.stages.crawl import backfilled, crawl
from provnews.stages.load import load, load_tables
from provnews.stages.report import SourceReport
from provnews.stages.run import run
from provnews.stages.transform import transform
from replica import gold
from replica.faults import Faults
from replica.world import WorldConfig
from transforms.version import EXTRACTOR_VERSION
from warehouse.reader import read_source
from warehouse.schema import QUARANTINE
from warehouse.writer import append_crawl_log, read_partition, replace_partition, upsert_articles

SITE = "thaibinhtv"
WORLD = WorldConfig(per_day=6, days=12)
FIRST = WORLD.end - timedelta(days=3)
# 90 % of requests reset, up to 20 in a row: four tries get about a third of the pages, and the crawl fails
RESETS = Faults(reset=0.9, max_in_a_row=20, seed=0)


@pytest.fixture
def site(make_replica: MakeReplica, tmp_path: Path) -> Iterator[tuple[Replica, Settings]]:
    replica = make_replica(WORLD, today=FIRST)
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    yield replica, settings


def day_of(replica: Replica, n: int, faults: Faults | None = None) -> date:
    """Crawl day FIRST + n, with the replica's clock and faults set for it."""
    day = FIRST + timedelta(days=n)
    replica.set_today(day)
    replica.server.faults = faults or Faults()
    return day


def run_day(settings: Settings, day: date) -> SourceReport:
    return run(settings, SITE, day, crawl_overrides=FAST)


def crawl_and_load(settings: Settings, day: date) -> None:
    """The DAG's way: crawl, then transform + load, no step before the crawl."""
    result = crawl(settings, SITE, day, overrides=FAST)
    if result.ok:
        load(settings, SITE, day, transform(settings, SITE, day))


def assert_every_gold_article_once(replica: Replica, settings: Settings) -> None:
    """Every article the site shows today is one row, with the publication time of the gold; nothing else."""
    expected = {r["url"]: datetime.fromisoformat(r["published_at"])
                for r in gold.records(replica.world, replica.today, replica.port, [SITE])}
    rows = read_source(settings.warehouse, "articles", SITE, ["url", "published_at"]).to_pylist()
    counts = Counter(r["url"] for r in rows)
    assert sorted(set(expected) - set(counts)) == [], "lost"
    assert [u for u, n in counts.items() if n > 1 or u not in expected] == [], "duplicated or unknown"
    assert [r["url"] for r in rows if r["published_at"] != expected[r["url"]]] == [], "wrong date"


def requested(settings: Settings, run_id: str, status: int) -> set[str]:
    rows = crawl_log(settings.warehouse, f"run_id = '{run_id}' and kind = 'article' and status = {status}")
    return {r["canonical_url"] for r in rows}


def fetched_ok(settings: Settings, day: date) -> set[str]:
    return {r["canonical_url"] for r in crawl_log(
        settings.warehouse, f"dt = '{day}' and kind = 'article' and status between 200 and 299")}


@pytest.mark.slow
@pytest.mark.parametrize("bad", [0, 1], ids=["failed-backfill", "failed-daily"])
def test_a_failed_day_followed_by_healthy_days_lands_every_gold_article_once(
        site: tuple[Replica, Settings], bad: int) -> None:
    replica, settings = site
    for n in range(4):
        day = day_of(replica, n, RESETS if n == bad else None)
        report = run_day(settings, day)
        if n == bad:
            assert report.status == "failed" and "error rate" in (report.problem or ""), report.line()
            assert fetched_ok(settings, day), "some pages of the bad day came through"
            assert backfilled(settings, SITE) == (bad > 0)  # a failed backfill does not count as one
        else:
            assert report.status == "ok", report.line()
        if n == bad + 1:  # it loaded the bad day from its archive before crawling: nothing asked twice
            assert not requested(settings, report.run_id or "", 200) & fetched_ok(settings, FIRST + timedelta(bad))
            assert backfilled(settings, SITE), "a failed backfill is followed by another backfill"
    assert_every_gold_article_once(replica, settings)
    runs = read_source(settings.warehouse, "runs", SITE, ["dt", "status", "articles_new"]).to_pylist()
    bad_day = (FIRST + timedelta(days=bad)).isoformat()
    # the bad day has its failed run, and the row of its load from the archive by the next run
    assert sorted((r["status"], r["articles_new"] > 0) for r in runs if r["dt"] == bad_day) == [
        ("failed", False), ("ok", True)]


@pytest.mark.slow
def test_without_the_archive_step_the_crawler_fetches_again_what_never_landed(
        site: tuple[Replica, Settings]) -> None:
    """Without the archive step (a crawl alone, or a recovery load that failed again) the crawler itself asks
    again, never conditionally, for a page that did not land (the bug: it sent If-Modified-Since, got 304,
    and never loaded the article)."""
    replica, settings = site
    crawl_and_load(settings, day_of(replica, 0))
    bad = day_of(replica, 1, RESETS)
    assert not crawl(settings, SITE, bad, overrides=FAST).ok
    got_through = fetched_ok(settings, bad)
    healthy = crawl(settings, SITE, day_of(replica, 2), overrides=FAST).check()
    assert healthy.stats.articles_owed >= len(got_through) > 0
    assert got_through <= requested(settings, healthy.run_id, 200)  # fetched again, with a body
    assert not got_through & requested(settings, healthy.run_id, 304)
    load(settings, SITE, healthy.day, transform(settings, SITE, healthy.day))
    assert_every_gold_article_once(replica, settings)


@pytest.mark.slow
def test_a_transform_that_crashed_fails_its_day_and_the_next_run_loads_it(
        site: tuple[Replica, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    replica, settings = site
    run_day(settings, day_of(replica, 0))
    day = day_of(replica, 1)

    def crash(*args: Any) -> None:
        raise MemoryError("the extractor ran out of memory")

    with monkeypatch.context() as patch:
        patch.setattr(run_stage, "transform", crash)
        report = run_day(settings, day)
    assert (report.status, report.problem) == ("failed", "load: MemoryError: the extractor ran out of memory")
    assert report.pages_fetched > 0  # the crawl's counts are kept, and the row landed
    assert read_source(settings.warehouse, "runs", SITE, ["run_id"]).column("run_id").to_pylist().count(
        report.run_id) == 1
    assert run_day(settings, day_of(replica, 2)).status == "ok"
    assert_every_gold_article_once(replica, settings)


@pytest.mark.slow
def test_a_load_killed_half_way_is_finished_by_the_next_run(site: tuple[Replica, Settings]) -> None:
    replica, settings = site
    run_day(settings, day_of(replica, 0))
    day = day_of(replica, 1)
    assert crawl(settings, SITE, day, overrides=FAST).ok
    articles, _ = transform(settings, SITE, day).to_arrow()
    assert articles.num_rows >= 2
    # what a kill between two month partitions leaves: some rows landed, the quarantine partition not replaced
    upsert_articles(settings.warehouse, SITE, articles.slice(0, articles.num_rows // 2))
    assert run_day(settings, day_of(replica, 2)).status == "ok"
    assert_every_gold_article_once(replica, settings)


@pytest.mark.slow
def test_a_damaged_archive_is_fetched_again(site: tuple[Replica, Settings], caplog: pytest.LogCaptureFixture) -> None:
    """The archives lost nine tenths (a disk that filled up, a copy cut short). The load reads what is intact,
    never part of a page; running the day again fetches the pages that did not land, and the listings and
    feeds whose archived copy (which their 304 points to) is gone."""
    replica, settings = site
    run_day(settings, day_of(replica, 0))
    day = day_of(replica, 1)
    crawl(settings, SITE, day, overrides=FAST).check()
    for warc in settings.warehouse.glob(f"raw/source={SITE}/dt=*/*.warc.gz"):
        os.truncate(warc, warc.stat().st_size // 10)
    load(settings, SITE, day, transform(settings, SITE, day))
    with caplog.at_level(logging.WARNING):
        again = run_day(settings, day)  # nothing changed on the site since: discovery pages answer 304
    assert again.status == "ok", again.line()
    assert any(r.getMessage() == "archived copy unreadable, fetching the page again" for r in caplog.records)
    assert requested(settings, again.run_id or "", 200) & fetched_ok(settings, day)
    assert_every_gold_article_once(replica, settings)


@pytest.mark.slow
def test_a_quarantine_of_an_older_extractor_is_redone_and_a_current_one_stands(
        site: tuple[Replica, Settings]) -> None:
    replica, settings = site
    backfill_day, daily = day_of(replica, 0), FIRST + timedelta(days=1)
    run_day(settings, backfill_day)
    run_day(settings, day_of(replica, 1))
    released = quarantine_instead(settings, daily, "0.9.0")  # an older extractor could not read it
    kept = quarantine_instead(settings, backfill_day, EXTRACTOR_VERSION)  # this extractor's verdict: final

    report = run_day(settings, day_of(replica, 2))
    assert report.status == "ok", report.line()
    urls = set(read_source(settings.warehouse, "articles", SITE, ["url"]).column("url").to_pylist())
    assert released in urls and kept not in urls
    redone = read_partition(settings.warehouse, "quarantine", SITE, daily.isoformat())
    assert released not in redone.column("url").to_pylist()
    assert set(redone.column("extractor_version").to_pylist()) <= {EXTRACTOR_VERSION}
    assert kept in read_partition(settings.warehouse, "quarantine", SITE, backfill_day.isoformat()).column(
        "url").to_pylist()
    asked = requested(settings, report.run_id or "", 200)
    assert released not in asked and kept not in asked  # the first from its archive, the second not at all
    runs = read_source(settings.warehouse, "runs", SITE, ["dt"]).column("dt").to_pylist()
    assert Counter(runs) == {backfill_day.isoformat(): 1, daily.isoformat(): 2, replica.today.isoformat(): 1}


def quarantine_instead(settings: Settings, day: date, version: str) -> str:
    """Move one article first crawled on `day` from the articles table to the day's quarantine, as written by
    extractor `version` (pointing at the same archived page); returns its URL."""
    articles = read_source(settings.warehouse, "articles", SITE)
    mine = articles.filter(pc.is_in(articles.column("url"), pa.array(sorted(fetched_ok(settings, day)))))
    row = mine.sort_by("url").slice(0, 1).to_pylist()[0]
    rest = articles.filter(pc.not_equal(articles.column("url"), row["url"]))
    replace_partition(settings.warehouse, "articles", SITE, row["month"],
                      rest.filter(pc.equal(rest.column("month"), row["month"])))
    verdict = pa.Table.from_pylist([{
        "source": SITE, "url": row["url"], "reason": "no-article-body", "detail": "no element holds paragraph text",
        "extractor_version": version, "warc_file": row["warc_file"], "warc_offset": row["warc_offset"],
        "crawled_at": row["crawled_at"], "dt": day.isoformat()}], schema=QUARANTINE)
    quarantine = pa.concat_tables([read_partition(settings.warehouse, "quarantine", SITE, day.isoformat()), verdict])
    load_tables(settings, SITE, day, rest.slice(0, 0), quarantine)
    return str(row["url"])


@pytest.mark.slow
def test_an_article_that_never_lands_is_asked_for_by_at_most_three_runs(site: tuple[Replica, Settings]) -> None:
    """A link to a page the site does not have (404): asked for again directly by the next runs, then left to
    discovery (PROVNEWS_UNLANDED_MAX_RUNS, default 3 runs in all)."""
    replica, settings = site
    run_day(settings, day_of(replica, 0))
    path = "/tin-tuc/thoi-su/bai-da-go-20261101-99.html"
    dead = replica.url(SITE, path)
    template = crawl_log(settings.warehouse, "kind = 'article'")[0]
    row = {**template, "url": dead, "canonical_url": dead, "final_url": dead, "status": 404, "run_id": "seen-once",
           "warc_file": None, "warc_offset": None, "warc_record_id": None, "digest": None}  # a try that got 404
    day = row.pop("dt")  # DuckDB reads the partition as a DATE
    row.pop("source")
    append_crawl_log(settings.warehouse, SITE, day.isoformat(), pa.Table.from_pylist([row]))
    hits = []
    for n in range(1, 5):
        run_day(settings, day_of(replica, n))
        hits.append(replica.server.hits(path, SITE))
    assert hits == [1, 2, 2, 2]
