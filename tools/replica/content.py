"""Deterministic Vietnamese provincial news for the replica: `generate(site, ref, rng) -> Article`.

Articles are written in the register of the seeds: Party and government meetings, resolutions and decisions
with document numbers, officials with their positions, economic figures, and places before and after the 2025
reorganisation. Every entity is recorded from the generator's own data at the moment it is rendered (never
scraped back from text), in the exact form that appears in the article, including its tone-mark style.

Fast by construction: a handful of `rng.choice` calls per sentence, no regex except the tone-mark restyling.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from replica import vocab as V
from replica.model import (
    Article,
    ArticleRef,
    Block,
    Document,
    Entities,
    Family,
    Figure,
    Image,
    Meeting,
    Official,
    Place,
    Revision,
    Site,
)
from replica.paths import article_path

REFORM_DAY = date(2025, 7, 1)  # provinces merged, districts abolished

# -- tone-mark style -------------------------------------------------------------------------------------
# Text is written in the new style (hòa, ủy); the old style moves the mark to the second vowel (hoà, uỷ).

_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _old_style_pairs() -> dict[str, str]:
    pairs = {}
    for first, seconds in (("o", "ae"), ("O", "aeAE"), ("u", "y"), ("U", "yY")):
        for second in seconds:
            for tone in _TONES:
                new = unicodedata.normalize("NFC", first + tone) + second
                pairs[new] = first + unicodedata.normalize("NFC", second + tone)
    return pairs


_OLD_PAIRS = _old_style_pairs()
# Only open syllables move their mark ("hòa" → "hoà", but "hoàn" is the same in both styles).
_OLD_RE = re.compile("(" + "|".join(_OLD_PAIRS) + r")(?!\w)")


def old_style(text: str) -> str:
    """`text` with its tone marks in the old style (uỷ, hoà)."""
    return _OLD_RE.sub(lambda m: _OLD_PAIRS[m.group(1)], text)


def _new_style(text: str) -> str:
    return text


# -- numbers ---------------------------------------------------------------------------------------------


def vn_number(value: float, decimals: int = 0) -> str:
    """Vietnamese number format: thousands dot, decimal comma ("19.290", "8,26")."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# -- per-article state -----------------------------------------------------------------------------------


@dataclass
class _Ctx:
    """Everything one article's generation needs; lives for one `generate` call only."""

    rng: random.Random
    site: Site
    pub: datetime
    post: bool  # published after the 2025 reorganisation
    prov: str  # the province or city the text is about, as written
    unit: str  # "tỉnh" or "thành phố"
    cap: str  # "Tỉnh ủy" or "Thành ủy"
    roster: tuple[tuple[str, str, str | None], ...]  # (name, full position, short position)
    style: Callable[[str], str] = _new_style
    officials: dict[str, Official] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    meetings: dict[tuple[str, int], Meeting] = field(default_factory=dict)
    captioning: bool = False  # a caption is being written: it is not article text, so it records nothing

    def entity_count(self) -> int:
        """Entities and officials' positions recorded so far (a paragraph adding a position is not plain)."""
        positions = sum(len(o.positions) for o in self.officials.values())
        return positions + len(self.documents) + len(self.places) + len(self.figures) + len(self.meetings)

    # Each helper returns the canonical text to insert and records the entity, styled as it will render.

    def official(self, name: str, position: str) -> None:
        """Record `name` with each position of `position` ("A, B": two) not yet recorded for them."""
        if self.captioning:
            return
        known = self.officials.get(name)
        if known is None:
            self.officials[name] = Official(self.style(name), self.style(position))
            return
        seen = {p.casefold() for p in (*known.positions, *map(old_style, known.positions))}
        new = [self.style(p) for p in position.split(", ") if p.casefold() not in seen
               and old_style(p).casefold() not in seen]
        if new:
            self.officials[name] = Official(known.name, ", ".join((*known.positions, *new)))

    def meeting(self, kind: str, ordinal: int, body: str, term: str | None) -> None:
        if (kind, ordinal) not in self.meetings:
            self.meetings[(kind, ordinal)] = Meeting(kind, ordinal, self.style(body), term)

    def place(self, name: str, current: str | None = None) -> str:
        if name not in self.places:
            self.places[name] = Place(self.style(name), current or self.site.province_current)
        return name

    def figure(self, value: float, decimals: int, unit: str) -> str:
        number = vn_number(value, decimals)
        text = f"{number}%" if unit == "%" else f"{number} {unit}"
        if text not in self.figures:
            self.figures[text] = Figure(self.style(text), float(round(value, decimals)), unit)
        return text


def _cap1(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- people ----------------------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(V.SURNAMES)} {rng.choice(V.MIDDLE_F)} {rng.choice(V.GIVEN_F)}"
    return f"{rng.choice(V.SURNAMES)} {rng.choice(V.MIDDLE_M)} {rng.choice(V.GIVEN_M)}"


