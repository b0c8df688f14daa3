"""The knowledge tables: mentions, places and figures land with their articles; officials and documents are
rebuilt whole from them, once, and answer the questions researchers ask."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from provnews.settings import Settings
from provnews.stages import knowledge
from provnews.stages.load import load
from provnews.stages.transform import ExtractedArticle, TransformResult
from transforms.mentions.model import Mention, MentionType, Part
from transforms.record import ArticleRecord
from warehouse.views import run_query

DAY = date(2025, 3, 6)
SECRETARY = "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương"
PARAGRAPH = ("Đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương chủ trì. "
             "Tổng thu ngân sách ước đạt 19.290 tỷ đồng, bằng 105% dự toán.")


def official(name: str, positions: tuple[str, ...], start: int = 9) -> Mention:
    return Mention(MentionType.OFFICIAL, f"{name}, {', '.join(positions)}", Part.BODY, 0, start, name=name,
                   positions=positions)


def document(number: str, kind: str = "Nghị quyết") -> Mention:
    return Mention(MentionType.DOCUMENT, f"{kind} số {number}", Part.BODY, 0, 0, kind=kind, number=number,
                   issuer="Bộ Chính trị")


def figure_in(paragraph: str) -> Mention:
    text = "19.290 tỷ đồng"
    return Mention(MentionType.FIGURE, text, Part.BODY, 0, paragraph.index(text), value=19290.0,
                   unit="tỷ đồng", measure="tổng thu ngân sách")


def place(name: str, start: int) -> Mention:
    return Mention(MentionType.PLACE, f"tỉnh {name}", Part.BODY, 0, start, name=name, level="tỉnh",
                   province=name, province_2025="Hải Phòng")


def record(url: str, day: date, *mentions: Mention, paragraph: str = PARAGRAPH) -> ArticleRecord:
    published = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
    return ArticleRecord(url, url, "Bế mạc Hội nghị", None, (paragraph,), published, day, None, (), None, (),
                         None, None, (), None, (), "vi", "test", "generic", mentions=mentions,
                         published_offset="+07:00")


def loaded(settings: Settings, source: str, *records: ArticleRecord) -> None:
    result = TransformResult(source, DAY)
    crawled = datetime(2025, 3, 7, tzinfo=UTC)
    result.records += [ExtractedArticle(source, r, crawled, "raw/x.warc.gz", 0) for r in records]
    load(settings, source, DAY, result)


def test_mentions_places_and_figures_land_beside_their_article(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path)
    loaded(settings, "baohaiduong", record("https://baohaiduong.vn/a.html", DAY, official(
        "Trần Đức Thắng", ("Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Hải Dương")), figure_in(PARAGRAPH),
        place("Hải Dương", 70), place("Hải Dương", 120)))
    kinds = run_query(tmp_path, "SELECT type, count(*) AS n FROM mentions GROUP BY type ORDER BY type")
    assert kinds.to_pylist() == [{"type": "figure", "n": 1}, {"type": "official", "n": 1},
                                 {"type": "place", "n": 2}]
    assert run_query(tmp_path, "SELECT name, province_2025, mentions, month FROM places").to_pylist() == [
        {"name": "Hải Dương", "province_2025": "Hải Phòng", "mentions": 2, "month": "2025-03"}]
    assert run_query(tmp_path, "SELECT value, unit, context FROM figures").to_pylist() == [
        {"value": 19290.0, "unit": "tỷ đồng",
         "context": "Tổng thu ngân sách ước đạt 19.290 tỷ đồng, bằng 105% dự toán."}]


def test_a_re_extracted_article_replaces_its_mentions_and_a_second_load_writes_nothing(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path)
    first = record("https://baohaiduong.vn/a.html", DAY, document("20-NQ/TW"), document("57-NQ/TW"))
    loaded(settings, "baohaiduong", first)
    edited = replace(first, paragraphs=(PARAGRAPH + " Sửa.",), mentions=(document("57-NQ/TW"),))
    loaded(settings, "baohaiduong", edited)
    files = {p: p.stat().st_mtime_ns for p in tmp_path.glob("mentions/**/*.parquet")}
    loaded(settings, "baohaiduong", edited)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.glob("mentions/**/*.parquet")} == files
    assert run_query(tmp_path, "SELECT number FROM mentions").to_pylist() == [{"number": "57-NQ/TW"}]


def test_officials_hold_a_position_over_time_across_spellings_and_sources(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path, sources_dir=Path(__file__).parent.parent / "sources" / "profiles")
    loaded(settings, "baohaiduong",
           record("https://baohaiduong.vn/a.html", date(2025, 3, 1), official("Trần Đức Thắng", ("Bí thư Tỉnh ủy",))),
           record("https://baohaiduong.vn/b.html", date(2025, 3, 20), official("Trần Đức Thắng", ("Bí thư Tỉnh uỷ",))))
    loaded(settings, "tinhuyhaiduong",
           record("https://tinhuy/c.html", date(2025, 3, 9), official("Trần Đức Thắng", ("Bí thư Tỉnh ủy",))))
    counts = knowledge.build(settings)
    assert counts.officials == 1 and "officials" in counts.written
    row = run_query(tmp_path, "SELECT name, position, province_2025, first_seen, last_seen, articles, sources "
                              "FROM officials").to_pylist()
    assert row == [{"name": "Trần Đức Thắng", "position": "Bí thư Tỉnh ủy", "province_2025": "Hải Phòng",
                    "first_seen": date(2025, 3, 1), "last_seen": date(2025, 3, 20), "articles": 3,
                    "sources": ["baohaiduong", "tinhuyhaiduong"]}]
    assert knowledge.build(settings).written == ()  # nothing changed: nothing rewritten


def test_documents_count_the_articles_and_sources_that_cite_them(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path, sources_dir=Path(__file__).parent.parent / "sources" / "profiles")
    loaded(settings, "baohaiduong", record("https://baohaiduong.vn/a.html", DAY, document("57-NQ/TW")),
           record("https://baohaiduong.vn/b.html", DAY, document("57-NQ/TW"), document("64-CTr/TU", "Chương trình")))
    loaded(settings, "tinhuyhaiduong", record("https://tinhuy/c.html", DAY, document("57-NQ/TW")))
    knowledge.build(settings)
    rows = run_query(tmp_path, "SELECT number, province_2025, kind, articles, sources, kind_key FROM documents "
                               "ORDER BY articles DESC").to_pylist()
    assert rows == [{"number": "57-NQ/TW", "province_2025": None, "kind": "Nghị quyết", "articles": 3,
                     "sources": 2, "kind_key": "nghiquyet"},
                    {"number": "64-CTr/TU", "province_2025": "Hải Phòng", "kind": "Chương trình", "articles": 1,
                     "sources": 1, "kind_key": "chuongtrinh"}]


def test_a_provincial_number_is_one_document_per_province_and_a_central_one_is_one_document(
        tmp_path: Path) -> None:
    """Each provincial committee numbers its own resolutions: 143-NQ/TU of Hải Dương and of Cao Bằng differ."""
    settings = Settings(warehouse=tmp_path, sources_dir=Path(__file__).parent.parent / "sources" / "profiles")
    for source, host in (("baohaiduong", "baohaiduong.vn"), ("baocaobang", "baocaobang.vn")):
        loaded(settings, source, record(f"https://{host}/a.html", DAY, document("143-NQ/TU"), document("57-NQ/TW"),
                                        document("2345/QĐ-UBND", "Quyết định")))
    knowledge.build(settings)
    rows = run_query(tmp_path, "SELECT number, province_2025, sources FROM documents "
                               "ORDER BY number, province_2025").to_pylist()
    assert rows == [{"number": "143-NQ/TU", "province_2025": "Cao Bằng", "sources": 1},
                    {"number": "143-NQ/TU", "province_2025": "Hải Phòng", "sources": 1},
                    {"number": "2345/QĐ-UBND", "province_2025": "Cao Bằng", "sources": 1},
                    {"number": "2345/QĐ-UBND", "province_2025": "Hải Phòng", "sources": 1},
                    {"number": "57-NQ/TW", "province_2025": None, "sources": 2}]
