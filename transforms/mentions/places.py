"""Places an article names: provinces, districts and communes with the province they belong to since 2025.

A gazetteer over `transforms.units` (the `vietnamadminunits` package's units, before and after the 1 July 2025
reorganisation), read with one precompiled pattern per passage and dictionary look-ups of the names it finds:

- a level word and a capitalised name: `tỉnh Hải Dương`, `huyện Gia Lộc`, `xã Gia Tân`, `TP. Hải Dương`,
  `TP.HCM`, `tỉnh Hải Dương (cũ)`, `khu vực tỉnh Hải Dương (cũ)`; the names listed after it when they are
  units of the article's provinces (`các xã An Bình, Cao An và Hòa Bình`); a party committee's name
  (`Huyện ủy Bình Giang`) names its unit too;
- a province's name alone (`Hải Dương phát triển…`, `Bí thư Tỉnh ủy Hải Dương`), unless a capitalised word
  runs into it from the left (then it is part of a longer name: `Nguyễn Thái Bình`; sentence openers such as
  `Tại` and acronyms such as `UBND` do not count), or it ends a medium's or a facility's title. Decided: `Báo
  Bắc Giang`, `Báo điện tử Hải Dương`, `Đài … Thái Bình` are the titles of media, not places the text talks
  about, and `Khu công nghiệp Hòa Bình`, `Bệnh viện Đa khoa Thái Bình` name facilities; `Hồ Chí Minh` alone
  is the president far more often than the city (the city comes with `TP.`/`thành phố`);
- districts of the article's provinces without a level word, only where the text makes them places: a list of
  two or more (`Chí Linh, Hải Dương, Cẩm Giàng và Nam Sách`) or in brackets (`Thanh Quang (Nam Sách)`);
  `đô thị X` when X is a commune of the article's provinces (not `Khu đô thị X`, a project).

Commune names repeat across provinces (there are dozens of `xã Quang Trung`). A name is resolved, best first:
by the units written right after it (`xã Quang Trung, huyện Tứ Kỳ, tỉnh Hải Dương`), by a district the
article names, a province it names, the source's province (`Context.province`); then a district name unique
in the country; then, for a commune written with its level word that is no unit of the article's provinces
(the package lacks communes merged away before 2025), the source's province: a provincial page's `xã X` is
local far more often than not. A spelling the package does not use (`Đắk Hà`/`Đăk Hà`) is matched without
diacritics inside the article's provinces. Before 1 July 2025 (`Context.published`) the old units are
preferred, after it the new ones; either way `province_2025` is the unit since the reorganisation and
`province` the pre-2025 province when it is known (None for a post-2025 unit made of several).

Matching is insensitive to the tone-mark style (`Hoà`/`Hòa`, transforms.text.fold_tone_marks) and to NFD
input; `text` and `start` index the passage text as given. The vocabulary (level words, committees, the words
before a medium's or facility's title) is the constants section below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from transforms.mentions.model import Context, Mention, MentionType, Passage
from transforms.text import fold_tone_marks, strip_diacritics
from transforms.units import (
    COMMUNE,
    CURRENT,
    DISTRICT,
    LEGACY,
    PROVINCE,
    Unit,
    all_units,
    legacy_unit,
    province_by_keyword,
    successors,
)

REFORM_DAY = date(2025, 7, 1)  # districts abolished, communes merged, 63 provinces -> 34

# -- vocabulary: the words that say a name is a unit, and of which tier ----------------------------------

# written form (lower case; the patterns take both tone-mark styles) -> (the level it means, its tiers)
LEVEL_WORDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "tỉnh": ("tỉnh", (PROVINCE,)),
    "thành phố": ("thành phố", (PROVINCE, DISTRICT)),
    "tp.": ("thành phố", (PROVINCE, DISTRICT)),
    "tp": ("thành phố", (PROVINCE, DISTRICT)),
    "huyện": ("huyện", (DISTRICT,)),
    "thị xã": ("thị xã", (DISTRICT,)),
    "tx.": ("thị xã", (DISTRICT,)),
    "quận": ("quận", (DISTRICT,)),
    "xã": ("xã", (COMMUNE,)),
    "phường": ("phường", (COMMUNE,)),
    "thị trấn": ("thị trấn", (COMMUNE,)),
    "đặc khu": ("đặc khu", (COMMUNE, DISTRICT)),
}
# a party committee's name names its unit: "Tỉnh ủy Hải Dương" (span: the name only)
COMMITTEE_WORDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "tỉnh ủy": ("tỉnh", (PROVINCE,)),
    "thành ủy": ("thành phố", (PROVINCE, DISTRICT)),
    "huyện ủy": ("huyện", (DISTRICT,)),
    "thị ủy": ("thị xã", (DISTRICT,)),
    "quận ủy": ("quận", (DISTRICT,)),
}
TOWN_WORD = "đô thị"  # "đô thị Thanh Quang": an urban commune, resolved only inside the article's provinces
OLD_MARK = "(cũ)"  # "tỉnh Hải Dương (cũ)": the unit before the reorganisation
AREA_WORD = "khu vực"  # "khu vực tỉnh Hải Dương (cũ)"
# a province's name right after these is a medium's title ("Báo Bắc Giang"), not a place
MEDIA_BEFORE = re.compile(r"(?:\b[Bb]áo|\bĐài|\b[Tt]ruyền hình|\b[Đđ]iện tử|\b[Pp]hát thanh)\s+$")
# ... and after these it names a facility or a firm ("Khu công nghiệp Hòa Bình", "Bệnh viện Đa khoa Thái Bình")
FACILITY_BEFORE = re.compile(
    r"(?:\b[Kk]hu công nghiệp|\b[Cc]ụm công nghiệp|\b[Bb]ệnh viện(?: [Đđ]a khoa)?|\b[Kk]hu đô thị(?: mới)?|"
    r"\b[Kk]hu tái định cư|\b[Tt]rường(?: THPT| THCS| Tiểu học| Mầm non)?|\b[Cc]ầu|\b[Hh]ệ thống th(?:ủy|uỷ) lợi|"
    r"\b[Cc]ông ty(?: TNHH| CP| [Cc]ổ phần)?|\b[Tt]ập đoàn|\b[Nn]gân hàng|\b[Đđ]ại học|\b[Ss]ân vận động)\s+$")
BARE_EXCLUDED = frozenset({"hồ chí minh"})  # "tư tưởng Hồ Chí Minh": the person; the city comes with "TP."
# capitalised at a sentence's start, these do not make a province's name part of a longer one ("Tại Hải Dương")
OPENING_WORDS = frozenset({"tại", "ở", "về", "với", "cùng", "như", "từ", "đến", "cả", "toàn", "riêng", "còn",
                           "trong", "ngoài", "theo", "cho", "và", "nhưng", "năm", "tháng", "sáng", "chiều",
                           "tối", "hôm", "nay", "khi", "để", "nhân", "qua", "sau", "trước"})
PARTS_AFTER_BARE = frozenset({"phủ"})  # "Điện Biên Phủ" is a battle, not the province
# names the package's keywords lack: Thừa Thiên Huế became the city of Huế in January 2025, and the package
# lists only the city (its keywords give the rest: "TP. HCM", "tỉnh Vũng Tàu")
PROVINCE_ALIASES = {"thừa thiên huế": "Huế", "thừa thiên - huế": "Huế"}

# -- keys and styles ---------------------------------------------------------------------------------


def key(name: str) -> str:
    """One key for a name whatever its tone-mark style, case, hyphens and spacing ('Hoà Bình' ~ 'hòa bình')."""
    folded = fold_tone_marks(unicodedata.normalize("NFC", name)).casefold()
    return " ".join(folded.replace("-", " ").split())


@lru_cache(maxsize=32768)
def loose_key(name: str) -> str:
    """A key without diacritics: spellings of one name differ in them ('Đắk Hà' / 'Đăk Hà', 'Mù Cang Chải' /
    'Mù Căng Chải'); used only when the exact key finds nothing, and only inside the article's provinces."""
    return " ".join(strip_diacritics(name).casefold().replace("-", " ").split())


