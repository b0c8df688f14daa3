"""The transform stage: one source's archived responses of one crawl day → article records + quarantine rows.

Reads the WARC records (warehouse.raw.iter_responses), extracts every HTML page whose URL matches the source's
article pattern with that source's selectors (each page within the per-page bounds of provnews.stages.
bounded_extract: a page too large or too slow is a quarantine row, the rest of the day goes on), and returns
rows that fit warehouse.schema.ARTICLES and QUARANTINE. Writing them is the load stage's job. Re-running over
old archives gives the current extractor's records (each row carries extractor_version).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from provnews.settings import Settings
from provnews.stages.bounded_extract import BoundedExtractor, PageLimits
from transforms.mentions.model import FIELDS, Context, MentionType, Part, sentence_around
from transforms.near_duplicates import signature
from transforms.profile import Profile
from transforms.record import ArticleRecord, Quarantine
from transforms.text import match_key
from transforms.version import EXTRACTOR_VERSION
from warehouse.raw import RawResponse, iter_responses
from warehouse.schema import ARTICLES, QUARANTINE, TABLES
from warehouse.writer import search_text

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
TOO_LARGE = "too-large"  # quarantine reason: the archived body is over PROVNEWS_MAX_DECOMPRESSED_BYTES
MENTION_FIELDS = tuple(dict.fromkeys(name for names in FIELDS.values() for name in names))
_OVER_A_BOUND = frozenset({"extractor-timeout", "too-large"})  # quarantine reasons worth a warning in the log


@dataclass(frozen=True)
class ExtractedArticle:
    """A record plus where its page came from: one row of the articles table."""

    source: str
    record: ArticleRecord
    crawled_at: datetime
    warc_file: str
    warc_offset: int

    def mention_rows(self) -> list[dict[str, Any]]:
        """The record's mentions as rows of warehouse.schema.MENTIONS."""
        r = self.record
        return [{"article_id": r.article_id, "published_date": r.published_date, "type": m.type.value,
                 "text": m.text, "part": m.part.value, "paragraph": m.paragraph, "start": m.start,
                 **{name: list(value) if name == "positions" else value
                    for name in MENTION_FIELDS if (value := getattr(m, name)) is not None}}
                for m in r.mentions]

    def place_rows(self) -> list[dict[str, Any]]:
        """One row per place the article names (PLACES): the first written form and how often it is named."""
        r = self.record
        found: dict[tuple[str, str | None], dict[str, Any]] = {}
        for m in r.mentions:
            if m.type is not MentionType.PLACE or m.name is None:
                continue
            row = found.setdefault((match_key(m.name), m.province_2025), {
                "article_id": r.article_id, "published_date": r.published_date, "name": m.name,
                "level": m.level, "province": m.province, "province_2025": m.province_2025, "mentions": 0})
            row["mentions"] += 1
        return list(found.values())

    def figure_rows(self) -> list[dict[str, Any]]:
        """One row per figure (FIGURES), with the sentence it is in."""
        r = self.record
        texts = {Part.TITLE: [r.title], Part.LEAD: [r.lead or ""], Part.BODY: list(r.paragraphs)}
        return [{"article_id": r.article_id, "published_date": r.published_date, "value": m.value,
                 "unit": m.unit, "measure": m.measure, "text": m.text, "paragraph": m.paragraph,
                 "start": m.start,
                 "context": sentence_around(texts[m.part][m.paragraph], m.start, m.end)}
                for m in r.mentions if m.type is MentionType.FIGURE and m.value is not None]

    def as_row(self) -> dict[str, Any]:
        r = self.record
        published_local = r.published_date
        return {
            "article_id": r.article_id, "source": self.source, "url": r.canonical_url, "title": r.title,
            "lead": r.lead, "paragraphs": list(r.paragraphs),  # the body once (schema 7)
            "search_text": search_text(r.title, r.lead),
            "published_at": r.published_at, "published_date": published_local,
            "published_offset": r.published_offset, "updated_at": r.updated_at,
            "authors": list(r.authors), "author_org": r.author_org, "photographers": list(r.photographers),
            "origin": r.origin,
            "category": r.category, "tags": list(r.tags), "view_count": r.view_count,
            "images": [{"url": i.url, "caption": i.caption} for i in r.images], "language": r.language,
            "content_hash": r.content_hash, "extractor_version": r.extractor_version,
            "flags": list(r.flags), "crawled_at": self.crawled_at, "warc_file": self.warc_file,
            "warc_offset": self.warc_offset,
            "minhash": signature(r.title, r.lead, r.paragraphs).to_bytes(),
            # partition: month of publication (local); an undated article falls in its crawl month
            "month": (published_local or self.crawled_at.date()).strftime("%Y-%m"),
        }


