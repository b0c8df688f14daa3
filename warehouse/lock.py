"""Per-source write lock: one writer per source at a time, across processes.

An advisory `fcntl.flock` on `{root}/.locks/{source}.lock`. The kernel drops the lock when the holder's
process dies (even by SIGKILL), so a crashed load never leaves a stale lock behind. The holder writes its pid
into the file so that a waiter that gives up can say who holds it.

This lock holds on one machine (or one filesystem with working flock); an s3:// warehouse, written from
several machines, takes warehouse.pglock's PostgreSQL advisory lock instead (warehouse.s3).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.paths import check_source

DEFAULT_TIMEOUT_S = 300.0
_POLL_S = 0.05


class LockTimeout(TimeoutError):
    """Another process held the source lock for longer than we were willing to wait."""


def lock_path(root: Path, source: str) -> Path:
    return root / ".locks" / f"{check_source(source)}.lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text else "an unknown process"


@contextmanager
def source_lock(root: Path, source: str, timeout: float = DEFAULT_TIMEOUT_S) -> Iterator[None]:
    """Hold the write lock of `source`; wait up to `timeout` s, then raise LockTimeout naming the holder."""
    with _held(lock_path(root, source), f"warehouse source {source!r}", timeout):
        yield


@contextmanager
def table_lock(root: Path, table: str, timeout: float = DEFAULT_TIMEOUT_S) -> Iterator[None]:
    """Hold the write lock of a table rebuilt whole (officials, documents, duplicates)."""
    with _held(root / ".locks" / f"table.{table}.lock", f"warehouse table {table!r}", timeout):
        yield


@contextmanager
def _held(path: Path, what: str, timeout: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{what} is being written by {_holder(fd)} "
                        f"(lock {path}); gave up after {timeout:g} s"
                    ) from None
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
