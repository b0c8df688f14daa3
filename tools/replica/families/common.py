"""Markup pieces several families share: escaping, charset labels, link variants, feeds and sitemaps.

Link variants are deterministic (a hash of the article key and where the link appears), so the same page
always carries the same mix of relative, absolute, tracked and fragment links that a crawler must
canonicalise.
"""

from __future__ import annotations

import hashlib
import html
import html.entities
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import quote

from replica.model import Article, Charset, Site


def esc(text: str) -> str:
    """Text node content."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Attribute value content (double-quoted)."""
    return html.escape(text, quote=True)


def xml_text(text: str) -> str:
    return html.escape(text, quote=False)


def bucket(*parts: object, modulo: int = 100) -> int:
    """A stable number in [0, modulo) for deterministic variety."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % modulo


def charset_meta(site: Site) -> str:
    """The in-page charset label: right, deliberately wrong, or absent (see Charset)."""
    if site.charset is Charset.WINDOWS_1258:
        return '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" />'
    if site.charset is Charset.MISSING:
        return ""
    return '<meta charset="utf-8" />'


def xml_declaration(site: Site) -> str:
    encoding = "windows-1258" if site.charset is Charset.WINDOWS_1258 else "UTF-8"
    return f'<?xml version="1.0" encoding="{encoding}"?>'


@dataclass(frozen=True)
class LinkStyle:
    """Which URL variants a site's templates emit for article links (shares are percentages)."""

    absolute: int = 15  # http://host:port/path
    tracked: int = 10  # ?utm_source=…&utm_medium=…
    fragment: int = 8  # #comments
    slash: int = 0  # path + "/" (only where the site serves it)
    session: int = 0  # ;jsessionid=… (Liferay)


def article_href(site: Site, port: int, path: str, key: str, where: str, style: LinkStyle) -> str:
    """One article link as a template writes it; most are the plain relative path."""
    roll = bucket(site.id, key, where)
    base = site.base_url(port)
    for share, variant in (
        (style.absolute, f"{base}{path}"),
        (style.tracked, f"{path}?utm_source={quote(where)}&utm_medium=referral&utm_campaign=tin-moi"),
        (style.fragment, f"{path}#comments"),
        (style.slash, f"{path}/"),
        (style.session, f"{path};jsessionid={_session_id(key, where)}"),
    ):
        if roll < share:
            return variant
        roll -= share
    return path


def feed_link(site: Site, port: int, path: str, key: str) -> str:
    """An RSS item link: absolute, a third of them carrying the feed tracking parameters."""
    url = site.base_url(port) + path
    return f"{url}?utm_source=rss&utm_medium=feed" if bucket(site.id, key, "rss") < 33 else url


def json_script(data: object) -> str:
    """JSON for an inline <script>, safe against `</script>` in text."""
    return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str
    published: datetime
    description: str | None
    category: str
    image: str | None = None


def _session_id(key: str, where: str) -> str:
    return hashlib.md5(f"{key}{where}".encode()).hexdigest()[:24].upper()


