"""Bylines, photo credits and origin lines, as Vietnamese pages write them at the end of an article.

`Đình Bộ- VPTU` → person "Đình Bộ", organisation "VPTU"; `Đào Quyên` → "Đào Quyên"; `Ảnh: Thành Tâm` →
photographer; `Nguồn Báo điện tử Hải Dương` / `Theo Báo X` → origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.text import match_key, normalize_text

_PHOTO = re.compile(r"^\(?\s*(?:ảnh|ảnh\s*và\s*clip|photo)\s*:\s*(?P<names>[^)]+?)\s*\)?\s*\.?$",
                    re.IGNORECASE)
_CAPTION_CREDIT = re.compile(r"\(\s*(?:ảnh|photo)\s*:\s*(?P<names>[^)]+)\)\s*\.?\s*$", re.IGNORECASE)
_ORIGIN = re.compile(r"^(?:nguồn|theo)\s*:?\s+(?P<origin>.{3,80}?)\s*\.?$", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^(?:tác\s*giả|bài(?:\s*và\s*ảnh)?|tin(?:\s*,\s*ảnh)?|by|phóng\s*viên|pv)\s*:\s*",
                        re.IGNORECASE)
# An organisation suffix after a dash: "- VPTU", "– TTXVN", "(BHD)".
_ORG = re.compile(r"\s*(?:[-–—]\s*(?P<org>[^\s].{0,40})|\((?P<porg>[^)]{1,40})\))\s*$")
# a capitalised word of letters and the marks names have (initials "J.", "O'Brien", "Roberts-Grey")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-ỸÂĂÊÔƠƯ][^\s\d!?:;@/|#*+=<>()\[\]{}\"“”]*$")
_DOMAIN = re.compile(r"\w\.(?:[a-z]{2,6})$")  # "Stern.de", "Lrt.lt": a site, not a person
# page furniture worded like a name ("Advertisement", "More TechCrunch", "Story Saved", "Zur Startseite")
_NOT_NAME_WORDS = frozenset({
    "advertisement", "advertising", "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "reklam",
    "sponsored", "promoted", "tags", "loading", "view", "subscribe", "more", "saved", "share", "follow",
    "unfollow", "profile", "comments", "related", "read", "menu", "login", "newsletter", "home", "startseite",
    "zur", "video", "twitter", "facebook", "instagram", "linkedin", "youtube", "whatsapp", "print", "email",
    "contact", "admin", "administrator", "webmaster", "staff",
    # the date beside a byline ("Joe Wee Monday")
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    # job titles beside the name ("Games Editor", "Lifestyle Writer")
    "editor", "writer", "reporter", "redakteur", "redakteurin", "correspondent", "journalist", "columnist",
    "author",
})
_SPLIT = re.compile(r"\s*(?:,|;|\s+và\s+|&)\s*")


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...] = ()
    org: str | None = None
    photographers: tuple[str, ...] = ()
    origin: str | None = None
    removed: tuple[str, ...] = field(default=())  # the lines taken out of the body


def _is_name(text: str) -> bool:
    """A person's name: 1–6 capitalised words, no digits, no sentence punctuation."""
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or _DOMAIN.search(text):
        return False
    return all(_NAME_WORD.match(w) and w.casefold() not in _NOT_NAME_WORDS for w in words)


def is_person(text: str) -> bool:
    """Whether `text` reads as a person's name (1–6 capitalised words, no digits)."""
    return _is_name(text)


_ORG_WORDS = frozenset({"báo", "đài", "ban", "sở", "phòng", "cổng", "hội", "huyện", "tỉnh", "bộ", "ubnd",
                        "hđnd", "cục", "tạp", "đảng", "trường", "xã", "phường", "viện", "ttxvn", "vov", "vtv"})
# first words that are also common given names ("Thành Long", "Văn Minh", "Trung Kiên") only open an
# organisation with the right second word
_ORG_PAIRS = frozenset({"thành phố", "thành ủy", "thành uỷ", "thành đoàn", "trung tâm", "trung ương",
                        "văn phòng", "thông tấn", "thông tin", "công an", "công ty", "chi cục", "chi nhánh",
                        "liên đoàn", "mặt trận", "đoàn thanh"})


def is_organisation(text: str) -> bool:
    """Whether `text` names an organisation ('Báo Hải Dương', 'Cổng thông tin điện tử …', 'TTXVN')."""
    return _looks_org(text)