@lru_cache(maxsize=32768)  # the gazetteer's ~9,000 distinct names, then the texts' ones
def _fkey(nfc: str) -> str:
    """`key` of a text already NFC (the patterns read NFC text), cached: names repeat."""
    return key(nfc)


_NEW_STYLE = re.compile(r"(?<![qQ])([oO])([\u0300\u0301\u0309\u0303\u0323])([aAeE])(?![^\W\d_])|"
                        r"([uU])([\u0300\u0301\u0309\u0303\u0323])([yY])(?![^\W\d_])")


def styles(name: str) -> set[str]:
    """A name in both tone-mark styles: {'Hòa Bình', 'Hoà Bình'} (the patterns match either as written)."""
    old = fold_tone_marks(name)
    new = _NEW_STYLE.sub(lambda m: "".join(g for g in (m.group(1), m.group(3), m.group(2), m.group(4),
                                                        m.group(6), m.group(5)) if g),
                         unicodedata.normalize("NFD", old))
    return {name, old, unicodedata.normalize("NFC", new)}


# -- patterns ------------------------------------------------------------------------------------------

_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha() and c.lower() != c)
_WORD = rf"(?:[{_UPPER}][^\W\d_]*|\d+)"  # a capitalised syllable, or a number ("Phường 1")
_NAME = rf"{_WORD}(?:(?: - | |-)(?:{_WORD})){{0,5}}"


