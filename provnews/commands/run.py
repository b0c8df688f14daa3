"""`provnews run --source S|all --date D`: crawl, transform, load and check, the DAG's code path."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date

from provnews.commands import UsageError, crawl_day, source_or_all
from provnews.settings import Settings
from provnews.stages.report import SourceReport

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
    parser.add_argument("--source", required=True, type=source_or_all,
                        help="a source id, or 'all' for every enabled source")
    parser.add_argument("--date", required=True, type=crawl_day, metavar="YYYY-MM-DD",
                        help="the day to crawl (local date, Asia/Ho_Chi_Minh)")
    depth = parser.add_mutually_exclusive_group()
    depth.add_argument("--backfill", dest="backfill", action="store_true", default=None,
                       help="walk listings and sitemaps deeply (default: until one backfill of the source succeeded)")
    depth.add_argument("--no-backfill", dest="backfill", action="store_false",
                       help="never backfill, even on a first run")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from provnews.stages.knowledge import build as build_knowledge
    from provnews.stages.run import run
    from sources.config import read_sources

    sources, broken = read_sources(settings.sources_dir)
    if args.source == "all":  # a broken profile fails its own source; the others run
        ids = sorted({sid for sid, cfg in sources.items() if cfg.enabled} | set(broken))
    elif args.source in broken:
        raise broken[args.source]
    elif args.source in sources:
        ids = [args.source]
    else:
        known = ", ".join(sorted({*sources, *broken})) or "none"
        raise UsageError(f"argument --source: no source {args.source!r} in {settings.sources_dir} (known: {known})")
    failed = 0
    for n, source in enumerate(ids, start=1):
        log.info("source %d/%d: %s", n, len(ids), source)
        if source in broken:
            report = unusable_profile(settings, source, args.date, broken[source])
        else:
            report = run(settings, source, args.date, backfill=args.backfill)
        failed += report.status == "failed"
        log.log(logging.WARNING if report.problem else logging.INFO, "%s", report.line())
        print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
    built = build_knowledge(settings)  # officials, documents, duplicates: from every source, after the loads
    log.info("knowledge tables: %d officials, %d documents, %d duplicates", built.officials, built.documents,
             built.duplicates)
    return 1 if failed else 0


def unusable_profile(settings: Settings, source: str, day: date, error: Exception) -> SourceReport:
    """The failed day of a source whose profile does not load, landed in the runs table like any other."""
    from provnews.stages.run import record

    report = SourceReport(source, day.isoformat(), status="failed",
                          problem="config: " + "; ".join(str(error).splitlines()))
    record(settings, [report.as_dict()])
    return report
