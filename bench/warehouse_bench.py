"""Warehouse benchmark: load N synthetic articles (default 1,000,000), then time the README's example queries.

Reports, as JSON in bench/results/warehouse_bench.json (and on stdout):
  * load throughput of upsert_articles (rows/s and MB/s of raw text, generation time excluded);
  * the same load repeated (idempotent path: nothing rewritten) and an edit batch (updated rows);
  * Parquet size on disk against the raw UTF-8 text size (title + lead + body), and per column;
  * the time of each example query of `provnews query` and of `provnews search` (first run and best of 3).

Also, in the same run, the writer's limit: a plain pyarrow.dataset.write_dataset of the same rows (same Hive
partitioning by source and month, zstd), under `load` as `limit_rows_per_s` and `ratio_to_limit` for the whole
load, its `fresh` batches (empty months), its `upsert` batches (months holding earlier batches) and one
`upsert_batch` of new articles into the loaded months; the loader's peak RSS (psutil, sampled); partition sizes
and what compaction does to them. `--sizes 100000,1000000,10000000` runs each size and prints a growth table.

Usage: .venv/bin/python -m bench warehouse [--articles 1000000 | --sizes N,N,...] [--sources 5]
       [--batch 100000] [--root DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from provnews.commands.query import EXAMPLE_QUERIES
from provnews.commands.query import limits as search_limits
from provnews.commands.search import search_sql
from provnews.settings import Settings
from provnews_tools import synthetic
from warehouse.compaction import candidates, compact_all
from warehouse.paths import table_dir
from warehouse.views import QueryStopped, query, run_query
from warehouse.writer import (
    DEFAULT_MAX_FILE_BYTES,
    LoadCounts,
    live_files,
    parquet_options,
    replace_partition,
    upsert_articles,
)

RESULTS = Path(__file__).resolve().parent / "results" / "warehouse_bench.json"
CRAWL_DAYS = 60
QUARANTINE_REASONS = ("no-title", "no-body", "no-date", "not-vietnamese", "decode-error")


def text_bytes(table: pa.Table) -> int:
    """Raw article text: UTF-8 bytes of title, lead and the body (the paragraphs joined by "\n\n")."""
    body = pc.binary_join(table.column("paragraphs"), "\n\n")
    return sum(int(pc.sum(pc.binary_length(c)).as_py() or 0) for c in (table.column("title"),
                                                                        table.column("lead"), body))


def column_sizes(root: Path, raw_mb: float) -> dict[str, Any]:
    """Compressed bytes of each articles column on disk (Parquet footers), as a share of the files and of the
    raw text; and the files' ratio to the raw text without search_text (what the folded column costs)."""
    per: dict[str, int] = {}
    for path in (root / "articles").rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                col = meta.row_group(g).column(c)
                name = col.path_in_schema.split(".")[0]
                per[name] = per.get(name, 0) + col.total_compressed_size
    total = sum(per.values()) or 1
    return {"columns_pct": {k: round(100 * v / total, 1) for k, v in sorted(per.items(), key=lambda kv: -kv[1])},
            "search_text_over_raw_text": round(per.get("search_text", 0) / 1e6 / raw_mb, 3),
            "parquet_over_raw_text_without_search_text": round(
                (dir_bytes(root / "articles") - per.get("search_text", 0)) / 1e6 / raw_mb, 3)}


# `provnews search` as the command runs it (its SQL, within the settings' query bounds), best of 3.
# The --body ones scan every body in range (no folded copy of it is stored): not under the 1 s target.
SEARCHES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("search", "nông thôn mới", {}), ("search_common_word", "tỉnh", {}),
    ("search_source_since", "nông thôn mới", {"source": "bench0", "since": date(2026, 6, 1)}),
    ("search_body_source_since", "nông thôn mới", {"body": True, "source": "bench0", "since": date(2026, 6, 1)}),
    ("search_body", "nông thôn mới", {"body": True}))


def time_search(root: Path, repeat: int = 3) -> dict[str, Any]:
    limits = search_limits(Settings(warehouse_url=str(root)))
    out: dict[str, Any] = {}
    for name, phrase, filters in SEARCHES:
        sql = search_sql(phrase, limit=20, **filters)
        runs, rows = [], 0
        for _ in range(1 if filters.get("body") else repeat):  # a body scan takes long: once
            try:
                seconds, result = timed(lambda q=sql: query(root, q, limits))  # type: ignore[misc]
            except QueryStopped as exc:  # past PROVNEWS_QUERY_TIMEOUT_S (or another bound): say so, go on
                out[name] = {"phrase": phrase, "stopped": str(exc)}
                break
            runs.append(seconds)
            rows = result.table.num_rows
        if not runs:
            print(f"  {name}: {out[name]}", file=sys.stderr)
            continue
        out[name] = {"phrase": phrase, **{k: str(v) for k, v in filters.items()}, "first_s": round(runs[0], 3),
                     "best_s": round(min(runs), 3), "median_s": round(statistics.median(runs), 3), "rows": rows}
        print(f"  {name}: {out[name]}", file=sys.stderr)
    return out


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*.parquet"))


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