@lru_cache(maxsize=256)
def _word(written: str) -> str:
    """A level word as LEVEL_WORDS keys it: 'Tỉnh uỷ' -> 'tỉnh ủy'."""
    return fold_tone_marks(written).lower()


def _alternation(words: Iterable[str]) -> str:
    forms = {f for w in words for s in styles(w) for f in (s, s.capitalize(), s.upper(), s.title())}
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


_BRACKET = re.compile(r"\((?P<name>[^()]{2,40})\)")
_SENTENCE = re.compile(r"[^.;:!?()\"“”]+")
_ITEM_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:và|hoặc)\s+")
_ACRONYM = re.compile(r"^[A-ZĐ]{2,}$")


# -- the gazetteer -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Gazetteer:
    by_name: dict[tuple[int, str], tuple[Unit, ...]]  # (tier, key) -> units
    districts_of: dict[tuple[str, str], Unit]  # (legacy province, key) -> its district
    communes_of: dict[tuple[str, str], tuple[Unit, ...]]  # (province_2025, key) -> communes, both eras
    loose: dict[tuple[int, str], tuple[Unit, ...]]  # (tier, loose key) -> units: spellings differ ('Đắk'/'Đăk')


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    by_name: dict[tuple[int, str], list[Unit]] = {}
    districts_of: dict[tuple[str, str], Unit] = {}
    communes_of: dict[tuple[str, str], list[Unit]] = {}
    loose: dict[tuple[int, str], list[Unit]] = {}
    for unit in all_units():
        k = _fkey(unit.name)
        by_name.setdefault((unit.tier, k), []).append(unit)
        loose.setdefault((unit.tier, loose_key(unit.name)), []).append(unit)
        if unit.tier == DISTRICT and unit.province:
            districts_of.setdefault((unit.province, k), unit)
        elif unit.tier == COMMUNE:
            communes_of.setdefault((unit.province_2025, k), []).append(unit)
    return _Gazetteer({k: tuple(v) for k, v in by_name.items()}, districts_of,
                      {k: tuple(v) for k, v in communes_of.items()}, {k: tuple(v) for k, v in loose.items()})


# -- one passage, prepared ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    """A passage as the patterns read it: NFC, with a map back to the text given when that was not NFC."""

    nfc: str
    offsets: tuple[int, ...] | None  # nfc index -> index in the original (None: the same)
    original: str

    def span(self, start: int, end: int) -> tuple[int, str]:
        if self.offsets is None:
            return start, self.original[start:end]
        a, b = self.offsets[start], self.offsets[end]
        return a, self.original[a:b]


def _prepare(text: str) -> _Text:
    if unicodedata.is_normalized("NFC", text):
        return _Text(text, None, text)
    # NFD (or mixed) input: compose cluster by cluster, keeping where each cluster started
    pieces: list[str] = []
    offsets: list[int] = []
    for m in re.finditer(r".[\u0300-\u036f]*", text, re.S):
        composed = unicodedata.normalize("NFC", m.group())
        pieces.append(composed)
        offsets.extend([m.start()] * len(composed))
    offsets.append(len(text))
    return _Text("".join(pieces), tuple(offsets), text)


