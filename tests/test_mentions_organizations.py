"""Organisations: named bodies with their level and place."""

from __future__ import annotations

from transforms.mentions import MentionType, mentions_of


def orgs(text: str) -> list[str | None]:
    return [m.name for m in mentions_of("", None, [text]) if m.type is MentionType.ORGANIZATION]


def test_seed_sentence() -> None:
    assert orgs("Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng đề nghị Ban Cán sự đảng UBND tỉnh chỉ đạo UBND "
                "tỉnh xây dựng kế hoạch") == ["Tỉnh ủy Hải Dương", "Ban Cán sự đảng UBND tỉnh", "UBND tỉnh"]


def test_bodies_of_every_kind() -> None:
    assert orgs("Bộ Y tế, Sở Tài chính, Ban Thường vụ Tỉnh uỷ, Ủy ban MTTQ Việt Nam tỉnh, Bộ Chính trị, "
                "Ban Tuyên giáo Tỉnh ủy, HĐND thành phố Hải Phòng và Ủy ban Kiểm tra Thành ủy") == [
        "Bộ Y tế", "Sở Tài chính", "Ban Thường vụ Tỉnh uỷ", "Ủy ban MTTQ Việt Nam tỉnh", "Bộ Chính trị",
        "Ban Tuyên giáo Tỉnh ủy", "HĐND thành phố Hải Phòng", "Ủy ban Kiểm tra Thành ủy"]


def test_a_lower_case_word_of_a_position_is_not_an_organisation() -> None:
    assert orgs("Nguyễn Tiến Thành, Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh") == ["Tỉnh ủy", "HĐND tỉnh"]
