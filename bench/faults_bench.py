"""Fault run: the daily pipeline over a faulty replica for consecutive days, scored against the gold.

1. Serves a replica in this process (5 sites, --per-day articles a day, --history days before the first crawl
   day), so that its clock and its faults can change between days.
2. For each of --days consecutive days, steps the replica's clock to that day, switches on that day's faults
   (FAULT_DAYS: transient 500/503 on the backfill, 90 % connection resets that fail the crawl, truncated
   answers, heavy 500/503, slow answers past the download timeout; the last day is healthy) and runs
   provnews.stages.run.run for every site, --jobs at a time (each crawl is its own Scrapy subprocess).
3. Compares the articles table with the replica's gold of the last day: every gold article must be there
   exactly once with its publication time. Prints lost / duplicated / wrong-date counts (lost beyond the
   articles the site never served successfully, which are listed) and writes JSON to
   bench/results/faults_bench.json. Exits 1 unless 0 lost, 0 duplicated and 0 wrong dates.

Articles are matched to the gold by the replica's own key (the path it serves the article under), so two
URLs landing for one article count as a duplicate.

Usage: .venv/bin/python bench/faults_bench.py [--days 6] [--per-day 4] [--history 10] [--jobs 2] [--seed 1]
       [--keep DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from provnews.settings import Settings
from provnews.stages.report import SourceReport
from provnews.stages.run import run
from provnews_tools.replica_sources import write_sources
from replica import gold
from replica.faults import Faults
from replica.server import ReplicaBindError, ReplicaServer
from replica.world import DEFAULT_END, World, WorldConfig
from warehouse.reader import read_source

RESULTS = Path(__file__).resolve().parent / "results" / "faults_bench.json"
DOWNLOAD_TIMEOUT_S = 2  # slow answers (SLOW_SECONDS) run past it: timeouts, retried
SLOW_SECONDS = 3.0
# Politeness off (loopback), quick retries; the crawl's own retry count (4 tries) and error-rate check stay.
CRAWL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
         "PROVNEWS_RETRY_BACKOFF_BASE": 0.05, "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT_S, "LOG_LEVEL": "ERROR"}

# One fault mode per day, cycled over --days; the last day is always healthy. max_in_a_row past the crawler's
# 4 tries makes some requests fail for good (the point), at most 2 in a row only delays them.
FAULT_DAYS: tuple[tuple[str, Faults], ...] = (
    ("500/503 on 20 %, transient", Faults(error_500=0.1, error_503=0.1, max_in_a_row=2)),
    ("connection resets on 90 %, the crawl fails", Faults(reset=0.9, max_in_a_row=20)),
    ("truncated answers on 50 %", Faults(truncate=0.5, max_in_a_row=6)),
    ("500/503 on 60 %", Faults(error_500=0.3, error_503=0.3, max_in_a_row=6)),
    (f"slow answers ({SLOW_SECONDS:g} s) on 30 %", Faults(slow=0.3, slow_seconds=SLOW_SECONDS, max_in_a_row=6)),
)
HEALTHY = ("healthy", Faults())


def schedule(days: int, seed: int) -> list[tuple[str, Faults]]:
    """The faults of each crawl day: FAULT_DAYS in turn, each with its own seed, and a healthy last day."""
    faulty = [FAULT_DAYS[n % len(FAULT_DAYS)] for n in range(max(days - 1, 0))]
    return [(name, replace(f, seed=seed + n)) for n, (name, f) in enumerate(faulty)] + [HEALTHY]


@contextmanager
def serve(world: World, today: date, attempts: int = 20) -> Iterator[ReplicaServer]:
    """The replica on a port free on every site address (retrying on a clash)."""
    for _ in range(attempts):
        with socket.socket() as sock:
            sock.bind((world.sites[0].host, 0))
            port = sock.getsockname()[1]
        server = ReplicaServer(world, port, today)
        try:
            server.start()
        except ReplicaBindError:
            continue
        try:
            yield server
        finally:
            server.stop()
        return
    raise RuntimeError(f"no free port for the replica after {attempts} attempts")


def crawl_days(server: ReplicaServer, settings: Settings, days: Sequence[date],
               faults: Sequence[tuple[str, Faults]], jobs: int) -> list[dict[str, Any]]:
    """Run every site on each day under that day's faults; one summary per day."""
    sites = [site.id for site in server.world.sites]
    out = []
    for day, (name, day_faults) in zip(days, faults, strict=True):
        server.today, server.faults = day, day_faults
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run, settings, site, day, crawl_overrides=CRAWL) for site in sites]
            reports: list[SourceReport] = [f.result() for f in futures]
        seconds = round(time.monotonic() - started, 1)
        print(f"{day} {name} ({seconds} s)", flush=True)
        for report in reports:
            print(f"  {report.line()}", flush=True)
        out.append({"day": day.isoformat(), "faults": name, "seconds": seconds,
                    "sources": {r.source: r.as_dict() for r in reports}})
    return out


def served_ok(settings: Settings, source: str) -> set[str]:
    """Article URLs the site answered with a 2xx at least once, over the whole run (crawl_log)."""
    rows = read_source(settings.warehouse, "crawl_log", source, ["canonical_url", "url", "kind", "status"])
    return {r["canonical_url"] or r["url"] for r in rows.to_pylist()
            if r["kind"] == "article" and r["status"] is not None and 200 <= r["status"] <= 299}


