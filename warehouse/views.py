"""A read-only DuckDB session over the warehouse: one view per table, named like the table.

Three layers keep `provnews query` from writing anything:
1. the statement must parse (by DuckDB's own parser) as a single SELECT-like statement, or an EXPLAIN of one;
2. after the views are created, external access is switched off except for the warehouse directory, so no
   query can read or write other files, install or load extensions, or attach databases (DuckDB would
   still let a COPY write *inside* the allowed directory: layer 1 is what refuses that);
3. the configuration is then locked, so a query cannot switch that back on.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.paths import table_dir
from warehouse.schema import TABLES

_ALLOWED = {duckdb.StatementType.SELECT}
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analyze\s+)?(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


class ReadOnlyError(ValueError):
    """A query that is not a plain read; the message says which kind of statement was refused."""


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse all but one SELECT (or WITH/FROM/VALUES/DESCRIBE/SHOW/SUMMARIZE), or an EXPLAIN of one."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ReadOnlyError(f"cannot parse the query: {exc}") from exc
    if len(statements) != 1:
        raise ReadOnlyError(f"give exactly one statement (got {len(statements)})")
    kind = statements[0].type
    if kind == duckdb.StatementType.EXPLAIN:
        match = _EXPLAIN.match(sql)
        if match is None:
            raise ReadOnlyError("cannot read the EXPLAINed statement")
        check_read_only(con, match.group("rest"))
        return
    if kind not in _ALLOWED:
        raise ReadOnlyError(f"provnews query is read-only: refused a {kind.name} statement "
                            "(only SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN run)")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _hive_types(table_name: str) -> str:
    """Partition columns keep the schema's VARCHAR type (DuckDB would otherwise turn dt= into DATE)."""
    keys = ("source", TABLES[table_name].partition)
    return "{" + ", ".join(f"'{k}': 'VARCHAR'" for k in keys) + "}"


def view_sql(root: Path, table_name: str) -> str:
    """The SELECT behind a table's view; readable on its own (paste it into the duckdb CLI)."""
    glob = (table_dir(root.resolve(), table_name) / "**" / "*.parquet").as_posix()
    return (f"SELECT * FROM read_parquet({_sql_string(glob)}, hive_partitioning = true, "
            f"union_by_name = true, hive_types = {_hive_types(table_name)})")


def _has_files(root: Path, table_name: str) -> bool:
    base = table_dir(root, table_name)
    return base.is_dir() and any(p for p in base.glob("*/*/*.parquet") if not p.name.startswith((".", "_")))


def _create_view(con: duckdb.DuckDBPyConnection, root: Path, table_name: str) -> None:
    schema = TABLES[table_name].schema
    if _has_files(root, table_name):
        columns = ", ".join(f'"{name}"' for name in schema.names)  # schema order, whatever the file order
        con.execute(f'CREATE VIEW "{table_name}" AS SELECT {columns} FROM ({view_sql(root, table_name)})')
    else:  # nothing written yet: an empty table with the right columns and types
        empty = pa.Table.from_batches([], schema=schema)
        con.register("__empty", empty)
        con.execute(f'CREATE TABLE "__empty_{table_name}" AS SELECT * FROM __empty')
        con.unregister("__empty")
        con.execute(f'CREATE VIEW "{table_name}" AS SELECT * FROM "__empty_{table_name}"')


def connect(root: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table (articles, crawl_log, quarantine, runs) over `root`.

    After this returns, the connection can read only the warehouse directory and its configuration is locked.
    """
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name in TABLES:
        _create_view(con, root, name)
    con.execute(f"SET allowed_directories = [{_sql_string(root.resolve().as_posix() + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(root: Path, sql: str) -> pa.Table:
    """Run one read-only query over the warehouse views; ReadOnlyError for anything that would write."""
    con = connect(root)
    try:
        check_read_only(con, sql)
        return con.sql(sql).to_arrow_table()
    finally:
        con.close()
