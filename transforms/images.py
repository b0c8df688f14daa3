"""Article images: absolute URL, and the caption kept apart from the body text."""

from __future__ import annotations

from urllib.parse import urljoin

_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "src")
_SKIP = ("logo", "icon", "avatar", "banner", "no-image", "spacer", "pixel", "sprite", "/ads/", "blank.gif")


def image_url(attrs: dict[str, str], base_url: str) -> str | None:
    """The real (lazy-loaded too) image URL made absolute; None for icons, logos and data: URIs."""
    for name in _LAZY_ATTRS:
        value = (attrs.get(name) or "").strip()
        if value and not value.startswith("data:"):
            lowered = value.lower()
            if any(s in lowered for s in _SKIP):
                return None
            try:
                return urljoin(base_url, value)
            except ValueError:  # "http://[x/a.jpg": a broken URL is no image, the page is still an article
                return None
    return None
