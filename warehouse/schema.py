"""The warehouse contract: every table's explicit pyarrow schema and partitioning, in one module.

Bump SCHEMA_VERSION on any change; it is written into each Parquet file's metadata.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = 9  # 2: articles.flags; 3: the runs table; 4: articles.published_offset; 5: articles.author_org;
# 6: the knowledge tables (mentions, places, figures per article; officials, documents, duplicates rebuilt whole)
# and articles.minhash; 7: the body stored once, as articles.paragraphs (body_text is gone from the files: the
# DuckDB view computes it, warehouse.writer.conform drops it from older files), and articles.search_text;
# 8: documents.province_2025 (a provincial number is one document per province); 9: articles.search_text folds
# the title and lead only (the body's fold was 0.20 of the raw text and a scan of it takes seconds at a million
# articles), articles.content_hash keeps 16 hex digits (64 bits), timestamps are delta-encoded (issue 15)
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
    # the body, one string per paragraph (mentions.paragraph and figures.paragraph index it); the body as one
    # text is the paragraphs joined by "\n\n" (the DuckDB view's body_text)
    pa.field("paragraphs", pa.list_(pa.string())),
    # title and lead folded for keyword search (transforms.text.search_fold): what `provnews search` and the
    # README's keyword query match as a substring (files of schema 7 and 8 also folded the body in)
    pa.field("search_text", pa.string()),
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
    pa.field("content_hash", pa.string()),  # 16 hex digits of the sha1 of title, lead and body (40 before 9)
    pa.field("extractor_version", pa.string()),
    # what a reader should know about the record: short-body, charset:cp1258, legacy-font:vni-unconverted, ...
    pa.field("flags", pa.list_(pa.string())),
    pa.field("crawled_at", _UTC),
    pa.field("warc_file", pa.string()),
    pa.field("warc_offset", pa.int64()),
    # MinHash signature of the normalised text (transforms.near_duplicates.Signature.to_bytes: the shingle
    # count, then 128 uint32 values): what the duplicates table pairs on
    pa.field("minhash", pa.binary()),
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


# -- the knowledge layer (issue 14) ------------------------------------------------------------------------
# Per article, beside the articles (same source= / month= partitions, rewritten with them): every mention, the
# places an article names, the figures it reports. The field names are transforms.mentions.model's.

_ARTICLE_CHILD = [
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("published_date", pa.date32()),
]
_MONTH = pa.field("month", pa.string(), nullable=False)  # partition: the article's month (as articles.month)

MENTIONS = pa.schema([
    *_ARTICLE_CHILD,
    pa.field("type", pa.string(), nullable=False),  # official, person, document, place, organization, meeting, figure
    pa.field("text", pa.string(), nullable=False),  # the span exactly as written
    pa.field("part", pa.string(), nullable=False),  # title, lead or body
    pa.field("paragraph", pa.int32(), nullable=False),  # index in articles.paragraphs (0 for title and lead)
    pa.field("start", pa.int32(), nullable=False),  # character offset of text in that paragraph
    pa.field("name", pa.string()),
    pa.field("positions", pa.list_(pa.string())),
    pa.field("body", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("number", pa.string()),
    pa.field("issuer", pa.string()),
    pa.field("date", pa.date32()),
    pa.field("title", pa.string()),
    pa.field("level", pa.string()),
    pa.field("province", pa.string()),
    pa.field("province_2025", pa.string()),
    pa.field("value", pa.float64()),
    pa.field("unit", pa.string()),
    pa.field("measure", pa.string()),
    pa.field("ordinal", pa.int32()),
    pa.field("term", pa.string()),
    _MONTH,
])

PLACES = pa.schema([  # one row per article and place: how often the article names it
    *_ARTICLE_CHILD,
    pa.field("name", pa.string(), nullable=False),  # as written (first form seen in the article)
    pa.field("level", pa.string()),
    pa.field("province", pa.string()),  # the pre-2025 province, when known
    pa.field("province_2025", pa.string()),  # the unit after the 2025 reorganisation
    pa.field("mentions", pa.int32(), nullable=False),
    _MONTH,
])

FIGURES = pa.schema([  # one row per figure, with the sentence it is in
    *_ARTICLE_CHILD,
    pa.field("value", pa.float64(), nullable=False),
    pa.field("unit", pa.string()),
    pa.field("measure", pa.string()),  # the words next to it that say what it measures
    pa.field("text", pa.string(), nullable=False),
    pa.field("paragraph", pa.int32(), nullable=False),
    pa.field("start", pa.int32(), nullable=False),
    pa.field("context", pa.string()),  # the sentence the figure is in
    _MONTH,
])

# Across the whole warehouse, rebuilt whole after each load from the tables above (warehouse.knowledge).

OFFICIALS = pa.schema([  # a position held over time: one row per person x position x province
    pa.field("name", pa.string(), nullable=False),  # the most frequent written form
    pa.field("position", pa.string(), nullable=False),
    pa.field("province_2025", pa.string()),  # the province of the sources that report it (post-2025)
    pa.field("first_seen", pa.date32()),
    pa.field("last_seen", pa.date32()),
    pa.field("articles", pa.int64(), nullable=False),
    pa.field("sources", pa.list_(pa.string())),
    pa.field("article_ids", pa.list_(pa.string())),
    pa.field("name_key", pa.string(), nullable=False),  # case- and tone-style-folded: what rows group on
    pa.field("position_key", pa.string(), nullable=False),
    pa.field("province_key", pa.string(), nullable=False),  # partition: ascii key of province_2025 ("haiphong")
])

DOCUMENTS = pa.schema([  # one row per document: a central number, or a provincial number in its province
    pa.field("number", pa.string(), nullable=False),  # normalised: 20-NQ/TW, 30/2020/NĐ-CP
    pa.field("province_2025", pa.string()),  # a provincial number's (143-NQ/TU, …/QĐ-UBND); null: central
    pa.field("kind", pa.string()),  # the most frequent kind written with it
    pa.field("issuer", pa.string()),
    pa.field("date", pa.date32()),
    pa.field("first_seen", pa.date32()),
    pa.field("last_seen", pa.date32()),
    pa.field("articles", pa.int64(), nullable=False),
    pa.field("sources", pa.int64(), nullable=False),
    pa.field("source_ids", pa.list_(pa.string())),
    pa.field("kind_key", pa.string(), nullable=False),  # partition: ascii key of the kind ("nghiquyet")
])

DUPLICATES = pa.schema([  # one row per copy: the same story republished by another source
    pa.field("article_id", pa.string(), nullable=False),  # the copy
    pa.field("duplicate_of", pa.string(), nullable=False),  # the article it copies (published first)
    pa.field("duplicate_of_source", pa.string(), nullable=False),
    pa.field("similarity", pa.float64(), nullable=False),  # estimated overlap: the copy's text found in the original
    pa.field("method", pa.string(), nullable=False),  # how the pair was found, e.g. "minhash-128-w8"
    pa.field("origin", pa.string()),  # the copy's own "Nguồn:" / "Theo" line, when it has one
    pa.field("source", pa.string(), nullable=False),  # partition: the copy's source
])


@dataclass(frozen=True)
class Table:
    name: str
    schema: pa.Schema
    partition: str  # the hive key after source= (per-source tables) or the only one (whole tables)
    key: tuple[str, ...]  # a row's identity within a partition (for replace-on-reload)
    per_source: bool = True  # False: rebuilt whole from the others, {table}/{partition}={value}/ (no source=)

    @property
    def hive_keys(self) -> tuple[str, ...]:
        return ("source", self.partition) if self.per_source else (self.partition,)


TABLES = {
    "crawl_log": Table("crawl_log", CRAWL_LOG, "dt", ("run_id", "url", "fetched_at")),
    "articles": Table("articles", ARTICLES, "month", ("article_id",)),
    "quarantine": Table("quarantine", QUARANTINE, "dt", ("url",)),
    "runs": Table("runs", RUNS, "dt", ("run_id",)),
    "mentions": Table("mentions", MENTIONS, "month", ("article_id", "part", "paragraph", "start", "type")),
    "places": Table("places", PLACES, "month", ("article_id", "name")),
    "figures": Table("figures", FIGURES, "month", ("article_id", "paragraph", "start")),
    "officials": Table("officials", OFFICIALS, "province_key", ("name_key", "position_key"), per_source=False),
    "documents": Table("documents", DOCUMENTS, "kind_key", ("number", "province_2025"), per_source=False),
    "duplicates": Table("duplicates", DUPLICATES, "source", ("article_id",), per_source=False),
}
# Columns older schemas wrote that the current one derives instead: conform drops them from older files (after
# deriving what they held, see warehouse.writer._derived) and the views compute them (warehouse.views).
RETIRED = {"articles": ("body_text",)}
PARAGRAPH_SEPARATOR = "\n\n"  # the old body_text joined the paragraphs with it; the view's body_text does

# The tables written with the articles, row for row by article_id, in the same (source, month) partitions.
ARTICLE_CHILDREN = ("mentions", "places", "figures")
