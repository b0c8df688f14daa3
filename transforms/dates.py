"""Dates as Vietnamese pages write them, read in Asia/Ho_Chi_Minh (UTC+7, no DST) and returned aware.

Handles `Thứ Bảy 06/03/2021 17:49`, `Cập nhật: 06/04/2023 08:46:40 PM`, `Thứ 3, 04/04/2023 | 16:10:37`,
`Ngày đăng 09/09/2020 | 05:07 PM`, `(Thứ bảy, 22/05/2021 11:38)`, `Thứ tư, 22/10/2025, 19:25 (GMT+7)`,
`2/11/2023`, `Gửi lúc: 05/12/2013 15:42:27`, `ngày 16.6.2022`, `Thứ Ba, ngày 4 tháng 4 năm 2023`,
`15 giờ 30 ngày 4/4/2023`, `15h30`, a two-digit year before a time (`25.04.24 | 14:07`), and ISO 8601
from JSON-LD and meta tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from transforms.constants import VN_TZ
from transforms.text import words_pattern

# the zone of a foreign page's naive values: UTC by value, named so that a value read in it is known to carry
# no offset of its own (see is_stated)
UNSTATED_UTC = timezone(timedelta(0), "UTC, unstated")


def is_stated(moment: datetime) -> bool:
    """Whether `moment`'s offset was written by the page, not supplied by naive_zone."""
    return moment.tzinfo is not VN_TZ and moment.tzname() != UNSTATED_UTC.tzname(None)


def naive_zone(language: str | None) -> tzinfo:
    """The zone a date or time written without an offset is read in, from the page's declared language.

    A naive timestamp is local to its source, and this project's sources are Vietnamese: a page that says it
    is Vietnamese, or says nothing, is read in +07:00. A page declaring another language (<html lang="de">)
    comes from elsewhere, in a zone the page does not give: it is read as UTC, the ISO 8601/XML Schema
    convention for an unknown offset. Its calendar day is then what the page wrote (a date-only value is UTC
    midnight), and a time of day is off by at most the source's offset, where +07:00 would shift a European
    or American time by 5-12 hours and often onto the previous day.
    """
    if language is None or not language.strip() or language.strip().lower().startswith("vi"):
        return VN_TZ
    return UNSTATED_UTC

_TIME = r"(?P<{p}h>\d{{1,2}})\s*(?:[:h]|giờ)\s*(?P<{p}m>\d{{2}})(?:\s*(?::|phút)\s*(?P<{p}s>\d{{2}}))?" \
        r"(?:\s*(?P<{p}ap>[AaPp]\.?[Mm]\.?))?"
_DMY = r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<mo>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
# "ngày 4 tháng 4 năm 2023", and docbao's "Ngày 04 Tháng 11, 2026" / "ngày 04 tháng 11 , 2026"
_WORDS = r"ngày\s+(?P<wd>\d{1,2})\s+tháng\s+(?P<wmo>\d{1,2})\s*(?:năm|,)\s*(?P<wy>\d{4})"
# time before the date ("15 giờ 30 ngày 4/4/2023", "15h30, 4/4/2023"), or after it with | , - or space.
# A date opens with a digit or "ngày": the lookahead says so, and re skips every other position on one test.
_DATE_RE = re.compile(
    r"(?=[\dn])(?:" + _TIME.format(p="b") + r"\s*(?:ngày|,|-|\|)?\s*)?"
    r"(?:" + _DMY + "|" + _WORDS + r")"
    r"(?:\s*(?:[|,\-–]|lúc|vào)?\s*" + _TIME.format(p="a") + r")?",
    re.IGNORECASE,
)
# "Do 25.04.24 | 14:07 Uhr": a two-digit year is only read with a time of day after it, where it cannot be a
# version, score or phone number; it stands alone (no digit or separator before it, no digit after)
_SHORT_RE = re.compile(
    r"(?=\d)(?<![\d./\-])(?P<d>\d{1,2})(?P<sep>[/.])(?P<mo>\d{1,2})(?P=sep)(?P<y>\d{2})(?![\d/.]\d)"
    r"\s*(?:[|,\-–]|lúc|um)?\s*" + _TIME.format(p="a") + r"(?!\d)",
    re.IGNORECASE,
)
_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_UPDATED = words_pattern((
    r"cập\s*nhật", "updated", r"sửa\s*đổi", r"chỉnh\s*sửa", "modified", r"last\s+edited", "aktualisiert",
    "geändert", r"mis\s+à\s+jour", "actualizad[oa]", "atualizad[oa]", "aggiornat[oa]", "bijgewerkt",
    "обновлено", "изменено", "güncelle", "更新"), re.IGNORECASE)
