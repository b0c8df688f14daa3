"""The raw archive: WARC/1.1 records written one by one, read back decoded; charsets sniffed from bytes."""

from __future__ import annotations

import gzip
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from provnews.settings import Settings
from replica.encoding import to_cp1258
from transforms.text import decode_html, page_codec
from warehouse.raw import RawResponse, WarcWriter, iter_responses, read_record

MAX_BODY = Settings().max_decompressed_bytes  # the archive read bound of the pipeline

DAY = date(2026, 11, 21)
PAGE = "<html><head><meta charset='utf-8'></head><body><h1>Tỉnh ủy Hải Dương</h1></body></html>"


def test_responses_round_trip_through_the_archive(tmp_path: Path) -> None:
    fetched_at = datetime(2026, 11, 21, 3, 4, 5, 123456, tzinfo=UTC)
    with WarcWriter(tmp_path, "baohaiduong", DAY, "run-1") as writer:
        ok = writer.write_response("http://127.0.0.2:8377/a.html", 200, "OK",
                                   [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                                    ("Transfer-Encoding", "chunked")],
                                   gzip.compress(PAGE.encode()), fetched_at)
        missing = writer.write_response("http://127.0.0.2:8377/b.html", 404, "Not Found",
                                        [("Content-Type", "text/html")], b"<h1>404</h1>", fetched_at)
        unchanged = writer.write_response("http://127.0.0.2:8377/rss/home.rss", 304, "Not Modified",
                                          [("ETag", '"abc"')], b"", fetched_at)
    assert writer.path == tmp_path / "raw/source=baohaiduong/dt=2026-11-21/run-1.warc.gz"
    assert ok.warc_file == "raw/source=baohaiduong/dt=2026-11-21/run-1.warc.gz"
    assert ok.digest.startswith("sha1:") and ok.record_id.startswith("<urn:uuid:")

    records = list(iter_responses(tmp_path, "baohaiduong", DAY, max_bytes=MAX_BODY))
    assert [(r.url, r.status) for r in records] == [
        ("http://127.0.0.2:8377/a.html", 200), ("http://127.0.0.2:8377/b.html", 404),
        ("http://127.0.0.2:8377/rss/home.rss", 304)]
    first = records[0]
    assert first.text() == PAGE  # content encoding undone, charset sniffed
    assert first.fetched_at == fetched_at
    assert first.header("transfer-encoding") is None  # the stored payload is not chunked
    assert (first.warc_offset, first.record_id, first.digest) == (ok.warc_offset, ok.record_id, ok.digest)
    assert [r.warc_offset for r in records[1:]] == [missing.warc_offset, unchanged.warc_offset]
    assert read_record(tmp_path, missing.warc_file, missing.warc_offset, max_bytes=MAX_BODY).body == b"<h1>404</h1>"


def test_the_file_is_standard_warc_1_1_gzipped_per_record(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, "s", DAY, "r") as writer:
        for n in range(3):
            writer.write_response(f"http://127.0.0.3:8377/{n}", 200, "OK", [], b"x" * n,
                                  datetime.now(UTC))
    raw = writer.path.read_bytes()
    assert raw.count(b"\x1f\x8b") >= 4  # warcinfo + three responses, each its own gzip member
    with writer.path.open("rb") as fh:
        kinds = [(rec.rec_type, rec.rec_headers.protocol) for rec in ArchiveIterator(fh)]
    assert kinds == [("warcinfo", "WARC/1.1")] + [("response", "WARC/1.1")] * 3


def test_a_run_never_overwrites_another(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, "s", DAY, "same") as writer:
        writer.write_response("http://127.0.0.3:8377/", 200, "OK", [], b"a", datetime.now(UTC))
    with pytest.raises(FileExistsError), WarcWriter(tmp_path, "s", DAY, "same") as again:
        again.write_response("http://127.0.0.3:8377/", 200, "OK", [], b"b", datetime.now(UTC))


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ("Tỉnh ủy".encode(), "text/html; charset=ISO-8859-1", "utf-8"),  # wrong header: the bytes win
    ("Tỉnh ủy".encode(), None, "utf-8"),  # nothing declared
    (b"\xef\xbb\xbf" + "Tỉnh ủy".encode(), "text/html; charset=windows-1252", "utf-8-sig"),  # BOM first
    (b'<meta charset="windows-1258">' + unicodedata.normalize("NFD", "Tỉnh ủy").encode("cp1258"),
     "text/html", "cp1258"),
    (unicodedata.normalize("NFD", "Tỉnh ủy").encode("cp1258"), "text/html; charset=windows-1258",
     "cp1258"),
    (unicodedata.normalize("NFD", "Tỉnh ủy").encode("cp1258"), None, "cp1258"),  # legacy fallback
    # the header wins over <meta>; ISO-8859-1 says nothing (a server default): windows-1258, whose é is Latin-1's
    (b'<meta charset="utf-8">caf\xe9', "text/html; charset=ISO-8859-1", "cp1258"),
])
def test_charset_is_read_from_the_bytes_first(body: bytes, content_type: str | None, expected: str) -> None:
    assert page_codec(body, content_type) == expected


@pytest.mark.parametrize("label", ["ISO-8859-1", "iso8859-1", "latin-1"])  # one codec, three spellings
def test_the_archive_decodes_a_windows_1258_page_under_a_latin1_label(label: str) -> None:
    text = "Tỉnh ủy Hải Dương"
    body = b'<meta charset="windows-1258">' + to_cp1258(text)  # as Windows writes it, as the replica serves it
    headers = [("Content-Type", f"text/html; charset={label}")]
    raw = RawResponse(url="http://127.0.0.3:8377/", status=200, headers=headers, body=body,
                      fetched_at=datetime(2026, 11, 21, tzinfo=UTC), warc_file="raw/x.warc.gz", warc_offset=0,
                      record_id="<urn:uuid:1>", digest="sha1:X")
    assert unicodedata.normalize("NFC", raw.text()).endswith(text)  # the one decode, not Latin-1 mojibake
    assert raw.text() == decode_html(body, f"text/html; charset={label}").text
