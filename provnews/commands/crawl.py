"""`provnews crawl --source S --date D [--backfill]`: crawl one source for one day (Scrapy subprocess)."""

from __future__ import annotations

import argparse
import json

from provnews.commands import crawl_day, source_id
from provnews.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "crawl", help="crawl one source for one day into the raw archive and crawl_log",
        description="Runs Scrapy in a subprocess for SOURCE (a profile in PROVNEWS_SOURCES_DIR). Every "
        "response is archived as a WARC record under raw/source=S/dt=D/, every attempt is a crawl_log row. "
        "Daily runs fetch only articles the warehouse does not hold yet (has not landed), ask directly for "
        "those fetched or tried before that never landed, and ask again, conditionally, for "
        "articles first fetched within the profile's revisit_days or announced as changed by a sitemap or "
        "feed (an unchanged one answers 304, an edited one is archived again); --backfill walks listings "
        "and sitemaps to their end (within the profile's bounds). Prints the run's stats as JSON and exits 1 "
        "when the site could not be reached (a refused connection is not retried, and the crawl stops once "
        "every listing, feed and sitemap failed to connect), answered only errors, robots.txt forbids "
        "everything, nothing was fetched, or the error rate was too high.",
    )
    parser.add_argument("--source", required=True, type=source_id, help="source id, e.g. baohaiduong")
    parser.add_argument("--date", required=True, type=crawl_day, metavar="YYYY-MM-DD",
                        help="crawl day: the raw and crawl_log partition the run writes")
    parser.add_argument("--backfill", action="store_true",
                        help="walk deeper into listings and sitemaps (first runs, history)")
    parser.add_argument("--max-error-rate", type=float, default=0.5, metavar="R",
                        help="fail when more than this share of requests finally failed (default 0.5)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting, JSON value (e.g. --set DOWNLOAD_DELAY=0); repeatable")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.run import parse_overrides
    from provnews.stages.crawl import crawl
    from sources.config import find_source

    find_source(settings.sources_dir, args.source)  # a missing or broken profile: one line per error, exit 2
    result = crawl(settings, args.source, args.date, args.backfill, overrides=parse_overrides(args.set),
                   max_error_rate=args.max_error_rate)
    print(json.dumps(result.summary(), ensure_ascii=False, indent=2))
    return 0 if result.ok else 1
