"""A write lock that holds across machines: a PostgreSQL session advisory lock (for s3:// warehouses).

`PROVNEWS_WAREHOUSE_LOCK=postgresql://host:5432/db` names the database; every writer of the warehouse, on any
machine, takes `pg_advisory_lock(key)` with key = a hash of (warehouse URL, source). The lock belongs to the
database session: when its process dies, even by SIGKILL, the kernel closes the socket, PostgreSQL ends the
session and the lock is free again — no stale lock, as with the local flock. The holder names itself in the
session's application_name (host and pid), so a waiter that gives up can say who holds it.

Fencing: a lock is only as good as the session. `PgLock.check()` asks the server that this session still
holds the key; the S3 writer calls it before each manifest PUT, so a writer whose session was cut (and whose
lock another writer may now hold) stops before it commits.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from warehouse.lock import LockTimeout
from warehouse.storage import StorageUnavailable

_POLL_S = 0.1


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (pg_advisory_lock's bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PgLock:
    """A held advisory lock: its connection and key."""

    def __init__(self, conn: Any, key: int, what: str) -> None:
        self.conn, self.key, self.what = conn, key, what

    def check(self) -> None:
        """RuntimeError unless this session still holds the lock (the fencing check before a commit)."""
        try:
            with self.conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                            "AND granted AND ((classid::bigint << 32) | objid::bigint) = %s::bigint",
                            (self.key,))
                held = cur.fetchone()[0] > 0
        except Exception as exc:  # any driver error means the session (and so the lock) is gone
            raise RuntimeError(f"{self.what}: lost the write lock ({exc}); nothing committed") from None
        if not held:
            raise RuntimeError(f"{self.what}: lost the write lock; nothing committed")


def _connect(url: str) -> Any:
    if not url.startswith(("postgresql://", "postgres://")):
        raise StorageUnavailable(f"PROVNEWS_WAREHOUSE_LOCK={url.split('://')[0]}://...: only a postgresql:// lock "
                                 "database is supported")
    try:
        import psycopg2
    except ImportError:
        raise StorageUnavailable("PROVNEWS_WAREHOUSE_LOCK needs psycopg2 (pip install 'provnews[cluster]')") from None
    try:
        conn = psycopg2.connect(url, connect_timeout=5,
                                application_name=f"provnews pid {os.getpid()} on {socket.gethostname()}"[:63])
    except psycopg2.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StorageUnavailable(f"PROVNEWS_WAREHOUSE_LOCK: cannot reach the lock database: {first}") from None
    conn.autocommit = True
    return conn


def _holder(conn: Any, key: int) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    "AND ((l.classid::bigint << 32) | l.objid::bigint) = %s::bigint", (key,))
        row = cur.fetchone()
    return f"{row[0] or 'a session'} ({row[1] or 'local'})" if row else "an unknown process"


@contextmanager
def advisory_lock(url: str, name: str, what: str, timeout: float) -> Iterator[PgLock]:
    """Hold the advisory lock of `name`; wait up to `timeout` s, then LockTimeout naming the holder."""
    conn = _connect(url)
    key = lock_key(name)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_try_advisory_lock(%s)", (key,))
                if cur.fetchone()[0]:
                    break
            if time.monotonic() >= deadline:
                raise LockTimeout(f"{what} is being written by {_holder(conn, key)} (advisory lock {key} in "
                                  f"PROVNEWS_WAREHOUSE_LOCK); gave up after {timeout:g} s")
            time.sleep(_POLL_S)
        yield PgLock(conn, key, what)
    finally:
        conn.close()  # ending the session releases the lock
