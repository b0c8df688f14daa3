"""A read-only DuckDB session over the warehouse: one view per table, named like the table.

Three layers keep `provnews query` from writing anything:
1. the statement must parse (by DuckDB's own parser) as a single SELECT-like statement, or an EXPLAIN of one;
2. after the views are created, external access is switched off except for the warehouse directory, so no
   query can read or write other files, install or load extensions, or attach databases (DuckDB would
   still let a COPY write *inside* the allowed directory: layer 1 is what refuses that);
3. the configuration is then locked, so a query cannot switch that back on.

`query` also bounds what one query may take (QueryLimits: wall time, memory, threads, spilled bytes, rows),
so a cross join or a giant list stops with QueryStopped instead of taking the machine.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from warehouse.paths import table_dir
from warehouse.schema import TABLES
from warehouse.storage import Root, S3Root

_ALLOWED = {duckdb.StatementType.SELECT}
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analyze\s+)?(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


class ReadOnlyError(ValueError):
    """A query that is not a plain read; the message says which kind of statement was refused."""


@dataclass(frozen=True)
class QueryLimits:
    """What one query may use. The values come from the caller's settings (provnews.settings)."""

    timeout_s: float  # wall time, from the statement's check to the last row fetched
    memory_limit: str  # DuckDB's memory_limit, e.g. "2GB"
    threads: int
    temp_limit: str  # DuckDB's max_temp_directory_size: what may spill to disk beyond memory_limit
    max_rows: int  # rows returned; QueryResult.cut says there were more


class QueryStopped(RuntimeError):
    """A query stopped by one of its QueryLimits; `limit` is that field's name."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class QueryResult:
    table: pa.Table
    cut: bool  # the query had more rows than QueryLimits.max_rows


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
    keys = TABLES[table_name].hive_keys
    return "{" + ", ".join(f"'{k}': 'VARCHAR'" for k in keys) + "}"


def view_sql(root: Path, table_name: str) -> str:
    """The SELECT behind a table's view; readable on its own (paste it into the duckdb CLI)."""
    glob = (table_dir(root.resolve(), table_name) / "**" / "*.parquet").as_posix()
    return (f"SELECT * FROM read_parquet({_sql_string(glob)}, hive_partitioning = true, "
            f"union_by_name = true, hive_types = {_hive_types(table_name)})")


_DUCK_TYPES = {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.float64(): "DOUBLE",
               pa.date32(): "DATE", pa.list_(pa.string()): "VARCHAR[]", pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
               pa.binary(): "BLOB"}


def _duck_type(kind: pa.DataType) -> str:
    if kind not in _DUCK_TYPES:
        raise TypeError(f"views: no DuckDB type for a missing column of type {kind}")
    return _DUCK_TYPES[kind]


def _has_files(root: Path, table_name: str) -> bool:
    base = table_dir(root, table_name)
    depth = "/".join("*" for _ in TABLES[table_name].hive_keys)
    return base.is_dir() and any(p for p in base.glob(f"{depth}/*.parquet") if not p.name.startswith((".", "_")))


def _create_view(con: duckdb.DuckDBPyConnection, root: Path, table_name: str) -> None:
    schema = TABLES[table_name].schema
    if _has_files(root, table_name):
        present = {row[0] for row in con.execute(f"DESCRIBE {view_sql(root, table_name)}").fetchall()}
        if table_name == "articles" and "search_text" in present and _files_without(con, root, "search_text"):
            present = {*present - {"search_text"}, _SOME_SEARCH_TEXT}
        source = f"({view_sql(root, table_name)})"
    else:  # nothing written yet: an empty table with the right columns and types
        empty = pa.Table.from_batches([], schema=schema)
        con.register("__empty", empty)
        con.execute(f'CREATE TABLE "__empty_{table_name}" AS SELECT * FROM __empty')
        con.unregister("__empty")
        present = set(schema.names)
        source = f'"__empty_{table_name}"'
    con.execute(f'CREATE VIEW "{table_name}" AS SELECT {_select_list(table_name, present)} FROM {source}')


