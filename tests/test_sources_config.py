"""Source profiles: the shipped ones validate, bad ones are refused with the file and the field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from provnews.cli import main
from provnews.settings import PACKAGE_SOURCES_DIR
from sources.config import (
    Kind,
    PaginateStyle,
    SourceConfigError,
    find_source,
    load_source,
    load_sources,
)


def good_profile() -> dict[str, object]:
    return yaml.safe_load((PACKAGE_SOURCES_DIR / "tinhuyhaiduong.yaml").read_text(encoding="utf-8"))


def write(directory: Path, name: str, data: object) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_eight_replica_sources_load() -> None:
    sources = load_sources(PACKAGE_SOURCES_DIR)
    assert set(sources) == {"baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv",
                            "quangnamgov", "baocaobang", "baobinhthuan"}
    webforms = sources["quangnamgov"].discovery
    assert len(webforms.feeds) == 2  # its listings' older pages only by posting the form back:
    assert all(li.paginate is not None and li.paginate.style is PaginateStyle.POSTBACK and li.paginate.selector is None
               for li in webforms.listings)
    assert sources["baobinhthuan"].discovery.sitemaps == ["http://127.0.0.9:8377/sitemap.xml"]
    assert sources["baocaobang"].selectors.body == "#cotent_detail"  # the site's own spelling
    gov = sources["haiduonggov"]
    assert gov.kind is Kind.PEOPLES_COMMITTEE_PORTAL and gov.discovery.robots_sitemaps
    assert gov.province.as_written == "Hải Dương" and gov.province.current == "Hải Phòng"
    assert gov.allowed_domains == ["127.0.0.5"]
    party = sources["tinhuyhaiduong"].discovery.listings[0].paginate
    assert party is not None and party.style is PaginateStyle.QUERY and party.param == "page"
    assert sources["baohaiduong"].article_re.search(
        "http://127.0.0.2:8377/chinh-tri/quyet-tam-no-luc-hon-20261005-03.html")


def test_a_wrong_type_names_file_and_field(tmp_path: Path) -> None:
    data = good_profile()
    data["id"] = "x"
    data["discovery"]["listings"][0]["paginate"]["max_pages"] = "many"  # type: ignore[index]
    path = write(tmp_path, "x", data)
    with pytest.raises(SourceConfigError) as err:
        load_source(path)
    assert str(err.value).startswith(f"{path}: discovery.listings.0.paginate.max_pages: Input should be a valid "
                                     "integer")


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda d: d.update(colour="red"), "colour", "Extra inputs are not permitted"),
    (lambda d: d.update(kind="blog"), "kind", "Input should be 'party_newspaper'"),
    (lambda d: d.update(article_url_pattern="([a-z"), "article_url_pattern", "not a valid regular expression"),
    (lambda d: d.update(start_urls=["/relative"]), "start_urls", "not an absolute http(s) URL"),
    (lambda d: d["discovery"]["listings"][0]["paginate"].pop("param"), "discovery.listings.0.paginate",
     "style 'query' needs 'param'"),
    (lambda d: d["province"].pop("current"), "province.current", "Field required"),
    (lambda d: d.update(discovery={}), "discovery", "give at least one of"),
    (lambda d: d["politeness"].update(concurrency=0), "politeness.concurrency", "greater than or equal to 1"),
    (lambda d: d.update(revisit_days=-1), "revisit_days", "greater than or equal to 0"),
])
def test_bad_fields_are_refused(tmp_path: Path, change: object, field: str, message: str) -> None:
    data = good_profile()
    change(data)  # type: ignore[operator]
    path = write(tmp_path, "tinhuyhaiduong", data)
    with pytest.raises(SourceConfigError) as err:
        load_source(path)
    assert f"{path}: {field}" in str(err.value)
    assert message in str(err.value)


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "other", good_profile())
    with pytest.raises(SourceConfigError, match=r"other.yaml: id: 'tinhuyhaiduong' must match the file name"):
        load_source(path)


def test_every_error_of_a_file_is_listed_at_once(tmp_path: Path) -> None:
    data = good_profile()
    data.update(kind="blog", colour="red")
    data["politeness"]["concurrency"] = 0  # type: ignore[index]
    path = write(tmp_path, "other", data)
    with pytest.raises(SourceConfigError) as err:
        load_source(path)
    assert str(err.value).splitlines() == [
        f"{path}: id: 'tinhuyhaiduong' must match the file name 'other'",
        f"{path}: kind: Input should be 'party_newspaper', 'newspaper', 'party_committee_portal', "
        "'peoples_committee_portal' or 'radio_tv'",
        f"{path}: politeness.concurrency: Input should be greater than or equal to 1",
        f"{path}: colour: Extra inputs are not permitted",
    ]


def test_broken_yaml_and_unknown_ids_are_clear(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceConfigError) as err:
        load_sources(tmp_path)
    assert str(err.value) == (f"{tmp_path / 'broken.yaml'}: (file): not valid YAML: line 2, column 1: expected ',' "
                              "or ']', but got '<stream end>' (while parsing a flow sequence from line 1)")
    with pytest.raises(SourceConfigError, match=r"no source 'nope' in .* \(known: broken\)"):
        find_source(tmp_path, "nope")


def test_sources_cli_lists_shows_and_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(PACKAGE_SOURCES_DIR))
    assert main(["sources", "list"]) == 0
    listing = capsys.readouterr().out
    assert "haiduonggov" in listing and "robots sitemaps" in listing and "Thái Bình (Hưng Yên)" in listing
    assert "5 feeds, 1 sitemap, 4 listings" in listing  # baohaiduong: a count of one is singular

    assert main(["sources", "show", "ubndbacgiang"]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["politeness"]["user_agent"].startswith("provnews/0.1")

    assert main(["sources", "validate"]) == 0
    assert "8 valid, 0 invalid" in capsys.readouterr().out

    data = good_profile()
    data["politeness"]["download_delay"] = -1  # type: ignore[index]
    bad = write(tmp_path, "tinhuyhaiduong", data)
    assert main(["sources", "validate", str(bad)]) == 1
    assert f"{bad}: politeness.download_delay: Input should be greater than or equal to 0" in capsys.readouterr().out


def test_validate_reports_every_file_and_goes_on_past_unreadable_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(tmp_path))
    (tmp_path / "a_latin1.yaml").write_bytes("name: Thái Bình\n".encode("latin-1"))
    (tmp_path / "b_broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    data = good_profile()
    data["politeness"].update(concurrency=0, download_delay=-1)  # type: ignore[attr-defined]
    write(tmp_path, "c_bad", data)
    write(tmp_path, "tinhuyhaiduong", good_profile())
    assert main(["sources", "validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}/a_latin1.yaml: (file): not UTF-8 text: byte 0xe1 at offset 8",
        f"{tmp_path}/b_broken.yaml: (file): not valid YAML: line 2, column 1: expected ',' or ']', but got "
        "'<stream end>' (while parsing a flow sequence from line 1)",
        f"{tmp_path}/c_bad.yaml: id: 'tinhuyhaiduong' must match the file name 'c_bad'",
        f"{tmp_path}/c_bad.yaml: politeness.download_delay: Input should be greater than or equal to 0",
        f"{tmp_path}/c_bad.yaml: politeness.concurrency: Input should be greater than or equal to 1",
        f"{tmp_path}/tinhuyhaiduong.yaml: ok (tinhuyhaiduong)",
        "1 valid, 3 invalid",
    ]
