"""The crawl subprocess: `python -m crawler.run --source S --date D --warehouse W ...`.

One Scrapy process per source and day (the parent, provnews.stages.crawl, never hosts a Twisted reactor).
It reads the warehouse's state (articles that landed and articles owed, validators and archived copies of
discovery pages), crawls, streams every response to `raw/source=S/dt=D/{run_id}.warc.gz`, then appends the run's
crawl_log rows and writes its stats as JSON to --stats-out.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from scrapy.crawler import CrawlerProcess

from crawler.crawl_log import DISCOVERY_KINDS
from crawler.crawl_stats import CrawlStats
from crawler.extensions import recorder_of, run_settings
from crawler.middlewares import exception_classes
from crawler.settings import crawl_settings
from crawler.spiders.news import HeldArticle, NewsSpider, PreviousFetch
from sources.config import SourceConfig, SourceConfigError, find_source
from transforms.version import EXTRACTOR_VERSION
from warehouse.raw import BodyTooLarge, read_record
from warehouse.reader import ArticleFetches, article_fetches, read_source
from warehouse.storage import Root, S3Root, resolve

log = logging.getLogger("crawler.run")

_DISCOVERY_KINDS = [str(k) for k in DISCOVERY_KINDS]


def previous_fetches(root: Root, source: str) -> dict[str, PreviousFetch]:
    """url → validators and a lazy reader of the archived body, from the latest 2xx fetch of each
    discovery URL in crawl_log (the warehouse is the state; no side database)."""
    where = (pc.field("status") >= 200) & (pc.field("status") <= 299) & pc.field("warc_file").is_valid() \
        & pc.field("kind").isin(_DISCOVERY_KINDS)
    columns = ["url", "etag", "last_modified", "warc_file", "warc_offset", "fetched_at"]
    rows = read_source(root, "crawl_log", source, columns, where).sort_by("fetched_at").to_pylist()
    out: dict[str, PreviousFetch] = {}
    for row in rows:  # later fetches overwrite earlier ones
        reader = partial(_archived_body, root, row["warc_file"], row["warc_offset"])
        out[row["url"]] = PreviousFetch(row["etag"], row["last_modified"], reader)
    return out


def _archived_body(root: Root, warc_file: str, offset: int, *, max_bytes: int) -> bytes:
    """The archived body, decompressed up to `max_bytes` (the spider passes DOWNLOAD_MAXSIZE); BodyTooLarge past it."""
    raw = read_record(root, warc_file, offset, max_bytes=max_bytes)
    if raw.problem:
        raise BodyTooLarge(raw.problem)
    return raw.body


@dataclass(frozen=True)
class ArticleState:
    """What the crawl starts from: the articles the warehouse holds, and those it is owed."""

    held: dict[str, HeldArticle]  # canonical URL -> first fetch day and the validators of what landed
    owed: dict[str, HeldArticle | None]  # asked for directly; conditionally only against a version that landed
    given_up: int = 0  # owed, but tried by PROVNEWS_UNLANDED_MAX_RUNS runs already


def article_state(root: Root, source: str, max_runs: int) -> ArticleState:
    """Held means landed (warehouse.reader.article_fetches), not fetched: a page fetched on a day that was
    never loaded, or quarantined by an older extractor, is owed, so the crawl asks for it again, and never
    conditionally against a version that did not land."""
    held: dict[str, HeldArticle] = {}
    owed: dict[str, HeldArticle | None] = {}
    given_up = 0
    for url, fetches in article_fetches(root, source, EXTRACTOR_VERSION).items():
        article = _held(fetches) if fetches.held else None
        if article is not None:
            held[url] = article
        if fetches.owed and fetches.tries < max_runs:
            owed[url] = article
        elif fetches.owed:
            given_up += 1
    return ArticleState(held, owed, given_up)


def _held(fetches: ArticleFetches) -> HeldArticle | None:
    """The first fetch day (the revisit window counts from it) and the validators of the fetch that landed."""
    row = fetches.landed or {}
    first = fetches.first_day or (date.fromisoformat(row["dt"]) if row else None)
    if first is None:
        return None
    return HeldArticle(first, row.get("fetched_at"), row.get("etag"), row.get("last_modified"))


# Scrapy loggers that print set-up dumps (versions, settings, middleware lists, the stats dict) at INFO.
# Above DEBUG only their warnings pass; progress (scrapy.extensions.logstats) and our own lines stay.
QUIET_LOGGERS = ("scrapy.utils.log", "scrapy.crawler", "scrapy.middleware", "scrapy.addons",
                 "scrapy.statscollectors", "scrapy.core.engine")


class QuietScrapyFilter(logging.Filter):
    """Drops INFO records of QUIET_LOGGERS. A handler filter, because Scrapy's dictConfig resets the
    levels of every scrapy.* logger when the crawler process starts."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("spider", None)  # Scrapy's extra={"spider": ...} would print its repr
        return record.levelno >= logging.WARNING or not record.name.startswith(QUIET_LOGGERS)


