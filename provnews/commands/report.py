"""`provnews report --since D [--until D] [--out DIR]`: the daily report, a static HTML page with charts."""

from __future__ import annotations

import argparse
from pathlib import Path

from provnews.commands import check_range, crawl_day
from provnews.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report", help="write the daily report: an HTML page with per-source counts and charts",
        description="Writes index.html and PNG charts: every source's counts and status on the last day, "
        "articles per source and per province, articles_new and articles_updated, failed fetches and "
        "quarantine reasons per day, the slowest and the silent sources. Prints the page's path.",
    )
    parser.add_argument("--since", required=True, type=crawl_day, metavar="YYYY-MM-DD",
                        help="first crawl day of the range")
    parser.add_argument("--until", type=crawl_day, metavar="YYYY-MM-DD",
                        help="last crawl day, the day the per-source table shows (default: the latest crawl "
                        "day in the runs and crawl_log tables, or --since when there is none)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="directory to write into (default: WAREHOUSE/reports/UNTIL/)")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if args.until is not None:
        check_range(args.since, args.until)
    # matplotlib comes in with the report: its first import on a machine prints a font-cache notice, which must
    # not be added to an argument error
    from provnews.stages.daily_report import write_report
    from warehouse.reader import latest_day

    until = args.until or max(latest_day(settings.warehouse_root) or args.since, args.since)
    print(write_report(settings.warehouse_root, args.since, until, args.out))
    return 0