def _positions(unit: str, cap: str, post: bool) -> tuple[tuple[str, str | None], ...]:
    ubnd, hdnd = f"UBND {unit}", f"HĐND {unit}"
    tuyen_giao = f"Trưởng Ban Tuyên giáo và Dân vận {cap}" if post else f"Trưởng Ban Tuyên giáo {cap}"
    nong_nghiep = "Nông nghiệp và Môi trường" if post else "Nông nghiệp và Phát triển nông thôn"
    return (
        (f"Ủy viên Trung ương Đảng, Bí thư {cap}", f"Bí thư {cap}"),
        (f"Phó Bí thư Thường trực {cap}", f"Phó Bí thư Thường trực {cap}"),
        (f"Phó Bí thư {cap}, Chủ tịch {ubnd}", f"Chủ tịch {ubnd}"),
        (f"Ủy viên Ban Thường vụ {cap}, Chủ tịch {hdnd}", f"Chủ tịch {hdnd}"),
        (f"Ủy viên Ban Thường vụ {cap}, Phó Chủ tịch Thường trực {ubnd}", f"Phó Chủ tịch Thường trực {ubnd}"),
        (f"Phó Chủ tịch {ubnd}", f"Phó Chủ tịch {ubnd}"),
        (f"Phó Chủ tịch {ubnd}", None),
        (f"Phó Chủ tịch {hdnd}", f"Phó Chủ tịch {hdnd}"),
        (f"Ủy viên Ban Thường vụ {cap}, Trưởng Ban Tổ chức {cap}", f"Trưởng Ban Tổ chức {cap}"),
        (tuyen_giao, tuyen_giao),
        (f"Chủ nhiệm Ủy ban Kiểm tra {cap}", f"Chủ nhiệm Ủy ban Kiểm tra {cap}"),
        ("Giám đốc Sở Tài chính", "Giám đốc Sở Tài chính"),
        (f"Giám đốc Sở {nong_nghiep}", f"Giám đốc Sở {nong_nghiep}"),
        ("Giám đốc Sở Xây dựng", "Giám đốc Sở Xây dựng"),
        ("Giám đốc Sở Khoa học và Công nghệ", None),
        ("Giám đốc Sở Nội vụ", "Giám đốc Sở Nội vụ"),
        ("Giám đốc Sở Y tế", None),
    )


@lru_cache(maxsize=1024)
def _roster(site_id: str, unit: str, cap: str, post: bool) -> tuple[tuple[str, str, str | None], ...]:
    """The site's leadership, stable across its articles (the same Bí thư in every story)."""
    rng = random.Random(f"roster|{site_id}|{post}")
    names: list[str] = []
    while len(names) < len(_positions(unit, cap, post)):
        name = _person(rng)
        if name not in names:
            names.append(name)
    positions = _positions(unit, cap, post)
    return tuple((n, full, short) for n, (full, short) in zip(names, positions, strict=True))


@lru_cache(maxsize=1024)
def _reporters(site_id: str) -> tuple[str, ...]:
    rng = random.Random(f"reporters|{site_id}")
    return tuple(sorted({f"{rng.choice(V.PEN_FIRST)} {rng.choice(V.PEN_LAST)}" for _ in range(10)}))


# -- sentences -------------------------------------------------------------------------------------------


def _who(ctx: _Ctx, index: int | None = None, short_ok: bool = True) -> str:
    """An official of the roster, mentioned as "đồng chí Name, Position" or "Position Name"."""
    rng = ctx.rng
    name, full, short = ctx.roster[index if index is not None else rng.randrange(len(ctx.roster))]
    if short is not None and short_ok and rng.random() < 0.4:
        ctx.official(name, short)
        return f"{short} {name}"
    ctx.official(name, full)
    return f"đồng chí {name}, {full}"


def _local_place(ctx: _Ctx) -> str:
    """A district or a commune before the reform, a commune or ward after it: real units of the site's province
    (vocab.LEGACY_COMMUNES / COMMUNES_2025, from vietnamadminunits), as written with their kind."""
    rng = ctx.rng
    province = ctx.site.province
    districts = V.DISTRICTS.get(province, ())
    if not ctx.post:
        kind, name = rng.choice(districts) if districts and rng.random() < 0.6 else \
            rng.choice(V.LEGACY_COMMUNES[province])
    else:
        kind, name = rng.choice(V.COMMUNES_2025[province])
    return f"{kind} {ctx.place(name)}"


def _region(ctx: _Ctx) -> str:
    """The area as written: after the reform sometimes "tỉnh Hải Dương (cũ)"."""
    if ctx.post and ctx.site.province != ctx.prov and ctx.rng.random() < 0.5:
        return f"khu vực tỉnh {ctx.place(ctx.site.province)} (cũ)"
    return f"{ctx.unit} {ctx.place(ctx.prov)}"


def _when(ctx: _Ctx) -> str:
    rng, pub = ctx.rng, ctx.pub
    day = pub - timedelta(days=1) if pub.hour < 9 else pub
    part = "Chiều" if pub.hour < 9 or (pub.hour >= 14 and rng.random() < 0.6) else "Sáng"
    form = rng.randrange(3)
    if form == 0:
        return f"{part} {day.day}/{day.month}"
    if form == 1:
        return f"{part} ngày {day.day}/{day.month}"
    return f"Ngày {day.day}/{day.month}"