class PeakRss:
    """Peak resident memory of this process while inside the block, sampled every 10 ms by a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self) -> PeakRss:
        pa.default_memory_pool().release_unused()  # what earlier tables left cached is not the loader's
        self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def plain_write(table: pa.Table, scratch: Path) -> float:
    """The writer's limit: one plain pyarrow.dataset.write_dataset of the same rows, partitioned by (source,
    month) the Hive way with the same compression and encodings (warehouse.writer.parquet_options: zstd at the
    writer's ZSTD_LEVEL, its page size), into an empty directory. Returns the seconds."""
    shutil.rmtree(scratch, ignore_errors=True)
    fmt = ds.ParquetFileFormat()
    options = parquet_options(table.schema.remove(table.schema.get_field_index("month"))
                              .remove(table.schema.get_field_index("source")))
    seconds, _ = timed(lambda: ds.write_dataset(
        table, scratch, format=fmt, file_options=fmt.make_write_options(**options),
        partitioning=["source", "month"], partitioning_flavor="hive", existing_data_behavior="overwrite_or_ignore"))
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def _rate(rows: int, seconds: float, limit_s: float) -> dict[str, Any]:
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / max(seconds, 1e-9)),
            "limit_rows_per_s": round(rows / max(limit_s, 1e-9)),
            "ratio_to_limit": round(limit_s / max(seconds, 1e-9), 3)}


def load_articles(root: Path, n: int, sources: list[str], batch: int) -> dict[str, Any]:
    """Load in batches; each batch is also written by plain_write, in the same run, for the limit.

    A source's first batch goes into empty months (`fresh`); its later ones into months that already hold
    the earlier batches' articles (`upsert`: new article ids, existing months)."""
    per_source = n // len(sources)
    raw = arrow = 0
    counts = LoadCounts()
    spent: dict[str, list[float]] = {"fresh": [0, 0.0, 0.0], "upsert": [0, 0.0, 0.0]}  # rows, load s, limit s
    peak = 0
    scratch = root.parent / f"{root.name}.limit"
    for source in sources:
        for i, table in enumerate(synthetic.batches(per_source, source, batch, seed=7)):
            raw += text_bytes(table)
            arrow += table.nbytes
            limit_s = plain_write(table, scratch)
            with PeakRss() as rss:
                seconds, got = timed(lambda t=table, s=source: upsert_articles(root, s, t))  # type: ignore[misc]
            peak = max(peak, rss.peak)
            counts += got
            kind = spent["fresh" if i == 0 else "upsert"]
            kind[0] += table.num_rows
            kind[1] += seconds
            kind[2] += limit_s
            print(f"  {source}: +{table.num_rows} rows in {seconds:.1f} s (limit {limit_s:.1f} s, "
                  f"rss {rss.peak / 1e6:.0f} MB) ({got})", file=sys.stderr)
    rows = per_source * len(sources)
    load_s = spent["fresh"][1] + spent["upsert"][1]
    limit_s = spent["fresh"][2] + spent["upsert"][2]
    out: dict[str, Any] = {
        "rows": rows, "seconds": round(load_s, 2), "rows_per_s": round(rows / load_s),
        "limit_rows_per_s": round(rows / limit_s), "ratio_to_limit": round(limit_s / load_s, 3),
        "raw_text_mb": round(raw / 1e6, 1), "raw_text_mb_per_s": round(raw / 1e6 / load_s, 1),
        "arrow_mb": round(arrow / 1e6, 1), "arrow_mb_per_s": round(arrow / 1e6 / load_s, 1),
        "peak_rss_mb": round(peak / 1e6), "counts": counts.__dict__}
    for phase, (k_rows, k_s, k_limit) in spent.items():
        if k_rows:
            out[phase] = _rate(int(k_rows), k_s, k_limit)
    return out


def upsert_batch(root: Path, source: str, table: pa.Table) -> dict[str, Any]:
    """One upsert into months that hold data, against plain_write of the same rows; with its peak RSS."""
    limit_s = plain_write(table, root.parent / f"{root.name}.limit")
    with PeakRss() as rss:
        start_rss = rss.peak  # what the bench process holds already (the batch itself among it)
        seconds, counts = timed(lambda: upsert_articles(root, source, table))
    return {**_rate(table.num_rows, seconds, limit_s), "peak_rss_mb": round(rss.peak / 1e6),
            "start_rss_mb": round(start_rss / 1e6), "counts": counts.__dict__}


