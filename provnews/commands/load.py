"""`provnews load --source S --date D`: transform a crawl day from the raw archive and write it to Parquet."""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import asdict

from provnews.commands import crawl_day, source_id
from provnews.settings import Settings
from warehouse.lock import LockTimeout
from warehouse.writer import SchemaError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "load", help="extract a source's archived crawl day and write the articles to the warehouse",
        description="Runs the transform stage over the raw archive of SOURCE for DATE, then upserts the "
        "articles (by article_id, into month partitions) and replaces that day's quarantine partition. "
        "Idempotent: loading the same day twice changes nothing. Prints the counts as JSON.",
    )
    parser.add_argument("--source", required=True, type=source_id, help="source id, e.g. baohaiduong")
    parser.add_argument("--date", required=True, type=crawl_day, metavar="YYYY-MM-DD",
                        help="crawl day to load")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from provnews.stages.load import load
    from provnews.stages.transform import transform

    try:
        result = transform(settings, args.source, args.date)
        counts = load(settings, args.source, args.date, result)
    except (LockTimeout, SchemaError) as exc:
        log.error("load failed: %s", exc, extra={"source": args.source, "day": args.date.isoformat()})
        return 1
    report = {"source": args.source, "date": args.date.isoformat(), **asdict(counts),
              "quarantined": len(result.quarantine), "warehouse": settings.warehouse_url}
    print(json.dumps(report, ensure_ascii=False))
    return 0