def _doc_date(ctx: _Ctx, national: bool) -> date:
    back = ctx.rng.randint(60, 1100) if national else ctx.rng.randint(5, 400)
    return ctx.pub.date() - timedelta(days=back)


_DOC_KINDS: tuple[tuple[str, str, str, bool], ...] = (
    # (type, number pattern, issuer, national)
    ("Nghị quyết", "{n}-NQ/TU", "Ban Thường vụ {cap}", False),
    ("Nghị quyết", "{n}-NQ/TU", "Ban Chấp hành Đảng bộ {unit}", False),
    ("Nghị quyết", "{n}-NQ/TW", "Bộ Chính trị", True),
    ("Nghị quyết", "{n}/{y}/NQ-HĐND", "HĐND {unit}", False),
    ("Quyết định", "{n}/QĐ-UBND", "UBND {unit}", False),
    ("Quyết định", "{n}/QĐ-TTg", "Thủ tướng Chính phủ", True),
    ("Kế hoạch", "{n}/KH-UBND", "UBND {unit}", False),
    ("Kế hoạch", "{n}-KH/TU", "{cap}", False),
    ("Chỉ thị", "{n}-CT/TU", "Ban Thường vụ {cap}", False),
    ("Chỉ thị", "{n}/CT-UBND", "UBND {unit}", False),
    ("Thông báo", "{n}-TB/TU", "Ban Thường vụ {cap}", False),
    ("Kết luận", "{n}-KL/TW", "Bộ Chính trị", True),
    ("Kết luận", "{n}-KL/TU", "Ban Thường vụ {cap}", False),
    ("Chương trình hành động", "{n}-CTr/TU", "Ban Chấp hành Đảng bộ {unit}", False),
)


def _document(ctx: _Ctx, kinds: tuple[int, ...] | None = None) -> str:
    """A numbered document as written ("Quyết định số 2345/QĐ-UBND ngày 12/10/2026 của UBND tỉnh")."""
    rng = ctx.rng
    kind = rng.choice(kinds) if kinds else rng.randrange(len(_DOC_KINDS))
    type_, pattern, issuer, national = _DOC_KINDS[kind]
    issued = _doc_date(ctx, national)
    big = "QĐ" in pattern or "KH-" in pattern or "CT-" in pattern
    n = rng.randint(100, 3999) if big else rng.randint(1, 180)
    number = pattern.format(n=f"{n:02d}", y=issued.year)
    issuer = issuer.format(cap=ctx.cap, unit=ctx.unit)
    text = f"{type_} số {number}" if rng.random() < 0.85 else f"{type_} {number}"
    written_date: date | None = issued if rng.random() < 0.7 else None
    written_issuer: str | None = issuer if rng.random() < 0.75 else None
    out = text
    if written_date is not None:
        sep = rng.choice((" ngày ", ", ngày "))
        d = written_date
        out += sep + (f"{d.day}/{d.month}/{d.year}" if rng.random() < 0.7 else f"{d.day}.{d.month}.{d.year}")
    if written_issuer is not None:
        out += f" của {written_issuer}"
    if number not in ctx.documents:
        style = ctx.style
        ctx.documents[number] = Document(style(text), type_, number,
                                         style(written_issuer) if written_issuer else None, written_date)
    return out


def _action_sentence(ctx: _Ctx, subject: str | None = None) -> str:
    rng = ctx.rng
    action = rng.choice(V.ACTIONS)
    modal = rng.choice(V.MODALS)
    if action.split(" ", 1)[0] in modal.split():  # not "chủ động chủ động xây dựng"
        modal = "cần"
    sentence = f"{subject or rng.choice(V.SUBJECTS)} {modal} {action}"
    if rng.random() < 0.35:
        sentence += f"; {rng.choice(V.ACTIONS)}"
    opener = rng.choice(V.OPENERS)
    tail = rng.choice(V.TAILS)
    return f"{opener}{sentence}{tail}." if opener else f"{_cap1(sentence)}{tail}."


_COMPARED = ("cao hơn cùng kỳ năm trước", "vượt kịch bản đề ra", "cao hơn mức bình quân chung cả nước")


