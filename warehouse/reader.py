"""Read the warehouse state the pipeline needs (what was fetched, what changed, what a day brought).

Plain pyarrow, and DuckDB (imported when called) for the per-day counts of the data checks. Readers take no
lock: writers replace partitions atomically, so a reader sees each partition either before or after a write.
Hidden files (temp files of a writer in progress) are never read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from warehouse.paths import source_dir
from warehouse.schema import TABLES
from warehouse.writer import conform


def partition_files(root: Path, table_name: str, source: str, value: str = "*") -> list[Path]:
    """The Parquet files of one partition (dt or month `value`) of a source's share of a table, sorted.

    `value` is a glob: the default "*" gives the files of every partition. Hidden files are left out.
    """
    base = source_dir(root, table_name, source)
    pattern = f"{TABLES[table_name].partition}={value}/*.parquet"
    return sorted(p for p in base.glob(pattern) if not p.name.startswith((".", "_")))


def count_rows(root: Path, table_name: str, source: str, value: str) -> int:
    """Rows in one partition, from the files' footers (no data is read)."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in partition_files(root, table_name, source, value))


def source_dataset(root: Path, table_name: str, source: str) -> ds.Dataset | None:
    """All partitions of one source's share of a table, or None when nothing was written yet.

    Only `*.parquet` files are read (the same files DuckDB's `**/*.parquet` glob sees); the partition column
    (dt or month) comes from the directory name, as in any Hive layout.
    """
    files = [str(p) for p in partition_files(root, table_name, source)]
    if not files:
        return None
    base = source_dir(root, table_name, source)
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


def article_fetched_ok() -> pc.Expression:
    """crawl_log rows of an article page fetched with a 2xx: what "fetched" means for an article."""
    status = pc.field("status")
    return (pc.field("kind") == "article") & (status >= 200) & (status <= 299)


def fetched_article_urls(root: Path, source: str) -> set[str]:
    """Canonical URLs of the articles of `source` already fetched with a 2xx, over every crawl day.

    A row without canonical_url counts by its requested url, so nothing fetched is forgotten.
    """
    rows = read_source(root, "crawl_log", source, ["canonical_url", "url"], article_fetched_ok())
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


# ---------------------------------------------------------------- per-day counts for the data checks

DISCOVERY_PAGES = ("listing", "feed", "sitemap")  # crawl_log kinds that announce articles (robots.txt does not)


def discovery_answered(root: Path, source: str, day: date) -> int:
    """Fetches of listings, feeds and sitemaps on crawl day `day` that got a usable answer (2xx or 304)."""
    status = pc.field("status")
    answered = ((status >= 200) & (status <= 299)) | (status == 304)
    where = (pc.field("dt") == day.isoformat()) & pc.field("kind").isin(DISCOVERY_PAGES) & answered
    return read_source(root, "crawl_log", source, ["status"], where).num_rows


def publishing_days(root: Path, source: str, until: date, limit: int) -> list[date]:
    """The source's latest `limit` distinct publication dates (local) on or before `until`, newest first."""
    where = (pc.field("month") <= f"{until:%Y-%m}") & (pc.field("published_date") <= pa.scalar(until, pa.date32()))
    days = pc.unique(read_source(root, "articles", source, ["published_date"], where).column("published_date"))
    return sorted((d for d in days.to_pylist() if d is not None), reverse=True)[:limit]


_ARTICLE_OK = "kind = 'article' AND status BETWEEN 200 AND 299"  # the SQL twin of article_fetched_ok()


def _scan(files: list[Path]) -> str:
    """A read_parquet() over explicit files; DuckDB adds the partition columns back from the Hive paths."""
    quoted = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    return f"read_parquet([{quoted}], union_by_name = true)"


def _duckdb() -> Any:
    import duckdb  # at run time only: keeps importers (DAG files) light

    return duckdb.connect()


def articles_fetched_per_day(root: Path, source: str, first: date, last: date) -> dict[str, int]:
    """Distinct article URLs fetched with a 2xx per crawl day (YYYY-MM-DD), for crawl days in [first, last].

    Every crawl day with a crawl_log partition is present, with 0 when none of its fetches was such an
    article. A URL counts by its canonical_url, else its requested url (as in fetched_article_urls).
    """
    files = [f for f in partition_files(root, "crawl_log", source)
             if first.isoformat() <= f.parent.name.removeprefix("dt=") <= last.isoformat()]
    if not files:
        return {}
    con = _duckdb()
    try:
        rows = con.execute(
            f"SELECT dt, count(DISTINCT coalesce(canonical_url, url)) FILTER (WHERE {_ARTICLE_OK}) "
            f"FROM {_scan(files)} GROUP BY dt"
        ).fetchall()
    finally:
        con.close()
    return {str(dt): int(n) for dt, n in rows}


def landed_article_counts(root: Path, source: str, day: date) -> tuple[int, int, int]:
    """Of the article URLs fetched with a 2xx on crawl day `day`: how many are in the articles table, and how
    many of those lack a publication date, a body (empty or blank body_text)."""
    logs = partition_files(root, "crawl_log", source, day.isoformat())
    articles = partition_files(root, "articles", source)
    if not logs or not articles:
        return 0, 0, 0
    con = _duckdb()
    try:
        row = con.execute(
            f"WITH today AS (SELECT DISTINCT coalesce(canonical_url, url) AS url FROM {_scan(logs)} "
            f"WHERE {_ARTICLE_OK}) "
            "SELECT count(*), count(*) FILTER (WHERE a.published_at IS NULL), "
            "count(*) FILTER (WHERE a.body_text IS NULL OR trim(a.body_text) = '') "
            f"FROM {_scan(articles)} a JOIN today USING (url)"
        ).fetchone()
    finally:
        con.close()
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
