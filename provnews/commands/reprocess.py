"""`provnews reprocess --since D1 --until D2`: re-extract archived days with the current extractor."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from provnews.commands import check_range, crawl_day, source_id
from provnews.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reprocess", help="re-extract archived crawl days from the raw WARC archive, without crawling",
        description="For every source (or those given) and every crawl day in [SINCE, UNTIL] that has raw "
        "archives, runs transform + load again with the current extractor, then rebuilds the tables across "
        "sources (officials, documents, duplicates). Rows are replaced by article_id, so reprocessing is "
        "idempotent. Prints one JSON line per day.",
    )
    parser.add_argument("--since", required=True, type=crawl_day, metavar="YYYY-MM-DD")
    parser.add_argument("--until", required=True, type=crawl_day, metavar="YYYY-MM-DD")
    parser.add_argument("--source", action="append", dest="sources", type=source_id, metavar="ID",
                        help="only this source (repeatable); default: every archived source")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from provnews.stages.knowledge import build as build_knowledge
    from provnews.stages.reprocess import reprocess

    check_range(args.since, args.until)
    done = reprocess(settings, args.since, args.until, args.sources)
    for item in done:
        print(json.dumps({"source": item.source, "day": item.day.isoformat(), **asdict(item.counts),
                          "quarantined": item.quarantined}, ensure_ascii=False))
    if not done:
        print(json.dumps({"reprocessed": 0, "since": args.since.isoformat(), "until": args.until.isoformat()}))
    else:  # the tables across sources follow the re-extracted mentions
        build_knowledge(settings)
    return 0
