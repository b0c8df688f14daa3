"""The mention: one fact an article's text states (who holds which post, which document, where, what figure).

This is the contract `provnews extract` prints under `mentions` and the warehouse's `mentions` table stores.
Every mention keeps the span exactly as written (`text`), where it is (`part`, `paragraph`, `start`), and the
fields of its type (`FIELDS`); the other fields stay empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class MentionType(StrEnum):
    OFFICIAL = "official"  # a named person with a position
    PERSON = "person"  # a named person with no position in the text
    DOCUMENT = "document"  # Nghị quyết 20-NQ/TW, Quyết định số 2345/QĐ-UBND, Luật Đất đai
    PLACE = "place"  # tỉnh Hải Dương, xã Gia Tân, huyện Gia Lộc
    ORGANIZATION = "organization"  # Bộ Y tế, UBND tỉnh, Ban Thường vụ Tỉnh ủy
    MEETING = "meeting"  # Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh khóa XVII
    FIGURE = "figure"  # 19.290 tỷ đồng, 8,6%


class Part(StrEnum):
    """Which text of the record a mention is in."""

    TITLE = "title"
    LEAD = "lead"
    BODY = "body"


@dataclass(frozen=True)
class Passage:
    """One text the mention finders read: the title, the lead, or one body paragraph (NFC, as written)."""

    part: Part
    paragraph: int  # index in the record's `paragraphs` for a body paragraph; 0 for the title and the lead
    text: str


@dataclass(frozen=True)
class Context:
    """What the finders may know beyond the text: the source's province and the day the page states."""

    province: str | None = None  # the province the source covers, as its profile writes it (pre-2025 name)
    published: date | None = None  # before 1 July 2025 a district is still a district


@dataclass(frozen=True)
class Mention:
    type: MentionType
    text: str  # the span exactly as written: passage.text[start:start + len(text)] == text
    part: Part
    paragraph: int
    start: int
    name: str | None = None  # official, person, place, organization: the name as written
    positions: tuple[str, ...] = ()  # official: each position as written ("Bí thư Tỉnh ủy Hải Dương")
    body: str | None = None  # official: the body or place the position belongs to; meeting: who meets
    kind: str | None = None  # document: Nghị quyết, Quyết định, Luật…; meeting: Hội nghị, Kỳ họp, Phiên họp
    number: str | None = None  # document: normalised number ("20-NQ/TW", "30/2020/NĐ-CP")
    issuer: str | None = None  # document: the issuer named, or the one its number's suffix implies
    date: date | None = None  # document: the date the text gives
    title: str | None = None  # document: the title of a document named without a number ("Luật Đất đai")
    level: str | None = None  # place: tỉnh, thành phố, huyện, thị xã, quận, xã, phường, thị trấn
    province: str | None = None  # place: the province it was in as written (pre-2025 unit), when known
    province_2025: str | None = None  # place: the province it belongs to after the 2025 reorganisation
    value: float | None = None  # figure: the number read the Vietnamese way ("19.290" -> 19290.0)
    unit: str | None = None  # figure: "tỷ đồng", "%", "ha"
    measure: str | None = None  # figure: the words next to it that say what it measures ("tăng trưởng GRDP")
    ordinal: int | None = None  # meeting: lần thứ 14 -> 14
    term: str | None = None  # meeting: khóa XVII -> "XVII"

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type.value, "text": self.text, "part": self.part.value,
                                "paragraph": self.paragraph, "start": self.start}
        for name in FIELDS[self.type]:
            value = getattr(self, name)
            if name == "positions":
                value = list(value)
            elif name == "date" and value is not None:
                value = value.isoformat()
            data[name] = value
        return data


# The fields each type carries (in `to_json` and in the warehouse's `mentions` table); the rest stay empty.
FIELDS: dict[MentionType, tuple[str, ...]] = {
    MentionType.OFFICIAL: ("name", "positions", "body"),
    MentionType.PERSON: ("name",),
    MentionType.DOCUMENT: ("kind", "number", "issuer", "date", "title"),
    MentionType.PLACE: ("name", "level", "province", "province_2025"),
    MentionType.ORGANIZATION: ("name",),
    MentionType.MEETING: ("kind", "ordinal", "body", "term"),
    MentionType.FIGURE: ("value", "unit", "measure"),
}


_SENTENCE_END = (". ", "; ", "! ", "? ", ".\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds the span [start, end): what a figure's context column shows.

    A full stop inside a number ("19.290") is no sentence end: only ". " and its kin are."""
    left = max((text.rfind(mark, 0, start) + len(mark) for mark in _SENTENCE_END if text.rfind(mark, 0, start) >= 0),
               default=0)
    right = min((i + 1 for mark in _SENTENCE_END if (i := text.find(mark, end)) >= 0), default=len(text))
    return text[left:right].strip()
