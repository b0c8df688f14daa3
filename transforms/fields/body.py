"""The article's body: the main area (profile or generic finder), its text, lead and byline, a second,
less strict attempt when too little was found, the story in script data, and the listing verdict."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from lxml import etree
from lxml import html as lxml_html

from transforms import authors as bylines
from transforms.clean import Cleaned, clean_fragment
from transforms.fields.byline import byline
from transforms.fields.lead import lead as find_lead
from transforms.furniture import VIEWS, is_chrome, is_meta_line
from transforms.generic import declared_area, drop_link_boxes, find_main, link_density, prune
from transforms.metadata import PageMeta
from transforms.page import Page, text_of
from transforms.record import Quarantine
from transforms.text import match_key

MIN_BODY_CHARS = 150


def main_node(page: Page) -> tuple[lxml_html.HtmlElement | None, str]:
    """The article area: the profile's element, else the generic finder's; and which found it."""
    nodes = page.select(page.profile.body)
    if nodes:
        return nodes[0], "profile"
    return find_main(page.root), "generic"


@dataclass(frozen=True)
class ArticleText:
    """The article's text as found: cleaned area, lead, body blocks and byline."""

    cleaned: Cleaned
    lead: str | None
    blocks: list[str]
    byline: bylines.Byline

    @property
    def length(self) -> int:
        return sum(len(b) for b in self.blocks) + len(self.lead or "")


def article_text(page: Page, root: lxml_html.HtmlElement, main: lxml_html.HtmlElement | None, method: str,
                 title: str | None) -> ArticleText | Quarantine:
    """The body, lead and byline of the main area of `root` (the page's tree, or another parse of it), or
    why there is no article in it."""
    meta, profile, url = page.meta, page.profile, page.url
    if main is None:
        return page.quarantine("no-article-body", "no element holds paragraph text")
    if (verdict := _listing(main, meta)) is not None:
        return page.quarantine("listing", verdict)
    if method == "generic":
        drop_link_boxes(main)
    cleaned = clean_fragment(main, url, profile.drop)
    lead = find_lead(root, main, meta, profile, cleaned)
    blocks = _body_blocks(cleaned, title, lead)
    blocks, found_byline = byline(root, main, profile, blocks, meta)
    found = ArticleText(cleaned, lead, blocks, found_byline)
    if not blocks:
        return page.quarantine("no-article-body", "no text left after cleaning")
    # a short notice or a photo story under its own title is an article (flagged short-body); short text
    # with no title of its own is a fragment, not something to land
    if found.length < MIN_BODY_CHARS and not title:
        return page.quarantine("no-article-body", f"{found.length} characters of text after cleaning, no title")
    return found


_RETRY_BELOW = 500  # readability's char threshold: less text than this gets a second, less strict attempt


def too_short(found: ArticleText | Quarantine) -> bool:
    if isinstance(found, Quarantine):
        return found.reason == "no-article-body"  # a listing stays a listing
    return found.length < _RETRY_BELOW


def second_attempt(page: Page, first: ArticleText | Quarantine, title: str | None) -> ArticleText | Quarantine:
    """The generic finder again on a fresh parse, without dropping containers for their names; the longer
    text of the two attempts wins (the page is parsed again only on this rare path)."""
    fresh = page.fresh_tree()
    if fresh is None:
        return first
    prune(fresh)
    # with nothing found at all, nothing is trusted: names, nor what the page hides (a script may show it)
    main = find_main(fresh, strip_unlikely=False, keep_hidden=isinstance(first, Quarantine))
    if main is None and isinstance(first, Quarantine):
        main = declared_area(fresh)  # no prose anywhere: a photo story or a short notice, if it has a title
    other = article_text(page, fresh, main, "generic", title)
    if isinstance(other, Quarantine) or not isinstance(first, Quarantine) and other.length <= first.length:
        return first
    return other


# a JSON string of HTML under a content/body/html key, as script-rendered pages (Next.js, React Query) carry
# the story: "contentHtml":"\u003cp\u003e…"
_SCRIPT_HTML = re.compile(r'"\w*(?:content|body|html)\w*"\s*:\s*"((?:[^"\\]|\\.){500,}?)"', re.IGNORECASE)

