"""Place mentions: provinces, districts and communes as written, each with its post-2025 province."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from transforms.mentions.model import Context, Mention, MentionType, Part, Passage
from transforms.mentions.places import find, key

GOLD = Path(__file__).parent / "fixtures" / "mentions" / "seeds_places_gold.json"
HAI_DUONG_2021 = Context(province="Hải Dương", published=date(2021, 3, 6))


def places(text: str, context: Context = HAI_DUONG_2021) -> list[Mention]:
    passage = Passage(Part.BODY, 3, text)
    found = list(find([passage], context))
    for m in found:  # every span is the text as written, where it says it is
        assert m.type is MentionType.PLACE and m.paragraph == 3
        assert passage.text[m.start:m.start + len(m.text)] == m.text
    return found


def brief(found: list[Mention]) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(m.text, m.level, m.province, m.province_2025) for m in found]


def test_a_seed_sentence_with_level_words_and_a_facility_named_after_a_commune() -> None:
    text = ("Đề án đề nghị công nhận đô thị Thanh Quang, huyện Nam Sách đạt tiêu chí đô thị loại V; Chủ trương "
            "thành lập Cụm công nghiệp Hồng Đức, huyện Ninh Giang; … Dự án đầu tư xây dựng Khu đô thị Phú Quý "
            "(Goldenland), thành phố Hải Dương, giai đoạn 1.")
    assert brief(places(text)) == [
        ("đô thị Thanh Quang", "xã", "Hải Dương", "Hải Phòng"),
        ("huyện Nam Sách", "huyện", "Hải Dương", "Hải Phòng"),
        ("huyện Ninh Giang", "huyện", "Hải Dương", "Hải Phòng"),  # "Cụm công nghiệp Hồng Đức" is no place
        ("thành phố Hải Dương", "thành phố", "Hải Dương", "Hải Phòng"),
    ]


def test_a_seed_list_of_districts_without_level_words() -> None:
    text = ("trước mắt cần ưu tiên cho những người trên tuyến đầu chống dịch, người có nguy cơ cao; các địa phương "
            "có nguy cơ lây nhiễm cao như Chí Linh, Hải Dương, Cẩm Giàng, Kim Thành, kinh Môn và Nam Sách.")
    found = places(text)
    assert [m.name for m in found] == ["Chí Linh", "Hải Dương", "Cẩm Giàng", "Kim Thành", "kinh Môn", "Nam Sách"]
    assert {m.province_2025 for m in found} == {"Hải Phòng"}
    assert [m.level for m in found][:2] == ["thành phố", "thành phố"]  # Hải Dương here is the city, a district


def test_a_seed_district_in_brackets_and_a_bare_province_name() -> None:
    found = places("đề án công nhận đô thị Thanh Quang (Nam Sách) đạt tiêu chí đô thị loại V")
    assert [(m.name, m.level) for m in found] == [("Thanh Quang", "xã"), ("Nam Sách", "huyện")]
    title = places("Quyết tâm, nỗ lực hơn để Hải Dương phát triển thực sự bứt phá")
    assert brief(title) == [("Hải Dương", "tỉnh", "Hải Dương", "Hải Phòng")]


def test_a_province_named_in_a_position_is_a_place_but_a_person_a_newspaper_or_a_battle_is_not() -> None:
    found = places("Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng nói; phong cách Hồ Chí Minh; Báo Bắc Giang "
                   "đưa tin; ông Nguyễn Thái Bình; chiến thắng Điện Biên Phủ; Báo điện tử Hải Dương")
    assert [m.text for m in found] == ["Hải Dương"]
    assert [m.text for m in places("Bắc Giang phát triển; TP. Hồ Chí Minh")] == ["Bắc Giang", "TP. Hồ Chí Minh"]


@pytest.mark.parametrize(("written", "name", "now"), [
    ("tỉnh Hải Dương", "Hải Dương", "Hải Phòng"), ("tỉnh Bắc Giang", "Bắc Giang", "Bắc Ninh"),
    ("tỉnh Thái Bình", "Thái Bình", "Hưng Yên"), ("tỉnh Quảng Nam", "Quảng Nam", "Đà Nẵng"),
    ("tỉnh Bình Thuận", "Bình Thuận", "Lâm Đồng"), ("thành phố Hải Phòng", "Hải Phòng", "Hải Phòng"),
])
def test_a_province_renamed_or_merged_in_2025_maps_to_its_successor(written: str, name: str, now: str) -> None:
    for day in (date(2024, 5, 1), date(2025, 9, 1)):
        (found,) = places(f"Lãnh đạo {written} dự hội nghị.", Context(published=day))
        assert (found.text, found.name, found.province_2025) == (written, name, now)


def test_a_province_written_as_the_old_unit_after_2025() -> None:
    found = places("Nhiều mô hình hay đã được nhân rộng trên địa bàn khu vực tỉnh Hải Dương (cũ).",
                   Context(province="Hải Dương", published=date(2025, 10, 2)))
    assert brief(found) == [("khu vực tỉnh Hải Dương (cũ)", "tỉnh", "Hải Dương", "Hải Phòng")]


def test_both_tone_mark_styles_are_one_place() -> None:
    old, new = places("tỉnh Hòa Bình"), places("tỉnh Hoà Bình")
    assert [m.name for m in old] == ["Hòa Bình"] and [m.name for m in new] == ["Hoà Bình"]  # as written
    assert brief(old)[0][1:] == brief(new)[0][1:] == ("tỉnh", "Hòa Bình", "Phú Thọ")
    assert key("Hoà Bình") == key("HÒA BÌNH") == "hòa bình"


def test_nfd_text_is_matched_and_spans_index_the_text_as_given() -> None:
    text = unicodedata.normalize("NFD", "Tại xã Gia Tân, huyện Gia Lộc, tỉnh Hải Dương")
    found = places(text)  # places() checks every span against the NFD text itself
    assert [unicodedata.normalize("NFC", m.text) for m in found] == ["xã Gia Tân", "huyện Gia Lộc", "tỉnh Hải Dương"]
    assert {m.province_2025 for m in found} == {"Hải Phòng"}


def test_a_commune_name_shared_by_two_provinces_is_resolved_by_the_source_and_by_the_address() -> None:
    # xã Quang Trung exists in Hải Dương (Tứ Kỳ) and in Thái Bình (Kiến Xương, Hưng Hà), among others
    day = date(2024, 4, 1)
    assert brief(places("xã Quang Trung", Context("Hải Dương", day))) == [("xã Quang Trung", "xã", "Hải Dương",
                                                                             "Hải Phòng")]
    assert brief(places("xã Quang Trung", Context("Thái Bình", day))) == [("xã Quang Trung", "xã", "Thái Bình",
                                                                             "Hưng Yên")]
    # the address written after the commune wins over the source's province
    found = places("xã Quang Trung, huyện Kiến Xương, tỉnh Thái Bình", Context("Hải Dương", day))
    assert [m.province_2025 for m in found] == ["Hưng Yên"] * 3
    assert places("xã Quang Trung", Context(published=day))[0].province_2025 is None  # no way to tell


def test_a_district_before_and_after_the_reorganisation() -> None:
    before = places("Tại huyện Gia Lộc, xã Gia Tân", Context("Hải Dương", date(2025, 3, 1)))
    after = places("Tại huyện Gia Lộc (cũ), nay là xã Gia Lộc", Context("Hải Dương", date(2025, 9, 1)))
    assert brief(before) == [("huyện Gia Lộc", "huyện", "Hải Dương", "Hải Phòng"),
                             ("xã Gia Tân", "xã", "Hải Dương", "Hải Phòng")]
    # after 1 July 2025 the text still names the abolished district; the new commune carries its name
    assert brief(after) == [("huyện Gia Lộc (cũ)", "huyện", "Hải Dương", "Hải Phòng"),
                            ("xã Gia Lộc", "xã", "Hải Dương", "Hải Phòng")]


def test_a_name_spelt_otherwise_than_the_package_spells_it() -> None:
    found = places("huyện Mù Cang Chải và huyện Đắk Hà", Context("Yên Bái", date(2024, 1, 5)))
    assert [(m.name, m.province_2025) for m in found] == [("Mù Cang Chải", "Lào Cai"), ("Đắk Hà", "Quảng Ngãi")]


def test_a_level_word_before_a_persons_name_is_no_place() -> None:
    assert places("Phó Chủ tịch UBND tỉnh Phạm Lan Nga phát biểu; kinh tế - xã hội; Xã hội") == []


def test_the_seed_gold_is_found_with_its_post_2025_units() -> None:
    from bench.places_bench import Score, found_pairs, seed_gold
    from replica import seeds
    from replica.world import World

    world, gold, score = World(), seed_gold(GOLD), Score()
    spec_sites = {spec.key: spec.site_id for spec in seeds.SPECS}
    for seed_key, pairs in gold.items():
        site = world.site(spec_sites[seed_key])
        article = seeds.article(site, seed_key)
        passages = [Passage(Part.TITLE, 0, article.title), *([Passage(Part.LEAD, 0, article.lead)]
                    if article.lead else []), *(Passage(Part.BODY, i, p) for i, p in enumerate(article.paragraphs))]
        context = Context(site.province, article.ref.published_at.date())
        score.add(seed_key, found_pairs(find(passages, context)), pairs)
    assert score.tp + score.fn == sum(len(s["places"]) for s in json.loads(GOLD.read_text())["seeds"].values())
    assert score.precision >= 0.95 and score.recall >= 0.90, (score.misses, score.wrong)


def test_the_replicas_districts_and_communes_are_real_units_of_their_provinces() -> None:
    from replica import vocab
    from transforms.mentions.places import loose_key
    from transforms.units import COMMUNE, CURRENT, DISTRICT, LEGACY, all_units

    units = all_units()
    districts = {(u.province, u.level, loose_key(u.name)) for u in units if u.tier == DISTRICT}
    legacy = {(u.province, u.level, u.name) for u in units if u.tier == COMMUNE and u.era == LEGACY}
    current = {(u.province, u.level, u.name) for u in units if u.tier == COMMUNE and u.era == CURRENT}
    for province, rows in vocab.DISTRICTS.items():  # "Đắk Hà" / "Đăk Hà": one unit, two spellings
        assert all((province, kind, loose_key(name)) in districts for kind, name in rows), province
    for province, rows in vocab.LEGACY_COMMUNES.items():
        assert rows and all((province, kind, name) in legacy for kind, name in rows), province
    for province, rows in vocab.COMMUNES_2025.items():
        assert rows and all((province, kind, name) in current for kind, name in rows), province


def test_abbreviations_joined_names_and_the_old_name_of_hue() -> None:
    found = places("UBND TP Hải Dương; TP.HCM; tỉnh Bà Rịa-Vũng Tàu; tỉnh Thừa Thiên Huế",
                   Context(published=date(2024, 6, 1)))
    assert brief(found) == [("TP Hải Dương", "thành phố", "Hải Dương", "Hải Phòng"),
                            ("TP.HCM", "thành phố", "Hồ Chí Minh", "Hồ Chí Minh"),
                            ("tỉnh Bà Rịa-Vũng Tàu", "tỉnh", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
                            ("tỉnh Thừa Thiên Huế", "tỉnh", "Huế", "Huế")]


def test_names_listed_after_one_level_word_when_they_are_units_of_the_article() -> None:
    found = places("Các xã An Bình, Cao An và Hòa Bình đạt chuẩn nông thôn mới.",
                   Context("Hải Dương", date(2024, 6, 1)))
    assert [(m.text, m.level, m.province_2025) for m in found] == [
        ("xã An Bình", "xã", "Hải Phòng"), ("Cao An", "xã", "Hải Phòng"), ("Hòa Bình", "xã", "Hải Phòng")]


def test_a_sentence_opening_word_is_no_part_of_the_name_but_a_surname_is() -> None:
    found = places("Tại Hải Dương, mô hình được nhân rộng. Nguyễn Thái Bình cho biết. Xã Nông thôn mới kiểu mẫu.")
    assert [m.text for m in found] == ["Hải Dương"]
