"""Boilerplate removal with BeautifulSoup (lxml tree builder), on the article's subtree only.

The whole page is parsed once with lxml (fast); the part that holds the article is handed here as that lxml
subtree, built into a BeautifulSoup tree without a second parse (`_SubtreeBuilder`), and cleaned with
BeautifulSoup: widgets decomposed, captions taken out of the flow, text split into blocks, and
the trailing boilerplate cut ("Các tin khác", "Tin cùng chuyên mục", "Quay lại", "Xem tiếp", ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import PageElement, PreformattedString
from lxml import etree
from lxml import html as lxml_html

from transforms import vocabulary
from transforms.images import image_url
from transforms.text import match_key, normalize_text

# Elements that never hold article text.
JUNK_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea",
             "svg", "template", "nav", "aside", "footer", "object", "embed", "video", "audio", "canvas",
             "link", "meta", "head", "header")
BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote",
                        "table", "tbody", "thead", "tr", "td", "th", "section", "article", "figure",
                        "figcaption", "pre", "dl", "dt", "dd", "center", "main", "address", "hr", "caption"})
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# class/id fragments of widgets and page furniture (matched on lowercase class+id).
BOILER_CLASS = vocabulary.BOILER_CLASS
CAPTION_CLASS = vocabulary.CAPTION_CLASS
# Headings after which the rest of the article area is lists and forms, never text (compared via match_key).
STOP_LINES = frozenset(match_key(s) for s in (
    "Các tin khác", "Tin cùng chuyên mục", "Các bài viết khác", "Bài viết khác", "Các bài liên quan",
    "Bài liên quan", "Tin liên quan", "Các tin mới hơn", "Các tin cũ hơn", "Tin mới hơn", "Tin cũ hơn",
    "Xem tin theo ngày", "Quay lại", "Xem tiếp", "Quay lạiXem tiếp", "Phản hồi", "Ý kiến bạn đọc",
    "Gửi bình luận", "Bình luận", "Mới nhất", "Tin đọc nhiều", "Đọc nhiều", "Xem nhiều", "Tin nổi bật",
    "Tin mới", "Tin mới nhất", "Liên kết website", "Tin khác", "Cùng chuyên mục", "Có thể bạn quan tâm",
    "Tin xem nhiều", "Bài đọc nhiều", "Các tin đã đưa", "Tin tức liên quan", "Bạn đọc bình luận",
))
# Single lines of page furniture that can sit inside the article area.
DROP_LINES = frozenset(match_key(s) for s in (
    "Xem với cỡ chữ", "In bài", "In trang", "Chia sẻ", "Gửi email", "Tweet", "Zalo", "Lưu bài",
    "Bản in", "Gửi bài", "Quay lại", "Xem tiếp", "Đầu trang", "Lên đầu trang", "Tải về", "Nghe bài viết",
    "Từ khóa:", "Từ khóa", "Tags:", "Tags", "h", "Video",
))
# "» Xem thêm" is a link arrow; "»Jeg er opvokset …«" (Danish, German) or "»Det var …»" (Swedish) a quotation
_DROP_RE = re.compile(r"^(?:>>>|»(?!\S.*[«»])|\[video\]\s*$|video\s*:\s*\S+\.(?:mp4|flv|m3u8)|"
                      r"(?:xem|lượt xem|lượt đọc|view count)\s*:?\s*[\d.,]+$|[\d.,]+\s*lượt (?:xem|đọc)$)",
                      re.IGNORECASE)


@dataclass
class Cleaned:
    """The article area after cleaning: text blocks in order, and images with their captions."""

    blocks: list[str] = field(default_factory=list)
    images: list[tuple[str, str | None]] = field(default_factory=list)  # (absolute url, caption)
    captions: list[str] = field(default_factory=list)
    stopped_at: str | None = None  # the boilerplate heading that ended the article, if any


def _gone(tag: Tag) -> bool:
    """Whether `tag` was decomposed (bs4's own `decomposed` property searches the subtree for a child
    named "_decomposed" when the flag is unset: the single hottest call of the cleaner)."""
    return bool(vars(tag).get("_decomposed"))


def _class_id(tag: Tag) -> str:
    classes: object = tag.get("class") or []
    tokens = classes if isinstance(classes, list) else str(classes).split()
    # utility-class variants ("print:px-6", "dark:bg-x", "w-[40px]") say nothing about the content
    cls = " ".join(t for t in tokens if ":" not in t and "[" not in t)
    return f"{cls} {tag.get('id') or ''}".strip().lower()  # the class patterns are lowercase, case-sensitive


def _tags_in(root: Tag, name: str | None = None) -> list[Tag]:
    """find_all(True) / find_all(name) without bs4's matcher: the tags below `root` in document order."""
    return [t for t in root.descendants if isinstance(t, Tag) and (name is None or t.name == name)]


