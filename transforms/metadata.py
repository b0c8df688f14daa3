"""Page metadata from <head>: JSON-LD, OpenGraph/article meta tags, canonical link, language, <title>."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from transforms.dates import iso_fields, parse_iso
from transforms.text import normalize_text

_JOINERS = re.compile(r"\s*(?:,|;|\s+(?:and|und|&|và|et|y|e|og|en)\s+)\s*", re.IGNORECASE)
_NOT_NAME = re.compile(r"@|https?:|www\.|\d|^by$", re.IGNORECASE)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_SIGIL = re.compile(r"\s*\([a-z]{2,4}\.?\)$")  # "Elena Oberholzer (obe)": the desk's initials for the writer


def person_names(values: list[str]) -> list[str]:
    """Author values as separate names: "A and B" / "A, B" split; e-mails, URLs and numbers dropped."""
    names: list[str] = []
    for value in values:
        text = re.sub(r"^\s*(?:by|von|par|por|di|door|av|tác giả:?)\s+", "", normalize_text(value), flags=re.I)
        for part in _JOINERS.split(text):
            part = _SIGIL.sub("", part).strip(" .·|-")
            if part and len(part) <= 60 and not _NOT_NAME.search(part) and part not in names:
                names.append(part)
    return names

# schema.org's CreativeWork types a story is published as (Article and its subtypes, posts), and WebPage
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "webpage", "liveblogposting", "opinionnewsarticle", "report", "backgroundnewsarticle",
                  "reviewnewsarticle", "askpublicnewsarticle", "satiricalarticle", "scholarlyarticle",
                  "techarticle", "socialmediaposting", "discussionforumposting", "advertisercontentarticle"}
# JSON-LD inside <![CDATA[ ... ]]> (a habit from XHTML days): the wrapper is not JSON
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


_PUBLISHED_KEYS = frozenset({
    "article:published_time", "article:published:time", "datepublished", "pubdate", "publishdate",
    "dc.date.issued", "date", "dc.date", "og:published_time", "publish-date", "parsely-pub-date",
    "sailthru.date", "dcterms.date", "dcterms.created", "dc.date.created", "publication_date",
    "article.published", "date_published", "datecreated", "article:published",
})


@dataclass
class PageMeta:
    title: str | None = None  # og:title / twitter:title
    html_title: str | None = None  # <title>
    headline: str | None = None  # JSON-LD headline
    description: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    og_type: str | None = None
    language: str | None = None
    published: str | None = None  # raw date strings, parsed by the caller
    published_meta: str | None = None  # a meta tag's published date on another day than JSON-LD's, set aside
    modified: str | None = None
    authors: list[str] = field(default_factory=list)  # JSON-LD author names
    tag_authors: list[str] = field(default_factory=list)  # <meta name=author> and the like
    marked_authors: list[str] = field(default_factory=list)  # byline markup in the page (set by the extractor)
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # article:tag
    site_name: str | None = None
    is_article: bool = False  # JSON-LD declares an article type (NewsArticle, BlogPosting, ...)


def _walk_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_ld(data["@graph"])
        # a WebPage whose main entity is the article; a list there is a listing's, not this page's story
        if isinstance(data.get("mainEntity"), dict) and _types(data) & _ARTICLE_TYPES:
            yield from _walk_ld(data["mainEntity"])


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [normalize_text(value)] if value.strip() else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict) and value.get("name"):
        return _names(value["name"])
    return []


def _read_json_ld(root: lxml_html.HtmlElement, meta: PageMeta) -> None:
    ld_dates: list[tuple[bool, str]] = []  # (said of a WebPage?, datePublished)
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text))
        except ValueError:
            continue  # broken JSON-LD is common; the other sources still apply
        for obj in _walk_ld(data):
            if not _types(obj) & _ARTICLE_TYPES:
                continue
            meta.is_article = meta.is_article or bool(_types(obj) & (_ARTICLE_TYPES - {"webpage"}))
            if obj.get("datePublished"):
                ld_dates.append(("webpage" in _types(obj), str(obj["datePublished"])))
            if obj.get("dateModified") and meta.modified is None:
                meta.modified = str(obj["dateModified"])
            if obj.get("headline") and meta.headline is None:
                meta.headline = _headline(obj, meta)
            if not meta.authors:
                meta.authors = _people(person_names(_names(obj.get("author"))), obj, meta)
            if obj.get("articleSection") and meta.section is None:
                section = obj["articleSection"]
                meta.section = normalize_text(section[0] if isinstance(section, list) and section
                                              else str(section))
            if obj.get("keywords") and not meta.keywords:
                kw = obj["keywords"]
                meta.keywords = _split_keywords(kw if isinstance(kw, str) else ",".join(map(str, kw)))
    _take_ld_date(meta, ld_dates)


def _take_ld_date(meta: PageMeta, found: list[tuple[bool, str]]) -> None:
    """An article's JSON-LD datePublished beats the meta tags: a page-level tag is re-stamped when a post
    moves or is re-published, the article's own record keeps its first day. A WebPage's only fills a gap,
    and a bare day never replaces a meta tag giving that day with its time."""
    readable = sorted(((page, v) for page, v in found if parse_iso(v) is not None), key=lambda f: f[0])
    if not readable or readable[0][0] and meta.published is not None:
        return
    if not _less_precise(readable[0][1], meta.published):
        if meta.published is not None and (iso_fields(meta.published) or ("",))[0] \
                != (iso_fields(readable[0][1]) or ("",))[0]:
            meta.published_meta = meta.published  # kept: it may be the same moment in local time
        meta.published = readable[0][1]


def _less_precise(value: str, other: str | None) -> bool:
    """`value` says less than `other` about the same moment: the same day without the time `other` gives,
    or the same day and time without the offset `other` gives."""
    mine, theirs = iso_fields(value), iso_fields(other or "")
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return False
    return mine[1] is None and theirs[1] is not None \
        or mine[1] == theirs[1] and mine[2] is None and theirs[2] is not None


_TITLE_PARTS = re.compile(r"\s+[|–—\-:·»]\s+")


def _headline(obj: dict[str, Any], meta: PageMeta) -> str:
    """JSON-LD headline, or its name when only the name is in the <title>: some sites put a tagline in
    headline ('matrix equal to its conjugate-transpose' for the article named 'Hermitian matrix').
    A name that is the site's own (og:site_name) is not a title."""
    headline = normalize_text(str(obj["headline"]))
    name = normalize_text(str(obj.get("name") or "")).casefold()
    page_title = (meta.html_title or "").casefold()
    first_part = _TITLE_PARTS.split(page_title, maxsplit=1)[0].strip()
    site = {n.casefold() for n in [meta.site_name or "", *_names(obj.get("publisher"))] if n}
    # the name must be what the <title> leads with ("Hermitian matrix - Wikipedia"), never the site
    if name and name == first_part and headline.casefold() not in page_title and name not in site:
        return normalize_text(str(obj["name"]))
    return headline


