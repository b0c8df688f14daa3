"""The page's language: Vietnamese letters settle it, else what the page declares."""

from __future__ import annotations

import re

from transforms.metadata import PageMeta

# the letters only Vietnamese writes (the page language and the dates field both read them)
VI_LETTERS = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_VI_LOWER = re.compile(VI_LETTERS.pattern)  # for lowercased text: a case-sensitive class is a faster scan


def language(meta: PageMeta, blocks: list[str]) -> str | None:
    sample = " ".join(blocks)[:3000].lower()
    vietnamese = len(_VI_LOWER.findall(sample))
    # letters <= len(sample): the share over the whole sample settles most pages without counting letters
    if vietnamese and (vietnamese * 50 > len(sample) or vietnamese / sum(map(str.isalpha, sample)) > 0.02):
        return "vi"  # Vietnamese letters settle it, whatever <html lang> claims (Liferay says en-US)
    if meta.language:
        return meta.language.split("-")[0].split("_")[0].lower() or None
    return None
