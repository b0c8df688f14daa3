"""The one place that knows where things live under the warehouse root.

Layout:  {root}/raw/source={s}/dt={d}/*.warc.gz
         {root}/{table}/source={s}/{partition}={value}/part-0.parquet
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_source(source: str) -> str:
    if not _SOURCE_ID.match(source):
        raise ValueError(f"invalid source id {source!r}: use lowercase letters, digits, '-' and '_'")
    return source


def raw_dir(root: Path, source: str, day: date) -> Path:
    return root / "raw" / f"source={check_source(source)}" / f"dt={day.isoformat()}"


def table_dir(root: Path, table: str) -> Path:
    return root / table


def partition_dir(root: Path, table: str, source: str, key: str, value: str) -> Path:
    return root / table / f"source={check_source(source)}" / f"{key}={value}"


def relative(root: Path, path: Path) -> str:
    """A path as stored in the tables: relative to the warehouse root, with forward slashes."""
    return path.resolve().relative_to(root.resolve()).as_posix()
