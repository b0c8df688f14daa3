"""The byline: authors (JSON-LD, <meta name=author>, the byline ending the text, the page's author
markup, a short line after the body), photographers, the writer's organisation and the story's origin."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from transforms import authors as bylines
from transforms import vocabulary
from transforms.metadata import PageMeta, person_names
from transforms.page import select, text_of
from transforms.profile import Profile

_MARK_TAGS = frozenset({"a", "span", "div", "p", "address", "li"})


def byline(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, profile: Profile, blocks: list[str],
            meta: PageMeta) -> tuple[list[str], bylines.Byline]:
    """Authors, photographers and origin: from the profile's author element, or the lines ending the body,
    or a byline element right after the body; JSON-LD authors first, <meta name=author> last."""
    tail = [text_of(el) for el in select(root, profile.author)]
    if not tail:
        tail = _tail_lines(main)
    body, found = bylines.strip_trailing(blocks)
    from_tail = bylines.read_leading([ln for ln in tail if ln])
    return body, bylines.Byline(
        authors=_authors(meta, found.authors, from_tail.authors),
        org=found.org or from_tail.org,
        photographers=found.photographers + from_tail.photographers,
        origin=found.origin or from_tail.origin,
    )


def _authors(meta: PageMeta, in_body: tuple[str, ...], after_body: tuple[str, ...]) -> tuple[str, ...]:
    """JSON-LD names each author on its own and comes first, then <meta name=author>, then the byline ending
    the text, the page's byline markup, a short line after the body (the weakest: "Tags", "More from us"
    pass for names). A JSON-LD or meta value naming the publisher or the site itself ("VnExpress", "Báo Cao
    Bằng điện tử") is taken only when nothing else names anyone: a site is never the author of a page that
    names its writer."""
    if meta.authors and publisher_like(meta.authors, meta) \
            and (writers := _writers(in_body, meta.marked_authors)):
        return writers
    tag = () if _site_like(meta.tag_authors, meta) else tuple(meta.tag_authors)
    if any(len(n.split()) > 4 for n in after_body):  # "Text Without Notes Melville Web Links": a heading
        after_body = ()
    return tuple(meta.authors) or tag or in_body or tuple(meta.marked_authors) or after_body \
        or tuple(meta.tag_authors)


def publisher_like(names: list[str], meta: PageMeta) -> bool:
    """Whether author values are the publisher's name: the site's own (og:site_name, the <title> suffix) or an
    organisation's. Unlike _site_like, a lowercase value ("dpa", "viktor hedlund") is no publisher."""
    own = _own_names(meta)
    return all(n.casefold() in own or bylines.is_organisation(n) for n in names)


def _writers(in_body: tuple[str, ...], marked: list[str]) -> tuple[str, ...]:
    """The people the page itself names as its writers (the byline ending the text, else byline markup):
    each a person's name of two words or more, none an organisation's ("Agenturen", "Kurzmeldung" are not)."""
    for names in (in_body, tuple(marked)):
        if names and all(len(n.split()) >= 2 and bylines.is_person(n) and not bylines.is_organisation(n)
                         for n in names):
            return names
    return ()


_SITE_NAME = re.compile(r"\w\.[a-z]{2,6}$|^[a-z]|^[A-Z]{2,6}$")  # a domain, a slug ("chuck-ross"), an acronym


def _own_names(meta: PageMeta) -> set[str]:
    """The site's own names, casefolded: og:site_name and the last part of the <title>."""
    title = re.split(r"\s[|\-–—]\s", meta.html_title or "")[-1] if meta.html_title else ""
    return {n.casefold() for n in (meta.site_name, title) if n}


def _site_like(names: list[str], meta: PageMeta) -> bool:
    """Whether author values name the site, not a person: its name or <title> suffix, a domain, an acronym,
    a name that opens like an organisation's ("Báo …", "Cổng thông tin …")."""
    own = _own_names(meta)
    return any(n.casefold() in own or _SITE_NAME.search(n) or bylines.is_organisation(n) for n in names)


def marked_authors(root: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None) -> tuple[str, ...]:
    """Authors marked up in the page: rel=author links, itemprop=author, a byline/author element; the first
    after the headline (an author widget in a sidebar can come before it), else the first."""
    first: tuple[str, ...] = ()
    past_title = title_el is None
    tags = _MARK_TAGS if title_el is None else _MARK_TAGS | {title_el.tag}
    for el in root.iter(*tags):  # lxml filters the tags: far fewer elements to look at
        past_title = past_title or el is title_el
        if el.tag not in _MARK_TAGS:
            continue
        if _marked_author(el):
            names = _names_in(el)
            if names and past_title:
                return names
            first = first or names
    return first


def _marked_author(el: lxml_html.HtmlElement) -> bool:
    """itemprop/rel naming an author ("author creator"), a byline class, or a link to a writer's page. Most
    elements carry none of these attributes: each is read only when present."""
    itemprop, rel = el.get("itemprop"), el.get("rel")
    if (itemprop or rel) and "author" in f"{itemprop or ''} {rel or ''}".lower().split():
        return True
    if el.tag != "a":
        cls = el.get("class")
        return bool(cls) and vocabulary.BYLINE_MARK.search(cls.lower()) is not None
    href = el.get("href")
    return bool(href) and vocabulary.AUTHOR_PAGE.search(href) is not None


def _names_in(el: lxml_html.HtmlElement) -> tuple[str, ...]:
    """The people an author element names: its itemprop=name, one inner element per author, or its whole text
    ("Ana Ruiz and Li Wei"); in a short box, its inner elements that are names (a name link beside a job
    title). A longer box is an author's note or bio, not a byline."""
    named = el.find(".//*[@itemprop='name']")
    text = text_of(named if named is not None else el)
    if named is not None or len(text) > 200:
        return _people([text])
    leaves = _people([text_of(leaf) for leaf in el.iter(etree.Element) if len(leaf) == 0 and leaf is not el])
    whole = _people([text])
    return leaves if len(leaves) > 1 or not whole else whole


def _people(texts: list[str]) -> tuple[str, ...]:
    """The names in `texts` that read as people's, or none if the whole of one text is no name."""
    names = person_names([t for t in texts if 2 < len(t) <= 80])
    people = tuple(n for n in names if bylines.is_person(n))
    return people if len(texts) > 1 or len(people) == len(names) else ()


def _tail_lines(main: lxml_html.HtmlElement) -> list[str]:
    """Short lines in the few elements right after the body (a byline box), split by block."""
    lines: list[str] = []
    node = main
    for _ in range(2):  # the body may be wrapped (Liferay: div.asset-content > div.journal-content-article)
        parent = node.getparent()
        if node.getnext() is not None or parent is None:
            break
        node = parent
    sib = node.getnext()
    for _ in range(4):
        if sib is None:
            break
        names = f"{sib.get('class') or ''} {sib.get('id') or ''}"
        if not isinstance(sib.tag, str):  # a comment or processing instruction: no text of its own
            pass
        elif vocabulary.BYLINE_CLASS.search(names) or len(text_of(sib)) < 120:
            blocks = [text_of(p) for p in sib.iter("p", "div", "span", "strong", "em")
                      if len(p) == 0 and text_of(p)] or [text_of(sib)]
            lines.extend(b for b in blocks if len(b) < 120)
        sib = sib.getnext()
    return lines
