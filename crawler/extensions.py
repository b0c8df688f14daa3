"""The crawl recorder: a Scrapy extension that owns the run's two outputs, the WARC archive (streamed, record
by record) and the crawl_log rows, and counts the run in `crawler.stats`.

Enabled in EXTENSIONS and made by Scrapy through `from_crawler` from the run's settings (`run_settings`:
warehouse, source, day, run id, backfill); a crawler without them (the probe) has no recorder. The other
components reach it through the crawler (`recorder_of`, Scrapy's `Crawler.get_extension`): the archive
middleware calls `response()`/`failure()` for every attempt on the wire, the offsite middleware `failure()` for
what it drops, the spider `outcome()`/`article()` once per logical request and `bad_url()`/`refuse()`/
`pager_unfollowed()` for what it will not fetch. At the end `close()` gives the run's CrawlStats and
`rows_table()` its crawl_log rows.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pyarrow as pa
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.crawl_log import PAGER_NOT_FOLLOWED, Kind, LogRow
from crawler.crawl_stats import CrawlCounts, CrawlStats, stat_key
from warehouse.raw import WarcWriter
from warehouse.storage import Root, S3Root, resolve

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

RESPONSE_ROW = "_provnews_response_row"  # request.meta: the crawl_log row of the response to this attempt
SHOWN_URL_CHARS = 500  # a longer URL (a giant attribute) is cut in its crawl_log row; the error says how long


def run_settings(root: Root, source: str, day: date, run_id: str, backfill: bool) -> dict[str, Any]:
    """The Scrapy settings that configure the recorder for one run."""
    endpoint = root.endpoint if isinstance(root, S3Root) else ""
    return {"PROVNEWS_RUN_WAREHOUSE": str(root), "PROVNEWS_RUN_S3_ENDPOINT": endpoint, "PROVNEWS_RUN_SOURCE": source,
            "PROVNEWS_RUN_DAY": day.isoformat(), "PROVNEWS_RUN_ID": run_id, "PROVNEWS_RUN_BACKFILL": backfill}


def recorder_of(crawler: Crawler) -> CrawlRecorder:
    """The run's recorder, for the components that record through it."""
    recorder = crawler.get_extension(CrawlRecorder)
    if recorder is None:
        raise RuntimeError("provnews middlewares need the CrawlRecorder extension: crawl with "
                           "crawler.extensions.run_settings(...) (see crawler.run)")
    return recorder


def reason_phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status ("" for a code HTTPStatus does not know)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def kind_of(request: Request) -> str:
    kind = request.meta.get("kind")
    if kind:
        return str(kind)
    return Kind.ROBOTS if request.url.split("?")[0].endswith("/robots.txt") else Kind.OTHER