@dataclass(frozen=True)
class QuarantineRow:
    source: str
    url: str
    reason: str
    detail: str | None
    extractor_version: str
    warc_file: str | None
    warc_offset: int | None
    crawled_at: datetime | None
    dt: str  # crawl day

    def as_row(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TransformResult:
    source: str
    day: date
    records: list[ExtractedArticle] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # responses not extracted, by reason

    def articles_table(self) -> pa.Table:
        return pa.Table.from_pylist([r.as_row() for r in self.records], schema=ARTICLES)

    def quarantine_table(self) -> pa.Table:
        return pa.Table.from_pylist([q.as_row() for q in self.quarantine], schema=QUARANTINE)

    def to_arrow(self) -> tuple[pa.Table, pa.Table]:
        return self.articles_table(), self.quarantine_table()

    def children(self) -> dict[str, pa.Table]:
        """The rows of the tables that follow the articles (mentions, places, figures), by table name."""
        rows: dict[str, list[dict[str, Any]]] = {"mentions": [], "places": [], "figures": []}
        for r in self.records:
            rows["mentions"] += r.mention_rows()
            rows["places"] += r.place_rows()
            rows["figures"] += r.figure_rows()
        return {name: pa.Table.from_pylist(found, schema=_child_schema(name)) for name, found in rows.items()}


def _child_schema(table_name: str) -> pa.Schema:
    """A child table's schema without the columns the load fills in (source, month)."""
    schema = TABLES[table_name].schema
    return pa.schema([f for f in schema if f.name not in ("source", "month")])


@dataclass(frozen=True)
class SourceProfile:
    """What the stage needs from a source config: its selectors and its article URL pattern."""

    profile: Profile
    article_pattern: re.Pattern[str] | None
    context: Context = Context()  # what the mention finders know of the source: its province


def load_profile(settings: Settings, source: str) -> SourceProfile:
    """The source's selectors from its YAML (validated by the profile loader, sources.config)."""
    from sources.config import load_source, source_path  # transforms stay pure: they take the profile's selectors

    path = source_path(settings.sources_dir, source)
    if not path.exists():
        log.warning("no source file, using the generic extractor",
                    extra={"source": source, "path": str(path)})
        return SourceProfile(Profile(), None)
    config = load_source(path)
    return SourceProfile(config.selectors, re.compile(config.article_url_pattern),
                         Context(province=config.province.as_written))


def _skip_reason(raw: RawResponse, pattern: re.Pattern[str] | None) -> str | None:
    if not 200 <= raw.status < 300:
        return f"status-{raw.status}"
    if raw.content_type not in _HTML_TYPES:
        return f"type-{raw.content_type}"
    if pattern is not None and not pattern.search(raw.url.split("?", 1)[0].split("#", 1)[0]):
        return "not-article-url"
    return None


def _extracted(raw: RawResponse, sp: SourceProfile, bounded: BoundedExtractor) -> ArticleRecord | Quarantine:
    if raw.problem:  # the body was over the read bound: nothing to extract, and the rest of the day goes on
        return Quarantine(raw.url, TOO_LARGE, f"{raw.problem} (PROVNEWS_MAX_DECOMPRESSED_BYTES)", EXTRACTOR_VERSION)
    return bounded.extract(raw.body, raw.url, sp.profile, raw.header("Content-Type"), sp.context)


def transform_responses(source: str, day: date, responses: Any, sp: SourceProfile,
                        limits: PageLimits | None = None) -> TransformResult:
    """Extract every article response within `limits` (default: the Settings defaults); the core of
    `transform`, also used by tests."""
    with BoundedExtractor(limits or PageLimits.of(Settings())) as bounded:
        return _transform(source, day, responses, sp, bounded)


def _transform(source: str, day: date, responses: Any, sp: SourceProfile,
               bounded: BoundedExtractor) -> TransformResult:
    result = TransformResult(source, day)
    seen: dict[str, int] = {}  # article_id -> its index in result.records
    for raw in responses:
        reason = _skip_reason(raw, sp.article_pattern)
        if reason is not None:
            result.skipped[reason] += 1
            continue
        out = _extracted(raw, sp, bounded)
        if isinstance(out, Quarantine):
            if out.reason in _OVER_A_BOUND:
                log.warning("page quarantined: %s", out.detail, extra={"source": source, "url": raw.url,
                                                                       "reason": out.reason})
            result.quarantine.append(QuarantineRow(source, raw.url, out.reason, out.detail, EXTRACTOR_VERSION,
                                                   raw.warc_file, raw.warc_offset, raw.fetched_at,
                                                   day.isoformat()))
            continue
        extracted = ExtractedArticle(source, out, raw.fetched_at, raw.warc_file, raw.warc_offset)
        if out.article_id in seen:  # the same article fetched twice in one day (two runs): the latest stands
            result.skipped["duplicate"] += 1
            result.records[seen[out.article_id]] = extracted
            continue
        seen[out.article_id] = len(result.records)
        result.records.append(extracted)
    return result


def transform(settings: Settings, source: str, day: date) -> TransformResult:
    """Records and quarantine rows of `source`'s crawl of `day` (nothing is written)."""
    sp = load_profile(settings, source)
    responses = iter_responses(settings.warehouse_root, source, day, max_bytes=settings.max_decompressed_bytes)
    result = transform_responses(source, day, responses, sp, PageLimits.of(settings))
    log.info("transformed", extra={"source": source, "day": day.isoformat(), "records": len(result.records),
                                   "quarantined": len(result.quarantine), "skipped": dict(result.skipped)})
    return result
