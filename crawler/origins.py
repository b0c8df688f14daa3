"""The crawler's network guard: no private address a source's profile did not name.

What a source may reach is the origins its profile names (sources.origins). Addresses: loopback, private,
link-local and other non-public networks (PROVNEWS_REFUSED_NETWORKS) are refused unless the profile names the
address itself. A literal address the profile does not name is never an origin of it; a host name is judged
again after DNS resolution (crawler.middlewares.GuardedResolver), so a name that resolves to 169.254.169.254
or into the crawler's own network is not fetched either. The replica lives on 127.0.0.x, which its profiles
name literally.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


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
