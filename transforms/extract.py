"""html bytes + url + profile → ArticleRecord | Quarantine. Pure and deterministic; never raises on a page.

Time goes where it matters: one lxml parse of the page (metadata, dates, finding the article), then
BeautifulSoup (lxml tree builder) cleans only the article's subtree (see clean.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from transforms import authors as bylines
from transforms.clean import BOILER_CLASS, CAPTION_CLASS, Cleaned, clean_fragment
from transforms.datefinder import find_page_dates
from transforms.dates import find_dates, naive_zone, to_utc
from transforms.generic import declared_area, drop_link_boxes, find_main, prune
from transforms.metadata import PageMeta, person_names, read_meta
from transforms.profile import Profile
from transforms.record import ArticleRecord, ImageRef, Quarantine
from transforms.text import convert_tcvn3, decode_html, legacy_font, match_key, normalize_text
from transforms.version import EXTRACTOR_VERSION

_LEAD_CLASS = re.compile(r"sapo|\blead|summary|chapeau|description|intro|tom-?tat|abstract|teaser|"
                         r"subtitle|standfirst|excerpt|preface", re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"author|byline|tac-?gia|writer|reporter|nguon|source|photo|credit|signature",
                           re.IGNORECASE)
_VIEWS = re.compile(r"(?:lượt\s*xem|lượt\s*đọc|view\s*count|số\s*lần\s*xem|views?)\s*:?\s*(\d[\d.,]*)|"
                    r"(\d[\d.,]*)\s*(?:lượt\s*xem|lượt\s*đọc|views)", re.IGNORECASE)
_ERROR_TITLE = re.compile(r"\b404\b|không tìm thấy|not found|trang không tồn tại|lỗi hệ thống|page not found|"
                          r"error\s*\d{3}|(?<![\d.,])\b50[0-3]\b", re.IGNORECASE)
_VI_CHAR_RE = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_MIN_BODY_CHARS = 150
_BYLINE_MARK = re.compile(r"\bbyline\b|\bauthor(?:-?name)?\b|\bbyline__|\bauthor__name|\btac-?gia\b")
# a link to the writer's own page ("/author/jane-doe/", "/tac-gia/dao-quyen"): its text is the name
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en)?|auteurs?|writers?|tac-gia)/(?:[\w-]+/)?[^/?#]+/?$",
                          re.IGNORECASE)
_MARK_TAGS = frozenset({"a", "span", "div", "p", "address", "li"})
_META_WORDS = re.compile(r"ngày\s*đăng|cập\s*nhật|đăng\s*lúc|gửi\s*lúc|\||:(?!\d)", re.IGNORECASE)


def extract(body: bytes, url: str, profile: Profile | None = None,
            content_type: str | None = None) -> ArticleRecord | Quarantine:
    """Extract one page. Anything that is not an article comes back as a Quarantine with its reason."""
    try:
        return _extract(body, url, profile or Profile(), content_type)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a run; the reason is kept
        return _quarantine(url, "extractor-error", f"{type(exc).__name__}: {exc}")


def _quarantine(url: str, reason: str, detail: str | None = None) -> Quarantine:
    return Quarantine(url, reason, detail, EXTRACTOR_VERSION)


def _select(root: lxml_html.HtmlElement, selector: str | None) -> list[lxml_html.HtmlElement]:
    if not selector:
        return []
    try:
        return list(root.cssselect(selector))
    except Exception as exc:  # cssselect raises its own SelectorError family
        raise ValueError(f"bad profile selector {selector!r}: {exc}") from exc


def _text(el: lxml_html.HtmlElement) -> str:
    return normalize_text(el.text_content())


# characters XML (and so lxml) refuses: a stray one would fail the parse (NUL) or the first edit of the tree
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(body: bytes, content_type: str | None) -> tuple[lxml_html.HtmlElement | None, str]:
    decoded = decode_html(body, content_type)
    # an XML declaration naming an encoding makes lxml refuse the (decoded) text: XHTML pages start with one
    text = _XML_DECL.sub("", _NOT_XML.sub("", decoded.text).strip(), count=1)
    if not text:
        return None, decoded.encoding
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None, decoded.encoding
    _scrub(root)
    return root, decoded.encoding


def _scrub(root: lxml_html.HtmlElement) -> None:
    """Drop what character references (`&#2;`, even without the `;`) put back into the tree's text."""
    for el in root.iter():
        if el.text and _NOT_XML.search(el.text):
            el.text = _NOT_XML.sub("", el.text)
        if el.tail and _NOT_XML.search(el.tail):
            el.tail = _NOT_XML.sub("", el.tail)


