"""Downloader middlewares: archive every attempt, fix response encodings, retry with backoff, give up on a
site that cannot be reached.

Positions (see crawler/settings.py): ArchiveMiddleware sits nearest the wire (950), so it sees every raw
response, including the 3xx that RedirectMiddleware follows and the 5xx that the retry middleware repeats,
and every exception before anyone handles it; UnreachableSiteMiddleware (940) comes next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy import Spider
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet import defer
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    NoRouteError,
    TCPTimedOutError,
)
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.web._newclient import ResponseFailed

from crawler.crawl_log import CLOSED_UNREACHABLE, DISCOVERY_KINDS
from crawler.extensions import RESPONSE_ROW, CrawlRecorder, attempt_note, recorder_of
from crawler.origins import Network, literal_address, networks, refused_network
from sources.origins import origin
from transforms.text import page_codec

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.internet.base import ReactorBase

log = logging.getLogger(__name__)

LOGGED = "_provnews_logged"  # set on an exception once it has its crawl_log row


def exception_classes(names: Iterable[str | type[BaseException]]) -> tuple[type[BaseException], ...]:
    """Exception classes from a settings list of dotted paths (or classes), as RETRY_EXCEPTIONS is read."""
    return tuple(load_object(n) if isinstance(n, str) else n for n in names)


def unreachable_exceptions(settings: BaseSettings) -> tuple[type[BaseException], ...]:
    """The errors that mean the host could not be reached (PROVNEWS_UNREACHABLE_EXCEPTIONS)."""
    return exception_classes(settings.getlist("PROVNEWS_UNREACHABLE_EXCEPTIONS"))


def describe_exception(exc: BaseException) -> str:
    """A short, stable reason for a failed attempt: timeout, connection reset, truncated, robots, ..."""
    cause = exc.__cause__
    if isinstance(cause, _DecompressionMaxSizeExceeded):  # HttpCompressionMiddleware's IgnoreRequest
        return f"too large: over DOWNLOAD_MAXSIZE ({cause.max_size} bytes) once decompressed"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        low = text.lower()
        if "robots.txt" in low:
            return "robots: forbidden by robots.txt"
        if "offsite" in low:
            return f"offsite: {text}"
        if "redirection" in low or "redirect" in low:
            return f"redirect limit: {text}"
        return f"ignored: {text}"
    if isinstance(exc, (DownloadTimeoutError, TwistedTimeoutError, TCPTimedOutError, defer.TimeoutError,
                        TimeoutError)):
        return "timeout"
    if isinstance(exc, ResponseDataLossError):
        return "truncated: the connection closed before Content-Length bytes came"
    if isinstance(exc, DownloadCancelledError):
        return f"cancelled: {exc}"  # e.g. larger than DOWNLOAD_MAXSIZE
    if isinstance(exc, DownloadFailedError):
        cause = exc.__cause__ or exc.__context__
        return f"connection lost: {type(cause).__name__ if cause else exc}"
    if isinstance(exc, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, CannotResolveHostError):
        return "dns lookup failed"
    if isinstance(exc, ResponseFailed):
        inner = " ".join(type(r.value).__name__ for r in exc.reasons)
        kind = "truncated" if "DataLoss" in inner else "connection lost"
        return f"{kind}: {inner}"
    if isinstance(exc, (ConnectionLost, ConnectionDone)):
        return f"connection lost: {type(exc).__name__}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, DNSLookupError):
        return "dns lookup failed"
    if isinstance(exc, NoRouteError):
        return "no route to host"
    return f"{type(exc).__name__}: {exc}"[:300]


def describe_failure(request: Request, exc: BaseException) -> str:
    """describe_exception, and for a host name the GuardedResolver refused, why: Twisted's endpoints report
    every failed resolution as "no results", whatever the resolver said."""
    if isinstance(exc, (CannotResolveHostError, DNSLookupError)) and (
            why := GuardedResolver.refusal(urlparse_cached(request).hostname)):
        return f"refused address: {why}"
    return describe_exception(exc)


class ArchiveMiddleware:
    """Every response becomes a WARC record and a crawl_log row; every exception a crawl_log row."""

    def __init__(self, crawler: Crawler) -> None:
        self.recorder = recorder_of(crawler)  # the extension is made before the downloader
        settings = crawler.settings
        self.max_retries = settings.getint("RETRY_TIMES")
        self.retry_codes = {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
        self.retry_exceptions = exception_classes(settings.getlist("RETRY_EXCEPTIONS"))
        self.unreachable = unreachable_exceptions(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta.pop(RESPONSE_ROW, None)  # a new attempt: the row of an earlier response is not its own
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self.recorder.response(request, response, self._status_error(request, response))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        request.meta.pop(RESPONSE_ROW, None)
        reason = describe_failure(request, exception)
        retried = isinstance(exception, self.retry_exceptions) and not isinstance(exception, self.unreachable)
        if retried and not request.meta.get("dont_retry"):
            reason = f"{reason} ({attempt_note(request, self.max_retries)}{self._last(request)})"
        # robots/offsite refusals never reached the wire: rows, but not attempts
        self.recorder.failure(request, reason, attempt=not isinstance(exception, IgnoreRequest))
        with contextlib.suppress(AttributeError):  # a __slots__ exception: the errback logs it again
            setattr(exception, LOGGED, True)
        return None

    def _status_error(self, request: Request, response: Response) -> str | None:
        if response.status < 400:
            return None
        text = f"HTTP {response.status}"
        if response.status in self.retry_codes and not request.meta.get("dont_retry"):
            text += f" ({attempt_note(request, self.max_retries)}{self._last(request)})"
        return text

    def _last(self, request: Request) -> str:
        tries = int(request.meta.get("max_retry_times", self.max_retries))
        return ", retries exhausted" if int(request.meta.get("retry_times", 0)) >= tries else ""


def content_type(response: Response) -> str:
    """The response's Content-Type header ("" without one)."""
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def page_encoding(response: Response, body: bytes | None = None) -> str:
    """The codec of a page's bytes (`body`, else the response's own): the crawler's one call of
    transforms.text.page_codec, which decides by what the bytes are and what the labels say."""
    return page_codec(response.body if body is None else body, content_type(response))


