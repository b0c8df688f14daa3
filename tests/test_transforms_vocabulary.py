"""The name vocabulary: each token written once, each pattern built with the composition it had."""

from __future__ import annotations

from collections import Counter

from transforms import vocabulary


def test_each_token_is_written_once() -> None:
    written = Counter(entry[0] for group in vocabulary.GROUPS for entry in group)
    assert [token for token, n in written.items() if n > 1] == []


def test_patterns_keep_their_own_composition() -> None:
    # a comment box in Vietnamese is furniture to the cleaner and the unlikely sweep, not a link box
    assert vocabulary.BOILER_CLASS.search("box-binh-luan")
    assert vocabulary.UNLIKELY_NAMES.search("box-binh-luan")
    assert not vocabulary.BOX_NAMES.search("box-binh-luan")
    # the lead and byline patterns ignore case, the others read lowercased names
    assert vocabulary.LEAD_CLASS.search("ArticleSapo") and vocabulary.BYLINE_CLASS.search("AuthorName")
    assert not vocabulary.NEGATIVE_NAMES.search("SideBar")
    # the tag box is "tags" in the cleaner and the XPath, a whole word in the scoring
    assert vocabulary.BOILER_CLASS.search("post-tags") and not vocabulary.NEGATIVE_NAMES.search("hashtags")


def test_url_and_role_vocabularies() -> None:
    assert vocabulary.AUTHOR_PAGE.search("https://example.vn/tac-gia/dao-quyen")
    assert vocabulary.SIGNUP_SEGMENT.fullmatch("dang-nhap.html")
    assert not vocabulary.SIGNUP_SEGMENT.fullmatch("dang-ky-tam-tru")
    assert set(vocabulary.UNLIKELY_ROLES) == {"menu", "menubar", "complementary", "navigation", "alert",
                                              "alertdialog", "dialog"}
