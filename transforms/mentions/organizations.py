"""Organisations: named bodies ("Bộ Y tế", "UBND tỉnh Hải Dương", "Ban Thường vụ Tỉnh ủy", "Sở Tài chính").

A body is a known head ("UBND", "Ban Chấp hành Đảng bộ", "Sở", "Ban Tuyên giáo") with its level ("tỉnh") or
committee ("Tỉnh ủy"), and the place written after it ("tỉnh Hải Dương"). The longest body wins: "Ban Thường
vụ Tỉnh ủy" is one organisation, not also "Tỉnh ủy". A body inside a position ("Bí thư Tỉnh ủy") is still
named, so it is reported too. A name starts with a capital letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from transforms.mentions._patterns import BODIES, CAP_RUN, ENDS_WITH_UNIT, folded, name_at_end
from transforms.mentions.model import Context, Mention, MentionType, Passage


def find(passages: Sequence[Passage], context: Context) -> Iterable[Mention]:
    for passage in passages:
        text = folded(passage.text)
        # "Phó Bí thư thường trực Tỉnh ủy": a lower-case start is a position's word, not a name
        for m in BODIES.finditer(text, upper=True):
            end = m.end()
            if ENDS_WITH_UNIT.search(m.group()) and text[end:end + 1] == " ":
                run = CAP_RUN.match(text, end + 1)
                if run:
                    words = run.group().split()
                    k = name_at_end(words)  # "Tỉnh ủy Hải Dương Trần Đức Thắng": the name is not the body's
                    if k < len(words):
                        end = run.start() + len(" ".join(words[: len(words) - k]))
            name = passage.text[m.start():end]
            yield Mention(MentionType.ORGANIZATION, name, passage.part, passage.paragraph, m.start(), name=name)
