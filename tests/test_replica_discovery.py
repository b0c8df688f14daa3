"""Every gold article of every replica site can be found by a plain link-follower, through the discovery
path the site advertises (sitemaps for sitemap sites, listings for listing sites, feeds plus listings for the
RSS site). The follower knows nothing about the sites: it reads robots.txt, follows <a href>, <link
rel=alternate> feeds, RSS <link> and sitemap <loc>, stays on the host and stops at a page budget.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import pytest
from replica_fixture import Replica, start_replica

from replica import gold
from replica.model import Discovery, Site
from replica.paths import ARTICLE_URL_PATTERN
from replica.world import WorldConfig

PAGE_BUDGET = 1500  # per site; the small world needs far fewer

_XML_LINK = re.compile(r"<(?:loc|link)>\s*(?:<!\[CDATA\[)?\s*([^<\s\]]+)", re.IGNORECASE)
_ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def canonical(url: str) -> str:
    """The URL without query, fragment, ;jsessionid and trailing slash: how gold canonical URLs look."""
    parts = urlsplit(url)
    path = _JSESSIONID.sub("", parts.path)
    path = path.rstrip("/") if len(path) > 1 else path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class _Links(HTMLParser):
    """<a href> and <link rel=alternate href> of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href")
        if href is None:
            return
        if tag == "a" or (tag == "link" and "alternate" in (values.get("rel") or "").lower()):
            self.hrefs.append(href)


@dataclass
class Crawl:
    """What a follower saw on one site."""

    fetched: list[str] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def links_in(url: str, content_type: str, text: str) -> list[str]:
    if url.endswith("/robots.txt"):
        return _ROBOTS_SITEMAP.findall(text)
    if "xml" in content_type or text.lstrip().startswith("<?xml"):
        return [html.unescape(m) for m in _XML_LINK.findall(text)]
    parser = _Links()
    parser.feed(text)
    return parser.hrefs


def follow(site: Site, base: str, *, html_pages: bool, xml_pages: bool, budget: int = PAGE_BUDGET) -> Crawl:
    """Breadth-first from / and /robots.txt. Article URLs are collected, not expanded, so every article found
    was listed by a listing page, a feed or a sitemap, never only by another article's related links."""
    article_url = re.compile(ARTICLE_URL_PATTERN[site.family])
    host = urlsplit(base).netloc
    robots = RobotFileParser(base + "/robots.txt")
    robots.read()
    crawl = Crawl()
    queue: deque[str] = deque([base + "/robots.txt", base + "/"])
    seen = set(queue)
    while queue and len(crawl.fetched) < budget:
        url = queue.popleft()
        page = _get(url, crawl)
        if page is None:
            continue
        content_type, text = page
        is_xml = "xml" in content_type
        if (is_xml and not xml_pages) or (not is_xml and "html" in content_type and not html_pages):
            continue
        for href in links_in(url, content_type, text):
            target = urljoin(url, href.strip())
            parts = urlsplit(target)
            if parts.scheme != "http" or parts.netloc != host:
                continue
            if article_url.search(canonical(target)):
                crawl.articles.add(canonical(target))
                continue
            target = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
            if target not in seen and robots.can_fetch("*", target):
                seen.add(target)
                queue.append(target)
    return crawl


def _get(url: str, crawl: Crawl) -> tuple[str, str] | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            crawl.fetched.append(url)
            # URLs are ASCII on every site, so latin-1 reads links whatever the page's real charset.
            return response.headers.get("Content-Type", ""), response.read().decode("latin-1")
    except urllib.error.HTTPError as exc:
        crawl.errors.append(f"{url}: {exc.code}")
        return None


def gold_urls(replica: Replica, site: Site) -> set[str]:
    return {
        gold.record(replica.world, site, article, replica.today, replica.port)["canonical_url"]
        for article in replica.world.articles(site.id, replica.today)
    }


# Which pages the follower may expand to find articles, per advertised discovery path.
ADVERTISED: dict[Discovery, dict[str, bool]] = {
    Discovery.SITEMAP_INDEX: {"html_pages": False, "xml_pages": True},
    Discovery.ROBOTS_SITEMAP: {"html_pages": False, "xml_pages": True},
    Discovery.RSS_AND_LISTINGS: {"html_pages": True, "xml_pages": True},
    Discovery.LISTINGS_QUERY: {"html_pages": True, "xml_pages": False},
    Discovery.LISTINGS_PATH: {"html_pages": True, "xml_pages": False},
    Discovery.RSS_ONLY: {"html_pages": True, "xml_pages": True},  # the home page links the feeds
    Discovery.SITEMAP: {"html_pages": False, "xml_pages": True},
}


@pytest.fixture(scope="module")
def busy_replica() -> Iterator[Replica]:
    """About 60 articles a site: every listing has several pages, every month its sitemap."""
    rep = start_replica(WorldConfig(per_day=10, days=6))
    try:
        yield rep
    finally:
        rep.stop()


@pytest.mark.parametrize("site_id", ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov",
                                     "thaibinhtv", "quangnamgov", "baocaobang", "baobinhthuan"])
def test_follower_finds_every_gold_article_by_the_advertised_path(
    busy_replica: Replica, site_id: str
) -> None:
    replica = busy_replica
    site = replica.world.site(site_id)
    expected = gold_urls(replica, site)
    assert len(expected) >= (50 if site.volume == 1 else 12)  # the last three are small sites

    crawl = follow(site, site.base_url(replica.port), **ADVERTISED[site.discovery])

    assert len(crawl.fetched) < PAGE_BUDGET, f"{site_id}: the follower ran out of budget"
    if site.discovery in (Discovery.LISTINGS_QUERY, Discovery.LISTINGS_PATH, Discovery.RSS_AND_LISTINGS):
        assert len(crawl.fetched) > len(site.categories) + 2, "listings beyond their first page were followed"
    missing = sorted(expected - crawl.articles)
    assert not missing, f"{site_id} ({site.discovery}): {len(missing)} not found, e.g. {missing[:3]}"
    unknown = sorted(crawl.articles - expected)
    assert not unknown, f"{site_id}: links to articles that have no gold record, e.g. {unknown[:3]}"


def test_sitemap_site_declares_its_sitemap_only_in_robots_txt(replica: Replica) -> None:
    site = next(s for s in replica.world.sites if s.discovery is Discovery.ROBOTS_SITEMAP)
    base = site.base_url(replica.port)
    with urllib.request.urlopen(base + "/robots.txt", timeout=10) as response:
        robots = response.read().decode("latin-1")
    declared = _ROBOTS_SITEMAP.findall(robots)
    assert declared, "robots.txt must declare the sitemap"
    with urllib.request.urlopen(base + "/", timeout=10) as response:
        home = response.read().decode("latin-1")
    assert not any(urlsplit(url).path in home for url in declared), "the home page must not link the sitemap"