# -- raw hits, then resolution -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    passage: int
    start: int  # in the NFC text
    end: int
    name_start: int
    name_end: int
    level: str | None  # the level word written (normalised), None when none is
    tiers: tuple[int, ...]
    how: str  # "level", "continued", "committee", "bare", "list", "bracket", "town"
    old: bool = False  # "(cũ)"
    unit: Unit | None = None  # already known (bare provinces, listed districts)
    loose: bool = False  # the name is in the gazetteer only without diacritics (or not at all)


_SYLLABLES = re.compile(r"\S+(?: - \S+)?")


def _names(words: str) -> Iterator[tuple[int, str]]:
    """The prefixes of a run of capitalised words, longest first, as (length, key)."""
    parts = list(_SYLLABLES.finditer(words))
    for n in range(len(parts), 0, -1):
        end = parts[n - 1].end()
        yield end, _fkey(words[:end])


@lru_cache(maxsize=1)
def _triggers() -> re.Pattern[str]:
    """One pass over a passage finds every level word, committee, 'đô thị' and province name: a party
    committee, then a level word with its name, then 'đô thị X', then a province's name alone (every province
    of both eras, in both tone-mark styles). A match consumes its span, so 'tỉnh Hải Dương' is one hit."""
    names = {n for u in all_units() if u.tier == PROVINCE and key(u.name) not in BARE_EXCLUDED for n in styles(u.name)}
    bare = "|".join(map(re.escape, sorted({f for n in names for f in (n, n.replace(" - ", "-"))}, key=len,
                                          reverse=True)))
    levels, committees = _alternation(LEVEL_WORDS), _alternation(COMMITTEE_WORDS)
    area, town = _alternation([AREA_WORD]), _alternation([TOWN_WORD])
    firsts = {f[0] for alt in (levels, committees, area, town, bare) for f in alt.split("|")}
    return re.compile(
        rf"(?=[{re.escape(''.join(sorted(firsts)))}])(?<![\w.])(?:"
        rf"(?P<committee>{committees}) (?P<cname>{_NAME})"
        rf"|(?P<area>(?:{area}) )?(?P<level>{levels})(?:\s+|(?<=\.))(?P<name>{_NAME})(?P<old> ?{re.escape(OLD_MARK)})?"
        rf"|(?<![Kk]hu )(?P<town>{town}) (?P<tname>{_NAME})"
        rf"|(?P<bare>{bare})(?![\w]))")


def _triggered(i: int, t: _Text, gaz: _Gazetteer) -> Iterator[_Hit]:
    for m in _triggers().finditer(t.nfc):
        if m.group("level"):
            hit = _levelled(i, m, gaz)
        elif m.group("committee"):
            hit = _committee(i, m, gaz)
        elif m.group("town"):
            at = m.start("tname")
            hit = _Hit(i, m.start(), m.end(), at, m.end(), None, (COMMUNE,), "town")
        else:
            hit = _bare(i, m, t)
        if hit is not None:
            yield hit
            if hit.how == "level" and PROVINCE not in hit.tiers:
                yield from _continued(hit, t, gaz)


_CONTINUED = re.compile(rf"(?:\s*,\s*|\s+(?:và|hoặc)\s+)(?P<name>{_NAME})")


def _continued(hit: _Hit, t: _Text, gaz: _Gazetteer) -> Iterator[_Hit]:
    """The names listed after a level word's first one ("các xã Gia Tân, Gia Khánh và Gia Xuyên"): units of
    the same tier; `find` keeps those of the article's provinces only."""
    at = hit.end
    while m := _CONTINUED.match(t.nfc, at):
        name, start = m.group("name"), m.start("name")
        end = next((e for e, k in _names(name) if any((tier, k) in gaz.by_name for tier in hit.tiers)), None)
        if end is None:
            return
        yield _Hit(hit.passage, start, start + end, start, start + end, hit.level, hit.tiers, "continued")
        at = start + end


