"""Under the replica's fault mode the crawl ends in bounded time, logs every failure and archives every
article the server answered."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import MakeReplica
from crawl_helpers import crawl_all, crawl_log, expected_urls, fetched_articles

from provnews.settings import Settings
from replica.faults import Faults
from warehouse.raw import read_record

SITES = ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv"]
FAULTS = Faults(error_500=0.08, error_503=0.04, reset=0.06, truncate=0.06, slow=0.04, slow_seconds=1.5,
                max_in_a_row=2, redirect_loop_site="haiduonggov", endless_site="tinhuyhaiduong", seed=7)


@pytest.mark.slow
def test_flaky_sites_are_crawled_completely_and_every_failure_is_logged(
        make_replica: MakeReplica, tmp_path: Path) -> None:
    replica = make_replica(faults=FAULTS)
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    _add_listing(settings.sources_dir / "haiduonggov.yaml", replica.url("haiduonggov", "/loop/1"))

    started = time.monotonic()
    results = crawl_all(settings, SITES, replica.today, backfill=True, DOWNLOAD_TIMEOUT=1)
    assert time.monotonic() - started < 120  # bounded: retries, timeouts and loops all end

    rows = crawl_log(settings.warehouse)
    for site in SITES:
        assert results[site].ok, (site, results[site].problems)
        # faults are transient (at most 2 in a row) and we try 4 times: every article is archived
        fetched = fetched_articles(settings.warehouse, site)
        assert set(fetched) == expected_urls(replica.world, replica.port, site, replica.today), site
        assert max(Counter(fetched).values()) == 1

    # every request that reached the server is a crawl_log row (successes and failures alike)
    per_url = Counter(r["url"] for r in rows if r["status"] is not None or _reached_server(r["error"]))
    for url, count in per_url.items():
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        served_by = replica.world.site_by_host(parts.hostname or "")
        assert served_by is not None
        assert replica.server.hits(target, served_by.id) == count, url

    errors = Counter(r["error"].split(" (")[0].split(":")[0] for r in rows if r["error"])
    assert {"HTTP 500", "HTTP 503", "timeout", "truncated", "connection lost"} <= set(errors), errors
    assert any(r["error"] and "retries exhausted" not in r["error"] and "attempt 1 of 4" in r["error"]
               for r in rows)

    # archived answers are readable, with the status the log says (500s and 503s included)
    for row in rows:
        if row["warc_file"] and row["status"] >= 500:
            assert read_record(settings.warehouse, row["warc_file"], row["warc_offset"],
                               max_bytes=settings.max_decompressed_bytes).status == row["status"]

    # the endless listing stopped on repeated content, far before its page bound
    party_listing = [r for r in rows if r["source"] == "tinhuyhaiduong" and r["kind"] == "listing"]
    assert len({r["url"] for r in party_listing}) < 20

    # the redirect loop was cut at REDIRECT_MAX_TIMES, each hop archived, the cut logged
    loop = [r for r in rows if "/loop/" in r["url"]]
    assert sum(r["status"] == 302 for r in loop) == 6  # the first request and 5 redirects
    assert any(r["error"] and r["error"].startswith("redirect limit") for r in loop)


def _reached_server(error: str | None) -> bool:
    """Rows without status that still hit the server (the server counts them too)."""
    return error is not None and not error.startswith(("robots", "offsite", "redirect limit", "ignored"))


def _add_listing(profile: Path, url: str) -> None:
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["discovery"]["listings"].append({"url": url})
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
