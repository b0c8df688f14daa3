"""What a page prints around its article that the fields must recognise: the portal's chrome (menus,
title bars, breadcrumbs, category headings) and the article's meta row (date, views, labels)."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from transforms import vocabulary
from transforms.dates import find_dates

_CHROME_DEPTH = 4  # the element and its three nearest ancestors

# the lookahead names the letters a count can start with: re then skips every other position at once, where
# it tried each case-insensitive label in turn (a view count search over the header was 8 times slower)
VIEWS = re.compile(r"(?=[lsv\d])(?:(?:lượt\s*xem|lượt\s*đọc|view\s*count|số\s*lần\s*xem|views?)\s*:?\s*(\d[\d.,]*)|"
                   r"(\d[\d.,]*)\s*(?:lượt\s*xem|lượt\s*đọc|views))", re.IGNORECASE)
_META_WORDS = re.compile(r"ngày\s*đăng|cập\s*nhật|đăng\s*lúc|gửi\s*lúc|\||:(?!\d)", re.IGNORECASE)
# year first, as East Asian pages write a day ("2025/01/31 11:30", "2025年1月13日 21時37分"): only to spot the
# meta row, the publication date comes from the page's metadata
_YMD = re.compile(r"\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|([/.\-])\s*\d{1,2}\s*\1\s*\d{1,2})"
                  r"(?:\s*[(（]\w{1,3}[)）])?(?:\s*\d{1,2}\s*(?:[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|時\s*\d{1,2}\s*分))?")


def is_chrome(el: lxml_html.HtmlElement) -> bool:
    """Whether `el` sits in the page's chrome (a menu, a title bar, a breadcrumb, a category heading). A
    breadcrumb's or menu's current item, unlinked, is the page's own heading (news sites put the h1 there)."""
    linked = el.tag == "a" or el.find(".//a[@href]") is not None or any(
        a.tag == "a" for a in el.iterancestors())
    node: lxml_html.HtmlElement | None = el
    for _ in range(_CHROME_DEPTH):
        if node is None or node.tag in ("body", "html"):
            return False
        if node.tag in vocabulary.CHROME_TAGS and linked:
            return True
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
        if any(n in vocabulary.CHROME_NAMES or linked and vocabulary.CHROME_PREFIX.match(n) for n in names):
            return True
        node = node.getparent()
    return False


def is_meta_line(text: str) -> bool:
    """A short line that is only a date, view count or category label (the article's meta row)."""
    if len(text) > 120:
        return False
    rest = _META_WORDS.sub("", VIEWS.sub("", text))  # labels and a view count belong to the meta row
    spans = [(h.start, h.end) for h in find_dates(rest)] or [m.span() for m in _YMD.finditer(rest)]
    covered = sum(end - start for start, end in spans)
    return bool(spans) and covered >= 0.45 * len(rest.strip())
