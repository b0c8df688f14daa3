"""A load killed at random points (SIGKILL, real subprocess) always leaves a readable warehouse.

Each round starts a real `python` process that loads a day (edits + new articles into multi-file month
partitions, a quarantine partition and a crawl_log partition), waits until it is inside the load, and kills
it after a random delay. After every kill DuckDB and pyarrow.dataset must read every table, every visible
`*.parquet` file must be complete, no article may appear twice, and every row must be either the old or the
new version. At the end the load is re-run and must give exactly what an uninterrupted load gives.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from provnews_tools import synthetic
from warehouse.writer import upsert_articles

ROUNDS = 22
MAX_FILE_BYTES = 250_000  # small, so month partitions are multi-file sets swapped as directories

_LOAD = """
import sys
from pathlib import Path
import pyarrow as pa
from provnews_tools import synthetic
from warehouse.writer import append_crawl_log, replace_partition, upsert_articles
root = Path(sys.argv[1])
rows = pa.concat_tables([synthetic.articles(800, "s", days=120, version=1).slice(0, 300),
                         synthetic.articles(200, "s", first_id=5000, days=120)])
log = pa.table({"run_id": ["r"] * rows.num_rows, "url": rows.column("url"), "kind": ["article"] * rows.num_rows,
                "status": pa.array([200] * rows.num_rows, pa.int32()), "fetched_at": rows.column("crawled_at")})
quarantine = pa.table({"url": [f"https://s/bad/{i}" for i in range(50)], "reason": ["no-body"] * 50})
print("loading", flush=True)
upsert_articles(root, "s", rows, max_file_bytes=int(sys.argv[2]))
replace_partition(root, "quarantine", "s", "2026-11-21", quarantine)
append_crawl_log(root, "s", "2026-11-21", log)
print("done", flush=True)
"""


def start_load(root: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _LOAD, str(root), str(MAX_FILE_BYTES)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "loading"
    return proc


def run_load(root: Path) -> float:
    """Run the load to the end; returns the seconds spent inside it (after the start-up)."""
    proc = start_load(root)
    start = time.monotonic()
    assert proc.stdout is not None and proc.stdout.readline().strip() == "done"
    assert proc.wait(timeout=120) == 0
    return time.monotonic() - start


def base_state(root: Path) -> None:
    upsert_articles(root, "s", synthetic.articles(800, "s", days=120), max_file_bytes=MAX_FILE_BYTES)


def snapshot(root: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table as sorted rows of its key columns plus a content column, read by DuckDB."""
    con = duckdb.connect()
    queries = {
        "articles": "SELECT article_id, month, content_hash, title FROM read_parquet('{}', "
                    "hive_partitioning = true) ORDER BY ALL",
        "quarantine": "SELECT url, reason FROM read_parquet('{}', hive_partitioning = true) ORDER BY ALL",
        "crawl_log": "SELECT url, status FROM read_parquet('{}', hive_partitioning = true) ORDER BY ALL",
    }
    out = {}
    for table, sql in queries.items():
        glob = f"{root}/{table}/**/*.parquet"
        out[table] = con.execute(sql.format(glob)).fetchall() if list((root / table).rglob("*.parquet")) else []
    return out


def check_consistent(root: Path, old_hashes: set[object], new_hashes: set[object]) -> int:
    """Readable by DuckDB and pyarrow, no partial file, no duplicate; returns the temp files left behind."""
    for path in root.rglob("*.parquet"):  # exactly what a `**/*.parquet` glob hands a reader
        assert not path.name.startswith("."), f"hidden file matched by the glob: {path}"
        pq.read_metadata(path)  # a truncated file has no footer and fails here
    rows = snapshot(root)["articles"]
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "an article appears twice"
    assert {r[2] for r in rows} <= old_hashes | new_hashes, "a row is neither the old nor the new version"
    table = ds.dataset(root / "articles", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(rows)
    return len(list(root.rglob("*.tmp"))) + len([p for p in (root / ".staging").rglob("*") if p.is_file()])


@pytest.mark.slow
def test_a_load_killed_at_random_points_leaves_the_last_good_state(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base_state(base)
    before = snapshot(base)
    reference = tmp_path / "reference"  # the uninterrupted result
    shutil.copytree(base, reference)
    duration = run_load(reference)
    expected = snapshot(reference)
    old_hashes = {r[2] for r in before["articles"]}
    new_hashes = {r[2] for r in expected["articles"]}

    rng = random.Random(20261121)
    root = tmp_path / "crashed"
    halfway = leftovers = 0
    for round_no in range(ROUNDS):
        if round_no % 2 == 0:  # even rounds start again from the base; odd ones crash on top of a crash
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(base, root)
        proc = start_load(root)
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        leftovers += check_consistent(root, old_hashes, new_hashes) > 0
        halfway += snapshot(root) not in (before, expected)
    assert halfway >= 3, f"only {halfway} of {ROUNDS} kills landed inside the load"

    run_load(root)  # re-running the load completes it, exactly as an uninterrupted load
    assert snapshot(root) == expected
    assert not list(root.rglob("*.tmp"))
    assert not [p for p in (root / ".staging").rglob("*") if p.is_file()]
    print(f"{ROUNDS} kills: {halfway} left a half-loaded day, {leftovers} left temp files (hidden)")
