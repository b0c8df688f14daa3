"""Regex pieces the finders share: letters, names, bodies, and the keys mentions are compared on.

Patterns match the passage folded to one tone-mark style (`folded`): folding keeps NFC text the same
length, so a match's offsets are the offsets of the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transforms.mentions import vocabulary as V
from transforms.text import fold_tone_marks, match_key

# Vietnamese upper- and lower-case letters (Latin, Latin-1, Latin Extended and the Vietnamese block).
_LETTERS = [chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if chr(c).isalpha()]
UPPER = "[" + "".join(c for c in _LETTERS if c.isupper()) + "]"
LOWER = "[" + "".join(c for c in _LETTERS if c.islower()) + "]"
CAP_WORD = UPPER + r"[^\W\d_]*"  # "Hải", "HĐND"
# A run of capitalised words, as a place or a person's name is written ("Hải Dương Trần Đức Thắng").
CAP_RUN = re.compile(rf"{CAP_WORD}(?: {CAP_WORD})*")


def folded(text: str) -> str:
    """`text` in one tone-mark style, the same length (so offsets carry over); `text` itself otherwise."""
    out = fold_tone_marks(text)
    return out if len(out) == len(text) else text


def alternation(phrases: Iterable[str]) -> str:
    """A regex group of `phrases`, longest first, spaces matching any one space."""
    unique = sorted({fold_tone_marks(p) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", " ") for p in unique) + ")"


def word(pattern: str) -> str:
    """`pattern` standing as whole words (no letter or digit glued to either end)."""
    return rf"(?<![^\W_]){pattern}(?![^\W_])"


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
BODY_RE = re.compile(word("(?i:" + BODY + ")"))
# A body whose end takes a place name after it ("UBND tỉnh Hải Dương", "Tỉnh ủy Hải Dương").
ENDS_WITH_UNIT = re.compile(rf"(?i:(?:{UNIT}|{COMMITTEE}))$")

# -- people --------------------------------------------------------------------------------------------------

_SURNAMES = frozenset(fold_tone_marks(s) for s in V.SURNAMES)


def name_at_end(words: list[str], shortest: int = 3) -> int:
    """How many of the last `words` are a person's name (0: none): three words first, then four, then two.

    A name starts with a family name: in "Hải Dương Trần Đức Thắng" the name is the last three words."""
    for k in (3, 4, 2):
        if shortest <= k <= len(words) and words[-k] in _SURNAMES and all(w[:1].isupper() for w in words[-k:]):
            return k
    return 0


def is_name(words: list[str], shortest: int = 2) -> bool:
    return name_at_end(words, shortest) == len(words) and len(words) > 0


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

