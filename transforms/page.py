"""One page as the field extractors see it: the parsed tree, its metadata, the profile, the URL and the
facts several fields share (the title element, the header text after it, the zone naive times are read in).

The shared facts are computed once, on first use (as fundus's `Precomputed`). They read the tree as it
is then: the orchestrator asks for them before the tree is pruned (see extract.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import cached_property

from lxml import etree
from lxml import html as lxml_html

from transforms.dates import naive_zone
from transforms.fields.language import language
from transforms.generic import text_content
from transforms.metadata import PageMeta, read_meta
from transforms.profile import Profile
from transforms.record import Quarantine
from transforms.text import decode_html, normalize_text
from transforms.version import EXTRACTOR_VERSION

# characters XML (and so lxml) refuses: a stray one would fail the parse (NUL) or the first edit of the tree
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))  # the C0 controls XML refuses
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Page:
    """A parsed page and what is known about it; `root` is the tree the fields read (pruned in place)."""

    body: bytes
    url: str
    profile: Profile
    content_type: str | None
    text: str  # the decoded page
    encoding: str  # the codec that decoded it
    root: lxml_html.HtmlElement
    meta: PageMeta = field(init=False)

    def __post_init__(self) -> None:
        self.meta = read_meta(self.root)

    @classmethod
    def parse(cls, body: bytes, url: str, profile: Profile, content_type: str | None) -> Page | None:
        """The page, or None when its bytes hold nothing to parse."""
        decoded = decode_html(body, content_type)
        # no U+FFFD: no byte was replaced, so a UTF-8 page's bytes are its text's encoding
        own = decoded.encoding == "utf-8" and "\ufffd" not in decoded.text
        root = parse_tree(decoded.text, body if own else None)
        if root is None:
            return None
        return cls(body, url, profile, content_type, decoded.text, decoded.encoding, root)

    def fresh_tree(self) -> lxml_html.HtmlElement | None:
        """Another parse of the same page (a second attempt works on an unpruned tree)."""
        return parse_tree(self.text)

    def quarantine(self, reason: str, detail: str | None = None) -> Quarantine:
        return quarantine(self.url, reason, detail)

    def select(self, selector: str | None) -> list[lxml_html.HtmlElement]:
        return select(self.root, selector)

    @cached_property
    def title(self) -> tuple[lxml_html.HtmlElement | None, str | None]:
        """The headline element and its text (see fields/title.py)."""
        from transforms.fields.title import find_title

        return find_title(self)

    @cached_property
    def header_text(self) -> str:
        """The text right after the title (where the date line, view count and category sit), ~600 chars."""
        return header_text(self.root, self.title[0])

    @cached_property
    def zone(self) -> tzinfo:
        """The zone naive times are read in, from the page's language."""
        title = self.title[1]
        return naive_zone(language(self.meta, [title or "", self.meta.html_title or "", self.header_text]))


def quarantine(url: str, reason: str, detail: str | None = None) -> Quarantine:
    return Quarantine(url, reason, detail, EXTRACTOR_VERSION)


def parse_tree(decoded: str, utf8: bytes | None = None) -> lxml_html.HtmlElement | None:
    """The page's tree; `utf8`: the decoded text's own UTF-8 encoding when the caller holds it (the page's
    bytes), saving an encoding pass."""
    source = _xml_safe_utf8(decoded, utf8)
    if not source:
        return None
    try:
        root = lxml_html.document_fromstring(_source(source), parser=_html_parser())
    except (etree.ParserError, ValueError):
        return None
    if b"&#" in source and _has_bad_refs(source.decode("utf-8")):  # only a reference can put one back
        _scrub(root)
    return root


def _xml_safe_utf8(decoded: str, utf8: bytes | None = None) -> bytes:
    """The page as UTF-8 without the characters XML refuses, stripped, without its XML declaration (one
    naming an encoding makes lxml refuse the decoded text: XHTML pages start with one). The controls are
    deleted from the bytes: bytes.translate is one C loop, a regex over the whole page's str took a
    twentieth of the extractor's time."""
    data = _stripped_utf8(decoded, utf8)
    data = data.translate(None, _CONTROL_BYTES)
    # searched in the str: one character, found much faster than its three bytes
    if "\ufffe" in decoded or "\uffff" in decoded:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return _XML_DECL.sub(b"", data.strip(), count=1)


def _stripped_utf8(decoded: str, utf8: bytes | None) -> bytes:
    """decoded.strip() as UTF-8. From `utf8` (decoded's encoding) when its ends, stripped of ASCII spaces,
    are printable ASCII: str.strip() stops at the same characters then (it strips only whitespace, and
    every ASCII space bytes.strip() takes is one)."""
    if utf8 is not None:
        stripped = utf8.strip()
        if b"!" <= stripped[:1] <= b"~" and b"!" <= stripped[-1:] <= b"~":
            return stripped
    try:
        return decoded.strip().encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: only a caller's own str can hold them, never a decode
        return _NOT_XML.sub("", decoded).strip().encode("utf-8")


