"""Canonical URLs: one string per article, however a site or a share button spells its link.

w3lib's `canonicalize_url` (what Scrapy's request fingerprints use) makes the URL safe, sorts the query (blank
values kept), normalises percent-encoding and drops the fragment. The project's own rules, around it:
- scheme: http and https name the same article. The canonical form uses the scheme the source declares
  (the scheme of its first start URL, passed as `scheme`); without it, the URL's own scheme is kept.
- host: a trailing dot dropped; the default port of either scheme (80, 443) dropped.
- path: `;jsessionid=…`-style path parameters dropped; a trailing slash dropped except on the root.
- query: tracking parameters (utm_*, fbclid, gclid, zarsrc, ref, …), session ids (PHPSESSID, sid,
  _jsessionid, …) and Liferay portlet state (p_p_*) dropped, names compared case-insensitively.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
    "zarsrc", "gidzl", "ref", "ref_src", "ref_url", "_ga", "_gl", "mc_cid", "mc_eid", "mkt_tok",
    "cmpid", "spm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_")
# Liferay portlet render state (p_p_id=…&p_p_lifecycle=0&p_p_state=normal…): the asset is in the path.
PORTLET_STATE_PREFIXES = ("p_p_",)
SESSION_PARAMS = frozenset({
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "sessid", "aspsessionid",
    "cfid", "cftoken", "oscsid",
})
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {80, 443}


def is_noise_param(name: str) -> bool:
    """Tracking, session and portlet-state parameters, which never name a different article."""
    low = name.lower()
    if low in TRACKING_PARAMS or low in SESSION_PARAMS:
        return True
    if low.startswith(TRACKING_PREFIXES + PORTLET_STATE_PREFIXES + ("aspsessionid",)):
        return True
    return low.lstrip("_").endswith(("jsessionid", "sessionid"))


def canonical_url(url: str, scheme: str | None = None) -> str:
    """The canonical form of an absolute http(s) URL (see the module docstring for the rule)."""
    parts = urlsplit(safe_url_string(url.strip()))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.rstrip(".")
    host = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    netloc = host if parts.port is None or parts.port in _DEFAULT_PORTS else f"{host}:{parts.port}"
    path = _PATH_SESSION.sub("", parts.path)
    canon = urlsplit(canonicalize_url(urlunsplit((scheme or parts.scheme, netloc, path, _kept(parts.query), ""))))
    return urlunsplit((*canon[:2], canon.path.rstrip("/") or "/", canon.query, ""))


def _kept(query: str) -> str:
    """The query without its noise parameters (canonicalize_url sorts it)."""
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_noise_param(k)])


def same_article(a: str, b: str) -> bool:
    """True when two URLs name the same article (scheme ignored)."""
    return canonical_url(a, "https") == canonical_url(b, "https")
