"""Officials (a name with the positions written next to it) and persons (a name with none).

Positions have a grammar: a title word and the body it belongs to ("Bí thư" + "Tỉnh ủy", "Giám đốc" +
"Sở Tài chính"), maybe a place ("Tỉnh ủy Hải Dương"), or a standalone title ("Tổng Bí thư"); a list of them
is joined by commas ("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh": three positions).
Three forms name the holder:

- the name first: "đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương";
- the positions first: "Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng" (the name is the last words of the
  capitalised run after the positions that start with a family name);
- an appointment: "bổ nhiệm đồng chí Nguyễn Văn A giữ chức Giám đốc Sở Tài chính".

"đồng chí Name" alone is a person; when the article gives that name a position elsewhere, it is a mention of
the official (type official, no positions at that spot).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from transforms.mentions import vocabulary as V
from transforms.mentions._patterns import (
    BODY,
    CAP_WORD,
    Scanner,
    alternation,
    first_words,
    folded,
    name_at_end,
    name_key,
    word,
)
from transforms.mentions.model import Context, Mention, MentionType, Passage

_MODIFIER = "(?: [Tt]hường trực)?"
# a head of one word ("Trưởng") is followed by its body: two-word prefixes are the head and the body's first
_ONE_WORD_HEADS = [h for h in V.POSITION_HEADS if " " not in h]
_POSITION_FIRSTS = first_words(V.POSITION_HEADS, V.STANDALONE_POSITIONS, ("Bộ trưởng", "Thứ trưởng"), n=2) | {
    f"{h} {b}" for h in _ONE_WORD_HEADS for b in first_words(V.NATIONAL_BODIES, V.LEVELLED_BODIES,
                                                           V.COMMITTEE_BODIES, V.COMMITTEES, ("Ban", "Sở", "Bộ"), n=1)}
_POSITIONS = Scanner(word(
    "(?:"
    rf"{alternation(V.POSITION_HEADS)}{_MODIFIER} (?P<body>{BODY})"
    rf"|(?:Bộ trưởng|Thứ trưởng) (?P<ministry>{alternation(V.DEPARTMENTS)})"
    rf"|{alternation(V.STANDALONE_POSITIONS)}"
    ")"
    rf"(?P<run>(?: {CAP_WORD}){{0,7}})"
), _POSITION_FIRSTS)
_POSITION = _POSITIONS.pattern
_TITLE = alternation(V.PERSON_TITLES)
_TITLE_BEFORE = re.compile(rf"{_TITLE}:? $")
_LINK_BEFORE = re.compile(rf"(?P<name>{CAP_WORD}(?: {CAP_WORD}){{1,3}}) (?:{alternation(V.APPOINT_LINKS)}) $")
_RUN_BEFORE = re.compile(rf"(?:^|(?<=[^\w]))(?P<run>{CAP_WORD}(?: {CAP_WORD}){{1,5}})$")
# no lookbehind in front (several times faster to scan); the left word boundary is checked on each hit
_PERSON = re.compile(rf"{_TITLE}:? (?P<run>{CAP_WORD}(?: {CAP_WORD}){{1,4}})(?![^\W_])")
_LOOKBACK = 80  # characters before a position list searched for the name that precedes it


@dataclass(frozen=True)
class _Item:
    """One position of a list: its span (with the place written after it) and its body's span."""

    start: int
    end: int
    body_start: int | None
    run_start: int  # where the capitalised run after it starts (== end when none)


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    officials: list[Mention] = []
    persons: list[Mention] = []
    for passage in passages:
        text = folded(passage.text)
        found = list(_officials(passage, text))
        officials.extend(found)
        covered = [(m.start, m.end) for m in found]
        persons.extend(p for p in _persons(passage, text) if not any(s < p.end and p.start < e for s, e in covered))
    yield from officials
    known = {name_key(m.name or "") for m in officials}
    for p in persons:  # a name the article gives a position elsewhere is that official's
        yield replace(p, type=MentionType.OFFICIAL) if name_key(p.name or "") in known else p


