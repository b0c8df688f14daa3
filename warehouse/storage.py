"""Where the warehouse lives: a local directory, or a bucket and prefix of an S3-compatible object store.

`PROVNEWS_WAREHOUSE` is either a path (the default, `data/warehouse`) or `s3://bucket/prefix`. For S3:

* the endpoint is `PROVNEWS_S3_ENDPOINT` (e.g. `http://127.0.0.1:8333` for SeaweedFS, `https://s3.eu-west-1.
  amazonaws.com`, or empty for AWS's own); the region `AWS_REGION` (default us-east-1);
* the credentials are the AWS SDK's usual chain, read by pyarrow's S3 client itself: `AWS_ACCESS_KEY_ID` and
  `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else `~/.aws/credentials`, else the instance role. The
  project never holds them in its settings, so no log or error message can print them.

`Root` is what every warehouse function takes: a `Path` (today's local layout, unchanged) or an `S3Root`.
`check_reachable` turns an endpoint that is down, a missing bucket or refused credentials into one line
(StorageUnavailable) before a command starts working.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.fs as pafs

S3_SCHEME = "s3://"
CONNECT_TIMEOUT_S = 5.0
REQUEST_TIMEOUT_S = 60.0


class StorageUnavailable(OSError):
    """The object store cannot be used: endpoint down, bucket missing, credentials refused. One line."""


@dataclass(frozen=True)
class S3Root:
    """`s3://bucket/prefix` on `endpoint` ("" = AWS). `base` is the "bucket/prefix" pyarrow's S3 paths start with."""

    bucket: str
    prefix: str = ""
    endpoint: str = ""
    region: str = "us-east-1"
    lock_url: str = ""  # PROVNEWS_WAREHOUSE_LOCK: the postgresql:// database whose advisory locks writers take
    _fs: list[pafs.S3FileSystem] = field(default_factory=list, compare=False, repr=False, hash=False)

    @property
    def url(self) -> str:
        return f"{S3_SCHEME}{self.base}"

    @property
    def base(self) -> str:
        return f"{self.bucket}/{self.prefix}".rstrip("/")

    def key(self, *parts: str) -> str:
        """A path under the warehouse, as pyarrow's S3FileSystem names it (bucket/prefix/part/...)."""
        return "/".join([self.base, *parts])

    @property
    def filesystem(self) -> pafs.S3FileSystem:
        """One client per root (it pools connections); credentials from the AWS SDK's default chain."""
        if not self._fs:
            self._fs.append(_s3_filesystem(self.endpoint, self.region))
        return self._fs[0]

    def __str__(self) -> str:
        return self.url


Root = Path | S3Root


def _s3_filesystem(endpoint: str, region: str) -> pafs.S3FileSystem:
    kwargs: dict[str, object] = {}
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
        kwargs.update(endpoint_override=parts.netloc, scheme=parts.scheme or "http")
    # a down endpoint must fail a command in seconds, not after the SDK's ten retries with back-off
    return pafs.S3FileSystem(region=region, connect_timeout=CONNECT_TIMEOUT_S, request_timeout=REQUEST_TIMEOUT_S,
                             retry_strategy=pafs.AwsStandardS3RetryStrategy(max_attempts=3),
                             allow_bucket_creation=False, allow_bucket_deletion=False, **kwargs)


def parse_s3(url: str, endpoint: str = "", region: str = "", lock_url: str = "") -> S3Root:
    """`s3://bucket[/prefix]` as an S3Root; ValueError for anything else."""
    if not url.startswith(S3_SCHEME):
        raise ValueError(f"{url!r} is not an s3://bucket/prefix URL")
    bucket, _, prefix = url[len(S3_SCHEME):].partition("/")
    if not bucket:
        raise ValueError(f"{url!r}: no bucket (use s3://bucket/prefix)")
    return S3Root(bucket, prefix.strip("/"), endpoint, region or os.environ.get("AWS_REGION") or "us-east-1",
                  lock_url)


def resolve(value: str | Path, endpoint: str = "", region: str = "", lock_url: str = "") -> Root:
    """The warehouse setting as a Root: an s3:// URL gives an S3Root, anything else a local Path."""
    text = str(value)
    return parse_s3(text, endpoint, region, lock_url) if text.startswith(S3_SCHEME) else Path(value)


