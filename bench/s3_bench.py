"""S3 benchmark: the same synthetic articles loaded into a local warehouse and into SeaweedFS, in one run.

Reports, as JSON in bench/results/s3_bench.json (and on stdout):
  * load throughput of upsert_articles (rows/s, MB/s of Arrow data) into a local directory and into an s3://
    warehouse on a SeaweedFS started on loopback (provnews_tools.seaweed), batch by batch, the same batches;
  * the README's example queries of `provnews query` over both (first run and best of 3), the S3 ones through
    the views' path (pyarrow datasets over the S3 client, registered in DuckDB);
  * with `--fsspec` (s3fs importable), the same queries read by DuckDB itself through an fsspec filesystem
    (con.register_filesystem) over the manifests' files: the alternative the views did not take.

The S3 numbers are loopback numbers (no network latency; SeaweedFS shares the machine's cores with the loader).

Usage: .venv/bin/python -m bench s3 [--articles 100000] [--sources 5] [--batch 20000] [--fsspec]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from provnews.commands.query import EXAMPLE_QUERIES
from provnews_tools import synthetic
from provnews_tools.seaweed import LOCK_URL, credentials, start_seaweed
from warehouse.s3 import manifest_files
from warehouse.storage import Root, S3Root
from warehouse.views import run_query
from warehouse.writer import upsert_articles

RESULTS = Path(__file__).resolve().parent / "results" / "s3_bench.json"


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def load(roots: dict[str, Root], n: int, sources: list[str], batch: int) -> dict[str, Any]:
    """Each batch into every root in turn (so both see the same machine load); rows/s and Arrow MB/s each."""
    spent = dict.fromkeys(roots, 0.0)
    arrow = 0
    for source in sources:
        for table in synthetic.batches(n // len(sources), source, batch, seed=7):
            arrow += table.nbytes
            for name, root in roots.items():
                seconds, _ = timed(lambda r=root, s=source, t=table: upsert_articles(r, s, t))  # type: ignore[misc]
                spent[name] += seconds
            print(f"  {source}: +{table.num_rows} rows " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()),
                  file=sys.stderr)
    rows = n // len(sources) * len(sources)
    return {name: {"rows": rows, "seconds": round(s, 2), "rows_per_s": round(rows / s),
                   "arrow_mb_per_s": round(arrow / 1e6 / s, 1)} for name, s in spent.items()}


def queries(run: Callable[[str], pa.Table], repeat: int = 3) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _title, sql in EXAMPLE_QUERIES:
        runs, rows = [], 0
        for _ in range(repeat):
            seconds, table = timed(lambda q=sql: run(q))  # type: ignore[misc]
            runs.append(seconds)
            rows = table.num_rows
        out[name] = {"first_s": round(runs[0], 3), "best_s": round(min(runs), 3),
                     "median_s": round(statistics.median(runs), 3), "rows": rows}
    return out


def fsspec_runner(root: S3Root) -> Callable[[str], pa.Table]:
    """DuckDB reading the manifests' files itself, through s3fs registered as an fsspec filesystem."""
    import s3fs

    fs = s3fs.S3FileSystem(endpoint_url=root.endpoint, key=os.environ["AWS_ACCESS_KEY_ID"],
                           secret=os.environ["AWS_SECRET_ACCESS_KEY"])

    def run(sql: str) -> pa.Table:
        con = duckdb.connect()
        con.register_filesystem(fs)
        for table in ("articles", "crawl_log", "quarantine", "runs", "mentions", "places", "figures", "officials",
                      "documents", "duplicates"):
            files = manifest_files(root, table)
            if files:
                listed = ", ".join(f"'{f}'" for f in files)
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{listed}], "
                            "hive_partitioning = true, union_by_name = true)")
        try:
            return con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:  # a view the example needs and this quick path lacks
            return pa.table({"error": [str(exc).splitlines()[0]]})
        finally:
            con.close()

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--fsspec", action="store_true", help="also time DuckDB reading through s3fs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sources = [f"src{i}" for i in range(args.sources)]
    with tempfile.TemporaryDirectory(prefix="provnews-s3-bench-") as temp:
        weed = start_seaweed(Path(temp) / "weed")
        try:
            with credentials():
                s3 = weed.root("bench")
                s3 = S3Root(s3.bucket, s3.prefix, s3.endpoint, s3.region, LOCK_URL)
                roots: dict[str, Root] = {"local": Path(temp) / "local", "s3": s3}
                result: dict[str, Any] = {
                    "articles": args.articles, "sources": args.sources, "batch": args.batch,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "pyarrow": pa.__version__, "duckdb": duckdb.__version__},
                    "load": load(roots, args.articles, sources, args.batch)}
                result["queries"] = {name: queries(lambda q, r=root: run_query(r, q))  # type: ignore[misc]
                                     for name, root in roots.items()}
                if args.fsspec:
                    result["queries"]["s3_fsspec"] = queries(fsspec_runner(s3))
        finally:
            weed.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
