"""A first crawl with --backfill gets every article each replica site shows, and archives all it fetched."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from crawl_helpers import crawl_all, crawl_log, expected_urls, fetched_articles
from replica_fixture import Replica

from provnews.settings import Settings
from warehouse.raw import iter_file, read_record

MAX_BODY = Settings().max_decompressed_bytes  # the archive read bound of the pipeline

SITES = ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv", "quangnamgov", "baocaobang",
         "baobinhthuan"]


@pytest.mark.slow
def test_backfill_fetches_every_gold_article_of_every_site(replica: Replica, tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    day = replica.today

    results = crawl_all(settings, SITES, day, backfill=True)

    for site in SITES:
        result = results[site]
        assert result.ok, (site, result.problems)
        fetched = fetched_articles(settings.warehouse, site)
        assert Counter(fetched).most_common(1)[0][1] == 1, f"{site}: an article fetched twice"
        assert set(fetched) == expected_urls(replica.world, replica.port, site, day), site
        assert result.stats.articles_fetched == len(fetched)


@pytest.mark.slow
def test_crawl_log_and_warc_agree(replica: Replica, tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    results = crawl_all(settings, ["baohaiduong", "haiduonggov"], replica.today, backfill=True)
    root = settings.warehouse

    rows = crawl_log(root)
    pointed = [r for r in rows if r["warc_file"] is not None]
    assert pointed and all(r["status"] is not None for r in pointed)
    for row in pointed:  # every row with a pointer reads back its record
        record = read_record(root, row["warc_file"], row["warc_offset"], max_bytes=MAX_BODY)
        assert (record.url, record.status, record.digest, record.record_id) == (
            row["url"], row["status"], row["digest"], row["warc_record_id"])
    records = [rec for r in results.values()
               for rec in iter_file(root, root / r.stats.warc_file, max_bytes=MAX_BODY)]
    assert {rec.record_id for rec in records} == {r["warc_record_id"] for r in pointed}  # one row per record
    assert len(records) == len(pointed) == sum(r.stats.responses for r in results.values())
    # rows without a pointer are exactly the attempts that got no response
    assert all(r["error"] for r in rows if r["warc_file"] is None)