_PUBLISHED = words_pattern((
    r"ngày\s*đăng", r"đăng\s*lúc", r"đăng\s*ngày", r"gửi\s*lúc", r"xuất\s*bản", "published", "posted",
    "veröffentlicht", "erschienen", "publié", "publicad[oa]", "pubblicat[oa]", "gepubliceerd",
    "опубликовано", "yayınlan", "发布", "發布", "公開", "投稿"), re.IGNORECASE)


@dataclass(frozen=True)
class DateHit:
    moment: datetime  # aware, +07:00 unless the text carried its own offset
    has_time: bool
    start: int
    end: int
    label: str | None  # "updated" | "published" | None, from the words just before the date


def _hour(h: str | None, ap: str | None) -> int:
    hour = int(h or 0)
    if ap:
        pm = ap.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return hour


def _build(y: int, mo: int, d: int, hh: int, mm: int, ss: int, tz: tzinfo = VN_TZ) -> datetime | None:
    try:
        return datetime(y, mo, d, hh, mm, ss, tzinfo=tz)
    except ValueError:
        return None


def says_updated(text: str) -> bool:
    """Whether `text` holds a word saying "updated": a date in it can be labelled so only then."""
    return _UPDATED.search(text) is not None


def _label(text: str, start: int) -> str | None:
    before = text[max(0, start - 40):start]
    if _UPDATED.search(before):
        return "updated"
    if _PUBLISHED.search(before):
        return "published"
    return None


def find_dates(text: str, tz: tzinfo = VN_TZ) -> list[DateHit]:
    """Every day-month-year date in `text`, with the time next to it when there is one, read in `tz`."""
    hits = _full_year_dates(text, tz)
    for m in _SHORT_RE.finditer(text):
        if not any(h.start < m.end() and m.start() < h.end for h in hits):
            moment = _build(2000 + int(m["y"]), int(m["mo"]), int(m["d"]), _hour(m["ah"], m["aap"]),
                            int(m["am"]), int(m["as"] or 0), tz)
            if moment is not None and int(m["ah"]) <= 23:
                hits.append(DateHit(moment, True, m.start(), m.end(), _label(text, m.start())))
    return sorted(hits, key=lambda h: h.start)


def _full_year_dates(text: str, tz: tzinfo) -> list[DateHit]:
    hits = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        y, mo, d = (int(g["y"]), int(g["mo"]), int(g["d"])) if g["y"] else (
            int(g["wy"]), int(g["wmo"]), int(g["wd"]))
        prefix = "a" if g["ah"] is not None else "b" if g["bh"] is not None else None
        if prefix and int(g[prefix + "h"]) <= 23 and int(g[prefix + "m"]) <= 59:
            hh = _hour(g[prefix + "h"], g[prefix + "ap"])
            mm, ss = int(g[prefix + "m"]), int(g[prefix + "s"] or 0)
        else:
            prefix, hh, mm, ss = None, 0, 0, 0
        moment = _build(y, mo, d, hh, mm, ss, tz)
        if moment is not None and 1990 <= y <= 2100:
            hits.append(DateHit(moment, prefix is not None, m.start(), m.end(), _label(text, m.start())))
    return hits