# Columns the views compute from the stored ones (schema 7 stores the body once, as paragraphs).
_BODY_TEXT = "array_to_string(paragraphs, chr(10) || chr(10))"  # PARAGRAPH_SEPARATOR, "\n\n"
# search_text for files written before it (schema < 7): folded in SQL, as search_fold does, until reprocessed.
# Only when some file lacks it: even as a COALESCE's fallback DuckDB computes it for every row (measured).
_SOME_SEARCH_TEXT = "search_text (in some files)"
_SEARCH_FALLBACK = ("trim(regexp_replace(replace(strip_accents(lower(concat_ws(' ', title, lead))), 'đ', 'd'), "
                    "'\\s+', ' ', 'g'))")


def _files_without(con: duckdb.DuckDBPyConnection, root: Path, column: str) -> bool:
    """Whether some articles file lacks `column` (read from the files' footers)."""
    glob = _sql_string((table_dir(root.resolve(), "articles") / "**" / "*.parquet").as_posix())
    [(files, with_it)] = con.execute(
        f"SELECT (SELECT count(*) FROM parquet_file_metadata({glob})), (SELECT count(DISTINCT file_name) "
        f"FROM parquet_schema({glob}) WHERE name = {_sql_string(column)})").fetchall()
    return bool(with_it < files)


def _select_list(table_name: str, present: set[str]) -> str:
    """The view's columns in schema order, whatever the file order; a column no file has yet (all written
    before it was added) reads as null, as warehouse.writer.conform reads such files; articles also get
    body_text (after lead), computed from paragraphs."""
    columns = []
    for f in TABLES[table_name].schema:
        if table_name == "articles" and f.name == "search_text" and f.name not in present:
            columns.append(f'coalesce("search_text", {_SEARCH_FALLBACK}) AS "search_text"'
                           if _SOME_SEARCH_TEXT in present else f'{_SEARCH_FALLBACK} AS "search_text"')
        elif f.name in present:
            columns.append(f'"{f.name}"')
        else:
            columns.append(f'CAST(NULL AS {_duck_type(f.type)}) AS "{f.name}"')
        if table_name == "articles" and f.name == "lead":
            columns.append(f'{_BODY_TEXT} AS "body_text"')
    return ", ".join(columns)


def _config(limits: QueryLimits | None, temp_dir: Path | None) -> dict[str, str | bool | int | float | list[str]]:
    config: dict[str, str | bool | int | float | list[str]] = {}
    if limits is not None:
        config.update(memory_limit=limits.memory_limit, threads=limits.threads,
                      max_temp_directory_size=limits.temp_limit)
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    return config


def s3_dataset(root: S3Root, table_name: str) -> ds.Dataset | None:
    """A table on S3 as a pyarrow dataset of the files its manifests name (warehouse.s3), with the Hive
    partition columns from the paths; None when it has no file. DuckDB scans it through Arrow (projection and
    filters pushed down), so no httpfs extension is needed."""
    from warehouse.s3 import manifest_files

    files = [url.removeprefix("s3://") for url in manifest_files(root, table_name)]
    if not files:
        return None
    spec = TABLES[table_name]
    keys = pa.schema([(k, pa.string()) for k in spec.hive_keys])
    schema = pa.schema([f for f in spec.schema if f.name not in spec.hive_keys] + list(keys))
    return ds.dataset(files, schema=schema, format="parquet", filesystem=root.filesystem,
                      partitioning=ds.partitioning(keys, flavor="hive"), partition_base_dir=root.key(table_name))


def _create_s3_view(con: duckdb.DuckDBPyConnection, root: S3Root, table_name: str) -> None:
    data = s3_dataset(root, table_name)
    if data is None:
        data = ds.dataset(pa.Table.from_batches([], schema=TABLES[table_name].schema))
    con.register(f"__s3_{table_name}", data)
    columns = _select_list(table_name, set(TABLES[table_name].schema.names))
    con.execute(f'CREATE VIEW "{table_name}" AS SELECT {columns} FROM "__s3_{table_name}"')