def _figure_sentence(ctx: _Ctx, k: int) -> str:
    """One of ten sentences reporting economic figures; every figure is recorded as it is written."""
    rng, y = ctx.rng, ctx.pub.year
    f = ctx.figure
    if k == 0:
        return (f"Tốc độ tăng trưởng kinh tế (GRDP) ước đạt {f(rng.uniform(5.5, 11.5), 2, '%')}, "
                f"{rng.choice(_COMPARED)}.")
    if k == 1:
        return (f"Tổng thu ngân sách nhà nước trên địa bàn ước đạt "
                f"{f(rng.randint(2500, 42000), 0, 'tỷ đồng')}, bằng {f(rng.uniform(75, 135), 1, '%')} "
                f"dự toán.")
    if k == 2:
        return (f"Giải ngân vốn đầu tư công đạt {f(rng.randint(800, 9800), 0, 'tỷ đồng')}, "
                f"bằng {f(rng.uniform(40, 98), 1, '%')} kế hoạch vốn giao.")
    if k == 3:
        return (f"Từ đầu năm đến nay, {ctx.unit} đã thu hút {f(rng.randint(8, 90), 0, 'dự án')} đầu tư mới "
                f"với tổng vốn đăng ký {f(rng.uniform(40, 1500), 1, 'triệu USD')}.")
    if k == 4:
        return (f"Kim ngạch xuất khẩu ước đạt {f(rng.uniform(300, 9000), 1, 'triệu USD')}, "
                f"tăng {f(rng.uniform(3, 25), 1, '%')} so với cùng kỳ.")
    if k == 5:
        return (f"Toàn {ctx.unit} có thêm {f(rng.randint(120, 2400), 0, 'doanh nghiệp')} thành lập mới "
                f"trong năm {y}.")
    if k == 6:
        return (f"Diện tích gieo cấy lúa đạt {f(rng.randint(9, 80) * 1000 + rng.randint(0, 999), 0, 'ha')}, "
                f"sản lượng ước đạt {f(rng.randint(60, 520) * 1000, 0, 'tấn')}.")
    if k == 7:
        return (f"Các dự án mới đi vào hoạt động đã giải quyết việc làm cho "
                f"{f(rng.randint(30, 900) * 10, 0, 'lao động')}.")
    if k == 8:
        return f"Tỷ lệ hộ nghèo giảm còn {f(rng.uniform(0.4, 4.5), 2, '%')}, vượt mục tiêu đề ra."
    return (f"Đến nay đã hỗ trợ xóa {f(rng.randint(40, 2600), 0, 'căn nhà')} tạm, nhà dột nát với tổng "
            f"kinh phí {f(rng.randint(5, 180), 0, 'tỷ đồng')}.")


# -- paragraphs ------------------------------------------------------------------------------------------


def _p_generic(ctx: _Ctx) -> str:
    subjects = ctx.rng.sample(V.SUBJECTS, ctx.rng.randint(2, 4))  # no subject twice in a paragraph
    return " ".join(_action_sentence(ctx, s) for s in subjects)


_SPEECH_INTROS = ("Phát biểu chỉ đạo hội nghị, ", "Kết luận hội nghị, ", "Phát biểu tại buổi làm việc, ",
                  "Chỉ đạo tại hội nghị, ", "Ghi nhận, biểu dương những kết quả đạt được, ", "")


def _p_speech(ctx: _Ctx) -> str:
    rng = ctx.rng
    intro = rng.choice(_SPEECH_INTROS)
    who = _who(ctx)
    if rng.random() < 0.5:
        first = f"{who} {rng.choice(('đề nghị', 'yêu cầu'))} {rng.choice(V.SUBJECTS)} {rng.choice(V.ACTIONS)}"
        first += f"; {rng.choice(V.ACTIONS)}."
    else:
        first = f"{who} {rng.choice(('nhấn mạnh', 'khẳng định', 'lưu ý'))} {rng.choice(V.CLAIMS)}."
    text = f"{intro}{first}" if intro else _cap1(first)
    if rng.random() < 0.6:
        verb = rng.choice(("đề nghị", "yêu cầu"))
        text += f" Đồng chí {verb} {rng.choice(V.SUBJECTS)} {rng.choice(V.ACTIONS)}."
    return text


def _p_report(ctx: _Ctx) -> str:
    rng = ctx.rng
    first, last = rng.sample(V.ASSESSMENTS, 2)
    parts = [first, *(_figure_sentence(ctx, k) for k in rng.sample(range(10), rng.randint(1, 3)))]
    if rng.random() < 0.4:
        parts.append(last)
    return " ".join(parts)


def _p_document(ctx: _Ctx) -> str:
    rng = ctx.rng
    doc = _document(ctx)
    k = rng.randrange(3)
    topic = rng.choice(V.DOC_TOPICS)
    if k == 0:
        text = f"Thực hiện {doc} {topic}, {rng.choice(V.SUBJECTS)} đã {rng.choice(V.ACTIONS)}."
    elif k == 1:
        text = (f"Hội nghị đã thảo luận, thống nhất triển khai {doc} {topic}, trong đó đề ra "
                f"{rng.randint(3, 9)} nhóm nhiệm vụ, giải pháp trọng tâm.")
    else:
        text = (f"Theo {doc}, {rng.choice(V.SUBJECTS)} cần {rng.choice(V.ACTIONS)} "
                f"và báo cáo kết quả trước ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}.")
    return _cap1(text) + (" " + _action_sentence(ctx) if rng.random() < 0.5 else "")


def _project(ctx: _Ctx) -> str:
    """A project's name; the name inside it ("Khu công nghiệp Tân Hưng") names the project, not a place."""
    template = ctx.rng.choice(V.PROJECTS)
    return template.format(p=ctx.rng.choice(V.COMMUNES)) if "{p}" in template else template


