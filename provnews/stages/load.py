"""The load stage: write what the transform stage returned for (source, day) into the warehouse.

Articles are upserted by article_id into their month partitions; the quarantine partition of the crawl day is
replaced as a whole (so a re-run of the day that fixed a page removes its quarantine row). Both steps are
idempotent: running the same load twice leaves the tables as they are.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

import pyarrow as pa

from provnews.settings import Settings
from warehouse.writer import LoadCounts, replace_partition, upsert_articles

log = logging.getLogger(__name__)


class Transformed(Protocol):
    """What load needs from a TransformResult (provnews.stages.transform): two warehouse tables."""

    def to_arrow(self) -> tuple[pa.Table, pa.Table]: ...

    def children(self) -> dict[str, pa.Table]: ...


def load(settings: Settings, source: str, day: date, result: Transformed) -> LoadCounts:
    """Upsert the articles (with their mentions, places and figures), replace the day's quarantine partition;
    returns new/updated/unchanged counts."""
    articles, quarantine = result.to_arrow()
    counts = upsert_articles(settings.warehouse_root, source, articles, children=result.children())
    replace_partition(settings.warehouse_root, "quarantine", source, day.isoformat(), quarantine)
    log.info("loaded", extra={"source": source, "day": day.isoformat(), "new": counts.new,
                              "updated": counts.updated, "unchanged": counts.unchanged,
                              "quarantined": quarantine.num_rows})
    return counts


def load_tables(settings: Settings, source: str, day: date, articles: pa.Table,
                quarantine: pa.Table) -> LoadCounts:
    """The same as `load`, from two tables (for callers that already hold Arrow data)."""

    class _Tables:
        def to_arrow(self) -> tuple[pa.Table, pa.Table]:
            return articles, quarantine

        def children(self) -> dict[str, pa.Table]:
            return {}

    return load(settings, source, day, _Tables())
