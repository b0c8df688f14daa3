"""A source's field selectors, as plain data. The transform stage maps a source config into it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Profile:
    """CSS selectors for the fields of one site's article pages. Any may be None: the generic path fills in.

    `remove` lists selectors of boilerplate inside the article to drop before reading the body.
    """

    title: str | None = None
    body: str | None = None
    lead: str | None = None
    date: str | None = None
    updated: str | None = None
    author: str | None = None
    category: str | None = None
    tags: str | None = None
    view_count: str | None = None
    caption: str | None = None
    remove: tuple[str, ...] = ()
    source: str | None = None  # source id, for messages

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, source: str | None = None) -> Profile:
        """Build from a `selectors:`-style mapping; unknown keys are an error naming them."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        ignored = {"listing_item"}  # crawler-only selectors
        aliases = {"published": "date", "published_at": "date", "updated_at": "updated",
                   "authors": "author", "views": "view_count", "captions": "caption", "drop": "remove"}
        clean: dict[str, Any] = {"source": source}
        unknown = []
        for key, value in data.items():
            if key in ignored or value is None:
                continue
            name = aliases.get(key, key)
            if name not in known or name == "source":
                unknown.append(key)
                continue
            if name == "remove":
                value = (value,) if isinstance(value, str) else tuple(value or ())
            clean[name] = value
        if unknown:
            raise ValueError(f"profile for source {source!r}: unknown selector field(s) {sorted(unknown)}; "
                             f"known: {sorted(known - {'source'})}")
        return cls(**clean)

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) in (None, ()) for f in fields(self) if f.name != "source")