def _holds(root: Tag, name: str) -> bool:
    """root.find(name) is not None, without bs4's matcher."""
    return any(isinstance(t, Tag) and t.name == name for t in root.descendants)


def _sweep(root: Tag, keep: frozenset[int]) -> list[Tag]:
    """One pass over the tags: junk tags and widgets decomposed; caption elements returned (kept for now:
    images read them first)."""
    junk = frozenset(JUNK_TAGS)
    captions: list[Tag] = []
    total: int | None = None
    for tag in _tags_in(root):
        if _gone(tag):
            continue
        if tag.name in junk:
            if not (tag.name == "form" and len(tag.get_text()) > 1000):
                tag.decompose()
            continue
        if id(tag) in keep:
            continue
        names = _class_id(tag)
        if tag.name == "figcaption" or names and CAPTION_CLASS.search(names):
            captions.append(tag)
        elif names and _boiler(tag, names) and not _in_sentence(tag):
            total = len(root.get_text()) if total is None else total
            if len(tag.get_text()) < 0.5 * total and not _holds_prose(tag):  # not an article wrapper
                tag.decompose()
    return captions


def _boiler(tag: Tag, names: str) -> bool:
    if tag.name not in HEADING_TAGS:
        return BOILER_CLASS.search(names) is not None
    # "widget" names a CMS block, not what it holds: a sidebar widget goes with its container, while a
    # heading classed "widget-title" standing in the story is one of its subheadings
    return any(m.group() != "widget" for m in BOILER_CLASS.finditer(names))


_INLINE_TAGS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "small", "mark", "abbr", "font"})
_SENTENCE_AROUND = 50  # characters of the parent's own text: a sentence, not "Tags: , ,"


def _in_sentence(tag: Tag) -> bool:
    """An inline element inside running text (a keyword link `<a class="tag-link">` in a paragraph) is a
    word of the sentence, whatever its class says; a share or tag link stands in a bar of its own."""
    parent = tag.parent
    if tag.name not in _INLINE_TAGS or parent is None:
        return False
    own = sum(len(s.strip()) for s in parent.children if isinstance(s, NavigableString)
              and not isinstance(s, PreformattedString))
    return own >= _SENTENCE_AROUND


def _holds_prose(tag: Tag) -> bool:
    """Three or more long paragraphs with few links: part of the article whatever its class says."""
    long_paragraphs = 0
    for p in _tags_in(tag, "p"):
        text = p.get_text()
        if len(text) >= 120 and sum(len(a.get_text()) for a in _tags_in(p, "a")) < 0.3 * len(text):
            long_paragraphs += 1
            if long_paragraphs >= 3:
                return True
    return False


def _is_caption_el(tag: Tag) -> bool:
    return tag.name == "figcaption" or bool(CAPTION_CLASS.search(_class_id(tag)))


def _ancestor(tag: Tag, names: tuple[str, ...]) -> Tag | None:
    """The nearest enclosing element of one of `names` (a plain walk: bs4's find_parent builds a matcher
    per call, a cost paid for every image)."""
    return next((parent for parent in tag.parents if parent.name in names), None)


def _caption_el(img: Tag, boxed: dict[int, Tag]) -> Tag | None:
    """The caption of an image: figcaption/.caption in its figure or table, or else the short, all-italic
    (or centred) paragraph right after the image's own paragraph, as CMS editors write it.

    `boxed` maps id(figure or table) to the first caption element inside it (found once per page, not by a
    subtree search per image: layout tables are huge)."""
    container = _ancestor(img, ("figure", "table"))
    if container is not None:
        return boxed.get(id(container))
    block = _ancestor(img, ("p", "div"))
    if block is None or normalize_text(block.get_text(" ")):
        return None  # an image inside a text paragraph has no caption paragraph
    nxt = next((sib for sib in block.next_siblings if isinstance(sib, Tag)), None)
    if not isinstance(nxt, Tag) or nxt.name not in ("p", "div") or _holds(nxt, "img"):
        return None
    text = normalize_text(nxt.get_text(" "))
    if not text or len(text) > 300:
        return None
    italic = "".join(e.get_text() for e in _tags_in(nxt) if e.name in ("em", "i"))
    if normalize_text(italic) == text or (_centred(nxt) and len(text) < 200 and not _centred_text(nxt)):
        return nxt
    return None


def _centred(tag: Tag) -> bool:
    return "center" in str(tag.get("style") or "").lower() or "center" in str(tag.get("align") or "").lower()