def _extract(body: bytes, url: str, profile: Profile, content_type: str | None) -> ArticleRecord | Quarantine:
    root, encoding = _parse(body, content_type)
    if root is None:
        return _quarantine(url, "empty-page", f"{len(body)} bytes, nothing to parse")
    meta = read_meta(root)
    flags = [f"charset:{encoding}"] if encoding != "utf-8" else []
    title_el, title = _title(root, meta, profile)
    if title and _ERROR_TITLE.search(title) or meta.html_title and _ERROR_TITLE.search(meta.html_title):
        return _quarantine(url, "error-page", f"title {title or meta.html_title!r}")
    header_text = _header_text(root, title_el, profile)
    zone = naive_zone(_language(meta, [title or "", meta.html_title or "", header_text]))
    dates = find_page_dates(root, meta, profile, url, header_text, zone)
    views = _view_count(root, profile, header_text)
    category = _category(root, meta, profile)
    tags = _tags(root, meta, profile)
    if not meta.authors:  # before pruning: bylines sit in <header>s
        meta.marked_authors = list(_marked_authors(root, title_el))
    header_lead = None if profile.lead else _header_lead(title_el)
    prune(root)
    main, method = _main_node(root, profile)
    found = _article_text(root, main, method, meta, profile, url, title)
    if method == "generic" and _too_short(found):
        found = _second_attempt(body, content_type, found, meta, profile, url, title)
    if method == "generic" and isinstance(found, Quarantine) and found.reason == "no-article-body":
        found = _from_script_data(body, content_type, found, meta, profile, url, title)
    if isinstance(found, Quarantine):
        return found
    found = _with_lead(found, header_lead)
    cleaned, lead, blocks, byline = found.cleaned, found.lead, found.blocks, found.byline
    if found.length < _MIN_BODY_CHARS:
        # a short notice or a photo story is an article when it is dated or marked as one; a maintenance
        # notice, a login page or an empty search result under the site's <title> is not
        if dates.published is None and not _marked_article(root, meta):
            return _quarantine(url, "no-article-body",
                               f"{found.length} characters of text, no date and nothing marks an article")
        flags.append("short-body")
    if dates.published is None and title is None:
        return _quarantine(url, "not-article", "no title and no publication date")
    record = ArticleRecord(
        url=url,
        canonical_url=_canonical(url, meta),
        title=title or "",
        lead=lead,
        paragraphs=tuple(blocks),
        published_at=to_utc(dates.published),
        published_date=dates.published_date,
        published_offset=dates.published_offset,
        updated_at=to_utc(dates.updated),
        authors=byline.authors,
        author_org=byline.org,
        photographers=byline.photographers,
        origin=byline.origin,
        category=category,
        tags=tags,
        view_count=views,
        images=tuple(ImageRef(u, c) for u, c in cleaned.images),
        language=_language(meta, blocks),
        extractor_version=EXTRACTOR_VERSION,
        method=method,
        flags=tuple(flags),
    )
    return _legacy(record)


# -- title -------------------------------------------------------------------------------------------

def _title(root: lxml_html.HtmlElement, meta: PageMeta,
           profile: Profile) -> tuple[lxml_html.HtmlElement | None, str | None]:
    for el in _select(root, profile.title):
        text = _text(el)
        if text:
            return el, text
    hint = meta.title or meta.headline
    h1s = [el for el in root.iter("h1") if _text(el)]
    if hint:
        key = match_key(hint)
        for el in h1s:
            if match_key(_text(el)) == key:
                return el, _text(el)
        for el in root.iter("h1", "h2", "h3", "div", "span", "p"):
            if not el.text:
                continue
            size = len(el.text_content())  # whitespace may pad it; only far-off sizes are skipped unkeyed
            if len(hint) // 2 <= size <= 3 * len(hint) + 50 and match_key(_text(el)) == key:
                return el, _text(el)
    if h1s:
        # the first h1 that is not the site logo
        for el in h1s:
            if not el.xpath(".//img") and len(_text(el)) > 10:
                return el, _text(el)
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


# -- dates, views, category, tags -------------------------------------------------------------------

