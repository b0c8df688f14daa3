"""`make demo`: the daily pipeline end to end on the local replica.

1. starts the replica of provincial sites on 127.0.0.2.. (port PORT, clock at TODAY);
2. runs the daily pipeline (`provnews.stages.run.run`, the DAG's code path) once for every replica source;
3. prints the counts per source, where the Parquet landed and a sample query;
4. scores what landed against the replica's gold records (share of gold articles with the right title and
   publication time), then runs the same day again to show that it adds no row.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from crawler import log as logsetup
from provnews.settings import Settings
from provnews.stages.knowledge import build as build_knowledge
from provnews.stages.report import COUNT_FIELDS, SHORT_NAMES, SourceReport
from provnews.stages.run import run
from provnews_tools.replica_sources import SOURCE_PORT, sources_for_port
from replica.server import ReplicaServer
from replica.world import World, WorldConfig, local_today
from warehouse.views import connect

log = logging.getLogger("provnews.demo")  # its lines read as before the move to provnews-tools

SAMPLE_QUERY = """
select source, count(*) as articles, min(published_date) as oldest, max(published_date) as newest,
       count(*) filter (where updated_at is not null) as edited
from articles group by source order by source
"""
# Who holds which post, and since when, as the articles tell it (the officials table)
OFFICIALS_QUERY = """
select province_2025, position, name, first_seen, last_seen, articles
from officials where position ilike 'Bí thư %' or position ilike 'Chủ tịch UBND%'
order by province_2025, position, first_seen limit 8
"""
# The documents cited most, by how many articles and sources (the documents table; a provincial number such as
# 143-NQ/TU is one document per province)
DOCUMENTS_QUERY = """
select number, province_2025, kind, issuer, articles, sources, first_seen
from documents order by articles desc, number, province_2025 limit 8
"""


def article_count(settings: Settings) -> int:
    con = connect(settings.warehouse)
    try:
        row = con.execute("select count(*) from articles").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def gold_score(settings: Settings, world: World, today: date, port: int) -> dict[str, tuple[int, int]]:
    """Per site: (gold articles landed with the right title and publication time, gold articles)."""
    con = connect(settings.warehouse)
    try:
        rows = con.execute("select url, title, published_at from articles").fetchall()
    finally:
        con.close()
    landed = {url: (title, published) for url, title, published in rows}
    score = {}
    for site in world.sites:
        good = total = 0
        for article in world.articles(site.id, today):
            total += 1
            got = landed.get(site.base_url(port) + article.path)
            pub: datetime = article.ref.published_at
            good += got is not None and got[0] == article.title and got[1] == pub
        score[site.id] = (good, total)
    return score


def print_table(results: Sequence[SourceReport]) -> None:
    widths = [max(8, len(SHORT_NAMES[c])) + 2 for c in COUNT_FIELDS]
    print(f"\n{'source':<16}" + "".join(f"{SHORT_NAMES[c]:>{w}}" for c, w in zip(COUNT_FIELDS, widths, strict=True))
          + "  status")
    for r in results:
        status = f"{r.status}: {r.problem}" if r.problem else r.status
        print(f"{r.source:<16}" + "".join(f"{getattr(r, c):>{w}}" for c, w in zip(COUNT_FIELDS, widths, strict=True))
              + f"  {status}")


def print_query(settings: Settings, sql: str) -> None:
    con = connect(settings.warehouse)
    try:
        rel = con.sql(sql)
        print("\n" + " | ".join(rel.columns))
        for row in rel.fetchall():
            print(" | ".join(str(v) for v in row))
    finally:
        con.close()


def run_all(settings: Settings, sources: Sequence[str], today: date) -> list[SourceReport]:
    results = []
    for n, source in enumerate(sources, start=1):
        log.info("pipeline %d/%d: %s", n, len(sources), source)
        results.append(run(settings, source, today))
    build_knowledge(settings)  # officials, documents, duplicates across the sources, as `provnews run` does
    return results


def demo(port: int, today: date, config: WorldConfig) -> int:
    world = World(config)
    with tempfile.TemporaryDirectory(prefix="provnews-demo-") as tmp, \
            ReplicaServer(world, port, today) as server:
        settings = Settings.from_env().model_copy(update={"sources_dir": sources_for_port(port, Path(tmp))})
        for site, url in server.base_urls.items():
            log.info("replica site %s at %s", site, url)
        sources = [site.id for site in world.sites]
        results = run_all(settings, sources, today)
        print_table(results)
        print(f"\nParquet landed under {settings.warehouse.resolve()}/"
              "{articles,crawl_log,quarantine,mentions,places,figures}/source=…/…, "
              "{officials,documents,duplicates}/… and raw WARC under raw/")
        print_query(settings, SAMPLE_QUERY)
        print("\nofficials (who holds which post, first and last seen):", end="")
        print_query(settings, OFFICIALS_QUERY)
        print("\ndocuments (the most cited):", end="")
        print_query(settings, DOCUMENTS_QUERY)

        score = gold_score(settings, world, today, port)
        good = sum(g for g, _ in score.values())
        total = sum(t for _, t in score.values())
        print("\ngold articles landed with the right title and publication time:")
        for site_id, (g, t) in score.items():
            print(f"  {site_id:<16} {g}/{t}")
        print(f"  {'all':<16} {good}/{total} = {good / max(total, 1):.1%}")

        before = article_count(settings)
        print(f"\nsecond run of {today} (must add no row): articles before = {before}")
        again = run_all(settings, sources, today)
        after = article_count(settings)
        print(f"articles after = {after} (added {after - before})")
        failed = [r for r in results + again if r.status == "failed"]
        return 1 if failed or after != before else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provnews_tools.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=SOURCE_PORT, help="replica port (default 8377)")
    parser.add_argument("--today", type=date.fromisoformat, default=local_today(),
                        help="the replica's clock and the day crawled (default: today in Vietnam, %(default)s)")
    parser.add_argument("--per-day", type=int, default=WorldConfig().per_day, help="articles a day per site")
    parser.add_argument("--days", type=int, default=WorldConfig().days, help="days of generated history")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logsetup.setup(settings.log_level, settings.log_format)
    config = WorldConfig(per_day=args.per_day, days=args.days, end=args.today)
    return demo(args.port, args.today, config)


if __name__ == "__main__":
    sys.exit(main())
