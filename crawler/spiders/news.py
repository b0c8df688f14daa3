"""The one generic news spider, parameterised by a source profile (sources/profiles/{id}.yaml).

Discovery: start pages, RSS/Atom feeds, sitemaps (indexes, news sitemaps, those named in robots.txt) and
listing pages with bounded pagination: ?page=N, a path template, a next link, or an ASP.NET WebForms pager
(`javascript:__doPostBack('target','arg')` links), followed by posting the page's own form back with
__EVENTTARGET/__EVENTARGUMENT set, as the browser does: form2request (which Scrapy 2.19 names in place of its
deprecated FormRequest.from_response) sends the page's __VIEWSTATE and other fields with it, no button
clicked. A postback goes to the listing's own URL with another body each time, so postbacks are deduplicated
by (listing, page number), never by URL, and a walk ends at its page bound, at its pager's last page or when a
page brings nothing it has not seen. A listing whose pager cannot be followed (a postback pager the profile
does not declare, a postback the site answers with an error or with pages already seen) is a crawl_log row
`pager not followed: …` and a warning of the day's checks.

Anything whose canonical URL matches the profile's article_url_pattern is an article; it is requested at most
once per run. Discovery pages are always
fetched, with If-None-Match/If-Modified-Since from the last fetch; on 304 the archived copy of that fetch
is read instead, so a sitemap index that did not change still leads to its children.

Incremental, and edits: an article the warehouse does not hold is fetched. Held means landed (a row of the
articles table, or a quarantine row of the current extractor), not fetched: crawl_log says what was fetched,
and a fetch whose day was never loaded (its crawl failed, its load crashed or was killed) or that an older
extractor quarantined is owed. Owed articles are asked for directly at the start of the run, without
waiting for discovery to meet them again, and never conditionally against a version that did not land
(`owed`, from crawler.run.article_state, bounded by PROVNEWS_UNLANDED_MAX_RUNS). An article it holds is asked
for again only in two cases, and always conditionally:

- revisit window: it was first fetched 1..`revisit_days` crawl days ago (profile, default 3). Sites edit
  articles in the first days after publication (corrections, updated figures); no other signal is needed,
  so this also works for portals without sitemaps whose feeds carry only the publication date.
- the site says it changed: a sitemap `<lastmod>`, an Atom `<updated>` or an RSS `dc:modified`/`pubDate`
  is later than the version we hold (any age). The version we hold is dated by the Last-Modified header of
  our last 2xx fetch, i.e. by the site's own clock, so clock skew between us and the site (or a replica
  serving a simulated date) cannot fake or hide a change; without that header, by our fetched_at.

The conditional request carries If-Modified-Since with that Last-Modified (If-None-Match only when the site
sent no Last-Modified): article pages embed "latest news" boxes and clocks, so their ETag changes every day
while Last-Modified tracks the article itself. An unchanged article then costs a 304 without a body; a
changed one is a 200 on a known URL, archived like any fetch, and the transform stage extracts it so its
row replaces the earlier one. crawl_log tells the three apart by status and history (304: unchanged
revisit; 2xx on a canonical URL with an earlier 2xx: changed; first 2xx: new) and the run's stats count
them as `articles_unchanged`, `articles_changed` and `new_articles`. Nothing unchanged is downloaded twice
unless the site lacks both validators, and then only within the window.

Every response is archived and logged by the middlewares; the spider logs what it refuses to fetch
and the final outcome of each request.

Hostile input is contained, and every refusal is a crawl_log row with its reason: a feed or sitemap is
decompressed at most to DOWNLOAD_MAXSIZE (a gzip bomb is `too large`, on its response's row) and parsed
without entity expansion, network access or lifted libxml2 limits (a billion-laughs feed is `feed: parser
limit …`, read as far as it goes); every URL a document declares is judged on its own (a sitemap <loc>,
a robots.txt Sitemap: line, a feed link, a next-page link), so one bad URL is a `bad url: …` row and the rest
of the document is still read.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any
from urllib.parse import urljoin

import scrapy
from form2request import form2request
from scrapy.http import Request, Response, TextResponse
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from crawler.canonical import canonical_url
from crawler.crawl_log import PAGER_NOT_FOLLOWED, Kind
from crawler.documents import (
    NOT_LINKS,
    POSTBACK,
    Link,
    aware,
    feed_links,
    local_name,
    read_xml,
    robots_sitemaps,
    robots_url,
    sitemap_entries,
    w3c_time,
)
from crawler.extensions import CrawlRecorder, recorder_of
from crawler.middlewares import LOGGED, describe_failure, page_encoding
from sources.config import Listing, PaginateStyle, SourceConfig
from sources.origins import origin
from warehouse.raw import BodyTooLarge

log = logging.getLogger(__name__)

DAILY_SITEMAP_WINDOW = timedelta(days=31)  # daily runs skip child sitemaps not modified for longer
# the form __doPostBack submits: the one holding the WebForms state fields
_POSTBACK_FORM = "//form[.//input[@name='__VIEWSTATE' or @name='__EVENTTARGET']]"


@dataclass
class ListingWalk:
    """The state of one listing's pagination within a run."""

    listing: Listing
    seen: set[str] = field(default_factory=set)  # article URLs met on its pages so far
    pages: int = 0