def _header_text(root: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None,
                 profile: Profile) -> str:
    """The text right after the title (where the date line, view count and category sit), ~600 chars.

    Page clocks sit before the title, sidebar dates far after it; neither is read.
    """
    if title_el is None:
        return ""
    parts: list[str] = []
    size = 0
    seen_title = False
    for el in root.iter():
        if el is title_el:
            seen_title = True
            if el.tail:
                parts.append(el.tail)
            continue
        if not seen_title or not isinstance(el.tag, str) or el.tag in ("script", "style"):
            if seen_title and el.tail:
                parts.append(el.tail)
            continue
        if _is_inside(el, title_el):
            continue
        for chunk in (el.text, el.tail):
            if chunk and chunk.strip():
                parts.append(chunk)
                size += len(chunk)
        if size > 600:
            break
        parts.append(" \n ")
    return normalize_text(" ".join(parts)) if parts else ""


def _is_inside(el: lxml_html.HtmlElement, ancestor: lxml_html.HtmlElement) -> bool:
    return any(parent is ancestor for parent in el.iterancestors())


def _number(text: str) -> int | None:
    digits = re.sub(r"[.,\s]", "", text)
    return int(digits) if digits.isdigit() else None


def _view_count(root: lxml_html.HtmlElement, profile: Profile, header: str) -> int | None:
    for el in _select(root, profile.view_count):
        m = _VIEWS.search(_text(el))
        value = _number(m.group(1) or m.group(2)) if m else _number(_text(el))
        if value is not None:
            return value
    m = _VIEWS.search(header)
    return _number(m.group(1) or m.group(2)) if m else None


def _category(root: lxml_html.HtmlElement, meta: PageMeta, profile: Profile) -> str | None:
    for el in _select(root, profile.category):
        if text := _text(el):
            return text
    if meta.section:
        return meta.section
    for crumb in root.xpath("//*[contains(@class,'breadcrumb') or contains(@class,'Breadcrumb')]"):
        links = [_text(a) for a in crumb.iter("a") if _text(a)]
        links = [t for t in links if match_key(t) not in ("trang chủ", "home", "trang chu")]
        if links:
            return links[-1]
    return None


def _tags(root: lxml_html.HtmlElement, meta: PageMeta, profile: Profile) -> tuple[str, ...]:
    for el in _select(root, profile.tags):
        links = [_text(a) for a in el.iter("a") if _text(a)]
        if links:
            return tuple(links)
    if meta.tags:
        return tuple(meta.tags)
    for box in root.xpath("//*[contains(@class,'tags') or contains(@class,'keyword') or "
                          "contains(@class,'tu-khoa')]"):
        links = [_text(a) for a in box.iter("a") if _text(a)]
        if links:
            return tuple(links)
    return tuple(meta.keywords)


# -- the body ----------------------------------------------------------------------------------------

def _main_node(root: lxml_html.HtmlElement, profile: Profile) -> tuple[lxml_html.HtmlElement | None, str]:
    nodes = _select(root, profile.body)
    if nodes:
        return nodes[0], "profile"
    return find_main(root), "generic"


@dataclass(frozen=True)
class _Text:
    """The article's text as found: cleaned area, lead, body blocks and byline."""

    cleaned: Cleaned
    lead: str | None
    blocks: list[str]
    byline: bylines.Byline

    @property
    def length(self) -> int:
        return sum(len(b) for b in self.blocks) + len(self.lead or "")


def _article_text(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement | None, method: str,
                  meta: PageMeta, profile: Profile, url: str, title: str | None) -> _Text | Quarantine:
    """The body, lead and byline of the main area, or why there is no article in it."""
    if main is None:
        return _quarantine(url, "no-article-body", "no element holds paragraph text")
    if (verdict := _listing(main, meta)) is not None:
        return _quarantine(url, "listing", verdict)
    if method == "generic":
        drop_link_boxes(main)
    fragment = lxml_html.tostring(main, encoding="unicode")
    cleaned = clean_fragment(fragment, url, profile.remove)
    lead = _lead(root, main, meta, profile, cleaned)
    blocks = _body_blocks(cleaned, title, lead)
    blocks, byline = _byline(root, main, profile, blocks, meta)
    found = _Text(cleaned, lead, blocks, byline)
    if not blocks:
        return _quarantine(url, "no-article-body", "no text left after cleaning")
    # a short notice or a photo story under its own title is an article (flagged short-body); short text
    # with no title of its own is a fragment, not something to land
    if found.length < _MIN_BODY_CHARS and not title:
        return _quarantine(url, "no-article-body", f"{found.length} characters of text after cleaning, no title")
    return found


_RETRY_BELOW = 500  # readability's char threshold: less text than this gets a second, less strict attempt