def _source(data: bytes) -> str | bytes:
    """What the parser reads: UTF-8 bytes, which parse faster than a str (lxml hands libxml2 a wide buffer
    to convert otherwise) and give the same tree. An XML declaration still at the start (a second one)
    makes it a str, refused as lxml refuses it."""
    return data.decode("utf-8") if data.startswith(b"<?xml") else data


@functools.cache
def _html_parser() -> etree.HTMLParser:
    """lxml.html's parser, reading UTF-8, with the same element classes found in C: lxml.html looks each
    element's class up in Python (HtmlElementClassLookup.lookup), a call for every element proxy made."""
    fallback = etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity)
    lookup = etree.ElementNamespaceClassLookup(fallback)
    tags = lookup.get_namespace(None)
    for tag, cls in lxml_html.HtmlElementClassLookup._default_element_classes.items():  # form, input, ...
        tags[tag] = cls
    parser = etree.HTMLParser(encoding="utf-8")
    parser.set_element_class_lookup(lookup)
    return parser


# only the references that can name such a character (up to U+1F, surrogates, U+FFFE/F, past U+10FFFF), each
# then checked: a Vietnamese page writes hundreds of harmless ones ("&#7897;")
_CHAR_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,2}|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]|[0-9a-fA-F]{6,})"
                       r"(?![0-9a-fA-F])|0*([0-9]{1,2}|5[5-7][0-9]{3}|6553[45]|[0-9]{7,})(?![0-9]))")


def _has_bad_refs(text: str) -> bool:
    """Whether a character reference in the page names a character _NOT_XML refuses (only those put one
    back into the parsed tree: the raw text has none left)."""
    if "&#" not in text:
        return False
    for m in _CHAR_REF.finditer(text):
        digits = m.group(1) or m.group(2)
        if len(digits) > 8:
            return True
        code = int(digits, 16) if m.group(1) else int(digits)
        if code > 0x10FFFF or _NOT_XML.match(chr(code)):
            return True
    return False


def _scrub(root: lxml_html.HtmlElement) -> None:
    """Drop what character references (`&#2;`, even without the `;`) put back into the tree's text."""
    for el in root.iter():
        if el.text and _NOT_XML.search(el.text):
            el.text = _NOT_XML.sub("", el.text)
        if el.tail and _NOT_XML.search(el.tail):
            el.tail = _NOT_XML.sub("", el.tail)


def select(root: lxml_html.HtmlElement, selector: str | None) -> list[lxml_html.HtmlElement]:
    if not selector:
        return []
    try:
        return list(root.cssselect(selector))
    except Exception as exc:  # cssselect raises its own SelectorError family
        raise ValueError(f"bad profile selector {selector!r}: {exc}") from exc


def text_of(el: lxml_html.HtmlElement) -> str:
    """The element's text, normalized (see generic.text_content)."""
    return normalize_text(text_content(el))


def header_text(root: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None) -> str:
    """The text right after the title, ~600 chars. Page clocks sit before the title, sidebar dates far
    after it; neither is read. A date line right above the title (some Liferay themes print it there) is
    read first."""
    if title_el is None:
        return ""
    parts: list[str] = _line_above(title_el)
    if title_el.tail:
        parts.append(title_el.tail)
    # inside the title only what is no element of its own has its tail read (a comment, a script)
    parts.extend(el.tail for el in title_el.iterdescendants()
                 if el.tail and (not isinstance(el.tag, str) or el.tag in ("script", "style")))
    size = 0
    for el in _after(root, title_el):
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            if el.tail:
                parts.append(el.tail)
            continue
        for chunk in (el.text, el.tail):
            if chunk and chunk.strip():
                parts.append(chunk)
                size += len(chunk)
        if size > 600:
            break
        parts.append(" \n ")
    return normalize_text(" ".join(parts)) if parts else ""


def _after(root: lxml_html.HtmlElement, el: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The nodes after `el` and its subtree in document order, up to the end of `root` (the walk from the
    title on: root.iter() would pass every node before it first)."""
    node: lxml_html.HtmlElement | None = el
    while node is not None and node is not root:
        for sib in node.itersiblings():
            yield from sib.iter()
        node = node.getparent()


def _line_above(title_el: lxml_html.HtmlElement) -> list[str]:
    """The element just before the title when it is only a date line (a clock is never right above it)."""
    from transforms.furniture import is_meta_line

    prev = title_el.getprevious()
    if prev is None or not isinstance(prev.tag, str):
        return []
    text = text_of(prev)
    return [text, " \n "] if text and is_meta_line(text) else []
