"""Hostile input is contained: a site on loopback serving gzip bombs, XML bombs, bad URLs, redirects to other
ports and addresses and giant attributes is crawled in bounded time and memory, every refusal is a crawl_log
row with its reason, the rest of each document is still read, and the day still loads.

The limits are made small here (DOWNLOAD_MAXSIZE and PROVNEWS_MAX_DECOMPRESSED_BYTES of 1 MB) and every bomb
inflates to 4 MB, a few KB on the wire: nothing in these tests ever holds a bomb inflated.
"""

from __future__ import annotations

import ipaddress
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import FAST, crawl_log, news_spider
from hostile_site import (
    GZIP_FILE,
    GZIPPED_XML,
    XML,
    Answer,
    HostileSite,
    article_page,
    gzip_bomb,
    redirect,
    write_profile,
)
from scrapy.http import Request, XmlResponse

from crawler.origins import networks, refused_network
from crawler.settings import DEFAULTS
from provnews.settings import Settings
from provnews.stages.checks import run_checks
from provnews.stages.crawl import CrawlResult, crawl
from provnews.stages.load import load
from provnews.stages.transform import transform
from sources.config import load_source
from sources.origins import profile_origins
from warehouse.reader import read_source

DAY = date(2026, 11, 21)
LIMIT = 1_000_000  # DOWNLOAD_MAXSIZE and PROVNEWS_MAX_DECOMPRESSED_BYTES in these tests
BOMB = 4 * LIMIT  # what each bomb inflates to
LIMITS = {**FAST, "DOWNLOAD_MAXSIZE": LIMIT, "DOWNLOAD_WARNSIZE": LIMIT // 2}
GIANT_HREF = "/tin/" + "a" * 100_000 + ".html"  # a giant attribute that looks like one of our articles


@dataclass
class HostileDay:
    site: HostileSite
    other: HostileSite  # the same host on another port: nothing may reach it
    settings: Settings
    result: CrawlResult
    seconds: float

    def rows(self, url: str) -> list[dict[str, Any]]:
        return crawl_log(self.settings.warehouse, f"dt = '{DAY}' and url = '{url}'")

    def row(self, path: str) -> dict[str, Any]:
        [row] = self.rows(self.site.url(path))
        return row

    def fetched(self, path: str) -> bool:
        return any(r["status"] == 200 and not r["error"] for r in self.rows(self.site.url(path)))

    def bad_urls(self) -> dict[str, tuple[str, str]]:
        rows = crawl_log(self.settings.warehouse, f"dt = '{DAY}' and error like 'bad url: %'")
        return {r["url"]: (r["kind"], r["error"]) for r in rows}


def hostile_routes(site: HostileSite, other: HostileSite) -> None:
    base = site.base
    for n in range(1, 11):
        site.routes[f"/tin/ok-{n}.html"] = Answer(article_page(site.url(f"/tin/ok-{n}.html"), f"Bài số {n}"))
    site.routes["/"] = Answer(f"""<html><body>
        <a href="/tin/ok-1.html">1</a> <a href="/tin/bomb.html">bomb</a>
        <a href="/tin/moved.html">moved</a> <a href="/tin/meta.html">meta</a>
        <a href="{other.url('/tin/elsewhere.html')}">another port</a>
        <a href="mailto:toa-soan@example.vn">mail</a> <a href="{GIANT_HREF}">giant</a></body></html>""".encode())
    # gzip bombs: a page and a feed with Content-Encoding, a .xml.gz sitemap
    site.routes["/tin/bomb.html"] = Answer(gzip_bomb(BOMB, b"<html><body><p>"),
                                           headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")))
    site.routes["/feed-bomb.rss"] = Answer(gzip_bomb(BOMB, b"<rss><channel><item><title>"), headers=GZIPPED_XML,
                                           etag='"bomb-1"')
    site.routes["/sitemap-bomb.xml.gz"] = Answer(gzip_bomb(BOMB, b"<urlset><url><loc>"), headers=GZIP_FILE)
    # XML bombs: a billion laughs after one good item, entities used in a link
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    site.routes["/feed-laughs.rss"] = Answer(f"""<?xml version="1.0"?>
        <!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>
        <rss><channel><item><link>{base}/tin/ok-6.html</link></item>
        <item><title>&lol9;</title><link>{base}/tin/ok-7.html</link></item></channel></rss>""".encode(), headers=XML)
    site.routes["/feed-entity.rss"] = Answer(f"""<?xml version="1.0"?>
        <!DOCTYPE rss [<!ENTITY section "/tin/">]>
        <rss><channel><item><link>{base}&section;ok-8.html</link></item>
        <item><link>{base}/tin/ok-9.html</link></item></channel></rss>""".encode(), headers=XML)
    # bad URLs among good ones: a sitemap index, robots.txt, a feed, a next-page link
    site.routes["/sitemap-index.xml"] = Answer(f"""<?xml version="1.0"?>
        <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>ftp://127.0.0.1/sitemap-old.xml</loc></sitemap>
        <sitemap><loc>http://[::1/sitemap-broken.xml</loc></sitemap>
        <sitemap><loc>{base}/sitemap-a.xml</loc></sitemap></sitemapindex>""".encode(), headers=XML)
    site.routes["/sitemap-a.xml"] = Answer(_urlset(f"{base}/tin/ok-2.html"), headers=XML)
    site.routes["/robots.txt"] = Answer(f"User-agent: *\nSitemap: javascript:alert(1)\n"
                                        f"Sitemap: http://[::1/robots-broken.xml\nSitemap: {base}/sitemap-b.xml\n"
                                        .encode(), headers=(("Content-Type", "text/plain"),))
    site.routes["/sitemap-b.xml"] = Answer(_urlset(f"{base}/tin/ok-5.html"), headers=XML)
    site.routes["/feed.rss"] = Answer(f"""<rss><channel><item><link>ftp://127.0.0.1/tin/ok-0.html</link></item>
        <item><link>{base}/tin/ok-10.html</link></item></channel></rss>""".encode(), headers=XML)
    site.routes["/list"] = Answer(b'<a href="/tin/ok-3.html">3</a> <a class="next" href="http://[::1/list?p=2">'
                                  b"next</a>")
    # redirects: to the same host on another port, to a link-local address
    site.routes["/tin/moved.html"] = redirect(other.url("/tin/moved.html"))
    site.routes["/tin/meta.html"] = redirect("http://169.254.169.254/tin/meta.html")
    other.routes["/tin/moved.html"] = Answer(article_page(other.url("/tin/moved.html"), "Chuyển cổng"))
    other.routes["/tin/elsewhere.html"] = Answer(article_page(other.url("/tin/elsewhere.html"), "Cổng khác"))


def _urlset(*locs: str) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileDay]:
    """One crawl of the hostile site, loaded like any day (articles, quarantine)."""
    root = tmp_path_factory.mktemp("hostile")
    settings = Settings.from_env({"PROVNEWS_WAREHOUSE": str(root / "wh"), "PROVNEWS_SOURCES_DIR": str(root / "src"),
                                  "PROVNEWS_MAX_DECOMPRESSED_BYTES": str(LIMIT)})
    with HostileSite() as site, HostileSite() as other:
        hostile_routes(site, other)
        write_profile(settings.sources_dir, "hostile", site.url("/"), {
            "feeds": [site.url(p) for p in ("/feed-bomb.rss", "/feed-laughs.rss", "/feed-entity.rss", "/feed.rss")],
            "sitemaps": [site.url("/sitemap-index.xml"), site.url("/sitemap-bomb.xml.gz")],
            "robots_sitemaps": True,
            "listings": [{"url": site.url("/list"), "paginate": {"style": "next_link", "selector": "a.next"}}],
        })
        started = time.monotonic()
        result = crawl(settings, "hostile", DAY, overrides=LIMITS)
        seconds = time.monotonic() - started
        load(settings, "hostile", DAY, transform(settings, "hostile", DAY))
        yield HostileDay(site, other, settings, result, seconds)


@pytest.mark.slow
def test_gzip_bombs_are_refused_with_their_reason_on_their_row(hostile: HostileDay) -> None:
    sitemap, feed, page = (hostile.row(p) for p in ("/sitemap-bomb.xml.gz", "/feed-bomb.rss", "/tin/bomb.html"))
    assert sitemap["status"] == 200 and sitemap["error"].startswith(
        f"too large: sitemap over DOWNLOAD_MAXSIZE ({LIMIT} bytes) once gunzipped")
    for row in (feed, page):  # Content-Encoding: Scrapy's own bounded decompression, its refusal on the row
        assert row["status"] == 200
        assert row["error"] == f"too large: over DOWNLOAD_MAXSIZE ({LIMIT} bytes) once decompressed"
    assert hostile.result.stats.errors["too large"] == 3
    assert hostile.fetched("/tin/ok-1.html")  # the rest of the site is crawled


def test_an_archived_gzip_bomb_is_quarantined_and_the_rest_of_the_day_loads(hostile: HostileDay) -> None:
    root = hostile.settings.warehouse
    [bomb] = read_source(root, "quarantine", "hostile").to_pylist()
    assert (bomb["url"], bomb["reason"]) == (hostile.site.url("/tin/bomb.html"), "too-large")
    assert f"over the limit of {LIMIT} bytes once decompressed (gzip" in bomb["detail"]
    assert "PROVNEWS_MAX_DECOMPRESSED_BYTES" in bomb["detail"]
    landed = set(read_source(root, "articles", "hostile", ["url"]).column("url").to_pylist())
    assert {hostile.site.url(f"/tin/ok-{n}.html") for n in (1, 2, 3, 5, 6, 9, 10)} <= landed


@pytest.mark.slow
def test_an_archived_bomb_read_again_on_304_is_refused(hostile: HostileDay, tmp_path: Path) -> None:
    """The next day the bombed feed answers 304 (its ETag matches): the crawler reads the archived copy,
    bounded, and says why it could not use it."""
    settings = hostile.settings.model_copy(update={"warehouse_url": str(tmp_path / "wh")})
    shutil.copytree(hostile.settings.warehouse, settings.warehouse)
    next_day = DAY + timedelta(days=1)
    crawl(settings, "hostile", next_day, overrides=LIMITS)
    feed = hostile.site.url("/feed-bomb.rss")
    [row] = crawl_log(settings.warehouse, f"dt = '{next_day}' and url = '{feed}'")
    assert row["status"] == 304
    assert row["error"].startswith(f"too large: the archived copy: body over the limit of {LIMIT} bytes once "
                                   "decompressed (gzip")


def test_xml_bombs_are_rows_with_their_reason_not_a_hang(hostile: HostileDay) -> None:
    assert hostile.seconds < 60
    laughs, entity = hostile.row("/feed-laughs.rss"), hostile.row("/feed-entity.rss")
    assert laughs["status"] == 200 and laughs["error"].startswith("feed: parser limit at line")
    assert "declares 10 XML entities (lol0, lol1, lol2, …), not expanded" in laughs["error"]
    assert hostile.fetched("/tin/ok-6.html")  # read up to the bomb
    assert entity["error"] == "feed: declares 1 XML entities (section), not expanded: text using them is lost"
    assert hostile.fetched("/tin/ok-9.html")


def test_giant_xml_attribute_hits_the_parser_limit_and_what_came_before_is_read(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    source = load_source(write_profile(tmp_path, "giant", base + "/", {"feeds": [base + "/feed.rss"]}))
    spider = news_spider(tmp_path, source, DAY, known_articles={}, previous={})
    recorder = spider.recorder
    feed = (f"<rss><channel><item><link>{base}/tin/ok-1.html</link></item>"
            f'<item foo="{"x" * 11_000_000}"><link>{base}/tin/ok-2.html</link></item></channel></rss>').encode()
    requests = list(spider.parse_feed(XmlResponse(base + "/feed.rss", body=feed, request=Request(base + "/feed.rss"))))
    assert [r.url for r in requests] == [base + "/tin/ok-1.html"]
    [row] = recorder.rows
    assert row.error and row.error.startswith("feed: parser limit at line 1: ")


def test_a_bad_url_is_a_row_and_the_rest_of_the_document_is_read(hostile: HostileDay) -> None:
    page = hostile.site.url
    bad = hostile.bad_urls()
    assert bad["ftp://127.0.0.1/sitemap-old.xml"] == (
        "sitemap", f"bad url: not an absolute http(s) URL: 'ftp://127.0.0.1/sitemap-old.xml' "
                   f"(in {page('/sitemap-index.xml')})")
    assert bad["http://[::1/sitemap-broken.xml"][0] == "sitemap"  # Invalid IPv6 URL
    assert bad["javascript:alert(1)"][0] == "sitemap"
    assert bad["http://[::1/robots-broken.xml"][0] == "sitemap"
    assert bad["http://[::1/list?p=2"][0] == "listing"
    assert bad["ftp://127.0.0.1/tin/ok-0.html"][0] == "article"
    giant = GIANT_HREF[:500] + "…"
    assert bad[giant] == ("article", f"bad url: {len(GIANT_HREF)} characters, over URLLENGTH_LIMIT (2083) "
                                     f"(in {page('/')})")
    assert "mailto:toa-soan@example.vn" not in bad  # a page's ordinary non-article links pass quietly
    assert len(bad) == hostile.result.stats.bad_urls == 7
    # what followed each bad URL was read: the index's next child, robots' next line, the feed's next item
    assert all(hostile.fetched(p) for p in ("/sitemap-a.xml", "/tin/ok-2.html", "/sitemap-b.xml",
                                            "/tin/ok-5.html", "/tin/ok-10.html", "/tin/ok-3.html"))


def test_offsite_is_scheme_host_and_port_and_private_addresses_are_refused(hostile: HostileDay) -> None:
    other = hostile.other
    [moved] = hostile.rows(other.url("/tin/moved.html"))  # the redirect's target, refused when scheduled
    assert moved["status"] is None
    assert moved["error"] == f"offsite: http://127.0.0.1:{other.port} is not an origin the profile names"
    [elsewhere] = hostile.rows(other.url("/tin/elsewhere.html"))  # a link to the same host, another port
    assert elsewhere["error"] == "offsite: not fetched"
    assert sum(other.hits.values()) == 0
    [meta] = hostile.rows("http://169.254.169.254/tin/meta.html")
    assert meta["error"] == ("refused address: 169.254.169.254 is in 169.254.0.0/16 (PROVNEWS_REFUSED_NETWORKS), "
                             "which the profile does not name")


def test_origins_are_scheme_host_and_port_and_the_refused_networks_cover_ipv4_and_ipv6() -> None:
    assert profile_origins(["http://baohaiduong.vn/tin/", "http://127.0.0.2:8377/"]) == {
        ("http", "baohaiduong.vn", 80), ("https", "baohaiduong.vn", 443),  # the https upgrade, on port 80 only
        ("http", "127.0.0.2", 8377)}
    refused = networks(DEFAULTS["PROVNEWS_REFUSED_NETWORKS"])
    for address, net in [("169.254.169.254", "169.254.0.0/16"), ("10.1.2.3", "10.0.0.0/8"),
                         ("::ffff:192.168.1.1", "192.168.0.0/16"), ("fe80::1", "fe80::/10"), ("::1", "::1/128"),
                         ("fd00::5", "fc00::/7")]:
        assert refused_network(address, refused) == ipaddress.ip_network(net), address
    assert refused_network("203.113.1.1", refused) is None and refused_network("baohaiduong.vn", refused) is None


@pytest.mark.slow
def test_a_host_name_that_resolves_to_a_refused_address_is_not_fetched(tmp_path: Path) -> None:
    """The replica's literal 127.0.0.x are named by its profiles; `localhost` names no address, and resolves
    to loopback: refused after DNS resolution, before any connection."""
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "src")
    with HostileSite() as site:
        site.routes["/"] = Answer(b'<a href="/tin/ok-1.html">1</a>')
        write_profile(settings.sources_dir, "named", f"http://localhost:{site.port}/",
                      {"listings": [{"url": f"http://localhost:{site.port}/"}]})
        result = crawl(settings, "named", DAY, overrides=LIMITS)
        assert sum(site.hits.values()) == 0
    [row] = crawl_log(settings.warehouse)
    assert row["error"] == ("refused address: localhost resolves to 127.0.0.1, in 127.0.0.0/8 "
                            "(PROVNEWS_REFUSED_NETWORKS); a profile reaches such an address only by naming it")
    assert result.unreachable  # nothing could be reached: the day fails as a dead site's does


@pytest.mark.slow
def test_a_redirected_article_is_no_false_alarm(tmp_path: Path) -> None:
    """A day whose one article moved (301): crawl_log has the requested URL, the articles table the final one;
    the checks count it where it landed."""
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "src")
    with HostileSite() as site:
        site.routes["/"] = Answer(b'<a href="/tin/old-path.html">moved</a>')
        site.routes["/tin/old-path.html"] = redirect(site.url("/tin/new-path.html"), 301)
        site.routes["/tin/new-path.html"] = Answer(article_page(site.url("/tin/new-path.html"), "Bài đã chuyển"))
        write_profile(settings.sources_dir, "moved", site.url("/"), {"listings": [{"url": site.url("/")}]})
        assert crawl(settings, "moved", DAY, overrides=LIMITS).ok
    load(settings, "moved", DAY, transform(settings, "moved", DAY))
    result = run_checks(settings.warehouse, "moved", DAY)  # raised CheckFailed: "fetched but none landed"
    assert (result.status, result.stats.fetched, result.stats.landed) == ("ok", 1, 1)