def _p_place(ctx: _Ctx) -> str:
    rng, f = ctx.rng, ctx.figure
    where = _local_place(ctx)
    k = rng.randrange(3)
    if k == 0:
        text = (f"Tại {where}, tiến độ giải phóng mặt bằng {_project(ctx)} đạt "
                f"{f(rng.uniform(55, 99), 1, '%')}, còn {f(rng.randint(3, 120), 0, 'hộ')} chưa bàn giao "
                f"mặt bằng.")
    elif k == 1:
        area = f(rng.randint(12, 480) + rng.randint(0, 9) / 10, 1, "ha")
        text = (f"Dự án {_project(ctx)} có tổng diện tích {area} tại {where}, "
                f"tổng mức đầu tư {f(rng.randint(120, 9800), 0, 'tỷ đồng')}.")
    else:
        text = (f"Nhiều mô hình hay, cách làm sáng tạo ở {where} và {_local_place(ctx)} "
                f"đã được nhân rộng trên địa bàn {_region(ctx)}.")
    return text + (" " + _action_sentence(ctx) if rng.random() < 0.5 else "")


_PARAGRAPHS: dict[str, tuple[Callable[[_Ctx], str], ...]] = {
    # weights by repetition, per story kind
    "party": (_p_generic, _p_generic, _p_speech, _p_speech, _p_document, _p_report),
    "gov": (_p_generic, _p_report, _p_report, _p_speech, _p_document, _p_place),
    "field": (_p_generic, _p_place, _p_place, _p_report, _p_speech),
    "social": (_p_generic, _p_generic, _p_report, _p_place, _p_document),
}

# -- stories ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Story:
    kind: str  # key of _PARAGRAPHS
    titles: tuple[str, ...]
    lead: Callable[[_Ctx], str]
    tags: tuple[str, ...]


def _lead_party(ctx: _Ctx) -> str:
    n, roman = ctx.rng.randint(3, 28), ctx.rng.choice(V.ROMAN)
    ctx.meeting("Hội nghị", n, f"Ban Chấp hành Đảng bộ {ctx.unit} {ctx.prov}", roman)
    return (f"{_when(ctx)}, Ban Chấp hành Đảng bộ {ctx.unit} {ctx.place(ctx.prov)} khóa {roman} tổ chức "
            f"Hội nghị lần thứ {n} để thảo luận, cho ý kiến vào nhiều nội dung quan trọng. "
            f"{_cap1(_who(ctx, 0))} chủ trì hội nghị.")


def _lead_btv(ctx: _Ctx) -> str:
    m = ctx.pub.month
    return (f"{_when(ctx)}, Ban Thường vụ {ctx.cap} {ctx.place(ctx.prov)} họp phiên thường kỳ tháng {m}/"
            f"{ctx.pub.year} dưới sự chủ trì của {_who(ctx, 0, short_ok=False)}. Dự phiên họp có các "
            f"đồng chí Ủy viên Ban Thường vụ {ctx.cap} và lãnh đạo các sở, ngành liên quan.")


def _lead_ubnd(ctx: _Ctx) -> str:
    return (f"{_when(ctx)}, UBND {ctx.unit} {ctx.place(ctx.prov)} tổ chức phiên họp thường kỳ để đánh giá "
            f"tình hình kinh tế - xã hội tháng {ctx.pub.month} và triển khai nhiệm vụ trọng tâm thời gian "
            f"tới. "
            f"{_cap1(_who(ctx, 2))} chủ trì phiên họp.")


def _lead_hdnd(ctx: _Ctx) -> str:
    n, roman = ctx.rng.randint(2, 40), ctx.rng.choice(V.ROMAN)
    ctx.meeting("Kỳ họp", n, f"HĐND {ctx.unit} {ctx.prov}", roman)
    return (f"{_when(ctx)}, HĐND {ctx.unit} {ctx.place(ctx.prov)} khóa {roman} tổ chức kỳ họp thứ {n} để "
            f"xem xét, quyết định nhiều nội dung quan trọng thuộc thẩm quyền. {_cap1(_who(ctx, 3))} chủ trì "
            f"kỳ họp.")


def _lead_field(ctx: _Ctx) -> str:
    return (f"{_when(ctx)}, đoàn công tác của {ctx.unit} {ctx.place(ctx.prov)} do {_who(ctx, None, False)} "
            f"làm trưởng đoàn đã kiểm tra tiến độ thực hiện {_project(ctx)} tại {_local_place(ctx)}.")


def _lead_invest(ctx: _Ctx) -> str:
    when = _when(ctx)
    firms = ctx.figure(ctx.rng.randint(12, 40) * 10, 0, "doanh nghiệp")  # recorded: a figure with a unit
    return (f"{when}, UBND {ctx.unit} {ctx.place(ctx.prov)} tổ chức Hội nghị xúc tiến đầu tư năm "
            f"{ctx.pub.year} với sự tham dự của hơn {firms} trong và "
            f"ngoài nước. {_cap1(_who(ctx, 2))} dự và phát biểu.")


