"""Partitions on S3-compatible object storage, where there is no rename: a manifest per partition is the commit.

Layout (the same Hive layout as the local warehouse, under `s3://bucket/prefix`):

    {table}/source={s}/{key}={value}/part-{token}-{i}.parquet      data, never overwritten
    {table}/source={s}/{key}={value}/_manifest.json                {"files": [...], ...}: the live set

How a partition is replaced:

1. the new rows are written as new objects under names no earlier write used (`token` is random);
2. `_manifest.json` is PUT with the new list: one PUT of a small object, which S3 (and SeaweedFS) makes visible
   whole and at once — this is the commit; before it, readers see the old set, after it the new one;
3. only then are the files of the old set deleted. A removed partition has its manifest deleted first (one
   DELETE), then its files.

A writer killed before step 2 leaves objects no manifest names: invisible to readers that go through the
manifests, and deleted by the next writer of the same source (`cleanup`, under the source lock). Killed
between 2 and 3, it leaves old files that no manifest names: the same sweep removes them.

**Readers.** Every reader of this project lists files from the manifests (warehouse.reader, warehouse.views,
so `provnews query`/`search`/`report`), never from a listing of the prefix, so it never sees half a partition
or a mix. A plain reader (DuckDB, Spark, pandas pointed at the prefix) must do the same: read each partition's
`_manifest.json` and open the files it names (`manifest_files` gives them, e.g. for `spark.read.parquet(*files)`
with `basePath`). A glob of `**/*.parquet` would also pick up the files of a write in progress, a killed
writer's leftovers, and for a moment the old set of a partition just replaced. A reader that read a manifest
just before a replace may find a file of the old set deleted ("not found"): it reads the manifest again.

Writers of one source take the cross-machine lock of warehouse.pglock (PROVNEWS_WAREHOUSE_LOCK). Before each
manifest PUT the writer checks that it still holds it (its database session is alive), so a writer that lost
the lock (a network cut) stops before it commits instead of overwriting another writer's manifest.
Incomplete multipart uploads of a killed writer are invisible objects; a bucket lifecycle rule
(AbortIncompleteMultipartUpload) removes them.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import ClassVar

import pyarrow as pa
import pyarrow.fs as pafs

from warehouse.paths import check_source
from warehouse.pglock import PgLock, advisory_lock
from warehouse.schema import SCHEMA_VERSION, TABLES
from warehouse.storage import S3Root, StorageUnavailable
from warehouse.writer import write_parquet

log = logging.getLogger(__name__)

MANIFEST = "_manifest.json"


class S3Partitions:
    """warehouse.storage.Partitions on an S3Root (one per root and process: it remembers the locks it holds)."""

    _known: ClassVar[dict[S3Root, S3Partitions]] = {}

    def __init__(self, root: S3Root) -> None:
        self.root = root
        self.fs: pafs.FileSystem = root.filesystem
        self._held: dict[str, PgLock] = {}

    @classmethod
    def of(cls, root: S3Root) -> S3Partitions:
        if root not in cls._known:
            cls._known[root] = cls(root)
        return cls._known[root]

    def _dir(self, table_name: str, source: str, key: str, value: str) -> str:
        return self.root.key(table_name, f"source={check_source(source)}", f"{key}={value}")

    def manifest(self, table_name: str, source: str, key: str, value: str) -> list[str]:
        """The names of a partition's live files ([] when it has no manifest)."""
        return read_manifest(self.fs, self._dir(table_name, source, key, value))

    def files(self, table_name: str, source: str, key: str, value: str) -> list[str]:
        pdir = self._dir(table_name, source, key, value)
        return [f"{pdir}/{name}" for name in read_manifest(self.fs, pdir)]

    def values(self, table_name: str, source: str) -> list[str]:
        base = self.root.key(table_name, f"source={check_source(source)}")
        found = []
        for info in self.fs.get_file_info(pafs.FileSelector(base, allow_not_found=True, recursive=True)):
            if info.base_name == MANIFEST:
                found.append(info.path.rsplit("/", 2)[-2].partition("=")[2])
        return sorted(found)

    def sources(self, table_name: str) -> list[str]:
        found = self.fs.get_file_info(pafs.FileSelector(self.root.key(table_name), allow_not_found=True))
        return sorted(i.base_name.partition("=")[2] for i in found
                      if i.type == pafs.FileType.Directory and i.base_name.startswith("source="))

    def replace(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
                max_file_bytes: int) -> str:
        pdir = self._dir(table_name, source, key, value)
        old = read_manifest(self.fs, pdir)
        if rows.num_rows == 0:
            if old:
                self._check_lock(source)
                self.fs.delete_file(f"{pdir}/{MANIFEST}")  # the commit of a removal
                self._delete(pdir, old)
            return pdir
        token = uuid.uuid4().hex[:12]
        names = self._write(pdir, rows, (f"part-{token}-{i}.parquet" for i in range(1 << 30)), max_file_bytes)
        self._commit(source, pdir, names, rows.num_rows)
        self._delete(pdir, [name for name in old if name not in names])
        return pdir

    def append(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
               max_file_bytes: int) -> bool:
        pdir = self._dir(table_name, source, key, value)
        old = read_manifest(self.fs, pdir)
        token = uuid.uuid4().hex[:12]
        names = self._write(pdir, rows, (f"part-add-{token}-{i}.parquet" for i in range(1 << 30)), max_file_bytes)
        if len(names) != 1:
            self._delete(pdir, names)
            return False
        self._commit(source, pdir, [*old, *names], None)
        return True

    def cleanup(self, source: str, table_name: str | None) -> int:
        """Delete every Parquet object of `source` that no manifest names (killed writers' files, old sets)."""
        removed = 0
        for name in [table_name] if table_name else [n for n, spec in TABLES.items() if spec.per_source]:
            base = self.root.key(name, f"source={check_source(source)}")
            by_dir: dict[str, list[str]] = {}
            for info in self.fs.get_file_info(pafs.FileSelector(base, allow_not_found=True, recursive=True)):
                if info.type == pafs.FileType.File:
                    pdir, _, leaf = info.path.rpartition("/")
                    by_dir.setdefault(pdir, []).append(leaf)
            for pdir, leaves in by_dir.items():
                live = set(read_manifest(self.fs, pdir)) if MANIFEST in leaves else set()
                stray = [leaf for leaf in leaves if leaf.endswith(".parquet") and leaf not in live]
                self._delete(pdir, stray)
                removed += len(stray)
        if removed:
            log.info("leftovers removed", extra={"source": source, "table": table_name, "files": removed})
        return removed

    @contextmanager
    def source_lock(self, source: str, timeout: float) -> Iterator[None]:
        with self._lock(check_source(source), f"warehouse source {source!r}", timeout):
            yield

    @contextmanager
    def _lock(self, holder: str, what: str, timeout: float) -> Iterator[None]:
        """The advisory lock of `holder` (a source id, or "table NAME") in this warehouse."""
        if not self.root.lock_url:
            raise StorageUnavailable(
                f"warehouse {self.root.url}: writing an s3:// warehouse needs PROVNEWS_WAREHOUSE_LOCK, a "
                "postgresql:// URL whose advisory locks keep writers on several machines apart")
        name = f"{self.root.url} source {holder}"
        with advisory_lock(self.root.lock_url, name, what, timeout) as lock:
            self._held[holder] = lock
            try:
                yield
            finally:
                del self._held[holder]

    # ------------------------------------------------------------ whole tables (officials, documents, duplicates)
    # One manifest for the whole table, {table}/_manifest.json, listing "key=value/part-....parquet": a rebuild
    # switches every partition at once, as the local directory swap does.

    def table_files(self, table_name: str) -> list[tuple[str, str]]:
        """(partition value, path) of every live file of a whole table."""
        base = self.root.key(table_name)
        return [(rel.split("/", 1)[0].partition("=")[2], f"{base}/{rel}") for rel in read_manifest(self.fs, base)]

    def replace_table(self, table_name: str, key: str, parts: dict[str, pa.Table]) -> None:
        base = self.root.key(table_name)
        old = read_manifest(self.fs, base)
        token = uuid.uuid4().hex[:12]
        names = []
        for value, rows in parts.items():
            names += [f"{key}={value}/{name}" for name in self._write(
                f"{base}/{key}={value}", rows, (f"part-{token}-{i}.parquet" for i in range(1 << 30)), 1 << 40)]
        self._commit(f"table {table_name}", base, names, sum(t.num_rows for t in parts.values()))
        self._delete(base, [name for name in old if name not in names])
        self._sweep(base, set(names))

    @contextmanager
    def table_lock(self, table_name: str, timeout: float) -> Iterator[None]:
        with self._lock(f"table {table_name}", f"warehouse table {table_name!r}", timeout):
            yield

    def _sweep(self, base: str, live: set[str]) -> None:
        """Delete the Parquet objects under a whole table that its manifest does not name (killed rebuilds)."""
        for info in self.fs.get_file_info(pafs.FileSelector(base, allow_not_found=True, recursive=True)):
            rel = info.path.removeprefix(base + "/")
            if info.type == pafs.FileType.File and rel.endswith(".parquet") and rel not in live:
                self._delete(base, [rel])

    # ------------------------------------------------------------ helpers

    def _write(self, pdir: str, rows: pa.Table, names: Iterator[str], max_file_bytes: int) -> list[str]:
        return write_parquet(rows, lambda name: self.fs.open_output_stream(f"{pdir}/{name}"), names,
                             max_file_bytes)

    def _check_lock(self, source: str) -> None:
        lock = self._held.get(source)
        if lock is None:
            raise RuntimeError(f"S3 partition of {source!r} written without its source lock")
        lock.check()

    def _commit(self, source: str, pdir: str, names: list[str], rows: int | None) -> None:
        """The one PUT that switches the partition to `names`."""
        self._check_lock(source)
        body = json.dumps({"files": names, "schema_version": SCHEMA_VERSION, "rows": rows}, indent=1)
        with self.fs.open_output_stream(f"{pdir}/{MANIFEST}") as out:
            out.write(body.encode())

    def _delete(self, pdir: str, names: list[str]) -> None:
        for name in names:
            with suppress(FileNotFoundError):  # a sweep before us took it
                self.fs.delete_file(f"{pdir}/{name}")


