"""Schema 7: the body is stored once (paragraphs), body_text is computed by the views, files written before it
(body_text and paragraphs, no search_text) still read right, and the next write rewrites them. Schema 9: search_text
folds the title and lead only, content_hash keeps 16 hex digits; files of schema 8 are rewritten so."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from warehouse.paths import partition_dir
from warehouse.schema import ARTICLES, SCHEMA_VERSION
from warehouse.views import run_query
from warehouse.writer import SINGLE_FILE, read_partition, upsert_articles

SOURCE = "baothaibinh"
PARAGRAPHS = ["Sáng 2/3, huyện Đông Hưng tổ chức hội nghị.", unicodedata.normalize("NFD", "Về đích nông thôn mới.")]
LEAD = unicodedata.normalize("NFD", "Đông Hưng về đích nông thôn mới")
FOLDED = "tin 1 dong hung ve dich nong thon moi"  # search_text of row(1, ...): its title and lead
CURRENT = str(SCHEMA_VERSION).encode()  # what the writer stamps into every file it writes


def row(n: int, paragraphs: list[str]) -> dict[str, object]:
    url = f"https://{SOURCE}.vn/tin/{n}.html"
    return {"article_id": hashlib.sha1(url.encode()).hexdigest(), "url": url, "title": f"Tin {n}",
            "lead": LEAD, "paragraphs": paragraphs, "published_date": date(2026, 3, 2),
            "published_at": datetime(2026, 3, 1, 20, n, tzinfo=UTC), "crawled_at": datetime(2026, 3, 3, tzinfo=UTC)}


def write_schema_6_file(root: Path) -> Path:
    """A partition as schema 6 wrote it: body_text beside paragraphs, no search_text, version 6 metadata."""
    fields = [f for f in ARTICLES if f.name not in ("source", "month", "search_text")]
    lead = fields.index(ARTICLES.field("lead"))
    schema = pa.schema([*fields[: lead + 1], pa.field("body_text", pa.string()), *fields[lead + 1:]])
    rows = [{**row(1, PARAGRAPHS), "body_text": "\n\n".join(PARAGRAPHS)}, {**row(2, []), "body_text": ""}]
    pdir = partition_dir(root, "articles", SOURCE, "month", "2026-03")
    pdir.mkdir(parents=True)
    table = pa.Table.from_pylist(rows, schema=schema).replace_schema_metadata({b"provnews.schema_version": b"6"})
    pq.write_table(table, pdir / SINGLE_FILE, compression="zstd")
    return pdir / SINGLE_FILE


def test_new_files_store_the_body_once_and_the_view_gives_it_whole(tmp_path: Path) -> None:
    upsert_articles(tmp_path, SOURCE, pa.Table.from_pylist([row(1, PARAGRAPHS)]))
    path = partition_dir(tmp_path, "articles", SOURCE, "month", "2026-03") / SINGLE_FILE
    stored = pq.read_schema(path)
    assert "body_text" not in stored.names and "paragraphs" in stored.names and "search_text" in stored.names
    assert stored.metadata[b"provnews.schema_version"] == CURRENT
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    got = run_query(tmp_path, "SELECT body_text, paragraphs, search_text FROM articles").to_pylist()[0]
    assert got["body_text"] == "\n\n".join(PARAGRAPHS) and got["paragraphs"] == PARAGRAPHS
    assert got["search_text"] == FOLDED


def test_readers_get_body_and_paragraphs_without_project_code(tmp_path: Path) -> None:
    """The README's recipes: pyarrow and pandas join the paragraphs themselves (DuckDB: the view, above)."""
    upsert_articles(tmp_path, SOURCE, pa.Table.from_pylist([row(1, PARAGRAPHS)]))
    table = ds.dataset(tmp_path / "articles", partitioning="hive").to_table(columns=["paragraphs"])
    assert pc.binary_join(table.column("paragraphs"), "\n\n").to_pylist() == ["\n\n".join(PARAGRAPHS)]
    frame = pd.read_parquet(tmp_path / "articles", columns=["paragraphs"])
    assert frame["paragraphs"].map("\n\n".join).tolist() == ["\n\n".join(PARAGRAPHS)]


def test_a_schema_6_file_with_body_text_and_paragraphs_still_reads(tmp_path: Path) -> None:
    write_schema_6_file(tmp_path)
    rows = read_partition(tmp_path, "articles", SOURCE, "2026-03")  # what the writer merges with: conform
    assert rows.schema == ARTICLES
    assert rows.column("paragraphs").to_pylist() == [PARAGRAPHS, []]
    assert rows.column("search_text").to_pylist()[0] == FOLDED
    viewed = run_query(tmp_path, "SELECT title, body_text, paragraphs, search_text FROM articles ORDER BY title")
    assert viewed.column("body_text").to_pylist() == ["\n\n".join(PARAGRAPHS), ""]
    assert viewed.column("paragraphs").to_pylist() == [PARAGRAPHS, []]
    # search_text of the old file, folded by the view in SQL until the file is rewritten
    assert viewed.column("search_text").to_pylist()[0] == FOLDED
    found = run_query(tmp_path, "SELECT title FROM articles WHERE search_text LIKE '%tin 1 dong hung%'")
    assert found.column("title").to_pylist() == ["Tin 1"]


