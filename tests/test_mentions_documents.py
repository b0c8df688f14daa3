"""Documents: kinds, normalised numbers, issuers named or implied, dates, laws by title."""

from __future__ import annotations

from datetime import date

from transforms.mentions import Mention, MentionType, mentions_of


def docs(text: str) -> list[Mention]:
    return [m for m in mentions_of("", None, [text]) if m.type is MentionType.DOCUMENT]


def test_seed_sentence_with_a_central_resolution_and_a_provincial_programme() -> None:
    found = docs("Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII đã ban hành Nghị quyết số 20-NQ/TW, "
                 "ngày 16.6.2022 về tiếp tục đổi mới, phát triển kinh tế tập thể, hợp tác xã trong giai đoạn mới. "
                 "Ban Thường vụ Tỉnh ủy Hải Dương đã ban hành Chương trình hành động số 64-CTr/TU, ngày 17.1.2023 "
                 "thực hiện Nghị quyết số 20-NQ/TW")
    assert [(d.kind, d.number, d.date) for d in found] == [
        ("Nghị quyết", "20-NQ/TW", date(2022, 6, 16)),
        ("Chương trình hành động", "64-CTr/TU", date(2023, 1, 17)),
        ("Nghị quyết", "20-NQ/TW", None)]
    assert found[0].text == "Nghị quyết số 20-NQ/TW, ngày 16.6.2022"
    assert [d.issuer for d in found] == ["Ban Chấp hành Trung ương Đảng", "Tỉnh ủy", "Ban Chấp hành Trung ương Đảng"]


def test_the_issuer_named_after_cua_wins_over_the_suffix() -> None:
    (d,) = docs("thực hiện Nghị quyết số 06-NQ/TU của Ban Chấp hành Đảng bộ tỉnh về chuyển đổi số")
    assert (d.number, d.issuer) == ("06-NQ/TU", "Ban Chấp hành Đảng bộ tỉnh")
    (d,) = docs("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục")
    assert (d.issuer, d.date) == ("Bộ Chính trị", date(2021, 5, 18))
    (d,) = docs("theo Quyết định số 2345/QĐ-UBND ngày 12/10/2026 của UBND tỉnh Hải Dương.")
    assert (d.number, d.issuer, d.date) == ("2345/QĐ-UBND", "UBND tỉnh Hải Dương", date(2026, 10, 12))


def test_a_number_with_a_year_and_the_issuers_its_suffix_implies() -> None:
    found = docs("Nghị định 30/2020/NĐ-CP, Quyết định số 123/QĐ-TTg, Nghị quyết số 15/2023/NQ-HĐND và "
                 "Thông tư số 01/2024/TT-BTC")
    assert [(d.kind, d.number, d.issuer) for d in found] == [
        ("Nghị định", "30/2020/NĐ-CP", "Chính phủ"), ("Quyết định", "123/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("Nghị quyết", "15/2023/NQ-HĐND", "HĐND tỉnh"), ("Thông tư", "01/2024/TT-BTC", "Bộ Tài chính")]


def test_a_number_alone_takes_its_kind_from_its_code_and_lowercase_kinds_count() -> None:
    assert [(d.kind, d.number) for d in docs("thực hiện 57-NQ/TW và nghị quyết số 68-NQ/TW")] == [
        ("Nghị quyết", "57-NQ/TW"), ("Nghị quyết", "68-NQ/TW")]


def test_worded_dates_and_a_law_named_without_a_number() -> None:
    (d,) = docs("Chỉ thị số 05-CT/TW ngày 15 tháng 5 năm 2016 của Bộ Chính trị")
    assert d.date == date(2016, 5, 15)
    (law,) = docs("triển khai Luật Đất đai năm 2024 trên địa bàn")
    assert (law.kind, law.number, law.title) == ("Luật", None, "Luật Đất đai năm 2024")
    assert docs("Luật sư Nguyễn Văn A cho biết") == []


def test_dates_and_numbers_that_are_not_documents() -> None:
    assert docs("quý II/2023, ngày 16.6.2022, 11/14 chỉ tiêu, giai đoạn 2021-2025") == []


def test_a_dispatch_whose_number_names_its_issuer_first() -> None:
    (d, e) = docs("Công văn số 123/UBND-KT ngày 3/4/2025 và Công điện số 05/CĐ-TTg")
    assert (d.kind, d.number, d.issuer, d.date) == ("Công văn", "123/UBND-KT", "UBND tỉnh", date(2025, 4, 3))
    assert (e.kind, e.issuer) == ("Công điện", "Thủ tướng Chính phủ")
