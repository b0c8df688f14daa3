"""Scrapy settings of the provnews crawler: polite and robust by default.

`crawl_settings(source, overrides)` layers them: these defaults, then the source's politeness block, then
explicit overrides (tests and benchmarks turn delays off that way, never by editing a profile).
"""

from __future__ import annotations

from typing import Any

from sources.config import SourceConfig
from transforms.constants import DEFAULT_USER_AGENT

BOT_NAME = "provnews"

DEFAULTS: dict[str, Any] = {
    "BOT_NAME": BOT_NAME,
    "SPIDER_MODULES": ["crawler.spiders"],
    "NEWSPIDER_MODULE": "crawler.spiders",
    "ROBOTSTXT_OBEY": True,
    "USER_AGENT": DEFAULT_USER_AGENT,
    "DEFAULT_REQUEST_HEADERS": {
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "vi,en;q=0.5",
    },
    # politeness: the source profile overrides these
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_DELAY": 1.0,
    "DOWNLOAD_DELAY_JITTER": 0.5,  # Scrapy's: ±50 %, so requests do not tick like a metronome
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    # robustness
    "DOWNLOAD_TIMEOUT": 30,
    # one body at most, on the wire and once decompressed: Content-Encoding (Scrapy), a gzipped sitemap or
    # feed and an archived copy read on 304 (the spider); over it, the crawl_log row says `too large`
    "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,  # a warning line from here on
    # a URL a page declares (sitemap <loc>, robots Sitemap:, feed link, next page, an article link) longer
    # than this is a crawl_log row `bad url`, not a request (Scrapy would drop it with an INFO line)
    "URLLENGTH_LIMIT": 2083,
    # addresses no request may reach unless the profile names them literally (the replica's 127.0.0.x
    # are named): judged on literal hosts by the offsite rule and after DNS by the resolver below
    "PROVNEWS_REFUSED_NETWORKS": [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ],
    "TWISTED_DNS_RESOLVER": "crawler.middlewares.GuardedResolver",
    "REDIRECT_MAX_TIMES": 5,
    # responses one run may receive (Scrapy's own stop condition): past it the spider closes with
    # `closespider_pagecount`, the crawl fails naming the bound, and the next run fetches what was left
    "CLOSESPIDER_PAGECOUNT": 100_000,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 3,  # four tries in all
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "RETRY_GIVE_UP_LOG_LEVEL": "WARNING",  # a request that failed every try is expected of flaky sites
    "PROVNEWS_RETRY_BACKOFF_BASE": 1.0,  # seconds before the first retry, doubled each time
    "PROVNEWS_RETRY_BACKOFF_MAX": 30.0,
    # errors that mean the host could not be reached: tried once, never retried, one warning line each
    "PROVNEWS_UNREACHABLE_EXCEPTIONS": [
        "scrapy.exceptions.DownloadConnectionRefusedError",
        "scrapy.exceptions.CannotResolveHostError",
        "twisted.internet.error.ConnectionRefusedError",
        "twisted.internet.error.DNSLookupError",
        "twisted.internet.error.NoRouteError",
    ],
    # when every discovery request ended so, stop the crawl (close reason site_unreachable)
    "PROVNEWS_CLOSE_UNREACHABLE": True,
    # an article fetched or tried whose page has not landed in the warehouse (the day was not loaded, every
    # try failed, an older extractor quarantined it) is asked for again by the next runs, directly, until
    # this many runs have tried it; past that only its discovery brings it back (a page that never lands)
    "PROVNEWS_UNLANDED_MAX_RUNS": 3,
    "HTTPERROR_ALLOW_ALL": True,  # the spider sees 404/500 to log them; it decides what to parse
    "COOKIES_ENABLED": False,  # news sites need none; session cookies only make URLs stateful
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,  # Scrapy 2.19 opens a control port by default; a batch job needs none
    "LOGSTATS_INTERVAL": 30.0,
    "LOG_LEVEL": "INFO",  # the parent passes PROVNEWS_LOG_LEVEL; Scrapy's set-up dumps show at DEBUG only
    "PROVNEWS_LOG_FORMAT": "text",  # or json (PROVNEWS_LOG_FORMAT), as crawler.log formats it
    "MEMUSAGE_ENABLED": False,
    # our own dedup by canonical URL; Scrapy's would drop redirect loops and retries silently
    "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
    "DOWNLOAD_HANDLERS": {
        "http": "crawler.middlewares.VisibleRetryHTTPHandler",
        "https": "crawler.middlewares.VisibleRetryHTTPHandler",
    },
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        "crawler.middlewares.LoggedOffsiteMiddleware": 50,  # offsite by origin (sources.origins)
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.middlewares.BackoffRetryMiddleware": 550,
        "crawler.middlewares.CharsetMiddleware": 560,  # after decompression (590) on the way back
        "crawler.middlewares.UnreachableSiteMiddleware": 940,  # sees every exception, after its archive row
        "crawler.middlewares.ArchiveMiddleware": 950,  # nearest the wire: sees every raw response
    },
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    # the run's WARC archive, crawl_log rows and counts; off without crawler.extensions.run_settings (the probe)
    "EXTENSIONS": {"crawler.extensions.CrawlRecorder": 0},
}


def crawl_settings(source: SourceConfig, overrides: dict[str, Any] | None = None,
                   contact: str = "") -> dict[str, Any]:
    """Defaults, then the source's politeness, then `overrides` (later wins). `contact` (PROVNEWS_CONTACT)
    goes into the User-Agent."""
    polite = source.politeness
    settings = dict(DEFAULTS)
    settings.update({
        "DOWNLOAD_DELAY": delay_above_floor(polite.download_delay, DEFAULTS["DOWNLOAD_DELAY_JITTER"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(max(1, polite.concurrency // 2)),
        "ROBOTSTXT_OBEY": polite.obey_robots,
        "USER_AGENT": user_agent(polite.user_agent, contact),
    })
    settings.update(overrides or {})
    return settings


def delay_above_floor(floor: float, jitter: float) -> float:
    """The mean delay whose jittered draws (Scrapy: mean x (1 ± jitter)) never fall below `floor`: a profile's
    download_delay of 1.0 means at most one request per second to a host, not 0.5 s now and then."""
    return floor / (1.0 - jitter) if 0 <= jitter < 1 else floor


def user_agent(base: str, contact: str) -> str:
    """`base` with the operator's contact inside its comment: 'provnews/0.1 (+https://…; ops@example.org)'."""
    contact = " ".join(contact.split())
    if not contact:
        return base
    if base.endswith(")"):
        return f"{base[:-1]}; {contact})"
    return f"{base} ({contact})"