class CharsetMiddleware:
    """Decode pages by what their bytes are, not by what their labels say (see page_encoding).

    Provincial sites serve windows-1258, UTF-8 labelled ISO-8859-1, or no label at all; Scrapy would trust
    the header and produce mojibake.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        charset = page_encoding(response)
        if charset == response.encoding:
            return response
        return response.replace(encoding=charset)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, with exponential backoff (and Retry-After, capped) before each new try.

    A host that could not be reached (PROVNEWS_UNREACHABLE_EXCEPTIONS: connection refused, no DNS answer, no
    route) is not asked again: a refusal is immediate and lasting, and retrying it with backoff only made a
    dead site's crawl take minutes. The next day's run asks again.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("PROVNEWS_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("PROVNEWS_RETRY_BACKOFF_MAX", 30.0)
        self.unreachable = unreachable_exceptions(settings)

    def delay(self, retry: Request, response: Response | None = None) -> float:
        tries = int(retry.meta.get("retry_times", 1))
        wait = self.base * 2 ** (tries - 1)
        if response is not None and (after := response.headers.get("Retry-After")):
            with contextlib.suppress(ValueError):  # an HTTP date: keep the exponential delay
                wait = max(wait, float(after.decode("latin-1")))
        return min(wait, self.cap)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result, response))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if isinstance(exception, self.unreachable):
            return None
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result))
        return result


class UnreachableSiteMiddleware:
    """A request whose host could not be reached is one warning line; when that is how every discovery
    request of the site ended, the crawl stops (close reason `site_unreachable`) instead of sending the rest.

    "Every discovery request": the spider says how many it starts with (`discovery_planned`: start pages,
    feeds, sitemaps, robots.txt, listings). More can only come from a discovery page that answered, so once
    that many failed to connect and none answered, nothing else of the site will be reached today (held
    articles due for a revisit would fail the same way). PROVNEWS_CLOSE_UNREACHABLE turns the stop off, as
    Scrapy's CLOSESPIDER_* settings do for its own stop conditions.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.exceptions = unreachable_exceptions(crawler.settings)
        self.close = crawler.settings.getbool("PROVNEWS_CLOSE_UNREACHABLE")
        self.answered = False  # a discovery request got a response (any status): the site is up
        self.failed: set[str] = set()  # discovery URLs that could not connect
        self.closing: defer.Deferred[Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnreachableSiteMiddleware:
        if not crawler.settings.getlist("PROVNEWS_UNREACHABLE_EXCEPTIONS"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        self.answered = self.answered or request.meta.get("kind") in DISCOVERY_KINDS
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, self.exceptions):
            return None
        reason = describe_failure(request, exception)
        log.warning("fetch failed", extra={"url": request.url, "reason": reason})
        if request.meta.get("kind") in DISCOVERY_KINDS:
            self.failed.add(request.url)
            self._close_if_unreachable(reason)
        return None

    def _close_if_unreachable(self, reason: str) -> None:
        planned = int(getattr(self.crawler.spider, "discovery_planned", 0))
        if not self.close or self.answered or self.closing or not planned or len(self.failed) < planned:
            return
        log.warning("site unreachable: no discovery request could connect; the crawl stops",
                    extra={"reason": reason, "discovery_requests": planned})
        assert self.crawler.engine is not None
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSED_UNREACHABLE))


