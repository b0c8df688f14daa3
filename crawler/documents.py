"""What sites announce their pages in, read safely: RSS/Atom feeds, sitemaps and sitemap indexes, robots.txt
`Sitemap:` lines, and the links of a page (WebForms postback links among them). Shared by the news spider
(crawler.spiders.news) and the probe spider (crawler.spiders.probe); no crawl state here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

NOT_LINKS = ("javascript:", "mailto:", "tel:", "#")  # hrefs on a page that never name a page to fetch
# an ASP.NET WebForms postback link: javascript:__doPostBack('ctl00$…$lnkPage','') (either quote)
POSTBACK = re.compile(r"""^\s*javascript:\s*__doPostBack\(\s*(['"])(.*?)\1\s*,\s*(['"])(.*?)\3\s*\)""")

Link = tuple[str, datetime | date | None]  # an href and when the page announcing it says it changed


def robots_url(url: str) -> str:
    """The robots.txt of the site `url` is on."""
    return urljoin(url, "/robots.txt")


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def w3c_time(value: Any) -> datetime | date | None:
    """A sitemap/Atom time: an aware datetime (naive ones taken as UTC), a bare date, or None."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return aware(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def rfc822_time(value: str) -> datetime | None:
    try:
        return aware(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def latest(times: Iterable[datetime | date | None]) -> datetime | date | None:
    known = [t if isinstance(t, datetime) else datetime.combine(t, datetime.min.time(), UTC)
             for t in times if t is not None]
    return max(known, default=None)


def feed_links(tree: Any) -> list[Link]:
    """(link, change time) of RSS items and Atom entries; RSS takes dc:modified or pubDate, Atom updated."""
    links: list[Link] = []
    for item in tree.xpath("//*[local-name()='item']"):
        for href in item.xpath("./*[local-name()='link']/text()"):
            times = [w3c_time(t) for t in item.xpath("./*[local-name()='modified']/text()")]
            times += [rfc822_time(str(t)) for t in item.xpath("./*[local-name()='pubDate']/text()")]
            links.append((str(href), latest(times)))
    for entry in tree.xpath("//*[local-name()='entry']"):
        updated = latest(w3c_time(t) for t in entry.xpath("./*[local-name()='updated']/text()"))
        for href in entry.xpath("./*[local-name()='link'][not(@rel) or @rel='alternate']/@href"):
            links.append((str(href), updated))
    return links


# The safe way to read XML from strangers: no entity expansion, no DTD or network fetch, libxml2's size
# and depth limits kept (huge_tree off), comments and processing instructions dropped. `recover` reads
# sloppy feeds as far as they go; read_xml says when that was not all of the document.
_XML_PARSER = {"recover": True, "resolve_entities": False, "no_network": True, "load_dtd": False,
               "huge_tree": False, "remove_comments": True, "remove_pis": True}
_XML_LIMIT_ERRORS = {"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP", "ERR_ENTITY_AMPLIFICATION"}


def read_xml(body: bytes) -> tuple[Any, str | None]:
    """(root element or None, why the document could not be read whole). Parsing hits a limit rather than
    expanding a billion laughs or a giant attribute; entity declarations are reported because their
    references are dropped unexpanded, so text written with them (a link, say) is lost or cut."""
    parser = etree.XMLParser(**_XML_PARSER)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return None, f"not XML: {exc}"
    if root is None:
        return None, "not XML"
    problems = [f"parser limit at line {e.line}: {e.message.strip()}" for e in parser.error_log
                if e.type_name in _XML_LIMIT_ERRORS][:1]
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (entities := [e.name for e in dtd.iterentities()]):
        problems.append(f"declares {len(entities)} XML entities ({', '.join(entities[:3])}"
                        f"{', …' if len(entities) > 3 else ''}), not expanded: text using them is lost")
    return root, "; ".join(problems) or None


def local_name(element: Any) -> str:
    """An element's tag without its namespace; "" for comments, entities and other non-elements."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def sitemap_entries(root: Any) -> list[dict[str, str]]:
    """{loc, lastmod} of each <url> or <sitemap> entry of a sitemap or sitemap index (loc "" when absent)."""
    entries = []
    for element in root:
        if local_name(element) not in ("url", "sitemap"):
            continue
        entry = {"loc": ""}
        for child in element:
            if (name := local_name(child)) in ("loc", "lastmod"):
                entry[name] = (child.text or "").strip()
        entries.append(entry)
    return entries


def robots_sitemaps(body: bytes) -> list[str]:
    """The values of robots.txt `Sitemap:` lines as written; the caller judges each one."""
    return [line.partition(b":")[2].strip().decode("utf-8", "replace")
            for line in body.splitlines() if line.lstrip()[:8].lower() == b"sitemap:"]
