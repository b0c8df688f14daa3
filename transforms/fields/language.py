"""The page's language: Vietnamese letters settle it, else what the page declares."""

from __future__ import annotations

import re

from transforms.metadata import PageMeta

# the letters only Vietnamese writes (the page language and the dates field both read them)
VI_LETTERS = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_VI_LOWER = re.compile(VI_LETTERS.pattern)  # for lowercased text: a case-sensitive class is a faster scan
_PREFIX = 1000  # characters: enough Vietnamese letters for most pages' verdict (one in ten letters is one)


def language(meta: PageMeta, blocks: list[str]) -> str | None:
    sample = " ".join(blocks)[:3000].lower()
    vietnamese = _vietnamese_letters(sample)
    # letters <= len(sample): the share over the whole sample settles most pages without counting letters
    if vietnamese and (vietnamese * 50 > len(sample) or vietnamese / sum(map(str.isalpha, sample)) > 0.02):
        return "vi"  # Vietnamese letters settle it, whatever <html lang> claims (Liferay says en-US)
    if meta.language:
        return meta.language.split("-")[0].split("_")[0].lower() or None
    return None


def _vietnamese_letters(sample: str) -> int:
    """The count of Vietnamese letters in `sample`, or, once its first part holds more than the 2 % that
    settles the verdict (language's first test), that part's count: the rest is not scanned."""
    head = len(_VI_LOWER.findall(sample, 0, _PREFIX))
    if head * 50 > len(sample) or len(sample) <= _PREFIX:
        return head
    return head + len(_VI_LOWER.findall(sample, _PREFIX))