# month names as bylines write them: English, German, French, Spanish, Portuguese, Italian, Dutch, Russian
# (genitive), Turkish; abbreviations too. A name in two languages means the same month in both.
_MONTH_NAMES = (
    "january jan januar jänner janvier enero janeiro gennaio januari января янв ocak",
    "february feb februar feber février fevrier febrero fevereiro febbraio februari февраля фев şubat subat",
    "march mar märz maerz mars marzo março marco maart марта мар mart",
    "april apr avril abril aprile апреля апр nisan",
    "may mai mayo maio maggio mei мая mayıs mayis",
    "june jun juni juin junio junho giugno июня haziran",
    "july jul juli juillet julio julho luglio июля temmuz",
    "august aug août aout agosto augustus августа авг ağustos agustos",
    "september sep sept septembre septiembre setiembre setembro settembre сентября сен eylül eylul",
    "october oct oktober okt octobre octubre outubro ottobre октября окт ekim",
    "november nov novembre noviembre novembro ноября ноя kasım kasim",
    "december dec dezember dez décembre decembre diciembre dezembro dicembre dic december декабря дек aralık aralik",
)
_MONTHS = {name: i + 1 for i, names in enumerate(_MONTH_NAMES) for name in names.split()}
# "May 15th, 2023", "15 May 2023", "15. Mai 2023": how meta tags (sailthru.date, DC.date) spell a day in words
_MONTH_NAME = r"(?P<mn{p}>[a-zäéûçıñşğüа-я]{{3,9}})\.?"
_WORDY_RE = re.compile(
    _MONTH_NAME.format(p="a") + r"\s+(?P<da>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<ya>\d{4})|"
    r"(?P<db>\d{1,2})\.?\s+" + _MONTH_NAME.format(p="b") + r",?\s+(?P<yb>\d{4})", re.IGNORECASE)
# the same in running text, in more languages: "24 de enero de 2020", "1er février 2020", "24 января 2020 г.",
# "January 24th, 2020 at 10:30 am", "24. Januar 2020 um 14:07 Uhr"; then year-first forms: "2020年1月24日",
# "2020년 1월 24일", "2020/01/24", "2020-01-24T10:00:00+01:00"
_TEXT_MONTH = r"(?P<mn{p}>[^\W\d_]{{3,10}})\.?"
_AFTER_TIME = r"(?:\s*(?:[,|·\-–/]|\bat\b|\bum\b|\bà\b|\bàs\b|\balle\b|\ba\s+las\b|\bв\b|\bom\b)?\s*" \
              + _TIME.format(p="t") + r")?"
_TEXT_DATE_RE = re.compile(
    r"(?<![\w.])(?:" + _TEXT_MONTH.format(p="a") + r"\s+(?P<da>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<ya>\d{4})|"
    r"(?P<db>\d{1,2})(?:\.|º|er|\s+de)?\s+" + _TEXT_MONTH.format(p="b") + r"(?:,|\s+de|\s+del)?\s+(?P<yb>\d{4})"
    r"|(?P<yc>\d{4})\s*[年년]\s*(?P<mc>\d{1,2})\s*[月월]\s*(?P<dc>\d{1,2})\s*[日일]?"
    r"|(?P<yd>(?:19|20)\d{2})(?P<sepd>[/.])(?P<md>[01]?\d)(?P=sepd)(?P<dd>[0-3]?\d)(?!\d)"
    # "Von: Björn Jahner | 31.10.23": a two-digit year right after a byline's separator
    r"|(?<=[|·•] )(?P<de>\d{1,2})\.(?P<me>\d{1,2})\.(?P<ye>\d{2})(?![\d.])"
    r"|(?P<iso>(?:19|20)\d{2}-[01]\d-[0-3]\d(?:T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?))"
    + _AFTER_TIME, re.IGNORECASE)


