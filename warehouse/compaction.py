"""Compaction: merge a partition's small files into as few files as its size bound allows, atomically.

The writer already keeps one file per partition; several small files appear when other tools (or an older
writer) add files, or when a partition shrank below the size bound after being split. Compaction rewrites
such a partition through the same atomic path as every write (under the source lock), so readers see the
old files or the new ones, never both. The rows are unchanged (same rows, same deterministic order).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from warehouse.lock import DEFAULT_TIMEOUT_S
from warehouse.schema import TABLES
from warehouse.storage import Partitions, Root
from warehouse.writer import (
    DEFAULT_MAX_FILE_BYTES,
    cleanup_leftovers,
    partitions,
    read_partition,
    table_spec,
    write_partition_locked,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Compaction:
    table: str
    source: str
    partition: str  # the dt/month value
    files_before: int
    bytes_before: int
    files_after: int | None  # None on a dry run


def candidates(root: Root, table_name: str, source: str | None = None,
               max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[tuple[str, str, list[str]]]:
    """(source, partition value, files) of every partition whose files could be fewer."""
    spec = table_spec(table_name)
    store = partitions(root)
    out = []
    for src in store.sources(table_name):
        if source is not None and src != source:
            continue
        for value in store.values(table_name, src):
            files = store.files(table_name, src, spec.partition, value)
            size = _size(store, files)
            if len(files) > max(1, -(-size // max_file_bytes)):  # more files than the bound needs
                out.append((src, value, files))
    return out


def _size(store: Partitions, files: list[str]) -> int:
    return sum(info.size or 0 for info in store.fs.get_file_info(files)) if files else 0


def compact(root: Root, table_name: str, source: str | None = None, dry_run: bool = False,
            max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
            lock_timeout: float = DEFAULT_TIMEOUT_S) -> list[Compaction]:
    """Compact every partition of `table_name` (of one source, or all) that has more files than it needs."""
    done = []
    store = partitions(root)
    key = table_spec(table_name).partition
    for src, value, files in candidates(root, table_name, source, max_file_bytes):
        before = _size(store, files)
        after: int | None = None
        if not dry_run:
            with store.source_lock(src, lock_timeout):
                cleanup_leftovers(root, src, table_name)
                rows = read_partition(root, table_name, src, value)
                write_partition_locked(root, table_name, src, value, rows, max_file_bytes)
                after = len(store.files(table_name, src, key, value))
        done.append(Compaction(table_name, src, value, len(files), before, after))
        log.info("compacted" if not dry_run else "would compact",
                 extra={"table": table_name, "source": src, "partition": value, "files_before": len(files),
                        "files_after": after})
    return done


def compact_all(root: Root, dry_run: bool = False) -> list[Compaction]:
    """Compact every table of the warehouse (what the maintenance DAG runs)."""
    # the whole tables (officials, documents, duplicates) are rewritten as one file per partition at each build
    return [c for table_name, spec in TABLES.items() if spec.per_source
            for c in compact(root, table_name, dry_run=dry_run)]