def _too_short(found: _Text | Quarantine) -> bool:
    if isinstance(found, Quarantine):
        return found.reason == "no-article-body"  # a listing stays a listing
    return found.length < _RETRY_BELOW


def _second_attempt(body: bytes, content_type: str | None, first: _Text | Quarantine, meta: PageMeta,
                    profile: Profile, url: str, title: str | None) -> _Text | Quarantine:
    """The generic finder again on a fresh parse, without dropping containers for their names; the longer
    text of the two attempts wins (the page is parsed again only on this rare path)."""
    fresh, _ = _parse(body, content_type)
    if fresh is None:
        return first
    prune(fresh)
    # with nothing found at all, nothing is trusted: names, nor what the page hides (a script may show it)
    main = find_main(fresh, strip_unlikely=False, keep_hidden=isinstance(first, Quarantine))
    if main is None and isinstance(first, Quarantine):
        main = declared_area(fresh)  # no prose anywhere: a photo story or a short notice, if it has a title
    other = _article_text(fresh, main, "generic", meta, profile, url, title)
    if isinstance(other, Quarantine) or not isinstance(first, Quarantine) and other.length <= first.length:
        return first
    return other


# a JSON string of HTML under a content/body/html key, as script-rendered pages (Next.js, React Query) carry
# the story: "contentHtml":"\u003cp\u003e…"
_SCRIPT_HTML = re.compile(r'"\w*(?:content|body|html)\w*"\s*:\s*"((?:[^"\\]|\\.){500,}?)"', re.IGNORECASE)

_PLACEHOLDER = re.compile(r"\$\$\w+\$\$|\{\{\s*\w+\s*\}\}|%%\w+%%")


def _from_script_data(body: bytes, content_type: str | None, first: Quarantine, meta: PageMeta,
                      profile: Profile, url: str, title: str | None) -> _Text | Quarantine:
    """A page whose story is only in its scripts' data, rendered in the browser: the longest such string
    holding paragraphs is read as the article area (only when the page itself gave no body)."""
    best = ""
    for m in _SCRIPT_HTML.finditer(decode_html(body, content_type).text):
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
    found = _article_text(area, area, "generic", meta, profile, url, title)
    return first if isinstance(found, Quarantine) else found


def _link_density(el: lxml_html.HtmlElement) -> float:
    text_len = len(el.text_content().strip())
    if not text_len:
        return 1.0
    return sum(len(a.text_content().strip()) for a in el.iter("a")) / text_len


def _says_article(meta: PageMeta) -> bool:
    return meta.og_type == "article" or meta.is_article


def _marked_article(root: lxml_html.HtmlElement, meta: PageMeta) -> bool:
    """The page says it is an article: og:type, JSON-LD, an <article> element or itemprop=articleBody."""
    return _says_article(meta) or root.find(".//article") is not None \
        or root.find(".//*[@itemprop='articleBody']") is not None


def _listing(main: lxml_html.HtmlElement, meta: PageMeta) -> str | None:
    """Why the main area is a list of links rather than an article, or None.

    A page that declares itself an article (og:type, JSON-LD) is only a listing when links are nearly all
    of its text; otherwise many linked headlines with about as many paragraphs (teaser + summary) are.
    """
    density = _link_density(main)
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
    return sum(1 for h in el.iter("h2", "h3", "h4") if h.find(".//a") is not None and len(_text(h)) > 15
               and _link_density(h) >= 0.6)


def _lead(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, meta: PageMeta, profile: Profile,
          cleaned: Cleaned) -> str | None:
    for el in _select(root, profile.lead):
        if text := _text(el):
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
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    # "taglib-asset-tags-summary" says summary but is a tag list
    return bool(names.strip() and _LEAD_CLASS.search(names) and not BOILER_CLASS.search(names.lower())
                and not _holds_caption(el))


def _lead_box_text(el: lxml_html.HtmlElement) -> str | None:
    """The text of a lead-named box that reads like a lead: 40-1,200 characters, no headline link in it."""
    if not _named_lead(el):
        return None
    text = _text(el)
    if 40 <= len(text) <= 1200 and not el.xpath(".//a[string-length(normalize-space()) > 20]"):
        return text
    return None


def _header_lead(title_el: lxml_html.HtmlElement | None) -> str | None:
    """The standfirst in the article's <header> (the one around the title, with the byline and date),
    read before the page's headers are pruned as furniture."""
    headers = [] if title_el is None else [a for a in title_el.iterancestors("header")]
    for header in headers[:1]:
        for el in header.iter(*_LEAD_TAGS):
            if text := _lead_box_text(el):
                return text
    return None