def _levelled(i: int, m: re.Match[str], gaz: _Gazetteer) -> _Hit | None:
    level, tiers = LEVEL_WORDS[_word(m.group("level"))]
    name, at = m.group("name"), m.start("name")
    length = next((end for end, k in _names(name) if any((tier, k) in gaz.by_name for tier in tiers)), None)
    loose = length is None
    if loose:
        length = next((end for end, _ in _names(name)
                       if any((tier, loose_key(name[:end])) in gaz.loose for tier in tiers)), None)
    unit = None
    if length is None and PROVINCE in tiers:  # "TP. HCM", "tỉnh Thừa Thiên Huế"
        length, unit = next(((end, u) for end, k in _names(name) if (u := _province_alias(name[:end], k, gaz))),
                            (None, None))
    if length is None:  # not in the gazetteer: only a commune's (the package lacks units merged before
        # 2025), and only a name of two syllables or a number, as most are: "Chủ tịch UBND tỉnh Phạm Lan Nga" is
        # a person after a level word, "Xã Nông thôn mới" no commune
        if COMMUNE not in tiers or not (name.count(" ") == 1 or name.isdigit()):
            return None
        length = len(name)
    old = m.group("old") is not None and at + length == m.start("old")
    end = m.end("old") if old else at + length
    return _Hit(i, m.start(), end, at, at + length, level, tiers, "level", old, unit=unit,
                loose=loose and unit is None)


def _province_alias(written: str, name_key: str, gaz: _Gazetteer) -> Unit | None:
    short = PROVINCE_ALIASES.get(name_key) or province_by_keyword(written)
    units = gaz.by_name.get((PROVINCE, _fkey(short)), ()) if short else ()
    return units[0] if units else None


def _committee(i: int, m: re.Match[str], gaz: _Gazetteer) -> _Hit | None:
    level, tiers = COMMITTEE_WORDS[_word(m.group("committee"))]
    at = m.start("cname")
    for end, k in _names(m.group("cname")):
        if any((tier, k) in gaz.by_name for tier in tiers):
            return _Hit(i, at, at + end, at, at + end, level, tiers, "committee")
    return None


_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")  # the word right before, with nothing but spaces between
_WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")


def _bare(i: int, m: re.Match[str], t: _Text) -> _Hit | None:
    """A province's name alone, unless a capitalised word runs into it from the left (a longer name: "Nguyễn
    Thái Bình"; an acronym such as UBND is fine), or a medium's or a facility's title ends there."""
    before = _WORD_BEFORE.search(t.nfc, max(0, m.start() - 30), m.start())
    if (before and before.group(1)[:1].isupper() and not _ACRONYM.match(before.group(1))
            and before.group(1).casefold() not in OPENING_WORDS):
        return None
    if before and _named_thing_before(t.nfc, m.start()):
        return None
    after = _WORD_AFTER.match(t.nfc, m.end(), m.end() + 12)
    if after and after.group(1).casefold() in PARTS_AFTER_BARE:
        return None
    return _Hit(i, m.start(), m.end(), m.start(), m.end(), None, (PROVINCE,), "bare")


def _named_thing_before(text: str, at: int) -> bool:
    before = text[max(0, at - 30):at]
    return bool(MEDIA_BEFORE.search(before) or FACILITY_BEFORE.search(before))


def _district_named(name: str, provinces: set[str], gaz: _Gazetteer) -> Unit | None:
    k = _fkey(name)
    return next((gaz.districts_of[(p, k)] for p in sorted(provinces) if (p, k) in gaz.districts_of), None)


@lru_cache(maxsize=1)
def _district_names() -> dict[str, tuple[str, ...]]:
    """Legacy province -> its districts' names."""
    out: dict[str, list[str]] = {}
    for u in all_units():
        if u.tier == DISTRICT and u.province:
            out.setdefault(u.province, []).append(u.name)
    return {p: tuple(names) for p, names in out.items()}


@lru_cache(maxsize=64)
def _districts_pattern(provinces: frozenset[str]) -> re.Pattern[str]:
    """The names of these provinces' districts in lower case, for a quick test over the lowered text before
    the list is read. Literals first, no flags: the engine then skips ahead by first character, several times
    faster than with a leading look-behind and IGNORECASE."""
    names = {n.lower() for p in provinces for name in _district_names().get(p, ()) for n in styles(name)}
    alternation = "|".join(map(re.escape, sorted(names, key=len, reverse=True))) or "(?!)"
    return re.compile(rf"(?:{alternation})(?!\w)")


