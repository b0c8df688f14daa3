"""Re-extract archived crawl days without crawling: the raw archive is read again by the current extractor
and the warehouse rows are replaced (each row carries its extractor_version)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from provnews.settings import Settings
from provnews.stages.load import load
from provnews.stages.transform import transform
from warehouse.paths import archived_days
from warehouse.storage import Root
from warehouse.writer import LoadCounts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reprocessed:
    source: str
    day: date
    counts: LoadCounts
    quarantined: int


def days_to_reprocess(root: Root, since: date, until: date,
                      sources: Sequence[str] | None = None) -> Iterator[tuple[str, date]]:
    """(source, crawl day) pairs that have raw archives in [since, until], in order."""
    for source, day in archived_days(root):
        if since <= day <= until and (sources is None or source in sources):
            yield source, day


def reprocess(settings: Settings, since: date, until: date,
              sources: Sequence[str] | None = None) -> list[Reprocessed]:
    if since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    todo = list(days_to_reprocess(settings.warehouse_root, since, until, sources))
    done = []
    for n, (source, day) in enumerate(todo, start=1):
        result = transform(settings, source, day)
        counts = load(settings, source, day, result)
        done.append(Reprocessed(source, day, counts, len(result.quarantine)))
        log.info("reprocessed %d/%d", n, len(todo), extra={"source": source, "day": day.isoformat(),
                                                          "new": counts.new, "updated": counts.updated})
    return done
