"""Atomic, idempotent partition writes.

How a partition is replaced so that no reader ever sees half of it, and a crash leaves the last good state:

* **One file** (the usual case): the rows go to a hidden temp file `.part-0.parquet.<token>.tmp` in the
  partition directory, which is fsynced and then `os.replace`d onto `part-0.parquet`; the directory is
  fsynced. The temp name does not end in `.parquet` (DuckDB's `**/*.parquet` glob does *not* skip dot
  files, we checked) and starts with '.' (which pyarrow.dataset/Hive/Spark skip): no reader picks it up.
* **Several files** (a partition past `max_file_bytes`): the new set is written, then moved to a staging
  directory `{root}/.staging/{source}/…` (outside every table directory, same filesystem) and swapped with
  the live partition directory in one `renameat2(RENAME_EXCHANGE)` call; the old set, now in staging, is
  deleted. Files of a multi-file set are named `part-{i}-{digest}.parquet` (digest of the set's bytes), so a
  reader that listed the old set just before the swap gets "file not found" and retries, never a mix of
  old and new files. Without renameat2 (not Linux) we fall back to two renames: a reader may then briefly
  see the partition absent, still never mixed.
* Leftovers of a killed writer (temp files, staging directories) are invisible to readers and are removed
  by the next write of the same source, under the source lock.

Where partitions live is behind one seam, warehouse.storage.Partitions: the rename dance above is
LocalPartitions (below); an s3:// warehouse gets warehouse.s3.S3Partitions (new objects, then one manifest PUT
per partition, under a PostgreSQL advisory lock). Everything else in this module (conform, sort, plan, append
or rewrite, merge) is the same code for both.

Files carry no wall-clock value and rows are sorted deterministically, so writing the same rows twice gives
the same bytes. Each file's metadata records SCHEMA_VERSION. As in any Hive layout, the partition columns
(source and dt/month) are in the directory names, not in the files: pandas, pyarrow.dataset, DuckDB
(hive_partitioning) and Spark add them back, and refuse to merge a file column with a path column.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from transforms.record import CONTENT_HASH_HEX
from transforms.text import search_fold
from warehouse.lock import DEFAULT_TIMEOUT_S, source_lock, table_lock
from warehouse.paths import check_source, partition_dir, source_dir, table_dir
from warehouse.schema import (
    ARTICLE_CHILDREN,
    PARAGRAPH_SEPARATOR,
    RETIRED,
    RUN_COUNTS,
    RUN_STATUSES,
    RUNS,
    SCHEMA_VERSION,
    TABLES,
    Table,
)
from warehouse.storage import Partitions, Root, S3Root

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024  # past this, a partition is split into several files
ROW_GROUP_ROWS = 50_000
ZSTD_LEVEL = 3  # level 1 (pyarrow's default): 8 % more bytes for the articles, writes ~10 % faster (issue 15)
# Measured on the bench's articles (issue 15): 8 MB data pages compress the text ~1 % better than pyarrow's
# 1 MB; timestamps, sorted by published_at, take a third of their bytes delta-encoded; min/max statistics of
# long text serve no filter. Each 0.1-0.3 % of the raw text, together what keeps the files within 0.28 of it.
DATA_PAGE_BYTES = 8 * 1024 * 1024
_NO_STATISTICS = frozenset({"title", "lead", "paragraphs", "search_text"})
SINGLE_FILE = "part-0.parquet"
TITLE_AND_LEAD_SINCE = 9  # the schema whose search_text folds title and lead only, and content_hash is short
METADATA = {b"provnews.schema_version": str(SCHEMA_VERSION).encode(), b"provnews.writer": b"warehouse.writer"}

# Deterministic row order per table (then every other sortable column breaks remaining ties).
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("published_at", "article_id"),
    "crawl_log": ("fetched_at", "url", "run_id"),
    "quarantine": ("url", "crawled_at"),
    "runs": ("started_at", "run_id"),
    "mentions": ("article_id", "part", "paragraph", "start", "type"),
    "places": ("article_id", "name"),
    "figures": ("article_id", "paragraph", "start"),
    "officials": ("province_key", "position_key", "first_seen", "name_key"),
    "documents": ("kind_key", "number"),
    "duplicates": ("source", "article_id"),
}


class SchemaError(ValueError):
    """Rows that do not fit a table's schema; the message names the table and column."""


@dataclass(frozen=True)
class LoadCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(self.new + other.new, self.updated + other.updated,
                          self.unchanged + other.unchanged)


# ---------------------------------------------------------------- schema enforcement

def table_spec(table_name: str) -> Table:
    try:
        return TABLES[table_name]
    except KeyError:
        raise SchemaError(f"unknown table {table_name!r}; known: {', '.join(sorted(TABLES))}") from None


def conform(table_name: str, rows: pa.Table, fixed: dict[str, str] | None = None) -> pa.Table:
    """Cast `rows` to the table's schema, in schema column order.

    Missing nullable columns become nulls (this is also how files of an older schema are read); missing
    columns named in `fixed` (source, partition key) are filled with their value; present ones must equal
    it. Unknown columns, impossible casts and nulls in required columns raise SchemaError naming the column.
    """
    spec = table_spec(table_name)
    fixed = fixed or {}
    rows = derive_retired(table_name, rows)
    extra = [name for name in rows.column_names if spec.schema.get_field_index(name) < 0]
    if extra:
        raise SchemaError(f"{table_name}: unknown column(s) {extra}; the schema has {spec.schema.names}")
    arrays = [_column(table_name, rows, field, fixed.get(field.name)) for field in spec.schema]
    return pa.Table.from_arrays(arrays, schema=spec.schema)


