"""What a crawl_log row is: one per fetch attempt (and per refusal), with the kinds of URL it names.

Not Scrapy items: the spider yields none. The rows are written by crawler.extensions.CrawlRecorder as the
downloader sees each attempt; the run's counters are crawler.crawl_stats.CrawlStats.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
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

# CrawlStats.finish_reason when the crawl stopped because no discovery request could connect
CLOSED_UNREACHABLE = "site_unreachable"

# how a crawl_log row (kind listing, no response of its own) starts when a listing's pager could not be followed,
# so the articles only behind it were not reached (CrawlStats.pagers_unfollowed counts them; the checks warn)
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
