"""The charset middleware decodes the replica's pages right: windows-1258, a lying header, no label."""

from __future__ import annotations

import unicodedata
import urllib.request

import pytest
from replica_fixture import Replica
from scrapy.http import HtmlResponse, Request
from scrapy.http.headers import Headers

from crawler.middlewares import CharsetMiddleware


def fetch(url: str) -> HtmlResponse:
    """A Scrapy response built from a real HTTP answer of the replica."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        headers = Headers({k: v for k, v in answer.headers.items()})
        return HtmlResponse(url, status=answer.status, headers=headers, body=answer.read(),
                            request=Request(url))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(("site_id", "label"), [
    ("ubndbacgiang", "windows-1258"),  # cp1258 bytes, correct labels
    ("thaibinhtv", "iso-8859-1"),  # UTF-8 bytes, the header says ISO-8859-1
    ("haiduonggov", None),  # UTF-8 bytes, no charset anywhere
    ("tinhuyhaiduong", "utf-8"),  # UTF-8, served as NFD
])
def test_article_titles_come_out_in_vietnamese(replica: Replica, site_id: str, label: str | None) -> None:
    ref = replica.world.refs(site_id, replica.today)[0]
    article = replica.world.article(site_id, ref.key).as_of(replica.today)
    response = fetch(replica.url(site_id, article.path))
    content_type = (response.headers.get("Content-Type") or b"").decode().lower()
    assert (label in content_type) if label else ("charset" not in content_type)

    fixed = CharsetMiddleware().process_response(response.request, response)  # type: ignore[arg-type]

    assert isinstance(fixed, HtmlResponse)
    title = nfc(" ".join(fixed.css("title::text").getall()))
    assert nfc(article.title) in title
    if site_id == "thaibinhtv":  # what Scrapy alone would have made of it
        assert nfc(article.title) not in nfc(" ".join(response.css("title::text").getall()))