_PLACEHOLDER = re.compile(r"\$\$\w+\$\$|\{\{\s*\w+\s*\}\}|%%\w+%%")


def from_script_data(page: Page, first: Quarantine, title: str | None) -> ArticleText | Quarantine:
    """A page whose story is only in its scripts' data, rendered in the browser: the longest such string
    holding paragraphs is read as the article area (only when the page itself gave no body)."""
    best = ""
    for m in _SCRIPT_HTML.finditer(page.text):
        try:
            value = json.loads(f'"{m.group(1)}"')
        except ValueError:
            continue
        if "<p" in value and len(value) > len(best):
            best = value
    if not best:
        return first
    try:  # the data's own template markers ("$$ARTICLEAD$$" where an ad goes) are not text
        area = lxml_html.fragment_fromstring(_PLACEHOLDER.sub("", best), create_parent="div")
    except (etree.ParserError, ValueError):
        return first
    prune(area)
    found = article_text(page, area, area, "generic", title)
    return first if isinstance(found, Quarantine) else found


def _says_article(meta: PageMeta) -> bool:
    return meta.og_type == "article" or meta.is_article


def marked_article(root: lxml_html.HtmlElement, meta: PageMeta) -> bool:
    """The page says it is an article: og:type, JSON-LD, an <article> element or itemprop=articleBody."""
    return _says_article(meta) or root.find(".//article") is not None \
        or root.find(".//*[@itemprop='articleBody']") is not None


def _listing(main: lxml_html.HtmlElement, meta: PageMeta) -> str | None:
    """Why the main area is a list of links rather than an article, or None.

    A page that declares itself an article (og:type, JSON-LD) is only a listing when links are nearly all
    of its text; otherwise many linked headlines with about as many paragraphs (teaser + summary) are.
    """
    density = link_density(main, measure="trimmed")
    if density > (0.8 if _says_article(meta) else 0.5):
        return f"link density {density:.2f} in the main text area"
    teasers = _teaser_count(main)
    if teasers >= 4 and not _says_article(meta):
        paragraphs = sum(1 for p in main.iter("p", "div") if len(p) == 0 and len(p.text or "") > 80)
        if paragraphs < 2 * teasers:
            return f"{teasers} linked headlines and {paragraphs} paragraphs in the main text area"
    return None


def _teaser_count(el: lxml_html.HtmlElement) -> int:
    """Linked headlines (h2-h4 holding a link): a listing has many in its main area, an article none."""
    return sum(1 for h in el.iter("h2", "h3", "h4") if h.find(".//a") is not None and len(text_of(h)) > 15
               and link_density(h, measure="trimmed") >= 0.6 and not is_chrome(h))  # "Tin liên quan" is no listing


def with_lead(found: ArticleText, lead: str | None) -> ArticleText:
    """The header's standfirst as the lead when the article area gave none (and out of the body)."""
    if found.lead or not lead:
        return found
    key, n = match_key(lead), len(lead)
    blocks = [b for b in found.blocks if abs(len(b) - n) > n // 4 + 5 or match_key(b) != key]
    return replace(found, lead=lead, blocks=blocks)




def _body_blocks(cleaned: Cleaned, title: str | None, lead: str | None) -> list[str]:
    skip = {match_key(t) for t in (title, lead) if t}
    # match_key is costly on long paragraphs: only blocks about as long as the title or lead, and with as many
    # words, can repeat them
    near = [(n - n // 4 - 5, n + n // 4 + 5) for n in {len(t) for t in (title, lead) if t}]
    words = {len(k.split()) for k in skip}
    blocks = [b for b in cleaned.blocks
              if not any(low <= len(b) <= high for low, high in near) or not _may_repeat(b, words)
              or match_key(b) not in skip]
    # The meta row (date, views) can sit at the top of the article area; text never starts with it.
    while blocks and (is_meta_line(blocks[0]) or VIEWS.fullmatch(blocks[0])):
        blocks.pop(0)
    return blocks


def _may_repeat(block: str, words: set[int]) -> bool:
    """Whether a cleaned block (normalize_text's output: words single-spaced) has as many words as one of the
    keys: match_key changes no spacing, and normalizing it again none either unless an entity is left."""
    return "&" in block or block.count(" ") + 1 in words
