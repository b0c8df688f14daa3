"""A source's field selectors: the one model of a profile's `selectors:` block.

The extractor reads it; the source profile (sources.config.SourceConfig) embeds it, so every field here can be
set in YAML. This model checks only the shape: the extractor must survive any selector (a bad one selects
nothing), while a profile file's selectors are also checked as CSS where the file is read (sources.config).
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator


def _also(name: str, *aliases: str) -> Any:
    """A selector field that YAML may also spell as one of `aliases` (earlier and plural spellings)."""
    return Field(default=None, validation_alias=AliasChoices(name, *aliases))


class Profile(BaseModel):
    """CSS selectors for the fields of one site's article pages. Any may be None: the generic path fills in.

    `drop` lists selectors of boilerplate inside the article to remove before reading the body.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = None
    body: str | None = None
    lead: str | None = None
    date: str | None = _also("date", "published", "published_at")
    updated: str | None = _also("updated", "updated_at")
    author: str | None = _also("author", "authors")
    category: str | None = None
    tags: str | None = None
    view_count: str | None = _also("view_count", "views")
    caption: str | None = _also("caption", "captions")
    listing_item: str | None = None  # links to articles on a listing page: the crawler's, not the extractor's
    drop: tuple[str, ...] = Field(default=(), validation_alias=AliasChoices("drop", "remove"),
                                  description="boilerplate blocks to remove")

    @field_validator("drop", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value