def _lead_digital(ctx: _Ctx) -> str:
    return (f"{_when(ctx)}, Ban Chỉ đạo chuyển đổi số {ctx.unit} {ctx.place(ctx.prov)} tổ chức hội nghị "
            f"sơ kết việc thực hiện {_document(ctx, (0, 1, 6))}. {_cap1(_who(ctx, 4))} chủ trì hội nghị.")


def _lead_appoint(ctx: _Ctx) -> str:
    name = _person(ctx.rng)
    position = ctx.rng.choice(("Giám đốc Sở Tài chính", "Phó Giám đốc Sở Xây dựng", "Giám đốc Sở Nội vụ",
                               "Chánh Văn phòng UBND " + ctx.unit, "Phó Giám đốc Sở Y tế"))
    ctx.official(name, position)
    return (f"{_when(ctx)}, UBND {ctx.unit} {ctx.place(ctx.prov)} tổ chức hội nghị công bố "
            f"{_document(ctx, (4,))} về việc bổ nhiệm đồng chí {name} giữ chức {position}.")


def _lead_social(ctx: _Ctx) -> str:
    return (f"Thực hiện {_document(ctx, (6, 9))}, đến nay {ctx.unit} {ctx.place(ctx.prov)} đã hỗ trợ xóa "
            f"{ctx.figure(ctx.rng.randint(40, 2600), 0, 'căn nhà')} tạm, nhà dột nát cho hộ nghèo, "
            f"hộ cận nghèo và gia đình chính sách.")


_STORIES: dict[str, _Story] = {
    "party": _Story("party", (
        "Hội nghị Ban Chấp hành Đảng bộ {unit} {prov} cho ý kiến về nhiều nội dung quan trọng",
        "Phát huy sức mạnh đoàn kết, quyết tâm để {prov} phát triển bứt phá",
        "Bế mạc Hội nghị Ban Chấp hành Đảng bộ {unit}",
        "Quyết tâm hoàn thành thắng lợi các mục tiêu năm {y}"), _lead_party,
        ("Xây dựng Đảng", "Ban Chấp hành Đảng bộ", "Hội nghị")),
    "btv": _Story("party", (
        "Ban Thường vụ {cap} họp phiên thường kỳ tháng {m}",
        "Ban Thường vụ {cap} cho ý kiến vào nhiều nội dung quan trọng",
        "Ban Thường vụ {cap} tổ chức phiên họp đầu tháng {m}/{y}"), _lead_btv,
        ("Ban Thường vụ", "Công tác cán bộ", "Xây dựng Đảng")),
    "ubnd": _Story("gov", (
        "UBND {unit} họp phiên thường kỳ tháng {m}/{y}",
        "Phấn đấu hoàn thành cao nhất các chỉ tiêu kinh tế - xã hội năm {y}",
        "Tháo gỡ khó khăn, thúc đẩy tăng trưởng kinh tế",
        "Tạo động lực mới cho phát triển kinh tế - xã hội {prov}"), _lead_ubnd,
        ("Kinh tế - xã hội", "Tăng trưởng", "Đầu tư công")),
    "hdnd": _Story("gov", (
        "Kỳ họp HĐND {unit} {prov} xem xét nhiều nội dung quan trọng",
        "HĐND {unit} thông qua nhiều nghị quyết quan trọng",
        "Bế mạc kỳ họp HĐND {unit} {prov}"), _lead_hdnd,
        ("HĐND", "Kỳ họp", "Nghị quyết")),
    "field": _Story("field", (
        "Đẩy nhanh tiến độ các dự án, công trình trọng điểm",
        "Kiểm tra tiến độ các công trình trọng điểm tại {prov}",
        "Tháo gỡ vướng mắc trong giải phóng mặt bằng"), _lead_field,
        ("Dự án trọng điểm", "Giải phóng mặt bằng", "Giao thông")),
    "invest": _Story("gov", (
        "Thu hút đầu tư: Tạo đột phá từ cải thiện môi trường kinh doanh",
        "{prov} đồng hành cùng doanh nghiệp",
        "Hội nghị xúc tiến đầu tư {unit} {prov} năm {y}"), _lead_invest,
        ("Thu hút đầu tư", "Doanh nghiệp", "Khu công nghiệp")),
    "digital": _Story("gov", (
        "Đẩy mạnh chuyển đổi số trong cơ quan Đảng, chính quyền",
        "Tháo gỡ các vướng mắc về chuyển đổi số",
        "Chuyển đổi số: Lấy người dân làm trung tâm"), _lead_digital,
        ("Chuyển đổi số", "Chính quyền số", "Cải cách hành chính")),
    "appoint": _Story("party", (
        "Công bố quyết định về công tác cán bộ",
        "UBND {unit} {prov} công bố quyết định bổ nhiệm cán bộ"), _lead_appoint,
        ("Công tác cán bộ", "Bổ nhiệm")),
    "social": _Story("social", (
        "Chung tay xóa nhà tạm, nhà dột nát",
        "Bảo đảm an sinh xã hội, không để ai bị bỏ lại phía sau",
        "Chăm lo đời sống người nghèo, gia đình chính sách"), _lead_social,
        ("An sinh xã hội", "Giảm nghèo", "Nhà ở")),
}