def _text_date_parts(m: re.Match[str]) -> tuple[int, int, int] | None:
    if m["ya"] or m["yb"]:
        side = "a" if m["ya"] else "b"
        month = _MONTHS.get(m["mn" + side].lower().rstrip("."))
        return (int(m["y" + side]), month, int(m["d" + side])) if month else None
    if m["yc"]:
        return int(m["yc"]), int(m["mc"]), int(m["dc"])
    if m["ye"]:
        return 2000 + int(m["ye"]), int(m["me"]), int(m["de"])
    return int(m["yd"]), int(m["md"]), int(m["dd"])


def find_text_dates(text: str, tz: tzinfo = VN_TZ) -> list[DateHit]:
    """Dates written with a month name (in the languages of _MONTH_NAMES), year first (East Asian and
    ISO forms), with the time next to them when there is one, read in `tz` unless they state an offset.
    The day-month-year numbers of find_dates are not repeated here."""
    hits = []
    for m in _TEXT_DATE_RE.finditer(text):
        if m["iso"]:
            moment = parse_iso(m["iso"], tz)
            has_time = "T" in m["iso"]
        else:
            parts = _text_date_parts(m)
            timed = m["th"] is not None and int(m["th"]) <= 23 and int(m["tm"]) <= 59
            hh, mm, ss = (_hour(m["th"], m["tap"]), int(m["tm"]), int(m["ts"] or 0)) if timed else (0, 0, 0)
            moment = _build(parts[0], parts[1], parts[2], hh, mm, ss, tz) if parts else None
            has_time = timed
        if moment is not None and 1990 <= moment.year <= 2100:
            hits.append(DateHit(moment, has_time, m.start(), m.end(), _label(text, m.start())))
    return hits


def _wordy_date(text: str, tz: tzinfo = VN_TZ) -> datetime | None:
    for m in _WORDY_RE.finditer(text):
        side = "a" if m.group("ya") else "b"
        month = _MONTHS.get(m.group("mn" + side).lower())
        if month is not None:
            moment = _build(int(m.group("y" + side)), month, int(m.group("d" + side)), 0, 0, 0, tz)
            if moment is not None:
                return moment
    return None


def parse_iso(value: str, tz: tzinfo = VN_TZ) -> datetime | None:
    """ISO 8601 (JSON-LD, meta tags). A value without an offset is read in `tz` (see naive_zone).

    Meta values that are not ISO are read as day-month-year numbers, or as a day written with a month name
    ("May 15th, 2023"); None when nothing date-like is there."""
    m = _ISO_RE.search(value.strip())
    if not m:
        return _rfc2822(value) or find_first(value, tz) or _wordy_date(value, tz)
    g = m.groupdict()
    if g["tz"]:
        if g["tz"] == "Z":
            tz = UTC
        else:
            sign = 1 if g["tz"][0] == "+" else -1
            digits = g["tz"][1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(int(g["y"]), int(g["mo"]), int(g["d"]), int(g["h"] or 0), int(g["m"] or 0),
                        int(g["s"] or 0), tzinfo=tz)
    except ValueError:
        return None


_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*"
                      r"(?:[+-]\d{4}|GMT|UT|UTC)\s*$")


def _rfc2822(value: str) -> datetime | None:
    """An RSS/e-mail date with its offset ("Sat, 19 Oct 2019 00:04:00 +0200"), as some meta tags write it."""
    if not _RFC2822.match(value):
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def iso_fields(value: str) -> tuple[str, str | None, str | None] | None:
    """An ISO 8601 value as written: (day, hh:mm or None, offset or None), to tell which of two values
    that name the same moment says more. None when the value is not ISO."""
    m = _ISO_RE.search(value.strip())
    if not m:
        return None
    hh_mm = f"{m['h']}:{m['m']}" if m["h"] else None
    return f"{m['y']}-{m['mo']}-{m['d']}", hh_mm, m["tz"]


def find_first(text: str, tz: tzinfo = VN_TZ) -> datetime | None:
    hits = find_dates(text, tz)
    return hits[0].moment if hits else None


def to_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(VN_TZ).date() if moment is not None else None