def derive_retired(table_name: str, rows: pa.Table) -> pa.Table:
    """Rows of an older schema in the current one's terms. Articles before schema 7 stored the body twice, as
    body_text and as paragraphs: body_text is dropped (rows that carry only body_text get their paragraphs by
    splitting it on PARAGRAPH_SEPARATOR, which is how it was joined). Rows read from a file of schema 8 or
    older (its footer says so) get search_text folded from title and lead, as the transform stage writes it
    now, and content_hash cut to CONTENT_HASH_HEX digits; a missing search_text is folded the same way."""
    if table_name != "articles":
        return rows
    if "body_text" in rows.column_names:
        if "paragraphs" not in rows.column_names:
            rows = rows.append_column("paragraphs", _split_body(rows.column("body_text")))
        rows = rows.drop_columns(list(RETIRED["articles"]))
    old = written_before(rows, TITLE_AND_LEAD_SINCE)
    if "title" in rows.column_names and (old or "search_text" not in rows.column_names):
        if "search_text" in rows.column_names:
            rows = rows.drop_columns(["search_text"])
        rows = rows.append_column("search_text", _search_texts(rows))
    return short_hashes(rows) if old else rows


def written_before(rows: pa.Table, version: int) -> bool:
    """Whether `rows` were read from a file whose footer gives a SCHEMA_VERSION below `version` (rows built
    in memory carry no such metadata: they are current)."""
    meta = rows.schema.metadata or {}
    return b"provnews.schema_version" in meta and int(meta[b"provnews.schema_version"]) < version


def short_hashes(rows: pa.Table) -> pa.Table:
    """`rows` with content_hash as schema 9 keeps it: the first CONTENT_HASH_HEX hex digits (older files kept
    40); rows without the column as they are."""
    at = rows.schema.get_field_index("content_hash")
    if at < 0:
        return rows
    return rows.set_column(at, "content_hash", pc.utf8_slice_codeunits(rows.column(at), 0, CONTENT_HASH_HEX))


def _split_body(body: pa.ChunkedArray) -> pa.Array:
    texts = body.cast(pa.string()).to_pylist()
    return pa.array([None if t is None else t.split(PARAGRAPH_SEPARATOR) if t else [] for t in texts],
                    pa.list_(pa.string()))


def _search_texts(rows: pa.Table) -> pa.Array:
    """search_fold of title and lead, row by row (older files only: new rows carry it)."""
    def texts(name: str) -> list[Any]:
        return rows.column(name).to_pylist() if name in rows.column_names else [None] * rows.num_rows

    return pa.array([search_text(t, lead) for t, lead in zip(texts("title"), texts("lead"), strict=True)],
                    pa.string())


def search_text(title: str | None, lead: str | None) -> str:
    """The articles.search_text of an article: its title and lead, folded for keyword search."""
    return search_fold(f"{title or ''} {lead or ''}")