# Which stories suit a category, by words in its slug; anything else may carry any story.
_BY_SLUG = (
    ("chinh-tri", ("party", "btv", "hdnd", "appoint")), ("dang", ("party", "btv", "appoint")),
    ("hoat-dong", ("party", "btv", "appoint")), ("thoi-su", ("party", "btv", "ubnd", "hdnd", "field")),
    ("kinh-te", ("ubnd", "invest", "field", "digital")), ("chi-dao", ("ubnd", "field", "digital", "appoint")),
    ("xa-hoi", ("social", "digital", "field")), ("van-hoa", ("social", "digital")),
)

_SUBHEADINGS = (
    "Tạo chuyển biến rõ nét trong công tác cán bộ", "Tháo gỡ điểm nghẽn về giải phóng mặt bằng",
    "Quyết liệt trong chỉ đạo, điều hành", "Phát huy vai trò người đứng đầu",
    "Nhiều chỉ tiêu đạt và vượt kế hoạch", "Khơi thông nguồn lực cho phát triển",
    "Đẩy nhanh tiến độ các dự án trọng điểm", "Chăm lo đời sống nhân dân",
    "Hoàn thiện thể chế, chính sách", "Giữ vững ổn định chính trị", "Chuyển đổi số là nhiệm vụ xuyên suốt",
    "Nâng cao hiệu quả đầu tư công", "Còn nhiều khó khăn, thách thức", "Giải pháp cho thời gian tới",
    "Tập trung cho nhiệm vụ trọng tâm", "Gắn trách nhiệm cá nhân trong thực hiện nhiệm vụ",
)


def _story_for(category: str, rng: random.Random) -> _Story:
    for word, names in _BY_SLUG:
        if word in category:
            return _STORIES[rng.choice(names)]
    return _STORIES[rng.choice(tuple(_STORIES))]


def _title(ctx: _Ctx, story: _Story, avoid: str | None = None) -> str:
    fields = {"unit": ctx.unit, "prov": ctx.prov, "cap": ctx.cap, "y": ctx.pub.year, "m": ctx.pub.month}
    choices = [t for t in story.titles if t.format(**fields) != avoid] or list(story.titles)
    return ctx.rng.choice(choices).format(**fields)


# -- body ------------------------------------------------------------------------------------------------


def _paragraph_count(rng: random.Random) -> int:
    """Pages of very different lengths: mostly short, some long, a few very long."""
    r = rng.random()
    if r < 0.55:
        return rng.randint(2, 7)
    if r < 0.9:
        return rng.randint(8, 18)
    return rng.randint(19, 40)  # with subheadings, images and an added revision paragraph: at most 60 blocks


def _caption(ctx: _Ctx) -> str | None:
    rng = ctx.rng
    r = rng.random()
    if r < 0.2:
        return None
    if r < 0.5:
        verb = rng.choice(("phát biểu chỉ đạo hội nghị", "phát biểu tại buổi làm việc", "kiểm tra thực tế",
                           "phát biểu kết luận"))
        ctx.captioning = True  # the caption names an official, but a caption is not article text
        who = _who(ctx)
        ctx.captioning = False
        return f"{_cap1(who)} {verb}"
    return rng.choice(V.CAPTIONS_GENERIC)


@dataclass
class _Body:
    blocks: list[Block]
    plain: list[int]  # indices of paragraphs that introduced no entity (safe to edit in a revision)


def _body(ctx: _Ctx, story: _Story, styles: Callable[[], Callable[[str], str]], key: str) -> _Body:
    rng = ctx.rng
    makers = _PARAGRAPHS[story.kind]
    n = _paragraph_count(rng)
    images = min(rng.choice((0, 1, 1, 1, 2, 2, 3, 4)), n)
    image_at = set(rng.sample(range(n), images))
    heading_gap = rng.randint(3, 7)
    out = _Body([], [])
    for i in range(n):
        ctx.style = styles()
        if i and n >= 5 and i % heading_gap == 0:
            out.blocks.append(Block("h", ctx.style(rng.choice(_SUBHEADINGS))))
        if i in image_at:
            caption = _caption(ctx)
            src = f"/uploads/{ctx.pub:%Y/%m}/{key}-{len(out.blocks) + 1}.jpg"
            out.blocks.append(Block("img", image=Image(src, ctx.style(caption) if caption else None)))
        before = ctx.entity_count()
        text = ctx.style(rng.choice(makers)(ctx))
        if ctx.entity_count() == before:
            out.plain.append(len(out.blocks))
        out.blocks.append(Block("p", text))
    return out


# -- metadata --------------------------------------------------------------------------------------------


