"""Where a source may go: the origins its profile names.

An origin is scheme + host + port (RFC 6454): a redirect from http://site:8377/ to http://site:8378/ leaves
the source as surely as one to another host does. A source may reach the origins of the URLs in its profile
(start pages, feeds, sitemaps, listings) and nothing else; the one widening is the https upgrade of an http
origin on its default port (http://site/ → https://site/), which sites do as a matter of course. The
crawler's network guard (crawler.origins) refuses, besides, the private addresses a profile does not name.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

Origin = tuple[str, str, int]  # scheme, lower-case host without a trailing dot, port

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> Origin:
    """The origin of an absolute http(s) URL; ValueError for anything else (no host, a bad port)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return scheme, host, parts.port or DEFAULT_PORTS[scheme]


def profile_origins(urls: Iterable[str]) -> frozenset[Origin]:
    """The origins of a profile's URLs, with the https upgrade of each http origin on port 80."""
    named = {origin(u) for u in urls}
    upgrades = {("https", host, 443) for scheme, host, port in named if (scheme, port) == ("http", 80)}
    return frozenset(named | upgrades)
