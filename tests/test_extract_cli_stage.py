"""`provnews extract` on saved files and stdin; the transform stage's rows against the warehouse schema."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from provnews.stages.transform import SourceProfile, transform_responses
from transforms.profile import Profile
from warehouse.raw import RawResponse

PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_extract_command_prints_one_line_per_input_in_order() -> None:
    files = [
        PAGES / "thaibinhtv_seed-001.html",
        PAGES / "baohaiduong_listing.html",
        PAGES / "haiduonggov_seed-000.html",
    ]
    out = subprocess.run(
        [sys.executable, "-m", "provnews.cli", "extract", *map(str, files), "-"],
        input=(PAGES / "tinhuyhaiduong_seed-004.html").read_bytes(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(lines) == 4
    assert lines[0]["title"] == "Tạo dư địa phát triển mới để tỉnh bứt phá vươn lên mạnh mẽ"
    assert lines[0]["view_count"] == 20037 and lines[0]["authors"] == ["Đào Quyên"]
    assert lines[1]["quarantine"] == "listing"
    assert lines[2]["origin"] == "Báo điện tử Hải Dương"
    assert lines[3]["authors"] == ["Đình Bộ"] and lines[3]["published_date"] == "2021-03-06"


def _raw(name: str, url: str, status: int = 200, ctype: str = "text/html; charset=utf-8") -> RawResponse:
    return RawResponse(
        url=url,
        status=status,
        headers=[("Content-Type", ctype)],
        body=(PAGES / name).read_bytes(),
        fetched_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
        warc_file="raw/x.warc.gz",
        warc_offset=123,
        record_id="<urn:uuid:1>",
        digest="sha1:X",
    )


def test_stage_rows_fit_the_warehouse_schema_and_keep_warc_pointers() -> None:
    base = "http://127.0.0.2:8377"
    responses = [
        _raw("baohaiduong_seed-002.html", f"{base}/chinh-tri/thuong-truc-seed-002.html"),
        _raw("baohaiduong_404.html", f"{base}/chinh-tri/gone-20261121-09.html"),
        _raw("baohaiduong_listing.html", f"{base}/chinh-tri/"),
        _raw("baohaiduong_404.html", f"{base}/chinh-tri/x-20261121-08.html", status=404),
    ]
    sp = SourceProfile(Profile(body="div.fck"), __import__("re").compile(r"-(\d{8}-\d{2}|seed-\d{3})\.html$"))
    result = transform_responses("baohaiduong", date(2026, 11, 21), responses, sp)
    assert len(result.records) == 1 and len(result.quarantine) == 1
    assert result.quarantine[0].reason == "error-page"
    assert result.skipped == {"not-article-url": 1, "status-404": 1}
    articles, quarantine = result.to_arrow()
    row = articles.to_pylist()[0]
    assert row["month"] == "2021-12" and row["warc_offset"] == 123 and row["extractor_version"]
    assert row["url"].endswith("seed-002.html") and len(row["article_id"]) == 40
    assert quarantine.num_rows == 1 and quarantine.to_pylist()[0]["dt"] == "2026-11-21"


def test_a_row_carries_the_flags_a_reader_should_know_about() -> None:
    # the Liferay portal's page as it is served: windows-1258 bytes
    cp1258 = _raw("ubndbacgiang_20261121-04.html", "http://127.0.0.4:8377/tin-tuc/-/asset_publisher/x-20261121-04",
                  ctype="text/html; charset=windows-1258")
    utf8 = _raw("baohaiduong_seed-002.html", "http://127.0.0.2:8377/chinh-tri/thuong-truc-seed-002.html")

    flags = [transform_responses(source, date(2026, 11, 21), [response], SourceProfile(Profile(), None))
             .to_arrow()[0].to_pylist()[0]["flags"]
             for source, response in (("ubndbacgiang", cp1258), ("baohaiduong", utf8))]

    assert flags == [["charset:cp1258"], []]


def test_an_article_fetched_twice_in_a_day_keeps_its_latest_fetch() -> None:
    """Two runs of one day fetched an article, the second after an edit: the day's load keeps the later copy
    (the earlier one would make the edit a page that never landed)."""
    url = "http://127.0.0.2:8377/chinh-tri/thuong-truc-seed-002.html"
    first = _raw("baohaiduong_seed-002.html", url)
    edited = replace(first, body=first.body.replace("Thường trực".encode(), "Thường trực (sửa)".encode(), 1),
                     fetched_at=first.fetched_at + timedelta(hours=2), warc_offset=456)
    sp = SourceProfile(Profile(body="div.fck"), None)
    result = transform_responses("baohaiduong", date(2026, 11, 21), [first, edited], sp)
    [row] = result.articles_table().to_pylist()
    assert (row["warc_offset"], row["crawled_at"]) == (456, edited.fetched_at)
    assert result.skipped == {"duplicate": 1}
