"""Regex pieces the finders share: letters, names, bodies, and the keys mentions are compared on.

Patterns match the passage folded to one tone-mark style (`folded`): folding keeps NFC text the same
length, so a match's offsets are the offsets of the text as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from transforms.mentions import vocabulary as V
from transforms.text import fold_tone_marks, match_key

# Vietnamese upper- and lower-case letters (Latin, Latin-1, Latin Extended and the Vietnamese block).
_LETTERS = [chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if chr(c).isalpha()]
UPPER = "[" + "".join(c for c in _LETTERS if c.isupper()) + "]"
LOWER = "[" + "".join(c for c in _LETTERS if c.islower()) + "]"
CAP_WORD = UPPER + r"[^\W\d_]*"  # "Hải", "HĐND"
# A run of capitalised words, as a place or a person's name is written ("Hải Dương Trần Đức Thắng").
CAP_RUN = re.compile(rf"{CAP_WORD}(?: {CAP_WORD})*")


def _new_style_pairs() -> dict[str, str]:
    """NFC "oà", "uỷ"… (tone on the second vowel) → "òa", "ủy": fold_tone_marks' rule, pair by pair."""
    pairs = {}
    for first, seconds in (("o", "aeAE"), ("O", "aeAE"), ("u", "yY"), ("U", "yY")):
        for second in seconds:
            for tone in "\u0300\u0301\u0309\u0303\u0323":
                new = first + unicodedata.normalize("NFC", second + tone)
                pairs[new] = unicodedata.normalize("NFC", first + tone) + second
    return pairs


_PAIRS = _new_style_pairs()
_TONED = "".join(sorted({pair[1] for pair in _PAIRS}))
# as transforms.text.fold_tone_marks: open syllables only ("hoàn" is one style), never after q ("quý");
# a character class first (fast to scan for), the pair checked in the replacement
_NEW_STYLE = re.compile(f"[oOuU](?<![qQ].)[{_TONED}](?![^\\W\\d_])")
HAS_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=256)  # every finder folds the same passages
def folded(text: str) -> str:
    """`text` (NFC) in one tone-mark style, the same length, so a match's offsets are the written text's.

    The same result as transforms.text.fold_tone_marks on NFC text, pair by pair on the NFC string (no
    NFD round trip: this runs on every passage)."""
    if text.isascii() or not _NEW_STYLE.search(text):
        return text
    return _NEW_STYLE.sub(lambda m: _PAIRS.get(m.group(), m.group()), text)


def variants(phrase: str) -> set[str]:
    """How a phrase is capitalised in running text: as listed, in sentence case (acronyms kept; proper
    words such as "Quốc hội" kept or not), with its first letter lower- or upper-case ("Đoàn Đại biểu Quốc
    hội", "đoàn đại biểu Quốc hội", "Đoàn đại biểu quốc hội")."""
    words = phrase.split(" ")

    def sentence(keep: frozenset[str]) -> str:
        rest = (w if (w.isupper() and len(w) > 1) or w in keep else w.lower() for w in words[1:])
        return " ".join([words[0], *rest])

    out = {phrase, sentence(frozenset()), sentence(_PROPER)}
    return out | {v[0].lower() + v[1:] for v in out} | {v[0].upper() + v[1:] for v in out}


_PROPER = frozenset(("Quốc", "Trung", "Đảng", "Việt", "Nam", "Chính", "Tổ", "Tỉnh", "Thành", "Huyện"))


