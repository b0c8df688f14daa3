"""Canonical URLs: one string per article, however a site or a share button spells its link.

The rule, applied in this order:
- scheme: http and https name the same article. The canonical form uses the scheme the source declares
  (the scheme of its first start URL, passed as `scheme`); without it, the URL's own scheme is kept.
- host: lower case, a trailing dot dropped; the default port of either scheme (80, 443) dropped.
- path: `;jsessionid=…`-style path parameters dropped; percent-encoding normalised; empty path → `/`;
  a trailing slash dropped except on the root.
- query: tracking parameters (utm_*, fbclid, gclid, zarsrc, ref, …), session ids (PHPSESSID, sid,
  _jsessionid, …) and Liferay portlet state (p_p_*) dropped, names compared case-insensitively; the rest
  sorted, blank values kept.
- fragment: dropped.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

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
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
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
    out_scheme = scheme or parts.scheme
    host = parts.hostname.rstrip(".").lower()
    netloc = host if parts.port is None or parts.port in _DEFAULT_PORTS else f"{host}:{parts.port}"
    return urlunsplit((out_scheme, netloc, _path(parts.path), _query(parts.query), ""))


def _path(path: str) -> str:
    path = _PATH_SESSION.sub("", path) or "/"
    path = _PERCENT.sub(lambda m: m.group(0).upper(), path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_noise_param(k)]
    return urlencode(sorted(pairs), doseq=True)


def same_article(a: str, b: str) -> bool:
    """True when two URLs name the same article (scheme ignored)."""
    return canonical_url(a, "https") == canonical_url(b, "https")
