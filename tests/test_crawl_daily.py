"""Incremental crawling: after a backfill, each daily run fetches exactly the articles published since."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import MakeReplica
from crawl_helpers import crawl_all, crawl_log, expected_urls, fetched_articles

from provnews.settings import Settings
from replica.world import WorldConfig

SITES = ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv"]


@pytest.mark.slow
def test_seven_daily_runs_fetch_exactly_the_new_articles(make_replica: MakeReplica, tmp_path: Path) -> None:
    config = WorldConfig(per_day=3, days=10)
    first = config.end - timedelta(days=7)
    replica = make_replica(config, today=first)
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)

    results = crawl_all(settings, SITES, first, backfill=True)
    assert all(r.ok for r in results.values()), {s: r.problems for s, r in results.items()}
    for day_n in range(1, 8):
        day = first + timedelta(days=day_n)
        replica.set_today(day)
        results = crawl_all(settings, SITES, day)
        for site, result in results.items():
            assert result.ok, (site, day, result.problems)
            new = expected_urls(replica.world, replica.port, site, day) - expected_urls(
                replica.world, replica.port, site, day - timedelta(days=1))
            got = fetched_articles(settings.warehouse, site, result.run_id)
            assert sorted(got) == sorted(new), (site, day)  # none missed, none twice
            assert result.stats["known_articles_skipped"] > 0  # it saw old ones and left them alone

    for site in SITES:  # over the whole week, no article was fetched twice
        fetched = fetched_articles(settings.warehouse, site)
        assert max(Counter(fetched).values()) == 1
        assert set(fetched) == expected_urls(replica.world, replica.port, site, config.end)
    # discovery pages were asked conditionally, and unchanged ones answered 304
    assert crawl_log(settings.warehouse, "status = 304 and kind in ('listing', 'feed', 'sitemap')")
