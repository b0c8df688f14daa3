"""Warehouse benchmark: load N synthetic articles (default 1,000,000), then time the README's example queries.

Reports, as JSON in bench/results/warehouse_bench.json (and on stdout):
  * load throughput of upsert_articles (rows/s and MB/s of raw text, generation time excluded);
  * the same load repeated (idempotent path: nothing rewritten) and an edit batch (updated rows);
  * Parquet size on disk against the raw UTF-8 text size (title + lead + body), and per column;
  * the time of each example query of `provnews query` and of `provnews search` (first run and best of 3).

Usage: .venv/bin/python bench/warehouse_bench.py [--articles 1000000] [--sources 5] [--batch 100000]
       [--root DIR] [--keep]
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
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from provnews.commands.query import EXAMPLE_QUERIES
from provnews.commands.query import limits as search_limits
from provnews.commands.search import search_sql
from provnews.settings import Settings
from provnews_tools import synthetic
from warehouse.views import QueryStopped, query, run_query
from warehouse.writer import LoadCounts, replace_partition, upsert_articles

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
SEARCHES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("search", "nông thôn mới", {}), ("search_common_word", "tỉnh", {}),
    ("search_source_since", "nông thôn mới", {"source": "bench0", "since": date(2026, 6, 1)}))


def time_search(root: Path, repeat: int = 3) -> dict[str, Any]:
    limits = search_limits(Settings(warehouse=root))
    out: dict[str, Any] = {}
    for name, phrase, filters in SEARCHES:
        sql = search_sql(phrase, limit=20, **filters)
        runs, rows = [], 0
        for _ in range(repeat):
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


def load_articles(root: Path, n: int, sources: list[str], batch: int) -> dict[str, Any]:
    per_source = n // len(sources)
    load_s = 0.0
    raw = arrow = 0
    counts = LoadCounts()
    for source in sources:
        for table in synthetic.batches(per_source, source, batch, seed=7):
            raw += text_bytes(table)
            arrow += table.nbytes
            seconds, got = timed(lambda t=table, s=source: upsert_articles(root, s, t))  # type: ignore[misc]
            load_s += seconds
            counts += got
            print(f"  {source}: +{table.num_rows} rows in {seconds:.1f} s ({got})", file=sys.stderr)
    rows = per_source * len(sources)
    return {"rows": rows, "seconds": round(load_s, 2), "rows_per_s": round(rows / load_s),
            "raw_text_mb": round(raw / 1e6, 1), "raw_text_mb_per_s": round(raw / 1e6 / load_s, 1),
            "arrow_mb": round(arrow / 1e6, 1), "arrow_mb_per_s": round(arrow / 1e6 / load_s, 1),
            "counts": counts.__dict__}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100_000, help="rows per upsert call")
    parser.add_argument("--root", type=Path, help="warehouse directory (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the warehouse after the run")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    root = args.root or Path(tempfile.mkdtemp(prefix="provnews-bench-"))
    sources = [f"bench{i}" for i in range(args.sources)]
    try:
        result = run(root, args.articles, sources, args.batch)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def run(root: Path, n: int, sources: list[str], batch: int) -> dict[str, Any]:
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
    again = next(synthetic.batches(batch, sources[0], batch, seed=7))
    seconds, counts = timed(lambda: upsert_articles(root, sources[0], again))
    unchanged = dir_bytes(root / "articles") == articles_bytes
    result["reload_same_batch"] = {"rows": again.num_rows, "seconds": round(seconds, 2),
                                   "counts": counts.__dict__, "size_unchanged": unchanged}
    edits = synthetic.articles(batch, sources[1], seed=7, version=1).slice(0, 10_000)  # same ids, new text
    seconds, counts = timed(lambda: upsert_articles(root, sources[1], edits))
    result["edit_batch"] = {"rows": edits.num_rows, "seconds": round(seconds, 2), "counts": counts.__dict__}
    result["logs"] = load_logs(root, n, sources)
    result["queries"] = time_queries(root)
    result["queries"].update(time_search(root))
    total = run_query(root, "SELECT count(*) AS n, count(DISTINCT article_id) AS ids FROM articles")
    total = total.to_pylist()[0]
    result["check"] = {"articles_rows": total["n"], "distinct_article_ids": total["ids"]}
    return result


if __name__ == "__main__":
    sys.exit(main())
