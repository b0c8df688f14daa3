"""The extracted article record and the quarantine verdict, with the field names of DESIGN.md."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from transforms.mentions.model import Mention

CONTENT_HASH_HEX = 16  # hex digits of content_hash kept (schema 9; 40 before)


@dataclass(frozen=True)
class ImageRef:
    url: str  # absolute
    caption: str | None


@dataclass(frozen=True)
class ArticleRecord:
    """One article as extracted from one page. Times are aware UTC; published_date is the day the page states."""

    url: str  # the URL the page was fetched from
    canonical_url: str
    title: str
    lead: str | None
    paragraphs: tuple[str, ...]
    published_at: datetime | None
    published_date: date | None  # the day as the page states it (+07:00 on a Vietnamese page)
    updated_at: datetime | None
    authors: tuple[str, ...]
    author_org: str | None
    photographers: tuple[str, ...]
    origin: str | None
    category: str | None
    tags: tuple[str, ...]
    view_count: int | None
    images: tuple[ImageRef, ...]
    language: str | None
    extractor_version: str
    method: str  # "profile" or "generic": which path found the body
    flags: tuple[str, ...] = field(default=())  # e.g. "legacy-font:tcvn3-converted", "charset:cp1258"
    # the UTC offset the page's date is in ("+03:00"; "+07:00" on every Vietnamese page), None when a foreign
    # page wrote its date without one: published_date is the day in this offset
    published_offset: str | None = None
    # the facts the text states: officials, documents, places, organisations, meetings, figures (issue 14)
    mentions: tuple[Mention, ...] = ()

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def article_id(self) -> str:
        return hashlib.sha1(self.canonical_url.encode("utf-8")).hexdigest()

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees (title, lead, body): changes exactly when the text changes. 64 bits (the
        first CONTENT_HASH_HEX hex digits of the sha1) tell two versions of one article apart; it is never
        compared across articles."""
        text = "\x1f".join([self.title, self.lead or "", self.body_text])
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:CONTENT_HASH_HEX]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["mentions"] = [m.to_json() for m in self.mentions]
        data.update(article_id=self.article_id, body_text=self.body_text, content_hash=self.content_hash)
        for key in ("published_at", "updated_at", "published_date"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        data["images"] = [{"url": i.url, "caption": i.caption} for i in self.images]
        for key in ("paragraphs", "authors", "photographers", "tags", "flags"):
            data[key] = list(data[key])
        return data


@dataclass(frozen=True)
class Quarantine:
    """A page that is not an article or could not be extracted, and why."""

    url: str
    reason: str  # short machine-readable reason: not-article, listing, error-page, empty-body, ...
    detail: str | None
    extractor_version: str

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "quarantine": self.reason, "detail": self.detail,
                "extractor_version": self.extractor_version}


def dumps(result: ArticleRecord | Quarantine) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, sort_keys=False)
