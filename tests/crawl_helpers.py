"""Shared helpers of the crawl tests: fast crawl settings, expected article URLs, crawl_log reading, loading."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from crawler.canonical import canonical_url
from crawler.extensions import run_settings
from crawler.settings import crawl_settings
from crawler.spiders.news import NewsSpider
from provnews.settings import Settings
from provnews.stages.crawl import CrawlResult, crawl
from provnews.stages.load import load
from provnews.stages.transform import transform
from replica.world import World
from sources.config import SourceConfig

# Politeness off for loopback tests: no delays, no throttle, quick retries.
FAST: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "PROVNEWS_RETRY_BACKOFF_BASE": 0.05,
    "DOWNLOAD_TIMEOUT": 5,
    "LOG_LEVEL": "WARNING",
}


def news_spider(root: Path, source: SourceConfig, day: date, **kwargs: Any) -> NewsSpider:
    """A news spider made as Scrapy makes it for a run (its crawler, with the recorder extension that archives
    under `root`), to be fed hand-made answers; `kwargs` are the spider's (known_articles, previous, ...)."""
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(NewsSpider, {**crawl_settings(source), **run_settings(root, source.id, day, "run", False)})
    return NewsSpider.from_crawler(crawler, source=source, day=day, **kwargs)


def expected_urls(world: World, port: int, site_id: str, day: date) -> set[str]:
    """Canonical URLs of every article the site shows by the end of `day` (the gold set)."""
    site = world.site(site_id)
    return {canonical_url(site.base_url(port) + world.article(site_id, r.key).path)
            for r in world.refs(site_id, day)}


def crawl_all(settings: Settings, sources: list[str], day: date, backfill: bool = False,
              **overrides: Any) -> dict[str, CrawlResult]:
    """Crawl several sources for one day, each in its own subprocess, side by side."""
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {s: pool.submit(crawl, settings, s, day, backfill, overrides={**FAST, **overrides})
                   for s in sources}
        return {s: f.result() for s, f in futures.items()}


def load_crawled(settings: Settings, results: dict[str, CrawlResult]) -> None:
    """Transform and load each crawl's day, as the pipeline does: the next crawl holds what landed, not what
    was fetched."""
    for source, result in results.items():
        load(settings, source, result.day, transform(settings, source, result.day))


def crawl_log(root: Path, where: str = "true") -> list[dict[str, Any]]:
    glob = f"{root}/crawl_log/**/*.parquet"
    rel = duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning=true) where {where}")
    assert rel is not None
    cols = rel.columns
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]


def fetched_articles(root: Path, source: str, run_id: str | None = None) -> list[str]:
    """Canonical URLs of articles fetched with a 2xx (one entry per fetch, so duplicates show)."""
    where = f"source = '{source}' and kind = 'article' and status between 200 and 299"
    if run_id is not None:
        where += f" and run_id = '{run_id}'"
    return [r["canonical_url"] for r in crawl_log(root, where)]
