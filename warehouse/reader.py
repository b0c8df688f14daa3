"""Read the warehouse state the pipeline needs (what was fetched, what changed), with plain pyarrow.

Readers take no lock: writers replace partitions atomically, so a reader sees each partition either before or
after a write. Hidden files (temp files of a writer in progress) are skipped by pyarrow.dataset.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from warehouse.paths import check_source
from warehouse.schema import TABLES
from warehouse.writer import conform


def source_dataset(root: Path, table_name: str, source: str) -> ds.Dataset | None:
    """All partitions of one source's share of a table, or None when nothing was written yet.

    Only `*.parquet` files are read (the same files DuckDB's `**/*.parquet` glob sees); the partition column
    (dt or month) comes from the directory name, as in any Hive layout.
    """
    base = root / table_name / f"source={check_source(source)}"
    if not base.is_dir():
        return None
    files = sorted(str(p) for p in base.glob("*/*.parquet") if not p.name.startswith((".", "_")))
    if not files:
        return None
    key = TABLES[table_name].partition
    partitioning = ds.partitioning(pa.schema([(key, pa.string())]), flavor="hive")
    schema = TABLES[table_name].schema
    return ds.dataset(files, schema=schema.remove(schema.get_field_index("source")), format="parquet",
                      partitioning=partitioning, partition_base_dir=str(base))


def read_source(root: Path, table_name: str, source: str, columns: list[str] | None = None,
                where: pc.Expression | None = None) -> pa.Table:
    """Rows of one source's share of a table (optionally projected and filtered), conformed to the schema."""
    data = source_dataset(root, table_name, source)
    schema = TABLES[table_name].schema
    if data is None:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    if columns:
        wanted = [c for c in columns if c != "source"]
        table = data.to_table(columns=wanted, filter=where)
        if "source" in columns:
            table = table.append_column("source", pa.array([source] * table.num_rows, pa.string()))
        return table.select(columns)
    return conform(table_name, data.to_table(filter=where), {"source": source})


def _fetched_ok() -> pc.Expression:
    status = pc.field("status")
    return (pc.field("kind") == "article") & (status >= 200) & (status <= 299)


def fetched_article_urls(root: Path, source: str) -> set[str]:
    """Canonical URLs of the articles of `source` already fetched with a 2xx, over every crawl day.

    A row without canonical_url counts by its requested url, so nothing fetched is forgotten.
    """
    rows = read_source(root, "crawl_log", source, ["canonical_url", "url"], _fetched_ok())
    urls = pc.coalesce(rows.column("canonical_url"), rows.column("url"))
    return {u for u in urls.to_pylist() if u}


def last_validators(root: Path, source: str) -> dict[str, tuple[str | None, str | None]]:
    """url → (etag, last_modified) of the latest 2xx fetch of each URL that returned a validator.

    Keyed by the URL as requested (`url`), which is what a conditional request is sent to.
    """
    where = (pc.field("status") >= 200) & (pc.field("status") <= 299) & (
        pc.field("etag").is_valid() | pc.field("last_modified").is_valid())
    rows = read_source(root, "crawl_log", source, ["url", "etag", "last_modified", "fetched_at"], where)
    rows = rows.sort_by([("fetched_at", "ascending"), ("url", "ascending")])
    out: dict[str, tuple[str | None, str | None]] = {}
    for url, etag, modified in zip(rows.column("url").to_pylist(), rows.column("etag").to_pylist(),
                                   rows.column("last_modified").to_pylist(), strict=True):
        out[url] = (etag, modified)  # later fetches overwrite earlier ones
    return out


def recent_counts(root: Path, source: str, until: date, days: int = 14) -> dict[str, int]:
    """Articles per crawl day over the `days` days up to `until` (inclusive), for history checks.

    Counted from the articles table by the local date of crawled_at; days with no article are present with 0.
    """
    start = date.fromordinal(until.toordinal() - days + 1)
    rows = read_source(root, "articles", source, ["crawled_at"])
    counts = {date.fromordinal(start.toordinal() + i).isoformat(): 0 for i in range(days)}
    local = rows.column("crawled_at").cast(pa.timestamp("us", tz="Asia/Ho_Chi_Minh"))
    for day in pc.strftime(local, "%Y-%m-%d").to_pylist():  # formatted in the column's own time zone
        if day in counts:
            counts[day] += 1
    return counts
