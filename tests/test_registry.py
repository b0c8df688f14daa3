"""The registry of real provincial sites: every profile valid and disabled, every province covered, the mapping
taken from vietnamadminunits, and `provnews sources enable/disable` writing only the user's own directory."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from crawler.settings import crawl_settings
from provnews.cli import main
from provnews.settings import PACKAGE_REGISTRY_DIR, PACKAGE_SOURCES_DIR
from sources.config import Kind, SourceConfig, SourceConfigError, load_source, load_sources, read_sources
from transforms.units import (
    COMMUNE,
    CURRENT,
    DISTRICT,
    LEGACY,
    all_units,
    current_unit,
    current_units,
    legacy_unit,
    legacy_units,
    successors,
)


@pytest.fixture(scope="module")
def registry() -> dict[str, SourceConfig]:
    return load_sources(PACKAGE_REGISTRY_DIR)


def test_every_registry_profile_validates_ships_disabled_and_says_what_it_is_based_on(
        registry: dict[str, SourceConfig]) -> None:
    sources, errors = read_sources(PACKAGE_REGISTRY_DIR)
    assert errors == {}
    assert len(sources) == len(list(PACKAGE_REGISTRY_DIR.glob("*.yaml"))) >= 97
    for source in registry.values():
        assert not source.enabled, source.id
        assert source.provenance is not None and source.provenance.verified is False, source.id
        assert len(source.provenance.evidence) > 40, source.id
        assert source.language == "vi" and source.discovery.robots_sitemaps, source.id
        assert source.politeness.obey_robots and source.politeness.download_delay >= 1.0, source.id
    dated = [s for s in registry.values() if s.provenance and s.provenance.as_of]
    assert len(dated) >= 100  # the rest come from undated lists, and their evidence says so
    assert all("undated" in (s.provenance.evidence if s.provenance else "") or "no date" in
               (s.provenance.evidence if s.provenance else "") for s in registry.values() if s not in dated)


def test_registry_ids_never_shadow_a_replica_profile(registry: dict[str, SourceConfig]) -> None:
    assert not set(registry) & set(load_sources(PACKAGE_SOURCES_DIR))


def test_each_of_the_34_current_units_has_its_party_newspaper_and_peoples_committee_portal(
        registry: dict[str, SourceConfig]) -> None:
    kinds: dict[str, set[Kind]] = defaultdict(set)
    for source in registry.values():
        if legacy_unit(source.province.as_written) == source.province.current:  # the unit's own, not a merged one's
            kinds[source.province.current].add(source.kind)
    assert set(kinds) == set(current_units())
    for unit in current_units():
        assert {Kind.PARTY_NEWSPAPER, Kind.PEOPLES_COMMITTEE_PORTAL} <= kinds[unit], unit
    assert sum(s.kind is Kind.RADIO_TV for s in registry.values()) >= 2
    assert any(s.kind is Kind.PARTY_COMMITTEE_PORTAL for s in registry.values())


@pytest.mark.slow
def test_each_of_the_63_old_provinces_has_its_portal_for_the_archives(registry: dict[str, SourceConfig]) -> None:
    from vietnamadminunits import ParseMode, parse_address

    portals = [s for s in registry.values() if s.kind is Kind.PEOPLES_COMMITTEE_PORTAL]
    covered = {legacy_unit(s.province.as_written) for s in portals}
    assert covered == set(legacy_units()) and len(legacy_units()) == 63
    for source in portals:  # the package's own parser reads the names as written the same way
        parsed = parse_address(source.province.as_written, mode=ParseMode.LEGACY, level=1)
        assert parsed.short_province == legacy_unit(source.province.as_written), source.id


def test_the_units_are_the_packages_own() -> None:
    """transforms.units reads the package's data files; its API must say the same."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import get_data

    assert set(current_units()) == {r["provinceShort"] for r in get_data(["provinceShort"], "admin_units")}
    assert set(legacy_units()) == {r["provinceShort"] for r in get_data(["provinceShort"], "admin_units_legacy")}
    for row in get_data(["province", "provinceShort"], "admin_units_legacy"):
        assert successors()[row["provinceShort"]] == convert_address(row["province"]).short_province
    assert successors()["Hải Dương"] == "Hải Phòng" and successors()["Thái Bình"] == "Hưng Yên"
    assert current_unit("TP Hồ Chí Minh") == current_unit("ho chi minh") == "Hồ Chí Minh"
    assert legacy_unit("Thừa Thiên Huế") == "Huế" and legacy_unit("Hoà Bình") == "Hòa Bình"


