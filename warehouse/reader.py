"""Read the warehouse state the pipeline needs (what was fetched, what changed, what a day brought).

Plain pyarrow, and DuckDB (imported when called) for the per-day counts of the data checks and the daily
report (over the read-only views of warehouse.views, where a table not written yet reads as empty). Readers
take no lock: writers replace partitions atomically, so a reader sees each partition either before or after a
write.
Hidden files (temp files of a writer in progress) are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from transforms.constants import VN_TZ_NAME
from warehouse.paths import source_dir, table_dir
from warehouse.schema import RUN_COUNTS, TABLES
from warehouse.storage import Root, S3Root, filesystem
from warehouse.writer import conform, live_files, partitions


def partition_files(root: Root, table_name: str, source: str, value: str = "*") -> list[str]:
    """The Parquet files of one partition (dt or month `value`) of a source's share of a table, sorted, as
    paths on the root's filesystem (warehouse.storage.filesystem).

    `value` is a glob: the default "*" gives the files of every partition. Hidden files are left out.
    """
    if isinstance(root, S3Root):  # the manifests name the live files (warehouse.s3)
        store, key = partitions(root), TABLES[table_name].partition
        return sorted(f for v in store.values(table_name, source) if fnmatch(v, value)
                      for f in store.files(table_name, source, key, v))
    base = source_dir(root, table_name, source)
    pattern = f"{TABLES[table_name].partition}={value}/*.parquet"
    return sorted(str(p) for p in base.glob(pattern) if not p.name.startswith((".", "_")))


def partition_value(path: str) -> str:
    """The dt/month value of a file of partition_files."""
    return path.rsplit("/", 2)[-2].partition("=")[2]


def count_rows(root: Root, table_name: str, source: str, value: str) -> int:
    """Rows in one partition, from the files' footers (no data is read)."""
    fs = filesystem(root)[0]
    return sum(pq.read_metadata(f, filesystem=fs).num_rows for f in partition_files(root, table_name, source, value))


def source_dataset(root: Root, table_name: str, source: str) -> ds.Dataset | None:
    """All partitions of one source's share of a table, or None when nothing was written yet.

    Only `*.parquet` files are read (the same files DuckDB's `**/*.parquet` glob sees); the partition column
    (dt or month) comes from the directory name, as in any Hive layout.
    """
    files = partition_files(root, table_name, source)
    if not files:
        return None
    fs, base = filesystem(root)
    if isinstance(root, S3Root):
        base = root.key(table_name, f"source={source}")
    else:
        base = str(source_dir(root, table_name, source))
    key = TABLES[table_name].partition
    partitioning = ds.partitioning(pa.schema([(key, pa.string())]), flavor="hive")
    schema = TABLES[table_name].schema
    return ds.dataset(files, schema=schema.remove(schema.get_field_index("source")), format="parquet",
                      partitioning=partitioning, partition_base_dir=base, filesystem=fs)


