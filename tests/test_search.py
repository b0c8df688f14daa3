"""`provnews search`: title and lead (--body: and body), diacritics-insensitive, NFD-proof, newest first,
filtered by source and day."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from provnews.cli import main
from provnews.commands.search import search_sql
from transforms.text import search_fold
from warehouse.views import run_query
from warehouse.writer import upsert_articles


def article(source: str, n: int, day: date, title: str, paragraphs: list[str], lead: str = "") -> dict[str, Any]:
    url = f"https://{source}.vn/tin/{n}.html"
    return {"article_id": hashlib.sha1(url.encode()).hexdigest(), "url": url, "title": title, "lead": lead,
            "paragraphs": paragraphs, "published_at": datetime(day.year, day.month, day.day, 2, n, tzinfo=UTC),
            "published_date": day, "crawled_at": datetime(2026, 11, 21, tzinfo=UTC)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sources; 'nông thôn mới' in a title, a lead, a body (NFD), in capitals, and in none of the others."""
    root = tmp_path_factory.mktemp("search")
    upsert_articles(root, "baobacgiang", pa.Table.from_pylist([
        article("baobacgiang", 1, date(2026, 3, 2), "Xây dựng nông thôn mới ở Lục Ngạn", ["Vải thiều được mùa."]),
        article("baobacgiang", 2, date(2026, 5, 9), "Tin kinh tế", ["Mở đầu.",
                unicodedata.normalize("NFD", "Huyện Yên Thế về đích Nông thôn mới nâng cao.")]),
        article("baobacgiang", 3, date(2026, 7, 1), "Giao thông", ["Đường tỉnh 398 được mở rộng."]),
    ]))
    upsert_articles(root, "baohaiduong", pa.Table.from_pylist([
        article("baohaiduong", 1, date(2026, 4, 20), "Hội nghị", ["Nội dung."], lead="NÔNG THÔN MỚI kiểu mẫu"),
        article("baohaiduong", 2, date(2026, 6, 30), "Đồng Hới đổi mới", ["Đô thị văn minh."]),
    ]))
    return root


def search(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           *args: str) -> list[dict[str, Any]]:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(root))
    assert main(["search", *args, "--format", "json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in rows]


def test_the_phrase_matches_with_or_without_diacritics_in_title_and_lead_newest_first(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    expected = ["Hội nghị", "Xây dựng nông thôn mới ở Lục Ngạn"]  # April (in the lead), March (in the title)
    assert titles(search(warehouse, monkeypatch, capsys, "nông thôn mới")) == expected
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi")) == expected
    assert titles(search(warehouse, monkeypatch, capsys, "NÔNG  THÔN MỚI")) == expected
    nfd = unicodedata.normalize("NFD", "nông thôn mới")
    assert titles(search(warehouse, monkeypatch, capsys, nfd)) == expected


def test_body_also_matches_the_paragraphs_in_any_case_and_in_nfd(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    expected = ["Tin kinh tế", "Hội nghị", "Xây dựng nông thôn mới ở Lục Ngạn"]  # May: "Nông thôn mới", NFD
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi", "--body")) == expected
    assert titles(search(warehouse, monkeypatch, capsys, "NÔNG THÔN MỚI", "--body")) == expected
    assert titles(search(warehouse, monkeypatch, capsys, "duong tinh 398", "--body")) == ["Giao thông"]
    assert search(warehouse, monkeypatch, capsys, "duong tinh 398") == []  # the body only
    assert titles(search(warehouse, monkeypatch, capsys, "mo dau. huyen", "--body")) == []  # two paragraphs


def test_d_with_stroke_folds_to_d(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert search_fold("Đồng Hới") == "dong hoi"
    assert titles(search(warehouse, monkeypatch, capsys, "dong hoi")) == ["Đồng Hới đổi mới"]
    assert titles(search(warehouse, monkeypatch, capsys, "duong tinh 398", "--body")) == ["Giao thông"]


def test_source_since_until_and_limit_narrow_the_result(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi", "--source", "baohaiduong")) == ["Hội nghị"]
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi", "--since", "2026-04-20", "--body")) == [
        "Tin kinh tế", "Hội nghị"]
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi", "--until", "2026-04-19")) == [
        "Xây dựng nông thôn mới ở Lục Ngạn"]
    assert titles(search(warehouse, monkeypatch, capsys, "nong thon moi", "--limit", "1")) == ["Hội nghị"]
    assert search(warehouse, monkeypatch, capsys, "tàu vũ trụ") == []


def test_the_table_and_csv_formats_show_the_same_articles(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(warehouse))
    assert main(["search", "nong thon moi", "--source", "baohaiduong"]) == 0
    out = capsys.readouterr().out
    assert "published_at" in out and "Hội nghị" in out and "(1 row)" in out
    assert main(["search", "luc ngan", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == '"published_at","source","title","url"'


def test_like_wildcards_in_the_phrase_match_only_themselves(warehouse: Path) -> None:
    assert run_query(warehouse, search_sql("n%i")).num_rows == 0
    assert run_query(warehouse, search_sql("o_ng")).num_rows == 0
    assert run_query(warehouse, search_sql("it's")).num_rows == 0  # quoted, not an SQL error
    assert run_query(warehouse, search_sql("n.ng", body=True)).num_rows == 0  # a dot is a dot, not any letter
    assert run_query(warehouse, search_sql("it's (", body=True)).num_rows == 0


@pytest.mark.parametrize(("args", "message"), [
    (["   "], "argument phrase: nothing to search for"),
    (["x", "--since", "2026-13-01"], "argument --since: not a date (YYYY-MM-DD): '2026-13-01'"),
    (["x", "--since", "20260101"], "argument --since: not a date"),
    (["x", "--limit", "0"], "argument --limit: not a positive whole number: '0'"),
    (["x", "--source", "../etc"], "argument --source"),
    (["x", "--since", "2026-05-01", "--until", "2026-04-01"], "argument --until: 2026-04-01 is before --since"),
    (["x", "--format", "parquet"], "argument --format: invalid choice"),
])
def test_bad_arguments_are_one_line_and_exit_2(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], args: list[str],
                                               message: str) -> None:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(warehouse))
    try:
        code = main(["search", *args])  # argparse errors exit; a UsageError is returned as the exit code
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