def _names_two_districts(text: str, provinces: set[str]) -> bool:
    """Whether at least two district names of `provinces` stand as words in `text`, any case (the word start
    is checked here: a look-behind in the pattern would cost the engine its first-character skip)."""
    lowered, seen, at = text.lower(), 0, 0
    pattern = _districts_pattern(frozenset(provinces))
    while m := pattern.search(lowered, at):
        start = m.start()
        if start and (lowered[start - 1].isalnum() or lowered[start - 1] == "_"):  # inside a word: not a name
            at = start + 1
            continue
        seen, at = seen + 1, m.end()
        if seen == 2:
            return True
    return False


def _listed(i: int, t: _Text, provinces: set[str], gaz: _Gazetteer) -> Iterator[_Hit]:
    """Districts of the article's provinces named in a list of two or more, without level words."""
    if not _names_two_districts(t.nfc, provinces):
        return
    for sentence in _SENTENCE.finditer(t.nfc):
        if "," not in sentence.group() and " và " not in sentence.group():
            continue
        items: list[tuple[int, int, Unit] | None] = []
        at = sentence.start()
        for piece in [*_ITEM_SEPARATOR.split(sentence.group()), None]:
            if piece is None:
                break
            start = t.nfc.index(piece, at) if piece else at
            at = start + len(piece)
            items.append(_list_item(piece, start, provinces, gaz))
        run: list[tuple[int, int, Unit]] = []
        for item in [*items, None]:
            if item is not None:
                run.append(item)
                continue
            if len(run) >= 2:
                for start, end, unit in run:
                    yield _Hit(i, start, end, start, end, unit.level, (DISTRICT,), "list", unit=unit)
            run = []


def _list_item(piece: str, start: int, provinces: set[str], gaz: _Gazetteer) -> tuple[int, int, Unit] | None:
    """A list item that is a district's name: the whole piece, or its last words ("như Chí Linh")."""
    words = piece.split(" ")
    if not words[-1][:1].isupper():  # a district's name ends with a capitalised syllable ("kinh Môn" too)
        return None
    for n in range(min(3, len(words)), 0, -1):
        name = " ".join(words[-n:])
        if name[:1].isalpha():
            unit = _district_named(name, provinces, gaz)
            if unit is not None:
                return start + len(piece) - len(name), start + len(piece), unit
    return None


def _bracketed(i: int, t: _Text, provinces: set[str], gaz: _Gazetteer) -> Iterator[_Hit]:
    for m in _BRACKET.finditer(t.nfc):
        name = m.group("name").strip()
        unit = _district_named(name, provinces, gaz) if name[:1].isupper() else None
        if unit is not None:
            at = m.start("name") + m.group("name").index(name)
            yield _Hit(i, at, at + len(name), at, at + len(name), unit.level, (DISTRICT,), "bracket", unit=unit)


def _town(hit: _Hit, t: _Text, provinces_2025: set[str], gaz: _Gazetteer) -> _Hit | None:
    """'đô thị X' is a place when X is a commune of the article's provinces (its longest such prefix)."""
    for end, k in _names(t.nfc[hit.name_start:hit.name_end]):
        found = [u for p in sorted(provinces_2025) for u in gaz.communes_of.get((p, k), ())]
        if found:
            stop = hit.name_start + end
            return _Hit(hit.passage, hit.start, stop, hit.name_start, stop, None, (COMMUNE,), "town",
                        unit=found[0])
    return None


@dataclass
class _Scope:
    """What the article says about where it is: provinces and districts it names, and the source's province."""

    named_old: set[str]
    named_new: set[str]
    districts: set[tuple[str, str]]  # (legacy province, district name)
    context_old: str | None
    context_new: str | None
    after_reform: bool | None  # None: the day is unknown
    # the units written right after a unit ("xã Quang Trung, huyện Tứ Kỳ, tỉnh Hải Dương"): its own parents,
    # by the hit's (passage, start): (district keys, province names of both eras)
    chains: dict[tuple[int, int], tuple[set[str], set[str]]] = field(default_factory=dict)

    @property
    def old(self) -> set[str]:
        return self.named_old | ({self.context_old} if self.context_old else set())

    @property
    def new(self) -> set[str]:
        return self.named_new | ({self.context_new} if self.context_new else set())


def _province(name_key: str, hit: _Hit, scope: _Scope, gaz: _Gazetteer) -> Unit | None:
    units = gaz.by_name.get((PROVINCE, name_key), ())
    if not units:
        return None
    want = LEGACY if hit.old or not scope.after_reform else CURRENT
    return next((u for u in units if u.era == want), units[0])


