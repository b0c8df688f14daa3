"""Crawl benchmark: our crawler on a large replica, beside `scrapy bench`, on the same machine in the same run.

1. Starts `provnews replica serve` for a large world in a subprocess (default 40 sites x 100 articles a day x 6
   days, about 24,000 articles plus listings, feeds and sitemaps).
2. Writes a source profile per replica site (from the shipped profile of its family), politeness off.
3. Crawls every site with --backfill through provnews.stages.crawl (one Scrapy subprocess per site, --jobs at a
   time), sampling the RSS of the whole crawler process tree with psutil.
4. Like for like: crawls --single-sites sites again into a fresh warehouse, ONE crawler process at a time,
   so that row compares one provnews process with one `scrapy bench` process.
5. Runs `scrapy bench` (Scrapy's own local server and link-following spider) for --scrapy-seconds.
6. Prints a table with pages/s and peak RSS and the ratios, and writes JSON to bench/results/crawl_bench.json.

Pages are HTTP responses (every archived WARC record), the same unit `scrapy bench` counts.

Caveat: the replica is one Python process (threads under one GIL) serving every crawler, while `scrapy bench`
has its own small server; with --jobs 4 on a 2-core machine the crawlers and the replica share the cores.

Usage: .venv/bin/python bench/crawl_bench.py [--sites 40] [--per-day 100] [--days 6] [--jobs 4]
       [--single-sites 3] [--concurrency 32] [--scrapy-seconds 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psutil

from crawler.crawl_stats import CrawlStats
from provnews.settings import Settings
from provnews.stages.crawl import CrawlResult, crawl
from provnews_tools.replica_sources import write_world_sources
from replica.world import DEFAULT_END, World, WorldConfig

RESULTS = Path(__file__).resolve().parent / "results" / "crawl_bench.json"


def fast_settings(concurrency: int) -> dict[str, Any]:
    """Politeness off: this measures the crawler, not our manners."""
    return {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "LOG_LEVEL": "WARNING", "LOGSTATS_INTERVAL": 60}


# -- peak memory of a process tree -------------------------------------------------------------------------


@dataclass
class RssSampler:
    """Samples the summed RSS of a process tree every `interval` seconds, in a thread."""

    root_pid: int
    include_root: bool = False
    exclude: frozenset[int] = frozenset()  # e.g. the replica server, a child too but not the crawler
    interval: float = 0.2
    count_marker: str | None = None  # also count the processes whose command line contains this
    peak_tree: int = 0
    peak_single: int = 0
    peak_count: int = 0  # most processes matching count_marker at once
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root_pid)
            procs = root.children(recursive=True) + ([root] if self.include_root else [])
        except psutil.NoSuchProcess:
            return
        sizes, matching = [], 0
        for proc in procs:
            if proc.pid in self.exclude:
                continue
            try:
                sizes.append(proc.memory_info().rss)
                matching += bool(self.count_marker and self.count_marker in " ".join(proc.cmdline()))
            except psutil.NoSuchProcess:
                continue
        self.peak_count = max(self.peak_count, matching)
        if sizes:
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.peak_single = max(self.peak_single, max(sizes))
            self.samples += 1


# -- the replica -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        port: int = sock.getsockname()[1]
        return port


def start_replica(config: WorldConfig, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "provnews.cli", "replica", "serve", "--port", str(port),
           "--sites", str(config.sites), "--per-day", str(config.per_day), "--days", str(config.days)]
    proc = subprocess.Popen(cmd, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the replica exited with {proc.returncode}; see {log_path}")
        try:
            with socket.create_connection((f"127.0.0.{config.sites + 1}", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the replica did not listen within 120 s; see {log_path}")


def write_profiles(world: World, port: int, dest: Path) -> list[str]:
    """One profile per replica site, made from the shipped profile of its family."""
    return write_world_sources(world, port, dest)


# -- runs ------------------------------------------------------------------------------------------------


def run_ours(settings: Settings, sources: list[str], day: date, jobs: int, overrides: dict[str, Any],
             replica_pid: int) -> dict[str, Any]:
    sampler = RssSampler(os.getpid(), exclude=frozenset({replica_pid})).start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results: list[CrawlResult] = list(pool.map(
            lambda s: crawl(settings, s, day, backfill=True, overrides=overrides), sources))
    seconds = time.monotonic() - started
    sampler.stop()
    stats = [r.stats or CrawlStats() for r in results]  # a child that wrote none counts nothing
    pages = sum(s.responses for s in stats)
    return {
        "pages": pages, "seconds": round(seconds, 2), "pages_per_s": round(pages / seconds, 1),
        "articles": sum(s.articles_fetched for s in stats),
        "failed_sources": [r.source for r in results if not r.ok],
        "errors": sum(s.requests_failed for s in stats),
        "bytes": sum(s.bytes for s in stats),
        "peak_rss_tree_mb": round(sampler.peak_tree / 2**20, 1),
        "peak_rss_one_crawler_mb": round(sampler.peak_single / 2**20, 1),
        # the largest finished child so far: a crawler (the replica is still running here)
        "maxrss_children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "jobs": jobs, "sources": len(sources),
        "per_source_pages_per_s": sorted(round(s.responses / max(s.duration_s, 1e-9), 1) for s in stats),
    }


_STATS_LINE = re.compile(r"'(response_received_count|elapsed_time_seconds)': ([0-9.]+)")


def run_scrapy_bench(seconds: int, workdir: Path) -> dict[str, Any]:
    """`scrapy bench` for `seconds`; pages/s from its own final stats, RSS sampled on its process tree."""
    scrapy = Path(sys.executable).with_name("scrapy")
    cmd = [str(scrapy), "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOGSTATS_INTERVAL=5"]
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = RssSampler(proc.pid, include_root=True).start()
    out, _ = proc.communicate(timeout=seconds + 120)
    sampler.stop()
    text = out.decode("utf-8", "replace")
    found = {k: float(v) for k, v in _STATS_LINE.findall(text)}
    if proc.returncode != 0 or "response_received_count" not in found:
        raise RuntimeError(f"scrapy bench failed ({proc.returncode}):\n{text[-2000:]}")
    pages = int(found["response_received_count"])
    elapsed = found["elapsed_time_seconds"]
    return {"pages": pages, "seconds": round(elapsed, 2), "pages_per_s": round(pages / elapsed, 1),
            "peak_rss_tree_mb": round(sampler.peak_tree / 2**20, 1),
            "peak_rss_one_process_mb": round(sampler.peak_single / 2**20, 1)}


def table(ours: dict[str, Any], theirs: dict[str, Any], title: str = "provnews crawl") -> str:
    rows = [("", title, "scrapy bench (1 process)", "ratio"),
            ("pages", f"{ours['pages']:,}", f"{theirs['pages']:,}", ""),
            ("seconds", f"{ours['seconds']:.1f}", f"{theirs['seconds']:.1f}", ""),
            ("pages/s", f"{ours['pages_per_s']:.1f}", f"{theirs['pages_per_s']:.1f}",
             f"{ours['pages_per_s'] / theirs['pages_per_s']:.2f}"),
            ("peak RSS, one process (MB)", f"{ours['peak_rss_one_crawler_mb']:.1f}",
             f"{theirs['peak_rss_one_process_mb']:.1f}",
             f"{ours['peak_rss_one_crawler_mb'] / theirs['peak_rss_one_process_mb']:.2f}"),
            ("peak RSS, process tree (MB)", f"{ours['peak_rss_tree_mb']:.1f}", f"{theirs['peak_rss_tree_mb']:.1f}",
             f"{ours['peak_rss_tree_mb'] / theirs['peak_rss_tree_mb']:.2f}")]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=4, help="crawler subprocesses at a time")
    parser.add_argument("--single-sites", type=int, default=3,
                        help="sites crawled again one process at a time, for the like-for-like row (0: skip)")
    parser.add_argument("--concurrency", type=int, default=32, help="CONCURRENT_REQUESTS of each crawler")
    parser.add_argument("--scrapy-seconds", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="keep the warehouse here (default: a temp dir, removed)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    config = WorldConfig(sites=args.sites, per_day=args.per_day, days=args.days)
    work = Path(tempfile.mkdtemp(prefix="crawl_bench-"))
    root = args.keep or work / "warehouse"
    port = free_port()
    replica = start_replica(config, port, work / "replica.log")
    try:
        sources = write_profiles(World(config), port, work / "sources")
        settings = Settings(warehouse_url=str(root), sources_dir=work / "sources", log_level="WARNING")
        print(f"crawling {len(sources)} replica sites on port {port} ({args.jobs} at a time)...", flush=True)
        ours = run_ours(settings, sources, DEFAULT_END, args.jobs, fast_settings(args.concurrency), replica.pid)
        single = None
        if args.single_sites > 0:
            print(f"crawling {args.single_sites} sites again, one crawler process at a time...", flush=True)
            alone = settings.model_copy(update={"warehouse_url": str(work / "warehouse-single")})
            single = run_ours(alone, sources[: args.single_sites], DEFAULT_END, 1,
                              fast_settings(args.concurrency), replica.pid)
    finally:
        replica.terminate()
        replica.wait(timeout=30)
    print(f"running scrapy bench for {args.scrapy_seconds} s...", flush=True)
    theirs = run_scrapy_bench(args.scrapy_seconds, work)
    report = {"benchmark": "crawl", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_avg_1m_at_end": round(os.getloadavg()[0], 2), "platform": platform.platform()},
              "world": {"sites": args.sites, "per_day": args.per_day, "days": args.days},
              "provnews": ours, "scrapy_bench": theirs,
              "ratio_pages_per_s": round(ours["pages_per_s"] / theirs["pages_per_s"], 3)}
    print(table(ours, theirs, f"provnews ({args.jobs} processes)"))
    if single is not None:
        report["provnews_one_process"] = single
        report["ratio_pages_per_s_one_process"] = round(single["pages_per_s"] / theirs["pages_per_s"], 3)
        print()
        print(table(single, theirs, "provnews (1 process)"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written {args.out}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if not ours["failed_sources"] else 1


if __name__ == "__main__":
    sys.exit(main())
