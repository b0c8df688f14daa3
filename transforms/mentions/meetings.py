"""Meetings with an ordinal: "Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh Hải Dương khóa XVII".

Both word orders are read: the meeting first ("Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII",
"kỳ họp thứ 12 HĐND tỉnh khóa XVII") and the body first ("HĐND tỉnh X khóa XVII tổ chức kỳ họp thứ 12").
The ordinal is an int whether written in digits, Roman numerals or words ("lần thứ năm" → 5). A meeting
without an ordinal ("phiên họp thường kỳ tháng 3") names no particular meeting and is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from transforms.mentions import vocabulary as V
from transforms.mentions._patterns import BODY, BODY_FIRSTS, CAP_WORD, Scanner, alternation, first_words, folded, word
from transforms.mentions.model import Context, Mention, MentionType, Passage

_WORD_NUMBER = alternation(V.NUMBER_WORDS)
_ORDINAL = rf"(?:lần )?thứ (?P<ord>\d+|[IVXLC]+(?![^\W_])|{_WORD_NUMBER}(?: {_WORD_NUMBER}){{0,3}}(?![^\W_]))"
_KIND = "(?P<kind>" + alternation(V.MEETING_KINDS) + ")"
_BODY = rf"(?P<body>{BODY}(?: {CAP_WORD}){{0,4}})"
_TERM = r"(?:,? khóa (?P<term>[IVXLC]+|\d+)(?![^\W_]))"
_VERB = alternation(V.MEETING_VERBS)
# "Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh Hải Dương khóa XVII", "Hội nghị Ban Chấp hành … lần thứ 14"
_KIND_FIRSTS = first_words(V.MEETING_KINDS)
_MEETING_FIRST = Scanner(word(rf"{_KIND} {_ORDINAL}(?: {_BODY})?{_TERM}?"), _KIND_FIRSTS)
_MEETING_BODY_ORDINAL = Scanner(word(rf"{_KIND} {_BODY} {_ORDINAL}{_TERM}?"), _KIND_FIRSTS)
# "Ban Chấp hành Đảng bộ tỉnh Hải Dương khóa XVII tổ chức Hội nghị lần thứ 14"
_BODY_FIRST = Scanner(word(rf"{_BODY}{_TERM}? (?:đã )?{_VERB} {_KIND} {_ORDINAL}"), BODY_FIRSTS)


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    for passage in passages:
        text = folded(passage.text)
        if "thứ" not in text:
            continue
        taken: list[tuple[int, int]] = []
        for pattern in (_BODY_FIRST, _MEETING_FIRST, _MEETING_BODY_ORDINAL):
            for m in pattern.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue  # the body-first reading already covers this span
                ordinal = read_ordinal(m.group("ord"))
                if ordinal is None:
                    continue
                taken.append((m.start(), m.end()))
                body = passage.text[m.start("body"):m.end("body")] if m.group("body") else None
                yield Mention(MentionType.MEETING, passage.text[m.start():m.end()], passage.part,
                              passage.paragraph, m.start(), kind=V.MEETING_KINDS[m.group("kind").casefold()],
                              ordinal=ordinal, body=body, term=m.group("term"))


def read_ordinal(text: str) -> int | None:
    """'14' → 14, 'XIII' → 13, 'năm' → 5, 'mười hai' → 12, 'hai mươi mốt' → 21."""
    if text.isdigit():
        return int(text)
    if text.isupper():
        return _roman(text)
    value = 0
    for w in text.split():
        n = V.NUMBER_WORDS.get(w)
        if n is None:
            return None
        if w == "mươi":
            value = (value or 1) * 10
        elif w == "mười":
            value += 10
        else:
            value += n
    return value or None


def _roman(text: str) -> int | None:
    total = 0
    for i, c in enumerate(text):
        v = V.ROMAN[c]
        total += -v if i + 1 < len(text) and V.ROMAN[text[i + 1]] > v else v
    return total or None