def _centred_text(tag: Tag) -> bool:
    """Most text paragraphs beside `tag` are centred too: the whole story is centred (a blog post, a poem),
    so centring sets no caption apart."""
    siblings = [*tag.next_siblings, *tag.previous_siblings]
    texts = [sib for sib in siblings if isinstance(sib, Tag) and sib.name in ("p", "div")
             and not _holds(sib, "img") and normalize_text(sib.get_text(" "))]
    return len(texts) >= 2 and sum(map(_centred, texts)) > len(texts) / 2


def _take_images(root: Tag, base_url: str, out: Cleaned, captions: list[Tag]) -> None:
    """Record images with captions, then remove the caption elements from the text flow."""
    boxed: dict[int, Tag] = {}
    for cap in captions:
        for box in cap.parents:
            if box.name in ("figure", "table"):
                boxed.setdefault(id(box), cap)  # captions come in document order: the first one wins
    for img in _tags_in(root, "img"):
        attrs = {k: v if isinstance(v, str) else " ".join(v) for k, v in img.attrs.items()}
        url = image_url(attrs, base_url)
        cap_el = _caption_el(img, boxed)
        caption = normalize_text(cap_el.get_text(" ")) or None if cap_el is not None else None
        if cap_el is not None and not _is_caption_el(cap_el):
            if caption:
                out.captions.append(caption)
            cap_el.decompose()
        if url is not None and all(url != u for u, _ in out.images):
            out.images.append((url, caption))
    for cap in captions:
        if not _gone(cap):
            text = normalize_text(cap.get_text(" "))
            if text:
                out.captions.append(text)
            cap.decompose()


def _flow(node: Tag, buf: list[str], out: list[str]) -> None:
    """Split the subtree into text blocks: block elements and <br> end a block."""
    for child in node.contents:  # the list itself: .children wraps it in a generator
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctypes, processing instructions
                buf.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "br":
            _flush(buf, out)
        elif child.name in BLOCK_TAGS:
            _flush(buf, out)
            _flow(child, buf, out)
            _flush(buf, out)
        else:
            _flow(child, buf, out)


def _flush(buf: list[str], out: list[str]) -> None:
    if buf:
        text = normalize_text("".join(buf))
        buf.clear()
        if text:
            out.append(text)


_LONGEST_LINE = 80  # stop and drop lines are short; longer blocks are text without a key lookup


def _cut(blocks: list[str], out: Cleaned) -> None:
    for text in blocks:
        if len(text) > _LONGEST_LINE:
            if not _DROP_RE.match(text):
                out.blocks.append(text)
            continue
        key = match_key(text)
        if key.rstrip(" :") in STOP_LINES or key in STOP_LINES:
            out.stopped_at = text
            return
        if key in DROP_LINES or key.rstrip(" :") in DROP_LINES or _DROP_RE.match(text):
            continue
        out.blocks.append(text)


class _SubtreeBuilder(LXMLTreeBuilder):
    """BeautifulSoup's lxml tree builder fed the article's subtree as lxml already parsed it, instead of its
    serialization parsed again: the same soup (`<html><body>` around the element and its tail), one parse."""

    body: Tag  # the soup's <body>, once fed

    def prepare_markup(self, markup: Any, user_specified_encoding: str | None = None,
                       document_declared_encoding: str | None = None,
                       exclude_encodings: Any = None) -> Iterator[tuple[Any, None, None, bool]]:
        yield markup, None, None, False

    def feed(self, markup: Any) -> None:
        # <html><body> as bs4's own builders open them; the subtree itself is laid out by _Layout
        soup = self.soup
        assert soup is not None
        namespaces = self.active_namespace_prefixes[-1]
        soup.handle_starttag("html", None, None, self.attribute_dict_class(), namespaces=namespaces)
        body = soup.handle_starttag("body", None, None, self.attribute_dict_class(), namespaces=namespaces)
        assert body is not None
        self.body = body  # soup.body would search the tree for it (Tag.__getattr__ runs a find)
        _Layout(soup, self, namespaces).build(markup, body)
        for name in ("body", "html"):
            soup.endData()
            soup.handle_endtag(name)