def _column(table_name: str, rows: pa.Table, field: pa.Field, fixed: str | None) -> pa.ChunkedArray:
    if field.name not in rows.column_names:
        if fixed is not None:
            return pa.chunked_array([pa.array([fixed] * rows.num_rows, field.type)])
        if not field.nullable:
            raise SchemaError(f"{table_name}.{field.name}: required column is missing")
        return pa.chunked_array([pa.nulls(rows.num_rows, field.type)])
    col = rows.column(field.name)
    try:
        col = col.cast(field.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise SchemaError(
            f"{table_name}.{field.name}: cannot convert {col.type} to {field.type}: {exc}") from exc
    if not field.nullable and col.null_count:
        raise SchemaError(f"{table_name}.{field.name}: {col.null_count} null value(s) in a required column")
    if fixed is not None and rows.num_rows:
        bad = pc.filter(col, pc.not_equal(col, pa.scalar(fixed, field.type)))
        if len(bad):
            raise SchemaError(f"{table_name}.{field.name}: expected {fixed!r} in every row of this "
                              f"partition, found {bad[0].as_py()!r}")
    return col


def sort_rows(table_name: str, rows: pa.Table) -> pa.Table:
    """Deterministic order: the table's sort key, then every other scalar column (nulls last)."""
    first = SORT_KEYS.get(table_name, ())
    rest = [f.name for f in rows.schema if f.name not in first and not pa.types.is_nested(f.type)]
    keys = [(name, "ascending", "at_end") for name in (*first, *rest)]
    if not keys or rows.num_rows < 2:
        return rows
    return rows.take(pc.sort_indices(rows, sort_keys=keys))


# ---------------------------------------------------------------- file system primitives

def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _chunk_rows(rows: pa.Table, max_file_bytes: int) -> int:
    """Rows per row group: at most ROW_GROUP_ROWS, and about a quarter of the file bound in memory bytes, so
    that a file can be closed near the bound (Parquet is smaller than Arrow, files stay below it)."""
    per_row = max(1, rows.nbytes // max(rows.num_rows, 1))
    return max(1, min(ROW_GROUP_ROWS, max_file_bytes // 4 // per_row))


def _write_files(rows: pa.Table, out_dir: Path, names: Iterable[str], max_file_bytes: int) -> list[Path]:
    """Write rows into as many files as the size bound needs, in row groups; fsync each. Returns the paths."""
    paths = [out_dir / name for name in write_parquet(rows, lambda name: pa.OSFile(str(out_dir / name), "wb"),
                                                       names, max_file_bytes)]
    for path in paths:
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    return paths


def write_parquet(rows: pa.Table, open_sink: Callable[[str], pa.NativeFile], names: Iterable[str],
                  max_file_bytes: int) -> list[str]:
    """Write rows into as many files as the size bound needs, in row groups, each opened by `open_sink(name)`
    (a local file, an S3 object). Returns the names used."""
    name_iter = iter(names)
    paths: list[str] = []
    sink: pa.NativeFile | None = None
    writer: pq.ParquetWriter | None = None
    schema = rows.schema.with_metadata(METADATA)
    step = _chunk_rows(rows, max_file_bytes)
    for start in range(0, max(rows.num_rows, 1), step):
        if writer is None:
            paths.append(next(name_iter))
            sink = open_sink(paths[-1])
            writer = pq.ParquetWriter(sink, schema, **parquet_options(schema))
        writer.write_table(rows.slice(start, step).replace_schema_metadata(METADATA), row_group_size=step)
        if sink is not None and sink.tell() >= max_file_bytes and start + step < rows.num_rows:
            writer.close()
            sink.close()
            writer = None
    if writer is not None and sink is not None:
        writer.close()
        sink.close()
    return paths


def parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """How every warehouse file is written (pq.ParquetWriter / ParquetFileFormat.make_write_options keywords):
    zstd, DATA_PAGE_BYTES pages, delta-encoded timestamps, a page index, no statistics on long text."""
    delta = [f.name for f in schema if pa.types.is_timestamp(f.type)]
    return {"compression": "zstd", "compression_level": ZSTD_LEVEL, "data_page_size": DATA_PAGE_BYTES,
            "use_dictionary": [n for n in schema.names if n not in delta],
            "column_encoding": dict.fromkeys(delta, "DELTA_BINARY_PACKED"),
            "write_statistics": [n for n in schema.names if n not in _NO_STATISTICS],
            "write_page_index": True}


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: filesystem or kernel without exchange
        return False
    raise OSError(err, f"renameat2 exchange {a} <-> {b}: {os.strerror(err)}")


def _staging(root: Path, source: str) -> Path:
    path = root / ".staging" / source / uuid.uuid4().hex
    path.mkdir(parents=True)
    return path


def live_files(pdir: Path) -> list[Path]:
    if not pdir.is_dir():
        return []
    return sorted(p for p in pdir.iterdir()
                  if p.name.endswith(".parquet") and not p.name.startswith((".", "_")))


def cleanup_leftovers(root: Root, source: str, table_name: str | None = None) -> int:
    """Remove what killed writers of `source` left (temp files, staging dirs). Call under the source lock."""
    return partitions(root).cleanup(source, table_name)


def _cleanup_local(root: Path, source: str, table_name: str | None) -> int:
    removed = 0
    stage = root / ".staging" / check_source(source)
    if stage.is_dir():
        for child in stage.iterdir():
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    for name in [table_name] if table_name else list(TABLES):
        base = source_dir(root, name, source)
        for tmp in base.glob("*/.*.tmp") if base.is_dir() else []:
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


# ---------------------------------------------------------------- the partition store: local or S3

def _temp_names() -> Iterator[str]:
    """Names for one write's temporary files (hidden from readers, unique to this write)."""
    token = uuid.uuid4().hex[:12]
    return (f".part-{i}.parquet.{token}.tmp" for i in range(1 << 30))


class LocalPartitions:
    """Partitions as directories of a local warehouse, replaced by rename (this module's docstring). The S3
    twin is warehouse.s3.S3Partitions; both follow warehouse.storage.Partitions."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.fs: pafs.FileSystem = pafs.LocalFileSystem()

    def files(self, table_name: str, source: str, key: str, value: str) -> list[str]:
        return [str(p) for p in live_files(partition_dir(self.root, table_name, source, key, value))]

    def values(self, table_name: str, source: str) -> list[str]:
        base = source_dir(self.root, table_name, source)
        return [p.name.partition("=")[2] for p in sorted(base.iterdir())] if base.is_dir() else []

    def sources(self, table_name: str) -> list[str]:
        base = table_dir(self.root, table_name)
        return [p.name.partition("=")[2] for p in sorted(base.glob("source=*"))] if base.is_dir() else []

    def replace(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
                max_file_bytes: int) -> Path:
        pdir = partition_dir(self.root, table_name, source, key, value)
        old = live_files(pdir)
        if rows.num_rows == 0:
            _remove_partition(self.root, source, pdir)
            return pdir
        pdir.mkdir(parents=True, exist_ok=True)
        tmp = _write_files(rows, pdir, _temp_names(), max_file_bytes)
        if len(tmp) == 1 and [p.name for p in old] in ([], [SINGLE_FILE]):
            os.replace(tmp[0], pdir / SINGLE_FILE)
            _fsync_dir(pdir)
        else:
            _swap_in_set(self.root, source, pdir, tmp)
        return pdir

    def append(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
               max_file_bytes: int) -> bool:
        """One more file, named by a digest of its bytes (the same rows appended again get the same name: a
        load re-run after a crash is idempotent); it appears in one rename. False when it would be several."""
        pdir = partition_dir(self.root, table_name, source, key, value)
        tmp = _write_files(rows, pdir, _temp_names(), max_file_bytes)
        if len(tmp) != 1:
            for path in tmp:
                path.unlink()
            return False
        with open(tmp[0], "rb") as fh:
            tag = hashlib.file_digest(fh, "sha1").hexdigest()[:16]
        os.replace(tmp[0], pdir / f"part-add-{tag}.parquet")
        _fsync_dir(pdir)
        return True

    def cleanup(self, source: str, table_name: str | None) -> int:
        return _cleanup_local(self.root, source, table_name)

    def source_lock(self, source: str, timeout: float) -> AbstractContextManager[None]:
        return source_lock(self.root, source, timeout)


def partitions(root: Root) -> Partitions:
    """The partition store of a warehouse root."""
    if isinstance(root, S3Root):
        from warehouse.s3 import S3Partitions  # it builds on this module's Parquet writing

        return S3Partitions.of(root)
    return LocalPartitions(root)


def _read_file(store: Partitions, path: str, columns: list[str] | None = None) -> pa.Table:
    return pq.read_table(path, columns=columns, filesystem=store.fs)


# ---------------------------------------------------------------- partition replacement

def _set_names(paths: Sequence[Path]) -> list[str]:
    """Names for a multi-file set: `part-{i}-{digest of the set's bytes}.parquet`, deterministic."""
    digest = hashlib.sha1()
    for path in paths:
        with open(path, "rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha1").digest())
    tag = digest.hexdigest()[:12]
    return [f"part-{i}-{tag}.parquet" for i in range(len(paths))]


def write_partition_locked(root: Root, table_name: str, source: str, value: str, rows: pa.Table,
                           max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Path | str:
    """replace_partition without taking the lock: the caller holds `source_lock(root, source)`."""
    spec = table_spec(table_name)
    rows = sort_rows(table_name, conform(table_name, rows, {"source": source, spec.partition: value}))
    return _write_sorted(root, table_name, source, value, rows, max_file_bytes)


def _write_sorted(root: Root, table_name: str, source: str, value: str, rows: pa.Table,
                  max_file_bytes: int) -> Path | str:
    """write_partition_locked of rows already conformed (with this source and value) and sorted."""
    spec = table_spec(table_name)
    rows = rows.drop_columns(["source", spec.partition])  # they live in the path, as Hive readers expect
    where = partitions(root).replace(table_name, source, spec.partition, value, rows, max_file_bytes)
    log.debug("partition written", extra={"table": table_name, "source": source, "partition": value,
                                          "rows": rows.num_rows})
    return where


def _swap_in_set(root: Path, source: str, pdir: Path, tmp: Sequence[Path]) -> None:
    """Move a multi-file set (or one file replacing a multi-file set) into place in one directory swap."""
    stage = _staging(root, source)
    names = [SINGLE_FILE] if len(tmp) == 1 else _set_names(tmp)
    for src, name in zip(tmp, names, strict=True):
        os.rename(src, stage / name)
    _fsync_dir(stage)
    _exchange_dirs(stage, pdir)
    shutil.rmtree(stage, ignore_errors=True)


def _exchange_dirs(new: Path, live: Path) -> None:
    """After this, `live` holds what `new` held, and `new` holds the old content (to be deleted)."""
    if not _renameat2_exchange(new, live):
        aside = new.with_name(new.name + ".old")
        os.rename(live, aside)  # a reader may see the partition absent until the next line: never mixed
        os.rename(new, live)
        os.rename(aside, new)
    _fsync_dir(live.parent)


def _remove_partition(root: Path, source: str, pdir: Path) -> None:
    if not pdir.exists():
        return
    stage = _staging(root, source)
    os.rename(pdir, stage / "gone")  # one atomic step: the whole partition disappears at once
    _fsync_dir(pdir.parent)
    shutil.rmtree(stage, ignore_errors=True)


def replace_partition(root: Root, table_name: str, source: str, value: str, rows: pa.Table,
                      max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                      lock_timeout: float = DEFAULT_TIMEOUT_S) -> Path | str:
    """Replace one partition's content with `rows`, atomically, under the source lock. Returns its directory.

    Zero rows remove the partition. Rows are checked against the schema (SchemaError names the column).
    """
    with partitions(root).source_lock(source, lock_timeout):
        cleanup_leftovers(root, source, table_name)
        return write_partition_locked(root, table_name, source, value, rows, max_file_bytes)


def read_partition(root: Root, table_name: str, source: str, value: str) -> pa.Table:
    """Every row of one partition, conformed to the current schema (empty table when absent)."""
    spec = table_spec(table_name)
    store = partitions(root)
    fixed = {"source": source, spec.partition: value}  # partition columns come from the path
    parts = [conform(table_name, _read_file(store, path), fixed)
             for path in store.files(table_name, source, spec.partition, value)]
    return pa.concat_tables(parts) if parts else spec.schema.empty_table()


def _row_numbers(rows: pa.Table) -> pa.Array:
    return pa.array(np.arange(rows.num_rows, dtype=np.int64))


def dedupe_last(rows: pa.Table, keys: Sequence[str]) -> pa.Table:
    """Keep the last row of each key (later rows win), in original order."""
    if rows.num_rows < 2:
        return rows
    numbered = rows.select(list(keys)).append_column("__i", _row_numbers(rows))
    grouped = numbered.group_by(list(keys), use_threads=False)
    last = grouped.aggregate([("__i", "max")]).column("__i_max")
    return rows.take(last.take(pc.sort_indices(last)))


def append_crawl_log(root: Root, source: str, day: str, rows: pa.Table,
                     lock_timeout: float = DEFAULT_TIMEOUT_S) -> Path | str:
    """Merge `rows` into the crawl_log partition of (source, day). Re-appending the same attempts is a no-op:
    rows are keyed by (run_id, url, fetched_at) and a repeated key replaces the earlier row."""
    return merge_partition(root, "crawl_log", source, day, rows, lock_timeout)


def merge_partition(root: Root, table_name: str, source: str, value: str, rows: pa.Table,
                    lock_timeout: float = DEFAULT_TIMEOUT_S) -> Path | str:
    """Upsert `rows` into one partition by the table's key (a repeated key replaces the earlier row),
    atomically, under the source lock."""
    spec = table_spec(table_name)
    with partitions(root).source_lock(source, lock_timeout):
        cleanup_leftovers(root, source, table_name)
        incoming = conform(table_name, rows, {"source": source, spec.partition: value})
        merged = pa.concat_tables([read_partition(root, table_name, source, value), incoming])
        merged = sort_rows(table_name, dedupe_last(merged, spec.key))
        return write_partition_locked(root, table_name, source, value, merged)


# ---------------------------------------------------------------- runs: one row per source, day and run

def record_runs(root: Root, rows: Sequence[Mapping[str, Any]], lock_timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """Upsert run rows by (source, dt, run_id), one atomic write per (source, dt) partition.

    Missing counts are 0, other missing fields null. A row without source, dt or run_id, with an unknown
    status or an unknown field raises ValueError naming the field; nothing is written then.
    """
    checked = [_run_row(row) for row in rows]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in checked:
        groups.setdefault((row["source"], row["dt"]), []).append(row)
    tables = {key: _runs_table(group) for key, group in sorted(groups.items())}  # every row checked first
    for (source, day), table in tables.items():
        merge_partition(root, "runs", source, day, table, lock_timeout)


def _run_row(row: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(row) - set(RUNS.names))
    if unknown:
        raise SchemaError(f"runs.{unknown[0]}: unknown field; the schema has {RUNS.names}")
    for name in ("source", "dt", "run_id"):
        if not row.get(name):
            raise SchemaError(f"runs.{name}: required field is missing or empty")
    if row.get("status") not in RUN_STATUSES:
        raise SchemaError(f"runs.status: {row.get('status')!r} is not one of {', '.join(RUN_STATUSES)}")
    day = row["dt"].isoformat() if isinstance(row["dt"], date) else str(row["dt"])
    try:
        valid = date.fromisoformat(day).isoformat() == day  # not 20261121, which fromisoformat also reads
    except ValueError:
        valid = False
    if not valid:
        raise SchemaError(f"runs.dt: {day!r} is not a YYYY-MM-DD day")
    counts = {name: row.get(name) or 0 for name in RUN_COUNTS}
    return {**{name: None for name in RUNS.names}, **row, **counts, "source": check_source(row["source"]),
            "dt": day}


def _runs_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Column by column, so that a value of the wrong type is reported with its field's name."""
    arrays = []
    for fld in RUNS:
        try:
            arrays.append(pa.array([row[fld.name] for row in rows], fld.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
            raise SchemaError(f"runs.{fld.name}: cannot convert to {fld.type}: {exc}") from exc
    return pa.Table.from_arrays(arrays, schema=RUNS)


# ---------------------------------------------------------------- articles: upsert by article_id

_INDEX_COLUMNS = ["article_id", "month", "crawled_at", "updated_at", "content_hash"]
_NEVER = pa.scalar(0, pa.timestamp("us", tz="UTC"))  # stands for a missing timestamp: older than any


def with_month(rows: pa.Table) -> pa.Table:
    """Add the `month` partition column (YYYY-MM of published_date) when the rows do not carry it."""
    if "month" in rows.column_names:
        return rows
    if "published_date" not in rows.column_names:
        raise SchemaError("articles.month: required column is missing (and no published_date to derive it)")
    dates = rows.column("published_date").cast(pa.date32())
    if dates.null_count:
        urls = pc.filter(rows.column("url"), pc.is_null(dates)).to_pylist()[:3]
        raise SchemaError(f"articles.month: {dates.null_count} row(s) without published_date, e.g. {urls}")
    return rows.append_column("month", pc.strftime(dates.cast(pa.timestamp("s")), "%Y-%m"))


LOAD_THREADS = min(4, os.cpu_count() or 1)  # month partitions written at once by upsert_articles
MAX_APPENDED_FILES = 8  # a partition with this many files is rewritten whole (one file) instead of appended to
_ARTICLE_ORDER = [("month", "ascending"), ("published_at", "ascending", "at_end"),
                  ("article_id", "ascending", "at_end")]


def _newest_per_article(rows: pa.Table) -> pa.Table:
    """One row per article_id: the newest by (crawled_at, updated_at); on a tie the later input row wins."""
    if pc.count_distinct(rows.column("article_id")).as_py() == rows.num_rows:
        return rows  # the usual batch: nothing to drop, no copy
    order = pc.sort_indices(rows, sort_keys=[("article_id", "ascending", "at_end"),
                                             ("crawled_at", "ascending", "at_start"),
                                             ("updated_at", "ascending", "at_start")])
    return dedupe_last(rows.take(order), ["article_id"])


def _article_order(rows: pa.Table) -> pa.Array:
    """Row numbers by (month, published_at, article_id): each month's run of them is in sort_rows' order
    already, since article_id is unique (sort_rows' later keys never break a tie). Only the indices are
    sorted; each month's rows are taken when that month is written, so the batch is never copied whole."""
    keys = [(k[0], k[1], k[2] if len(k) > 2 else "at_end") for k in _ARTICLE_ORDER]
    return pc.sort_indices(rows.select([k[0] for k in keys]), sort_keys=keys)


def _existing_index(root: Root, source: str) -> pa.Table:
    """The plan's columns of every stored article of `source` (not the text): a few % of the bytes."""
    store = partitions(root)
    empty = TABLES["articles"].schema.empty_table().select(_INDEX_COLUMNS)
    parts = []
    for month in store.values("articles", source):
        for path in store.files("articles", source, "month", month):
            part = _read_file(store, path, [c for c in _INDEX_COLUMNS if c != "month"])
            if written_before(part, TITLE_AND_LEAD_SINCE):  # its 40-digit hashes compare with today's 16 cut alike
                part = short_hashes(part)
            parts.append(part.append_column("month", pa.array([month] * part.num_rows, pa.string()))
                         .select(_INDEX_COLUMNS).cast(empty.schema))
    return pa.concat_tables([empty, *parts])


@dataclass(frozen=True)
class _Plan:
    winners_at: pa.Array  # row numbers of the incoming rows that replace (or add) an article, in _article_order
    is_new: pa.ChunkedArray | pa.Array  # per incoming row: no stored version at all
    differs: pa.ChunkedArray | pa.Array  # per incoming row: its key columns differ from the stored row's
    moved_from: dict[str, list[str]]  # old month -> article_ids whose month changed
    counts: LoadCounts


def _plan(incoming: pa.Table, index: pa.Table, order: pa.Array) -> _Plan:
    """Decide per incoming article: new, updated (content_hash differs) or unchanged; and who wins."""
    if index.num_rows == 0:  # a fresh source: everything is new, nothing to join or copy
        every = pa.array(np.ones(incoming.num_rows, dtype=bool))
        return _Plan(order, every, every, {}, LoadCounts(new=incoming.num_rows))
    old = index.rename_columns(["article_id", "e_month", "e_crawled", "e_updated", "e_hash"])
    keys = incoming.select(_INDEX_COLUMNS).append_column("__i", _row_numbers(incoming))
    joined = keys.join(old, "article_id", join_type="left outer", use_threads=False).sort_by("__i")
    is_new = pc.is_null(joined.column("e_month"))
    crawled, e_crawled = (pc.fill_null(joined.column(c), _NEVER) for c in ("crawled_at", "e_crawled"))
    updated, e_updated = (pc.fill_null(joined.column(c), _NEVER) for c in ("updated_at", "e_updated"))
    older = pc.or_(pc.less(crawled, e_crawled),
                   pc.and_(pc.equal(crawled, e_crawled), pc.less(updated, e_updated)))
    wins = pc.or_(is_new, pc.invert(pc.fill_null(older, False)))
    changed = pc.not_equal(pc.fill_null(joined.column("content_hash"), ""),
                           pc.fill_null(joined.column("e_hash"), ""))
    is_updated = pc.and_(pc.and_(wins, pc.invert(is_new)), pc.fill_null(changed, True))
    differs = pc.or_(is_new, pc.or_(pc.fill_null(changed, True),
                                    pc.or_(pc.not_equal(crawled, e_crawled), pc.not_equal(updated, e_updated))))
    n_new, n_upd = pc.sum(is_new).as_py() or 0, pc.sum(is_updated).as_py() or 0
    moved = joined.filter(pc.and_(wins, pc.fill_null(pc.not_equal(joined.column("e_month"),
                                                                  joined.column("month")), False)))
    moved_from: dict[str, list[str]] = {}
    for aid, month in zip(moved.column("article_id").to_pylist(), moved.column("e_month").to_pylist(),
                          strict=True):
        moved_from.setdefault(month, []).append(aid)
    counts = LoadCounts(new=n_new, updated=n_upd, unchanged=incoming.num_rows - n_new - n_upd)
    return _Plan(pc.filter(order, pc.take(wins, order)), is_new, differs, moved_from, counts)


def _without(rows: pa.Table, article_ids: pa.Array | pa.ChunkedArray) -> pa.Table:
    """`rows` less those of `article_ids`; the same table, not a copy, when it holds none of them (new
    articles merged into a month past MAX_APPENDED_FILES: at 10M articles a copy of a 300 MB month)."""
    stored = pc.is_in(rows.column("article_id"), value_set=article_ids)
    return rows.filter(pc.invert(stored)) if pc.any(stored).as_py() else rows


def _rewrite_month(root: Root, source: str, month: str, drop: pa.Array, add: pa.Table,
                   max_file_bytes: int, table_name: str = "articles", changed: bool = False) -> bool:
    """Partition := current - drop + add, written only if that changes its rows. True when written.

    `add` is conformed already. The comparison ignores how the rows are spread over files (appended files
    are not in one global order), so rows that are all there already are not rewritten. `changed`: the
    caller knows the rows differ (an article's key columns changed), no need to compare."""
    current = read_partition(root, table_name, source, month)
    merged = sort_rows(table_name, pa.concat_tables([_without(current, drop), add]))
    if not changed and merged.num_rows == current.num_rows and not older_schema(root, table_name, source, month):
        files = partitions(root).files(table_name, source, table_spec(table_name).partition, month)
        if merged.equals(current if len(files) < 2 else sort_rows(table_name, current)):
            return False
    _write_sorted(root, table_name, source, month, merged, max_file_bytes)
    return True


def _append_file(root: Root, table_name: str, source: str, month: str, rows: pa.Table,
                 max_file_bytes: int) -> bool:
    """Add `rows` (conformed, sorted, none of them stored yet) to a partition as one more file, without
    reading or rewriting the files it has. False (nothing written) when that would not be one file, the
    partition has MAX_APPENDED_FILES already, or one of its files is of an older schema (a file of another
    schema beside it would stay old): the caller rewrites it whole then.

    The file is named by a digest of its bytes, so the same rows appended again get the same name (a load
    re-run after a crash, idempotent); it appears in one rename, so a reader sees it whole or not at all."""
    spec = table_spec(table_name)
    store = partitions(root)
    if (len(store.files(table_name, source, spec.partition, month)) >= MAX_APPENDED_FILES
            or older_schema(root, table_name, source, month)):
        return False
    return store.append(table_name, source, spec.partition, month, rows.drop_columns(["source", spec.partition]),
                        max_file_bytes)


def older_schema(root: Root, table_name: str, source: str, value: str) -> bool:
    """Whether a file of the partition was written under an older SCHEMA_VERSION (its footer says so): a load
    that changes none of its rows still rewrites it, which is how `provnews reprocess` upgrades old files."""
    store = partitions(root)
    for path in store.files(table_name, source, table_spec(table_name).partition, value):
        meta = pq.read_metadata(path, filesystem=store.fs).metadata or {}
        if int(meta.get(b"provnews.schema_version", b"0")) < SCHEMA_VERSION:
            return True
    return False


def _children_of(children: Mapping[str, pa.Table], source: str, incoming: pa.Table,
                 winners: pa.Table) -> dict[str, pa.Table]:
    """Each child table's rows of the winning articles, with their article's month and source filled in,
    conformed and in sort_rows' order.

    Rows of an incoming article that lost to a newer stored version are stale with it and are left out; rows
    of an article that is not being loaded at all are an error."""
    winner_ids, months = winners.column("article_id"), winners.column("month")
    out = {}
    for name in ARTICLE_CHILDREN:
        rows = children.get(name, TABLES[name].schema.empty_table())
        rows = rows.drop_columns([c for c in ("month", "source") if c in rows.column_names])
        ids = rows.column("article_id")
        stray = pc.filter(ids, pc.invert(pc.is_in(ids, value_set=incoming.column("article_id"))))
        if len(stray):
            raise SchemaError(f"{name}: rows for article_id {stray[0].as_py()!r}, which is not being loaded")
        at = pc.index_in(ids, value_set=winner_ids)  # (Arrow joins do not carry list columns)
        rows = rows.filter(pc.is_valid(at))
        rows = rows.append_column("month", months.take(pc.drop_null(at)))
        out[name] = sort_rows(name, conform(name, rows, {"source": source}))
    return out


def _month_slices(rows: pa.Table) -> list[tuple[str, int, int]]:
    """(month, offset, length) of each month's run of rows; `rows` are grouped by month."""
    counts = pc.value_counts(rows.column("month")).to_pylist() if rows.num_rows else []
    out, offset = [], 0
    for item in counts:  # value_counts lists values in order of first appearance
        out.append((item["values"], offset, item["counts"]))
        offset += item["counts"]
    return out


def _load_month(root: Root, source: str, month: str, incoming: pa.Table, plan: _Plan, at: pa.Array,
                kids: Mapping[str, pa.Table], max_file_bytes: int) -> bool:
    """Write one month's winners (incoming rows `at`, in order), then their child rows, each table on its
    own: into an empty partition straight from the batch; new articles as one more file; anything else
    rewrites it."""
    add = incoming.take(at)  # this month's copy only: freed once written
    all_new = bool(pc.all(pc.take(plan.is_new, at)).as_py())
    differs = bool(pc.any(pc.take(plan.differs, at)).as_py())
    ids = add.column("article_id").combine_chunks()
    written = _load_table_month(root, "articles", source, month, ids, add, all_new, max_file_bytes, differs)
    for name, rows in kids.items():
        mine = rows.filter(pc.equal(rows.column("month"), month))
        _load_table_month(root, name, source, month, ids, mine, all_new, max_file_bytes)
    return written


def _load_table_month(root: Root, table_name: str, source: str, month: str, ids: pa.Array, rows: pa.Table,
                      all_new: bool, max_file_bytes: int, changed: bool = False) -> bool:
    if not partitions(root).files(table_name, source, "month", month):  # what is stored is the truth
        if rows.num_rows:
            _write_sorted(root, table_name, source, month, rows, max_file_bytes)
        return bool(rows.num_rows)
    if all_new:  # none of these articles is stored: nothing to drop, nothing to read
        return bool(rows.num_rows) and (_append_file(root, table_name, source, month, rows, max_file_bytes)
                                        or _rewrite_month(root, source, month, ids, rows, max_file_bytes,
                                                          table_name))
    return _rewrite_month(root, source, month, ids, rows, max_file_bytes, table_name, changed)


def upsert_articles(root: Root, source: str, rows: pa.Table, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                    lock_timeout: float = DEFAULT_TIMEOUT_S,
                    children: Mapping[str, pa.Table] | None = None) -> LoadCounts:
    """Insert or replace articles by article_id, one atomic write per month partition touched.

    The newest version of an article wins (crawled_at, then updated_at; a tie goes to the incoming row, so a
    re-extraction replaces). Loading the same rows twice leaves the files untouched. An article whose month
    changed is first removed from its old partition, then written to the new one: a crash in between can
    make it briefly absent (until the load is re-run), never duplicated.

    The batch is conformed and sorted once. The plan reads only the key columns of the stored months; a month
    not stored yet is written straight from the batch; a month that only gains new articles gets them as one
    more file (up to MAX_APPENDED_FILES; compaction merges them); only a month whose stored articles change
    is read and rewritten.

    `children` holds the rows of the tables that follow the articles (ARTICLE_CHILDREN: mentions, places,
    figures), keyed by article_id: a winning article's child rows replace its old ones in the same month
    partition. Each child partition is compared and written on its own, after the articles', so a load
    re-run after a crash in between completes them.
    """
    incoming = _newest_per_article(conform("articles", with_month(rows), {"source": source}))
    order = _article_order(incoming)
    with partitions(root).source_lock(source, lock_timeout):
        cleanup_leftovers(root, source, "articles")
        index = _existing_index(root, source)
        plan = _plan(incoming, index, order)
        winners = incoming.select(["article_id", "month"]).take(plan.winners_at)
        kids = _children_of(children or {}, source, incoming, winners)
        empty = incoming.schema.empty_table()
        for month, ids in sorted(plan.moved_from.items()):
            for name in ("articles", *ARTICLE_CHILDREN):
                none = empty if name == "articles" else TABLES[name].schema.empty_table()
                _rewrite_month(root, source, month, pa.array(ids, pa.string()), none, max_file_bytes, name)
        # Months are independent partitions: written by a few threads (Parquet encoding releases the GIL),
        # each still in one atomic step. The bytes of each do not depend on the order.
        with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
            futures = [pool.submit(_load_month, root, source, month, incoming, plan,
                                   plan.winners_at.slice(offset, length), kids, max_file_bytes)
                       for month, offset, length in _month_slices(winners)]
            written = sum(future.result() for future in futures)
    log.info("articles upserted", extra={"source": source, "rows": rows.num_rows, "new": plan.counts.new,
                                         "updated": plan.counts.updated, "unchanged": plan.counts.unchanged,
                                         "partitions_written": written})
    return plan.counts


# ---------------------------------------------------------------- whole tables: rebuilt from the others

def read_table(root: Root, table_name: str) -> pa.Table:
    """Every row of a whole table (officials, documents, duplicates), conformed, in its sorted order."""
    spec = table_spec(table_name)
    if isinstance(root, S3Root):
        from warehouse.s3 import S3Partitions

        store = S3Partitions.of(root)
        parts = [conform(table_name, _read_file(store, path), {spec.partition: value})
                 for value, path in store.table_files(table_name)]
        return sort_rows(table_name, pa.concat_tables(parts)) if parts else spec.schema.empty_table()
    parts = []
    base = table_dir(root, table_name)
    for pdir in sorted(base.glob(f"{spec.partition}=*")) if base.is_dir() else []:
        fixed = {spec.partition: pdir.name.partition("=")[2]}
        parts += [conform(table_name, pq.read_table(path), fixed) for path in live_files(pdir)]
    return sort_rows(table_name, pa.concat_tables(parts)) if parts else spec.schema.empty_table()


def replace_table(root: Root, table_name: str, rows: pa.Table, lock_timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """Replace a whole table with `rows`, in one directory swap; False (nothing written) when it holds them.

    The new table is written complete in `{root}/.staging/` and exchanged with the live directory, so a
    reader sees the old table or the new one, never a mix; a crash leaves the old one and a staging leftover
    that the next rebuild removes.
    """
    spec = table_spec(table_name)
    if spec.per_source:
        raise SchemaError(f"{table_name} is written per source and partition, not rebuilt whole")
    rows = sort_rows(table_name, conform(table_name, rows))
    if isinstance(root, S3Root):
        return _replace_s3_table(root, table_name, rows, lock_timeout)
    with table_lock(root, table_name, lock_timeout):
        stage_root = root / ".staging" / f"table.{table_name}"
        shutil.rmtree(stage_root, ignore_errors=True)
        if rows.equals(read_table(root, table_name)):
            return False
        stage = stage_root / uuid.uuid4().hex
        for value in sorted(set(rows.column(spec.partition).to_pylist())):
            part = rows.filter(pc.equal(rows.column(spec.partition), value)).drop_columns([spec.partition])
            pdir = stage / f"{spec.partition}={value}"
            pdir.mkdir(parents=True)
            _write_files(part, pdir, (f"part-{i}.parquet" for i in range(1 << 30)), DEFAULT_MAX_FILE_BYTES)
            _fsync_dir(pdir)
        stage.mkdir(parents=True, exist_ok=True)
        _fsync_dir(stage)
        live = table_dir(root, table_name)
        if live.is_dir():
            _exchange_dirs(stage, live)
        else:
            os.rename(stage, live)
            _fsync_dir(root)
        shutil.rmtree(stage_root, ignore_errors=True)
    log.info("table rebuilt", extra={"table": table_name, "rows": rows.num_rows})
    return True


def _replace_s3_table(root: S3Root, table_name: str, rows: pa.Table, lock_timeout: float) -> bool:
    """replace_table on S3: every partition's files under new names, then the table's one manifest PUT."""
    from warehouse.s3 import S3Partitions

    spec = table_spec(table_name)
    store = S3Partitions.of(root)
    with store.table_lock(table_name, lock_timeout):
        if rows.equals(read_table(root, table_name)):
            return False
        parts = {value: rows.filter(pc.equal(rows.column(spec.partition), value)).drop_columns([spec.partition])
                 for value in sorted(set(rows.column(spec.partition).to_pylist()))}
        store.replace_table(table_name, spec.partition, parts)
    log.info("table rebuilt", extra={"table": table_name, "rows": rows.num_rows})
    return True
