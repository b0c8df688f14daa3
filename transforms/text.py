"""Vietnamese text utilities: byte decoding, NFC + entity normalisation, tone-mark folding, legacy fonts.

Display text keeps the site's own tone-mark style (only NFC + entities + whitespace are normalised);
`fold_tone_marks` / `match_key` give one style for matching and keyword detection.
"""

from __future__ import annotations

import codecs
import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.I)


def words_pattern(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """`words` (regular-expression fragments, each opening with a plain character) as one alternation, led by
    a lookahead of their opening characters: where no word can start, re fails on one class test instead of
    trying every word in turn (several times faster on a long case-insensitive list)."""
    alternatives = tuple(words)
    for word in alternatives:
        if not word or word[0] in "\\[](){}.^$*+?|" or word[1:2] in ("?", "*", "{"):
            raise ValueError(f"{word!r} does not open with a plain character")
    opening = re.escape("".join(sorted({word[0] for word in alternatives})))
    return re.compile(f"(?=[{opening}])(?:{'|'.join(alternatives)})", flags)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec actually used
    declared: str | None  # what the header or <meta> said, if anything


def _codec(name: str | None) -> str | None:
    """The codec's canonical name (codecs.lookup: "ISO-8859-1", "latin-1" and "iso8859-1" are one)."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


# Labels that mean "no real information" (the server's default or a lie we cannot trust alone), by their
# canonical names: a raw "iso-8859-1" never equals the "iso8859-1" that _codec gives.
_WEAK_CHARSETS = frozenset(filter(None, map(_codec, ("iso-8859-1", "latin-1", "us-ascii", "windows-1252"))))
FALLBACK_CODEC = "cp1258"  # windows-1258, the Vietnamese Windows codepage


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset the HTTP header or the first <meta> declares (header wins), normalised."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and _codec(match.group(1)):
            return _codec(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    return _codec(meta.group(1).decode("ascii", "ignore")) if meta else None


def page_codec(body: bytes, content_type: str | None = None) -> str:
    """The codec page bytes are in: the project's one charset decision (crawler, raw archive, transforms).

    Bytes win over labels that are known to lie: a BOM, then valid UTF-8 (non-ASCII bytes that decode as
    UTF-8 are almost never an accident in another codec, so it wins over an ISO-8859-1 header, a common
    server default, or a missing charset). Otherwise the declared codec (header, then <meta>) is used, and
    an undeclared or Latin-1-labelled page is read as windows-1258. A page labelled UTF-8 that is not
    valid UTF-8 stays UTF-8 (a few broken bytes). Names are canonical (codecs.lookup: "cp1258").
    """
    return _choose(body, content_type)[0]


def _choose(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """page_codec's codec, and the text when deciding already decoded it (valid UTF-8: decoded once)."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        return "utf-8", body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(body, content_type)
    if declared is None or declared in _WEAK_CHARSETS:
        return FALLBACK_CODEC, None
    return declared, None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes with the codec page_codec chooses (undecodable bytes replaced)."""
    codec, text = _choose(body, content_type)
    if text is None:
        text = body.decode(codec, "replace")
    # the BOM is dropped: the text is UTF-8
    return Decoded(text, "utf-8" if codec == "utf-8-sig" else codec, declared_charset(body, content_type))


# zero-width joiners and soft hyphens vanish; zero-width spaces and BOMs are spaces (str.split() ignores them)
_INVISIBLE = str.maketrans({"\u200c": None, "\u200d": None, "\u2060": None, "\u00ad": None,
                            "\u200b": " ", "\ufeff": " "})
# each looked for with `in` (a C scan each): together faster than one regex class over the text
_INVISIBLE_CHARS = tuple(chr(c) for c in _INVISIBLE)


def normalize_text(text: str) -> str:
    """Display form: entities unescaped (also double-escaped ones), NFC, whitespace collapsed."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        if any(map(text.__contains__, _INVISIBLE_CHARS)):  # translate() with a dict is slow: only when needed
            text = text.translate(_INVISIBLE)
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # much faster than a regex; splits on every Unicode space


# -- one tone-mark style for matching ----------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
# "oà, oá, uỷ, oẻ" (new style, tone on the second vowel) → "òa, óa, ủy, ỏe" (old style, tone on the
# first), only for open syllables: in "hoàn" or "quý" both styles agree, so they are left alone.
_NEW_STYLE = re.compile(r"(?<![qQ])([oO][aAeE]|[uU][yY])([\u0300\u0301\u0309\u0303\u0323])(?![^\W\d_])")


def fold_tone_marks(text: str) -> str:
    """Put tone marks in one (old, tone-on-first-vowel) style: 'Tỉnh uỷ' and 'Tỉnh ủy' match."""
    decomposed = unicodedata.normalize("NFD", text)
    folded = _NEW_STYLE.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], decomposed)
    return unicodedata.normalize("NFC", folded)


