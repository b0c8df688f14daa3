"""Gold records: seed-based articles equal their seed text without boilerplate; output is deterministic."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from replica import gold, seeds
from replica.model import Article
from replica.world import World, WorldConfig

PORT = 8123  # only used to build URLs in records; nothing listens on it
SMALL = WorldConfig(seed=11, sites=5, per_day=3, days=4)

# Page furniture seen in the seed files, written independently of replica.seeds' annotation: a line matching
# one of these (in full) is boilerplate, not article text.
BOILERPLATE = [re.compile(p) for p in (
    r"LIÊN KẾT WEBSITE", r">>>.*", r"Các tin mới hơn", r"Các bài liên quan", r"Quay lạiXem tiếp",
    r".+ \(\d{2}/\d{2}/\d{4}\)",  # related-article list items "Title (27/04/2023)"
    r"Thứ \d, \d{2}/\d{2}/\d{4}, \d{2}:\d{2}\[GMT\+7\]",  # page clock (001)
    r"Thứ \w+, ngày \d{1,2}/\d{1,2}/\d{4}",  # page clock (004)
    r"Tin cùng chuyên mục", r"Xem tin theo ngày", r"Xem với cỡ chữ", r"CÁC BÀI VIẾT KHÁC:",
    r"Phản hồi", r"Các tin khác", r"Mới nhất", r"h",
)]
LEAD_IN = re.compile(r"^date \d{4}-\d{2} ")  # "date 2021-12 " glued before seed 002's first sentence
WEEKDAY = {1: "Hai", 2: "Ba", 3: "Tư", 4: "Năm", 5: "Sáu", 6: "Bảy", 7: "Chủ nhật"}


def normalise(line: str) -> str:
    """The one normalisation gold text gets: NFC and whitespace runs (incl. no-break spaces) → one space."""
    return " ".join(unicodedata.normalize("NFC", line).split())


def metadata_lines(rec: dict[str, object]) -> set[str]:
    """The seed lines that carry metadata, rebuilt from the gold record's fields in each site's format."""
    published = datetime.fromisoformat(str(rec["published_at"]))
    lines = {str(rec["category"])}
    if rec["site"] == "haiduonggov":
        lines.add(f"Cập nhật: {published:%d/%m/%Y %I:%M:%S %p}")
    if rec["site"] == "thaibinhtv":
        lines.add(f"Thứ {published.isoweekday() + 1}, {published:%d/%m/%Y | %H:%M:%S}")
    if rec["site"] == "tinhuyhaiduong":
        lines.add(f"Thứ {WEEKDAY[published.isoweekday()]} {published:%d/%m/%Y %H:%M}")
    if rec["view_count"] is not None:
        lines.add(f"{rec['view_count']:,} lượt xem")
    if rec["video"]:
        lines.add(f"Video: {rec['video']}")
    authors = list(rec["authors"])  # type: ignore[call-overload]
    if rec["author_org"]:
        lines.add(f"{authors[0]}- {rec['author_org']}")
    else:
        lines.update(authors)
    lines.update(f"Ảnh: {p}" for p in rec["photographers"])  # type: ignore[attr-defined]
    if rec["origin"]:
        lines.add(f"Nguồn {rec['origin']}")
    return lines


def document_order(article: Article) -> list[str]:
    """Title, lead, then paragraphs, subheadings and image captions as they appear on the page."""
    out = [article.title] + ([article.lead] if article.lead else [])
    for block in article.blocks:
        text = block.image.caption if block.image is not None else block.text
        if text:
            out.append(text)
    return out


@pytest.fixture(scope="module")
def world() -> World:
    return World(SMALL)


@pytest.mark.parametrize("spec", seeds.SPECS, ids=lambda s: s.key)
def test_seed_gold_equals_seed_text_without_boilerplate(world: World, spec: seeds.SeedSpec) -> None:
    site = world.site(spec.site_id)
    article = world.article(site.id, spec.key)
    rec = gold.record(world, site, article, SMALL.end, PORT)

    raw = seeds.read_lines(spec)
    lines = [LEAD_IN.sub("", normalise(line)) for line in raw]
    lines = [line for line in lines if line and not any(p.fullmatch(line) for p in BOILERPLATE)]
    meta = metadata_lines(rec)
    found_meta = [line for line in lines if line in meta]
    text_lines = [line for line in lines if line not in meta]

    expected = document_order(article)
    if spec.supplied_title is not None:  # the saved page lost its headline: the gold title is not seed text
        assert rec["title"] == spec.supplied_title
        assert all(spec.supplied_title not in line for line in raw)
        expected = expected[1:]
    assert text_lines == expected
    # every metadata field the gold record claims was really printed on the page (only seed 000 prints its
    # category), each exactly once
    assert meta - {rec["category"]} <= set(found_meta)
    assert len(found_meta) == len(set(found_meta))
    # and the gold record's text fields are that same text
    assert [rec["title"], rec["lead"]] == [article.title, article.lead]
    assert rec["paragraphs"] == [b.text for b in article.blocks if b.kind in ("p", "h")]
    assert [i["caption"] for i in rec["images"]] == [b.image.caption for b in article.blocks if b.image]


def test_seed_metadata() -> None:
    w = World(SMALL)
    recs = {r["key"]: r for r in gold.records(w, SMALL.end, PORT) if r["seed"]}
    assert sorted(recs) == ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]
    r0, r1, r2, r3, r4 = (recs[f"seed-00{i}"] for i in range(5))
    assert (r0["site"], r0["published_at"], r0["origin"], r0["authors"]) == (
        "haiduonggov", "2023-04-06T20:46:40+07:00", "Báo điện tử Hải Dương", [])
    assert r0["category"] == "Chính trị" and r0["lead"].startswith("Sau 1 ngày làm việc")
    assert (r1["site"], r1["published_at"], r1["authors"], r1["photographers"], r1["view_count"]) == (
        "thaibinhtv", "2023-04-04T16:10:37+07:00", ["Đào Quyên"], ["Thành Tâm"], 20037)
    assert r1["video"] == "040423_-_TAO_DU_DIA_PHAT_TRIEN_MOI.mp4?_t=1680602602"
    assert (r4["site"], r4["published_at"], r4["authors"], r4["author_org"], r4["lead"]) == (
        "tinhuyhaiduong", "2021-03-06T17:49:00+07:00", ["Đình Bộ"], "VPTU", None)
    # the old tone-mark style of the page is kept
    assert r4["title"] == "Ban Thường vụ Tỉnh uỷ tổ chức phiên họp đầu tháng 3/2021"
    assert r2["published_at"].startswith("2021-12-10T") and r3["published_at"].startswith("2021-03-05T")
    assert {r2["site"], r3["site"]} == {"baohaiduong"}
    assert r0["images"][0] == {
        "url": f"http://127.0.0.5:{PORT}/uploads/2023/04/seed-000-1.jpg",
        "caption": "Đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương phát biểu "
                   "bế mạc hội nghị",
    }
    path = w.article("haiduonggov", "seed-000").path
    assert r0["url"] == r0["canonical_url"] == f"http://127.0.0.5:{PORT}{path}"


def test_seed_entities_are_read_off_the_text() -> None:
    w = World(SMALL)
    r0 = gold.record(w, w.site("haiduonggov"), w.article("haiduonggov", "seed-000"), SMALL.end, PORT)
    docs = {d["number"]: d for d in r0["entities"]["documents"]}
    assert docs["56-KL/TW"] == {"text": "Kết luận số 56-KL/TW", "type": "Kết luận", "number": "56-KL/TW",
                                "issuer": "Bộ Chính trị", "date": "2013-02-21"}
    assert docs["924-TB/TU"]["date"] == "2023-02-13"
    assert {"name": "Trần Đức Thắng", "positions": ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Hải Dương"]} in (
        r0["entities"]["officials"])
    r2 = gold.record(w, w.site("baohaiduong"), w.article("baohaiduong", "seed-002"), SMALL.end, PORT)
    assert {"text": "19.290 tỷ đồng", "value": 19290.0, "unit": "tỷ đồng"} in r2["entities"]["figures"]
    assert {"name": "Hải Dương", "province_current": "Hải Phòng"} in r2["entities"]["places"]
    # every numbered Party document in the seed texts is listed
    for spec in seeds.SPECS:
        text = "\n".join(seeds.read_lines(spec))
        numbers = set(re.findall(r"\b\d+-[A-Z][A-Za-z]*/T[UW]\b", text))
        listed = {d.number for d in spec.documents}
        # the related-article lists are boilerplate; no document numbers hide there
        assert numbers == listed, spec.file


def test_a_changed_seed_file_fails_loudly() -> None:
    spec = seeds.spec("seed-004")
    wrong = dataclasses.replace(spec, lines=((1, seeds.Role.BOILER, "Thứ sáu"),) + spec.lines[1:])
    with pytest.raises(seeds.SeedMismatch, match=r"004_ddae4a6f06f62652.txt:1: expected boilerplate"):
        seeds.annotated_lines(wrong)
    missing = dataclasses.replace(spec, lines=spec.lines[:-1])
    with pytest.raises(seeds.SeedMismatch, match=r":30: line has no annotation"):
        seeds.annotated_lines(missing)


def test_seeds_only_on_their_own_sites() -> None:
    big = World(WorldConfig(sites=10, per_day=1, days=1))
    with_seeds = {s.id for s in big.sites if seeds.articles_for(s)}
    assert with_seeds == {"baohaiduong", "tinhuyhaiduong", "haiduonggov", "thaibinhtv"}


def test_gold_file_is_deterministic_json_lines(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    count = gold.write(World(SMALL), SMALL.end, PORT, a)
    assert gold.write(World(SMALL), SMALL.end, PORT, b) == count
    assert a.read_bytes() == b.read_bytes()
    gold.write(World(dataclasses.replace(SMALL, seed=12)), SMALL.end, PORT, c)
    assert a.read_bytes() != c.read_bytes()

    records = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    world = World(SMALL)
    assert count == len(records) == sum(len(world.refs(s.id, SMALL.end)) for s in world.sites)
    assert len({(r["site"], r["key"]) for r in records}) == count
    for rec in records:
        assert rec["published_at"].endswith("+07:00")
        assert date.fromisoformat(rec["published_at"][:10]) <= SMALL.end
        base = world.site(rec["site"]).base_url(PORT)
        assert rec["url"].startswith(base + "/")
        assert all(i["url"].startswith(base + "/uploads/") for i in rec["images"])
        for text in [rec["title"], rec["lead"] or "", *rec["paragraphs"]]:
            assert unicodedata.is_normalized("NFC", text)


def test_gold_for_some_sites_only(tmp_path: Path) -> None:
    world = World(SMALL)
    n = gold.write(world, SMALL.end, PORT, tmp_path / "g.jsonl", sites=["thaibinhtv"])
    rows = [json.loads(x) for x in (tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == len(world.refs("thaibinhtv", SMALL.end))
    assert {r["site"] for r in rows} == {"thaibinhtv"}
    assert {r["category"] for r in rows} <= {c.name for c in world.site("thaibinhtv").categories}
