"""Figures: a number read the Vietnamese way with its unit ("19.290 tỷ đồng" → 19290, "8,6%" → 8.6).

The dot groups thousands and the comma marks decimals ("1.234,5 ha" → 1234.5). A single dot followed by one
or two digits is read as a decimal point (English style, "8.6%"). Only numbers with a known unit are figures:
bare numbers are mostly dates, counts of tasks or list markers. `measure` is the clause before the number
without its verb ("Tổng thu ngân sách nhà nước ước đạt 19.290 tỷ đồng" → "Tổng thu ngân sách nhà nước").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from transforms.mentions import vocabulary as V
from transforms.mentions._patterns import HAS_DIGIT, alternation, folded
from transforms.mentions.model import Context, Mention, MentionType, Passage

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?!\d)|\d+"
_UNITS = alternation(u for u in V.FIGURE_UNITS if u != "%")
_FIGURE = re.compile(rf"(?<![\w.,/-])(?P<number>{_NUMBER})(?:(?P<percent> ?%)|\s(?P<unit>{_UNITS})(?![^\W_]))")
_CLAUSE_START = re.compile(r".*(?:[.;:!?(]\s|,\s|\s-\s)", re.DOTALL)
_TRAILING_VERBS = re.compile(rf"(?: {alternation(V.MEASURE_VERBS, cased=False)})+$")
_UNIT_NAMES = {folded(u): u for u in V.FIGURE_UNITS}
_MEASURE_WORDS = 8  # a measure is a short phrase; longer clauses are cut to their last words


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    for passage in passages:
        text = folded(passage.text)
        if not HAS_DIGIT.search(text):
            continue
        for m in _FIGURE.finditer(text):
            unit = "%" if m.group("percent") else _UNIT_NAMES.get(m.group("unit"), m.group("unit"))
            start = m.start()
            yield Mention(MentionType.FIGURE, passage.text[start:m.end()], passage.part, passage.paragraph, start,
                          value=read_number(m.group("number")), unit=unit,
                          measure=_measure(passage.text, start))


def read_number(text: str) -> float:
    """'19.290' → 19290.0, '8,6' → 8.6, '1.234,5' → 1234.5, '8.6' → 8.6."""
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    if "." in text and len(text.rsplit(".", 1)[1]) == 3:
        return float(text.replace(".", ""))
    return float(text)


def _measure(text: str, at: int) -> str | None:
    """The words before the figure that say what it measures, without the verb that links them."""
    before = text[:at]
    m = _CLAUSE_START.match(before)
    clause = before[m.end():] if m else before
    clause = " " + " ".join(clause.split())
    verbs = _TRAILING_VERBS.search(clause)
    words = (clause[: verbs.start()] if verbs else clause).split()
    return " ".join(words[-_MEASURE_WORDS:]) or None