def _score(unit: Unit, hit: _Hit, scope: _Scope) -> int:
    score = 0
    districts, provinces = scope.chains.get((hit.passage, hit.start), (set(), set()))
    if unit.district and _fkey(unit.district) in districts:
        score += 16
    if unit.province in provinces or unit.province_2025 in provinces:
        score += 16
    if unit.tier == COMMUNE and unit.district and (unit.province or "", unit.district) in scope.districts:
        score += 8
    if unit.province in scope.named_old or unit.province_2025 in scope.named_new:
        score += 4
    if unit.province == scope.context_old or (unit.era == CURRENT and unit.province_2025 == scope.context_new):
        score += 2
    return score


def _tiebreak(unit: Unit, hit: _Hit, scope: _Scope) -> int:
    era = LEGACY if hit.old or not scope.after_reform else CURRENT
    return (unit.level == hit.level) * 2 + (unit.era == era)


def _resolve_unit(name_key: str, hit: _Hit, scope: _Scope, gaz: _Gazetteer) -> tuple[Unit | None, str | None]:
    """The unit, or when none is sure, the post-2025 province alone (or None)."""
    candidates = [u for tier in hit.tiers for u in gaz.by_name.get((tier, name_key), ())]
    if not candidates and hit.loose:  # another spelling: a unit of the article's provinces, or the only one
        spelt = [u for tier in hit.tiers for u in gaz.loose.get((tier, loose_key(name_key)), ())]
        candidates = [u for u in spelt if _score(u, hit, scope) > 0]
        if not candidates and COMMUNE not in hit.tiers and len({u.province_2025 for u in spelt}) == 1:
            candidates = spelt
    if not candidates:
        return None, scope.context_new if COMMUNE in hit.tiers else None
    scored = sorted(candidates, key=lambda u: (_score(u, hit, scope), _tiebreak(u, hit, scope)), reverse=True)
    top = _score(scored[0], hit, scope)
    best = [u for u in scored if _score(u, hit, scope) == top]
    if top == 0 and scope.context_new and COMMUNE in hit.tiers:  # a commune elsewhere only: the source's own
        return None, scope.context_new
    sure = top > 0 or len({u.province_2025 for u in candidates}) == 1  # in the article's provinces, or unique
    if sure and len({u.province_2025 for u in best}) == 1:
        return best[0], best[0].province_2025
    return None, None


def _mention(hit: _Hit, passage: Passage, t: _Text, scope: _Scope, gaz: _Gazetteer) -> Mention:
    start, text = t.span(hit.start, hit.end)
    _, name = t.span(hit.name_start, hit.name_end)
    name_key = _fkey(t.nfc[hit.name_start:hit.name_end])
    unit = hit.unit
    province_2025: str | None = unit.province_2025 if unit else None
    if unit is None and PROVINCE in hit.tiers:
        unit = _province(name_key, hit, scope, gaz)
        province_2025 = unit.province_2025 if unit else None
    if unit is None:
        unit, province_2025 = _resolve_unit(name_key, hit, scope, gaz)
    province = unit.province if unit else None
    if unit is None and province_2025 is not None and province_2025 == scope.context_new:
        province = scope.context_old if hit.tiers != (PROVINCE,) else None
    level = hit.level or (unit.level if unit else None)
    return Mention(MentionType.PLACE, text, passage.part, passage.paragraph, start, name=name, level=level,
                   province=province, province_2025=province_2025)


def _without_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """The first hit of each span wins (hits come in order of trust: level words first)."""
    kept: list[_Hit] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    for hit in hits:
        spans = taken.setdefault(hit.passage, [])
        if any(hit.start < end and start < hit.end for start, end in spans):
            continue
        spans.append((hit.start, hit.end))
        kept.append(hit)
    return sorted(kept, key=lambda h: (h.passage, h.start))