def read_source(root: Root, table_name: str, source: str, columns: list[str] | None = None,
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


def fetched_article_urls(root: Root, source: str) -> set[str]:
    """Canonical URLs of the articles of `source` already fetched with a 2xx, over every crawl day.

    A row without canonical_url counts by its requested url, so nothing fetched is forgotten.
    """
    rows = read_source(root, "crawl_log", source, ["canonical_url", "url"], article_fetched_ok())
    urls = pc.coalesce(rows.column("canonical_url"), rows.column("url"))
    return {u for u in urls.to_pylist() if u}


def landed_pages(root: Root, source: str, extractor_version: str) -> set[tuple[str, int]]:
    """(warc_file, warc_offset) of every archived page of `source` that landed: it is the page of a row of the
    articles table, or of a quarantine row written by `extractor_version` (an older extractor's verdict is
    not final: a newer one may extract the page)."""
    pointer = ["warc_file", "warc_offset"]
    articles = read_source(root, "articles", source, pointer, pc.field("warc_file").is_valid())
    current = (pc.field("extractor_version") == extractor_version) & pc.field("warc_file").is_valid()
    quarantine = read_source(root, "quarantine", source, pointer, current)
    return {(f, o) for table in (articles, quarantine)
            for f, o in zip(table.column("warc_file").to_pylist(), table.column("warc_offset").to_pylist(),
                            strict=True)}


@dataclass
class ArticleFetches:
    """One article URL of a source: its fetches (crawl_log) judged against what landed (landed_pages).

    `held`: the warehouse has the article (a fetch of it landed, or the articles table has its URL). `owed`:
    a fetch of it did not land, so it is to be loaded from its archive (`unlanded_days`) or fetched again:
    it never landed (every try failed, or its pages were not loaded), or a newer version than the one that
    landed was fetched and not loaded. `tries`: the runs that asked for it since it last landed.
    """

    url: str  # as the crawler requested it: canonical_url, else url
    first_day: date | None = None  # crawl day of its first 2xx fetch
    landed: dict[str, Any] | None = None  # the crawl_log row of its latest fetch whose page landed
    in_articles: bool = False
    unlanded_days: list[date] = field(default_factory=list)  # crawl days of 2xx fetches after `landed`
    runs: set[str] = field(default_factory=set)  # run ids that tried it after `landed` (all, if none)

    @property
    def held(self) -> bool:
        return self.landed is not None or self.in_articles

    @property
    def owed(self) -> bool:
        return not self.held or bool(self.unlanded_days)

    @property
    def tries(self) -> int:
        return len(self.runs)

    def add(self, row: dict[str, Any], landed: bool) -> None:
        """Take in one crawl_log row (in fetched_at order); `landed`: its page is in landed_pages."""
        ok = row["status"] is not None and 200 <= row["status"] <= 299
        day = date.fromisoformat(row["dt"])
        if ok and self.first_day is None:
            self.first_day = day
        if ok and landed:
            self.landed, self.unlanded_days, self.runs = row, [], set()
        elif row["status"] == 304 and self.landed is not None:  # the site confirms the version that landed
            self.unlanded_days, self.runs = [], set()
        else:
            self.runs.add(row["run_id"])
            if ok and row["warc_file"]:
                self.unlanded_days.append(day)


_FETCH_COLUMNS = ["canonical_url", "url", "dt", "run_id", "fetched_at", "status", "etag", "last_modified",
                  "warc_file", "warc_offset"]


def article_fetches(root: Root, source: str, extractor_version: str) -> dict[str, ArticleFetches]:
    """Every article URL of `source` that crawl_log tried or the articles table holds, with what landed.

    An articles row whose URL crawl_log never tried (its crawl was killed before crawl_log was written,
    but its day was loaded) is held, first fetched on the local day of its crawled_at.
    """
    landed = landed_pages(root, source, extractor_version)
    rows = read_source(root, "crawl_log", source, _FETCH_COLUMNS, pc.field("kind") == "article")
    out: dict[str, ArticleFetches] = {}
    for row in rows.sort_by("fetched_at").to_pylist():
        url = row["canonical_url"] or row["url"]
        out.setdefault(url, ArticleFetches(url)).add(row, (row["warc_file"], row["warc_offset"]) in landed)
    articles = read_source(root, "articles", source, ["url", "crawled_at"])
    local = articles.column("crawled_at").cast(pa.timestamp("us", tz=VN_TZ_NAME))
    for url, day in zip(articles.column("url").to_pylist(), pc.strftime(local, "%Y-%m-%d").to_pylist(),
                        strict=True):
        if url not in out:
            out[url] = ArticleFetches(url, date.fromisoformat(day) if day else None)
        out[url].in_articles = True
    return out


def unlanded_days(fetches: dict[str, ArticleFetches], max_tries: int) -> list[date]:
    """Crawl days whose archive holds a page that did not land, of articles tried fewer than `max_tries`
    times since (past that, the page is taken as one that never lands), oldest first."""
    return sorted({day for f in fetches.values() if f.tries < max_tries for day in f.unlanded_days})


def last_validators(root: Root, source: str) -> dict[str, tuple[str | None, str | None]]:
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


def recent_counts(root: Root, source: str, until: date, days: int = 14) -> dict[str, int]:
    """Articles per crawl day over the `days` days up to `until` (inclusive), for history checks.

    Counted from the articles table by the local date of crawled_at; days with no article are present with 0.
    """
    start = date.fromordinal(until.toordinal() - days + 1)
    rows = read_source(root, "articles", source, ["crawled_at"])
    counts = {date.fromordinal(start.toordinal() + i).isoformat(): 0 for i in range(days)}
    local = rows.column("crawled_at").cast(pa.timestamp("us", tz=VN_TZ_NAME))
    for day in pc.strftime(local, "%Y-%m-%d").to_pylist():  # formatted in the column's own time zone
        if day in counts:
            counts[day] += 1
    return counts


# ---------------------------------------------------------------- per-day counts for the data checks

DISCOVERY_PAGES = ("listing", "feed", "sitemap")  # crawl_log kinds that announce articles (robots.txt does not)


def discovery_answered(root: Root, source: str, day: date) -> int:
    """Fetches of listings, feeds and sitemaps on crawl day `day` that got a usable answer (2xx or 304)."""
    status = pc.field("status")
    answered = ((status >= 200) & (status <= 299)) | (status == 304)
    where = (pc.field("dt") == day.isoformat()) & pc.field("kind").isin(DISCOVERY_PAGES) & answered
    return read_source(root, "crawl_log", source, ["status"], where).num_rows


def log_errors(root: Root, source: str, day: date, prefix: str) -> list[tuple[str, str]]:
    """(url, error) of the crawl_log rows of crawl day `day` whose error starts with `prefix`, by URL."""
    where = (pc.field("dt") == day.isoformat()) & pc.starts_with(pc.field("error"), pattern=prefix)
    rows = read_source(root, "crawl_log", source, ["url", "error"], where).sort_by("url")
    return list(zip(rows.column("url").to_pylist(), rows.column("error").to_pylist(), strict=True))


def publishing_days(root: Root, source: str, until: date, limit: int) -> list[date]:
    """The source's latest `limit` distinct publication dates (local) on or before `until`, newest first."""
    where = (pc.field("month") <= f"{until:%Y-%m}") & (pc.field("published_date") <= pa.scalar(until, pa.date32()))
    days = pc.unique(read_source(root, "articles", source, ["published_date"], where).column("published_date"))
    return sorted((d for d in days.to_pylist() if d is not None), reverse=True)[:limit]


_ARTICLE_OK = "kind = 'article' AND status BETWEEN 200 AND 299"  # the SQL twin of article_fetched_ok()
# The article a 2xx row fetched, as the articles table knows it: the URL that answered, so a redirected
# article counts where it landed (its requested URL stays in canonical_url, for the crawler's own bookkeeping).
_FETCHED_URL = "coalesce(final_url, url)"


def _scan(con: Any, root: Root, table_name: str, files: list[str]) -> str:
    """A relation over explicit files with the Hive partition columns: DuckDB's read_parquet() for a local
    root; for S3 (DuckDB has no S3 client without the httpfs extension) a pyarrow dataset over the root's
    S3FileSystem, registered on `con` under a name of its own."""
    if not isinstance(root, S3Root):
        quoted = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        return f"read_parquet([{quoted}], union_by_name = true)"
    spec = TABLES[table_name]
    keys = pa.schema([(k, pa.string()) for k in spec.hive_keys])
    schema = pa.schema([f for f in spec.schema if f.name not in spec.hive_keys] + list(keys))
    data = ds.dataset(files, schema=schema, format="parquet", filesystem=root.filesystem,
                      partitioning=ds.partitioning(keys, flavor="hive"), partition_base_dir=root.key(table_name))
    name = f"__scan_{table_name}"  # one scan per table in each query here
    con.register(name, data)
    return name


def _duckdb() -> Any:
    import duckdb  # at run time only: keeps importers (DAG files) light

    return duckdb.connect()


def articles_fetched_per_day(root: Root, source: str, first: date, last: date) -> dict[str, int]:
    """Distinct article URLs fetched with a 2xx per crawl day (YYYY-MM-DD), for crawl days in [first, last].

    Every crawl day with a crawl_log partition is present, with 0 when none of its fetches was such an
    article. An article counts by the URL that answered (_FETCHED_URL), as landed_article_counts joins it.
    """
    files = [f for f in partition_files(root, "crawl_log", source)
             if first.isoformat() <= partition_value(f) <= last.isoformat()]
    if not files:
        return {}
    con = _duckdb()
    try:
        rows = con.execute(
            f"SELECT dt, count(DISTINCT {_FETCHED_URL}) FILTER (WHERE {_ARTICLE_OK}) "
            f"FROM {_scan(con, root, 'crawl_log', files)} GROUP BY dt"
        ).fetchall()
    finally:
        con.close()
    return {str(dt): int(n) for dt, n in rows}


def landed_article_counts(root: Root, source: str, day: date) -> tuple[int, int, int, int]:
    """Of the article URLs fetched with a 2xx on crawl day `day` (by the URL that answered, which is the one
    the articles table holds, also after a redirect): how many are in the articles table, and how many of
    those lack a publication date, a body (no paragraphs, or blank ones), a title (empty or blank)."""
    logs = partition_files(root, "crawl_log", source, day.isoformat())
    articles = partition_files(root, "articles", source)
    if not logs or not articles:
        return 0, 0, 0, 0
    con = _duckdb()
    try:
        row = con.execute(
            f"WITH today AS (SELECT DISTINCT {_FETCHED_URL} AS url FROM {_scan(con, root, 'crawl_log', logs)} "
            f"WHERE {_ARTICLE_OK}) "
            "SELECT count(*), count(*) FILTER (WHERE a.published_at IS NULL), "
            "count(*) FILTER (WHERE a.paragraphs IS NULL OR trim(array_to_string(a.paragraphs, ' ')) = ''), "
            "count(*) FILTER (WHERE a.title IS NULL OR trim(a.title) = '') "
            f"FROM {_scan(con, root, 'articles', articles)} a JOIN today USING (url)"
        ).fetchone()
    finally:
        con.close()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3])) if row else (0, 0, 0, 0)


