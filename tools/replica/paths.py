"""Canonical article paths per CMS family. The article key is always recoverable from the path."""

from __future__ import annotations

import re
import unicodedata

from replica.model import Family, Site

_KEY = re.compile(r"-(\d{8}-\d{2,3}|seed-\d{3})(?:\.html?|\.aspx)?$")


def slugify(text: str, limit: int = 80) -> str:
    """ASCII slug of Vietnamese text: diacritics dropped, đ → d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "bai-viet"


def article_path(site: Site, category: str, key: str, title: str) -> str:
    slug = slugify(title)
    if site.family is Family.NEWSPAPER:
        return f"/{category}/{slug}-{key}.html"
    if site.family is Family.PARTY:
        return f"/{category}/{slug}-{key}.htm"
    if site.family is Family.LIFERAY:
        return f"/web/portal/{category}/-/asset_publisher/content/{slug}-{key}"
    if site.family is Family.SHAREPOINT:
        return f"/{category}/Pages/{slug}-{key}.aspx"
    if site.family is Family.WEBFORMS:
        return f"/tin-tuc/{category}/{slug}-{key}.aspx"
    if site.family is Family.TABLECAPS:
        return f"/{category}/{slug}-{key}.html"
    if site.family is Family.CLOCK:
        return f"/news/{category}/{slug}-{key}.html"
    return f"/tin-tuc/{category}/{slug}-{key}.html"


def key_from_path(path: str) -> str | None:
    match = _KEY.search(path.rstrip("/"))
    return match.group(1) if match else None


# The pattern a source profile can use to recognise article URLs of a family.
ARTICLE_URL_PATTERN = {
    Family.NEWSPAPER: r"/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.html$",
    Family.PARTY: r"/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.htm$",
    Family.LIFERAY: r"/web/portal/[a-z0-9-]+/-/asset_publisher/content/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})$",
    Family.SHAREPOINT: r"/[a-z0-9-]+/Pages/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.aspx$",
    Family.TV: r"/tin-tuc/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.html$",
    Family.WEBFORMS: r"/tin-tuc/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.aspx$",
    Family.TABLECAPS: r"/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.html$",
    Family.CLOCK: r"/news/[a-z0-9-]+/[a-z0-9-]+-(\d{8}-\d{2,3}|seed-\d{3})\.html$",
}
