"""Meetings: both word orders, ordinals in digits, Roman numerals and words, body and term."""

from __future__ import annotations

import pytest

from transforms.mentions import MentionType, mentions_of
from transforms.mentions.meetings import read_ordinal


def meetings(text: str) -> list[tuple[str | None, int | None, str | None, str | None]]:
    return [(m.kind, m.ordinal, m.body, m.term) for m in mentions_of("", None, [text])
            if m.type is MentionType.MEETING]


def test_seed_sentences() -> None:
    assert meetings("Sau 1 ngày làm việc khẩn trương, Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh Hải Dương "
                    "khóa XVII đã hoàn thành toàn bộ nội dung") == [
        ("Hội nghị", 14, "Ban Chấp hành Đảng bộ tỉnh Hải Dương", "XVII")]
    assert meetings("Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII đã ban hành Nghị quyết") == [
        ("Hội nghị", 5, "Ban Chấp hành Trung ương Đảng", "XIII")]


def test_the_body_first() -> None:
    assert meetings("Chiều 5/3, Ban Chấp hành Đảng bộ tỉnh Hải Dương khóa XVII tổ chức Hội nghị lần thứ 14 để "
                    "thảo luận") == [("Hội nghị", 14, "Ban Chấp hành Đảng bộ tỉnh Hải Dương", "XVII")]
    assert meetings("Sáng 8/12, HĐND tỉnh Bắc Giang khoá XIX tổ chức kỳ họp thứ 12 để xem xét") == [
        ("Kỳ họp", 12, "HĐND tỉnh Bắc Giang", "XIX")]


def test_a_session_without_the_body_and_meetings_without_an_ordinal() -> None:
    assert meetings("Bế mạc kỳ họp thứ mười hai") == [("Kỳ họp", 12, None, None)]
    assert meetings("UBND tỉnh tổ chức phiên họp thường kỳ tháng 3. Ban Thường vụ Tỉnh ủy họp phiên thường kỳ.") == []


@pytest.mark.parametrize(("written", "value"), [
    ("14", 14), ("XIII", 13), ("XIV", 14), ("năm", 5), ("nhất", 1), ("tư", 4), ("mười", 10), ("mười hai", 12),
    ("hai mươi", 20), ("hai mươi mốt", 21), ("ba mươi lăm", 35)])
def test_ordinals(written: str, value: int) -> None:
    assert read_ordinal(written) == value
