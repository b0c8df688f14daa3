"""`provnews query` and the DuckDB views: the README examples run, writes are refused, files stay readable
by DuckDB, pandas and pyarrow without any project code."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from provnews.cli import main
from provnews.commands.query import EXAMPLE_QUERIES, format_table
from provnews.commands.search import search_sql
from provnews.settings import Settings
from provnews.stages.load import load_tables
from provnews_tools import synthetic
from warehouse.schema import ARTICLES, CRAWL_LOG, QUARANTINE
from warehouse.views import ReadOnlyError, connect, run_query
from warehouse.writer import append_crawl_log

DAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sources of synthetic articles (some edited, one with NFD text), crawl logs and quarantine rows."""
    root = tmp_path_factory.mktemp("warehouse")
    settings = Settings(warehouse=root)
    for source in ("baohaiduong", "thaibinhtv"):
        rows = synthetic.articles(120, source, days=40, start=date(2026, 10, 10))
        quarantine = pa.table({"url": [f"https://{source}/bad/1", f"https://{source}/bad/2"],
                               "reason": ["no-body", "no-date"],
                               "crawled_at": [datetime(2026, 11, 21, tzinfo=UTC)] * 2})
        load_tables(settings, source, DAY, rows, quarantine)
        load_tables(settings, source, DAY, synthetic.articles(120, source, days=40, start=date(2026, 10, 10),
                                                              version=1).slice(0, 5), quarantine)
        n = 10
        append_crawl_log(root, source, DAY.isoformat(), pa.table({
            "run_id": ["r"] * n, "url": [f"https://{source}/a/{i}" for i in range(n)], "kind": ["article"] * n,
            "status": pa.array([200] * 8 + [404, None], pa.int32()),
            "fetched_at": pa.array([datetime(2026, 11, 21, 1, i, tzinfo=UTC) for i in range(n)],
                                   pa.timestamp("us", tz="UTC"))}))
    nfd_title = unicodedata.normalize("NFD", "Xây dựng Nông thôn mới ở Đông Hưng")
    special = synthetic.articles(1, "thaibinhtv", first_id=999, start=date(2026, 11, 20), days=1)
    special = special.set_column(special.schema.get_field_index("title"), "title", pa.array([nfd_title]))
    body = unicodedata.normalize("NFD", "Đồi chè Tân Cương vào vụ thu hoạch.")  # in the body only
    special = special.set_column(special.schema.get_field_index("paragraphs"), "paragraphs", pa.array([[body]]))
    special = special.drop_columns(["search_text"])  # folded again from the new title and body by the load
    load_tables(settings, "thaibinhtv", DAY, special, pa.table({"url": pa.array([], pa.string()),
                                                                "reason": pa.array([], pa.string())}))
    return root


@pytest.mark.parametrize(("name", "title", "sql"), EXAMPLE_QUERIES, ids=[q[0] for q in EXAMPLE_QUERIES])
def test_each_readme_example_query_runs_and_answers(warehouse: Path, name: str, title: str, sql: str) -> None:
    result = run_query(warehouse, sql)
    assert result.num_rows > 0, f"example {name!r} ({title}) returned nothing"
    if name == "crawl_errors":
        assert result.to_pylist()[0]["error_pct"] == 20.0  # 2 of 10 attempts failed
    if name == "edited":
        assert result.num_rows == 10  # 5 edited articles per source
    if name == "quarantine_reasons":
        assert {r["reason"] for r in result.to_pylist()} == {"no-body", "no-date"}


def test_keyword_search_ignores_diacritics_and_unicode_form(warehouse: Path) -> None:
    sql = dict((n, s) for n, _, s in EXAMPLE_QUERIES)["keyword"].replace("nông thôn mới", "nong thon moi")
    titles = run_query(warehouse, sql).column("title").to_pylist()
    assert unicodedata.normalize("NFD", "Xây dựng Nông thôn mới ở Đông Hưng") in titles


def test_keyword_search_reads_title_and_lead_and_search_body_the_paragraphs(warehouse: Path) -> None:
    sql = dict((n, s) for n, _, s in EXAMPLE_QUERIES)["keyword"].replace("nông thôn mới", "doi che tan cuong")
    assert run_query(warehouse, sql).num_rows == 0  # the phrase is in a body only
    titles = run_query(warehouse, search_sql("doi che tan cuong", body=True)).column("title").to_pylist()
    assert titles == [unicodedata.normalize("NFD", "Xây dựng Nông thôn mới ở Đông Hưng")]