def partition_sizes(root: Path, table_name: str = "articles") -> dict[str, Any]:
    """Bytes and files per partition, and whether compaction keeps every partition within the size bound."""
    sizes, files = [], []
    for pdir in sorted(table_dir(root, table_name).glob("source=*/*=*")):
        found = live_files(pdir)
        sizes.append(sum(p.stat().st_size for p in found))
        files.append(len(found))
    before = len(candidates(root, table_name))
    seconds, done = timed(lambda: compact_all(root))
    biggest = max((p.stat().st_size for p in table_dir(root, table_name).rglob("*.parquet")), default=0)
    return {"partitions": len(sizes), "mean_mb": round(statistics.mean(sizes) / 1e6, 2) if sizes else 0,
            "max_mb": round(max(sizes, default=0) / 1e6, 2), "max_files": max(files, default=0),
            "to_compact": before, "compacted": len(done), "compaction_s": round(seconds, 2),
            "biggest_file_mb_after": round(biggest / 1e6, 2),
            "bound_mb": round(DEFAULT_MAX_FILE_BYTES / 1e6), "within_bound": biggest <= DEFAULT_MAX_FILE_BYTES}


def generation_rate(batch: int) -> dict[str, Any]:
    seconds, _ = timed(lambda: synthetic.articles(batch, "gen", seed=1))
    return {"rows": batch, "seconds": round(seconds, 2), "rows_per_s": round(batch / seconds)}


def crawl_log_rows(source: str, day: date, n: int, rng: np.random.Generator) -> pa.Table:
    numbers = pa.array(rng.integers(0, 10**9, size=n)).cast(pa.string())
    urls = pc.binary_join_element_wise(f"https://{source}.example.vn/tin-tuc/bai-", numbers, ".html", "")
    status = rng.choice([200, 200, 200, 200, 200, 200, 200, 200, 404, 500], size=n)
    timeouts = rng.random(n) < 0.01
    fetched = datetime(day.year, day.month, day.day, 20, tzinfo=UTC) + timedelta(seconds=1)
    return pa.table({
        "run_id": pa.array([f"{source}-{day}"] * n), "url": urls, "canonical_url": urls,
        "kind": pa.array(["article"] * n),
        "status": pa.array(status, pa.int32(), mask=timeouts),  # no response: null status
        "error": pa.array(["timeout" if t else None for t in timeouts.tolist()], pa.string()),
        "bytes": pa.array(rng.integers(20_000, 200_000, size=n)),
        "fetched_at": pc.add(pa.array(np.arange(n, dtype=np.int64) * 1000),
                             int(fetched.timestamp() * 1e6)).cast(pa.timestamp("us", tz="UTC")),
    })


