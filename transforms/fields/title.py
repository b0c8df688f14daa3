"""The headline: the profile's element, an h1 matching the page's declared title, or the declared title."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from transforms.page import Page, text_of
from transforms.text import match_key

_ERROR_TITLE = re.compile(r"\b404\b|không tìm thấy|not found|trang không tồn tại|lỗi hệ thống|page not found|"
                          r"error\s*\d{3}|\b50[0-3]\b", re.IGNORECASE)


def error_title(page: Page) -> str | None:
    """The title that says the page is an error page (404, "không tìm thấy", ...), or None."""
    title, html_title = page.title[1], page.meta.html_title
    if title and _ERROR_TITLE.search(title) or html_title and _ERROR_TITLE.search(html_title):
        return title or html_title
    return None


def find_title(page: Page) -> tuple[lxml_html.HtmlElement | None, str | None]:
    root, meta = page.root, page.meta
    for el in page.select(page.profile.title):
        text = text_of(el)
        if text:
            return el, text
    hint = meta.title or meta.headline
    h1s = [el for el in root.iter("h1") if text_of(el)]
    if hint:
        key = match_key(hint)
        for el in h1s:
            if match_key(text_of(el)) == key:
                return el, text_of(el)
        for el in root.iter("h1", "h2", "h3", "div", "span", "p"):
            if not el.text:
                continue
            size = len(el.text_content())  # whitespace may pad it; only far-off sizes are skipped unkeyed
            if len(hint) // 2 <= size <= 3 * len(hint) + 50 and match_key(text_of(el)) == key:
                return el, text_of(el)
    if h1s:
        # the first h1 that is not the site logo
        for el in h1s:
            if not el.xpath(".//img") and len(text_of(el)) > 10:
                return el, text_of(el)
    title = hint or _strip_site(meta.html_title, meta.site_name)
    return _element_with_text(root, title), title


def _element_with_text(root: lxml_html.HtmlElement, text: str | None) -> lxml_html.HtmlElement | None:
    """The first block element whose whole text is `text` (the title's anchor for the date search)."""
    if not text:
        return None
    key = match_key(text)
    for el in root.iter("h1", "h2", "h3", "h4", "div", "p", "span", "td", "strong", "a"):
        content = el.text_content()
        if len(content) < 2 * len(text) + 20 and match_key(content) == key and el.getparent() is not None \
                and el.tag != "title":
            return el
    return None


def _strip_site(title: str | None, site_name: str | None) -> str | None:
    if not title:
        return None
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            head = title.rsplit(sep, 1)[0].strip()
            if len(head) > 10:
                return head
    return title
