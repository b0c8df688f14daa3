"""The warehouse contract: every table's explicit pyarrow schema and partitioning, in one module.

Bump SCHEMA_VERSION on any change; it is written into each Parquet file's metadata.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = 5  # 2: articles.flags; 3: the runs table; 4: articles.published_offset; 5: articles.author_org
# A column added later is nullable: files written before it read it as null (writer.conform, views.connect).

_UTC = pa.timestamp("us", tz="UTC")

CRAWL_LOG = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),  # as requested
    pa.field("canonical_url", pa.string()),  # canonicalised article URL, when the URL is an article
    pa.field("final_url", pa.string()),  # after redirects
    pa.field("kind", pa.string(), nullable=False),  # article | listing | feed | sitemap | robots | other
    pa.field("status", pa.int32()),  # HTTP status; null when no response came
    pa.field("error", pa.string()),  # reason of a failure: timeout, connection reset, 500, robots, ...
    pa.field("bytes", pa.int64()),
    pa.field("fetched_at", _UTC, nullable=False),
    pa.field("digest", pa.string()),  # sha1 of the payload, as in WARC-Payload-Digest
    pa.field("warc_file", pa.string()),  # path relative to the warehouse root
    pa.field("warc_offset", pa.int64()),
    pa.field("warc_record_id", pa.string()),
    pa.field("etag", pa.string()),  # response ETag, for conditional requests on the next crawl
    pa.field("last_modified", pa.string()),  # response Last-Modified header, verbatim
    pa.field("dt", pa.string(), nullable=False),  # partition: crawl day YYYY-MM-DD
])

IMAGE = pa.struct([pa.field("url", pa.string()), pa.field("caption", pa.string())])

ARTICLES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),  # sha1 of the canonical URL
    pa.field("source", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),  # canonical URL
    pa.field("title", pa.string()),
    pa.field("lead", pa.string()),
    pa.field("body_text", pa.string()),
    pa.field("paragraphs", pa.list_(pa.string())),
    pa.field("published_at", _UTC),
    pa.field("published_date", pa.date32()),  # the day the page states: +07:00 on a Vietnamese page
    pa.field("published_offset", pa.string()),  # the offset that day is in ("+03:00"); null: foreign, unstated
    pa.field("updated_at", _UTC),
    pa.field("authors", pa.list_(pa.string())),
    pa.field("author_org", pa.string()),  # the organisation the byline names ("Đình Bộ- VPTU": "VPTU"), if any
    pa.field("photographers", pa.list_(pa.string())),
    pa.field("origin", pa.string()),
    pa.field("category", pa.string()),
    pa.field("tags", pa.list_(pa.string())),
    pa.field("view_count", pa.int64()),
    pa.field("images", pa.list_(IMAGE)),
    pa.field("language", pa.string()),
    pa.field("content_hash", pa.string()),
    pa.field("extractor_version", pa.string()),
    # what a reader should know about the record: short-body, charset:cp1258, legacy-font:vni-unconverted, ...
    pa.field("flags", pa.list_(pa.string())),
    pa.field("crawled_at", _UTC),
    pa.field("warc_file", pa.string()),
    pa.field("warc_offset", pa.int64()),
    pa.field("month", pa.string(), nullable=False),  # partition: publication month YYYY-MM (local)
])

QUARANTINE = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),
    pa.field("reason", pa.string(), nullable=False),
    pa.field("detail", pa.string()),
    pa.field("extractor_version", pa.string()),
    pa.field("warc_file", pa.string()),
    pa.field("warc_offset", pa.int64()),
    pa.field("crawled_at", _UTC),
    pa.field("dt", pa.string(), nullable=False),  # partition: crawl day
])

# One row per pipeline run of a source for a crawl day, in the shared vocabulary of counts.
RUN_COUNTS = ("pages_fetched", "not_modified", "errors", "articles_new", "articles_updated", "articles_unchanged",
              "quarantined")
RUN_STATUSES = ("ok", "warning", "failed")

RUNS = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("province", pa.string()),  # the post-2025 province of the source
    pa.field("started_at", _UTC),
    pa.field("finished_at", _UTC),
    pa.field("duration_s", pa.float64()),
    *(pa.field(name, pa.int64(), nullable=False) for name in RUN_COUNTS),
    pa.field("status", pa.string(), nullable=False),  # one of RUN_STATUSES
    pa.field("problem", pa.string()),  # one line, when status is not ok
    pa.field("dt", pa.string(), nullable=False),  # partition: crawl day YYYY-MM-DD
])


@dataclass(frozen=True)
class Table:
    name: str
    schema: pa.Schema
    partition: str  # the second hive key after source=
    key: tuple[str, ...]  # a row's identity within a partition (for replace-on-reload)


TABLES = {
    "crawl_log": Table("crawl_log", CRAWL_LOG, "dt", ("run_id", "url", "fetched_at")),
    "articles": Table("articles", ARTICLES, "month", ("article_id",)),
    "quarantine": Table("quarantine", QUARANTINE, "dt", ("url",)),
    "runs": Table("runs", RUNS, "dt", ("run_id",)),
}