# ---------------------------------------------------------------- the daily report

def _table_sources(root: Root, table_name: str) -> list[str]:
    """The sources with a `source=` directory (a prefix, on S3) in a table."""
    if isinstance(root, S3Root):
        found = root.filesystem.get_file_info(pafs.FileSelector(root.key(table_name), allow_not_found=True))
        return sorted(i.base_name.removeprefix("source=") for i in found
                      if i.type == pafs.FileType.Directory and i.base_name.startswith("source="))
    return sorted(d.name.removeprefix("source=") for d in table_dir(root, table_name).glob("source=*") if d.is_dir())


def warehouse_sources(root: Root) -> list[str]:
    """Every source that has a share of any table, sorted."""
    return sorted({src for name in TABLES for src in _table_sources(root, name)})


def latest_day(root: Root, tables: tuple[str, ...] = ("runs", "crawl_log")) -> date | None:
    """The latest crawl day with a partition in any of `tables` (all partitioned by dt), None when empty."""
    if isinstance(root, S3Root):
        store = partitions(root)
        days = [v for name in tables for src in _table_sources(root, name) for v in store.values(name, src)]
    else:
        days = [pdir.name.removeprefix("dt=") for name in tables
                for pdir in table_dir(root, name).glob("source=*/dt=*") if live_files(pdir)]
    return date.fromisoformat(max(days)) if days else None