def filesystem(root: Root) -> tuple[pafs.FileSystem, str]:
    """(pyarrow FileSystem, base path on it) of a root: what pyarrow.dataset / parquet calls take."""
    if isinstance(root, S3Root):
        return root.filesystem, root.base
    return pafs.LocalFileSystem(), str(Path(root).resolve())


def check_reachable(root: Root) -> None:
    """StorageUnavailable (one line) when an S3 root's endpoint does not answer, its bucket is missing or the
    credentials are refused. Nothing to check for a local root (directories are created when written)."""
    if not isinstance(root, S3Root):
        return
    try:
        info = root.filesystem.get_file_info(root.bucket)
    except OSError as exc:
        raise StorageUnavailable(f"warehouse {root.url}: {_short(exc, root)}") from None
    if info.type == pafs.FileType.NotFound:
        raise StorageUnavailable(f"warehouse {root.url}: bucket {root.bucket!r} does not exist on "
                                 f"{root.endpoint or 'AWS S3'} (create it, or fix PROVNEWS_WAREHOUSE)")


def _short(exc: OSError, root: S3Root) -> str:
    """The AWS SDK's message cut to what a person acts on."""
    text = str(exc)
    where = root.endpoint or "AWS S3"
    if "NETWORK_CONNECTION" in text or "Could not connect" in text or "curlCode" in text:
        return f"the object store at {where} does not answer (is it running? PROVNEWS_S3_ENDPOINT)"
    if "ACCESS_DENIED" in text or "InvalidAccessKeyId" in text or "SignatureDoesNotMatch" in text:
        return f"{where} refused the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)"
    if "NO_SUCH_BUCKET" in text:
        return f"bucket {root.bucket!r} does not exist on {where}"
    return text.splitlines()[0][:300]


def describe_error(exc: OSError, root: Root) -> str:
    """One line for an OSError raised while a command used the warehouse (for the CLI's error handler)."""
    return f"warehouse {root}: {_short(exc, root)}" if isinstance(root, S3Root) else str(exc)


class Partitions(Protocol):
    """The one seam between the writer's logic and where partitions live: warehouse.writer.LocalPartitions
    (directories, rename) and warehouse.s3.S3Partitions (objects, a manifest per partition). Rows passed in
    are conformed and sorted, without their partition columns; paths handed out are for `fs`."""

    fs: pafs.FileSystem

    def files(self, table_name: str, source: str, key: str, value: str) -> list[str]:
        """The live Parquet files of one partition, sorted; [] when it is absent."""
        ...

    def values(self, table_name: str, source: str) -> list[str]:
        """The partition values (dt/month) a source's share of a table has, sorted."""
        ...

    def sources(self, table_name: str) -> list[str]:
        """The sources that have a share of a (per-source) table, sorted."""
        ...

    def replace(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
                max_file_bytes: int) -> Path | str:
        """The partition holds exactly `rows` after this (none: it is removed), switched in one atomic step."""
        ...

    def append(self, table_name: str, source: str, key: str, value: str, rows: pa.Table,
               max_file_bytes: int) -> bool:
        """Add `rows` as one more file in one atomic step; False (nothing written) if they need several."""
        ...

    def cleanup(self, source: str, table_name: str | None) -> int:
        """Remove what killed writers of `source` left; call under the source lock. Returns how many."""
        ...

    def source_lock(self, source: str, timeout: float) -> AbstractContextManager[None]:
        """One writer per source at a time, across every process that writes this warehouse."""
        ...


def read_text(root: Root, path: Path) -> str:
    """A small file of the warehouse as text: a local path, or an S3 key (bucket/prefix/...) as a Path."""
    if isinstance(root, S3Root):
        with root.filesystem.open_input_stream(path.as_posix()) as src:
            return bytes(src.read()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def upload(root: S3Root, local: Path, relative: str) -> None:
    """Put a local file at `relative` under the root, in one PUT (the object appears whole)."""
    with local.open("rb") as src, root.filesystem.open_output_stream(root.key(relative)) as out:
        while chunk := src.read(8 << 20):
            out.write(chunk)


def glob_keys(root: S3Root, relative: str, suffix: str) -> list[Path]:
    """The keys under `relative` (recursively) ending in `suffix`, sorted, as Paths (bucket/prefix/...)."""
    found = root.filesystem.get_file_info(pafs.FileSelector(root.key(relative), allow_not_found=True, recursive=True))
    return sorted(Path(i.path) for i in found if i.type == pafs.FileType.File and i.path.endswith(suffix))
