"""Labels of the article: its view count, category and tags."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from transforms import vocabulary
from transforms.furniture import VIEWS
from transforms.page import Page, select, text_of
from transforms.text import match_key

# class substrings, matched literally (one alternation: a scan in C instead of a substring test per token)
_CRUMB = re.compile("|".join(map(re.escape, vocabulary.tokens(vocabulary.CRUMB))))
_TAG_BOX = re.compile("|".join(map(re.escape, vocabulary.tokens(vocabulary.TAG_BOX))))


def _number(text: str) -> int | None:
    digits = re.sub(r"[.,\s]", "", text)
    return int(digits) if digits.isdigit() else None


def view_count(page: Page) -> int | None:
    """The view count: the profile's element, else a count in the header text after the title."""
    root, profile, header = page.root, page.profile, page.header_text
    for el in select(root, profile.view_count):
        m = VIEWS.search(text_of(el))
        value = _number(m.group(1) or m.group(2)) if m else _number(text_of(el))
        if value is not None:
            return value
    m = VIEWS.search(header)
    return _number(m.group(1) or m.group(2)) if m else None


def category(page: Page) -> str | None:
    """The section: the profile's element, the page's declared section, the breadcrumb's last link."""
    root, meta, profile = page.root, page.meta, page.profile
    for el in select(root, profile.category):
        if text := text_of(el):
            return text
    if meta.section:
        return meta.section
    for crumb in _with_class(root, _CRUMB):
        links = [text_of(a) for a in crumb.iter("a") if text_of(a)]
        links = [t for t in links if match_key(t) not in ("trang chủ", "home", "trang chu")]
        if links:
            return links[-1]
    return None


def tags(page: Page) -> tuple[str, ...]:
    """The tags: the profile's element, the declared tags, a tag box's links, the meta keywords."""
    root, meta, profile = page.root, page.meta, page.profile
    for el in select(root, profile.tags):
        links = [text_of(a) for a in el.iter("a") if text_of(a)]
        if links:
            return tuple(links)
    if meta.tags:
        return tuple(meta.tags)
    for box in _with_class(root, _TAG_BOX):
        links = [text_of(a) for a in box.iter("a") if text_of(a)]
        if links:
            return tuple(links)
    return tuple(meta.keywords)


def _with_class(root: lxml_html.HtmlElement, parts: re.Pattern[str]) -> Iterator[lxml_html.HtmlElement]:
    """The elements whose class attribute contains one of the `parts` (XPath's contains(@class, ...)), in page
    order and lazily: the caller stops at the first that serves, and a walk with iter() beats libxml2's XPath
    over the whole page. The caller must not change the tree while it walks."""
    return (el for el in root.iter(etree.Element) if (cls := el.get("class")) and parts.search(cls))
