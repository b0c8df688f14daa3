"""Cluster benchmark: one replica day of N sources (default 40) through the Celery deployment and through
`provnews run --source all` on one machine, in the same run.

1. Serves a replica world of --sites sites from this process and writes one profile per site (politeness off),
   as bench/dag_scale_bench.py does.
2. One machine: `provnews run --source all --date D` in a child process, into its own warehouse. Wall time, the
   peak RSS of its whole process tree and of its largest single process (psutil, every 0.2 s).
3. Celery: provnews_tools.celery_cluster (the machine's PostgreSQL and Redis, a fresh database, api-server,
   scheduler, dag-processor and --workers Celery workers of concurrency 2) runs provnews_daily for the same
   day into a second warehouse, the crawl pool at --pool-slots. Wall time from the trigger to the run's end,
   and per component the peak RSS of its process tree and of its largest process.
4. Both warehouses must hold the same article URLs; the bench says so (`same_articles`).

The machine here has 2 cores, so the Celery figures show what the deployment costs on one host (its
components' memory, the scheduling overhead), not the speed-up of several hosts.

Usage: python -m bench cluster [--sites 40] [--per-day 3] [--days 3] [--workers 2] [--pool-slots 4]
       [--port 18751] [--keep DIR]
Results go to bench/results/cluster_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.crawl_bench import RssSampler
from bench.dag_scale_bench import FAST, articles
from provnews_tools.celery_cluster import Cluster, services_answer, start_cluster
from provnews_tools.replica_sources import write_world_sources
from replica.server import ReplicaServer
from replica.world import DEFAULT_END, World, WorldConfig

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "cluster_bench.json"
RUN_TIMEOUT_S = 3600.0
MB = 2**20


def one_machine(sources: Path, warehouse: Path, day: date, log_path: Path) -> dict[str, Any]:
    """`provnews run --source all` of `day`: wall time and peak memory of its process tree."""
    env = dict(os.environ, PROVNEWS_SOURCES_DIR=str(sources), PROVNEWS_WAREHOUSE=str(warehouse),
               PROVNEWS_LOG_LEVEL="WARNING")
    cmd = [sys.executable, "-m", "provnews.cli", "run", "--source", "all", "--date", day.isoformat()]
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        sampler = RssSampler(proc.pid, include_root=True, count_marker="crawler.run").start()
        proc.wait(timeout=RUN_TIMEOUT_S)
        sampler.stop()
    return {"exit_code": proc.returncode, "wall_seconds": round(time.perf_counter() - started, 1),
            "peak_rss_tree_mb": round(sampler.peak_tree / MB, 1),
            "peak_rss_one_process_mb": round(sampler.peak_single / MB, 1),
            "most_crawlers_at_once": sampler.peak_count, "log": str(log_path)}


def celery_day(cluster: Cluster, day: date) -> dict[str, Any]:
    """Trigger provnews_daily for `day` on a started cluster and sample every component until it ends."""
    api = cluster.login()
    cluster.wait("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 300,
                 "dag-processor")
    samplers = {name: RssSampler(proc.pid, include_root=True, count_marker="crawler.run").start()
                for name, proc in cluster.procs.items()}
    started = time.perf_counter()
    run = api.call("POST", "dags/provnews_daily/dagRuns", {"logical_date": f"{day.isoformat()}T12:00:00+07:00"})
    path = f"dags/provnews_daily/dagRuns/{run['dag_run_id']}"
    done = cluster.wait("the run to finish", lambda: (r := api.call("GET", path))["state"] in ("success", "failed")
                        and r, RUN_TIMEOUT_S, "scheduler", every=1.0)
    wall = time.perf_counter() - started
    for sampler in samplers.values():
        sampler.stop()
    return {"state": done["state"], "wall_seconds": round(wall, 1), "note": done.get("note"),
            "components": {name: {"peak_rss_tree_mb": round(s.peak_tree / MB, 1),
                                  "peak_rss_one_process_mb": round(s.peak_single / MB, 1),
                                  "most_crawlers_at_once": s.peak_count}
                           for name, s in samplers.items()},
            "peak_rss_all_components_mb": round(sum(s.peak_tree for s in samplers.values()) / MB, 1)}


def article_urls(root: Path) -> set[tuple[str, str]]:
    from warehouse.views import run_query

    return {(r["source"], r["url"]) for r in run_query(root, "SELECT source, url FROM articles").to_pylist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--per-day", type=int, default=3, help="articles a day per (large) site")
    parser.add_argument("--days", type=int, default=3, help="days of replica history (the run backfills them)")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (concurrency 2 each)")
    parser.add_argument("--pool-slots", type=int, default=4, help="slots of the provnews_crawl pool")
    parser.add_argument("--port", type=int, default=18751, help="the replica's port")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temp dir, removed)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    missing = services_answer()
    if missing is not None:
        print(f"bench cluster: {missing} (start PostgreSQL and Redis, as .ci/run does)", file=sys.stderr)
        return 2

    day = DEFAULT_END
    world = World(WorldConfig(sites=args.sites, per_day=args.per_day, days=args.days, end=DEFAULT_END))
    work = args.keep or Path(tempfile.mkdtemp(prefix="cluster_bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sources = work / "sources"
    ids = write_world_sources(world, args.port, sources, FAST)
    report: dict[str, Any] = {
        "benchmark": "cluster", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "day": day.isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "world": {"sites": len(ids), "per_day": args.per_day, "days": args.days},
        "celery": {"workers": args.workers, "worker_concurrency": 2, "pool_slots": args.pool_slots},
    }
    try:
        with ReplicaServer(world, args.port, day):
            print(f"{len(ids)} sources; provnews run --source all --date {day}...", flush=True)
            report["one_machine"] = one_machine(sources, work / "wh_one", day, work / "run_all.log")
            print(json.dumps(report["one_machine"], indent=1), flush=True)
            print("the same day on the Celery deployment...", flush=True)
            names = tuple(f"worker{n + 1}" for n in range(args.workers))
            with start_cluster(work / "celery", sources, work / "wh_celery", crawl_slots=args.pool_slots,
                               workers=names) as cluster:
                report["celery"].update(celery_day(cluster, day))
            print(json.dumps(report["celery"], indent=1, default=str), flush=True)
        one, celery = article_urls(work / "wh_one"), article_urls(work / "wh_celery")
        report["articles"] = {"one_machine": len(one), "celery": len(celery), "same_articles": one == celery,
                              "only_one_machine": sorted(one - celery)[:20], "only_celery": sorted(celery - one)[:20],
                              "in_warehouse_one_machine": articles(work / "wh_one")}
        report["celery_over_one_machine_wall"] = round(report["celery"]["wall_seconds"]
                                                       / report["one_machine"]["wall_seconds"], 2)
        report["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(json.dumps(report["articles"]), f"celery/one-machine wall {report['celery_over_one_machine_wall']}")
    print(f"written {args.out}")
    return 0 if report["articles"]["same_articles"] and report["celery"]["state"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
