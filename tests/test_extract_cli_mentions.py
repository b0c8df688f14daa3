"""`provnews extract` prints each record's mentions: the contract other tools read (see `--help`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provnews.cli import main

PAGE = """<html><head><title>Bế mạc Hội nghị Tỉnh ủy</title></head><body><article>
<h1>Bế mạc Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh Hải Dương</h1>
<p>Ngày 6/4/2023, Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh Hải Dương khóa XVII bế mạc.</p>
<p>Phát biểu bế mạc, đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương yêu cầu
thực hiện Nghị quyết số 20-NQ/TW, ngày 16.6.2022 của Ban Chấp hành Trung ương. Tổng thu ngân sách ước đạt
19.290 tỷ đồng, tăng trưởng GRDP đạt 8,6% tại huyện Gia Lộc.</p></article></body></html>"""


def test_each_json_line_carries_the_mentions_with_the_fields_of_their_type(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["extract", f"{page}=https://baohaiduong.vn/chinh-tri/be-mac-20230406.html"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_type: dict[str, list[dict[str, object]]] = {}
    for mention in record["mentions"]:
        by_type.setdefault(str(mention["type"]), []).append(mention)
    [secretary] = by_type["official"]
    assert secretary["name"] == "Trần Đức Thắng"
    assert secretary["positions"] == ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Hải Dương"]
    [resolution] = by_type["document"]
    assert (resolution["kind"], resolution["number"], resolution["date"]) == ("Nghị quyết", "20-NQ/TW", "2022-06-16")
    assert {(m["value"], m["unit"]) for m in by_type["figure"]} >= {(19290.0, "tỷ đồng"), (8.6, "%")}
    # the title names the meeting without its term, the body with it
    assert {(m["part"], m["ordinal"], m["term"]) for m in by_type["meeting"]} == {("title", 14, None),
                                                                                   ("body", 14, "XVII")}
    gia_loc = [m for m in by_type["place"] if m["name"] == "Gia Lộc"]
    assert gia_loc and gia_loc[0]["level"] == "huyện" and gia_loc[0]["province_2025"] == "Hải Phòng"
    for mention in record["mentions"]:  # every span is exactly where it says it is
        text = record["title"] if mention["part"] == "title" else record["paragraphs"][mention["paragraph"]]
        assert text[mention["start"]:mention["start"] + len(mention["text"])] == mention["text"]