def _select(root: Root, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of one query over the read-only views (warehouse.views): every table, empty ones included."""
    from warehouse.views import connect  # imports DuckDB: at run time only

    con = connect(root)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def day_runs(root: Root, since: date, until: date) -> list[dict[str, Any]]:
    """One runs row per (source, crawl day) in [since, until]: the day's latest run, with `runs`, how many
    runs the source had that day (a re-run, or a run recorded twice, must not count twice)."""
    names = [*TABLES["runs"].schema.names, "runs"]
    rows = _select(root, f"""
        SELECT {", ".join(f'"{n}"' for n in TABLES["runs"].schema.names)},
               count(*) OVER (PARTITION BY source, dt) AS runs
        FROM runs WHERE dt BETWEEN ? AND ?
        QUALIFY row_number() OVER (PARTITION BY source, dt ORDER BY finished_at DESC NULLS LAST,
                                   started_at DESC NULLS LAST, run_id DESC) = 1
        ORDER BY dt, source""", [since.isoformat(), until.isoformat()])
    return [dict(zip(names, row, strict=True)) for row in rows]


def source_provinces(root: Root) -> dict[str, str]:
    """source -> its province, as its latest run recorded it."""
    rows = _select(root, "SELECT source, arg_max(province, dt) FROM runs WHERE province IS NOT NULL "
                         "GROUP BY source", [])
    return {source: province for source, province in rows}


def articles_per_day(root: Root, since: date, until: date) -> list[tuple[str, str, int]]:
    """(publication day, source, articles) for publication days in [since, until]."""
    rows = _select(root, "SELECT published_date, source, count(*) FROM articles "
                         "WHERE published_date BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL", [since, until])
    return [(day.isoformat(), source, int(n)) for day, source, n in rows]


def last_published(root: Root, until: date) -> dict[str, date]:
    """source -> the latest publication day on or before `until` (sources without any are absent)."""
    rows = _select(root, "SELECT source, max(published_date) FROM articles WHERE published_date <= ? "
                         "GROUP BY source", [until])
    return {source: day for source, day in rows}


def fetch_errors_per_day(root: Root, since: date, until: date) -> list[tuple[str, str, int]]:
    """(crawl day, reason, attempts) of failed fetch attempts in crawl_log: no response, or a status of 400 and
    up; a listing's 404 (the end of its pagination) is left out. The reason drops the retry note in brackets."""
    rows = _select(root, r"""
        SELECT dt, coalesce(regexp_replace(error, '\s*\(.*$', ''), 'HTTP ' || status, 'no response') AS reason,
               count(*)
        FROM crawl_log
        WHERE dt BETWEEN ? AND ? AND (error IS NOT NULL OR status IS NULL OR status >= 400)
          AND NOT (kind = 'listing' AND coalesce(status, 0) = 404)
        GROUP BY ALL ORDER BY ALL""", [since.isoformat(), until.isoformat()])
    return [(day, reason, int(n)) for day, reason, n in rows]


def quarantine_per_day(root: Root, since: date, until: date) -> list[tuple[str, str, int]]:
    """(crawl day, reason, pages) of the quarantine table for crawl days in [since, until]."""
    rows = _select(root, "SELECT dt, reason, count(*) FROM quarantine WHERE dt BETWEEN ? AND ? "
                         "GROUP BY ALL ORDER BY ALL", [since.isoformat(), until.isoformat()])
    return [(day, reason, int(n)) for day, reason, n in rows]


# ---------------------------------------------------------------- source health (provnews.stages.health)

_RUN_FIELDS = ("source", "dt", "run_id", "status", "problem", "finished_at", *RUN_COUNTS)


def runs_between(root: Root, since: date, until: date, source: str | None = None) -> list[dict[str, Any]]:
    """Every runs row (each run, re-runs and recovered days included) of crawl days in [since, until], of one
    source or of all, in the order they finished."""
    where, params = "dt BETWEEN ? AND ?", [since.isoformat(), until.isoformat()]
    if source is not None:
        where, params = where + " AND source = ?", [*params, source]
    rows = _select(root, f"SELECT {', '.join(_RUN_FIELDS)} FROM runs WHERE {where} "
                         "ORDER BY finished_at NULLS FIRST, run_id", params)
    return [dict(zip(_RUN_FIELDS, row, strict=True)) for row in rows]


_MILESTONES = ("last_run", "last_status", "last_ok", "last_ok_at", "last_failed", "last_failed_problem",
               "last_warning", "last_warning_problem")


def run_milestones(root: Root, until: date) -> dict[str, dict[str, Any]]:
    """source -> its latest run on or before crawl day `until` (day, status), its latest ok-or-warning run (day,
    finished_at), its latest failed and latest warning run (day, problem), over its whole history."""
    latest = "arg_max({value}, (dt, finished_at)) FILTER (WHERE {cond})"
    cols = ["max(dt)", latest.format(value="status", cond="true"),
            "max(dt) FILTER (WHERE status IN ('ok', 'warning'))",
            "max(finished_at) FILTER (WHERE status IN ('ok', 'warning'))",
            "max(dt) FILTER (WHERE status = 'failed')", latest.format(value="problem", cond="status = 'failed'"),
            "max(dt) FILTER (WHERE status = 'warning')", latest.format(value="problem", cond="status = 'warning'")]
    rows = _select(root, f"SELECT source, {', '.join(cols)} FROM runs WHERE dt <= ? GROUP BY source",
                   [until.isoformat()])
    return {row[0]: dict(zip(_MILESTONES, row[1:], strict=True)) for row in rows}