class UnreachableFilter(logging.Filter):
    """Drops Scrapy's records that carry a traceback of a host that could not be reached (its robots.txt
    middleware logs one at ERROR): an expected failure, already given its one warning line by
    crawler.middlewares.UnreachableSiteMiddleware."""

    def __init__(self, exceptions: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.exceptions = exceptions

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (record.name.startswith("scrapy.") and isinstance(exc, self.exceptions))


def setup_logging(settings: dict[str, Any]) -> None:
    """The project's log format in the child too, at LOG_LEVEL (from PROVNEWS_LOG_LEVEL via the parent);
    the parent (provnews.stages.crawl) asks for JSON lines and relays them at their level."""
    from crawler.log import setup

    level = str(settings.get("LOG_LEVEL", "INFO")).upper()
    setup(level, str(settings.get("PROVNEWS_LOG_FORMAT", "text")))
    # Python warnings and a crash are log records too, so a parent reading JSON lines sees their level
    logging.captureWarnings(True)
    sys.excepthook = lambda kind, exc, tb: log.critical("crawl crashed", exc_info=(kind, exc, tb))
    unreachable = UnreachableFilter(exception_classes(settings.get("PROVNEWS_UNREACHABLE_EXCEPTIONS") or []))
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # Scrapy's loggers are at DEBUG: the handler must filter by level
        handler.addFilter(unreachable)
        if logging.getLevelName(level) > logging.DEBUG:
            handler.addFilter(QuietScrapyFilter())


def run(source: SourceConfig, day: date, root: Root, run_id: str, backfill: bool,
        overrides: dict[str, Any], stats_out: Path,
        append_rows: Callable[..., Any] | None = None, contact: str = "") -> CrawlStats:
    settings = {**crawl_settings(source, overrides, contact), **run_settings(root, source.id, day, run_id, backfill),
                "LOG_INSTALL_ROOT_HANDLER": False}
    setup_logging(settings)
    articles = article_state(root, source.id, int(settings["PROVNEWS_UNLANDED_MAX_RUNS"]))
    previous = previous_fetches(root, source.id)
    log.info("crawl started", extra={"source": source.id, "day": day.isoformat(), "run_id": run_id,
                                     "backfill": backfill, "held_articles": len(articles.held),
                                     "owed_articles": len(articles.owed), "given_up": articles.given_up,
                                     "revisit_days": source.revisit_days})
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, source=source, day=day, known_articles=articles.held, previous=previous,
                  backfill=backfill, owed=articles.owed)
    try:
        process.start()
    finally:
        recorder = recorder_of(crawler)  # the extension Scrapy made for this run (crawler.extensions)
        stats = recorder.close()
        rows = recorder.rows_table()
        if rows.num_rows:
            (append_rows or _append_crawl_log)(root, source.id, day.isoformat(), rows)
    stats_out.parent.mkdir(parents=True, exist_ok=True)
    stats_out.write_text(stats.to_json(), encoding="utf-8")
    log.info("crawl finished", extra={"source": stats.source, "day": stats.day, **stats.in_words(FINISH_WORDS)})
    return stats


# what the finish line says (crawler.crawl_stats.WORDS), after the source and day
FINISH_WORDS = ("pages_fetched", "not_modified", "errors", "article_pages_new", "article_pages_changed",
                "article_pages_owed", "known_articles_skipped", "retries", "duration_s", "finish_reason")


def _append_crawl_log(root: Root, source: str, day: str, rows: Any) -> None:
    from warehouse.writer import append_crawl_log

    append_crawl_log(root, source, day, rows)


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """`NAME=VALUE` pairs; VALUE is JSON when it parses as JSON (numbers, booleans), else a string."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"--set expects NAME=VALUE, got {pair!r}")
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            out[name] = value
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--date", required=True, type=date.fromisoformat, help="crawl day YYYY-MM-DD")
    parser.add_argument("--warehouse", required=True, help="a directory, or s3://bucket/prefix")
    parser.add_argument("--s3-endpoint", default="", help="PROVNEWS_S3_ENDPOINT, for an s3:// warehouse")
    parser.add_argument("--warehouse-lock", default="", help="PROVNEWS_WAREHOUSE_LOCK, for an s3:// warehouse")
    parser.add_argument("--sources-dir", required=True, type=Path)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--stats-out", required=True, type=Path)
    parser.add_argument("--backfill", action="store_true")
    parser.add_argument("--contact", default="", help="PROVNEWS_CONTACT, added to the User-Agent")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting override (JSON value), e.g. DOWNLOAD_DELAY=0")
    args = parser.parse_args(argv)
    try:
        source = find_source(args.sources_dir, args.source)
    except SourceConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if source.real_site and not args.contact.strip():
        print(f"error: source {source.id!r} is a real site: set PROVNEWS_CONTACT (an e-mail address or URL its "
              f"operator can reach you at; it goes into the User-Agent)", file=sys.stderr)
        return 2
    root = resolve(args.warehouse, args.s3_endpoint, lock_url=args.warehouse_lock)
    run(source, args.date, root if isinstance(root, S3Root) else root.resolve(), args.run_id, args.backfill,
        parse_overrides(args.set), args.stats_out, contact=args.contact)
    return 0


def exit_now(code: int) -> None:
    """End the child without the interpreter's teardown (0.3-0.45 s of module and thread clean-up per run,
    measured). Safe here: by now the WARC is closed, crawl_log replaced atomically and the stats file
    written; only Python's own stream buffers are left, and they are flushed first."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
