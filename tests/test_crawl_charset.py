"""The charset middleware decodes the replica's pages right: windows-1258, a lying header, no label."""

from __future__ import annotations

import unicodedata
import urllib.request

import pytest
from replica_fixture import Replica
from scrapy.http import HtmlResponse, Request
from scrapy.http.headers import Headers

from crawler.middlewares import CharsetMiddleware
from replica.encoding import to_cp1258
from transforms.extract import extract
from transforms.record import ArticleRecord
from transforms.text import page_codec


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


LEGACY_TITLE = "Đoàn đại biểu Quốc hội tỉnh Hải Dương tiếp xúc cử tri"
LEGACY_TEXT = ("Chiều ngày 25 tháng 4 năm 2024, Đoàn đại biểu Quốc hội tỉnh Hải Dương đã tiếp xúc cử tri tại "
               "thành phố Hải Dương. Các đại biểu đã nghe ý kiến của cử tri về nhiều vấn đề dân sinh, về "
               "đường giao thông, trường học và bệnh viện, và hứa sẽ chuyển các kiến nghị đến Quốc hội.")


def legacy_page() -> bytes:
    """A windows-1258 page as a provincial CMS writes it (tone marks combining), with no <meta> charset."""
    html = (f"<html><head><title>{LEGACY_TITLE}</title></head><body><article><h1>{LEGACY_TITLE}</h1>"
            f"<p>Ngày đăng: 25/04/2024 08:30</p><p>{LEGACY_TEXT}</p></article></body></html>")
    return to_cp1258(html)


@pytest.mark.parametrize("label", ["iso8859-1", "ISO-8859-1"])  # one codec under two spellings
def test_windows_1258_under_a_latin_1_label_decodes_the_same_in_crawler_and_transforms(label: str) -> None:
    body = legacy_page()
    content_type = f"text/html; charset={label}"
    url = "http://127.0.0.3:8377/tin-tuc/doan-dbqh.html"
    response = HtmlResponse(url, headers={"Content-Type": content_type}, body=body, request=Request(url))

    fixed = CharsetMiddleware().process_response(response.request, response)  # type: ignore[arg-type]
    record = extract(body, url, content_type=content_type)

    assert isinstance(fixed, HtmlResponse)
    assert nfc(fixed.css("h1::text").get() or "") == LEGACY_TITLE  # not "Ðoàn" (Latin-1's Ð for cp1258's Đ)
    assert isinstance(record, ArticleRecord)
    assert record.title == LEGACY_TITLE
    assert LEGACY_TEXT in record.body_text
    assert "charset:cp1258" in record.flags
    assert fixed.encoding == page_codec(body, content_type) == "cp1258"