def score(world: World, settings: Settings, today: date, port: int) -> dict[str, Any]:
    """lost / duplicated / wrong-date against the gold of `today`, per site and in all."""
    per_site: dict[str, Any] = {}
    for site in world.sites:
        expected = {r["key"]: r for r in gold.records(world, today, port, [site.id])}
        rows = read_source(settings.warehouse, "articles", site.id, ["url", "published_at"]).to_pylist()
        keys = [_key(world, site.id, r["url"]) for r in rows]
        landed = Counter(keys)
        lost = sorted(k for k in expected if k not in landed)
        ok = served_ok(settings, site.id)
        never_served = [expected[k]["url"] for k in lost if expected[k]["url"] not in ok]
        per_site[site.id] = {
            "gold": len(expected), "landed": len(rows),
            "lost": [expected[k]["url"] for k in lost if expected[k]["url"] in ok],
            "never_served_ok": never_served,
            "duplicated": sorted(str(k) for k, n in landed.items() if n > 1),
            "unknown": sorted(r["url"] for r, k in zip(rows, keys, strict=True) if k not in expected),
            "wrong_date": sorted(r["url"] for r, k in zip(rows, keys, strict=True) if k in expected and
                                 r["published_at"] != datetime.fromisoformat(expected[k]["published_at"])),
        }
    totals = {name: sum(len(s[name]) for s in per_site.values())
              for name in ("lost", "never_served_ok", "duplicated", "unknown", "wrong_date")}
    totals.update(gold=sum(s["gold"] for s in per_site.values()), landed=sum(s["landed"] for s in per_site.values()))
    return {"totals": totals, "sites": per_site}


def _key(world: World, site_id: str, url: str) -> str | None:
    """The replica's key of the article served at `url`, None for a page that is no replica article."""
    article = world.article_by_path(site_id, urlsplit(url).path)
    return article.ref.key if article is not None else None


def print_score(result: dict[str, Any]) -> None:
    print(f"\n{'site':<16} {'gold':>5} {'landed':>6} {'lost':>5} {'dupl.':>5} {'unknown':>7} {'wrong date':>10} "
          f"{'never served':>12}")
    for site, s in result["sites"].items():
        print(f"{site:<16} {s['gold']:>5} {s['landed']:>6} {len(s['lost']):>5} {len(s['duplicated']):>5} "
              f"{len(s['unknown']):>7} {len(s['wrong_date']):>10} {len(s['never_served_ok']):>12}")
    t = result["totals"]
    print(f"{'all':<16} {t['gold']:>5} {t['landed']:>6} {t['lost']:>5} {t['duplicated']:>5} {t['unknown']:>7} "
          f"{t['wrong_date']:>10} {t['never_served_ok']:>12}")
    for site, s in result["sites"].items():
        for name in ("lost", "never_served_ok", "duplicated", "unknown", "wrong_date"):
            for url in s[name]:
                print(f"  {name}: {site} {url}")


def bench(root: Path, days: int, per_day: int, history: int, jobs: int, seed: int) -> dict[str, Any]:
    first = DEFAULT_END - timedelta(days=days - 1)
    world = World(WorldConfig(per_day=per_day, days=history + days, end=DEFAULT_END))
    crawl_dates = [first + timedelta(days=n) for n in range(days)]
    plan = schedule(days, seed)
    settings = Settings(warehouse_url=str(root / "warehouse"), sources_dir=root / "sources")
    started = time.monotonic()
    with serve(world, first) as server:
        write_sources(settings.sources_dir, server.port)
        ran = crawl_days(server, settings, crawl_dates, plan, jobs)
        scored = score(world, settings, crawl_dates[-1], server.port)
    return {"when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "world": {"sites": len(world.sites), "per_day": per_day, "history_days": history,
                      "first_day": first.isoformat(), "last_day": crawl_dates[-1].isoformat()},
            "seconds": round(time.monotonic() - started, 1), "days": ran, **scored}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench faults", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=6, help="consecutive crawl days (default 6)")
    parser.add_argument("--per-day", type=int, default=4, help="articles a day per site (default 4)")
    parser.add_argument("--history", type=int, default=10, help="days of news before the first crawl day")
    parser.add_argument("--jobs", type=int, default=2, help="sites run side by side (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the fault decisions (default 1)")
    parser.add_argument("--keep", type=Path, help="keep the warehouse in this directory")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)
    if args.days < 2:
        parser.error("--days must be 2 or more (faulty days, then a healthy one)")
    logging.basicConfig(level=logging.ERROR)  # the table says how each day went; the crawlers' retries are noise
    with tempfile.TemporaryDirectory(prefix="provnews-faults-") as tmp:
        root = args.keep or Path(tmp)
        result = bench(root, args.days, args.per_day, args.history, args.jobs, args.seed)
    print_score(result)
    t = result["totals"]
    print(f"\n{args.days} days in {result['seconds']} s: {t['lost']} lost, {t['duplicated']} duplicated, "
          f"{t['wrong_date']} wrong dates, {t['unknown']} unknown rows "
          f"({t['never_served_ok']} never served successfully, listed above)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"JSON: {args.out}")
    return 0 if t["lost"] == t["duplicated"] == t["wrong_date"] == t["unknown"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
