"""A WebForms listing's older pages are reached by posting its form back, as a browser does: a backfill of the
replica's WebForms portal (quangnamgov, whose feeds carry only the latest 20 of a category) lands every gold
article; a pager the crawler cannot follow is a crawl_log row and a warning of the day's checks, never a
silent 'ok'; and a site that ignores the posted form does not make the walk loop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from crawl_helpers import FAST, crawl_log, expected_urls, fetched_articles
from hostile_site import Answer, HostileSite, article_page, write_profile
from replica_fixture import Replica, start_replica

from provnews.settings import Settings
from provnews.stages.checks import run_checks
from provnews.stages.crawl import crawl
from provnews.stages.load import load
from provnews.stages.transform import transform
from replica.world import WorldConfig

SITE = "quangnamgov"
BUSY = WorldConfig(per_day=6, days=30)  # 28 and 34 articles in its two categories: pages 3 and 4 of 10
FEED_SIZE = 20  # items of each of its RSS feeds


@pytest.fixture(scope="module")
def busy() -> Iterator[Replica]:
    rep = start_replica(BUSY)
    try:
        yield rep
    finally:
        rep.stop()


def profile_dir(replica: Replica, root: Path, paginate: bool = True) -> Path:
    """quangnamgov's shipped profile pointed at the replica; without `paginate`, its listings as single pages."""
    sources = root / "sources"
    replica.write_sources(sources)
    for other in sources.glob("*.yaml"):
        if other.stem != SITE:
            other.unlink()
    if not paginate:
        path = sources / f"{SITE}.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for listing in doc["discovery"]["listings"]:
            listing.pop("paginate")
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return sources


@pytest.mark.slow
def test_a_backfill_posts_the_pager_back_and_lands_every_gold_article(busy: Replica, tmp_path: Path) -> None:
    day = busy.today
    sizes = [len(busy.world.refs(SITE, day, c.slug)) for c in busy.world.site(SITE).categories]
    assert min(sizes) > FEED_SIZE  # the feeds alone cannot reach them all
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=profile_dir(busy, tmp_path))

    result = crawl(settings, SITE, day, backfill=True, overrides=FAST)

    assert result.ok, result.problems
    fetched = fetched_articles(settings.warehouse, SITE)
    assert Counter(fetched).most_common(1)[0][1] == 1  # no article asked for twice
    assert set(fetched) == expected_urls(busy.world, busy.port, SITE, day)
    # each older page is one POST to the listing's own URL, with its own body: none dropped as a duplicate
    posted = Counter(r["url"] for r in crawl_log(settings.warehouse, "kind = 'postback' and status = 200"))
    listings = sorted(busy.url(SITE, f"/tin-tuc/{c.slug}/Default.aspx") for c in busy.world.site(SITE).categories)
    assert sorted(posted) == listings
    assert sorted(posted.values()) == sorted(-(-n // 10) - 1 for n in sizes)
    assert result.stats.pagers_unfollowed == 0

    load(settings, SITE, day, transform(settings, SITE, day))
    assert run_checks(settings.warehouse, SITE, day).status == "ok"


@pytest.mark.slow
def test_a_postback_pager_the_profile_does_not_declare_is_a_warning(busy: Replica, tmp_path: Path) -> None:
    day = busy.today
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=profile_dir(busy, tmp_path, paginate=False))

    result = crawl(settings, SITE, day, backfill=True, overrides=FAST)

    assert result.ok, result.problems  # the crawl itself went well ...
    assert len(fetched_articles(settings.warehouse, SITE)) < len(expected_urls(busy.world, busy.port, SITE, day))
    rows = crawl_log(settings.warehouse, "error like 'pager not followed: %'")
    assert len(rows) == 2 == result.stats.pagers_unfollowed == result.summary()["pagers_unfollowed"]
    assert {r["kind"] for r in rows} == {"listing"} and all("__doPostBack" in r["error"] for r in rows)

    load(settings, SITE, day, transform(settings, SITE, day))
    checked = run_checks(settings.warehouse, SITE, day)
    assert checked.status == "warning"  # ... but the day is not 'ok': its history is behind the pager
    assert checked.problem is not None and checked.problem.startswith("pager not followed on 2 listings")
    assert checked.stats.pagers_unfollowed == 2


DAY = date(2026, 11, 21)
_PAGE = """<html><body><form method="post" action="./list.aspx" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" value="" /><input type="hidden" name="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />
<input type="text" name="txtSearch" value="" /><input type="submit" name="btnSearch" value="Tìm" />
<div class="list"><a href="/tin/a-1.html">1</a> <a href="/tin/a-2.html">2</a></div>
<div class="pager"><span>1</span> <a href="javascript:__doPostBack('gvList','Page$2')">2</a>
<a href="javascript:__doPostBack('gvList','Page$3')">3</a></div></form></body></html>"""


@pytest.mark.slow
def test_a_site_that_ignores_the_posted_form_ends_the_walk_with_a_warning(tmp_path: Path) -> None:
    """Every POST answers page 1 again: one postback, then the walk stops (nothing new), and says why."""
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=tmp_path / "sources")
    with HostileSite() as site:
        site.routes["/"] = Answer("<html><body><a href='/list.aspx'>Tin tức</a></body></html>".encode())
        site.routes["/list.aspx"] = Answer(_PAGE.encode())
        for n in (1, 2):
            site.routes[f"/tin/a-{n}.html"] = Answer(article_page(site.url(f"/tin/a-{n}.html"), f"Bài {n}"))
        write_profile(settings.sources_dir, "webforms", site.url("/"), {
            "listings": [{"url": site.url("/list.aspx"), "paginate": {"style": "postback"}}]})

        result = crawl(settings, "webforms", DAY, backfill=True, overrides=FAST)

        assert result.ok, result.problems
        assert site.hits["POST /list.aspx"] == 1  # the page-2 postback, once: no loop
        assert site.posted == [{"__EVENTTARGET": ["gvList"], "__EVENTARGUMENT": ["Page$2"],
                                "__VIEWSTATE": ["/wEPDwUKMTY1NDU2MTA1MmRk"], "txtSearch": [""]}]  # no button
        listing = site.url("/list.aspx")
    [row] = crawl_log(settings.warehouse, "error like 'pager not followed: %'")
    assert row["url"] == listing and "did not take the postback" in row["error"]
    assert result.stats.pagers_unfollowed == 1
