"""Incremental crawling: after a backfill, each daily run downloads exactly the articles published since,
plus each edited article once, on the day its edit appears; unchanged articles in the revisit window
cost a 304 without a body."""

from __future__ import annotations

import html
import unicodedata
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import MakeReplica
from crawl_helpers import crawl_all, crawl_log, expected_urls, fetched_articles, load_crawled

from crawler.canonical import canonical_url
from provnews.settings import Settings
from replica.world import World, WorldConfig
from warehouse.raw import read_record

MAX_BODY = Settings().max_decompressed_bytes  # the archive read bound of the pipeline

SITES = ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv"]
REVISIT_DAYS = 3  # the profiles' default window
DAILY_RUNS = REVISIT_DAYS + 2  # after the backfill: the window filled, then two runs that see past it


class Week:
    """What the replica world says each daily run should download, given the backfill day."""

    def __init__(self, world: World, port: int, backfill_day: date) -> None:
        self.world, self.port, self.backfill_day = world, port, backfill_day

    def url(self, site_id: str, key: str) -> str:
        return canonical_url(self.world.site(site_id).base_url(self.port) + self.world.article(site_id, key).path)

    def first_fetch(self, site_id: str, key: str) -> date:
        """The crawl day that first fetched the article: the backfill, or the day it appeared."""
        published = self.world.article(site_id, key).ref.published_at.date()
        return max(published, self.backfill_day)

    def in_window(self, site_id: str, day: date) -> set[str]:
        """Articles first fetched 1..REVISIT_DAYS days before `day`: revisited conditionally."""
        return {self.url(site_id, r.key) for r in self.world.refs(site_id, day)
                if 1 <= (day - self.first_fetch(site_id, r.key)).days <= REVISIT_DAYS}

    def edited(self, site_id: str, day: date) -> dict[str, str]:
        """URL → revised title of the articles whose edit appears on `day`, after their first fetch."""
        out = {}
        for ref in self.world.refs(site_id, day):
            revision = self.world.article(site_id, ref.key).revision
            if revision is not None and revision.updated_at.date() == day > self.first_fetch(site_id, ref.key):
                out[self.url(site_id, ref.key)] = revision.title
        return out


@pytest.mark.slow
def test_daily_runs_fetch_exactly_the_new_and_the_edited_articles(
        make_replica: MakeReplica, tmp_path: Path) -> None:
    config = WorldConfig(per_day=3, days=10, edit_rate=0.25)  # edits on every site within the runs
    first = config.end - timedelta(days=DAILY_RUNS)
    replica = make_replica(config, today=first)
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    week = Week(replica.world, replica.port, first)
    edits_seen: Counter[str] = Counter()

    results = crawl_all(settings, SITES, first, backfill=True)
    assert all(r.ok for r in results.values()), {s: r.problems for s, r in results.items()}
    load_crawled(settings, results)
    for day_n in range(1, DAILY_RUNS + 1):
        day = first + timedelta(days=day_n)
        replica.set_today(day)
        results = crawl_all(settings, SITES, day)
        load_crawled(settings, results)
        for site, result in results.items():
            assert result.ok, (site, day, result.problems)
            new = expected_urls(replica.world, replica.port, site, day) - expected_urls(
                replica.world, replica.port, site, day - timedelta(days=1))
            edited = week.edited(site, day)
            got = fetched_articles(settings.warehouse, site, result.run_id)  # 2xx with a body
            assert sorted(got) == sorted(new | edited.keys()), (site, day)  # none missed, none twice
            stats = result.stats
            assert (stats.new_articles, stats.articles_changed) == (len(new), len(edited)), (site, day)
            if day_n > REVISIT_DAYS:  # it saw articles older than the window and left them alone
                assert stats.known_articles_skipped > 0, (site, day)
            # the rest of the window was asked conditionally and answered 304, with no body
            unchanged = revisits(settings.warehouse, site, result.run_id, status=304)
            assert sorted(unchanged) == sorted(week.in_window(site, day) - edited.keys()), (site, day)
            assert stats.articles_unchanged == len(unchanged)
            for url, title in edited.items():  # the new version is in the archive
                assert nfc(title) in archived_text(settings.warehouse, result.run_id, url), (site, url)
            edits_seen[site] += len(edited)

    assert all(edits_seen[site] > 0 for site in SITES), edits_seen
    for site in SITES:  # over all the runs: each article downloaded once, an edited one once more
        fetched = Counter(fetched_articles(settings.warehouse, site))
        assert set(fetched) == expected_urls(replica.world, replica.port, site, config.end)
        twice = {url for url, n in fetched.items() if n == 2}
        assert max(fetched.values()) <= 2
        assert twice == {u for n in range(1, DAILY_RUNS + 1) for u in week.edited(site, first + timedelta(days=n))}
    # discovery pages were asked conditionally, and unchanged ones answered 304
    assert crawl_log(settings.warehouse, "status = 304 and kind in ('listing', 'feed', 'sitemap')")


def revisits(root: Path, source: str, run_id: str, status: int) -> list[str]:
    where = f"source = '{source}' and run_id = '{run_id}' and kind = 'article' and status = {status}"
    rows = crawl_log(root, where)
    assert all(r["bytes"] == 0 for r in rows)
    return [r["canonical_url"] for r in rows]


def archived_text(root: Path, run_id: str, url: str) -> str:
    [row] = crawl_log(root, f"run_id = '{run_id}' and canonical_url = '{url}' and status = 200")
    return nfc(html.unescape(read_record(root, row["warc_file"], row["warc_offset"], max_bytes=MAX_BODY).text()))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
