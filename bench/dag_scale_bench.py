"""DAG scale benchmark: the daily DAG with 150 replica sources, its parse time and one day through `dag.test()`.

1. Serves a replica world of --sites sites (default 150, on 127.0.0.2..151, one port) from this process.
2. Writes one source profile per site (provnews_tools.replica_sources.write_world_sources: the shipped profile of its
   family, with the site's id, name, address and province), politeness off (loopback).
3. Parse: builds the DagBag of dags/ in a fresh child process --parse-runs times (own AIRFLOW_HOME, as
   tests/test_dags.py does) and reports each parse time and the mapped task names.
4. Day: runs the real provnews_daily DAG once with `dag.test()` in a child process (SQLite metadata DB,
   the `provnews_crawl` pool created with --pool-slots), crawling the replica's day: Scrapy subprocesses,
   transform, load, checks, summary. Wall time from outside; peak RSS of the child's whole process tree
   (the DAG process plus its Scrapy children, not the replica) sampled with psutil every 0.2 s, and the most
   crawler processes seen at once.
5. With --days-run 2 it runs the next day too (the incremental crawl after the first-run backfill).

Note: `dag.test()` runs task instances one after another in its own process (no executor, no pool slots
consulted), so there the crawls are bounded by construction; under the scheduler the `provnews_crawl` pool
bounds them (tests/test_dags.py checks the crawl task is in it).

Usage: python -m bench dag_scale [--sites 150] [--per-day 3] [--days 3] [--days-run 1] [--parse-runs 3]
       [--pool-slots 4] [--port 18651] [--keep DIR]
Results go to bench/results/dag_scale_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.crawl_bench import RssSampler
from provnews_tools.replica_sources import write_world_sources
from replica.server import ReplicaServer
from replica.world import DEFAULT_END, World, WorldConfig

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "dag_scale_bench.json"
FAST = {"download_delay": 0.0, "autothrottle": False, "concurrency": 8}

# In the child: the DagBag of dags/, timed, and the daily DAG's mapped sources and task names.
_PARSE = r"""
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
start, cpu = time.perf_counter(), time.process_time()  # as tests/test_dags.py: Airflow already imported
bag = DagBag(dag_folder=sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
dag = bag.dags["provnews_daily"]
expand = dag.task_group_dict["source"]._expand_input
crawl = dag.task_dict["source.crawl"]
print("RESULT" + json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "errors": bag.import_errors,
                             "tasks": len(dag.tasks),
                             "mapped": list(expand.value["source"]),
                             "map_index_template": crawl.map_index_template}))
"""

# In the child: a migrated SQLite DB, the crawl pool, one dag.test() run, what each task instance did.
_DAY = r"""
import json, sys, time
from collections import Counter
import pendulum
from airflow.utils import db
db.initdb()
from airflow.models.pool import Pool
from provnews.airflow_names import CRAWL_POOL
Pool.create_or_update_pool(CRAWL_POOL, slots=int(sys.argv[3]), description="bench", include_deferred=False)
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
start = time.perf_counter()
run = bag.get_dag("provnews_daily").test(logical_date=pendulum.parse(sys.argv[2]))
seconds = time.perf_counter() - start
tis = run.get_task_instances()
states = Counter(f"{ti.task_id}:{ti.state}" for ti in tis)
crawls = sorted((ti.start_date, ti.end_date) for ti in tis if ti.task_id == "source.crawl" and ti.start_date)
overlap = max((sum(1 for s, e in crawls if s <= start_ < e) for start_, _ in crawls), default=0)
print("RESULT" + json.dumps({"state": str(run.state), "seconds": seconds, "states": states,
                             "crawl_overlap": overlap,
                             "names": sorted(str(ti.rendered_map_index) for ti in tis
                                             if ti.task_id == "source.crawl")[:5],
                             "failed": sorted(f"{ti.task_id}[{ti.rendered_map_index}]" for ti in tis
                                              if str(ti.state) == "failed")}, default=str))
