"""Where a source may go: the origins its profile names, and no private address it did not name.

An origin is scheme + host + port (RFC 6454): a redirect from http://site:8377/ to http://site:8378/ leaves
the source as surely as one to another host does. A source may reach the origins of the URLs in its profile
(start pages, feeds, sitemaps, listings) and nothing else; the one widening is the https upgrade of an http
origin on its default port (http://site/ → https://site/), which sites do as a matter of course.

Addresses: loopback, private, link-local and other non-public networks (PROVNEWS_REFUSED_NETWORKS) are
refused unless the profile names the address itself. A literal address the profile does not name is never an
origin of it; a host name is judged again after DNS resolution (crawler.middlewares.GuardedResolver), so a
name that resolves to 169.254.169.254 or into the crawler's own network is not fetched either. The replica
lives on 127.0.0.x, which its profiles name literally.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

Origin = tuple[str, str, int]  # scheme, lower-case host without a trailing dot, port
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

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


def literal_address(host: str) -> Address | None:
    """The IP address a host is written as ("127.0.0.2", "[::1]" without brackets), else None."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:10.0.0.1 is 10.0.0.1
        return address.ipv4_mapped
    return address


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """PROVNEWS_REFUSED_NETWORKS as network objects; ValueError naming a malformed entry."""
    out = []
    for cidr in cidrs:
        try:
            out.append(ipaddress.ip_network(str(cidr).strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"PROVNEWS_REFUSED_NETWORKS: {cidr!r} is not a network: {exc}") from None
    return tuple(out)


def refused_network(host: str, refused: Iterable[Network]) -> Network | None:
    """The refused network a literal address falls in (None for a host name or a public address)."""
    address = literal_address(host)
    if address is None:
        return None
    return next((net for net in refused if address.version == net.version and address in net), None)
