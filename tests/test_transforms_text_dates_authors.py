"""Vietnamese text, dates and bylines: the pure helpers the extractor is built from, on the forms of
docs/SOURCES.md and the seeds."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

import pytest

from replica.encoding import to_cp1258
from transforms.authors import photo_credit, split_author_line, strip_trailing
from transforms.dates import VN_TZ, find_dates, local_date, naive_zone, parse_iso, to_utc
from transforms.extract import extract
from transforms.metadata import person_names
from transforms.record import ArticleRecord
from transforms.text import (
    convert_tcvn3,
    decode_html,
    fold_tone_marks,
    legacy_font,
    match_key,
    normalize_text,
    words_pattern,
)


def test_nfc_entities_and_whitespace() -> None:
    nfd = unicodedata.normalize("NFD", "Tỉnh ủy")
    assert normalize_text(f"  Th&ocirc;ng tin v&agrave;\u00a0 {nfd} ") == "Thông tin và Tỉnh ủy"


def test_one_tone_mark_style_for_matching_keeps_the_original_for_display() -> None:
    assert fold_tone_marks("Tỉnh uỷ") == fold_tone_marks("Tỉnh ủy") == "Tỉnh ủy"
    assert fold_tone_marks("Uỷ viên hoá") == "Ủy viên hóa"
    assert fold_tone_marks("quý hoàn") == "quý hoàn"  # closed syllables and "qu" are never moved
    assert match_key("CÁC BÀI VIẾT KHÁC:") == match_key("Các bài viết khác:")
    assert normalize_text("Tỉnh uỷ") == "Tỉnh uỷ"  # display text is not folded


def test_wrong_and_legacy_charsets_decode_right() -> None:
    text = "Ban Thường vụ Tỉnh ủy Hải Dương"
    lying = decode_html(text.encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert lying.text == text and lying.encoding == "utf-8"
    # cp1258 as Windows writes it (base letters + combining tone marks), as the replica serves it
    decoded = decode_html(b'<meta charset="windows-1258">' + to_cp1258(text))
    assert decoded.encoding == "cp1258"
    assert normalize_text(decoded.text).endswith(text)


def test_tcvn3_text_is_detected_and_converted_vni_is_flagged() -> None:
    tcvn3 = "Hµ Néi lµ thñ ®« cña n­íc ViÖt Nam, B¶o Th¾ng"
    assert legacy_font(tcvn3) == "tcvn3"
    assert convert_tcvn3(tcvn3) == "Hà Nội là thủ đô của nước Việt Nam, Bảo Thắng"
    assert legacy_font("Xin chaøo caùc baïn, hoâm nay trôøi ñeïp quaù") == "vni"
    assert legacy_font("Hà Nội là thủ đô của nước Việt Nam, Bảo Thắng và nhiều nơi khác") is None


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("Thứ Bảy 06/03/2021 17:49", "2021-03-06T17:49:00"),
        ("Cập nhật: 06/04/2023 08:46:40 PM", "2023-04-06T20:46:40"),
        ("Thứ 3, 04/04/2023 | 16:10:37", "2023-04-04T16:10:37"),
        ("Ngày đăng 09/09/2020 | 05:07 PM | View count: 842", "2020-09-09T17:07:00"),
        ("(Thứ bảy, 22/05/2021 11:38)", "2021-05-22T11:38:00"),
        ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22T19:25:00"),
        ("2/11/2023", "2023-11-02T00:00:00"),
        ("Gửi lúc: 05/12/2013 15:42:27", "2013-12-05T15:42:27"),
        ("ngày 16.6.2022", "2022-06-16T00:00:00"),
        ("Thứ Ba, ngày 4 tháng 4 năm 2023", "2023-04-04T00:00:00"),
        ("15 giờ 30 ngày 4/4/2023", "2023-04-04T15:30:00"),
        ("15h30, 4/4/2023", "2023-04-04T15:30:00"),
        ("Thứ Năm, 05/11/2026 - 09:15", "2026-11-05T09:15:00"),
        ("Do 25.04.24 | 14:07 Uhr", "2024-04-25T14:07:00"),
        ("25/4/24, 9:05 PM", "2024-04-25T21:05:00"),
    ],
)
def test_every_date_form_reads_as_vietnamese_local_time(text: str, local: str) -> None:
    hits = find_dates(text)
    assert hits, text
    assert hits[0].moment == datetime.fromisoformat(local).replace(tzinfo=VN_TZ)


def test_labels_published_and_updated_lines_and_stores_utc() -> None:
    assert find_dates("Cập nhật: 06/04/2023 08:46:40 PM")[0].label == "updated"
    assert find_dates("Gửi lúc: 05/12/2013 15:42:27")[0].label == "published"
    late = find_dates("Thứ Bảy 06/03/2021 00:30")[0].moment
    assert to_utc(late) == datetime(2021, 3, 5, 17, 30, tzinfo=UTC)
    assert str(local_date(to_utc(late))) == "2021-03-06"  # the local day, not the UTC one
    assert parse_iso("2023-04-06T13:46:40Z") == datetime(2023, 4, 6, 20, 46, 40, tzinfo=VN_TZ)
    assert parse_iso("2023-04-06T20:46:40") == datetime(2023, 4, 6, 20, 46, 40, tzinfo=VN_TZ)
    assert find_dates("20,037 lượt xem, tăng 8,26%") == []


def test_a_two_digit_year_is_a_date_only_with_a_time_after_it() -> None:
    assert find_dates("Tỷ số 2.1.24 sau hiệp một") == []  # no time: a score, a version, not a date
    assert find_dates("Hotline 0220.3.85 12:30") == []
    assert find_dates("Phiên bản 1.2.3.24 10:00") == []
    # the four-digit form is read once, not again as a two-digit year
    assert [h.moment.year for h in find_dates("25.04.2024 14:07")] == [2024]


def test_bylines_credits_and_origin_lines() -> None:
    assert split_author_line("Đình Bộ- VPTU") == (("Đình Bộ",), "VPTU")
    assert split_author_line("Đào Quyên") == (("Đào Quyên",), None)
    assert split_author_line("Mai Linh - Thu Anh") == (("Mai Linh", "Thu Anh"), None)
    assert split_author_line("Tin cùng chuyên mục") is None
    assert photo_credit("Ảnh: Thành Tâm") == ("Thành Tâm",)
    body, byline = strip_trailing(
        [
            "Một đoạn văn dài của bài báo, có dấu phẩy, kết thúc.",
            "Đào Quyên",
            "Ảnh: Thành Tâm",
            "Nguồn: Báo điện tử Hải Dương",
        ]
    )
    assert body == ["Một đoạn văn dài của bài báo, có dấu phẩy, kết thúc."]
    assert byline.authors == ("Đào Quyên",)
    assert byline.photographers == ("Thành Tâm",)
    assert byline.origin == "Báo điện tử Hải Dương"


def test_a_given_name_like_thanh_is_a_person_and_a_label_is_not_a_byline() -> None:
    assert split_author_line("Thu Anh - Thành Long") == (("Thu Anh", "Thành Long"), None)
    assert split_author_line("Đình Bộ - Thành ủy Hải Dương") == (("Đình Bộ",), "Thành ủy Hải Dương")
    assert split_author_line("Tags:") is None


def test_page_furniture_worded_like_a_name_is_not_a_byline() -> None:
    for line in ("Advertisement", "Subscribe Now!", "More TechCrunch", "Story Saved", "Stern.de", "Zur Startseite",
                 "Joe Wee Monday"):
        assert split_author_line(line) is None, line
    assert split_author_line("Gina Roberts-Grey") == (("Gina Roberts-Grey",), None)
    assert split_author_line("Đình Bộ-VPTU") == (("Đình Bộ",), "VPTU")
    assert split_author_line("Mai Linh-Thu Anh") == (("Mai Linh", "Thu Anh"), None)
    assert split_author_line("Nelson D. Schwartz") == (("Nelson D. Schwartz",), None)


def test_author_values_split_into_people_without_addresses() -> None:
    assert person_names(["Samya Kullab and Vasilisa Stepanenko"]) == ["Samya Kullab", "Vasilisa Stepanenko"]
    assert person_names(["Felix Schröder und Jörg Soldwisch, dpa"]) == ["Felix Schröder", "Jörg Soldwisch", "dpa"]
    assert person_names(["By Jane Doe", "d.kuckelkorn@boersen-zeitung.de"]) == ["Jane Doe"]
    assert person_names(["Elena Oberholzer (obe)", "Corina Gall (cog.)"]) == ["Elena Oberholzer", "Corina Gall"]


def test_invisible_characters_and_unicode_spaces_collapse() -> None:
    assert normalize_text("Hà\u200b Nội\u00ad\u3000 ngày\ufeff 1") == "Hà Nội ngày 1"


@pytest.mark.parametrize(
    ("value", "day"),
    [("May 15th, 2023", "2023-05-15"), ("15. Mai 2023", "2023-05-15"), ("Sep. 3, 2024", "2024-09-03"),
     ("2023-05-01T10:00:00+02:00", "2023-05-01"), ("06/04/2023", "2023-04-06")],
)
def test_meta_date_values_in_iso_numbers_or_month_names(value: str, day: str) -> None:
    moment = parse_iso(value)
    assert moment is not None and moment.date().isoformat() == day


def test_a_meta_value_without_a_date_is_none() -> None:
    assert parse_iso("Mayor 12, 2018") is None and parse_iso("to be announced") is None


def test_a_timestamp_without_offset_is_local_to_the_page() -> None:
    # Vietnamese (or undeclared) pages keep +07:00; a page declaring another language is read as UTC
    assert naive_zone("vi-VN") == VN_TZ and naive_zone(None) == VN_TZ
    assert naive_zone("de") == UTC
    assert parse_iso("2026-07-08T05:00:07") == datetime(2026, 7, 8, 5, 0, 7, tzinfo=VN_TZ)
    assert parse_iso("2026-07-08T05:00:07", naive_zone("de")) == datetime(2026, 7, 8, 5, 0, 7, tzinfo=UTC)
    # an explicit offset always wins
    assert parse_iso("2026-07-08T05:00:07+02:00", UTC) == datetime(2026, 7, 8, 3, 0, 7, tzinfo=UTC)


def test_a_foreign_page_keeps_the_day_its_naive_timestamp_says() -> None:
    paragraphs = "".join(f"<p>Satz {i}, der lang genug ist, um als Absatz zu zählen.</p>" for i in range(20))
    page = ("<html lang='de'><head><meta property='article:published_time' content='2026-07-08T05:00:07'>"
            "</head><body><h1>Ein Titel</h1><article>" + paragraphs
            + "</article></body></html>").encode()
    rec = extract(page, "https://example.de/a")
    assert isinstance(rec, ArticleRecord)
    assert rec.published_at == datetime(2026, 7, 8, 5, 0, 7, tzinfo=UTC)


def test_a_words_pattern_finds_what_the_plain_alternation_finds() -> None:
    words = (r"cập\s*nhật", "updated", "aktualisiert")
    led, plain = words_pattern(words, re.IGNORECASE), re.compile("|".join(words), re.IGNORECASE)
    for text in ("Cập  nhật: 06/04/2023", "Zuletzt AKTUALISIERT am 3.5.", "last edited 2020", "UPDATED"):
        assert [m.span() for m in led.finditer(text)] == [m.span() for m in plain.finditer(text)]
    with pytest.raises(ValueError):
        words_pattern(("[Uu]pdated",))  # a word must open with a plain character: the lookahead names it
