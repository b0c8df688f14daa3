"""Compaction merges a partition's small files into one, atomically, and a dry run only reports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from provnews_tools import synthetic
from warehouse.compaction import compact, compact_all
from warehouse.writer import replace_partition


def make_fragmented(root: Path) -> Path:
    rows = synthetic.articles(90, "s", days=28)  # February 2025 only
    pdir = replace_partition(root, "articles", "s", "2025-01", rows.slice(0, 30))
    for i in (1, 2):  # files added by another tool, same Hive layout (partition columns in the path)
        extra = rows.slice(30 * i, 30).drop_columns(["source", "month"])
        pq.write_table(extra, pdir / f"extra-{i}.parquet")
    return pdir


def count(root: Path) -> list[tuple[int, int]]:
    return duckdb.execute(f"SELECT count(*), count(DISTINCT article_id) FROM read_parquet("
                          f"'{root}/articles/**/*.parquet', hive_partitioning = true)").fetchall()


def test_dry_run_reports_and_changes_nothing(tmp_path: Path) -> None:
    pdir = make_fragmented(tmp_path)
    plan = compact(tmp_path, "articles", dry_run=True)
    assert [(c.source, c.partition, c.files_before, c.files_after) for c in plan] == [("s", "2025-01", 3, None)]
    assert len(list(pdir.glob("*.parquet"))) == 3


def test_compaction_merges_small_files_into_one_with_the_same_rows(tmp_path: Path) -> None:
    pdir = make_fragmented(tmp_path)
    assert count(tmp_path) == [(90, 90)]
    done = compact(tmp_path, "articles", source="s")
    assert [(c.files_before, c.files_after) for c in done] == [(3, 1)]
    assert [p.name for p in pdir.glob("*.parquet")] == ["part-0.parquet"]
    assert count(tmp_path) == [(90, 90)]
    assert compact(tmp_path, "articles") == []  # nothing left to do


def test_compact_all_covers_every_table(tmp_path: Path) -> None:
    make_fragmented(tmp_path)
    done = compact_all(tmp_path)
    assert [(c.table, c.files_before, c.files_after) for c in done] == [("articles", 3, 1)]
    assert count(tmp_path) == [(90, 90)]
    assert compact_all(tmp_path) == []