def _people(names: list[str], obj: dict[str, Any], meta: PageMeta) -> list[str]:
    """JSON-LD author names, or the <meta name=author> names when JSON-LD only names the site itself
    (og:site_name or the publisher) or gives URL slugs ("chuck-ross") and the meta tag names someone else:
    the JSON-LD value is a placeholder there."""
    site = {n.casefold() for n in [meta.site_name or "", *_names(obj.get("publisher"))] if n}
    if names and meta.tag_authors and all(n.casefold() in site or _SLUG.fullmatch(n) for n in names) \
            and not any(n.casefold() in site for n in meta.tag_authors):
        return list(meta.tag_authors)
    return names


def _split_keywords(text: str) -> list[str]:
    return [normalize_text(k) for k in text.split(",") if k.strip()]


def _marked_date(root: lxml_html.HtmlElement) -> str | None:
    """A publication date marked up in the page body: itemprop=datePublished, or a <time> marked as
    published (class or pubdate attribute). Unmarked <time> elements are not read: sidebars have them."""
    for el in root.iter("time", "meta", "span", "div", "p"):
        if el.tag != "time" and el.get("itemprop") is None:  # most elements: nothing marks them, no class read
            continue
        prop = (el.get("itemprop") or "").lower()
        cls = (el.get("class") or "").lower()
        if prop == "datepublished" or el.tag == "time" and ("publish" in cls or el.get("pubdate") is not None):
            value = el.get("datetime") or el.get("content")
            if value:
                return value.strip()
    return None


def read_meta(root: lxml_html.HtmlElement) -> PageMeta:
    """Everything the head (and JSON-LD anywhere) says about the page. Never raises on odd markup."""
    meta = PageMeta(language=(root.get("lang") or None))
    written_by = None
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = el.get("content")
        if not key or content is None:
            continue
        content = content.strip()
        if key in ("og:title", "twitter:title") and meta.title is None:
            meta.title = normalize_text(content)
        elif key in ("description", "og:description") and meta.description is None:
            meta.description = normalize_text(content)
        elif key == "og:url":
            meta.og_url = content
        elif key == "og:type":
            meta.og_type = content.lower()
        elif key == "og:site_name":
            meta.site_name = normalize_text(content)
        elif key in _PUBLISHED_KEYS and meta.published is None and parse_iso(content) is not None:
            meta.published = content  # an unreadable value ("TBA") must not hide a later, readable key
        elif key in ("article:modified_time", "article:modified:time", "datemodified", "og:updated_time") \
                and meta.modified is None:
            meta.modified = content
        elif key == "article:section" and meta.section is None:
            meta.section = normalize_text(content)
        elif key == "article:tag":
            meta.tags.append(normalize_text(content))
        elif key in ("keywords", "news_keywords") and not meta.keywords:
            meta.keywords = _split_keywords(content)
        elif key in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author",
                     "twitter:misc:written by") and not meta.tag_authors:
            meta.tag_authors = person_names([content])
        elif key.startswith("twitter:label") and content.casefold() == "written by":
            written_by = key.replace("label", "data")  # Yoast SEO: label1 "Written by", data1 the name
        elif key in ("content-language", "language") and meta.language is None:
            meta.language = content
        elif key == written_by and not meta.tag_authors:
            meta.tag_authors = person_names([content])
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            meta.canonical = link.get("href", "").strip()
            break
    title = root.find(".//title")
    if title is not None:
        meta.html_title = normalize_text(title.text_content()) or None
    _read_json_ld(root, meta)
    if meta.published is None:
        meta.published = _marked_date(root)
    return meta
