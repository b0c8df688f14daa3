"""How a replica site turns Unicode text into bytes and labels them: the encoding quirks of real sites.

- UTF8: UTF-8 bytes, `charset=utf-8`.
- WINDOWS_1258: real cp1258 bytes, `charset=windows-1258`. cp1258 has no precomposed letters carrying a
  tone mark, so Vietnamese text is written the way Windows writes it: the base letter (with its circumflex,
  breve or horn, which cp1258 does have: â ê ô ơ ư ă đ) followed by a combining tone mark (U+0300 U+0301
  U+0303 U+0309 U+0323). Decoding the bytes as cp1258 and normalising to NFC gives the original text back.
- WRONG_HEADER: UTF-8 bytes under a header that says `charset=ISO-8859-1`.
- MISSING: UTF-8 bytes and a bare `text/html`.

A site with `nfd=True` serves its text decomposed (NFD).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from replica.model import Charset

_HEADER_CHARSET = {
    Charset.UTF8: "utf-8",
    Charset.WINDOWS_1258: "windows-1258",
    Charset.WRONG_HEADER: "ISO-8859-1",
    Charset.MISSING: None,
}

# The combining tone marks cp1258 carries: grave, acute, tilde, hook above, dot below.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

_XML_DECL = re.compile(r"""^\ufeff?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def header_charset(charset: Charset) -> str | None:
    """The charset the Content-Type header announces (None: no charset parameter)."""
    return _HEADER_CHARSET[charset]


def content_type(media_type: str, charset: Charset) -> str:
    """The Content-Type header value for `media_type` (any charset parameter on it is replaced)."""
    bare = media_type.split(";", 1)[0].strip()
    label = header_charset(charset)
    return f"{bare}; charset={label}" if label else bare


def encode(text: str, charset: Charset, nfd: bool) -> bytes:
    """The bytes a site with `charset` (and NFD text if `nfd`) sends for `text`."""
    if charset is Charset.WINDOWS_1258:
        return to_cp1258(text)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    return text.encode("utf-8")


def to_cp1258(text: str) -> bytes:
    """cp1258 bytes of `text`, decomposing tone marks that have no precomposed cp1258 form.

    Characters cp1258 cannot write at all (outside Vietnamese and Western European text) become numeric
    character references, as a real CMS does; in HTML they still decode to the original character.
    """
    composed = unicodedata.normalize("NFC", text)
    data: bytes = codecs.charmap_encode(composed, "xmlcharrefreplace", _cp1258_map())[0]
    return data


def xml_declared_encoding(text: str) -> str | None:
    """The encoding named in an XML declaration at the start of `text`, if any."""
    match = _XML_DECL.match(text)
    return match.group(1) if match else None


@lru_cache(maxsize=1)
def _cp1258_map() -> dict[int, bytes]:
    """Code point → cp1258 bytes for every character below U+3000 that cp1258 can spell, one way or another.

    A complete map lets codecs.charmap_encode run without a miss per letter (3x faster than str.translate).
    """
    mapping: dict[int, bytes] = {}
    for code in range(0x3000):
        spelled = _cp1258_spelling(chr(code))
        if spelled is not None:
            mapping[code] = spelled.encode("cp1258")
    return mapping


def _cp1258_spelling(char: str) -> str | None:
    """`char` written with cp1258 letters: base letter + its non-tone marks, then the tone mark."""
    if _encodable(char):
        return char
    parts = unicodedata.normalize("NFD", char)
    tones = "".join(c for c in parts if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    spelled = base + tones
    return spelled if _encodable(spelled) else None


def _encodable(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True