class LoggedOffsiteMiddleware(OffsiteMiddleware):
    """Offsite by origin (sources.origins): a request may only go to an origin its source's profile names,
    and never to a refused address the profile does not name; every refusal is a crawl_log row.

    Scrapy's own filter compares host names (a redirect to the same host on another port passed) and drops
    a request with a debug line when it is scheduled; this one drops it there too, with its reason.
    """

    refused: tuple[Network, ...] = ()
    recorder: CrawlRecorder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LoggedOffsiteMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.refused = networks(crawler.settings.getlist("PROVNEWS_REFUSED_NETWORKS"))
        middleware.recorder = recorder_of(crawler)
        return middleware

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return self.refusal(request, spider) is None

    def refusal(self, request: Request, spider: Spider) -> str | None:
        """Why `request` may not be sent (None: it may): `offsite: …` or `refused address: …`."""
        allowed = getattr(spider, "origins", None)
        if allowed is None:  # a spider that names no origins (not ours): Scrapy's host rule
            return None if super().should_follow(request, spider) else f"offsite: {request.url}"
        try:
            scheme, host, port = origin(request.url)
        except ValueError as exc:
            return f"offsite: {exc}"
        if (scheme, host, port) in allowed:
            return None
        named = any(host == known for _, known, _ in allowed)  # the profile names the address, on another port
        if not named and (net := refused_network(host, self.refused)) is not None:
            return f"refused address: {host} is in {net} (PROVNEWS_REFUSED_NETWORKS), which the profile does not name"
        return f"offsite: {scheme}://{host}:{port} is not an origin the profile names"

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        if request.dont_filter or request.meta.get("allow_offsite"):
            return
        reason = self.refusal(request, spider)
        if reason is None:
            return
        self.recorder.failure(request, reason, attempt=False)
        self.recorder.count("offsite_dropped")
        self.recorder.outcome(request, ok=False, reason=reason.split(":")[0])
        raise IgnoreRequest(reason)


class RefusedAddress(DNSLookupError):
    """A host name that resolved into a refused network (PROVNEWS_REFUSED_NETWORKS)."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses addresses in PROVNEWS_REFUSED_NETWORKS (TWISTED_DNS_RESOLVER).

    Literal addresses pass (the offsite rule judges those: only the ones the profile names get here); host
    names are judged by what they resolve to, so a profile's host name that points into a private or
    link-local network (DNS rebinding, a cloud metadata address) is not fetched.
    """

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float,
                 refused: tuple[Network, ...] = ()) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.refused = refused
        self.refusals: dict[str, str] = {}  # host name → why it was refused, for the crawl_log row

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"),
                   networks(settings.getlist("PROVNEWS_REFUSED_NETWORKS")))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802
        resolved = super().getHostByName(name, timeout)
        resolved.addCallback(self._judged, name)
        return resolved

    def _judged(self, address: str, name: str) -> str:
        if literal_address(name) is not None:
            return address
        if (net := refused_network(address, self.refused)) is not None:
            why = (f"{name} resolves to {address}, in {net} (PROVNEWS_REFUSED_NETWORKS); a profile reaches "
                   "such an address only by naming it")
            self.refusals[name] = why
            raise RefusedAddress(why)
        return address

    @staticmethod
    def refusal(host: str | None) -> str | None:
        """Why the resolver installed on the reactor refused `host`, if it is ours and did."""
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        return resolver.refusals.get(host or "") if isinstance(resolver, GuardedResolver) else None


class VisibleRetryHTTPHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler without Twisted's silent second try on a reused connection.

    Twisted's connection pool repeats a request once, unseen, when a kept-alive connection fails before
    any answer; our retry middleware retries anyway, and this way each try is a crawl_log row.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool.retryAutomatically = False
