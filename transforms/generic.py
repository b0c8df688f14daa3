"""The generic main-text finder: which element of an unseen page holds the article body.

Readability-style scoring on the lxml tree (fast):
- page furniture goes first: junk tags, and elements whose class/id says sidebar, comments, related, share,
  newsletter, ... (in several languages), unless the name also says article/content/body;
- every paragraph-like element gives its ancestors a score from its text length and commas (its parent all
  of it, the grandparent half, higher ancestors less), so a body split over many wrappers still adds up;
- link-heavy nodes and boilerplate names count against a node, article-like names (and
  itemprop=articleBody) for it;
- the best node is widened to its parent when most of the top candidates live there, or when the score
  keeps rising going up, and its sibling paragraphs of the same article are kept;
- inside the chosen area, link lists and boxes (related stories, menus) are dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

from transforms import vocabulary

_PARA_TAGS = frozenset({"p", "pre", "td", "blockquote", "h2", "h3", "h4", "h5", "h6", "li", "dd"})
_BLOCK_CHILDREN = frozenset({"p", "div", "table", "ul", "ol", "section", "article", "h1", "h2", "h3", "h4",
                             "h5", "h6", "blockquote", "figure", "header", "footer", "aside", "nav", "form",
                             "pre", "dl", "main", "address"})
_POSITIVE = vocabulary.ARTICLE_NAMES
_NEGATIVE = vocabulary.NEGATIVE_NAMES
# Containers that are never the article (removed before scoring unless the name also says article).
_UNLIKELY = vocabulary.UNLIKELY_NAMES
# "column" (readability keeps it) is a layout word of CSS grids: Bulma names comment boxes "comment column".
_MAYBE = vocabulary.MAYBE_ARTICLE
_JUNK = ("script", "style", "noscript", "iframe", "form", "nav", "footer", "aside", "header", "template",
         "svg", "button", "select", "textarea")
_TAG_BONUS = {"div": 5.0, "article": 10.0, "main": 5.0, "section": 2.0, "pre": 3.0, "td": 3.0,
              "blockquote": 3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "li": -3.0, "form": -3.0, "h1": -5.0,
              "h2": -5.0, "h3": -5.0, "h4": -5.0, "th": -5.0}


def prune(root: lxml_html.HtmlElement) -> None:
    """Drop elements that never hold article text, in place (scripts, forms, navigation, ...)."""
    # comments are not elements: sibling walks and text_content() fail on them
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in list(root.iter(*_JUNK)):
        parent = el.getparent()
        if parent is None:
            continue
        # ASP.NET/SharePoint pages wrap the whole page in one <form>: only small forms are furniture.
        if el.tag == "form" and len(text_content(el)) > 1000:
            continue
        # some sites put the whole story inside a <header> or <aside>: one holding an <article> stays
        if el.tag in ("header", "aside", "footer") and (
                el.find(".//article") is not None or el.find(".//*[@itemprop='articleBody']") is not None):
            continue
        el.drop_tree()


def _names(el: lxml_html.HtmlElement) -> str:
    """class, id, itemprop and role, lowercased (the name patterns are case-sensitive: much faster).

    Utility-class variants ("print:px-6", "dark:bg-x") are left out: they say nothing about the content.
    """
    cls = el.get("class") or ""
    if ":" in cls or "[" in cls:
        cls = " ".join(t for t in cls.split() if ":" not in t and "[" not in t)
    return f"{cls} {el.get('id') or ''} {el.get('itemprop') or ''} {el.get('role') or ''}".lower()


def _drop_unlikely(root: lxml_html.HtmlElement) -> None:
    """Remove containers whose class/id marks them as page furniture (readability's 'unlikely candidates')."""
    doomed = []
    # a page-wide wrapper named "has-sidebar" stays; a list is no wrapper (a gallery's "legends")
    page_len = 0  # measured once, when a first candidate needs it (most pages: a few, some none)
    for el in root.iter(*_NAMED_TAGS):  # only elements with a name to read (lxml filters the tags)
        if el.get("class") is None and el.get("id") is None and el.get("role") is None \
                and el.get("itemprop") is None:
            continue
        if _unlikely_names(_names(el)) and el.find(".//*[@itemprop='articleBody']") is None:
            if el.tag not in ("ul", "ol"):
                page_len = page_len or len(text_content(root))
                if len(text_content(el)) >= 0.4 * page_len:
                    continue
            doomed.append(el)
    # readability's unlikely roles: a dialog, menu or alert is never the story, whatever its tag
    for el in root.xpath("descendant-or-self::*[@role]"):  # libxml2 filters: no Python object per element
        if el.get("role") in _UNLIKELY_ROLES:
            page_len = page_len or len(text_content(root))
            if len(text_content(el)) < 0.4 * page_len:
                doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


# walked with iter(): libxml2's XPath over the whole page ("//*[self::div or ...]") took four times as long
_NAMED_TAGS = ("div", "section", "ul", "ol", "span", "table", "p", "li", "figure", "article")
_UNLIKELY_ROLES = frozenset(vocabulary.UNLIKELY_ROLES)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _drop_hidden(root: lxml_html.HtmlElement) -> None:
    """Remove what the reader never sees: post ids and dates kept for scripts, pop-up templates, a paywall's
    hidden copy of the whole story. An inline display:none / visibility:hidden goes unless it holds nearly
    all the page; the `hidden` attribute also marks story text a script reveals (a paywall's rest of the
    story), so an element it hides stays when it holds much of the page."""
    page_len = 0
    for el in root.xpath("descendant-or-self::*[@hidden or @style]"):
        styled = bool(_HIDDEN_STYLE.search(el.get("style") or ""))
        if not styled and el.get("hidden") is None or el.getparent() is None or el.tag in ("html", "body"):
            continue
        page_len = page_len or len(text_content(root)) or 1
        share = len(text_content(el)) / page_len
        if share < (0.8 if styled else 0.4):
            el.drop_tree()


@functools.lru_cache(maxsize=4096)  # a page repeats its class names, a site's pages their templates
def _unlikely_names(names: str) -> bool:
    return len(names) > 3 and _UNLIKELY.search(names) is not None and not _MAYBE.search(names)


def _weight(el: lxml_html.HtmlElement) -> float:
    names = _names(el)
    if not names.strip():
        return 0.0
    return _names_weight(names, el.tag in ("ul", "ol"))


@functools.lru_cache(maxsize=4096)
def _names_weight(names: str, is_list: bool) -> float:
    """_weight's verdict on the names (cached: the same names come back on every page of a site)."""
    weight = 0.0
    if _NEGATIVE.search(names):
        weight -= 25
    if _POSITIVE.search(names) and not is_list:  # "list-articles" lists articles
        weight += 25
    if "articlebody" in names:
        weight += 50
    return weight


_SPACES = (" ", "\n", "\t", "\r", "\xa0")
_ASCII_SPACES = _SPACES[:4]


def text_content(el: lxml_html.HtmlElement) -> str:
    """el.text_content() without its XPath call when the element has no children (most paragraphs and links):
    then its text is all there is."""
    return (el.text or "") if len(el) == 0 else el.text_content()


def _visible_len(text: str) -> int:
    """The text's length without its whitespace: source indentation, however deep, does not count (a list of
    links indented over many lines is no less a list of links). Counting, not splitting: no copy is built."""
    # str.isascii() reads a flag: an ASCII text holds no no-break space to count
    return len(text) - sum(map(text.count, _ASCII_SPACES if text.isascii() else _SPACES))


Measure = Literal["visible", "trimmed", "raw"]


def link_density(el: lxml_html.HtmlElement, text: str | None = None,
                 link_lens: dict[lxml_html.HtmlElement, int] | None = None, measure: Measure = "visible",
                 visible: int | None = None) -> float:
    """The share of `el`'s text (its text_content, or `text`) inside links: the project's one measure, in
    the three ways its callers were tuned on (they give different figures on the same box; none is
    changed here):

    - "visible" (the finder's scoring): whitespace left out of both lengths (see _visible_len), at most 1;
      `link_lens`: each link's whitespace-free length, measured once per page, for a caller that weighs
      many nested boxes sharing the same links (find_main's candidates), and `visible`, the text's
      whitespace-free length when the caller has it (then no text is read);
    - "trimmed" (the listing verdict, fields/body.py): the stripped text against each link's stripped text,
      not capped (nested links count twice);
    - "raw" (drop_link_boxes' link lists): the stripped text against the links' text as it is, indentation
      included, at most 1 (counted as "visible" does, it measured no better there).
    """
    if measure != "visible":
        stripped = (text_content(el) if text is None else text).strip()
        if not stripped:
            return 1.0
        links = [text_content(a) for a in el.iter("a")]
        if measure == "trimmed":
            return sum(len(link.strip()) for link in links) / len(stripped)
        return min(1.0, sum(map(len, links)) / len(stripped))
    if link_lens is None:
        text = text_content(el) if text is None else text
        links = [text_content(a) for a in el.iter("a")]
        if not links:  # most paragraphs: no length to measure
            return 0.0 if text and not text.isspace() else 1.0
        link_len = _visible_len("".join(links))  # whitespace-free lengths add up
    else:
        link_len = sum(link_lens.get(a, 0) for a in el.iter("a"))
    text_len = visible if visible is not None else _visible_len(text_content(el) if text is None else text)
    if text_len == 0:
        return 1.0
    return min(1.0, link_len / text_len)


def _is_paragraph(el: lxml_html.HtmlElement,
                  with_blocks: set[lxml_html.HtmlElement] | None = None) -> bool:
    """A paragraph-like element: a <p>-ish tag, or a div/span/section holding only inline content.

    A cell or list item holding blocks is a box (a teaser card: headline + summary), not one paragraph:
    its paragraphs score on their own. `with_blocks`: the page's elements holding a block child, when
    the caller asks about many (see _holding_blocks).
    """
    if el.tag in _PARA_TAGS:
        return el.tag not in ("td", "li") or not _holds_blocks(el, with_blocks)
    if el.tag in ("div", "section", "article", "span", "font"):
        return not _holds_blocks(el, with_blocks)
    return False


def _holds_blocks(el: lxml_html.HtmlElement, with_blocks: set[lxml_html.HtmlElement] | None) -> bool:
    if with_blocks is not None:
        return el in with_blocks
    return any(child.tag in _BLOCK_CHILDREN for child in el)


def _holding_blocks(root: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    """The elements with a block child, from one walk over the blocks (lxml filters the tags in C) instead
    of a walk over the children of every element asked about. The set keeps their proxies alive, so the
    elements a later walk yields are these same objects."""
    return {el.getparent() for el in root.iter(*_BLOCK_CHILDREN)}


_COMMAS = (",", "，", "、", "،")  # Latin, full-width, ideographic, Arabic
# Chinese and Japanese write without spaces, a word in one or two characters: a 60-character paragraph
# says what 150-200 Latin characters do, so its length counts three times.
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _length_points(text: str) -> int:
    """A paragraph's points for its length: one per 100 Latin-character equivalents, at most 3 (a text of
    300 characters has them all, whatever its script: no count of its Han and Kana)."""
    if text.isascii() or len(text) >= 300:
        return min(len(text) // 100, 3)
    han = len(_HAN_KANA.findall(text))
    return min((len(text) + 2 * han) // 100, 3)


def _commas(text: str) -> int:
    """Commas in any script (an ASCII text can hold only the Latin one)."""
    return text.count(",") if text.isascii() else sum(map(text.count, _COMMAS))


def _score_paragraphs(root: lxml_html.HtmlElement) -> tuple[dict[lxml_html.HtmlElement, float], int]:
    """Readability's content score per ancestor: parent 1, grandparent 1/2, then 1/(3*level), 5 levels."""
    scores: dict[lxml_html.HtmlElement, float] = {}
    paragraphs = 0
    with_blocks = _holding_blocks(root)
    for el in root.iter("p", "pre", "td", "blockquote", "h2", "h3", "h4", "h5", "h6", "li", "dd", "div",
                        "section", "span", "font", "article"):
        if not _is_paragraph(el, with_blocks):
            continue
        text = text_content(el).strip()
        if len(text) < 25:
            continue
        paragraphs += 1
        score: float = 1 + _commas(text) + _length_points(text)
        score *= 1 - link_density(el, text)
        node = el.getparent()
        for level in range(5):
            if node is None or node.tag in ("html",):
                break
            if node not in scores:
                scores[node] = _TAG_BONUS.get(node.tag, 0.0) + _weight(node)
            scores[node] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
            node = node.getparent()
    return scores, paragraphs


_NAME_TRUST_LEN = 250  # characters: below this, an article-like name earns only part of its bonus


Lengths = tuple[int, int]  # a text's len() and _visible_len()


def _final(node: lxml_html.HtmlElement, score: float, link_lens: dict[lxml_html.HtmlElement, int],
           lengths: Lengths) -> float:
    """The score less the share of links; a short box does not live on its name alone (a 150-character
    newsletter box named "main_content" against a 1,000-character unnamed <section> of story).

    `link_lens`: see link_density; `lengths`: the node's text's (see _text_lengths)."""
    text_len, visible = lengths
    weight = _weight(node)
    if weight > 0 and text_len < _NAME_TRUST_LEN:
        score -= weight * (1 - text_len / _NAME_TRUST_LEN)
    return score * (1 - link_density(node, link_lens=link_lens, visible=visible))


def _text_lengths(nodes: Iterable[lxml_html.HtmlElement]) -> dict[lxml_html.HtmlElement, Lengths]:
    """The lengths of each node's text_content, inner nodes first: a node holding others of the set adds up
    theirs with its other children's and its own text, so the text nested candidates share (the story, in
    its five scored wrappers) is read once, not once per wrapper."""
    lengths: dict[lxml_html.HtmlElement, Lengths] = {}
    for node in sorted(nodes, key=lambda el: sum(1 for _ in el.iterancestors()), reverse=True):
        lengths[node] = _lengths_of(node, lengths)
    return lengths


def _lengths_of(node: lxml_html.HtmlElement, known: dict[lxml_html.HtmlElement, Lengths]) -> Lengths:
    children = list(node)
    # text_content() leaves a comment's own text out: a node holding one is read whole
    if not any(child in known for child in children) or not all(isinstance(c.tag, str) for c in children):
        return _measured(text_content(node))
    total, visible = _measured(node.text)
    for child in children:
        inner, tail = known.get(child) or _measured(text_content(child)), _measured(child.tail)
        total, visible = total + inner[0] + tail[0], visible + inner[1] + tail[1]
    return total, visible


def _measured(text: str | None) -> Lengths:
    return (len(text), _visible_len(text)) if text else (0, 0)


def _ancestors(el: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return list(el.iterancestors())


def _unnamed(node: lxml_html.HtmlElement, score: float) -> float:
    """The score earned by text, without the bonus of an article-like name."""
    return score - max(0.0, _weight(node))


def _widen(top: lxml_html.HtmlElement, ranked: list[tuple[float, lxml_html.HtmlElement]],
           final: dict[lxml_html.HtmlElement, float]) -> lxml_html.HtmlElement:
    """Readability's widening: a common ancestor of near-best candidates, or a parent with a rising score."""
    top_score = final[top]
    close = [_ancestors(node) for score, node in ranked[1:6] if score >= 0.75 * top_score]
    if len(close) >= 3:
        for parent in top.iterancestors():
            if parent.tag == "body":
                break
            if sum(1 for anc in close if parent in anc) >= 3:
                top = parent
                break
    # "rising" compares scores without the name bonus: a wrapper named "article" holding a video player
    # beside the story is no better for its name than the story's own (unnamed) parent
    last = _unnamed(top, final.get(top, top_score))
    threshold = final.get(top, top_score) / 3
    for parent in top.iterancestors():
        if parent.tag in ("body", "html"):
            break
        if parent not in final:
            continue
        if final[parent] < threshold:
            break
        if _unnamed(parent, final[parent]) > last:
            top = parent
            break
        last = _unnamed(parent, final[parent])
    while top.getparent() is not None and top.getparent().tag not in ("body", "html") \
            and (len(top.getparent()) == 1 or _alone_in(top) and _has_twin(top)):
        top = top.getparent()
    return top


def _alone_in(el: lxml_html.HtmlElement) -> bool:
    """Whether `el` is all its parent holds but empty siblings (an empty ad rail beside it)."""
    return all(sib is el or _empty(sib) for sib in el.getparent())


def _has_twin(column: lxml_html.HtmlElement) -> bool:
    """Whether the column's wrapper has a twin: a sibling of its class holding a column of the column's
    class. A story split by ads comes in chunks so, each a wrapper around its text column and an (empty)
    ad rail; the wrapper, not the column, is then what the sibling step keeps with its twins."""
    wrapper = column.getparent()
    names, inner = (wrapper.get("class") or "").strip(), (column.get("class") or "").strip()
    return bool(names and inner) and any(
        (sib.get("class") or "").strip() == names and any((c.get("class") or "").strip() == inner for c in sib)
        for sib in (*wrapper.itersiblings(preceding=True), *wrapper.itersiblings()))


def _empty(el: lxml_html.HtmlElement) -> bool:
    return not isinstance(el.tag, str) or not text_content(el).strip() and el.find(".//img") is None \
        and el.tag != "img"


def _best_inside(el: lxml_html.HtmlElement, final: dict[lxml_html.HtmlElement, float]) -> float:
    """The best score in `el`'s subtree."""
    return max((final[node] for node in el.iter() if node in final), default=0.0)


def _keep_siblings(top: lxml_html.HtmlElement, final: dict[lxml_html.HtmlElement, float]
                   ) -> lxml_html.HtmlElement:
    """Readability's sibling step: paragraphs of the article sitting next to the best node are kept too.

    When siblings qualify, the parent becomes the area and the siblings that do not qualify are dropped.
    """
    parent = top.getparent()
    if parent is None or parent.tag in ("html",):
        return top
    top_score = final.get(top, 0.0)  # a wrapper above the scored levels: siblings need 10 to join
    threshold = max(10.0, top_score * 0.2)
    top_names = (top.get("class") or "").strip()
    keep: list[lxml_html.HtmlElement] = []
    for sib in parent:
        if sib is top:
            keep.append(sib)
            continue
        twin = bool(top_names) and (sib.get("class") or "").strip() == top_names
        # a twin's paragraphs may sit deeper than the five levels they score up to (section > div.con >
        # div.mod > div.box > div.paragraph > p): its best inner score stands for it
        score = _best_inside(sib, final) if twin else final.get(sib, 0.0)
        if score + (top_score * 0.2 if twin else 0.0) >= threshold:
            keep.append(sib)
        elif sib.tag == "p" or (_is_paragraph(sib) and sib.tag in ("div", "section")):
            text = " ".join(text_content(sib).split())
            density = link_density(sib, text)
            if len(text) > 80 and density < 0.25 or 0 < len(text) <= 80 and density == 0 \
                    and re.search(r"\.( |$)", text):
                keep.append(sib)
    if len(keep) == 1:
        return top
    for sib in list(parent):
        if any(sib is k for k in keep):
            continue
        text = text_content(sib)
        # only furniture goes: the lead, headings and bylines next to the body stay for the later steps
        if _visible_len(text) > 120 and (link_density(sib, text) > 0.33 or _weight(sib) < 0):
            sib.drop_tree()
    return parent


def _repeated_labels(main: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Plain short lines repeated 3+ times ("Article content", "Box aufklappen"): widget labels.

    Only childless p/div/span/li count: subheadings (h2-h6, <p><strong>) may legitimately repeat.
    """
    seen: dict[str, list[lxml_html.HtmlElement]] = {}
    # highlighted code repeats its tokens ("SELECT", "("); a walk, not XPath: most areas hold no code
    code = {el for box in main.iterdescendants("pre", "code") for el in box.iterdescendants(etree.Element)}
    for el in main.iter("p", "div", "span", "li", "button", "label"):
        if len(el) == 0 and el.text and len(el.text) < 60 and el not in code:
            seen.setdefault(el.text.strip(), []).append(el)
    return [el for text, els in seen.items() if text and len(els) >= 3 for el in els if _stands_alone(el)]


_INLINE = frozenset({"a", "span", "strong", "b", "em", "i", "u", "font"})


def _stands_alone(el: lxml_html.HtmlElement) -> bool:
    """Whether the element is a line of its own, not words of a sentence: a name in a red <span> inside a
    link, repeated in every post of a live blog, is text; "(opens in new window)" tacked onto link words
    is a label."""
    if el.tag not in _INLINE:
        return True  # a p/div/li is a block of its own
    run, block = el, el.getparent()
    while block is not None and block.tag in _INLINE:
        run, block = block, block.getparent()
    own = len((el.text or "").strip())
    return block is None or len(text_content(run).strip()) > own or len(text_content(block).strip()) <= own + 3


_BOX_NAMES = vocabulary.BOX_NAMES
_SIGNUP_SEGMENT = vocabulary.SIGNUP_SEGMENT


_SCHEME_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#]*")


def _signup_link(href: str) -> bool:
    path = _SCHEME_HOST.sub("", href.lower()).split("?")[0].split("#")[0]
    return any(_SIGNUP_SEGMENT.fullmatch(segment) for segment in path.split("/"))


def _is_signup_box(el: lxml_html.HtmlElement, text: str) -> bool:
    """A short box asking the reader to log in or subscribe (a paywall notice, a "follow this topic" prompt):
    its links lead to login or registration pages and it holds no paragraph of the story."""
    if len(text) > 400 or not any(_signup_link(a.get("href") or "") for a in el.iter("a")):
        return False
    return not any(len(text_content(p).strip()) >= 100 for p in el.iter("p"))


def _answers(el: lxml_html.HtmlElement) -> int:
    """Inputs a reader fills in or ticks (a hidden input carries a token, not a question)."""
    return sum(1 for i in el.iter("input") if (i.get("type") or "text").lower() in ("text", "radio", "checkbox"))


def _is_furniture_box(el: lxml_html.HtmlElement, area_len: int) -> bool:
    """Readability's conditional cleaning, for a box inside the article: teasers ("… mehr"), galleries of
    images, lists posing as paragraphs, link-heavy boxes. Prose (many commas) and wrappers holding most of
    the area's text stay."""
    text = text_content(el)
    if _commas(text) >= 10 or len(text) > 0.5 * area_len:
        return False
    if _BOX_NAMES.search(_names(el)):
        return True
    size = len(text.strip())
    paragraphs = len(el.findall(".//p"))
    images = len(el.findall(".//img"))
    items = len(el.findall(".//li"))
    density = link_density(el, text)
    weight = _weight(el)
    if paragraphs == 1 and items == 0 and len(text_content(el.find(".//p")).strip()) >= 0.9 * size:
        return False  # one paragraph in wrappers (a sentence with a link in it): judged as a paragraph below
    if _is_signup_box(el, text):
        return True
    if images > 1 and paragraphs / images < 0.5:
        return True
    if _answers(el) > max(1, paragraphs // 3):  # a poll or a form: answers to tick, not text
        return True
    if el.tag not in ("ul", "ol") and items > paragraphs and items > 2 and density > 0.2:
        return True
    # a list inside the story (bullet points citing their sources) is no box of links below half links
    return density > (0.5 if weight >= 25 or el.tag in ("ul", "ol") else 0.2) and size > 0


def drop_link_boxes(main: lxml_html.HtmlElement) -> None:
    """Inside the article area, link lists and boxes (related stories, tag clouds, teasers) are not text."""
    doomed = _repeated_labels(main)
    area_len = len(text_content(main))
    for el in reversed(list(main.iter("div", "section", "aside", "ul", "table"))):  # inner boxes first
        if el is not main and _is_furniture_box(el, area_len):
            doomed.append(el)
    for el in main.iter("ul", "ol", "div", "section", "table", "aside", "p"):
        if el is main:
            continue
        text = text_content(el).strip()
        if not text:
            continue
        density = link_density(el, text, measure="raw")
        link_list = el.tag != "p" and density > 0.6 and len(el.findall(".//a")) >= 3
        link_line = el.tag != "table" and density > 0.85 and len(text) < 200
        if link_list or link_line:
            doomed.append(el)
    parents = [el.getparent() for el in doomed]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for box in parents + list(main.iter("div", "section")):
        if box is not None and box is not main and box.getparent() is not None \
                and _lone_label(box, any(box is p for p in parents)):
            box.drop_tree()


_LABEL_LEN = 25  # characters: "Related keywords", "Recommended", "Tin liên quan"


def _lone_label(box: lxml_html.HtmlElement, emptied: bool) -> bool:
    """A box left holding only its label: its list was dropped above (`emptied`), or its slots are empty
    (two or more, filled by script: ads, recommendations)."""
    text = text_content(box)
    if not text.strip() or _visible_len(text) > _LABEL_LEN or box.find(".//img") is not None:
        return False
    empty = sum(1 for child in box if not text_content(child).strip() and child.find(".//img") is None)
    return emptied or empty >= 2


_MIN_CANDIDATE = 150  # characters: the extractor's minimum body


def declared_area(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """Where a page without one paragraph of prose keeps its content (a photo story, a short notice): its
    one article-like container, else its <body>; None when that holds no text."""
    for path in (".//*[@itemprop='articleBody']", ".//article", ".//main", ".//body"):
        found = root.findall(path)
        if len(found) == 1 and text_content(found[0]).strip():
            return found[0]
    return None


def find_main(root: lxml_html.HtmlElement, strip_unlikely: bool = True,
              keep_hidden: bool = False) -> lxml_html.HtmlElement | None:
    """The element that most likely holds the article body, or None when nothing text-like is found.

    `strip_unlikely=False` is readability's second attempt: some sites name the story's own wrapper
    "sidebar-grid" or "community", so when the first attempt finds too little the names are not trusted.
    `keep_hidden=True` also keeps what the page hides: a story that a script reveals.
    """
    if not keep_hidden:
        _drop_hidden(root)
    if strip_unlikely:
        _drop_unlikely(root)
    scores, paragraphs = _score_paragraphs(root)
    if not scores:
        return None
    link_lens = {a: _visible_len(text_content(a)) for a in root.iter("a")}
    lengths = _text_lengths(scores)
    final = {node: _final(node, score, link_lens, lengths[node]) for node, score in scores.items()}
    for node in list(final):
        if node.tag == "body":
            final[node] *= 0.5
    ranked = sorted(((score, node) for node, score in final.items()), key=lambda pair: -pair[0])
    # a box too short to pass as a body (a teaser <article class="article">, scored by its names) is no
    # candidate while a longer one is there
    first = next((i for i, (_, node) in enumerate(ranked)
                  if len(text_content(node).strip()) >= _MIN_CANDIDATE), 0)
    ranked = ranked[first:]
    if ranked[0][0] <= 0:
        return None
    return _keep_siblings(_widen(ranked[0][1], ranked, final), final)
