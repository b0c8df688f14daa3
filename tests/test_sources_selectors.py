"""One selector model: every field the extractor reads can be set in a profile's YAML, checked as CSS there."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from provnews.settings import PACKAGE_SOURCES_DIR, Settings
from provnews.stages.transform import load_profile
from sources.config import SourceConfig, SourceConfigError, load_source
from transforms.profile import Profile


def write_selectors(directory: Path, selectors: dict[str, object]) -> Path:
    data = yaml.safe_load((PACKAGE_SOURCES_DIR / "tinhuyhaiduong.yaml").read_text(encoding="utf-8"))
    data["selectors"] = selectors
    path = directory / "tinhuyhaiduong.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_profile_embeds_the_extractors_model() -> None:
    embedded = SourceConfig.model_fields["selectors"].annotation
    assert isinstance(embedded, type) and issubclass(embedded, Profile)
    assert embedded.model_fields.keys() == Profile.model_fields.keys()


def test_every_extractor_field_and_alias_is_settable_in_yaml(tmp_path: Path) -> None:
    path = write_selectors(tmp_path, {"published_at": "span.date", "updated_at": "span.updated", "authors": "p.by",
                                      "views": "span.views", "captions": "figcaption", "remove": "div.share"})
    selectors = load_source(path).selectors
    assert isinstance(selectors, Profile)
    assert (selectors.date, selectors.updated, selectors.author, selectors.view_count, selectors.caption,
            selectors.drop) == ("span.date", "span.updated", "p.by", "span.views", "figcaption", ("div.share",))
    assert load_profile(Settings(sources_dir=tmp_path), "tinhuyhaiduong").profile == selectors  # what extracts


@pytest.mark.parametrize(("selectors", "line"), [
    ({"caption": "figure >"}, "selectors.caption: not a CSS selector: 'figure >'"),
    ({"views": "[["}, "selectors.views: not a CSS selector: '[['"),  # the spelling the file used
    ({"drop": ["div.ok", "p >"]}, "selectors.drop: not a CSS selector: 'p >'"),
    ({"colour": "red"}, "selectors.colour: Extra inputs are not permitted"),
])
def test_a_bad_selector_names_file_and_field(tmp_path: Path, selectors: dict[str, object], line: str) -> None:
    path = write_selectors(tmp_path, selectors)
    with pytest.raises(SourceConfigError) as err:
        load_source(path)
    assert str(err.value).startswith(f"{path}: {line}")


def test_the_extractors_model_takes_any_selector() -> None:
    """The extractor must survive what a hand-built profile gives it; the CSS check is the profile file's."""
    assert Profile(body="[[[", remove="p").drop == ("p",)