def rss(
    site: Site, title: str, link: str, self_url: str, items: Sequence[FeedItem], built: datetime | None
) -> str:
    """An RSS 2.0 channel as Vietnamese CMSs emit it (descriptions in CDATA with an inline image)."""
    lines = [
        xml_declaration(site),
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{xml_text(title)}</title>",
        f"<link>{xml_text(link)}</link>",
        f'<atom:link href="{attr(self_url)}" rel="self" type="application/rss+xml" />',
        f"<description>{xml_text(site.name)} - {xml_text(title)}</description>",
        "<language>vi-vn</language>",
        f"<copyright>Bản quyền thuộc {xml_text(site.name)}</copyright>",
        "<generator>CMS RSS Generator</generator>",
        "<ttl>10</ttl>",
    ]
    if built is not None:
        lines.append(f"<lastBuildDate>{rfc822(built)}</lastBuildDate>")
    for item in items:
        description = item.description or ""
        if item.image:
            image = f'<a href="{attr(item.link)}"><img src="{attr(item.image)}" /></a>'
            description = image + esc(description)
        lines += [
            "<item>",
            f"<title>{xml_text(item.title)}</title>",
            f"<link>{xml_text(item.link)}</link>",
            f'<guid isPermaLink="false">{xml_text(item.guid)}</guid>',
            f"<pubDate>{rfc822(item.published)}</pubDate>",
            f"<category>{xml_text(item.category)}</category>",
            f"<description><![CDATA[{description.replace(']]>', ']]&gt;')}]]></description>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class UrlEntry:
    loc: str
    lastmod: datetime


def urlset(site: Site, entries: Iterable[UrlEntry]) -> str:
    lines = [xml_declaration(site), '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in entries:
        lines += [
            "  <url>",
            f"    <loc>{xml_text(entry.loc)}</loc>",
            f"    <lastmod>{entry.lastmod.isoformat()}</lastmod>",
            "    <changefreq>daily</changefreq>",
            "  </url>",
        ]
    lines += ["</urlset>", ""]
    return "\n".join(lines)


def sitemap_index(site: Site, entries: Iterable[UrlEntry]) -> str:
    lines = [xml_declaration(site), '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in entries:
        lines += [
            "  <sitemap>",
            f"    <loc>{xml_text(entry.loc)}</loc>",
            f"    <lastmod>{entry.lastmod.isoformat()}</lastmod>",
            "  </sitemap>",
        ]
    lines += ["</sitemapindex>", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class NewsEntry:
    loc: str
    title: str
    published: datetime
    keywords: Sequence[str]


def news_sitemap(site: Site, publication: str, entries: Iterable[NewsEntry]) -> str:
    """A Google News sitemap (news:news with publication, date and title)."""
    lines = [
        xml_declaration(site),
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for entry in entries:
        lines += [
            "  <url>",
            f"    <loc>{xml_text(entry.loc)}</loc>",
            "    <news:news>",
            "      <news:publication>",
            f"        <news:name>{xml_text(publication)}</news:name>",
            "        <news:language>vi</news:language>",
            "      </news:publication>",
            f"      <news:publication_date>{entry.published.isoformat()}</news:publication_date>",
            f"      <news:title>{xml_text(entry.title)}</news:title>",
            f"      <news:keywords>{xml_text(', '.join(entry.keywords))}</news:keywords>",
            "    </news:news>",
            "  </url>",
        ]
    lines += ["</urlset>", ""]
    return "\n".join(lines)


def robots(disallow: Sequence[str], sitemaps: Sequence[str] = (), extra: str = "") -> str:
    """robots.txt: rules for everyone, an optional block for one named bot, then Sitemap lines."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in disallow), ""]
    if extra:
        lines += [extra.strip(), ""]
    lines += [f"Sitemap: {s}" for s in sitemaps]
    return "\n".join(lines).strip() + "\n"


def credits(article: Article, tag_href: Callable[[str], str] | None = None) -> str:
    """The photo credit and the tag links below an article body (the smaller families' shared furniture)."""
    href = tag_href or (lambda tag: f"/tim-kiem?tu-khoa={quote(tag)}")
    lines = []
    if article.photographers:
        lines.append(f'<div class="photo-credit">Ảnh: {esc(", ".join(article.photographers))}</div>')
    if article.tags:
        links = ", ".join(f'<a href="{attr(href(t))}">{esc(t)}</a>' for t in article.tags)
        lines.append(f'<div class="tags">Từ khóa: {links}</div>')
    return "\n".join(lines)


def share_buttons(url: str, title: str) -> str:
    """Facebook / Zalo / Twitter share links and a print button: offsite links and javascript: hrefs."""
    u = quote(url, safe="")
    t = quote(title, safe="")
    return (
        '<div class="social-share">'
        f'<a class="fb" href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank"'
        ' rel="nofollow">Chia sẻ</a> '
        f'<a class="zalo" href="https://sp.zalo.me/share_inline?url={u}" target="_blank"'
        ' rel="nofollow">Zalo</a> '
        f'<a class="tw" href="https://twitter.com/intent/tweet?url={u}&amp;text={t}"'
        ' rel="nofollow">Tweet</a> '
        '<a class="print" href="javascript:window.print();" title="In bài viết">In bài</a> '
        f'<a class="mail" href="mailto:?subject={t}&amp;body={u}">Gửi email</a>'
        "</div>"
    )


def analytics_script(site: Site) -> str:
    """The tracking snippet every real site carries; its text must never be taken for article text."""
    tracking = f"UA-{10000000 + bucket(site.id, 'ga', modulo=89999999)}-1"
    return (
        '<script async src="https://www.googletagmanager.com/gtag/js?id=' + tracking + '"></script>\n'
        "<script>\n"
        "  window.dataLayer = window.dataLayer || [];\n"
        "  function gtag(){dataLayer.push(arguments);}\n"
        "  gtag('js', new Date());\n"
        f"  gtag('config', '{tracking}');\n"
        "  var _site = {host: location.hostname, lang: 'vi', t: new Date().getTime()};\n"
        "  if (document.cookie.indexOf('visited=') < 0) { document.cookie = 'visited=1; path=/'; }\n"
        "</script>"
    )


# Latin-1 letters that HTML 4 names; other Vietnamese letters are written as decimal references.
_NAMED = {
    ch: name
    for name, ch in html.entities.html5.items()
    if name.endswith(";")
    and len(ch) == 1
    and 0xC0 <= ord(ch) <= 0xFF
    and name[:-1] in html.entities.name2codepoint
}


def entity_encode(text: str) -> str:
    """Escape text and write every non-ASCII letter as an entity (`Th&ocirc;ng tin v&agrave;`, `&#7879;`)."""
    out = []
    for ch in esc(text):
        if ord(ch) < 128:
            out.append(ch)
        elif ch in _NAMED:
            out.append(f"&{_NAMED[ch]}")
        else:
            out.append(f"&#{ord(ch)};")
    return "".join(out)


def pager(
    current: int, total: int, href: Callable[[int], str], *, window: int = 2, css: str = "paging"
) -> str:
    """Numbered pagination with first/previous/next/last links; the next link carries rel="next"."""
    if total <= 1:
        return ""
    parts = [f'<div class="{css}">']
    if current > 1:
        parts.append(f'<a class="first" href="{attr(href(1))}">Đầu</a>')
        parts.append(f'<a class="prev" href="{attr(href(current - 1))}">&laquo;</a>')
    for n in range(max(1, current - window), min(total, current + window) + 1):
        if n == current:
            parts.append(f'<span class="current">{n}</span>')
        else:
            parts.append(f'<a href="{attr(href(n))}">{n}</a>')
    if current < total:
        parts.append(f'<a class="next" rel="next" href="{attr(href(current + 1))}">&raquo;</a>')
        parts.append(f'<a class="last" href="{attr(href(total))}">Cuối</a>')
    parts.append("</div>")
    return "".join(parts)