def tables_named(sql: str) -> list[str]:
    """The tables a query names (as a word, in any case); all of them when it names none (SHOW TABLES)."""
    named = [name for name in TABLES if re.search(rf"\b{name}\b", sql, re.IGNORECASE)]
    return named or list(TABLES)


def connect(root: Root, limits: QueryLimits | None = None, temp_dir: Path | None = None,
            tables: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table of warehouse.schema.TABLES over `root` (or only
    `tables`: a view reads every file's footer when it is made, a tenth of a second per table at a million
    articles).

    After this returns, the connection can read only the warehouse directory and its configuration is locked
    (with `limits`' memory, threads and spill size, spilling into `temp_dir`). Without limits it has DuckDB's
    defaults: for the project's own queries, not for a person's SQL.
    """
    con = duckdb.connect(":memory:", config=_config(limits, temp_dir))
    for name in tables or TABLES:
        if isinstance(root, S3Root):  # read through pyarrow's S3 client; DuckDB itself opens no file
            _create_s3_view(con, root, name)
        else:
            _create_view(con, root, name)
    allowed = [] if isinstance(root, S3Root) else [_sql_string(root.resolve().as_posix() + "/")]
    con.execute(f"SET allowed_directories = [{', '.join(allowed)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(root: Root, sql: str, limits: QueryLimits | None = None) -> pa.Table:
    """Run one read-only query over the warehouse views; ReadOnlyError for anything that would write."""
    return query(root, sql, limits).table


def query(root: Root, sql: str, limits: QueryLimits | None = None) -> QueryResult:
    """`run_query` within `limits`: QueryStopped when the query runs too long or needs too much memory or
    disk, at most max_rows rows (QueryResult.cut tells there were more)."""
    with tempfile.TemporaryDirectory(prefix="provnews-query-") as temp:
        con = connect(root, limits, Path(temp), tables_named(sql))
        timer = None if limits is None else _interrupt_after(con, limits.timeout_s)
        try:
            check_read_only(con, sql)
            relation = con.sql(sql)
            if limits is None:
                return QueryResult(relation.to_arrow_table(), cut=False)
            table = relation.limit(limits.max_rows + 1).to_arrow_table()  # one more row tells it was cut
            return QueryResult(table.slice(0, limits.max_rows), cut=table.num_rows > limits.max_rows)
        except duckdb.InterruptException:
            if limits is not None and timer is not None and timer.fired.is_set():
                raise QueryStopped("timeout_s", f"query stopped after {limits.timeout_s:g} s") from None
            raise
        except duckdb.OutOfMemoryException as exc:
            if limits is None:
                raise
            raise _out_of_memory(exc, limits) from None
        finally:
            if timer is not None:
                timer.cancel()
            con.close()


class _Interrupter(threading.Thread):
    """Interrupts the connection's running query when the time is up (DuckDB checks it between vectors).

    It sleeps in short steps against the monotonic clock instead of one timed wait: a shifted clock
    (libfaketime, as `make test-clock` runs) fakes clock reads and sleeps, but not the deadline of every wait."""

    STEP_S = 0.05

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        super().__init__(name="query-timeout", daemon=True)
        self.fired, self._cancelled = threading.Event(), threading.Event()
        self._con, self._deadline = con, time.monotonic() + seconds

    def run(self) -> None:
        while not self._cancelled.is_set():
            if time.monotonic() >= self._deadline:
                self.fired.set()
                self._con.interrupt()
                return
            time.sleep(self.STEP_S)

    def cancel(self) -> None:
        self._cancelled.set()


def _interrupt_after(con: duckdb.DuckDBPyConnection, seconds: float) -> _Interrupter:
    timer = _Interrupter(con, seconds)
    timer.start()
    return timer


def _out_of_memory(exc: duckdb.OutOfMemoryException, limits: QueryLimits) -> QueryStopped:
    if "max_temp_directory_size" in str(exc):
        return QueryStopped("temp_limit", f"query stopped: it would spill more than {limits.temp_limit} to disk")
    return QueryStopped("memory_limit", f"query stopped: it needs more memory than {limits.memory_limit}")
