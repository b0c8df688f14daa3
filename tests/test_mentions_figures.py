"""Figures: Vietnamese numbers, units, and what they measure."""

from __future__ import annotations

import pytest

from transforms.mentions import MentionType, mentions_of
from transforms.mentions.figures import read_number


def figures(text: str) -> list[tuple[float | None, str | None]]:
    return [(m.value, m.unit) for m in mentions_of("", None, [text]) if m.type is MentionType.FIGURE]


def test_seed_sentence() -> None:
    text = ("Tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 8,6%, đứng thứ 4 trong vùng đồng bằng sông Hồng và "
            "thứ 8 trong toàn quốc. Tổng thu ngân sách nhà nước ước đạt 19.290 tỷ đồng, vượt dự toán 48,4%.")
    assert figures(text) == [(8.6, "%"), (19290.0, "tỷ đồng"), (48.4, "%")]
    measures = [m.measure for m in mentions_of("", None, [text]) if m.type is MentionType.FIGURE]
    assert measures == ["Tổng sản phẩm trên địa bàn tỉnh (GRDP)", "Tổng thu ngân sách nhà nước", "vượt dự toán"]


@pytest.mark.parametrize(("written", "value"), [
    ("19.290", 19290.0), ("8,6", 8.6), ("1.234,5", 1234.5), ("1.234.567", 1234567.0), ("8.6", 8.6), ("12", 12.0)])
def test_numbers_read_the_vietnamese_way(written: str, value: float) -> None:
    assert read_number(written) == value


def test_both_separators_and_the_units() -> None:
    assert figures("Dự án có tổng diện tích 1.234,5 ha, tổng mức đầu tư 2,5 nghìn tỷ đồng.") == [
        (1234.5, "ha"), (2.5, "nghìn tỷ đồng")]
    assert figures("thu hút 45 dự án với tổng vốn 312,4 triệu USD; 1.200 doanh nghiệp, 8.500 lao động, 35 hộ, "
                   "120 căn nhà, 52.000 tấn, 12 km") == [
        (45.0, "dự án"), (312.4, "triệu USD"), (1200.0, "doanh nghiệp"), (8500.0, "lao động"), (35.0, "hộ"),
        (120.0, "căn nhà"), (52000.0, "tấn"), (12.0, "km")]


def test_bare_numbers_dates_and_counts_of_tasks_are_not_figures() -> None:
    assert figures("đã có 44 ý kiến, 17 nhiệm vụ trọng tâm, ngày 16.6.2022, năm 2023, 11/14 chỉ tiêu") == []
    assert figures("tăng 10 % so với cùng kỳ, 5 hai") == [(10.0, "%")]
