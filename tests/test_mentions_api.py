"""mentions_of: passages, NFC normalisation, offsets into the NFC text, tone-mark styles, the JSON form."""

from __future__ import annotations

import unicodedata

from transforms.mentions import FINDERS, Context, Mention, MentionType, Part, mentions_of, passages_of

SEED = ("Phát biểu bế mạc hội nghị, đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương "
        "đánh giá cùng với những kết quả đạt được, việc thực hiện Kết luận số 56-KL/TW, ngày 21.2.2013 của Bộ "
        "Chính trị về đẩy mạnh thực hiện Nghị quyết Trung ương 5 khóa IX.")


def _of(mentions: tuple[Mention, ...], kind: MentionType) -> list[Mention]:
    return [m for m in mentions if m.type is kind]


def test_passages_are_title_lead_and_numbered_paragraphs() -> None:
    passages = passages_of("Tiêu đề", "Sapo", ["Một", "", "Ba"])
    assert [(p.part, p.paragraph, p.text) for p in passages] == [
        (Part.TITLE, 0, "Tiêu đề"), (Part.LEAD, 0, "Sapo"), (Part.BODY, 0, "Một"), (Part.BODY, 2, "Ba")]
    assert passages_of("T", None, [])[-1].part is Part.TITLE


def test_every_mention_indexes_its_passage_text() -> None:
    mentions = mentions_of("Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh", None, ["x", SEED])
    texts = {(p.part, p.paragraph): p.text for p in passages_of("Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh",
                                                                 None, ["x", SEED])}
    assert {m.type for m in mentions} >= {MentionType.OFFICIAL, MentionType.DOCUMENT, MentionType.MEETING,
                                          MentionType.ORGANIZATION}
    for m in mentions:
        assert texts[(m.part, m.paragraph)][m.start:m.end] == m.text
    assert all(m.paragraph == 1 for m in mentions if m.part is Part.BODY)


def test_nfd_input_is_read_as_nfc_and_offsets_index_the_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", SEED)
    assert nfd != SEED
    mentions = mentions_of("", None, [nfd])
    official = _of(mentions, MentionType.OFFICIAL)[0]
    assert official.name == "Trần Đức Thắng" and unicodedata.is_normalized("NFC", official.text)
    assert SEED[official.start:official.end] == official.text
    assert _of(mentions, MentionType.DOCUMENT)[0].number == "56-KL/TW"


def test_old_and_new_tone_mark_styles_match_alike_and_keep_their_spelling() -> None:
    new = mentions_of("", None, ["Đồng chí Phạm Xuân Thăng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì."])
    old = mentions_of("", None, ["Đồng chí Phạm Xuân Thăng, Uỷ viên Trung ương Đảng, Bí thư Tỉnh uỷ chủ trì."])
    assert _of(new, MentionType.OFFICIAL)[0].positions == ("Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy")
    assert _of(old, MentionType.OFFICIAL)[0].positions == ("Uỷ viên Trung ương Đảng", "Bí thư Tỉnh uỷ")


def test_the_json_form_carries_the_fields_of_the_type() -> None:
    doc = _of(mentions_of("", None, [SEED]), MentionType.DOCUMENT)[0]
    assert doc.to_json() == {"type": "document", "text": "Kết luận số 56-KL/TW, ngày 21.2.2013 của Bộ Chính trị",
                             "part": "body", "paragraph": 0, "start": SEED.index("Kết luận"),
                             "kind": "Kết luận", "number": "56-KL/TW", "issuer": "Bộ Chính trị",
                             "date": "2013-02-21", "title": None}


def test_deterministic_and_every_finder_has_find() -> None:
    assert mentions_of("t", None, [SEED], Context(province="Hải Dương")) == mentions_of("t", None, [SEED])
    assert all(callable(getattr(f, "find", None)) for f in FINDERS)