def _with_lead(found: _Text, lead: str | None) -> _Text:
    """The header's standfirst as the lead when the article area gave none (and out of the body)."""
    if found.lead or not lead:
        return found
    key, n = match_key(lead), len(lead)
    blocks = [b for b in found.blocks if abs(len(b) - n) > n // 4 + 5 or match_key(b) != key]
    return replace(found, lead=lead, blocks=blocks)


def _holds_caption(el: lxml_html.HtmlElement) -> bool:
    """A "lead" wrapper around the lead photo (`LeadFeature`, `lead-media`) holds its caption, not a summary."""
    return any(d.tag in ("figure", "figcaption") or CAPTION_CLASS.search((d.get("class") or "").lower())
               for d in el.iter())


def _described(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, description: str | None) -> str | None:
    """The standfirst under the title, found by the page's description that repeats (or truncates) it: a
    subtitle heading or paragraph with no lead name, standing before the article area."""
    want = normalize_text(description or "").rstrip(".…").strip()
    if len(want) < 40:
        return None
    for el in root.iter("h2", "p"):
        if len(el.text_content()) < len(want):  # cheap before normalizing
            continue
        text = _text(el)
        parent = el.getparent()
        beside_image = parent is not None and parent.find(".//img") is not None  # a photo's caption
        if text.startswith(want) and not beside_image and not any(a is main for a in el.iterancestors()) \
                and _precedes(el, main):
            return text
    return None


def _opening_paragraphs(el: lxml_html.HtmlElement, main: lxml_html.HtmlElement) -> bool:
    """A "lead" box in the article area holding several paragraphs is the body's opening: the body keeps
    its paragraphs, so as a lead it would print them twice."""
    filled = sum(1 for p in el.iter("p") if p.text_content().strip())  # an empty <p> is spacing
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
    key = el.text_content().strip()[:40]
    if area.text_content().find(key) <= _LEAD_WITHIN:
        return True
    without_captions = "".join(area.xpath(".//text()[not(ancestor::figure or ancestor::figcaption)]"))
    return without_captions.find(key) <= _LEAD_WITHIN


# year first, as East Asian pages write a day ("2025/01/31 11:30", "2025年1月13日 21時37分"): only to spot the
# meta row, the publication date comes from the page's metadata
_YMD = re.compile(r"\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|([/.\-])\s*\d{1,2}\s*\1\s*\d{1,2})"
                  r"(?:\s*[(（]\w{1,3}[)）])?(?:\s*\d{1,2}\s*(?:[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|時\s*\d{1,2}\s*分))?")


def _is_meta_line(text: str) -> bool:
    """A short line that is only a date, view count or category label (the article's meta row)."""
    if len(text) > 120:
        return False
    rest = _META_WORDS.sub("", _VIEWS.sub("", text))  # labels and a view count belong to the meta row
    spans = [(h.start, h.end) for h in find_dates(rest)] or [m.span() for m in _YMD.finditer(rest)]
    covered = sum(end - start for start, end in spans)
    return bool(spans) and covered >= 0.45 * len(rest.strip())


def _body_blocks(cleaned: Cleaned, title: str | None, lead: str | None) -> list[str]:
    skip = {match_key(t) for t in (title, lead) if t}
    lengths = {len(t) for t in (title, lead) if t}
    # match_key is costly on long paragraphs: only blocks about as long as the title or lead can repeat them
    blocks = [b for b in cleaned.blocks
              if not any(abs(len(b) - n) <= n // 4 + 5 for n in lengths) or match_key(b) not in skip]
    # The meta row (date, views) can sit at the top of the article area; text never starts with it.
    while blocks and (_is_meta_line(blocks[0]) or _VIEWS.fullmatch(blocks[0])):
        blocks.pop(0)
    return blocks


def _byline(root: lxml_html.HtmlElement, main: lxml_html.HtmlElement, profile: Profile, blocks: list[str],
            meta: PageMeta) -> tuple[list[str], bylines.Byline]:
    """Authors, photographers and origin: from the profile's author element, or the lines ending the body,
    or a byline element right after the body; JSON-LD authors first, <meta name=author> last."""
    tail = [_text(el) for el in _select(root, profile.author)]
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
    pass for names); a meta value naming the site itself only when nothing else names anyone."""
    tag = () if _site_like(meta.tag_authors, meta) else tuple(meta.tag_authors)
    if any(len(n.split()) > 4 for n in after_body):  # "Text Without Notes Melville Web Links": a heading
        after_body = ()
    return tuple(meta.authors) or tag or in_body or tuple(meta.marked_authors) or after_body \
        or tuple(meta.tag_authors)


_SITE_NAME = re.compile(r"\w\.[a-z]{2,6}$|^[a-z]|^[A-Z]{2,6}$")  # a domain, a slug ("chuck-ross"), an acronym


def _site_like(names: list[str], meta: PageMeta) -> bool:
    """Whether author values name the site, not a person: its name or <title> suffix, a domain, an acronym."""
    title = re.split(r"\s[|\-–—]\s", meta.html_title or "")[-1] if meta.html_title else ""
    own = {n.casefold() for n in (meta.site_name, title) if n}
    return any(n.casefold() in own or _SITE_NAME.search(n) for n in names)


def _marked_authors(root: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None) -> tuple[str, ...]:
    """Authors marked up in the page: rel=author links, itemprop=author, a byline/author element; the first
    after the headline (an author widget in a sidebar can come before it), else the first."""
    first: tuple[str, ...] = ()
    past_title = title_el is None
    tags = _MARK_TAGS if title_el is None else _MARK_TAGS | {title_el.tag}
    for el in root.iter(*tags):  # lxml filters the tags: far fewer elements to look at
        past_title = past_title or el is title_el
        if el.tag not in _MARK_TAGS:
            continue
        marks = f"{el.get('itemprop') or ''} {el.get('rel') or ''}".lower().split()  # "author creator"
        if "author" in marks or el.tag != "a" and _BYLINE_MARK.search((el.get("class") or "").lower()) \
                or el.tag == "a" and _AUTHOR_PAGE.search(el.get("href") or ""):
            names = _names_in(el)
            if names and past_title:
                return names
            first = first or names
    return first


def _names_in(el: lxml_html.HtmlElement) -> tuple[str, ...]:
    """The people an author element names: its itemprop=name, one inner element per author, or its whole text
    ("Ana Ruiz and Li Wei"); in a short box, its inner elements that are names (a name link beside a job
    title). A longer box is an author's note or bio, not a byline."""
    named = el.find(".//*[@itemprop='name']")
    text = _text(named if named is not None else el)
    if named is not None or len(text) > 200:
        return _people([text])
    leaves = _people([_text(leaf) for leaf in el.iter(etree.Element) if len(leaf) == 0 and leaf is not el])
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
        elif _BYLINE_CLASS.search(names) or len(_text(sib)) < 120:
            blocks = [_text(p) for p in sib.iter("p", "div", "span", "strong", "em")
                      if len(p) == 0 and _text(p)] or [_text(sib)]
            lines.extend(b for b in blocks if len(b) < 120)
        sib = sib.getnext()
    return lines


# -- canonical, language, legacy fonts ---------------------------------------------------------------

def _canonical(url: str, meta: PageMeta) -> str:
    for candidate in (meta.canonical, meta.og_url):
        if candidate and not candidate.startswith(("javascript:", "#")):
            try:
                return urljoin(url, candidate)
            except ValueError:  # a broken canonical ("http://[x/") says nothing: the next one, or the URL
                continue
    return url


def _language(meta: PageMeta, blocks: list[str]) -> str | None:
    sample = " ".join(blocks)[:3000].lower()
    letters = sum(map(str.isalpha, sample))
    if letters and len(_VI_CHAR_RE.findall(sample)) / letters > 0.02:
        return "vi"  # Vietnamese letters settle it, whatever <html lang> claims (Liferay says en-US)
    if meta.language:
        return meta.language.split("-")[0].split("_")[0].lower() or None
    return None


def _legacy(record: ArticleRecord) -> ArticleRecord:
    """Convert TCVN3 text to Unicode; flag VNI text (kept as is)."""
    from dataclasses import replace

    kind = legacy_font(record.body_text)
    if kind is None:
        return record
    if kind == "vni":
        return replace(record, flags=record.flags + ("legacy-font:vni-unconverted",))
    paragraphs = tuple(convert_tcvn3(p) for p in record.paragraphs)
    return replace(
        record,
        title=convert_tcvn3(record.title),
        lead=convert_tcvn3(record.lead) if record.lead else None,
        paragraphs=paragraphs,
        authors=tuple(convert_tcvn3(a) for a in record.authors),
        language="vi",
        flags=record.flags + ("legacy-font:tcvn3-converted",),
    )