def _chains(text: str) -> Iterator[list[tuple[_Item, re.Match[str]]]]:
    """Position lists: positions joined by ", " (each match with its trailing capitalised run)."""
    at = 0
    for m in _POSITIONS.finditer(text):
        if m.start() < at:
            continue  # inside the list just read
        chain = [(_item(m), m)]
        while text.startswith(", ", chain[-1][1].end()):
            nxt = _POSITION.match(text, chain[-1][1].end() + 2)
            if nxt is None:
                break
            chain.append((_item(nxt), nxt))
        at = chain[-1][1].end()
        yield chain


def _item(m: re.Match[str]) -> _Item:
    body = "body" if m.group("body") else "ministry" if m.group("ministry") else None
    return _Item(m.start(), m.end(), m.start(body) if body else None, m.start("run") + 1 if m.group("run") else m.end())


def _officials(passage: Passage, text: str) -> Iterator[Mention]:
    for chain in _chains(text):
        items = [item for item, _m in chain]
        first = items[0]
        name_span = _name_before(text, first.start)
        if name_span is not None:
            yield _official(passage, name_span, items, (name_span[0], items[-1].end))
            continue
        last = items[-1]
        words = text[last.run_start:last.end].split()
        k = name_at_end(words) if words else 0
        if k == 0:
            continue  # positions with no name ("Bí thư Tỉnh ủy yêu cầu")
        name_start = last.end - len(" ".join(words[-k:]))
        trimmed = replace(last, end=name_start - 1, run_start=min(last.run_start, name_start - 1))
        yield _official(passage, (name_start, last.end), [*items[:-1], trimmed], (first.start, last.end))


def _name_before(text: str, at: int) -> tuple[int, int] | None:
    """The span of the name written before a position list: "Name, Positions" or "Name giữ chức Position"."""
    window = max(0, at - _LOOKBACK)
    before = text[window:at]
    link = _LINK_BEFORE.search(before)
    if link and link.end() == len(before):
        words = link.group("name").split()
        k = name_at_end(words, 2)
        if k:
            return window + link.end("name") - len(" ".join(words[-k:])), window + link.end("name")
    if not before.endswith(", "):
        return None
    run = _RUN_BEFORE.search(before[:-2])
    if run is None:
        return None
    words = run.group("run").split()
    titled = _TITLE_BEFORE.search(before[: run.start("run")]) is not None
    k = name_at_end(words, 2 if titled else 3)
    if k == 0 or (k != len(words) and not titled and not _ends_clause(before[: run.start("run")])):
        return None
    end = window + run.end("run")
    return end - len(" ".join(words[-k:])), end


def _ends_clause(before: str) -> bool:
    return not before.strip() or before.rstrip()[-1] in ",;:.(" or before.endswith(" và ")


def _official(passage: Passage, name: tuple[int, int], items: list[_Item], span: tuple[int, int]) -> Mention:
    original = passage.text
    positions = tuple(original[i.start:i.end] for i in items)
    body = None
    # the body of a position with its place written, else of the first one below the national level
    for item in sorted(items, key=lambda i: (i.run_start == i.end, _national(original[i.start:i.end]))):
        if item.body_start is not None:
            body = original[item.body_start:item.end]
            break
    start, end = span
    return Mention(MentionType.OFFICIAL, original[start:end], passage.part, passage.paragraph, start,
                   name=original[name[0]:name[1]], positions=positions, body=body)


def _national(position: str) -> bool:
    return any(word in position for word in _NATIONAL_WORDS)


_NATIONAL_WORDS = ("Trung ương", "Bộ Chính trị", "Ban Bí thư", "Quốc hội")


def _persons(passage: Passage, text: str) -> Iterator[Mention]:
    for m in _PERSON.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        words = m.group("run").split()
        for k in range(min(4, len(words)), 1, -1):  # the name is the first words of the run
            if name_at_end(words[:k], 2) == k:
                end = m.start("run") + len(" ".join(words[:k]))
                yield Mention(MentionType.PERSON, passage.text[m.start():end], passage.part, passage.paragraph,
                              m.start(), name=passage.text[m.start("run"):end])
                break

