"""The crawl's two outputs: the WARC archive (streamed, record by record) and the crawl_log rows.

`CrawlRecorder` is owned by one run. The archive middleware calls `response()`/`exception()` for every
attempt on the wire; the spider calls `outcome()` once per logical request and `dropped()` for what it
refuses to fetch. At the end `rows_table()` becomes the run's crawl_log rows.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
from scrapy.http import Request, Response

from crawler.items import PAGER_NOT_FOLLOWED, Kind, LogRow, RunStats
from warehouse.raw import WarcWriter

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}
RESPONSE_ROW = "_provnews_response_row"  # request.meta: the crawl_log row of the response to this attempt
SHOWN_URL_CHARS = 500  # a longer URL (a giant attribute) is cut in its crawl_log row; the error says how long


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
    """Archives responses and collects crawl_log rows and counters for one run."""

    def __init__(self, root: Path, source: str, day: date, run_id: str, backfill: bool) -> None:
        self.root = Path(root)
        self.source = source
        self.day = day
        self.run_id = run_id
        self.writer = WarcWriter(self.root, source, day, run_id)
        self.rows: list[LogRow] = []
        self.stats = RunStats(run_id, source, day.isoformat(), backfill)
        self._started = time.monotonic()

    # -- attempts on the wire (archive middleware) ------------------------------------------------------

    def response(self, request: Request, response: Response, error: str | None = None) -> LogRow:
        """Archive one raw response (any status) and log it."""
        fetched_at = datetime.now(UTC)
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() for v in values]
        reason = _REASONS.get(response.status, "")
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
        self.stats.responses += 1
        self.stats.pages += row.kind != Kind.ROBOTS
        self.stats.by_status[str(response.status)] += 1
        self.stats.bytes += len(response.body)
        if response.status == 304:
            self.stats.not_modified += 1
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
        self.stats.bad_urls += 1
        return row

    def pager_unfollowed(self, url: str, reason: str) -> LogRow:
        """A listing page whose pager could not be followed: a row of its own (no fetch), so the day's checks
        warn that the articles only behind that pager were not reached."""
        row = LogRow(run_id=self.run_id, source=self.source, url=url, kind=Kind.LISTING,
                     fetched_at=datetime.now(UTC), error=f"{PAGER_NOT_FOLLOWED}: {reason}")
        self._add(row, attempt=False)
        self.stats.pagers_unfollowed += 1
        return row

    def _add(self, row: LogRow, attempt: bool = True) -> None:
        self.rows.append(row)
        if attempt:
            self.stats.attempts += 1

    # -- outcomes (spider) ------------------------------------------------------------------------------

    def outcome(self, request: Request, ok: bool, reason: str | None = None) -> None:
        """The final result of one logical request, after retries and redirects."""
        self.stats.requests_finished += 1
        self.stats.retries += int(request.meta.get("retry_times", 0))
        if not ok:
            self.stats.requests_failed += 1
            self.stats.errors[reason or "unknown"] += 1
            self.stats.error_hosts[urlsplit(request.url).netloc] += 1
        if request.meta.get("kind") == Kind.ARTICLE and not ok:
            self.stats.article_failures += 1

    def article(self, request: Request, status: int) -> None:
        """The final answer to an article request: new, changed (2xx on a revisit), unchanged (304)."""
        revisit = bool(request.meta.get("revisit"))
        ok = 200 <= status < 300 or (revisit and status == 304)
        self.outcome(request, ok, None if ok else f"HTTP {status}")
        if status == 304:
            self.stats.articles_unchanged += ok
        elif ok:
            self.stats.articles_fetched += 1
            if revisit:
                self.stats.articles_changed += 1
            else:
                self.stats.new_articles += 1

    # -- end of run -------------------------------------------------------------------------------------

    def close(self) -> RunStats:
        self.writer.close()
        self.stats.duration_s = round(time.monotonic() - self._started, 3)
        return self.stats

    def rows_table(self) -> pa.Table:
        """The run's crawl_log rows (without partition columns; the writer adds source and dt)."""
        from warehouse.schema import CRAWL_LOG

        names = [f.name for f in CRAWL_LOG if f.name != "dt"]
        columns = {name: [getattr(r, name) for r in self.rows] for name in names}
        schema = pa.schema([CRAWL_LOG.field(name) for name in names])
        return pa.Table.from_pydict(columns, schema=schema)
