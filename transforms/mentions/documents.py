"""Documents: "Nghị quyết số 20-NQ/TW, ngày 16.6.2022 của Bộ Chính trị", "Quyết định 2345/QĐ-UBND", "Luật Đất đai".

A number has a grammar: party numbers are `N-CODE/ISSUER` (20-NQ/TW, 64-CTr/TU), state numbers are
`N[/YEAR]/CODE-ISSUER` (30/2020/NĐ-CP, 2345/QĐ-UBND) and laws `N/YEAR/QHn`. The kind is the word before the
number, or the one its code names; the issuer is the body written after "của", or the one its suffix implies;
the date is the one written after the number. A law named without a number keeps its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from transforms.mentions import vocabulary as V
from transforms.mentions._patterns import (
    BODY_RE,
    CAP_RUN,
    CAP_WORD,
    ENDS_WITH_UNIT,
    HAS_DIGIT,
    alternation,
    folded,
    word,
)
from transforms.mentions.model import Context, Mention, MentionType, Passage

_CODE = r"[A-ZĐ][A-Za-zĐđ]*"
_PARTY_NUMBER = rf"\d+[a-z]?\s?-\s?{_CODE}/(?:T[WƯ]|{_CODE})(?:-{_CODE})?"
_STATE_NUMBER = rf"\d+(?:/\d{{4}})?/{_CODE}(?:-{_CODE}\d*)+"
_LAW_NUMBER = r"\d+/\d{4}/QH\d+"
_NUMBER = rf"(?:{_LAW_NUMBER}|{_STATE_NUMBER}|{_PARTY_NUMBER})"
_KIND = alternation(V.DOCUMENT_KINDS)
# A number ("20-NQ/TW"), then the kind written just before it ("Nghị quyết số ", "Quyết định ") if any:
# searching numbers first is fast (they start with a digit), and a number alone is a citation too.
_CITED = re.compile(word(rf"(?P<number>{_NUMBER})"))
_KIND_BEFORE = re.compile(word(rf"(?P<kind>{_KIND})(?: số:?)? $"))
_KIND_REACH = 40  # characters before a number searched for its kind
_DATE = re.compile(r"(?:,\s*|\s+)(?:\(?ban hành\s+)?ngày\s+(?:(\d{1,2})[./-](\d{1,2})[./-](\d{4})"
                   r"|(\d{1,2}) tháng (\d{1,2}) năm (\d{4}))")
_OF = re.compile(r",?\s+của\s+")
_LAW = re.compile(word(rf"Luật(?: {CAP_WORD})(?: [^\W\d_]+){{0,6}}"))
_LAW_STOP = frozenset((
    "về", "của", "và", "đã", "được", "có", "sẽ", "trong", "tại", "cho", "với", "theo", "này", "là", "để",
    "khi", "thì", "các", "những", "đến", "từ", "số", "ngày", "mới", "quy", "hiện", "nhằm", "đang", "trên",
    "đối", "cũng", "vừa", "phải", "cần", "không", "chưa", "như", "do", "bởi", "năm", "tháng",
))
_LAW_YEAR = re.compile(r" năm \d{4}| \(sửa đổi\)| sửa đổi")


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    for passage in passages:
        text = folded(passage.text)
        yield from _numbered(passage, text)
        yield from _laws(passage, text)


def _numbered(passage: Passage, text: str) -> Iterator[Mention]:
    if not HAS_DIGIT.search(text):
        return
    for m in _CITED.finditer(text):
        number = normalise_number(m.group("number"))
        code = _code(number)
        written = _KIND_BEFORE.search(text, max(0, m.start() - _KIND_REACH), m.start())
        kind = _kind_name(written.group("kind")) if written else V.DOCUMENT_CODES.get(code)
        if kind is None:
            continue
        start = written.start() if written else m.start()
        end = m.end()
        when, end = _date_after(text, end)
        named = _issuer_after(text, end)
        issuer: str | None = implied_issuer(number, code)
        if named is not None:
            issuer, end = passage.text[named[0]:named[1]], named[1]
        yield Mention(MentionType.DOCUMENT, passage.text[start:end], passage.part, passage.paragraph, start,
                      kind=kind, number=number, issuer=issuer, date=when)


def _laws(passage: Passage, text: str) -> Iterator[Mention]:
    if "Luật" not in text:
        return
    for m in _LAW.finditer(text):
        words = m.group().split(" ")
        keep = 2
        while keep < len(words) and words[keep] not in _LAW_STOP:
            keep += 1
        end = m.start() + len(" ".join(words[:keep]))
        tail = _LAW_YEAR.match(text, end)
        if tail:
            end = tail.end()
        title = passage.text[m.start():end]
        yield Mention(MentionType.DOCUMENT, title, passage.part, passage.paragraph, m.start(),
                      kind="Luật", title=title, issuer=V.LAW_ISSUER)


def normalise_number(raw: str) -> str:
    """'20 - NQ/TƯ' → '20-NQ/TW': no spaces, the Party's TƯ written TW."""
    number = raw.replace(" ", "")
    return number[:-2] + "TW" if number.endswith("/TƯ") else number


