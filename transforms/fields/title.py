"""The headline: the article's own heading, found by the profile, or by the page's declared title as evidence.

og:title, the JSON-LD headline and the <title> say which element the heading is; they are the answer only when
the page holds no such element. A menu, portlet title bar, breadcrumb or category heading is never the title,
even where the evidence names it (a portal's <title> is often the category's).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from transforms import vocabulary
from transforms.furniture import is_chrome
from transforms.generic import text_content
from transforms.metadata import PageMeta
from transforms.page import Page, text_of
from transforms.text import match_key

_ERROR_TITLE = re.compile(r"\b404\b|không tìm thấy|not found|trang không tồn tại|lỗi hệ thống|page not found|"
                          r"error\s*\d{3}|(?<![\d.,])\b50[0-3]\b", re.IGNORECASE)
_TITLE_PART = re.compile(r"\s[|\-–—:·»]\s")  # the separators between a <title>'s parts


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
    if hint and (hinted := _hinted(root, h1s, hint)) is not None:
        return hinted, text_of(hinted)
    if not hint and (named := _page_title_heading(root, meta)) is not None:
        return named, text_of(named)
    # the first h1 that is not the site logo nor the portal's chrome
    for el in h1s:
        if not el.xpath(".//img") and len(text_of(el)) > 10 and not is_chrome(el):
            return el, text_of(el)
    if not hint and (named := _title_classed(root)) is not None:
        return named, text_of(named)
    title = hint or _strip_site(meta.html_title, meta.site_name)
    return _element_with_text(root, title), title


def _hinted(root: lxml_html.HtmlElement, h1s: list[lxml_html.HtmlElement],
            hint: str) -> lxml_html.HtmlElement | None:
    """The heading whose text is the declared title: an h1 first, then a heading-sized block, outside the chrome."""
    key = match_key(hint)
    for el in h1s:
        if match_key(text_of(el)) == key and not is_chrome(el):
            return el
    for el in root.iter("h1", "h2", "h3", "div", "span", "p"):
        if not el.text:
            continue
        size = len(text_content(el))  # whitespace may pad it; only far-off sizes are skipped unkeyed
        if len(hint) // 2 <= size <= 3 * len(hint) + 50 and match_key(text_of(el)) == key and not is_chrome(el):
            return el
    return None


def _page_title_heading(root: lxml_html.HtmlElement, meta: PageMeta) -> lxml_html.HtmlElement | None:
    """The element whose text is one part of the <title> ("Bình Thuận Online - Headline", "Headline - Site"),
    outside the chrome and not the site's name; the longest when several are."""
    whole = meta.html_title or ""
    if len(whole) < 10:
        return None
    parts = {match_key(whole)} | {match_key(p) for p in _TITLE_PART.split(whole) if len(p.strip()) > 10}
    site = match_key(meta.site_name or "")
    best: lxml_html.HtmlElement | None = None
    best_size = 0  # len(best.text_content()), kept rather than measured again for every element
    for el in root.iter("h1", "h2", "h3", "h4", "div", "span", "p", "td", "strong"):
        if not el.text or not el.text.strip() or el.getparent() is None:
            continue
        size = len(text_content(el))
        if size < 10 or size > len(whole) + 50 or best is not None and size <= best_size:
            continue
        key = match_key(text_of(el))
        if key in parts and key != site and not is_chrome(el):
            best, best_size = el, size
    return best


def _title_classed(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """A heading-like element named as a title (Liferay's div.asset-full-content-title) outside the chrome:
    short text, no link (a listing's titles are links), no block inside."""
    for el in root.iter("h1", "h2", "h3", "h4", "div", "span", "p"):
        if not vocabulary.TITLE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            continue
        text = text_of(el)
        if 10 < len(text) <= 300 and not el.xpath(".//a|.//p|.//div|.//ul|.//img") and not is_chrome(el):
            return el
    return None


def _element_with_text(root: lxml_html.HtmlElement, text: str | None) -> lxml_html.HtmlElement | None:
    """The first block element whose whole text is `text` (the title's anchor for the date search), outside
    the chrome where one is (a breadcrumb's last item often repeats the title)."""
    if not text:
        return None
    key = match_key(text)
    first = None
    for el in root.iter("h1", "h2", "h3", "h4", "div", "p", "span", "td", "strong", "a"):
        content = text_content(el)
        if len(content) < 2 * len(text) + 20 and match_key(content) == key and el.getparent() is not None \
                and el.tag != "title":
            if not is_chrome(el):
                return el
            first = first if first is not None else el
    return first


def _strip_site(title: str | None, site_name: str | None) -> str | None:
    """<title> minus the site's name: the part that is not og:site_name, else the head before the last
    separator ("Headline - Site")."""
    if not title:
        return None
    if site_name:
        parts = [p.strip() for p in _TITLE_PART.split(title)]
        rest = [p for p in parts if match_key(p) != match_key(site_name)]
        if rest and len(rest) < len(parts):
            return " - ".join(rest)
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            head = title.rsplit(sep, 1)[0].strip()
            if len(head) > 10:
                return head
    return title
