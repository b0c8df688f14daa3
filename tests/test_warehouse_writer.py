"""The warehouse writer: atomic partitions, schema enforcement, upserts, idempotence, the per-source lock."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from provnews_tools import synthetic
from warehouse import reader
from warehouse.compaction import compact_all
from warehouse.lock import LockTimeout, source_lock
from warehouse.schema import SCHEMA_VERSION
from warehouse.writer import (
    MAX_APPENDED_FILES,
    LoadCounts,
    SchemaError,
    append_crawl_log,
    read_partition,
    replace_partition,
    upsert_articles,
)

FETCHED = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


def crawl_rows(urls: list[str], status: int = 200, kind: str = "article", run: str = "r1") -> pa.Table:
    n = len(urls)
    return pa.table({
        "run_id": [run] * n, "url": urls, "canonical_url": urls, "kind": [kind] * n,
        "status": pa.array([status] * n, pa.int32()),
        "fetched_at": pa.array([FETCHED] * n, pa.timestamp("us", tz="UTC")),
        "etag": [f'"{i}"' for i in range(n)], "last_modified": ["Sat, 21 Nov 2026 01:00:00 GMT"] * n,
    })


def file_digests(root: Path, table: str) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted((root / table).rglob("*.parquet"))}


def duck_count(root: Path, table: str) -> tuple[int, int]:
    sql = (f"SELECT count(*), count(DISTINCT article_id) FROM read_parquet('{root}/{table}/**/*.parquet', "
           "hive_partitioning = true)")
    [(rows, ids)] = duckdb.execute(sql).fetchall()
    return int(rows), int(ids)


def test_a_partition_is_one_zstd_file_carrying_the_schema_version(tmp_path: Path) -> None:
    pdir = replace_partition(tmp_path, "crawl_log", "baohaiduong", "2026-11-21", crawl_rows(["https://a/1"]))
    assert pdir == tmp_path / "crawl_log" / "source=baohaiduong" / "dt=2026-11-21"
    assert [p.name for p in pdir.iterdir()] == ["part-0.parquet"]
    meta = pq.read_metadata(pdir / "part-0.parquet")
    assert meta.schema.to_arrow_schema().metadata[b"provnews.schema_version"] == str(SCHEMA_VERSION).encode()
    assert meta.row_group(0).column(0).compression == "ZSTD"
    # the source and partition columns were filled in from the call
    row = read_partition(tmp_path, "crawl_log", "baohaiduong", "2026-11-21").to_pylist()[0]
    assert (row["source"], row["dt"], row["error"]) == ("baohaiduong", "2026-11-21", None)


@pytest.mark.parametrize(("rows", "message"), [
    (pa.table({"url": ["u"], "kind": ["article"], "run_id": ["r"], "fetched_at": [FETCHED],
               "status": ["two hundred"]}), "crawl_log.status: cannot convert string to int32"),
    (pa.table({"url": ["u"], "kind": ["article"], "run_id": ["r"], "fetched_at": [FETCHED], "colour": [1]}),
     "unknown column(s) ['colour']"),
    (pa.table({"url": ["u"], "run_id": ["r"], "fetched_at": [FETCHED]}), "crawl_log.kind: required column"),
    (pa.table({"url": [None], "kind": ["article"], "run_id": ["r"], "fetched_at": [FETCHED]},
              schema=pa.schema([("url", pa.string()), ("kind", pa.string()), ("run_id", pa.string()),
                                ("fetched_at", pa.timestamp("us", tz="UTC"))])),
     "crawl_log.url: 1 null value(s) in a required column"),
    (pa.table({"url": ["u"], "kind": ["article"], "run_id": ["r"], "fetched_at": [FETCHED],
               "dt": ["2026-11-20"]}), "crawl_log.dt: expected '2026-11-21'"),
])
def test_rows_that_do_not_fit_the_schema_are_refused_naming_the_column(
        tmp_path: Path, rows: pa.Table, message: str) -> None:
    with pytest.raises(SchemaError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        replace_partition(tmp_path, "crawl_log", "s", "2026-11-21", rows)
    assert not list(tmp_path.rglob("*.parquet"))


def test_a_large_partition_is_several_files_swapped_in_as_one_set(tmp_path: Path) -> None:
    rows = synthetic.articles(600, "s", days=20)
    rows = rows.set_column(rows.schema.get_field_index("month"), "month", pa.array(["2025-01"] * 600))
    pdir = replace_partition(tmp_path, "articles", "s", "2025-01", rows, max_file_bytes=300_000)
    names = sorted(p.name for p in pdir.iterdir())
    assert len(names) > 1 and all(n.startswith("part-") and n.endswith(".parquet") for n in names)
    assert duck_count(tmp_path, "articles") == (600, 600)
    # back to one file: the set is replaced as a whole, nothing of the old set remains
    replace_partition(tmp_path, "articles", "s", "2025-01", rows.slice(0, 10))
    assert [p.name for p in pdir.iterdir()] == ["part-0.parquet"]
    assert duck_count(tmp_path, "articles") == (10, 10)
    assert not any((tmp_path / ".staging").rglob("*.parquet"))


def test_zero_rows_remove_the_partition(tmp_path: Path) -> None:
    replace_partition(tmp_path, "quarantine", "s", "2026-11-21", pa.table({"url": ["u"], "reason": ["no-body"]}))
    pdir = replace_partition(tmp_path, "quarantine", "s", "2026-11-21", pa.table({"url": pa.array([], pa.string()),
                                                                                  "reason": pa.array([], pa.string())}))
    assert not pdir.exists()


def test_upsert_counts_new_updated_unchanged_and_keeps_one_row_per_article(tmp_path: Path) -> None:
    first = synthetic.articles(300, "s")
    assert upsert_articles(tmp_path, "s", first) == LoadCounts(new=300)
    assert upsert_articles(tmp_path, "s", first) == LoadCounts(unchanged=300)
    edited = synthetic.articles(300, "s", version=1).slice(0, 40)  # same articles, new text, crawled later
    fresh = synthetic.articles(50, "s", first_id=1000)
    assert upsert_articles(tmp_path, "s", pa.concat_tables([edited, fresh])) == LoadCounts(new=50, updated=40)
    assert duck_count(tmp_path, "articles") == (350, 350)
    got = duckdb.execute(f"SELECT title FROM read_parquet('{tmp_path}/articles/**/*.parquet') "
                     f"WHERE article_id = '{edited.column('article_id')[0].as_py()}'").fetchall()
    assert got == [(edited.column("title")[0].as_py(),)]


def test_an_older_crawl_does_not_replace_a_newer_row(tmp_path: Path) -> None:
    newer = synthetic.articles(20, "s", version=2)
    older = synthetic.articles(20, "s", version=1)  # crawled_at one second earlier
    upsert_articles(tmp_path, "s", newer)
    assert upsert_articles(tmp_path, "s", older) == LoadCounts(unchanged=20)
    titles = set(reader.read_source(tmp_path, "articles", "s", ["title"]).column("title").to_pylist())
    assert titles == set(newer.column("title").to_pylist())


def test_an_article_whose_month_changed_moves_without_a_duplicate(tmp_path: Path) -> None:
    rows = synthetic.articles(5, "s")
    upsert_articles(tmp_path, "s", rows)
    moved = synthetic.articles(5, "s", version=1).slice(0, 1)
    moved = moved.set_column(moved.schema.get_field_index("month"), "month", pa.array(["2030-01"]))
    assert upsert_articles(tmp_path, "s", moved) == LoadCounts(updated=1)
    assert duck_count(tmp_path, "articles") == (5, 5)
    assert (tmp_path / "articles" / "source=s" / "month=2030-01" / "part-0.parquet").exists()


def test_loading_the_same_rows_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    rows = synthetic.articles(200, "s")
    upsert_articles(tmp_path / "a", "s", rows)
    before = file_digests(tmp_path / "a", "articles")
    upsert_articles(tmp_path / "a", "s", rows.take(pa.array(range(199, -1, -1))))  # any input order
    assert file_digests(tmp_path / "a", "articles") == before
    upsert_articles(tmp_path / "b", "s", rows)  # a fresh warehouse gets the same files too
    assert file_digests(tmp_path / "b", "articles") == before


def test_new_articles_in_a_stored_month_are_appended_as_one_more_file_that_compaction_merges(
        tmp_path: Path) -> None:
    first = synthetic.articles(200, "s", days=45)  # two months
    upsert_articles(tmp_path, "s", first)
    stored = file_digests(tmp_path, "articles")
    more = synthetic.articles(100, "s", first_id=1000, days=45)
    assert upsert_articles(tmp_path, "s", more) == LoadCounts(new=100)
    after = file_digests(tmp_path, "articles")
    assert {k: v for k, v in after.items() if k in stored} == stored  # the stored files are not rewritten
    added = sorted(k for k in after if k not in stored)
    assert len(added) == 2 and all("/part-add-" in k for k in added)
    assert duck_count(tmp_path, "articles") == (300, 300)
    assert upsert_articles(tmp_path, "s", pa.concat_tables([first, more])) == LoadCounts(unchanged=300)
    assert file_digests(tmp_path, "articles") == after  # rows already there, in whichever file: no write
    compact_all(tmp_path)
    once = tmp_path / "once"
    upsert_articles(once, "s", pa.concat_tables([first, more]))
    assert file_digests(tmp_path, "articles") == file_digests(once, "articles")  # compacted: as if loaded once


def test_a_partition_with_many_appended_files_is_rewritten_whole(tmp_path: Path) -> None:
    for i in range(MAX_APPENDED_FILES + 1):
        upsert_articles(tmp_path, "s", synthetic.articles(10, "s", first_id=100 * i, days=5))
    pdir = tmp_path / "articles" / "source=s" / "month=2025-01"
    assert [p.name for p in pdir.iterdir()] == ["part-0.parquet"]
    assert duck_count(tmp_path, "articles") == (10 * (MAX_APPENDED_FILES + 1),) * 2


def test_crawl_log_appends_merge_and_answer_what_was_fetched(tmp_path: Path) -> None:
    append_crawl_log(tmp_path, "s", "2026-11-20", crawl_rows(["https://s/a/1", "https://s/a/2"]))
    append_crawl_log(tmp_path, "s", "2026-11-21", crawl_rows(["https://s/a/3"], status=404))
    append_crawl_log(tmp_path, "s", "2026-11-21", crawl_rows(["https://s/list?page=2"], kind="listing", run="r2"))
    append_crawl_log(tmp_path, "s", "2026-11-21", crawl_rows(["https://s/list?page=2"], kind="listing", run="r2"))
    assert read_partition(tmp_path, "crawl_log", "s", "2026-11-21").num_rows == 2  # the repeat merged
    assert reader.fetched_article_urls(tmp_path, "s") == {"https://s/a/1", "https://s/a/2"}
    assert reader.fetched_article_urls(tmp_path, "other") == set()
    validators = reader.last_validators(tmp_path, "s")
    assert validators["https://s/a/1"] == ('"0"', "Sat, 21 Nov 2026 01:00:00 GMT")
    assert "https://s/a/3" not in validators


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from warehouse.lock import source_lock
with source_lock(Path(sys.argv[1]), "baohaiduong"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_writer_waits_then_fails_naming_the_source_and_the_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(tmp_path), "30"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(LockTimeout, match=rf"'baohaiduong' is being written by pid {holder.pid}"), \
                source_lock(tmp_path, "baohaiduong", timeout=0.5):
            pass
        assert 0.5 <= time.monotonic() - start < 5
        with source_lock(tmp_path, "tinhuyhaiduong", timeout=0.5):  # another source is not blocked
            pass
    finally:
        holder.kill()
        holder.wait()
    with source_lock(tmp_path, "baohaiduong", timeout=5):  # a killed holder leaves no stale lock
        pass


_WRITER = """
import sys
from pathlib import Path
from provnews_tools import synthetic
from warehouse.writer import upsert_articles
root, source, first = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
print(upsert_articles(root, source, synthetic.articles(400, source, first_id=first, days=60)).new)
"""


@pytest.mark.slow
def test_writers_of_one_source_are_serialised_and_sources_run_in_parallel(tmp_path: Path) -> None:
    # four real processes, two per source, all rewriting the same month partitions: without the lock one
    # writer's read-modify-write would drop the other's rows
    jobs = [(source, first) for source in ("s1", "s2") for first in (0, 10_000)]
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), s, str(f)], stdout=subprocess.PIPE,
                              text=True) for s, f in jobs]
    outputs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert outputs == ["400"] * 4
    assert duck_count(tmp_path, "articles") == (1600, 1600)
    per_source = duckdb.execute(f"SELECT source, count(*) FROM read_parquet('{tmp_path}/articles/**/*.parquet', "
                            "hive_partitioning = true) GROUP BY 1 ORDER BY 1").fetchall()
    assert per_source == [("s1", 800), ("s2", 800)]


def test_files_written_before_published_offset_still_read_load_and_query(tmp_path: Path) -> None:
    """Schema 4 added articles.published_offset: a dataset of schema-3 files (no such column) reads it as
    null in the reader and in the DuckDB views, and new rows merge into its partitions."""
    from warehouse.views import connect

    upsert_articles(tmp_path, "s", synthetic.articles(5, "s"))
    for path in (tmp_path / "articles").rglob("*.parquet"):  # rewrite as the schema-3 writer did
        old = pq.read_table(path)
        pq.write_table(old.drop_columns(["published_offset"]), path)
    assert "published_offset" not in pq.read_schema(next((tmp_path / "articles").rglob("*.parquet"))).names
    rows = reader.read_source(tmp_path, "articles", "s")
    assert rows.num_rows == 5 and rows.column("published_offset").null_count == 5
    with connect(tmp_path) as con:
        assert con.execute("SELECT count(*), count(published_offset) FROM articles").fetchone() == (5, 0)
    newer = synthetic.articles(7, "s", version=2)
    newer = newer.set_column(newer.schema.get_field_index("published_offset"), "published_offset",
                             pa.array(["+07:00"] * 7))
    upsert_articles(tmp_path, "s", newer)
    with connect(tmp_path) as con:
        assert con.execute("SELECT count(*), count(published_offset) FROM articles").fetchone() == (7, 7)