@pytest.mark.parametrize("sql", [
    "COPY (SELECT * FROM articles) TO 'out.csv'",
    "CREATE TABLE t AS SELECT 1",
    "INSERT INTO articles SELECT * FROM articles",
    "DELETE FROM articles",
    "ATTACH 'other.duckdb'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA version",
    "EXPORT DATABASE 'dump'",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'",
    "SELECT 1; DROP VIEW articles",
])
def test_statements_that_write_are_refused_with_a_clear_message(warehouse: Path, sql: str) -> None:
    with pytest.raises(ReadOnlyError, match="read-only|exactly one statement"):
        run_query(warehouse, sql)
    assert not list(Path.cwd().glob("out.csv"))


def test_the_session_cannot_read_files_outside_the_warehouse(warehouse: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(duckdb.Error, match="disabled by configuration"):
        run_query(warehouse, f"SELECT * FROM read_csv('{outside}')")


def test_views_of_an_empty_warehouse_have_the_right_columns(tmp_path: Path) -> None:
    con = connect(tmp_path / "nothing-yet")
    for name, schema in (("articles", ARTICLES), ("crawl_log", CRAWL_LOG), ("quarantine", QUARANTINE)):
        described = con.execute(f"DESCRIBE {name}").fetchall()
        computed = ["body_text"] if name == "articles" else []  # the view's body: the paragraphs joined
        names = [n for f in schema.names for n in ([f, *computed] if f == "lead" else [f])]
        assert [row[0] for row in described] == names
        assert con.execute(f"SELECT count(*) FROM {name}").fetchall() == [(0,)]


def test_the_cli_prints_tables_csv_json_and_writes_parquet(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(warehouse))
    sql = "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY source"
    assert main(["query", sql]) == 0
    assert "baohaiduong | 120" in capsys.readouterr().out
    assert main(["query", sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ['"source","n"', '"baohaiduong",120', '"thaibinhtv",121']
    assert main(["query", sql, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0]) == {"source": "baohaiduong", "n": 120}
    out = tmp_path / "counts.parquet"
    assert main(["query", sql, "--format", "parquet", "--out", str(out)]) == 0
    assert pq.read_table(out).to_pylist()[1] == {"source": "thaibinhtv", "n": 121}
    assert main(["query", "DROP VIEW articles"]) == 2
    assert "read-only: refused a DROP statement" in capsys.readouterr().err


def test_the_table_footer_counts_rows_in_good_english() -> None:
    assert format_table(pa.table({"n": [1]})).splitlines()[-1] == "(1 row)"
    assert format_table(pa.table({"n": [1, 2, 3]}), max_rows=2).splitlines()[-1] == "(3 rows, 1 not shown)"


def test_the_tables_are_readable_without_project_code(warehouse: Path) -> None:
    glob = f"{warehouse}/articles/**/*.parquet"
    # DuckDB, the way the README shows it
    [(rows, sources)] = duckdb.execute(
        f"SELECT count(*), count(DISTINCT source) FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()
    assert (rows, sources) == (241, 2)
    # pandas (pyarrow engine), whole table directory with hive partitions
    frame = pd.read_parquet(warehouse / "articles")
    assert len(frame) == 241 and frame["article_id"].is_unique
    assert set(frame["source"].astype(str)) == {"baohaiduong", "thaibinhtv"}
    # pyarrow.dataset with hive partitioning
    table = ds.dataset(warehouse / "crawl_log", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 20 and set(table.column("dt").to_pylist()) == {DAY.isoformat()}


def test_files_written_before_author_org_read_it_as_null_beside_new_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Schema 5 added articles.author_org: a partition written by the schema-4 writer (no such column) and one
    written with it read together, the old rows as null, in the views and through `provnews query`."""
    settings, empty = Settings(warehouse=tmp_path), pa.table({"url": pa.array([], pa.string()),
                                                              "reason": pa.array([], pa.string())})
    load_tables(settings, "oldsite", DAY, synthetic.articles(3, "oldsite", days=1), empty)
    for path in (tmp_path / "articles" / "source=oldsite").rglob("*.parquet"):  # as the schema-4 writer wrote it
        old = pq.read_table(path).drop_columns(["author_org"])
        pq.write_table(old.replace_schema_metadata({b"provnews.schema_version": b"4"}), path)
        assert "author_org" not in pq.read_schema(path).names
    new = synthetic.articles(4, "newsite", days=1).append_column(  # synthetic rows carry no organisation
        "author_org", pa.array(["TTXVN", "VPTU", None, "TTXVN"], pa.string()))
    load_tables(settings, "newsite", DAY, new, empty)
    with connect(tmp_path) as con:
        assert con.execute("SELECT source, count(*), count(author_org) FROM articles GROUP BY 1 ORDER BY 1"
                           ).fetchall() == [("newsite", 4, 3), ("oldsite", 3, 0)]
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path))
    sql = "SELECT author_org, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1 NULLS FIRST"
    assert main(["query", sql, "--format", "json"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
        {"author_org": None, "n": 4}, {"author_org": "TTXVN", "n": 2}, {"author_org": "VPTU", "n": 1}]