"""


def child_env(work: Path, sources: Path) -> dict[str, str]:
    return dict(os.environ, AIRFLOW_HOME=str(work / "airflow_home"), AIRFLOW__CORE__LOAD_EXAMPLES="False",
                AIRFLOW__CORE__DAGS_FOLDER=str(REPO / "dags"), PROVNEWS_SOURCES_DIR=str(sources),
                PROVNEWS_WAREHOUSE=str(work / "warehouse"), PROVNEWS_LOG_LEVEL="WARNING",
                PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))


def result_of(out: str) -> dict[str, Any]:
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    found: dict[str, Any] = json.loads(line.removeprefix("RESULT"))
    return found


def parse_once(env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PARSE, str(REPO / "dags")], env=env, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"parsing dags/ failed:\n{done.stderr[-3000:]}")
    found = result_of(done.stdout)
    found["process_seconds"] = time.perf_counter() - started  # with the interpreter's start and Airflow's import
    return found


def run_day(env: dict[str, str], day: date, slots: int, log_path: Path) -> dict[str, Any]:
    """One dag.test() of `day`, its wall time and the peak RSS of its process tree."""
    cmd = [sys.executable, "-c", _DAY, str(REPO / "dags"), f"{day.isoformat()}T12:00:00+07:00", str(slots)]
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:  # the tasks' logs, for a failure's reason
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        sampler = RssSampler(proc.pid, include_root=True, count_marker="crawler.run").start()
        proc.wait(timeout=4 * 3600)
        sampler.stop()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"dag.test() exited with {proc.returncode}; see {log_path}")
    found = result_of(log_path.read_text(encoding="utf-8"))
    found.update(wall_seconds=round(wall, 1), peak_rss_tree_mb=round(sampler.peak_tree / 2**20, 1),
                 peak_rss_one_process_mb=round(sampler.peak_single / 2**20, 1),
                 most_crawlers_at_once=sampler.peak_count, rss_samples=sampler.samples)
    return found


def articles(root: Path) -> int:
    from warehouse.views import connect

    con = connect(root)
    try:
        row = con.execute("select count(*) from articles").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--per-day", type=int, default=3, help="articles a day per (large) site")
    parser.add_argument("--days", type=int, default=3, help="days of replica history (the first run backfills)")
    parser.add_argument("--days-run", type=int, default=1, choices=(0, 1, 2),
                        help="replica days through dag.test(): 0 parse only, 1 the first day, 2 also the next")
    parser.add_argument("--parse-runs", type=int, default=3)
    parser.add_argument("--pool-slots", type=int, default=4, help="slots of the provnews_crawl pool")
    parser.add_argument("--port", type=int, default=18651)
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temp dir, removed)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    first = DEFAULT_END - timedelta(days=1)  # the world publishes on DEFAULT_END too: day two has news
    world = World(WorldConfig(sites=args.sites, per_day=args.per_day, days=args.days, end=DEFAULT_END))
    work = args.keep or Path(tempfile.mkdtemp(prefix="dag_scale_bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sources = work / "sources"
    ids = write_world_sources(world, args.port, sources, FAST)
    env = child_env(work, sources)
    print(f"{len(ids)} profiles in {sources}; parsing dags/ {args.parse_runs} times...", flush=True)
    parses = [parse_once(env) for _ in range(args.parse_runs)]
    mapped = parses[0]["mapped"]
    report: dict[str, Any] = {
        "benchmark": "dag_scale", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "world": {"sites": args.sites, "per_day": args.per_day, "days": args.days},
        "parse": {"dagbag_seconds": [round(p["seconds"], 3) for p in parses],
                  "dagbag_seconds_median": round(statistics.median(p["seconds"] for p in parses), 3),
                  "dagbag_cpu_seconds": [round(p["cpu_seconds"], 3) for p in parses],
                  "process_seconds": [round(p["process_seconds"], 2) for p in parses],
                  "mapped_sources": len(mapped), "mapped_are_the_ids": sorted(mapped) == sorted(ids),
                  "map_index_template": parses[0]["map_index_template"], "errors": parses[0]["errors"]},
        "days": [],
    }
    print(json.dumps(report["parse"], indent=1), flush=True)
    with ReplicaServer(world, args.port, first) as server:
        for n in range(args.days_run):
            day = first + timedelta(days=n)
            server.today = day
            print(f"dag.test() of {day} with {len(ids)} sources...", flush=True)
            found = run_day(env, day, args.pool_slots, work / f"dag_test_{day}.log")
            found.update(day=day.isoformat(), articles_in_warehouse=articles(work / "warehouse"),
                         replica_requests=server.requests)
            report["days"].append(found)
            print(json.dumps({k: v for k, v in found.items() if k != "names"}, indent=1, default=str), flush=True)
            print(f"  e.g. {found['names']}", flush=True)
    report["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(f"written {args.out}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    failed = [d for d in report["days"] if Counter(d["states"]).get("summary:failed")]
    return 1 if failed or not report["parse"]["mapped_are_the_ids"] else 0


if __name__ == "__main__":
    sys.exit(main())
