"""Officials and persons: names with their positions as written, in every form the seeds use."""

from __future__ import annotations

from transforms.mentions import MentionType, mentions_of


def people(text: str) -> list[tuple[str, str | None, tuple[str, ...], str | None]]:
    return [(m.type.value, m.name, m.positions, m.body) for m in mentions_of("", None, [text])
            if m.type in (MentionType.OFFICIAL, MentionType.PERSON)]


def test_name_first_with_a_comma_list_of_positions() -> None:
    assert people("Phát biểu bế mạc hội nghị, đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy "
                  "Hải Dương đánh giá") == [
        ("official", "Trần Đức Thắng", ("Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Hải Dương"), "Tỉnh ủy Hải Dương")]


def test_positions_first_three_positions_then_the_name() -> None:
    assert people("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Hải Dương Phạm Xuân Thăng cho "
                  "biết") == [("official", "Phạm Xuân Thăng",
                               ("Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh Hải Dương"),
                               "HĐND tỉnh Hải Dương")]
    assert people("Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng đề nghị") == [
        ("official", "Trần Đức Thắng", ("Bí thư Tỉnh ủy Hải Dương",), "Tỉnh ủy Hải Dương")]
    assert people("Chủ tịch UBND tỉnh Nguyễn Văn An phát biểu") == [
        ("official", "Nguyễn Văn An", ("Chủ tịch UBND tỉnh",), "UBND tỉnh")]


def test_a_list_of_officials_separated_by_semicolons() -> None:
    found = people("Các đồng chí: Ngô Đông Hải, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy; Nguyễn Tiến "
                   "Thành, Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh; Nguyễn Khắc Thận, Phó Bí thư Tỉnh "
                   "ủy, Chủ tịch UBND tỉnh chủ trì hội nghị.")
    assert [(n, p) for _t, n, p, _b in found] == [
        ("Ngô Đông Hải", ("Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy")),
        ("Nguyễn Tiến Thành", ("Phó Bí thư thường trực Tỉnh ủy", "Chủ tịch HĐND tỉnh")),
        ("Nguyễn Khắc Thận", ("Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"))]


def test_standalone_and_national_positions() -> None:
    assert people("Sáng 10/12, Ủy viên Bộ Chính trị, Thường trực Ban Bí thư Võ Văn Thưởng và đoàn công tác") == [
        ("official", "Võ Văn Thưởng", ("Ủy viên Bộ Chính trị", "Thường trực Ban Bí thư"), "Bộ Chính trị")]
    assert people("các bài viết, phát biểu của Tổng Bí thư Nguyễn Phú Trọng để cụ thể hóa")[0][1:3] == (
        "Nguyễn Phú Trọng", ("Tổng Bí thư",))


def test_an_appointment() -> None:
    assert people("công bố quyết định về việc bổ nhiệm đồng chí Lê Thị Hương giữ chức Phó Giám đốc Sở Y tế.")[0] == (
        "official", "Lê Thị Hương", ("Phó Giám đốc Sở Y tế",), "Sở Y tế")


def test_a_person_with_no_position_and_the_same_name_given_a_position_elsewhere() -> None:
    assert people("Tiếp đó, đồng chí Nguyễn Văn Bình trao quà cho các hộ nghèo.") == [
        ("person", "Nguyễn Văn Bình", (), None)]
    mentions = mentions_of("", None, ["Đồng chí Bí thư Tỉnh ủy Phạm Xuân Thăng yêu cầu.",
                                      "Đồng chí Phạm Xuân Thăng yêu cầu BCĐ khẩn trương."])
    assert [(m.type.value, m.positions) for m in mentions if m.name == "Phạm Xuân Thăng"] == [
        ("official", ("Bí thư Tỉnh ủy",)), ("official", ())]


def test_positions_with_no_name_and_places_that_look_like_names() -> None:
    assert people("Bí thư Tỉnh ủy Hải Dương yêu cầu các cấp ủy; đồng chí Bí thư Tỉnh ủy đề nghị.") == []
    assert people("Chủ tịch UBND tỉnh Thái Bình phát biểu.") == []


def test_old_style_tone_marks_and_lowercase_bodies() -> None:
    assert people("đồng chí Nguyễn Dương Thái, Chủ tịch UBND tỉnh, Trưởng đoàn đại biểu Quốc hội tỉnh, cán bộ") == [
        ("official", "Nguyễn Dương Thái", ("Chủ tịch UBND tỉnh", "Trưởng đoàn đại biểu Quốc hội tỉnh"), "UBND tỉnh")]
    assert people("Đồng chí Phạm Xuân Thăng, Uỷ viên Trung ương Đảng, Bí thư Tỉnh uỷ chủ trì")[0][2] == (
        "Uỷ viên Trung ương Đảng", "Bí thư Tỉnh uỷ")


def test_the_three_position_list_name_first() -> None:
    text = "Đồng chí Phạm Xuân Thăng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu."
    assert people(text) == [
        ("official", "Phạm Xuân Thăng", ("Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"), "Tỉnh ủy")]