def alternation(phrases: Iterable[str], cased: bool = True) -> str:
    """A regex group of `phrases` (folded; with their capitalisation `variants` unless `cased` is False).

    Built as a trie ("Ban (?:Chấp hành…|Thường vụ…)"), because Python's engine tries the branches of an
    alternation one by one at every position: shared prefixes are tested once. A longer phrase is tried
    before its own prefix, as in a longest-first alternation. Case-sensitive on purpose: a (?i) group is
    several times slower, and names need case."""
    forms = {fold_tone_marks(v) for p in phrases for v in (variants(p) if cased else {p})}
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a phrase
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(c) + _trie_pattern(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def word(pattern: str) -> str:
    """`pattern` standing as whole words (no letter or digit glued to either end)."""
    return rf"(?<![^\W_]){pattern}(?![^\W_])"


class Scanner:
    """`pattern.finditer`, fast: the pattern is tried only where one of its first words stands.

    Python's regex engine tries a big alternation at every position of the text; a small alternation of
    first words finds the few places worth trying, and the pattern is matched there (same matches:
    leftmost, non-overlapping)."""

    def __init__(self, pattern: str, firsts: Iterable[str]) -> None:
        self.pattern = re.compile(pattern)
        # no lookbehind in front: the engine then skips fast to the possible first characters; the left
        # word boundary is checked on the (few) hits instead
        self.firsts = re.compile(alternation(firsts, cased=False) + r"(?![^\W_])")

    def finditer(self, text: str, upper: bool = False) -> Iterator[re.Match[str]]:
        """The matches, leftmost and non-overlapping; with `upper`, only those starting with a capital."""
        end = 0
        match = self.pattern.match
        for hit in self.firsts.finditer(text):
            at = hit.start()
            if at < end or (at and (text[at - 1].isalnum() or text[at - 1] == "_")):
                continue
            if upper and not text[at].isupper():
                continue
            m = match(text, at)
            if m:
                end = m.end()
                yield m


def first_words(*groups: Iterable[str], n: int = 2) -> set[str]:
    """The first `n` words of every capitalisation variant of the phrases in `groups` (two words make
    a selective prefilter: "Ban Thường", not every "Ban")."""
    return {" ".join(v.split(" ")[:n]) for group in groups for p in group for v in variants(p)}


# -- bodies: "UBND tỉnh", "Ban Thường vụ Tỉnh ủy", "Sở Tài chính", "Bộ Chính trị" ------------------------

UNIT = alternation(V.UNIT_WORDS)
COMMITTEE = alternation(V.COMMITTEES)
_BODY_ALTS = (
    rf"Ban {alternation(V.PARTY_BOARDS)} (?:{COMMITTEE}|Trung ương)",
    rf"{alternation(V.COMMITTEE_BODIES)} {COMMITTEE}",
    rf"{alternation(V.LEVELLED_BODIES)} {UNIT}",
    rf"(?:Sở|Bộ) {alternation(V.DEPARTMENTS)}",
    alternation(V.NATIONAL_BODIES),
    COMMITTEE,
)
BODY = "(?:" + "|".join(_BODY_ALTS) + ")"
BODY_FIRSTS = first_words(V.NATIONAL_BODIES, V.LEVELLED_BODIES, V.COMMITTEE_BODIES, V.COMMITTEES,
                          (f"Ban {b}" for b in V.PARTY_BOARDS),
                          (f"{h} {d}" for h in ("Sở", "Bộ") for d in V.DEPARTMENTS))
BODY_RE = re.compile(word(BODY))
BODIES = Scanner(word(BODY), BODY_FIRSTS)
# A body whose end takes a place name after it ("UBND tỉnh Hải Dương", "Tỉnh ủy Hải Dương").
ENDS_WITH_UNIT = re.compile(rf"(?:{UNIT}|{COMMITTEE})$")

# -- people --------------------------------------------------------------------------------------------------

_SURNAMES = frozenset(fold_tone_marks(s) for s in V.SURNAMES)


def name_at_end(words: list[str], shortest: int = 3) -> int:
    """How many of the last `words` are a person's name (0: none): three words first, then four, then two.

    A name starts with a family name: in "Hải Dương Trần Đức Thắng" the name is the last three words."""
    for k in (3, 4, 2):
        if shortest <= k <= len(words) and words[-k] in _SURNAMES and all(w[:1].isupper() for w in words[-k:]):
            return k
    return 0


# -- keys: how two mentions of one thing compare ---------------------------------------------------------------

_PLACE_TAIL = re.compile(rf"^(.*?(?:{UNIT}|{COMMITTEE}))(?: {CAP_WORD})+$", re.IGNORECASE)
_ALIASES = tuple((re.compile(word(a)), b) for a, b in (
    ("ủy ban nhân dân", "ubnd"), ("hội đồng nhân dân", "hđnd"), ("uvtw đảng", "ủy viên trung ương đảng"),
    ("uvtw", "ủy viên trung ương đảng"), ("ủy viên ban chấp hành trung ương đảng", "ủy viên trung ương đảng"),
    ("ủy viên trung ương(?! đảng)", "ủy viên trung ương đảng"), ("ban bí thư trung ương", "ban bí thư"),
    ("đoàn đbqh", "đoàn đại biểu quốc hội"),
))


def role_key(text: str) -> str:
    """A position's or a body's key: case, tone style, abbreviations and the trailing place name dropped.

    "Bí thư Tỉnh uỷ Hải Dương" and "bí thư tỉnh ủy" have one key; so do "Chủ tịch Ủy ban nhân dân tỉnh"
    and "Chủ tịch UBND tỉnh"."""
    text = " ".join(folded(text).split())
    m = _PLACE_TAIL.match(text)
    if m and _words_capitalised(text[m.end(1):]):
        text = m.group(1)
    key = match_key(text)
    for pattern, repl in _ALIASES:
        key = pattern.sub(repl, key)
    return key


def _words_capitalised(tail: str) -> bool:
    return all(w[:1].isupper() for w in tail.split())


def name_key(name: str) -> str:
    return match_key(name)

