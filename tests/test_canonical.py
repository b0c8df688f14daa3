"""Canonical URLs: the spellings real sites and share buttons produce collapse to one URL per article."""

from __future__ import annotations

import pytest

from crawler.canonical import canonical_url, same_article

ARTICLE = "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html"


@pytest.mark.parametrize("messy", [
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html",
    "http://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html",  # http vs https
    "HTTPS://BaoHaiDuong.VN:443/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html",
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html/",  # trailing slash
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html#comments",
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html"
    "?utm_source=list-chinh-tri&utm_medium=referral&utm_campaign=tin-moi",
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html?zarsrc=31&gidzl=Ab1x",  # Zalo
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html?fbclid=IwAR0x_9Kq",
    "https://baohaiduong.vn/chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html;jsessionid=8F3A2C11DE",
    "https://baohaiduong.vn./chinh-tri/hoi-nghi-tinh-uy-lan-thu-20-20261121-03.html?PHPSESSID=abc&ref=home",
])
def test_spellings_of_one_article_have_one_canonical_url(messy: str) -> None:
    assert canonical_url(messy, "https") == ARTICLE


def test_the_source_scheme_decides_and_default_ports_go() -> None:
    assert canonical_url("https://127.0.0.2:443/a/b", "http") == "http://127.0.0.2/a/b"
    assert canonical_url("http://127.0.0.2:80/a/b/") == "http://127.0.0.2/a/b"
    assert canonical_url("http://127.0.0.2:8377/a/b/") == "http://127.0.0.2:8377/a/b"  # other ports stay
    assert canonical_url("https://example.vn") == "https://example.vn/"  # the root keeps its slash


def test_liferay_portlet_state_and_session_ids_are_dropped() -> None:
    liferay = ("http://127.0.0.4:8377/web/portal/tin-tuc-su-kien/-/asset_publisher/content/"
               "khai-mac-ky-hop-20261121-02?p_p_id=101_INSTANCE_Xk3pQ9aZ&p_p_lifecycle=0&p_p_state=normal"
               "&p_p_mode=view&_jsessionid=04432719")
    assert canonical_url(liferay) == ("http://127.0.0.4:8377/web/portal/tin-tuc-su-kien/-/asset_publisher/"
                                      "content/khai-mac-ky-hop-20261121-02")


def test_meaningful_query_parameters_stay_sorted() -> None:
    assert canonical_url("https://x.gov.vn/tin-tuc?page=2&cat=5&utm_source=fb") == "https://x.gov.vn/tin-tuc?cat=5&page=2"
    assert canonical_url("https://x.gov.vn/Pages/default.aspx?PageIndex=2&sid=77") == (
        "https://x.gov.vn/Pages/default.aspx?PageIndex=2")
    assert canonical_url("https://x.vn/s?q=a+b") == canonical_url("https://x.vn/s?q=a%20b")


def test_percent_encoding_and_unicode_paths_agree() -> None:
    assert canonical_url("https://x.vn/tin-t%e1%bb%a9c/") == canonical_url("https://x.vn/tin-tức")
    assert same_article("http://x.vn/a/b.html#top", "https://X.vn/a/b.html?utm_medium=zalo")
    assert not same_article("https://x.vn/a/b.html", "https://x.vn/a/c.html")


@pytest.mark.parametrize("bad", ["/relative/path", "ftp://x.vn/a", "javascript:void(0)", "mailto:a@b.vn"])
def test_only_absolute_http_urls_are_canonicalised(bad: str) -> None:
    with pytest.raises(ValueError, match="not an absolute http"):
        canonical_url(bad)
