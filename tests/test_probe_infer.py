"""What the probe decides from what it saw (crawler.probe): the article pattern, pagination, the proposal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.probe import (
    Anchor,
    Findings,
    PageSeen,
    ProbeFailed,
    Sampled,
    article_pattern,
    guess_id,
    guess_kind,
    listing_candidates,
    pagination,
    propose,
)
from sources.config import parse_source
from transforms.units import province_in

SITE = "https://tinhuy.example.vn"
ARTICLES = [f"{SITE}/{cat}/ban-thuong-vu-tinh-uy-hop-phien-thang-{n}-2026-{n:03d}.htm"
            for cat in ("tin-hoat-dong", "xay-dung-dang") for n in range(1, 7)]
NAV = [f"{SITE}/tin-hoat-dong", f"{SITE}/xay-dung-dang", f"{SITE}/lien-he"]


def page(url: str, hrefs: list[str], *extra: Anchor) -> PageSeen:
    return PageSeen(url, 200, [Anchor(h) for h in hrefs] + list(extra))


def test_the_article_pattern_keeps_constant_segments_and_generalises_the_rest() -> None:
    guess = article_pattern([*ARTICLES, *NAV, f"{SITE}/rss/tin-hoat-dong-moi-nhat.rss"])
    assert guess is not None
    assert guess.pattern == r"^https?://[^/]+/[a-z0-9-]+/[a-z0-9]+(?:-[a-z0-9]+){3,}\.htm$"
    article_re = re.compile(guess.pattern)
    assert all(article_re.search(u) for u in ARTICLES)
    assert not any(article_re.search(u) for u in NAV)

    portal = [f"{SITE}/web/portal/{c}/-/asset_publisher/content/cong-bo-quyet-dinh-can-bo-{n}"
              for c in ("a", "b") for n in range(3)]
    guess = article_pattern(portal)
    assert guess is not None
    assert guess.pattern.startswith(r"^https?://[^/]+/web/portal/[a-z0-9-]+/\-/asset_publisher/content/")


def test_no_slug_like_link_means_no_pattern() -> None:
    assert article_pattern(NAV) is None


@pytest.mark.parametrize(("hrefs", "expected"), [
    ([f"{SITE}/tin-hoat-dong?page=2", f"{SITE}/tin-hoat-dong?page=3"], {"style": "query", "param": "page"}),
    ([f"{SITE}/tin-hoat-dong/trang-2.html", f"{SITE}/tin-hoat-dong/trang-3.html"],
     {"style": "path", "template": "{url}/trang-{n}.html"}),
    ([f"{SITE}/tin-hoat-dong?p=1"], {"style": "query", "param": "p", "first_page": 0}),
])
def test_pagination_by_query_or_path(hrefs: list[str], expected: dict[str, object]) -> None:
    pager = pagination(page(f"{SITE}/tin-hoat-dong", [*ARTICLES, *hrefs]))
    assert pager is not None
    assert pager.paginate() == expected


def test_pagination_by_a_next_link_and_none_without_one() -> None:
    pager = pagination(page(f"{SITE}/tin-hoat-dong", ARTICLES,
                            Anchor(f"{SITE}/x/y.aspx?token=abc", css_class="next", text="Xem tiếp")))
    assert pager is not None
    assert pager.paginate() == {"style": "next_link", "selector": "a.next"}
    assert pagination(page(f"{SITE}/tin-hoat-dong", ARTICLES)) is None  # article links are no pager


def test_listing_candidates_are_same_site_pages_that_are_not_articles() -> None:
    home = page(f"{SITE}/", [*ARTICLES, *NAV, "https://other.vn/x", f"{SITE}/style.css", f"{SITE}/rss/a.rss"])
    assert listing_candidates(home, None, 10) == NAV


def findings() -> Findings:
    found = Findings(home=f"{SITE}/")
    found.pages[f"{SITE}/"] = page(f"{SITE}/", [*ARTICLES[:3], *NAV])
    listing = f"{SITE}/tin-hoat-dong"
    found.pages[listing] = page(listing, [*ARTICLES[:6], f"{listing}?page=2"])
    found.second_pages[f"{SITE}/tin-hoat-dong"] = page(f"{SITE}/tin-hoat-dong?page=2", ARTICLES[6:])
    found.feeds[f"{SITE}/rss/xay-dung-dang.rss"] = ARTICLES[6:]
    found.samples = [Sampled(ARTICLES[0], 200, "Ban Thường vụ", "2026-11-20T01:00:00+00:00", "generic")]
    found.pages[f"{SITE}/"].title = "Tỉnh ủy Hải Dương"
    return found


def test_the_proposal_is_a_valid_profile_without_selectors() -> None:
    proposal = propose(findings(), "tinhuy", "party_committee_portal", ("Hải Dương", "Hải Phòng"))
    source = parse_source(proposal.profile, Path("tinhuy.yaml"))
    assert source.discovery.feeds == [f"{SITE}/rss/xay-dung-dang.rss"]
    [listing] = source.discovery.listings
    assert listing.url == f"{SITE}/tin-hoat-dong"
    assert listing.paginate is not None and listing.paginate.param == "page"
    assert source.selectors.model_dump(exclude_defaults=True) == {}
    assert proposal.report["selectors"].startswith("none: the generic extractor read the sample")


def test_a_pager_whose_page_two_adds_nothing_is_not_proposed() -> None:
    found = findings()
    found.second_pages[f"{SITE}/tin-hoat-dong"] = page(f"{SITE}/tin-hoat-dong?page=2", ARTICLES[:6])
    proposal = propose(found, "tinhuy", "party_committee_portal", ("Hải Dương", "Hải Phòng"))
    assert "paginate" not in proposal.profile["discovery"]["listings"][0]
    assert any("brought no other articles" in line for line in proposal.report["could_not_decide"])


def test_a_site_without_article_links_is_a_clear_failure() -> None:
    found = Findings(home=f"{SITE}/")
    found.pages[f"{SITE}/"] = page(f"{SITE}/", NAV)
    with pytest.raises(ProbeFailed, match="found no article-like links"):
        propose(found, "x", "newspaper", ("A", "A"))


def test_guesses_from_the_host_and_the_name() -> None:
    assert guess_id("https://www.baohaiduong.vn/") == "baohaiduong"
    assert guess_id("http://127.0.0.2:8377/") == "127-0-0-2"
    assert guess_kind("https://tinhuyhaiduong.dcs.vn/", "") == "party_committee_portal"
    assert guess_kind("https://haiduong.gov.vn/", "") == "peoples_committee_portal"
    assert guess_kind("https://thaibinhtv.vn/", "Đài Phát thanh và Truyền hình Thái Bình") == "radio_tv"
    assert guess_kind("https://baohaiduong.vn/", "Báo Hải Dương") == "newspaper"
    # the province a site's name mentions, with its post-2025 unit (vietnamadminunits' successor)
    assert province_in("Cổng thông tin điện tử tỉnh Quảng Nam") == ("Quảng Nam", "Đà Nẵng")
    assert province_in("Báo Cao Bằng điện tử") == ("Cao Bằng", "Cao Bằng")
    assert province_in("Bình Thuận Online") == ("Bình Thuận", "Lâm Đồng")
    assert province_in("Tin tức trong ngày") is None


def test_a_probe_is_never_unbounded() -> None:
    from crawler.spiders.probe import probe_settings

    with pytest.raises(ValueError, match="CLOSESPIDER_TIMEOUT, PROVNEWS_PROBE_SAMPLE not set"):
        probe_settings({"CLOSESPIDER_PAGECOUNT": 50})
    bounded = probe_settings({"CLOSESPIDER_PAGECOUNT": 50, "CLOSESPIDER_TIMEOUT": 60.0, "PROVNEWS_PROBE_SAMPLE": 4})
    assert (bounded["CLOSESPIDER_PAGECOUNT"], bounded["PROVNEWS_PROBE_MAX_SITEMAPS"]) == (50, 5)