def _looks_org(text: str) -> bool:
    """'VPTU', 'TTXVN', 'Báo Hải Dương': an acronym or a name that starts like an organisation."""
    words = text.casefold().split()
    if not words:
        return False
    return not any(c.islower() for c in text) or words[0] in _ORG_WORDS or " ".join(words[:2]) in _ORG_PAIRS


def _names(text: str) -> tuple[str, ...]:
    parts = [normalize_text(p).strip(" .") for p in _SPLIT.split(text) if p.strip(" .")]
    return tuple(parts)


def _double_name(text: str, m: re.Match[str]) -> bool:
    """'Roberts-Grey': a hyphen with no space either side joins a double name when one word follows and it is
    no acronym ('Đình Bộ-VPTU' names an organisation, 'Mai Linh-Thu Anh' two people)."""
    org = m.group("org")
    return org is not None and text[m.start()] == "-" and not text[m.start() + 1].isspace() \
        and " " not in org.strip() and not _looks_org(org)


def split_author_line(line: str) -> tuple[tuple[str, ...], str | None] | None:
    """('Đình Bộ',), 'VPTU' for 'Đình Bộ- VPTU'; None when the line is not a byline."""
    text = _BY_PREFIX.sub("", normalize_text(line)).strip(" .")
    if not text or text.endswith(":"):  # a label ("Tags:", "Từ khóa:"), not a name
        return None
    org = None
    more: tuple[str, ...] = ()
    m = _ORG.search(text)
    if m and _double_name(text, m):
        m = None
    if m:
        org = (m.group("org") or m.group("porg") or "").strip(" .") or None
        text = text[: m.start()].strip()
        if org is not None and not _looks_org(org):  # "Mai Linh - Thu Anh": two people, no organisation
            more, org = _names(org), None
    persons = _names(text) + more
    if not persons or not all(_is_name(p) for p in persons):
        return None
    if org is not None and len(org.split()) > 6:
        return None
    return persons, org


def photo_credit(line: str) -> tuple[str, ...] | None:
    m = _PHOTO.match(normalize_text(line))
    return _names(m.group("names")) if m else None


def caption_credit(caption: str) -> tuple[str, tuple[str, ...]]:
    """A caption without its trailing '(Ảnh: X)' credit, and the credited names."""
    m = _CAPTION_CREDIT.search(caption)
    if not m:
        return caption, ()
    return caption[: m.start()].rstrip(), _names(m.group("names"))


def origin_line(line: str) -> str | None:
    m = _ORIGIN.match(normalize_text(line))
    if not m:
        return None
    origin = m.group("origin").strip()
    return origin if origin[:1].isupper() else None


def is_trailer(line: str) -> bool:
    """Whether a short line at the end of a body is metadata (byline, credit, origin), not text."""
    return bool(photo_credit(line) or origin_line(line) or split_author_line(line))


def strip_trailing(paragraphs: list[str], max_lines: int = 4) -> tuple[list[str], Byline]:
    """Take bylines, photo credits and origin lines off the end of a body (at most `max_lines`)."""
    authors: tuple[str, ...] = ()
    org: str | None = None
    photographers: tuple[str, ...] = ()
    origin: str | None = None
    removed: list[str] = []
    body = list(paragraphs)
    while body and len(removed) < max_lines:
        line = body[-1]
        if len(line) > 120:
            break
        if (credit := photo_credit(line)) is not None:
            photographers = credit + photographers
        elif (src := origin_line(line)) is not None:
            origin = origin or src
        elif (byline := split_author_line(line)) is not None and not authors:
            authors, org = byline
        else:
            break
        removed.append(body.pop())
    return body, Byline(authors, org, photographers, origin, tuple(reversed(removed)))


def is_boiler_heading(line: str, keys: frozenset[str]) -> bool:
    """Whether `line` is one of the known boilerplate headings (compared tone-style- and case-blind)."""
    return match_key(line).rstrip(" :") in keys


def read_leading(lines: list[str], max_lines: int = 6) -> Byline:
    """Bylines, credits and origin at the start of `lines` (a byline box after the body), up to the first
    line that is none of them."""
    _, found = strip_trailing(_leading_trailers(lines, max_lines), max_lines)
    return found


def _leading_trailers(lines: list[str], max_lines: int) -> list[str]:
    taken: list[str] = []
    for line in lines[:max_lines]:
        if len(line) > 120 or not is_trailer(line):
            break
        taken.append(line)
    return taken
