"""The probe spider: what a site announces, from its home page (`provnews sources probe URL`).

Two rounds, the second started when the first is idle (Scrapy's spider_idle signal):

1. discover: the home page, robots.txt (its Sitemap: lines; /sitemap.xml when it names none), feeds named by
   autodiscovery links or feed-like <a>s of the pages read, sitemaps (an index's children, bounded), and the
   same-site pages the home page links to that may be listings (PROVNEWS_PROBE_MAX_LISTINGS);
2. confirm: with the article pattern inferred from what round 1 met (crawler.probe.article_pattern), each
   listing's page 2 (does it bring other articles?) and a sample of articles spread over sections, each read
   by the generic extractor as it arrives (transforms.extract, no profile).

Bounded by Scrapy's CLOSESPIDER_PAGECOUNT and CLOSESPIDER_TIMEOUT (PROVNEWS_PROBE_MAX_PAGES, _TIMEOUT_S);
politeness as for a crawl (crawler.settings), robots.txt obeyed. Only the home page's origin is fetched.
Observations go to a crawler.probe.Findings; the decisions are crawler.probe's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.canonical import canonical_url
from crawler.documents import (
    NOT_LINKS,
    POSTBACK,
    feed_links,
    local_name,
    read_xml,
    robots_sitemaps,
    robots_url,
    sitemap_entries,
)
from crawler.middlewares import content_type, describe_failure
from crawler.probe import (
    FEED_HREF,
    Anchor,
    Findings,
    PageSeen,
    Sampled,
    article_links,
    article_pattern,
    listing_candidates,
    pagination,
    same_origin,
    sample_urls,
)
from crawler.settings import DEFAULTS
from transforms.extract import extract
from transforms.record import Quarantine
from transforms.text import normalize_text

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")

# the probe's own bounds, Scrapy settings like the crawl's; the three a user sets (PROVNEWS_PROBE_MAX_PAGES,
# PROVNEWS_PROBE_TIMEOUT_S, PROVNEWS_PROBE_SAMPLE) have their defaults in provnews.settings, and
# `provnews sources probe` always passes them (probe_settings refuses a probe without them)
PROBE_BOUNDS = ("CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_TIMEOUT", "PROVNEWS_PROBE_SAMPLE")
PROBE_DEFAULTS: dict[str, Any] = {
    "PROVNEWS_PROBE_MAX_LISTINGS": 20,  # same-site pages of the home page tried as listings
    "PROVNEWS_PROBE_MAX_FEEDS": 20,
    "PROVNEWS_PROBE_MAX_SITEMAPS": 5,  # sitemaps read (an index's newest children first)
}


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, home: str, findings: Findings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.home = canonical_url(home)
        self.findings = findings
        self.seen: set[str] = set()
        self.round = 1
        self.sitemaps_asked = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ProbeSpider:
        spider: ProbeSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    def _limit(self, name: str) -> int:
        return self.settings.getint(name)

    async def start(self) -> AsyncIterator[Request]:
        for request in (self._get(self.home, self.parse_page, home=True),
                        self._get(robots_url(self.home), self.parse_robots, dont_obey_robotstxt=True)):
            if request is not None:
                yield request

    def _get(self, url: str, callback: Any, **meta: Any) -> Request | None:
        """A request for a same-site URL not asked for yet, else None."""
        if not same_origin(url, self.home) or url in self.seen:
            return None
        self.seen.add(url)
        return Request(url, callback=callback, errback=self.failed, meta=meta, dont_filter=True)

    # -- round 1 ----------------------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        named = robots_sitemaps(response.body) if response.status == 200 else []
        urls = [response.urljoin(u) for u in named]
        self.findings.robots_sitemaps = urls
        guess = [] if urls else [urljoin(self.home, "/sitemap.xml")]
        for url in urls + guess:
            if request := self._sitemap(url, guessed=url in guess):
                yield request

    def _sitemap(self, url: str, guessed: bool = False, root: str | None = None) -> Request | None:
        if self.sitemaps_asked >= self._limit("PROVNEWS_PROBE_MAX_SITEMAPS"):
            return None
        request = self._get(url, self.parse_sitemap, guessed=guessed)
        if request is not None:
            self.sitemaps_asked += 1
            self.findings.sitemap_roots[url] = root or url
        return request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        tree, _ = read_xml(response.body) if response.status == 200 else (None, None)
        if tree is None:
            if not response.meta.get("guessed"):
                self.findings.refused.append(f"{response.url}: HTTP {response.status} or not XML (sitemap)")
            return
        entries = sitemap_entries(tree)
        if local_name(tree) == "sitemapindex":
            self.findings.sitemap_indexes.append(response.url)
            newest = sorted(entries, key=lambda e: e.get("lastmod", ""), reverse=True)
            for entry in newest:
                child = response.urljoin(entry["loc"])
                if request := self._sitemap(child, root=self.findings.sitemap_roots.get(response.url)):
                    yield request
            return
        locs = [canonical_url(response.urljoin(e["loc"])) for e in entries if e["loc"]]
        self.findings.sitemaps[response.url] = locs

    def parse_feed(self, response: Response) -> None:
        tree, _ = read_xml(response.body) if response.status == 200 else (None, None)
        links = feed_links(tree) if tree is not None else []
        if not links:
            self.findings.refused.append(f"{response.url}: HTTP {response.status}, not a feed or an empty one")
            return
        self.findings.feeds[response.url] = [canonical_url(response.urljoin(h)) for h, _ in links]

    def parse_page(self, response: Response) -> Iterator[Request]:
        """The home page or a listing candidate: its links, the feeds it names, and for the home page the
        same-site pages to try as listings."""
        page = self._page(response)
        if page is None:
            return
        if response.meta.get("second_of"):
            self.findings.second_pages[response.meta["second_of"]] = page
            return
        self.findings.pages[page.url] = page
        for url in page.feeds[: self._limit("PROVNEWS_PROBE_MAX_FEEDS")]:
            if len(self.findings.feeds) < self._limit("PROVNEWS_PROBE_MAX_FEEDS") and \
                    (request := self._get(url, self.parse_feed)):
                yield request
        if response.meta.get("home"):
            guess = article_pattern(article_links(self.findings))
            pattern = re.compile(guess.pattern) if guess else None
            for url in listing_candidates(page, pattern, self._limit("PROVNEWS_PROBE_MAX_LISTINGS")):
                if request := self._get(url, self.parse_page):
                    yield request

    def _page(self, response: Response) -> PageSeen | None:
        if response.status != 200 or not isinstance(response, TextResponse):
            self.findings.refused.append(f"{response.url}: HTTP {response.status} (page)")
            if response.meta.get("home") and response.status != 200:
                self.findings.pages[response.url] = PageSeen(response.url, response.status)
            return None
        base = response.url  # not its <base href>: links are joined as the news spider joins article links
        anchors = []
        for a in response.css("a[href]"):
            raw = (a.attrib.get("href") or "").strip()
            url = ""
            if raw and not raw.startswith(NOT_LINKS):
                try:
                    url = canonical_url(urljoin(base, raw))
                except ValueError:
                    url = ""
            anchors.append(Anchor(url, a.attrib.get("rel", ""), a.attrib.get("class", ""),
                                  " ".join(a.css("::text").getall()).strip()[:40], raw[:200]))
        feeds = [urljoin(base, h) for h in response.css("link[rel~=alternate]").xpath(
            "self::*[" + " or ".join(f"@type='{t}'" for t in FEED_TYPES) + "]/@href").getall()]
        feeds += [a.url for a in anchors if a.url and FEED_HREF.search(urlsplit(a.url).path)]
        return PageSeen(
            url=canonical_url(response.url), status=response.status, anchors=anchors,
            feeds=list(dict.fromkeys(f for f in feeds if same_origin(f, self.home))),
            postback_pager=any(POSTBACK.match(a.raw) is not None and
                               (a.text.isdigit() or bool(a.rel or a.css_class)) for a in anchors),
            title=normalize_text(" ".join(response.css("title::text").getall())),
            site_name=normalize_text(response.css("meta[property='og:site_name']::attr(content)").get("") or ""))

    # -- rounds 2 and 3 ---------------------------------------------------------------------------------

    def idle(self, spider: scrapy.Spider) -> None:
        if self.round >= 2:
            return
        self.round = 2
        requests = list(self._confirm())
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _confirm(self) -> Iterator[Request]:
        guess = article_pattern(article_links(self.findings))
        if guess is None:
            return
        article_re = re.compile(guess.pattern)
        for url, page in list(self.findings.pages.items()):
            pager = pagination(page) if url != self.findings.home else None
            if pager is not None and pager.next_url and (
                    request := self._get(pager.next_url, self.parse_page, second_of=url)):
                yield request
        articles = [u for u in article_links(self.findings) if article_re.search(u)]
        for url in sample_urls(articles, self._limit("PROVNEWS_PROBE_SAMPLE")):
            if request := self._get(url, self.parse_article):
                yield request

    def parse_article(self, response: Response) -> None:
        if response.status != 200:
            self.findings.samples.append(Sampled(response.url, response.status, problem=f"HTTP {response.status}"))
            return
        record = extract(response.body, response.url, None, content_type(response) or None)
        if isinstance(record, Quarantine):
            self.findings.samples.append(Sampled(response.url, 200, problem=f"{record.reason}: {record.detail}"))
            return
        published = record.published_at.isoformat() if record.published_at else None
        self.findings.samples.append(Sampled(response.url, 200, record.title, published, record.method))

    def failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        reason = describe_failure(request, failure.value or Exception("unknown failure"))
        self.findings.refused.append(f"{request.url}: {reason}")
        if request.callback == self.parse_article:
            self.findings.samples.append(Sampled(request.url, 0, problem=reason))

    def closed(self, reason: str) -> None:
        self.findings.finish_reason = reason


def probe_settings(overrides: dict[str, Any]) -> dict[str, Any]:
    """The crawl's defaults (politeness, retries, the guarded resolver) without the middlewares that archive
    to a crawl run (the probe writes nothing to the warehouse), then the probe's bounds, then `overrides`,
    which must bound the probe (PROBE_BOUNDS: responses, seconds, sampled articles)."""
    if missing := [name for name in PROBE_BOUNDS if not overrides.get(name)]:
        raise ValueError(f"a probe needs its bounds: {', '.join(missing)} not set")
    settings = {**DEFAULTS, **PROBE_DEFAULTS, "LOG_INSTALL_ROOT_HANDLER": False, "LOG_LEVEL": "WARNING"}
    middlewares = dict(settings["DOWNLOADER_MIDDLEWARES"])
    for name in ("crawler.middlewares.LoggedOffsiteMiddleware", "crawler.middlewares.UnreachableSiteMiddleware",
                 "crawler.middlewares.ArchiveMiddleware"):
        middlewares[name] = None
    settings["DOWNLOADER_MIDDLEWARES"] = middlewares
    settings.update(overrides)
    return settings


def run_probe(home: str, overrides: dict[str, Any]) -> Findings:
    """Probe `home` in this process (it hosts the Twisted reactor: once per process)."""
    from crawler.run import setup_logging

    settings = probe_settings(overrides)
    setup_logging(settings)
    findings = Findings(home=canonical_url(home))
    process = CrawlerProcess(settings=settings)
    process.crawl(ProbeSpider, home=home, findings=findings)
    process.start()
    return findings
