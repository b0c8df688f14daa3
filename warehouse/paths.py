"""The one place that knows where things live under the warehouse root.

Layout:  {root}/raw/source={s}/dt={d}/{run_id}.warc.gz (+ {run_id}.stats.json)
         {root}/{table}/source={s}/{partition}={value}/part-0.parquet
         {root}/reports/{until}/index.html (+ PNGs)
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from warehouse.storage import Root, S3Root, glob_keys

_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_source(source: str) -> str:
    if not _SOURCE_ID.match(source):
        raise ValueError(f"invalid source id {source!r}: use lowercase letters, digits, '-' and '_'")
    return source


def raw_dir(root: Path, source: str, day: date) -> Path:
    return root / "raw" / f"source={check_source(source)}" / f"dt={day.isoformat()}"


def crawl_stats_path(root: Path, source: str, day: date, run_id: str) -> Path:
    """The stats a crawl run leaves next to its WARC file (JSON)."""
    return raw_dir(root, source, day) / f"{run_id}.stats.json"


def crawl_stats_files(root: Root, source: str) -> list[Path]:
    """Every crawl run's stats file of `source`, in crawl day and run id order (S3: keys, read_text reads them)."""
    if isinstance(root, S3Root):
        return glob_keys(root, f"raw/source={check_source(source)}", ".stats.json")
    return sorted((root / "raw" / f"source={check_source(source)}").glob("dt=*/*.stats.json"))


def crawl_stats_relative(source: str, day: date, run_id: str) -> str:
    """Where crawl_stats_path is, relative to the root (an S3 warehouse's key under its prefix)."""
    return f"raw/source={check_source(source)}/dt={day.isoformat()}/{run_id}.stats.json"


def table_dir(root: Path, table: str) -> Path:
    return root / table


def source_dir(root: Path, table: str, source: str) -> Path:
    """One source's share of a table: the parent of its dt=/month= partition directories."""
    return root / table / f"source={check_source(source)}"


def partition_dir(root: Path, table: str, source: str, key: str, value: str) -> Path:
    return source_dir(root, table, source) / f"{key}={value}"


def relative(root: Path, path: Path) -> str:
    """A path as stored in the tables: relative to the warehouse root, with forward slashes."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def archived_days(root: Root) -> list[tuple[str, date]]:
    """(source, crawl day) of every raw archive partition that holds a WARC file, sorted."""
    if isinstance(root, S3Root):
        days = {(key.parent.parent.name.removeprefix("source="),
                 date.fromisoformat(key.parent.name.removeprefix("dt="))) for key in glob_keys(root, "raw", ".warc.gz")}
        return sorted(days)
    found = []
    for day_dir in (root / "raw").glob("source=*/dt=*"):
        if any(day_dir.glob("*.warc.gz")):
            source = day_dir.parent.name.removeprefix("source=")
            found.append((source, date.fromisoformat(day_dir.name.removeprefix("dt="))))
    return sorted(found)


def reports_root(root: Path) -> Path:
    """Where the daily HTML reports live: reports/<day>/index.html (+ PNGs)."""
    return Path(root) / "reports"


def report_dir(root: Path, until: date) -> Path:
    """Where the daily report ending on `until` is written by default."""
    return reports_root(root) / until.isoformat()