def _code(number: str) -> str:
    """The type code of a number: NQ in 20-NQ/TW and in 15/2023/NQ-HĐND, QH in 31/2024/QH15."""
    if re.fullmatch(_LAW_NUMBER, number):
        return "QH"
    if "-" in number and "/" in number and number.index("-") < number.index("/"):  # party: N-CODE/ISSUER
        return number.split("-", 1)[1].split("/", 1)[0]
    return number.rsplit("/", 1)[1].split("-", 1)[0]


def implied_issuer(number: str, code: str) -> str | None:
    """The issuer a number's suffix implies: TW → Trung ương (per kind), TU → Tỉnh ủy, NĐ-CP → Chính phủ."""
    if code == "QH":
        return V.LAW_ISSUER
    if "-" in number and "/" in number and number.index("-") < number.index("/"):
        suffix = number.split("/", 1)[1]
        return V.PARTY_ISSUERS.get((suffix, code)) or V.PARTY_ISSUERS.get((suffix, None))
    for part in reversed(number.rsplit("/", 1)[1].split("-")):
        issuer = V.STATE_ISSUERS.get(part) or V.STATE_ISSUERS.get(part.rstrip("0123456789"))
        if issuer:  # "2345/QĐ-UBND", "123/UBND-KT": the rightmost part that names an issuer
            return issuer
    return None


def numbered_in_province(number: str) -> bool:
    """Whether a number is unique only within its province: a local issuer's, or one whose issuer is unknown
    (keeping those apart never merges two provinces' documents; central numbers are named by their suffix)."""
    if "/" not in number:
        return True
    issuer = implied_issuer(number, _code(number))
    return issuer is None or issuer in V.LOCAL_ISSUERS


_KIND_NAMES = {k.casefold(): k for k in V.DOCUMENT_KINDS}


def _kind_name(written: str) -> str:
    return _KIND_NAMES.get(written.casefold(), written)


def _date_after(text: str, at: int) -> tuple[date | None, int]:
    m = _DATE.match(text, at)
    if not m:
        return None, at
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d)), m.end()
    except ValueError:
        return None, at


def _issuer_after(text: str, at: int) -> tuple[int, int] | None:
    """The span of the body named after "của" at `at` (with its place name), if any."""
    of = _OF.match(text, at)
    if not of:
        return None
    body = BODY_RE.match(text, of.end())
    if not body:
        return None
    end = body.end()
    if ENDS_WITH_UNIT.search(body.group()):
        place = CAP_RUN.match(text, end + 1) if text[end:end + 1] == " " else None
        if place:
            end = place.end()
    return of.end(), end