def read_manifest(fs: pafs.FileSystem, pdir: str) -> list[str]:
    """The file names a partition's manifest lists; [] when there is none."""
    try:
        with fs.open_input_stream(f"{pdir}/{MANIFEST}") as src:
            return list(json.loads(src.read())["files"])
    except FileNotFoundError:
        return []


def manifest_files(root: S3Root, table_name: str) -> list[str]:
    """Every live file of a table (all sources and partitions), as s3:// URLs: what a plain reader opens."""
    fs = root.filesystem
    base = root.key(table_name)
    if not TABLES[table_name].per_source:  # one manifest for the whole table
        return sorted(f"s3://{base}/{rel}" for rel in read_manifest(fs, base))
    out = []
    for info in fs.get_file_info(pafs.FileSelector(base, allow_not_found=True, recursive=True)):
        if info.base_name == MANIFEST:
            pdir = info.path.rpartition("/")[0]
            out += [f"s3://{pdir}/{name}" for name in read_manifest(fs, pdir)]
    return sorted(out)


# ---------------------------------------------------------------- Spark (S3A) over the same objects

# hadoop-aws 3.3.1 (AWS SDK v1), the S3A client that PyPI carries (in sagemaker-pyspark 1.4.5's jars), runs on
# the Hadoop 3.5 of pyspark 4 once given what it cannot parse or load there: Hadoop >= 3.4 writes its S3A
# timeouts as "60s" (3.3 reads plain numbers), and names AWS SDK v2 credential providers by default.
_S3A_COMPAT = {
    "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    "fs.s3a.threads.keepalivetime": "60", "fs.s3a.connection.establish.timeout": "30000",
    "fs.s3a.connection.timeout": "200000", "fs.s3a.multipart.purge.age": "86400",
    "fs.s3a.connection.ttl": "300000", "fs.s3a.connection.request.timeout": "0",
    "fs.s3a.connection.acquisition.timeout": "60000", "fs.s3a.connection.idle.time": "60000",
}
S3A_JARS = ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar")


