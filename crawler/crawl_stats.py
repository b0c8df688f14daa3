"""The stats of one crawl run: counted in Scrapy's `crawler.stats` during the run, written as JSON by the child
(crawler.run) and read back by the parent (provnews.stages.crawl) as the same typed object, `CrawlStats`.

During the run every counter is a Scrapy stat under `provnews/` (`provnews/new_articles`, and per key for the
mappings: `provnews/by_status/200`, `provnews/errors/timeout`); `CrawlCounts.of_scrapy` reads them back. The
close reason is Scrapy's own `finish_reason` stat.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

PREFIX = "provnews/"


class CrawlCounts(BaseModel):
    """What one run counts: the int fields are counters, the mappings count by key (status, reason, host)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    attempts: int = 0  # crawl_log rows that are fetch attempts
    responses: int = 0
    pages: int = 0  # responses other than robots.txt
    by_status: dict[str, int] = Field(default_factory=dict)
    bytes: int = 0
    requests_finished: int = 0  # logical requests with a final outcome
    requests_failed: int = 0
    robots_forbidden: int = 0
    offsite_dropped: int = 0  # requests refused by origin (offsite, or a refused address)
    bad_urls: int = 0  # URLs declared by a page that could not be fetched as given (see crawl_log "bad url")
    pagers_unfollowed: int = 0  # listings whose pager could not be followed (crawl_log "pager not followed")
    retries: int = 0
    articles_fetched: int = 0  # article bodies downloaded (2xx): new + changed
    new_articles: int = 0  # first 2xx fetch of an article
    articles_changed: int = 0  # 2xx on a revisit: the article changed since the version held
    articles_unchanged: int = 0  # 304 on a revisit: no body downloaded
    revisits: int = 0  # conditional requests for held articles (window or announced change)
    known_articles_skipped: int = 0  # held articles seen in discovery and not requested
    articles_owed: int = 0  # articles asked for directly because an earlier fetch of them did not land
    article_failures: int = 0
    not_modified: int = 0
    errors: dict[str, int] = Field(default_factory=dict)  # final failures by reason
    error_hosts: dict[str, int] = Field(default_factory=dict)  # final failures by host[:port]

    @classmethod
    def of_scrapy(cls, values: Mapping[str, Any]) -> CrawlCounts:
        """The counts among Scrapy's stats (`crawler.stats.get_stats()`)."""
        counts: dict[str, Any] = {}
        for name in cls.model_fields:
            if _keyed(name):
                head = f"{PREFIX}{name}/"
                counts[name] = dict(sorted((k.removeprefix(head), v) for k, v in values.items() if k.startswith(head)))
            else:
                counts[name] = values.get(stat_key(name), 0)
        return cls(**counts)


def _keyed(name: str) -> bool:
    return CrawlCounts.model_fields[name].annotation is not int


def stat_key(name: str, key: str | None = None) -> str:
    """The Scrapy stats key of a CrawlCounts counter (`key` for the mappings); KeyError for a misspelt name."""
    if name not in CrawlCounts.model_fields or _keyed(name) != (key is not None):
        raise KeyError(f"not a crawl counter{' with keys' if key is not None else ''}: {name!r}")
    return f"{PREFIX}{name}" if key is None else f"{PREFIX}{name}/{key}"


# the crawl in the words people read everywhere (provnews.stages.report, `provnews crawl`'s JSON, the DAG's
# XCom, the log lines): name people read -> CrawlStats field
WORDS = {
    "pages_fetched": "pages_fetched", "not_modified": "not_modified", "errors": "requests_failed",
    "errors_by_reason": "errors", "error_hosts": "error_hosts", "error_rate": "error_rate",
    "article_pages_fetched": "articles_fetched", "article_pages_new": "new_articles",
    "article_pages_changed": "articles_changed", "article_revisits_not_modified": "articles_unchanged",
    "article_pages_owed": "articles_owed",
    "known_articles_skipped": "known_articles_skipped", "requests_finished": "requests_finished",
    "requests_failed": "requests_failed", "robots_forbidden": "robots_forbidden",
    "offsite_dropped": "offsite_dropped", "pagers_unfollowed": "pagers_unfollowed",
    "retries": "retries", "bytes": "bytes", "duration_s": "duration_s",
    "finish_reason": "finish_reason", "by_status": "by_status", "warc_file": "warc_file",
    "crawl_log_rows": "crawl_log_rows"}


class CrawlStats(CrawlCounts):
    """One run's stats as the child writes them (`{run_id}.stats.json` next to the WARC) and the parent reads
    them: the counts, the run they belong to, how it ended and what it wrote."""

    run_id: str = ""
    source: str = ""
    day: str = ""  # crawl day, YYYY-MM-DD
    backfill: bool = False
    finish_reason: str = ""  # Scrapy's close reason: finished, site_unreachable, closespider_pagecount, ...
    duration_s: float = 0.0
    crawl_log_rows: int = 0
    warc_file: str | None = None  # relative to the warehouse; None when nothing was archived
    warc_records: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def error_rate(self) -> float:
        return round(self.requests_failed / self.requests_finished, 4) if self.requests_finished else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages_fetched(self) -> int:
        """Responses with a 2xx status, of any kind (robots.txt included): the `pages_fetched` people read."""
        return sum(n for status, n in self.by_status.items() if status.startswith("2"))

    def in_words(self, names: Iterable[str] = WORDS) -> dict[str, Any]:
        """The fields `names` (keys of WORDS) under the names people read."""
        return {name: getattr(self, WORDS[name]) for name in names}

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> CrawlStats:
        """The stats file a run left; OSError when there is none, ValueError when it is not such a file."""
        return cls.model_validate_json(path.read_text(encoding="utf-8"))