def strip_diacritics(text: str) -> str:
    """ASCII-ish form: 'Tỉnh ủy' → 'Tinh uy' (đ → d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_fold(text: str) -> str:
    """The form keyword search matches on: diacritics stripped (đ → d), lower case, whitespace collapsed.
    NFC and NFD text fold alike: 'Nông thôn MỚI' and its NFD spelling → 'nong thon moi'."""
    return " ".join(strip_diacritics(text).lower().split())


@functools.cache
def _folding_to() -> dict[str, str]:
    """Each letter search_fold gives → the precomposed Latin letters (both cases) that fold to it."""
    letters: dict[str, str] = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        folded = search_fold(chr(code))
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            letters[folded] = letters.get(folded, folded + folded.upper()) + chr(code)
    return letters


def search_pattern(folded: str) -> str:
    """An RE2/Python pattern matching the text whose search_fold holds `folded` (itself folded): each letter
    in any case with any diacritics, precomposed or combining, and each space as any run of whitespace. For
    text nobody folded at load time (the body): `provnews search --body`."""
    letters, parts = _folding_to(), []
    for char in folded:
        if char == " ":
            parts.append(r"\s+")
        elif char in letters:
            parts.append(f"[{letters[char]}]\\p{{Mn}}*")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@functools.lru_cache(maxsize=4096)  # pure and costly; the title, lead and stop lines are keyed again and again
def match_key(text: str) -> str:
    """Case- and tone-style-insensitive key for keyword matching ('Các tin khác' ~ 'CÁC TIN KHÁC')."""
    return fold_tone_marks(normalize_text(text)).casefold()


# -- legacy 8-bit Vietnamese fonts -------------------------------------------------------------------

# TCVN3 (ABC, .VnTime fonts): pages show the font's bytes as Latin-1 characters, e.g. "Hµ Néi".
# Table for bytes 0xA1..0xFF as TCVN 5712 (VN3 positions), generated from glibc iconv TCVN5712-1.
_TCVN3_SRC = "".join(chr(c) for c in range(0xA1, 0x100))
_TCVN3_DST = (
    "ĂÂÊÔƠƯĐăâêôơưđẶ\u0300\u0300\u0309\u0303\u0301àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3_TABLE = str.maketrans(dict(zip(_TCVN3_SRC, _TCVN3_DST, strict=True)))
# Characters that real Vietnamese Unicode text never uses but TCVN3 text is full of.
# (VNI uses none of 0xA1..0xBF, so these also tell the two apart.)
_TCVN3_MARKERS = frozenset("¡¢£¤¥¦§¨©ª«¬®¯µ¶·¸¹º»¼½¾¿")
# VNI-Windows writes a base letter followed by a tone/shape letter: "Xin chaøo caùc baïn".
_TCVN3_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_MARKERS))) + "]")
_VIET_RE = re.compile("[\u1ea0-\u1ef9ăđơưĂĐƠƯ]")
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øùûõïâêôäåãàáèéëüúöñ]|[ñÑ][aeiouAEIOU]")
# every VNI pair holds one of these (its mark, or the ñ/Ñ opening it): their count bounds the pairs'
_VNI_MARK = re.compile("[øùûõïâêôäåãàáèéëüúöñÑ]")
_VIET_HEAD = 500  # characters: enough of a Unicode Vietnamese text to tell it from a legacy font


def legacy_font(text: str) -> str | None:
    """'tcvn3' or 'vni' when text looks like a legacy 8-bit font rendered as Latin-1, else None."""
    text = text[:2000]  # legacy fonts are page-wide: a sample decides
    tcvn = len(_TCVN3_RE.findall(text))
    # the verdicts below that say None, first from bounds that cost a fraction of counting the pairs: a
    # legacy page has almost no Unicode Vietnamese letters, a Unicode one many in its first lines
    bound = len(_VNI_MARK.findall(text))
    if tcvn < 5 and bound < 5 or len(_VIET_RE.findall(text, 0, _VIET_HEAD)) >= max(tcvn, bound) / 4:
        return None
    vni = len(_VNI_PAIR.findall(text))
    if tcvn < 5 and vni < 5:
        return None  # the common case, decided without counting letters
    viet = len(_VIET_RE.findall(text))
    if viet >= max(tcvn, vni) / 4:
        return None  # Unicode Vietnamese (its "oà" looks like a VNI pair): decided without counting letters
    letters = sum(map(str.isalpha, text))
    if letters < 20:
        return None
    if tcvn >= 5 and tcvn / letters > 0.02 and viet < tcvn / 4:
        return "tcvn3"
    if vni >= 5 and vni / letters > 0.03 and viet < vni / 4:
        return "vni"
    return None


def convert_tcvn3(text: str) -> str:
    """TCVN3 (ABC) text shown as Latin-1 → Unicode NFC."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))