def s3a_jars() -> list[str]:
    """The S3A jars of an installed sagemaker-pyspark (`pip install --no-deps sagemaker-pyspark==1.4.5`: its
    own requirement pins pyspark 3.3), or [] when it is not installed."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sagemaker_pyspark")
    if spec is None or not spec.submodule_search_locations:
        return []
    jars = Path(next(iter(spec.submodule_search_locations))) / "jars"
    found = [jars / name for name in S3A_JARS]
    return [str(p) for p in found] if all(p.exists() for p in found) else []


def spark_conf(root: S3Root, access_key: str, secret_key: str) -> dict[str, str]:
    """The Hadoop settings with which a Spark session started with `spark.jars` = s3a_jars() reads this
    warehouse's objects as s3a://bucket/prefix/... (give them to the builder as `spark.hadoop.NAME`, or set them
    on `spark._jsc.hadoopConfiguration()`); read the files manifest_files names, as s3a:// URLs."""
    conf = {**_S3A_COMPAT, "fs.s3a.access.key": access_key, "fs.s3a.secret.key": secret_key,
            "fs.s3a.path.style.access": "true"}
    if root.endpoint:
        conf["fs.s3a.endpoint"] = root.endpoint
        conf["fs.s3a.connection.ssl.enabled"] = str(root.endpoint.startswith("https")).lower()
    return conf