class _Layout:
    """The soup's objects for an lxml subtree, made and linked as BeautifulSoup's handle_starttag,
    handle_data, endData and handle_endtag make them in a document-order parse (the same Tag and string
    classes, attributes and links: tests/test_clean_layout.py compares the two), without the per-call
    bookkeeping of a parser that may meet filters, unclosed tags or a tree being edited: the soup's
    construction was a tenth of the extractor's time."""

    def __init__(self, soup: BeautifulSoup, builder: LXMLTreeBuilder, namespaces: Any) -> None:
        self.soup, self.builder, self.namespaces = soup, builder, namespaces or {}
        self.last = soup._most_recent_element
        self.pending: list[str] = []
        self.preserving = 0  # open <pre>/<textarea>: whitespace kept as is
        self.containers: list[type[NavigableString]] = []  # open <rt>, <rp>, <script>, ...: their string class
        self.common = {  # what Tag.__init__ gives every tag of this builder
            "parser_class": soup.__class__, "namespace": None, "_namespaces": self.namespaces, "prefix": None,
            "sourceline": None, "sourcepos": None, "known_xml": builder.is_xml, "hidden": False,
            "attribute_value_list_class": builder.attribute_value_list_class,
            "cdata_list_attributes": builder.cdata_list_attributes,
            "preserve_whitespace_tags": builder.preserve_whitespace_tags,
        }

    def build(self, el: lxml_html.HtmlElement, parent: Tag) -> None:
        self._walk(el, parent)
        self._end_data(parent)
        self.soup._most_recent_element = self.last

    def _walk(self, el: lxml_html.HtmlElement, parent: Tag) -> None:
        if isinstance(el.tag, str):
            self._end_data(parent)
            tag = self._tag(el, parent)
            if el.text:
                self.pending.append(el.text)
            for child in el:
                self._walk(child, tag)
            self._end_data(tag)
            self._close(tag)
        elif el.tag is etree.Comment:
            self._end_data(parent)
            self.pending.append(el.text or "")
            self._end_data(parent, Comment)
        if el.tail:  # a processing instruction's tail joins the string before it, as in the soup
            self.pending.append(el.tail)

    def _tag(self, el: lxml_html.HtmlElement, parent: Tag) -> Tag:
        name, builder = el.tag, self.builder
        # lxml's values are all str, which the attribute dict's __setitem__ stores as they are
        attrs = builder.attribute_dict_class(el.attrib.items())
        if name == "meta":  # bs4 substitutes a meta's charset: its own constructor does that
            tag = Tag(self.soup, builder, name, None, None, attrs, parent, self.last,
                      namespaces=self.namespaces)
        else:
            tag = Tag.__new__(Tag)
            fields = vars(tag)
            fields.update(self.common)
            fields.update(name=name, attrs=attrs, contents=[],
                          can_be_empty_element=builder.can_be_empty_element(name),
                          interesting_string_types={builder.string_containers[name]}
                          if name in builder.string_containers else Tag.MAIN_CONTENT_STRING_TYPES)
            self._link(tag, parent)
        parent.contents.append(tag)
        self.last = tag
        if name in builder.preserve_whitespace_tags:
            self.preserving += 1
        if name in builder.string_containers:
            self.containers.append(builder.string_containers[name])
        return tag

    def _close(self, tag: Tag) -> None:
        if tag.name in self.builder.preserve_whitespace_tags:
            self.preserving -= 1
        if tag.name in self.builder.string_containers:
            self.containers.pop()

    def _end_data(self, parent: Tag, kind: type[NavigableString] | None = None) -> None:
        """BeautifulSoup.endData: the pending data as one string; all ASCII whitespace as one space or
        newline unless inside <pre>/<textarea>."""
        if not self.pending:
            return
        data = "".join(self.pending)
        self.pending.clear()
        if not self.preserving and not data.strip(_ASCII_SPACES):
            data = "\n" if "\n" in data else " "
        cls = kind or (self.containers[-1] if self.containers else NavigableString)
        string = str.__new__(cls, data)
        vars(string)["hidden"] = False
        self._link(string, parent)
        parent.contents.append(string)
        self.last = string

    def _link(self, node: PageElement, parent: Tag) -> None:
        """PageElement.setup for the newest node of a document-order parse."""
        fields = vars(node)
        previous = self.last
        sibling = parent.contents[-1] if parent.contents else None
        fields.update(parent=parent, previous_element=previous, next_element=None, next_sibling=None,
                      previous_sibling=sibling)
        if previous is not None:
            previous.next_element = node
        if sibling is not None:
            sibling.next_sibling = node


_ASCII_SPACES = BeautifulSoup.ASCII_SPACES


def clean_fragment(area: lxml_html.HtmlElement, base_url: str, remove: tuple[str, ...] = (),
                   keep_classes: frozenset[int] = frozenset()) -> Cleaned:
    """Clean the article area and split it into text blocks, images and captions.

    `remove` is extra CSS selectors of boilerplate (from the source profile).
    """
    builder = _SubtreeBuilder(multi_valued_attributes=None)  # class as one string: faster
    BeautifulSoup(area, builder=builder)
    root: Tag = builder.body
    for selector in remove:
        for tag in root.select(selector):
            tag.decompose()
    captions = _sweep(root, keep_classes)
    out = Cleaned()
    _take_images(root, base_url, out, captions)
    blocks: list[str] = []
    buf: list[str] = []
    _flow(root, buf, blocks)
    _flush(buf, blocks)
    _cut(blocks, out)
    return out
