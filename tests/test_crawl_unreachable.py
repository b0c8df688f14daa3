"""A site that cannot be reached fails fast and says so: no retries of a refused connection, the crawl stops
once every discovery request failed to connect, one warning line per URL and no traceback; a site that
answers only errors is named by its error."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import MakeReplica
from crawl_helpers import FAST, crawl_log, load_crawled
from replica_fixture import Replica, candidate_port

from provnews.settings import Settings
from provnews.stages.crawl import CrawlFailed, SiteUnreachable, crawl
from replica.faults import Faults
from replica.world import WorldConfig

# What a real site gets (a delay between requests, four tries with backoff from 1 s), only quicker.
POLITE = {"DOWNLOAD_DELAY": 0.25, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}


def dead_copy(settings: Settings, replica: Replica, site: str, dead: str) -> str:
    """A copy of `site`'s profile with every URL pointed at `dead` (host:port); returns its id."""
    profile = settings.sources_dir / f"{site}.yaml"
    text = profile.read_text(encoding="utf-8").replace(f"127.0.0.2:{replica.port}", dead)
    (settings.sources_dir / f"dead{site}.yaml").write_text(text.replace(f"id: {site}", f"id: dead{site}"),
                                                          encoding="utf-8")
    return f"dead{site}"


@pytest.fixture
def settings(replica: Replica, tmp_path: Path) -> Settings:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    return settings


@pytest.mark.slow
def test_a_closed_port_fails_in_seconds_naming_connection_refused(
        replica: Replica, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    dead = f"127.0.0.1:{candidate_port('127.0.0.1')}"
    source = dead_copy(settings, replica, "baohaiduong", dead)
    with caplog.at_level(logging.INFO):  # the crawler's log lines, relayed by the crawl stage at their level
        result = crawl(settings, source, replica.today, overrides=POLITE)

    with pytest.raises(SiteUnreachable) as caught:
        result.check()
    assert str(caught.value) == (f"deadbaohaiduong: site unreachable: connection refused "
                                 f"(11 of 11 requests) at {dead}")
    assert result.stats.duration_s < 20 and result.stats.retries == 0
    rows = crawl_log(settings.warehouse, f"source = '{source}'")
    assert len(rows) == len({r["url"] for r in rows}) == 12  # robots.txt and 11 discovery pages, once each
    assert {r["error"] for r in rows} == {"connection refused"}

    child = [r for r in caplog.records if r.name.startswith(("crawler.", "scrapy."))]
    assert not [r for r in child if r.levelno >= logging.ERROR or r.exc_info or "Traceback" in r.getMessage()]
    assert sum(r.getMessage().startswith("fetch failed") and r.levelno == logging.WARNING for r in child) == 12


@pytest.mark.slow
def test_a_site_gone_down_stops_before_its_revisits(make_replica: MakeReplica, tmp_path: Path) -> None:
    replica = make_replica(WorldConfig(per_day=8, days=3))
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    held = crawl(settings, "tinhuyhaiduong", replica.today, backfill=True, overrides=FAST).check()
    load_crawled(settings, {"tinhuyhaiduong": held})  # held means landed: the revisits are of loaded articles
    replica.stop()

    day_two = replica.today + timedelta(days=1)
    result = crawl(settings, "tinhuyhaiduong", day_two, overrides=POLITE)
    assert result.stats.finish_reason == "site_unreachable"
    assert result.stats.revisits == held.stats.new_articles > 16  # more than the downloader takes at once
    with pytest.raises(SiteUnreachable, match=r"^tinhuyhaiduong: site unreachable: connection refused \("):
        result.check()
    # what the downloader had taken before the stop is tried; the revisits still waiting are not
    tried = [r for r in crawl_log(settings.warehouse, f"dt = '{day_two}'") if r["kind"] == "article"]
    assert 0 < len(tried) < result.stats.revisits


@pytest.mark.slow
def test_a_site_answering_only_503_is_named_by_its_error(make_replica: MakeReplica, tmp_path: Path) -> None:
    replica = make_replica(faults=Faults(error_503=1.0, max_in_a_row=100, robots=True))
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    replica.write_sources(settings.sources_dir)
    result = crawl(settings, "tinhuyhaiduong", replica.today, overrides={**FAST, "RETRY_TIMES": 1})
    with pytest.raises(SiteUnreachable) as caught:
        result.check()
    host = f"127.0.0.3:{replica.port}"
    assert str(caught.value) == f"tinhuyhaiduong: site answered only errors: HTTP 503 to 3 of 3 requests at {host}"
    assert isinstance(caught.value, CrawlFailed)  # callers that catch CrawlFailed still do
