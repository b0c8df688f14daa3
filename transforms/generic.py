"""The generic main-text finder: which element of an unseen page holds the article body.

Readability-style scoring on the lxml tree (fast): every paragraph-like element gives its parent a score from
its text length and commas, and half of it to its grandparent; link-heavy text and boilerplate class names
count against a node, article-like names for it. The best node wins.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_PARA_TAGS = ("p", "div", "td", "pre", "blockquote", "section", "span", "font", "li", "article")
_BLOCK_CHILDREN = {"p", "div", "table", "ul", "ol", "section", "article", "h1", "h2", "h3", "h4",
                   "blockquote", "figure", "header", "footer", "aside", "nav", "form"}
_POSITIVE = re.compile(r"article|content|detail|body|fck|entry|post|story|text|chi-?tiet|noi-?dung|"
                       r"journal|main|news-?detail|cms", re.IGNORECASE)
_NEGATIVE = re.compile(r"comment|binh-?luan|related|lien-?quan|other|tin-?khac|latest|most|doc-?nhieu|"
                       r"sidebar|col-right|right|footer|header|menu|nav|share|social|widget|banner|advert|"
                       r"promo|list-news|listing|tag|breadcrumb|clock|pager|paging|box-cat|home|hot",
                       re.IGNORECASE)
_JUNK = ("script", "style", "noscript", "iframe", "form", "nav", "footer", "aside", "header", "template",
         "svg", "button", "select", "textarea")


def prune(root: lxml_html.HtmlElement) -> None:
    """Drop elements that never hold article text, in place (scripts, forms, navigation, ...)."""
    for el in list(root.iter(*_JUNK)):
        parent = el.getparent()
        if parent is None:
            continue
        # ASP.NET/SharePoint pages wrap the whole page in one <form>: only small forms are furniture.
        if el.tag == "form" and len(el.text_content()) > 1000:
            continue
        el.drop_tree()


def _weight(el: lxml_html.HtmlElement) -> float:
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not names.strip():
        return 0.0
    weight = 0.0
    if _NEGATIVE.search(names):
        weight -= 25
    if _POSITIVE.search(names):
        weight += 25
    return weight


def _link_density(el: lxml_html.HtmlElement, text_len: int) -> float:
    if text_len == 0:
        return 1.0
    link_len = sum(len(a.text_content()) for a in el.iter("a"))
    return min(1.0, link_len / text_len)


def _own_text_len(el: lxml_html.HtmlElement) -> str:
    """Text of an element that is itself a paragraph (no block children), else ''."""
    if el.tag != "p" and any(child.tag in _BLOCK_CHILDREN for child in el):
        return ""
    return el.text_content()


def find_main(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element that most likely holds the article body, or None when nothing text-like is found."""
    scores: dict[lxml_html.HtmlElement, float] = {}
    for el in root.iter(*_PARA_TAGS):
        text = _own_text_len(el).strip()
        if len(text) < 25:
            continue
        score: float = 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)
        score *= 1 - _link_density(el, len(text))
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + score / 2
    best: lxml_html.HtmlElement | None = None
    best_score = 0.0
    for node, score in scores.items():
        if node.tag in ("html", "body"):
            score *= 0.5
        total = (score + _weight(node)) * (1 - 0.7 * _link_density(node, len(node.text_content())))
        if total > best_score:
            best, best_score = node, total
    return best