def _scope(hits: list[_Hit], texts: list[_Text], context: Context, gaz: _Gazetteer) -> _Scope:
    after = None if context.published is None else context.published >= REFORM_DAY
    context_old = legacy_unit(context.province) if context.province else None
    scope = _Scope(set(), set(), set(), context_old, successors().get(context_old) if context_old else None, after)
    for hit in hits:
        if hit.tiers[0] != PROVINCE:
            continue
        unit = _province(_fkey(texts[hit.passage].nfc[hit.name_start:hit.name_end]), hit, scope, gaz)
        if unit is not None:
            scope.named_new.add(unit.province_2025)
            if unit.era == LEGACY:
                scope.named_old.add(unit.name)
    return scope


def _in_scope(hit: _Hit, t: _Text, scope: _Scope, gaz: _Gazetteer) -> bool:
    k = _fkey(t.nfc[hit.name_start:hit.name_end])
    return any(_score(u, hit, scope) > 0 for tier in hit.tiers for u in gaz.by_name.get((tier, k), ()))


_CHAINED = re.compile(r"\s*,?\s*")


def _chain(hits: list[_Hit], texts: list[_Text], scope: _Scope, gaz: _Gazetteer) -> None:
    """Record, for each commune or district, the districts and provinces written right after it."""
    for n, hit in enumerate(hits):
        if hit.how != "level" or PROVINCE in hit.tiers:
            continue
        districts: set[str] = set()
        provinces: set[str] = set()
        end = hit.end
        for parent in hits[n + 1:]:
            t = texts[parent.passage]
            if parent.passage != hit.passage or not _CHAINED.fullmatch(t.nfc, end, parent.start):
                break
            k = _fkey(t.nfc[parent.name_start:parent.name_end])
            if DISTRICT in parent.tiers and parent.tiers != (PROVINCE,):
                districts.add(k)
            if PROVINCE in parent.tiers:
                unit = _province(k, parent, scope, gaz)
                if unit is not None:
                    provinces |= {unit.name, unit.province_2025}
            end = parent.end
        if districts or provinces:
            scope.chains[(hit.passage, hit.start)] = (districts, provinces)


def _overlaps(hit: _Hit, others: list[_Hit]) -> bool:
    return any(o.passage == hit.passage and hit.start < o.end and o.start < hit.end for o in others)


def _settled(hits: list[_Hit], texts: list[_Text], context: Context, gaz: _Gazetteer) -> tuple[list[_Hit], _Scope]:
    """The trigger hits that stand, and the scope they give. A name listed after a level word ("xã An Bình,
    Cao An và Hòa Bình") is also a province's name at times: it stands as a commune when it is one of the
    article's provinces (else the province's name stands), and the scope is read without it."""
    continued = [h for h in hits if h.how == "continued"]
    contested = [h for h in hits if h.how == "bare" and _overlaps(h, continued)]
    plain = [h for h in hits if h.how != "continued" and h not in contested]
    scope = _scope(plain, texts, context, gaz)
    kept = [h for h in continued if _in_scope(h, texts[h.passage], scope, gaz)]
    restored = [h for h in contested if not _overlaps(h, kept)]
    if restored:
        scope = _scope(plain + restored, texts, context, gaz)
    settled = sorted(plain + restored + kept, key=lambda h: (h.passage, h.start))
    for hit in settled:  # districts named with their level word qualify the communes of the same article
        if hit.how == "level" and hit.tiers == (DISTRICT,):
            k = _fkey(texts[hit.passage].nfc[hit.name_start:hit.name_end])
            scope.districts |= {(u.province or "", u.name) for u in gaz.by_name.get((DISTRICT, k), ())
                                if u.province in scope.old}
    return settled, scope


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    """The places the passages name, in order, each with its level and post-2025 province."""
    gaz = gazetteer()
    texts = [_prepare(p.text) for p in passages]
    hits, scope = _settled([hit for i, t in enumerate(texts) for hit in _triggered(i, t, gaz)], texts, context, gaz)
    _chain(hits, texts, scope, gaz)
    towns = [_town(h, texts[h.passage], scope.new, gaz) for h in hits if h.how == "town"]
    extra = [h for h in towns if h is not None]
    for i, t in enumerate(texts):
        extra += [*_listed(i, t, scope.old, gaz), *_bracketed(i, t, scope.old, gaz)]
    written = [h for h in hits if h.how in ("level", "continued", "committee")]
    ordered = written + extra + [h for h in hits if h.how == "bare"]
    return [_mention(h, passages[h.passage], texts[h.passage], scope, gaz) for h in _without_overlaps(ordered)]
