"""The page's language: Vietnamese letters settle it, else what the page declares."""

from __future__ import annotations

import re

from transforms.metadata import PageMeta

_VI_CHAR_RE = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def language(meta: PageMeta, blocks: list[str]) -> str | None:
    sample = " ".join(blocks)[:3000].lower()
    letters = sum(map(str.isalpha, sample))
    if letters and len(_VI_CHAR_RE.findall(sample)) / letters > 0.02:
        return "vi"  # Vietnamese letters settle it, whatever <html lang> claims (Liferay says en-US)
    if meta.language:
        return meta.language.split("-")[0].split("_")[0].lower() or None
    return None
