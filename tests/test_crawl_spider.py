"""The spider's discovery logic on hand-made answers: Atom feeds, gzipped sitemaps, listing stop rules."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from crawl_helpers import news_spider
from scrapy.http import HtmlResponse, Request, XmlResponse

from crawler.spiders.news import HeldArticle, ListingWalk, NewsSpider
from provnews.settings import PACKAGE_SOURCES_DIR
from sources.config import load_source

BASE = "http://127.0.0.6:8377"
A1 = f"{BASE}/tin-tuc/thoi-su/khai-mac-ky-hop-20261121-01.html"
A2 = f"{BASE}/tin-tuc/kinh-te/xuat-khau-tang-20261121-02.html"


@pytest.fixture
def spider(tmp_path: Path) -> NewsSpider:
    source = load_source(PACKAGE_SOURCES_DIR / "thaibinhtv.yaml")
    held = HeldArticle(date(2026, 11, 1), last_modified="Sat, 21 Nov 2026 01:00:00 GMT")
    return news_spider(tmp_path, source, date(2026, 11, 21), known_articles={A2: held}, previous={})


def answer(cls: type[HtmlResponse] | type[XmlResponse], url: str, body: bytes, **meta: object) -> HtmlResponse:
    return cls(url, body=body, request=Request(url, meta=meta))  # type: ignore[return-value]


def test_atom_feed_links_become_canonical_article_requests(spider: NewsSpider) -> None:
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link rel="alternate" href="{A1}?utm_source=rss&amp;utm_medium=feed"/></entry>
      <entry><link href="{A1}#comments"/></entry>
      <entry><link rel="enclosure" href="{BASE}/video/clip-20261121-01.mp4"/></entry>
      <entry><link href="{A2}"/></entry>
      <entry><link href="https://other.example/tin-tuc/x/y-20261121-01.html"/></entry></feed>""".encode()
    requests = list(spider.parse_feed(answer(XmlResponse, f"{BASE}/rss/thoi-su.rss", atom)))
    assert [r.url for r in requests] == [A1]  # once, cleaned; A2 is known; the offsite one is logged
    assert spider.recorder.stats.known_articles_skipped == 1
    assert [(r.url, r.error) for r in spider.recorder.rows] == [
        ("https://other.example/tin-tuc/x/y-20261121-01.html", "offsite: not fetched")]


def test_gzipped_sitemap_index_leads_to_child_sitemaps(spider: NewsSpider) -> None:
    index = gzip.compress(f"""<?xml version="1.0"?>
      <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{BASE}/sitemaps/2026-11.xml</loc><lastmod>2026-11-21</lastmod></sitemap>
      <sitemap><loc>{BASE}/sitemaps/2021-03.xml</loc><lastmod>2021-03-06</lastmod></sitemap>
      </sitemapindex>""".encode())
    requests = list(spider.parse_sitemap(answer(XmlResponse, f"{BASE}/sitemap.xml.gz", index)))
    assert [r.url for r in requests] == [f"{BASE}/sitemaps/2026-11.xml"]  # daily: old months are skipped
    spider.backfill = True
    again = list(spider.parse_sitemap(answer(XmlResponse, f"{BASE}/sitemap2.xml.gz", index)))
    assert [r.url for r in again] == [f"{BASE}/sitemaps/2021-03.xml"]  # backfill walks them all, once


def test_a_listing_that_repeats_itself_stops(spider: NewsSpider) -> None:
    spider.backfill = True
    walk = ListingWalk(spider.source.discovery.listings[0])
    page = f'<div class="story-list"><div class="story"><a href="{A1}">x</a></div></div>'.encode()
    first = list(spider.parse_listing(answer(HtmlResponse, walk.listing.url, page, walk=walk, page=1)))
    assert [r.url for r in first] == [A1, f"{BASE}/tin-tuc/thoi-su/page-2.html"]
    second = list(spider.parse_listing(answer(HtmlResponse, first[1].url, page, walk=walk, page=2)))
    assert second == []  # the same items again: endless pagination ends here


def test_a_sitemap_lastmod_after_the_held_version_asks_again_conditionally(spider: NewsSpider) -> None:
    urlset = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{A2}</loc><lastmod>2026-11-21T08:00:00+07:00</lastmod></url></urlset>""".encode()
    # held: Last-Modified 01:00 GMT = 08:00 +07:00, the same instant: nothing to do
    assert list(spider.parse_sitemap(answer(XmlResponse, f"{BASE}/s1.xml", urlset))) == []
    assert spider.recorder.stats.known_articles_skipped == 1
    spider.scheduled.clear()
    edited = urlset.replace(b"T08:00:00", b"T09:30:00")
    [request] = spider.parse_sitemap(answer(XmlResponse, f"{BASE}/s2.xml", edited))
    assert request.url == A2 and request.meta["revisit"] is True
    assert request.headers["If-Modified-Since"] == b"Sat, 21 Nov 2026 01:00:00 GMT"


def test_articles_first_fetched_within_the_window_are_revisited(tmp_path: Path) -> None:
    source = load_source(PACKAGE_SOURCES_DIR / "thaibinhtv.yaml")
    held = {A1: HeldArticle(date(2026, 11, 18), etag='"v1"'),  # 3 days ago: revisited, by ETag
            A2: HeldArticle(date(2026, 11, 17), last_modified="Tue, 17 Nov 2026 01:00:00 GMT")}  # 4 days
    spider = news_spider(tmp_path, source, date(2026, 11, 21), known_articles=held, previous={})
    recorder = spider.recorder
    [request] = spider._revisits()
    assert (request.url, request.headers["If-None-Match"]) == (A1, b'"v1"')
    assert source.revisit_days == 3 and recorder.stats.revisits == 1
