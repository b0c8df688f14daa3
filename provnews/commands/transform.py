"""`provnews transform --source S --date D`: extract one source's archived crawl day (nothing is written)."""

from __future__ import annotations

import argparse
import json
import sys

from provnews.commands import crawl_day, source_id
from provnews.settings import Settings
from provnews.stages.transform import transform

_DESCRIPTION = """\
Read the WARC records of one source's crawl day from the warehouse (raw/source=S/dt=D) and extract every
article page with the current extractor. Prints one JSON line per record ({"table": "articles", ...}) and per
quarantined page ({"table": "quarantine", ...}), then a summary line on stderr. Writing to the warehouse is
`provnews load`'s job."""

def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("transform", help="extract one source's archived crawl day",
                                   description=_DESCRIPTION)
    parser.add_argument("--source", required=True, type=source_id, help="source id (a file in PROVNEWS_SOURCES_DIR)")
    parser.add_argument("--date", required=True, type=crawl_day, help="crawl day, YYYY-MM-DD")
    parser.add_argument("--summary", action="store_true", help="print only the counts")
    parser.set_defaults(func=run)

def run(args: argparse.Namespace, settings: Settings) -> int:
    result = transform(settings, args.source, args.date)
    if not args.summary:
        for rec in result.records:
            print(json.dumps({"table": "articles", **rec.as_row()}, ensure_ascii=False, default=str))
        for q in result.quarantine:
            print(json.dumps({"table": "quarantine", **q.as_row()}, ensure_ascii=False, default=str))
    summary = {"source": args.source, "date": args.date.isoformat(), "records": len(result.records),
               "quarantined": len(result.quarantine), "skipped": dict(result.skipped)}

    print(json.dumps(summary), file=sys.stderr if not args.summary else sys.stdout)
    return 0