def _bylines(ctx: _Ctx) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """(authors, author_org, photographers) in each family's habits."""
    rng, family = ctx.rng, ctx.site.family
    pool = _reporters(ctx.site.id)
    authors = tuple(rng.sample(pool, 2 if rng.random() < 0.25 else 1))
    if family is Family.PARTY:
        return authors[:1], rng.choice(V.AUTHOR_ORGS), ()
    if family is Family.SHAREPOINT and rng.random() < 0.5:
        authors = ()  # republished copy without a byline
    if family is Family.LIFERAY and rng.random() < 0.2:
        authors = ()
    photo_rate = {Family.NEWSPAPER: 0.4, Family.TV: 0.5}.get(family, 0.1)
    photographers = (rng.choice(pool),) if rng.random() < photo_rate else ()
    return authors, None, photographers


def _video(ctx: _Ctx, title: str) -> str | None:
    if ctx.site.family is not Family.TV or ctx.rng.random() < 0.4:
        return None
    slug = "_".join(unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
                    .encode("ascii", "ignore").decode().upper().split()[:6])
    slug = re.sub(r"[^A-Z0-9_]", "", slug)
    name = f"{ctx.pub:%d%m%y}_-_{slug}.mp4"
    return f"{name}?_t={int(ctx.pub.timestamp())}" if ctx.rng.random() < 0.5 else name


def _view_count(ctx: _Ctx) -> int | None:
    if ctx.site.family not in (Family.LIFERAY, Family.TV):
        return None
    return int(ctx.rng.paretovariate(1.2) * 150) + ctx.rng.randint(0, 99)


def _revision(ctx: _Ctx, story: _Story, plain_title: str, body: _Body, updated: datetime,
              style: Callable[[str], str]) -> Revision:
    """An edit after publication: a new title and/or a changed or added paragraph.

    The edit never touches a paragraph that introduced an entity, so every recorded entity is still in the
    text after the edit; the new paragraph mentions none."""
    rng = ctx.rng
    title = style(plain_title)
    what = rng.choice(("title", "paragraph", "both"))
    new_title = style(_title(ctx, story, avoid=plain_title)) if what != "paragraph" else title
    if new_title == title and what == "title":
        new_title = f"{title}: {style('Nhiều kết quả tích cực')}"
    blocks = list(body.blocks)
    if what != "title":
        added = style(_p_generic(ctx))
        if body.plain and rng.random() < 0.5:
            blocks[rng.choice(body.plain)] = Block("p", added)
        else:
            blocks.append(Block("p", added))
    return Revision(updated, new_title, tuple(blocks))


# -- entry point -----------------------------------------------------------------------------------------


def generate(site: Site, ref: ArticleRef, rng: random.Random) -> Article:
    """The full article for `ref` on `site`, deterministic in `rng`'s state."""
    pub = ref.published_at
    post = pub.date() >= REFORM_DAY
    prov = site.province_current if post else site.province
    unit = "thành phố" if post and prov in V.CITIES else "tỉnh"
    cap = "Thành ủy" if unit == "thành phố" else "Tỉnh ủy"
    ctx = _Ctx(rng, site, pub, post, prov, unit, cap, _roster(site.id, unit, cap, post))

    # Tone-mark style per article; one in six articles mixes styles between blocks, as real portals do.
    primary = old_style if rng.random() < 0.45 else _new_style
    secondary = _new_style if primary is old_style else old_style
    mixed = rng.random() < 0.17

    def styles() -> Callable[[str], str]:
        return secondary if mixed and rng.random() < 0.3 else primary

    story = _story_for(ref.category, rng)
    ctx.style = primary
    plain_title = _title(ctx, story)
    title = primary(plain_title)
    lead_text = primary(story.lead(ctx))
    body = _body(ctx, story, styles, ref.key)
    blocks = body.blocks
    lead: str | None = lead_text
    if site.family is Family.PARTY:  # party portals have no sapo: the lead-like text opens the body
        blocks.insert(0, Block("p", lead_text))
        body.plain = [i + 1 for i in body.plain]
        lead = None
    authors, author_org, photographers = _bylines(ctx)
    picked = tuple(rng.sample(story.tags, min(len(story.tags), rng.randint(1, 3))))
    tags = tuple(dict.fromkeys((*picked, prov)))
    if rng.random() < 0.4:
        tags += ("Tin nổi bật",)
    revision = None
    if ref.updated_at is not None:
        revision = _revision(ctx, story, plain_title, body, ref.updated_at, primary)
    return Article(
        ref=ref,
        path=article_path(site, ref.category, ref.key, title),
        title=title,
        lead=lead,
        blocks=tuple(blocks),
        authors=authors,
        author_org=author_org,
        photographers=photographers,
        origin=site.republishes,
        tags=tuple(primary(t) for t in tags),
        view_count=_view_count(ctx),
        video=_video(ctx, title),
        entities=Entities(tuple(ctx.officials.values()), tuple(ctx.documents.values()),
                          tuple(ctx.places.values()), tuple(ctx.figures.values()), tuple(ctx.meetings.values())),
        revision=revision,
    )
