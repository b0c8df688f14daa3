"""The generic extractor on real news pages it was never tuned for (fundus test data, see the README in
tests/fixtures/pages/corpus): title, date, authors and body against fundus's ground truth, with the page's
navigation, footer and captions left out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.extract import extract
from transforms.record import ArticleRecord

PAGES = Path(__file__).parent / "fixtures" / "pages" / "corpus"

CASES = [
    pytest.param(
        "voa_2024_04_28.html",
        "https://www.voanews.com/a/america-s-child-care-crisis-is-holding-back-moms-without-college-degrees-/7585813.html",
        dict(
            title="America's child care crisis is holding back moms without college degrees",
            published=datetime(2024, 4, 28, 7, 0, tzinfo=UTC),
            authors=("Associated Press",),
            language="en",
            first="After a series of lower-paying jobs, Nicole Slemp finally landed one she loved.",
            last="they're not giving us a chance to provide for our kids to be able to do that.\"",
            middle="The school district has no paid medical or parental leave, so Roberts exhausted her sick leave",
            furniture=("Silicon Valley & Technology", "Mike and Jane Roberts tend to their son"),
        ),
        id="voa",
    ),
    pytest.param(
        "motorsportmagazin_2024_04_24.html",
        "https://www.motorsport-magazin.com/superbike/news-288299-superbike-hammer-erklaert-kawasaki-steigt-"
        "ende-2024-aus-und-doch-wieder-nicht/",
        dict(
            title="Superbike-Hammer erklärt: Kawasaki steigt Ende 2024 aus! - und doch wieder nicht",
            published=datetime(2024, 4, 24, 17, 35, tzinfo=UTC),
            authors=("Tobias Mühlbauer",),
            language="de",
            first="Die Superbike-WM erlebt am Mittwoch einen Paukenschlag.",
            last="Als Italiener dürfte er trotzdem interessant für Bimota sein.",
            middle="Kawasaki hilft kräftig mit, aber Bimota nicht komplett 'gebrandetes' Team",
            furniture=("Gesamtwertung", "Startseite"),
        ),
        id="motorsport-magazin",
    ),
    pytest.param(
        "thejapannews_2024_10_13.html",
        "https://japannews.yomiuri.co.jp/politics/politics-government/20241013-216478/",
        dict(
            title="Japan Prime Minister Dodges Criticism During Leaders Debate; Takes Cautious Stance on "
            "Revising Japan-U.S. Pact",
            published=datetime(2024, 10, 13, 8, 41, 47, tzinfo=UTC),  # fundus: 08:41; JSON-LD has the seconds
            authors=("新間",),
            language="en",
            first="Prime Minister Shigeru Ishiba demonstrated his committment to his political view",
            last="showing that he was taking into account the cautious views within the party.",
            middle="During the LDP presidential campaign, Ishiba said",
            furniture=("Our weekly ePaper presents", "participate in a debate hosted by the Japan National"),
        ),
        id="japan-news",
    ),
]


@pytest.mark.parametrize(("name", "url", "want"), CASES)
def test_generic_extractor_on_a_real_page(name: str, url: str, want: dict[str, object]) -> None:
    rec = extract((PAGES / name).read_bytes(), url)

    assert isinstance(rec, ArticleRecord), rec
    assert rec.method == "generic"
    assert rec.title == want["title"]
    assert rec.published_at == want["published"]
    assert rec.authors == want["authors"]
    assert rec.language == want["language"]
    body = rec.body_text
    for key in ("first", "middle", "last"):
        assert str(want[key]) in body, f"{key} paragraph missing"
    for text in want["furniture"]:  # type: ignore[attr-defined]
        assert text not in body, f"page furniture in the body: {text!r}"


def test_captions_of_a_real_page_are_kept_with_their_images_not_in_the_body() -> None:
    url = CASES[0].values[1]
    rec = extract((PAGES / "voa_2024_04_28.html").read_bytes(), str(url))

    assert isinstance(rec, ArticleRecord)
    captions = [image.caption or "" for image in rec.images]
    assert any(c.startswith("FILE - Mike and Jane Roberts tend to their son") for c in captions)
    assert all(image.url.startswith("https://") for image in rec.images)