def attempt_note(request: Request, max_retries: int) -> str:
    """`attempt 2 of 4` for the retry bookkeeping in error texts."""
    tries = int(request.meta.get("max_retry_times", max_retries)) + 1
    return f"attempt {int(request.meta.get('retry_times', 0)) + 1} of {tries}"


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class CrawlRecorder:
    """Archives responses and collects crawl_log rows for one run, counting in Scrapy's stats."""

    def __init__(self, stats: StatsCollector, root: Root, source: str, day: date, run_id: str,
                 backfill: bool) -> None:
        self.scrapy_stats = stats
        self.root = root
        self.source = source
        self.day = day
        self.run_id = run_id
        self.backfill = backfill
        self.writer = WarcWriter(self.root, source, day, run_id)
        self.rows: list[LogRow] = []
        self._started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRecorder:
        settings = crawler.settings
        if not settings.get("PROVNEWS_RUN_ID"):
            raise NotConfigured("no crawl run to record (crawler.extensions.run_settings)")
        root = resolve(settings["PROVNEWS_RUN_WAREHOUSE"], settings.get("PROVNEWS_RUN_S3_ENDPOINT", ""))
        return cls(crawler.stats, root, settings["PROVNEWS_RUN_SOURCE"],
                   date.fromisoformat(settings["PROVNEWS_RUN_DAY"]), settings["PROVNEWS_RUN_ID"],
                   settings.getbool("PROVNEWS_RUN_BACKFILL"))

    def count(self, name: str, n: int = 1, key: str | None = None) -> None:
        """Add `n` to a CrawlCounts counter (`key`: which entry of a mapping such as by_status)."""
        self.scrapy_stats.inc_value(stat_key(name, key), n)

    @property
    def stats(self) -> CrawlCounts:
        """The counts so far."""
        return CrawlCounts.of_scrapy(self.scrapy_stats.get_stats())

    # -- attempts on the wire (archive middleware) ------------------------------------------------------

    def response(self, request: Request, response: Response, error: str | None = None) -> LogRow:
        """Archive one raw response (any status) and log it."""
        fetched_at = datetime.now(UTC)
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() for v in values]
        reason = reason_phrase(response.status)
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        pointer = self.writer.write_response(response.url, response.status, reason, headers, response.body,
                                             fetched_at, protocol)
        location = _header(response, "Location")
        redirect = location is not None and 300 <= response.status < 400
        row = LogRow(
            run_id=self.run_id, source=self.source, url=response.url, kind=kind_of(request),
            fetched_at=fetched_at, canonical_url=request.meta.get("canonical"),
            final_url=response.urljoin(location) if redirect and location else response.url,
            status=response.status, error=error, bytes=len(response.body), digest=pointer.digest,
            warc_file=pointer.warc_file, warc_offset=pointer.warc_offset, warc_record_id=pointer.record_id,
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
        )
        self._add(row)
        request.meta[RESPONSE_ROW] = row  # for refuse(): the body may still be found unusable
        self.count("responses")
        self.count("pages", row.kind != Kind.ROBOTS)
        self.count("by_status", key=str(response.status))
        self.count("bytes", len(response.body))
        if response.status == 304:
            self.count("not_modified")
        return row

    def failure(self, request: Request, error: str, kind: str | None = None, attempt: bool = True) -> LogRow:
        """A request that got no response: network error, timeout, robots, offsite, redirect limit."""
        row = LogRow(run_id=self.run_id, source=self.source, url=request.url, kind=kind or kind_of(request),
                     fetched_at=datetime.now(UTC), canonical_url=request.meta.get("canonical"), error=error)
        self._add(row, attempt)
        return row

    def refuse(self, request: Request, reason: str) -> LogRow:
        """The answer to `request` came, but its body is unusable (too large, not XML, a resource limit of the
        parser): the reason goes on that response's row. Without a response to this attempt, a row of its own."""
        row = request.meta.get(RESPONSE_ROW)
        if not isinstance(row, LogRow):
            return self.failure(request, reason, attempt=False)
        row.error = f"{row.error}; {reason}" if row.error else reason
        return row

    def bad_url(self, url: str, kind: str, reason: str) -> LogRow:
        """A URL a page declared (a sitemap <loc>, a robots Sitemap: line, a feed link, a next-page link) that
        is not one we can fetch: a row, never a request."""
        shown = url if len(url) <= SHOWN_URL_CHARS else url[:SHOWN_URL_CHARS] + "…"
        row = LogRow(run_id=self.run_id, source=self.source, url=shown, kind=kind, fetched_at=datetime.now(UTC),
                     error=f"bad url: {reason}")
        self._add(row, attempt=False)
        self.count("bad_urls")
        return row

    def pager_unfollowed(self, url: str, reason: str) -> LogRow:
        """A listing page whose pager could not be followed: a row of its own (no fetch), so the day's checks
        warn that the articles only behind that pager were not reached."""
        row = LogRow(run_id=self.run_id, source=self.source, url=url, kind=Kind.LISTING,
                     fetched_at=datetime.now(UTC), error=f"{PAGER_NOT_FOLLOWED}: {reason}")
        self._add(row, attempt=False)
        self.count("pagers_unfollowed")
        return row

    def _add(self, row: LogRow, attempt: bool = True) -> None:
        self.rows.append(row)
        if attempt:
            self.count("attempts")

    # -- outcomes (spider) ------------------------------------------------------------------------------

    def outcome(self, request: Request, ok: bool, reason: str | None = None) -> None:
        """The final result of one logical request, after retries and redirects."""
        self.count("requests_finished")
        self.count("retries", int(request.meta.get("retry_times", 0)))
        if not ok:
            self.count("requests_failed")
            self.count("errors", key=reason or "unknown")
            self.count("error_hosts", key=urlsplit(request.url).netloc)
        if request.meta.get("kind") == Kind.ARTICLE and not ok:
            self.count("article_failures")

    def article(self, request: Request, status: int) -> None:
        """The final answer to an article request: new, changed (2xx on a revisit), unchanged (304)."""
        revisit = bool(request.meta.get("revisit"))
        ok = 200 <= status < 300 or (revisit and status == 304)
        self.outcome(request, ok, None if ok else f"HTTP {status}")
        if status == 304:
            self.count("articles_unchanged", ok)
        elif ok:
            self.count("articles_fetched")
            self.count("articles_changed" if revisit else "new_articles")

    # -- end of run -------------------------------------------------------------------------------------

    def close(self) -> CrawlStats:
        """Close the archive; the run's stats: the counts, how Scrapy closed the run, what it wrote."""
        self.writer.close()
        archived = self.writer.records > 0
        return CrawlStats(
            **self.stats.model_dump(), run_id=self.run_id, source=self.source, day=self.day.isoformat(),
            backfill=self.backfill, finish_reason=self.scrapy_stats.get_value("finish_reason", ""),
            duration_s=round(time.monotonic() - self._started, 3), crawl_log_rows=len(self.rows),
            warc_file=self.writer.warc_file if archived else None,
            warc_records=self.writer.records)

    def rows_table(self) -> pa.Table:
        """The run's crawl_log rows (without partition columns; the writer adds source and dt)."""
        from warehouse.schema import CRAWL_LOG

        names = [f.name for f in CRAWL_LOG if f.name != "dt"]
        columns = {name: [getattr(r, name) for r in self.rows] for name in names}
        schema = pa.schema([CRAWL_LOG.field(name) for name in names])
        return pa.Table.from_pydict(columns, schema=schema)