def test_the_districts_and_communes_are_the_packages_own() -> None:
    """transforms.units.all_units lists every district and commune of both eras as the package's API does,
    each under the post-2025 province the package's converter gives."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import get_data

    units = all_units()
    legacy = get_data(["province", "district", "ward", "provinceShort", "districtShort", "wardShort", "wardType"],
                      "admin_units_legacy")
    current = get_data(["provinceShort", "wardShort", "wardType"], "admin_units")

    def short(name: str) -> str:
        return name.split(" (")[0]  # the package's "Cai Lậy (Huyện)"

    assert {(u.province, u.name) for u in units if u.tier == DISTRICT} == {
        (r["provinceShort"], short(r["districtShort"])) for r in legacy}
    assert sorted((u.province, u.district, u.name, u.level) for u in units if u.tier == COMMUNE and u.era == LEGACY) \
        == sorted((r["provinceShort"], short(r["districtShort"]), short(r["wardShort"]), r["wardType"].lower())
                  for r in legacy if r["wardShort"])
    assert sorted((u.province_2025, u.name, u.level) for u in units if u.tier == COMMUNE and u.era == CURRENT) == \
        sorted((r["provinceShort"], short(r["wardShort"]), r["wardType"].lower()) for r in current)
    communes = {(u.province, u.district, u.name): u for u in units if u.tier == COMMUNE and u.era == LEGACY}
    for row in legacy[::250]:  # the converter, on 41 old communes across the country
        if row["ward"]:
            unit = communes[(row["provinceShort"], short(row["districtShort"]), short(row["wardShort"]))]
            address = f"{row['ward']}, {row['district']}, {row['province']}"
            assert unit.province_2025 == convert_address(address).short_province, address
    gia_loc = [u for u in units if u.name == "Gia Lộc" and u.province == "Hải Dương"]
    assert {(u.tier, u.era, u.level, u.province_2025) for u in gia_loc} == {
        (DISTRICT, LEGACY, "huyện", "Hải Phòng"), (COMMUNE, LEGACY, "thị trấn", "Hải Phòng"),
        (COMMUNE, CURRENT, "xã", "Hải Phòng")}  # the district, its seat town, and the 2025 commune named after it


def profile(**changes: object) -> dict[str, object]:
    data = yaml.safe_load((PACKAGE_REGISTRY_DIR / "baohaiduong-vn.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[leaf] = value
    return data


@pytest.mark.parametrize(("changes", "line"), [
    ({"province__current": "Hải Dương"},
     "province.current: 'Hải Dương' is not one of the 34 provinces and cities since 1 July 2025 (vietnamadminunits)"),
    ({"province__current": "TP Hải Phòng"}, "province.current: 'TP Hải Phòng' is not one of the 34 provinces and "
     "cities since 1 July 2025 (vietnamadminunits); write 'Hải Phòng'"),
    ({"province__current": "Hưng Yên"},
     "province: as_written 'Hải Dương' is part of 'Hải Phòng' since 1 July 2025, not 'Hưng Yên' (vietnamadminunits)"),
    ({"selectors__body": "div.fck >"}, "selectors.body: not a CSS selector: 'div.fck >'"),
    ({"provenance__verified": "perhaps"}, "provenance.verified: Input should be a valid boolean"),
    ({"language": "Vietnamese"}, "language: String should match pattern"),
])
def test_a_bad_registry_profile_is_one_line_naming_file_and_field(tmp_path: Path, changes: dict[str, object],
                                                                  line: str) -> None:
    path = tmp_path / "baohaiduong-vn.yaml"
    path.write_text(yaml.safe_dump(profile(**changes), allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceConfigError) as err:
        load_source(path)
    assert str(err.value).count("\n") == 0
    assert str(err.value).startswith(f"{path}: {line}")


def test_provenance_needs_its_date_even_when_there_is_none(tmp_path: Path) -> None:
    data = profile()
    del data["provenance"]["as_of"]  # type: ignore[attr-defined]
    path = tmp_path / "baohaiduong-vn.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceConfigError, match=r"baohaiduong-vn\.yaml: provenance\.as_of: Field required$"):
        load_source(path)


def test_older_kind_spellings_still_load(tmp_path: Path) -> None:
    data = profile(kind="tv")
    path = tmp_path / "baohaiduong-vn.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_source(path).kind is Kind.RADIO_TV


def test_real_sites_are_fetched_at_most_once_a_second_with_robots_and_a_contact(
        registry: dict[str, SourceConfig]) -> None:
    settings = crawl_settings(registry["baonghean-vn"], contact="mailto:ops@example.org")
    assert settings["ROBOTSTXT_OBEY"] is True and settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    # Scrapy waits DOWNLOAD_DELAY x (1 ± jitter) between two requests of one host: never under a second
    assert settings["DOWNLOAD_DELAY"] * (1 - settings["DOWNLOAD_DELAY_JITTER"]) == pytest.approx(1.0)
    assert settings["USER_AGENT"] == "provnews/0.1 (+https://github.com/provnews; mailto:ops@example.org)"


def test_a_real_site_is_not_crawled_without_a_contact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.run import main as crawl_main

    code = crawl_main(["--source", "baonghean-vn", "--date", "2025-08-01", "--warehouse", str(tmp_path),
                       "--sources-dir", str(PACKAGE_REGISTRY_DIR), "--run-id", "r1",
                       "--stats-out", str(tmp_path / "stats.json")])
    assert code == 2
    assert "error: source 'baonghean-vn' is a real site: set PROVNEWS_CONTACT" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing fetched, nothing written


def test_the_crawl_stage_refuses_a_real_site_without_a_contact_before_starting_scrapy(tmp_path: Path) -> None:
    from datetime import date

    from provnews.settings import Settings
    from provnews.stages.crawl import crawl

    settings = Settings(sources_dir=PACKAGE_REGISTRY_DIR, warehouse=tmp_path)
    result = crawl(settings, "baonghean-vn", date(2025, 8, 1))
    assert not result.ok and result.returncode == 2
    assert result.problems == ["PROVNEWS_CONTACT is not set: a real site is crawled only with a contact (e-mail "
                               "address or URL) in the User-Agent"]
    assert not any(tmp_path.rglob("*.warc.gz"))


def sources(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["sources", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_enable_and_disable_round_trip_in_the_users_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "sources"
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(own))
    shipped = {p.name: p.read_bytes() for p in PACKAGE_REGISTRY_DIR.glob("*.yaml")}

    code, out = sources(monkeypatch, capsys, "enable", "--province", "hai phong")  # accents optional
    assert code == 0, out
    enabled = load_sources(own)
    assert set(enabled) == {s.id for s in load_sources(PACKAGE_REGISTRY_DIR).values()
                            if s.province.current == "Hải Phòng"}
    assert {"baohaiphong-com-vn", "haiphong-gov-vn", "baohaiduong-vn", "haiduong-gov-vn"} <= set(enabled)
    assert all(s.enabled for s in enabled.values())
    assert "7 profiles enabled in" in out

    # a note of the user's own survives disable and enable: only the enabled: line is written
    note = own / "haiduong-gov-vn.yaml"
    note.write_text("# checked by hand\n" + note.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = sources(monkeypatch, capsys, "disable", "--province", "Hải Dương", "--kind", "peoples_committee_portal")
    assert code == 0 and "1 profile disabled" in out, out
    assert not load_source(note).enabled and note.read_text(encoding="utf-8").startswith("# checked by hand\n")
    assert load_source(own / "baohaiduong-vn.yaml").enabled  # the other Hải Dương kind stays on

    code, out = sources(monkeypatch, capsys, "list", "--all")
    assert code == 0, out
    line = next(row for row in out.splitlines() if row.startswith("haiduong-gov-vn "))
    assert line.split()[-3:] == ["no", "no", "sources"]  # verified, enabled, where
    assert "34 of 34 current provinces, 63 of 63 old ones" in out

    code, out = sources(monkeypatch, capsys, "enable", "haiduong-gov-vn", "baonghean-vn")
    assert code == 0 and load_source(note).enabled and load_source(own / "baonghean-vn.yaml").enabled, out
    assert {p.name: p.read_bytes() for p in PACKAGE_REGISTRY_DIR.glob("*.yaml")} == shipped


def test_enable_refuses_the_shipped_directories_and_unknown_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(PACKAGE_SOURCES_DIR))
    code, out = sources(monkeypatch, capsys, "enable", "baonghean-vn")
    assert code == 2 and "holds the shipped replica profiles: point it at a directory of your own" in out
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(tmp_path))
    code, out = sources(monkeypatch, capsys, "enable", "--province", "Atlantis")
    assert code == 2 and "no profile matches --province 'Atlantis'" in out
    code, out = sources(monkeypatch, capsys, "enable", "nosuchsite")
    assert code == 2 and "argument ID: no profile 'nosuchsite'" in out
    code, out = sources(monkeypatch, capsys, "disable")
    assert code == 2 and "name profiles by ID, --province or --kind" in out
    assert list(tmp_path.iterdir()) == []


def test_show_finds_a_registry_profile_and_prefers_the_users_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(tmp_path / "sources"))
    code, out = sources(monkeypatch, capsys, "show", "haiphong-gov-vn")
    assert code == 0 and "id: haiphong-gov-vn" in out and "enabled: false" in out, out
    assert sources(monkeypatch, capsys, "enable", "haiphong-gov-vn")[0] == 0
    code, out = sources(monkeypatch, capsys, "show", "haiphong-gov-vn")  # now the enabled copy in the user's dir
    assert code == 0 and "enabled: true" in out, out