@dataclass(frozen=True)
class PostbackLink:
    """A `javascript:__doPostBack(target, argument)` link of a page, with its text."""

    target: str
    argument: str
    text: str


@dataclass(frozen=True)
class PreviousFetch:
    """What the warehouse remembers of the last good fetch of a discovery URL."""

    etag: str | None = None
    last_modified: str | None = None
    body: Any = None  # callable(max_bytes=N) returning the archived body (bytes), read only on 304


@dataclass(frozen=True)
class HeldArticle:
    """What the warehouse holds of an article: its first fetch day and the validators of its latest 2xx."""

    first_day: date
    fetched_at: datetime | None = None  # of the latest 2xx fetch (our clock, UTC)
    etag: str | None = None
    last_modified: str | None = None  # verbatim header of the latest 2xx fetch (the site's clock)

    @property
    def version_time(self) -> datetime | None:
        """When the version we hold was last changed, by the site's clock when it told us."""
        if self.last_modified:
            try:
                return aware(parsedate_to_datetime(self.last_modified))
            except (TypeError, ValueError):
                pass
        return aware(self.fetched_at) if self.fetched_at else None

    def conditional_headers(self) -> dict[str, str]:
        if self.last_modified:
            return {"If-Modified-Since": self.last_modified}
        return {"If-None-Match": self.etag} if self.etag else {}


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: SourceConfig, day: date, known_articles: Mapping[str, HeldArticle],
                 previous: dict[str, PreviousFetch], backfill: bool = False,
                 owed: Mapping[str, HeldArticle | None] | None = None, **kwargs: Any) -> None:
        super().__init__(name=f"news-{source.id}", **kwargs)
        self.source = source
        self.day = day
        self.known = known_articles
        self.owed = owed or {}
        self.previous = previous
        self.backfill = backfill
        self.allowed_domains = source.allowed_domains
        self.origins = source.origins  # what the offsite rule lets requests reach (sources.origins)
        self.article_re = source.article_re
        self.listing_item = source.selectors.listing_item
        self.scheduled: set[str] = set()  # canonical URLs of articles requested in this run
        self.discovery_seen: set[str] = set()  # canonical URLs of feeds/sitemaps/listing pages requested
        self.postbacks: set[tuple[str, int]] = set()  # (listing URL, page number) of the postbacks requested
        self.offsite_logged: set[str] = set()
        self.bad_logged: set[str] = set()  # bad URLs given their crawl_log row
        self.discovery_planned = 0  # how many discovery requests start() sends (set when it runs)

    @cached_property
    def recorder(self) -> CrawlRecorder:
        """The run's recorder (crawler.extensions), which Scrapy makes after the spider."""
        return recorder_of(self.crawler)

    # -- requests --------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        discovery = self._start_discovery()
        # all further discovery comes from pages that answered (UnreachableSiteMiddleware counts on it)
        self.discovery_planned = len(discovery)
        # discovery first: a dead site shows before revisits and owed articles
        for request in [*discovery, *self._revisits(), *self._owed()]:
            yield request

    def _start_discovery(self) -> list[Request]:
        """The run's first discovery requests: start pages, feeds, sitemaps, robots.txt, listings."""
        disc = self.source.discovery
        wanted: list[Request | None] = []
        wanted += [self._discovery(url, Kind.LISTING, self.parse_listing) for url in self.source.start_urls]
        wanted += [self._discovery(url, Kind.FEED, self.parse_feed) for url in disc.feeds]
        wanted += [self._discovery(url, Kind.SITEMAP, self.parse_sitemap) for url in disc.sitemaps]
        if disc.robots_sitemaps:
            for url in self.source.start_urls:
                if req := self._discovery(robots_url(url), Kind.ROBOTS, self.parse_robots, conditional=False):
                    req.meta["dont_obey_robotstxt"] = True
                    wanted.append(req)
        wanted += [self._discovery(listing.url, Kind.LISTING, self.parse_listing, walk=ListingWalk(listing),
                                   page=1) for listing in disc.listings]
        return [req for req in wanted if req is not None]

    def _discovery(self, url: str, kind: Kind, callback: Any, conditional: bool = True,
                   **meta: Any) -> Request | None:
        canon = canonical_url(url)
        if canon in self.discovery_seen:
            return None
        self.discovery_seen.add(canon)
        headers: dict[str, str] = {}
        prev = self.previous.get(url)
        if conditional and prev is not None:
            if prev.etag:
                headers["If-None-Match"] = prev.etag
            if prev.last_modified:
                headers["If-Modified-Since"] = prev.last_modified
        return Request(url, callback=callback, errback=self.failed, headers=headers,
                       meta={"kind": kind, **meta}, priority=10)

    def _revisits(self) -> list[Request]:
        """Conditional requests for the held articles first fetched within the revisit window."""
        window = self.source.revisit_days
        requests = []
        for canon, held in sorted(self.known.items()):
            if 1 <= (self.day - held.first_day).days <= window:
                self.scheduled.add(canon)
                requests.append(self._article_request(canon, held))
        return requests

    def _owed(self) -> list[Request]:
        """Requests for the owed articles (not asked for already as revisits): a fetch of them did not land.
        Conditional only when an earlier version landed: then a 304 confirms it and a 200 brings the newer one."""
        requests = []
        for url, held in sorted(self.owed.items()):
            canon = self._article_url(url, url)  # still an article of this source under today's profile?
            if canon is None or canon in self.scheduled:
                continue
            self.scheduled.add(canon)
            self.recorder.count("articles_owed")
            requests.append(self._article_request(canon, held))
        return requests

    def _article_request(self, canon: str, held: HeldArticle | None = None) -> Request:
        meta: dict[str, Any] = {"kind": Kind.ARTICLE, "canonical": canon, "revisit": held is not None}
        headers = held.conditional_headers() if held is not None else {}
        if held is not None:
            self.recorder.count("revisits")
        return Request(canon, callback=self.parse_article, errback=self.failed, headers=headers, meta=meta)

    def _articles(self, links: Iterable[str | Link], base: str,
                  declared: bool = False) -> tuple[list[Request], set[str]]:
        """Requests for the article links among `links` (absolute or relative to `base`, optionally with
        the time the announcing page says the article changed), and all canonical article URLs seen.
        `declared`: a feed's or sitemap's entries, each of which must be a URL (see _article_url)."""
        requests: list[Request] = []
        found: set[str] = set()
        for link in links:
            href, changed = (link, None) if isinstance(link, str) else link
            canon = self._article_url(href, base, declared)
            if canon is None:
                continue
            found.add(canon)
            if canon in self.scheduled:
                continue
            self.scheduled.add(canon)
            held = self.known.get(canon)
            if held is None:
                requests.append(self._article_request(canon))
            elif _newer(changed, held.version_time):
                requests.append(self._article_request(canon, held))
            else:
                self.recorder.count("known_articles_skipped")
        return requests, found

    def _article_url(self, href: str, base: str, declared: bool = False) -> str | None:
        """The canonical URL of one of our articles that `href` names, else None.

        A bad URL is a crawl_log row when a feed or sitemap declared it, or when it is longer than any URL
        (a giant attribute); a page's other links (mailto:, javascript:, an ftp: download) pass quietly."""
        stripped = href.strip()
        if not declared and (not stripped or stripped.startswith(NOT_LINKS)):
            return None
        report = declared or len(stripped) > self._url_limit > 0
        url = self._declared(stripped, base, Kind.ARTICLE, report)
        if url is None:
            return None
        canon = canonical_url(url)
        if not self.article_re.search(canon):
            return None
        own = canonical_url(canon, self.source.scheme)  # our own articles take the scheme the source declares
        if origin(own) in self.origins:
            return own
        if canon not in self.offsite_logged:  # an article of another site: logged once, not fetched
            self.offsite_logged.add(canon)
            self.recorder.failure(Request(canon, meta={"kind": Kind.OTHER}), "offsite: not fetched",
                                  attempt=False)
            self.recorder.count("offsite_dropped")
        return None

    @property
    def _url_limit(self) -> int:
        return self._setting("URLLENGTH_LIMIT")  # Scrapy's own bound, which drops longer ones unseen

    @property
    def _max_size(self) -> int:
        return self._setting("DOWNLOAD_MAXSIZE")

    def _setting(self, name: str) -> int:
        return self.settings.getint(name)

    def _declared(self, href: str, base: str, kind: Kind, report: bool = True) -> str | None:
        """The absolute URL `href` names (relative to `base`) when it is one we could fetch, else None and,
        when `report`, a crawl_log row `bad url: …` with the reason; the caller reads on either way."""
        href = href.strip()
        limit = self._url_limit
        problem = None
        if not href:
            problem = "empty"
        elif limit and len(href) > limit:
            problem = f"{len(href)} characters, over URLLENGTH_LIMIT ({limit})"
        else:
            try:
                url = urljoin(base, href)
                canonical_url(url)  # http(s), a host, a port that parses: what every later step needs
                origin(url)
            except ValueError as exc:
                problem = str(exc)
            else:
                if not (limit and len(url) > limit):
                    return url
                problem = f"{len(url)} characters, over URLLENGTH_LIMIT ({limit})"
        if report and href not in self.bad_logged:  # once per run, however many pages repeat it
            self.bad_logged.add(href)
            self.recorder.bad_url(href, kind, f"{problem} (in {base})")
            log.warning("bad url", extra={"page": base, "href": href[:200], "reason": problem})
        return None

    # -- callbacks -------------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> None:
        self.recorder.article(response.request or Request(response.url), response.status)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        walk: ListingWalk | None = response.meta.get("walk")
        page: int = response.meta.get("page", 1)
        posted = response.meta.get("kind") == Kind.POSTBACK
        # Past the last page many CMSs answer 404: the natural end of a walk, not a failure (a postback's
        # 404 is no end: its pager linked that page).
        body = self._body(response, end_ok=walk is not None and page > 1 and not posted)
        if body is None:
            if posted and walk is not None:
                self._pager_unfollowed(walk, f"posting the form back for page {page} answered HTTP "
                                             f"{response.status}")
            return
        self._finished(response)
        page_response = _as_text_response(response, body)
        requests, found = self._articles(page_response.css("a::attr(href)").getall(), response.url)
        yield from requests
        if walk is None:
            return
        if self.listing_item:  # pagination decisions look at the list itself, not sidebars
            items = page_response.css(f"{self.listing_item}::attr(href)").getall()
            found = {u for u in (self._article_url(h, response.url) for h in items) if u}
        walk.pages += 1
        fresh_here = found - walk.seen
        unknown = {u for u in found if u not in self.known}
        walk.seen |= found
        reason = self._stop_reason(walk, found, fresh_here, unknown)
        if reason is not None:
            log.debug("listing stops", extra={"listing": walk.listing.url, "page": page, "reason": reason})
            self._pager_left(walk, page, page_response, reason)
            return
        paginate = walk.listing.paginate
        if paginate is not None and paginate.style is PaginateStyle.POSTBACK:
            if req := self._postback(walk, page, page_response):
                yield req
            return
        next_href = self._next_page(walk.listing, page, page_response)
        next_url = self._declared(next_href, _base_url(page_response), Kind.LISTING) if next_href else None
        if next_url and (req := self._discovery(next_url, Kind.LISTING, self.parse_listing,
                                                walk=walk, page=page + 1)):
            yield req

    def _stop_reason(self, walk: ListingWalk, found: set[str], fresh_here: set[str],
                     unknown: set[str]) -> str | None:
        paginate = walk.listing.paginate
        if paginate is None:
            return "single page"
        if not found:
            return "no articles on page"
        if not fresh_here:
            return "repeated content"  # endless pagination that serves the same items again
        if not self.backfill and not unknown:
            return "nothing new"
        bound = paginate.backfill_max_pages if self.backfill else paginate.max_pages
        if walk.pages >= bound:
            return f"page bound {bound}"
        return None

    def _postback(self, walk: ListingWalk, page: int, response: TextResponse) -> Request | None:
        """The request for the page after `page` of a WebForms listing: the page's form posted back with the
        pager link's __EVENTTARGET/__EVENTARGUMENT, as __doPostBack does; None at the pager's last page."""
        paginate = walk.listing.paginate
        assert paginate is not None
        number = paginate.first_page + page  # the next page's number, as the pager writes it
        link = _next_postback(_postback_links(response, paginate.selector or "a"), number, paginate.selector)
        if link is None:
            log.debug("listing stops", extra={"listing": walk.listing.url, "page": page, "reason": "last page"})
            return None
        key = (walk.listing.url, number)
        if key in self.postbacks:  # the same body can differ (__VIEWSTATE), the page asked for cannot
            return None
        self.postbacks.add(key)
        forms = response.xpath(_POSTBACK_FORM)
        if not forms:
            self._pager_unfollowed(walk, f"no form with __VIEWSTATE or __EVENTTARGET to post back for page {number}")
            return None
        try:  # the form as the browser submits it, no button clicked: only the pager's event
            submission = form2request(forms[0], {"__EVENTTARGET": link.target, "__EVENTARGUMENT": link.argument},
                                      click=False)
        except (ValueError, NotImplementedError) as exc:  # a form a browser script could submit, not we
            self._pager_unfollowed(walk, f"the form cannot be posted back for page {number}: {exc}")
            return None
        return submission.to_scrapy(callback=self.parse_listing, errback=self.failed, priority=10,
                                meta={"kind": Kind.POSTBACK, "walk": walk, "page": page + 1})

    def _pager_left(self, walk: ListingWalk, page: int, response: TextResponse, reason: str) -> None:
        """Record a walk that stops short of a pager it could have followed: a postback pager the profile
        does not declare, or a postback answered with no articles or only those of pages before it (the
        pager linked that page, so the site did not take the form)."""
        paginate = walk.listing.paginate
        if paginate is None and reason == "single page" and _page_numbers(_postback_links(response, "a")):
            self._pager_unfollowed(walk, "a javascript:__doPostBack pager, and the profile declares no "
                                         "paginate for this listing (style: postback follows it)")
        elif paginate is not None and paginate.style is PaginateStyle.POSTBACK and page > 1 \
                and reason in ("repeated content", "no articles on page"):
            what = "no articles" if reason == "no articles on page" else "only articles of pages before it"
            self._pager_unfollowed(walk, f"posting the form back for page {page} answered {what}: the site "
                                         "did not take the postback")

    def _pager_unfollowed(self, walk: ListingWalk, reason: str) -> None:
        self.recorder.pager_unfollowed(walk.listing.url, reason)
        log.warning(PAGER_NOT_FOLLOWED, extra={"listing": walk.listing.url, "reason": reason})

    def _next_page(self, listing: Listing, page: int, response: TextResponse) -> str | None:
        """The next page's URL, or for next_link style the link's href as the page gives it (judged by the
        caller, like any URL a page declares)."""
        paginate = listing.paginate
        assert paginate is not None
        number = paginate.first_page + page  # the page after `page` (page 1 is the listing URL)
        if paginate.style is PaginateStyle.QUERY:
            assert paginate.param is not None
            return add_or_replace_parameter(listing.url, paginate.param, str(number))
        if paginate.style is PaginateStyle.PATH:
            assert paginate.template is not None
            return paginate.template.format(url=listing.url.rstrip("/"), n=number)
        assert paginate.selector is not None
        href = response.css(paginate.selector).attrib.get("href")
        return str(href) if href else None

    def parse_feed(self, response: Response) -> Iterator[Request]:
        body = self._document(response, "feed")
        if body is None:
            return
        tree, problem = read_xml(body)
        if not self._read(response, "feed", tree, problem):
            return
        requests, _ = self._articles(feed_links(tree), response.url, declared=True)
        yield from requests

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        body = self._document(response, "sitemap")
        if body is None:
            return
        tree, problem = read_xml(body)
        if not self._read(response, "sitemap", tree, problem):
            return
        if local_name(tree) == "sitemapindex":
            for entry in sitemap_entries(tree):
                if not self._follow_child(entry):
                    continue
                url = self._declared(entry.get("loc", ""), response.url, Kind.SITEMAP)
                if url and (req := self._discovery(url, Kind.SITEMAP, self.parse_sitemap)):
                    yield req
            return
        links = [(entry.get("loc", ""), w3c_time(entry.get("lastmod"))) for entry in sitemap_entries(tree)]
        requests, _ = self._articles(links, response.url, declared=True)
        yield from requests

    def _follow_child(self, entry: dict[str, Any]) -> bool:
        modified = w3c_time(entry.get("lastmod"))
        if self.backfill or modified is None:
            return True
        day = modified.date() if isinstance(modified, datetime) else modified
        return day >= self.day - DAILY_SITEMAP_WINDOW

    def parse_robots(self, response: Response) -> Iterator[Request]:
        body = self._body(response)
        if body is None:
            return
        self._finished(response)
        for href in robots_sitemaps(body):
            url = self._declared(href, response.url, Kind.SITEMAP)
            if url and (req := self._discovery(url, Kind.SITEMAP, self.parse_sitemap)):
                yield req

    def _body(self, response: Response, end_ok: bool = False) -> bytes | None:
        """The body to discover from: this one, or the archived one on 304 (read at most to DOWNLOAD_MAXSIZE);
        None when there is none, its failed outcome recorded. The caller records success (`_finished`).

        `end_ok`: a 404 here ends a listing walk and is no failure.
        """
        request = response.request or Request(response.url)
        if response.status == 304:
            prev = self.previous.get(request.url)
            if prev is None or prev.body is None:
                self.recorder.outcome(request, False, "304 without an archived copy")
                return None
            try:
                body: bytes = prev.body(max_bytes=self._max_size)
            except BodyTooLarge as exc:
                self._refuse(response, f"too large: the archived copy: {exc} (DOWNLOAD_MAXSIZE)")
                return None
            except Exception as exc:  # the copy is damaged (cut short, unreadable): ask for the page again, once
                self._fetch_again(request, exc)
                return None
            return body
        if 200 <= response.status < 300:
            return response.body
        ok = end_ok and response.status == 404
        self.recorder.outcome(request, ok, None if ok else f"HTTP {response.status}")
        return None

    def _document(self, response: Response, what: str) -> bytes | None:
        """A feed's or sitemap's bytes, gunzipped when they are gzip (a .xml.gz, whatever the headers say),
        never past DOWNLOAD_MAXSIZE: a gzip bomb is refused with its reason, on its response's row."""
        body = self._body(response)
        if body is None or body[:2] != b"\x1f\x8b":
            return body
        try:
            body = gunzip(body, max_size=self._max_size)
        except _DecompressionMaxSizeExceeded:
            self._refuse(response, f"too large: {what} over DOWNLOAD_MAXSIZE ({self._max_size} bytes) once "
                                   f"gunzipped ({len(body)} bytes compressed)")
            return None
        except (OSError, EOFError, struct.error) as exc:
            self._refuse(response, f"{what}: broken gzip ({type(exc).__name__})")
            return None
        if len(body) >= (warn := self._setting("DOWNLOAD_WARNSIZE")) > 0:
            log.warning("large document", extra={"url": response.url, "bytes": len(body), "warnsize": warn})
        return body

    def _read(self, response: Response, what: str, tree: Any, problem: str | None) -> bool:
        """Record how parsing a feed or sitemap went; whether there is a tree to read links from. A document
        read only in part (a parser limit, entity declarations) is refused with the reason, and what could
        be read is still used."""
        if tree is None or problem:
            self._refuse(response, f"{what}: {problem or 'not XML'}")
        else:
            self._finished(response)
        return tree is not None

    def _finished(self, response: Response) -> None:
        self.recorder.outcome(response.request or Request(response.url), True)

    def _refuse(self, response: Response, reason: str) -> None:
        """The response came but its body could not be used, or only in part: the reason on its crawl_log row,
        a failed outcome, a warning."""
        request = response.request or Request(response.url)
        self.recorder.refuse(request, reason)
        self.recorder.outcome(request, False, reason.split(":")[0])
        log.warning("document refused", extra={"url": response.url, "reason": reason})

    def _fetch_again(self, request: Request, exc: Exception) -> None:
        """Ask for a discovery page without validators, since the archived copy its 304 points to cannot be
        read; the answer is archived and becomes the copy the next run's conditional request points to."""
        if request.meta.get("fetched_again"):  # asked without validators and still a 304: give up
            self.recorder.outcome(request, False, "304 with an unreadable archived copy")
            return
        log.warning("archived copy unreadable, fetching the page again",
                    extra={"url": request.url, "error": str(exc)})
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in (b"if-none-match", b"if-modified-since")}
        assert self.crawler.engine is not None
        self.crawler.engine.crawl(request.replace(headers=headers, meta={**request.meta, "fetched_again": True},
                                                  dont_filter=True))

    def failed(self, failure: Failure) -> None:
        """Errback: a request that ended without a response (after retries)."""
        request: Request = failure.request  # type: ignore[attr-defined]
        exc = failure.value or Exception("unknown failure")
        reason = describe_failure(request, exc)
        if not getattr(exc, LOGGED, False):  # raised after the response came (e.g. too large to decompress)
            self.recorder.refuse(request, reason)
        if reason.startswith("robots"):
            self.recorder.count("robots_forbidden")
        self.recorder.outcome(request, False, reason.split(":")[0].split(" (")[0])
        walk = request.meta.get("walk")
        if request.meta.get("kind") == Kind.POSTBACK and isinstance(walk, ListingWalk):
            self._pager_unfollowed(walk, f"posting the form back for page {request.meta.get('page')} failed: "
                                         f"{reason}")