def test_the_next_write_of_the_month_rewrites_an_old_file_in_the_current_schema(tmp_path: Path) -> None:
    path = write_schema_6_file(tmp_path)
    upsert_articles(tmp_path, SOURCE, pa.Table.from_pylist([row(3, ["Một đoạn."])]))
    stored = pq.read_table(path)
    assert stored.schema.metadata[b"provnews.schema_version"] == CURRENT and "body_text" not in stored.column_names
    assert sorted(stored.column("title").to_pylist()) == ["Tin 1", "Tin 2", "Tin 3"]
    assert stored.column("paragraphs").to_pylist()[0] == PARAGRAPHS


def test_rows_given_with_body_text_only_get_their_paragraphs_back(tmp_path: Path) -> None:
    given = {**row(1, []), "body_text": "\n\n".join(PARAGRAPHS)}
    del given["paragraphs"]
    upsert_articles(tmp_path, SOURCE, pa.Table.from_pylist([given]))
    got = run_query(tmp_path, "SELECT paragraphs, body_text FROM articles").to_pylist()[0]
    assert got == {"paragraphs": PARAGRAPHS, "body_text": "\n\n".join(PARAGRAPHS)}


def test_old_and_new_files_side_by_side_are_searched_alike(tmp_path: Path) -> None:
    write_schema_6_file(tmp_path)  # March, schema 6
    april = {**row(4, ["Ở Thái Bình."]), "lead": "Nông thôn mới", "published_date": date(2026, 4, 2),
             "published_at": datetime(2026, 4, 2, 1, tzinfo=UTC)}
    upsert_articles(tmp_path, SOURCE, pa.Table.from_pylist([april]))  # April, current schema: March left as is
    found = run_query(tmp_path, "SELECT title, body_text FROM articles WHERE search_text LIKE '%nong thon moi%' "
                                "ORDER BY published_at DESC")
    assert found.column("title").to_pylist() == ["Tin 4", "Tin 2", "Tin 1"]
    assert found.column("body_text").to_pylist() == ["Ở Thái Bình.", "", "\n\n".join(PARAGRAPHS)]


def test_reloading_unchanged_articles_rewrites_a_schema_6_file_once(tmp_path: Path) -> None:
    """What `provnews reprocess` does to an old month whose articles did not change: rewritten in the current schema,
    then left alone."""
    path = write_schema_6_file(tmp_path)
    same = pa.Table.from_pylist([row(1, PARAGRAPHS)])
    assert upsert_articles(tmp_path, SOURCE, same).unchanged == 1
    assert pq.read_metadata(path).metadata[b"provnews.schema_version"] == CURRENT
    assert "body_text" not in pq.read_schema(path).names
    written = path.stat().st_mtime_ns
    upsert_articles(tmp_path, SOURCE, same)
    assert path.stat().st_mtime_ns == written


def write_schema_8_file(root: Path) -> Path:
    """A partition as schema 8 wrote it: search_text folded from title, lead and body; 40-digit content_hash."""
    first = row(1, PARAGRAPHS)
    old = {**first, "search_text": FOLDED + " sang 2/3, huyen dong hung to chuc hoi nghi. ve dich nong thon moi.",
           "content_hash": hashlib.sha1(b"v1").hexdigest()}
    schema = pa.schema([f for f in ARTICLES if f.name not in ("source", "month")])
    pdir = partition_dir(root, "articles", SOURCE, "month", "2026-03")
    pdir.mkdir(parents=True)
    table = pa.Table.from_pylist([old], schema=schema).replace_schema_metadata({b"provnews.schema_version": b"8"})
    pq.write_table(table, pdir / SINGLE_FILE, compression="zstd")
    return pdir / SINGLE_FILE


def test_a_schema_8_file_is_rewritten_with_title_and_lead_folded_and_short_hashes(tmp_path: Path) -> None:
    path = write_schema_8_file(tmp_path)
    same = pa.Table.from_pylist([{**row(1, PARAGRAPHS), "search_text": FOLDED,
                                  "content_hash": hashlib.sha1(b"v1").hexdigest()[:16]}])
    assert upsert_articles(tmp_path, SOURCE, same).unchanged == 1  # its 40 digits begin with the same 16
    stored = pq.read_table(path)
    assert stored.schema.metadata[b"provnews.schema_version"] == CURRENT
    assert stored.column("search_text").to_pylist() == [FOLDED]
    assert stored.column("content_hash").to_pylist() == [hashlib.sha1(b"v1").hexdigest()[:16]]
    edited = pa.Table.from_pylist([{**row(1, ["Một đoạn khác."]), "content_hash": hashlib.sha1(b"v2").hexdigest()[:16],
                                    "crawled_at": datetime(2026, 3, 4, tzinfo=UTC)}])
    assert upsert_articles(tmp_path, SOURCE, edited).updated == 1
