"""The lead (sapo, standfirst): a lead-named box opening the article, the header's standfirst, or the
paragraph the page's description repeats."""

from __future__ import annotations

from lxml import html as lxml_html

from transforms import vocabulary
from transforms.clean import Cleaned
from transforms.dates import find_dates
from transforms.furniture import is_meta_line
from transforms.generic import link_density, text_content
from transforms.metadata import PageMeta
from transforms.page import select, text_of
from transforms.profile import Profile
from transforms.text import match_key, normalize_text


def lead(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, meta: PageMeta, profile: Profile,
          cleaned: Cleaned) -> str | None:
    for el in select(root, profile.lead):
        if text := text_of(el):
            return text
    if profile.lead:
        return None
    for el in root.iter(*_LEAD_TAGS):
        if (boxed := _lead_box_text(el)) and not _opening_paragraphs(el, main) and _opens(el, main):
            return boxed
    if meta.description and cleaned.blocks and match_key(cleaned.blocks[0]) == match_key(meta.description):
        return cleaned.blocks[0]
    return _described(root, main, meta.description)


_LEAD_TAGS = ("h2", "p", "div", "span", "strong")


def _named_lead(el: lxml_html.HtmlElement) -> bool:
    if el.get("class") is None and el.get("id") is None:  # most elements: no name to read
        return False
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    # "taglib-asset-tags-summary" says summary but is a tag list
    return bool(names.strip() and vocabulary.LEAD_CLASS.search(names)
                and not vocabulary.BOILER_CLASS.search(names.lower()) and not _holds_caption(el))


def _lead_box_text(el: lxml_html.HtmlElement) -> str | None:
    """The text of a lead-named box that reads like a lead: 40-1,200 characters, no headline link in it."""
    if not _named_lead(el):
        return None
    text = text_of(el)
    if 40 <= len(text) <= 1200 and not el.xpath(".//a[string-length(normalize-space()) > 20]"):
        return text
    return None


def header_lead(title_el: lxml_html.HtmlElement | None) -> str | None:
    """The standfirst in the article's <header> (the one around the title, with the byline and date),
    read before the page's headers are pruned as furniture."""
    headers = [] if title_el is None else [a for a in title_el.iterancestors("header")]
    for header in headers[:1]:
        for el in header.iter(*_LEAD_TAGS):
            if text := _lead_box_text(el):
                return text
    return _box_before_body(title_el)


def _box_before_body(title_el: lxml_html.HtmlElement | None) -> str | None:
    """A named box between the title (and its date line) and the body that follows it, whatever its name
    (`div.sabo`, `div.chapeau2`): 40-1,200 characters of text, no photo, no headline link, and a longer
    block after it."""
    sib = title_el.getnext() if title_el is not None else None
    for _ in range(4):
        if sib is None:
            return None
        if isinstance(sib.tag, str) and sib.find(".//a") is None and _text_longer(sib, 1200):
            return None  # too long for a lead, and no link to look for a date line beside (the body, unread)
        text = text_of(sib) if isinstance(sib.tag, str) else ""
        # a meta row (a date line, or a date beside share links) is no lead
        if not text or len(text) < 40 or is_meta_line(text) or sib.find(".//a") is not None and find_dates(text):
            sib = sib.getnext()
            continue
        if len(text) > 1200 or not (sib.get("class") or sib.get("id")) \
                or link_density(sib, measure="trimmed") > 0.3 \
                or sib.xpath(".//img|.//a[string-length(normalize-space()) > 20]") \
                or vocabulary.BOILER_CLASS.search((sib.get("class") or "").lower()):
            return None
        after = sib.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        return text if after is not None and _text_longer(after, 2 * len(text)) else None
    return None


def _text_longer(el: lxml_html.HtmlElement, size: int) -> bool:
    """Whether el's normalized text is longer than `size`, normalizing only a prefix when that settles it
    (the body after a lead runs to thousands of characters). Normalizing never lengthens a text, and a
    prefix cut inside an entity or a space run is at most a few characters longer than its own part."""
    raw = text_content(el)
    if len(raw) <= size:
        return False
    if len(normalize_text(raw[: 2 * size + 64])) > size + 32:
        return True
    return len(normalize_text(raw)) > size


def _holds_caption(el: lxml_html.HtmlElement) -> bool:
    """A "lead" wrapper around the lead photo (`LeadFeature`, `lead-media`) holds its caption, not a summary."""
    return any(d.tag in ("figure", "figcaption") or vocabulary.CAPTION_CLASS.search((d.get("class") or "").lower())
               for d in el.iter())


def _described(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, description: str | None) -> str | None:
    """The standfirst under the title, found by the page's description that repeats (or truncates) it: a
    subtitle heading or paragraph with no lead name, standing before the article area."""
    want = normalize_text(description or "").rstrip(".…").strip()
    if len(want) < 40:
        return None
    for el in root.iter("h2", "p"):
        if len(text_content(el)) < len(want):  # cheap before normalizing
            continue
        text = text_of(el)
        parent = el.getparent()
        beside_image = parent is not None and parent.find(".//img") is not None  # a photo's caption
        if text.startswith(want) and not beside_image and not any(a is main for a in el.iterancestors()) \
                and _precedes(el, main):
            return text
    return None


def _opening_paragraphs(el: lxml_html.HtmlElement, main: lxml_html.HtmlElement) -> bool:
    """A "lead" box in the article area holding several paragraphs is the body's opening: the body keeps
    its paragraphs, so as a lead it would print them twice."""
    filled = sum(1 for p in el.iter("p") if text_content(p).strip())  # an empty <p> is spacing
    return filled >= 2 and any(a is main for a in el.iterancestors())


_LEAD_WITHIN = 300  # characters of the article area's text that a lead can follow (title, byline, date)


def _precedes(el: lxml_html.HtmlElement, area: lxml_html.HtmlElement) -> bool:
    """Whether `el`, outside the area, comes before it in the page."""
    return bool(el.xpath("count(preceding::*)") <= area.xpath("count(preceding::*)"))


def _opens(el: lxml_html.HtmlElement, area: lxml_html.HtmlElement) -> bool:
    """Whether `el` stands before the article area's text: a box named "description" after paragraphs of
    the story (a fact box about a school, a glossary note), or a teaser's "subtitle" further down the page,
    is no lead. Photo captions do not count as text before it (a sapo under the lead photo opens the area)."""
    if not any(anc is area for anc in el.iterancestors()):
        return _precedes(el, area)
    key = text_content(el).strip()[:40]
    if text_content(area).find(key) <= _LEAD_WITHIN:
        return True
    without_captions = "".join(area.xpath(".//text()[not(ancestor::figure or ancestor::figcaption)]"))
    return without_captions.find(key) <= _LEAD_WITHIN
