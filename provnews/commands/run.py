"""`provnews run --source S|all --date D`: crawl, transform, load and check, the DAG's code path."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date

from provnews.settings import Settings

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="run the daily pipeline (crawl → transform → load → checks) for one or all sources",
        description="Runs the same stages as the daily Airflow DAG, source by source, after loading from the raw "
        "archive any earlier day whose pages did not land. A source backfills automatically until one backfill "
        "crawl has succeeded (its first run). One source failing does not stop the others; "
        "the exit code is 1 if any failed (a warning, e.g. a quiet day, does not fail). Prints one JSON line "
        "per source: pages_fetched, not_modified, errors, articles_new, articles_updated, articles_unchanged, "
        "quarantined, status (ok | warning | failed) and problem; the same row lands in the runs table.",
    )
    parser.add_argument("--source", required=True, help="a source id, or 'all' for every enabled source")
    parser.add_argument("--date", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day to crawl (local date, Asia/Ho_Chi_Minh)")
    depth = parser.add_mutually_exclusive_group()
    depth.add_argument("--backfill", dest="backfill", action="store_true", default=None,
                       help="walk listings and sitemaps deeply (default: until one backfill of the source succeeded)")
    depth.add_argument("--no-backfill", dest="backfill", action="store_false",
                       help="never backfill, even on a first run")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import load_sources
    from provnews.stages.run import run

    sources = load_sources(settings.sources_dir)
    if args.source == "all":
        ids = sorted(sid for sid, cfg in sources.items() if cfg.enabled)
    elif args.source in sources:
        ids = [args.source]
    else:
        log.error("unknown source %r; known: %s", args.source, ", ".join(sorted(sources)))
        return 2
    failed = 0
    for n, source in enumerate(ids, start=1):
        log.info("source %d/%d: %s", n, len(ids), source)
        report = run(settings, source, args.date, backfill=args.backfill)
        failed += report.status == "failed"
        log.log(logging.WARNING if report.problem else logging.INFO, "%s", report.line())
        print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
    return 1 if failed else 0
