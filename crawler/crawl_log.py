"""What the crawler records: one crawl_log row per fetch attempt, and the run's counters."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a fetched URL is to the crawler (crawl_log.kind)."""

    ARTICLE = "article"
    LISTING = "listing"
    FEED = "feed"
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    POSTBACK = "postback"  # a listing page reached by posting its WebForms form back: never asked conditionally
    OTHER = "other"


# the pages the crawler learns article URLs from (robots.txt names sitemaps)
DISCOVERY_KINDS = (Kind.LISTING, Kind.FEED, Kind.SITEMAP, Kind.ROBOTS)

# RunStats.finish_reason when the crawl stopped because no discovery request could connect
CLOSED_UNREACHABLE = "site_unreachable"

# how a crawl_log row (kind listing, no response of its own) starts when a listing's pager could not be followed,
# so the articles only behind it were not reached (RunStats.pagers_unfollowed counts them; the checks warn)
PAGER_NOT_FOLLOWED = "pager not followed"


@dataclass
class LogRow:
    """One crawl_log row (warehouse.schema.CRAWL_LOG without the partition columns)."""

    run_id: str
    source: str
    url: str  # the URL this attempt fetched
    kind: str
    fetched_at: datetime
    canonical_url: str | None = None
    final_url: str | None = None  # where a redirect points, else the answering URL
    status: int | None = None
    error: str | None = None
    bytes: int | None = None
    digest: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunStats:
    """Counters of one crawl run, written as JSON for the parent process."""

    run_id: str
    source: str
    day: str
    backfill: bool
    attempts: int = 0  # crawl_log rows that are fetch attempts
    responses: int = 0
    pages: int = 0  # responses other than robots.txt
    by_status: Counter[str] = field(default_factory=Counter)
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
    duration_s: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)  # final failures by reason
    error_hosts: Counter[str] = field(default_factory=Counter)  # final failures by host[:port]
    finish_reason: str = ""  # Scrapy's close reason: finished, site_unreachable, shutdown, ...

    @property
    def error_rate(self) -> float:
        return self.requests_failed / self.requests_finished if self.requests_finished else 0.0

    @property
    def pages_fetched(self) -> int:
        """Responses with a 2xx status, of any kind (robots.txt included): the `pages_fetched` people read."""
        return sum(n for status, n in self.by_status.items() if status.startswith("2"))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["by_status"] = dict(sorted(self.by_status.items()))
        data["errors"] = dict(sorted(self.errors.items()))
        data["error_hosts"] = dict(sorted(self.error_hosts.items()))
        data["error_rate"] = round(self.error_rate, 4)
        data["pages_fetched"] = self.pages_fetched
        return data
