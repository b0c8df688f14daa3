"""Mentions: the facts an article's text states, found by rules (text in, mentions out, deterministic).

`mentions_of(title, lead, paragraphs, context)` reads the title, the lead and each body paragraph as a
`Passage` and runs every finder module on them in turn; each finder exposes
`find(passages, context) -> Iterable[Mention]`. The text is normalised to NFC first (pages may arrive NFD):
a mention's `text` and `start` index the NFC passage text (`Passage.text`), which is the record's text as
transforms.text.normalize_text leaves it. Tone-mark styles ("Tỉnh uỷ", "Tỉnh ủy") both match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from types import ModuleType

from transforms.mentions import documents, figures, meetings, officials, organizations, places
from transforms.mentions.model import FIELDS, Context, Mention, MentionType, Part, Passage

# The finders, in the order they run (the order of the mentions they return).
FINDERS: tuple[ModuleType, ...] = (
    officials,
    documents,
    meetings,
    figures,
    organizations,
    places,
)

__all__ = ["FIELDS", "FINDERS", "Context", "Mention", "MentionType", "Part", "Passage", "mentions_of",
           "passages_of"]


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def passages_of(title: str, lead: str | None, paragraphs: Sequence[str]) -> tuple[Passage, ...]:
    """The texts the finders read: the title, the lead (when there is one), each body paragraph (NFC)."""
    out = [Passage(Part.TITLE, 0, _nfc(title))] if title else []
    if lead:
        out.append(Passage(Part.LEAD, 0, _nfc(lead)))
    out.extend(Passage(Part.BODY, i, _nfc(p)) for i, p in enumerate(paragraphs) if p)
    return tuple(out)


_NO_CONTEXT = Context()


def mentions_of(title: str, lead: str | None, paragraphs: Sequence[str],
                context: Context = _NO_CONTEXT) -> tuple[Mention, ...]:
    """Every mention in the article's title, lead and paragraphs, finder by finder, in text order within each.

    Offsets (`start`) are into the NFC form of each text."""
    passages = passages_of(title, lead, paragraphs)
    return tuple(m for finder in FINDERS for m in finder.find(passages, context))