def load_logs(root: Path, n: int, sources: list[str]) -> dict[str, Any]:
    """One crawl_log row per article (spread over CRAWL_DAYS days) and 1 % of them quarantined."""
    rng = np.random.default_rng(3)
    per_day = max(1, n // len(sources) // CRAWL_DAYS)
    start = time.perf_counter()
    for source in sources:
        for i in range(CRAWL_DAYS):
            day = date(2026, 11, 21) - timedelta(days=i)
            log = crawl_log_rows(source, day, per_day, rng)
            replace_partition(root, "crawl_log", source, day.isoformat(), log)
            bad = log.filter(pa.array(rng.random(per_day) < 0.01))
            quarantine = pa.table({
                "url": bad.column("url"),
                "reason": pa.array(rng.choice(QUARANTINE_REASONS, size=bad.num_rows).tolist(), pa.string()),
                "crawled_at": bad.column("fetched_at")})
            replace_partition(root, "quarantine", source, day.isoformat(), quarantine)
    return {"crawl_log_rows": per_day * CRAWL_DAYS * len(sources),
            "partitions": 2 * CRAWL_DAYS * len(sources), "seconds": round(time.perf_counter() - start, 2)}


def time_queries(root: Path, repeat: int = 3) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _title, sql in EXAMPLE_QUERIES:
        runs = []
        rows = 0
        for _ in range(repeat):
            seconds, table = timed(lambda q=sql: run_query(root, q))  # type: ignore[misc]
            runs.append(seconds)
            rows = table.num_rows
        out[name] = {"first_s": round(runs[0], 3), "best_s": round(min(runs), 3),
                     "median_s": round(statistics.median(runs), 3), "rows": rows}
        print(f"  query {name}: {out[name]}", file=sys.stderr)
    return out


def growth_table(results: list[dict[str, Any]]) -> str:
    """Markdown: how load time, partition size, query times and peak memory grow with the article count."""
    names = list(results[0]["queries"])
    head = ["articles", "load s", "rows/s", "ratio fresh", "ratio upsert batch", "peak RSS MB",
            "partition mean MB", "partition max MB", *[f"{q} s" for q in names]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        load, part = r["load"], r["partitions"]
        cells = [f"{r['articles']:,}", load["seconds"], load["rows_per_s"], load["fresh"]["ratio_to_limit"],
                 load["upsert_batch"]["ratio_to_limit"], max(load["peak_rss_mb"], load["upsert_batch"]["peak_rss_mb"]),
                 part["mean_mb"], part["max_mb"],
                 *[r["queries"][q].get("best_s", "stopped") for q in names]]  # stopped: past the query timeout
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--sizes", help="comma-separated article counts (e.g. 100000,1000000,10000000): one "
                                        "run each, in its own warehouse, and a growth table")
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100_000, help="rows per upsert call")
    parser.add_argument("--root", type=Path, help="warehouse directory (default: a temporary one under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the warehouse after the run")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-queries", action="store_true", help="load, size and compaction only (no logs, "
                                                                  "no queries): the loader's figures alone")
    args = parser.parse_args(argv)
    sources = [f"bench{i}" for i in range(args.sources)]
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [args.articles]
    results = []
    for n in sizes:
        root = args.root / str(n) if args.root and args.sizes else args.root
        root = root or Path(tempfile.mkdtemp(prefix="provnews-bench-"))
        root.mkdir(parents=True, exist_ok=True)
        try:
            results.append(run(root, n, sources, args.batch, queries=not args.no_queries))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)  # kept if a later size fails
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    result: dict[str, Any] = results[0] if len(results) == 1 else {"runs": results}
    if len(results) > 1 and not args.no_queries:
        result["growth_table"] = growth_table(results)
        print(result["growth_table"], file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def run(root: Path, n: int, sources: list[str], batch: int, queries: bool = True) -> dict[str, Any]:
    print(f"warehouse bench: {n} articles, {len(sources)} sources, batches of {batch}, in {root}",
          file=sys.stderr)
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "pyarrow": pa.__version__,
                    "duckdb": duckdb.__version__},
        "articles": n, "sources": len(sources), "batch_rows": batch,
        "generation": generation_rate(min(batch, 20_000)),
    }
    result["load"] = load_articles(root, n, sources, batch)
    articles_bytes = dir_bytes(root / "articles")
    result["size"] = {"parquet_mb": round(articles_bytes / 1e6, 1),
                      "parquet_files": len(list((root / "articles").rglob("*.parquet"))),
                      "raw_text_mb": result["load"]["raw_text_mb"],
                      "parquet_over_raw_text": round(articles_bytes / 1e6 / result["load"]["raw_text_mb"], 3)}
    result["size"].update(column_sizes(root, result["load"]["raw_text_mb"]))
    per_source = n // len(sources)
    again = next(synthetic.batches(per_source, sources[0], batch, seed=7))  # the first batch, as loaded
    seconds, counts = timed(lambda t=again: upsert_articles(root, sources[0], t))  # type: ignore[misc]
    unchanged = dir_bytes(root / "articles") == articles_bytes
    result["reload_same_batch"] = {"rows": again.num_rows, "seconds": round(seconds, 2),
                                   "counts": counts.__dict__, "size_unchanged": unchanged}
    del again
    # an upsert batch of new articles into months that hold the whole load's data, then one of edits
    more = synthetic.articles(min(batch, per_source), sources[0], seed=7, first_id=per_source)
    result["load"]["upsert_batch"] = upsert_batch(root, sources[0], more)
    del more
    edited = synthetic.articles(min(batch, per_source), sources[1], seed=7, version=1)  # same ids, dates
    edits = edited.take(pa.array(np.arange(min(10_000, edited.num_rows))))  # a copy: the rest is freed
    del edited
    result["edit_batch"] = upsert_batch(root, sources[1], edits)
    result["partitions"] = partition_sizes(root)
    if not queries:
        return result
    result["logs"] = load_logs(root, n, sources)
    result["queries"] = time_queries(root)
    result["queries"].update(time_search(root))
    total = run_query(root, "SELECT count(*) AS n, count(DISTINCT article_id) AS ids FROM articles")
    total = total.to_pylist()[0]
    result["check"] = {"articles_rows": total["n"], "distinct_article_ids": total["ids"]}
    return result


if __name__ == "__main__":
    sys.exit(main())