def _newer(changed: datetime | date | None, held: datetime | None) -> bool:
    """Whether an announced change time is later than the version we hold (a bare date: a later day)."""
    if changed is None or held is None:
        return False
    if isinstance(changed, datetime):
        return changed.replace(microsecond=0) > held.replace(microsecond=0)
    return changed > held.date()


def _postback_links(response: TextResponse, selector: str) -> list[PostbackLink]:
    """The javascript:__doPostBack links among the elements `selector` finds, in page order."""
    links = []
    for anchor in response.css(selector):
        match = POSTBACK.match(anchor.attrib.get("href", ""))
        if match is not None:
            links.append(PostbackLink(match[2], match[4], " ".join("".join(anchor.css("::text").getall()).split())))
    return links


def _page_numbers(links: list[PostbackLink]) -> list[PostbackLink]:
    """The links of a numbered pager: those whose text is a page number."""
    return [link for link in links if link.text.isdigit()]


_NEXT_LABELS = {"sau", "trang sau", "tiếp", "trang tiếp", "tiếp theo", "kế tiếp", "next", ""}


def _next_postback(links: list[PostbackLink], number: int, selector: str | None) -> PostbackLink | None:
    """The link to page `number`: the first the profile's selector finds, else the one numbered so, else one
    labelled as the next page (`Sau »`, `Next ›`, `»`)."""
    if selector is not None:
        return links[0] if links else None
    numbered = next((link for link in links if link.text == str(number)), None)
    if numbered is not None:
        return numbered
    return next((link for link in links
                 if link.text and link.text.casefold().strip(" »›>") in _NEXT_LABELS), None)


def _as_text_response(response: Response, body: bytes) -> TextResponse:
    if isinstance(response, TextResponse) and body is response.body:
        return response
    encoding = page_encoding(response, body)
    return scrapy.http.HtmlResponse(response.url, body=body, encoding=encoding, request=response.request)


def _base_url(response: TextResponse) -> str:
    """What a page's relative links are relative to: its <base href> when that is a URL, else its own URL."""
    try:
        return get_base_url(response)
    except ValueError:
        return response.url
