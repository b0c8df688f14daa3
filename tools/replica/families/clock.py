"""A provincial newspaper with a page clock (Bình Thuận Online, docs/SOURCES.md).

Quirks, as the real configs record them: `#today`, a page-header clock that a date selector can mistake for
the article's date (the real config took it), the body `#info_g` whose second paragraph is the lead (the first
is empty), the date in docbao's worded form `Ngày DD Tháng MM, YYYY | HH:MM`, captions in the centred paragraph
after the image, `meta`/`title` tags left inside the body, and NFD text. The portal's name comes first in the
`<title>` and is the text of an `<h1>` logo; the article's heading is an `<h2>`. Chrome: a menu, a category
heading, "Tin liên quan" and "Tin cùng chuyên mục" boxes with `<h3>` headings.

URL scheme (site-relative):
  /                                          home
  /news/{cat}/  and /news/{cat}/trang-{n}    category listing (12 a page, newest first)
  /news/{cat}/{slug}-{key}.html              article
  /sitemap.xml                               every visible article
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from replica.families.base import HTML, XML, Page, Renderer, changed_at, newest_change
from replica.families.common import (
    LinkStyle,
    UrlEntry,
    analytics_script,
    attr,
    charset_meta,
    esc,
    pager,
    robots,
    share_buttons,
    urlset,
)
from replica.families.common import (
    credits as _credits,
)
from replica.families.formats import dmy, weekday_title
from replica.model import Article, ArticleRef, Block

SITEMAP = "/sitemap.xml"
_LISTING = re.compile(r"^/news/([a-z0-9-]+)/(?:trang-(\d+))?$")


def clock_date(article: Article) -> str:
    """`Ngày 04 Tháng 11, 2026 | 09:15` (one of docbao's day-first shapes)."""
    moment = article.ref.published_at
    return f"Ngày {moment.day:02d} Tháng {moment.month:02d}, {moment.year} | {moment:%H:%M}"


def page_clock(today: date) -> str:
    """`Thứ Tư, ngày 02/12/2026`: the header clock, always the serving day."""
    return f"{weekday_title(today)}, ngày {dmy(today)}"


class ClockRenderer(Renderer):
    page_size = 12
    links = LinkStyle(absolute=15, tracked=0, fragment=8)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path == "/":
            return self.home(today)
        if path == SITEMAP:
            return self.sitemap(today)
        match = _LISTING.match(path)
        if match is not None and self.category(match[1]) is not None:
            return self.listing(match[1], int(match[2] or 1), today)
        return None

    def listing_path(self, slug: str, number: int) -> str:
        return f"/news/{slug}/" + (f"trang-{number}" if number > 1 else "")

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, head: str = "") -> str:
        nav = "".join(f'<li><a href="{self.listing_path(c.slug, 1)}">{esc(c.name)}</a></li>' for c in self.site.categories)
        return f"""<!DOCTYPE html>
<html>
<head>
{charset_meta(self.site)}
<title>{esc(title)}</title>
{head}
{analytics_script(self.site)}
</head>
<body>
<div id="header"><div id="today">{page_clock(today)}</div>
<h1 class="logo"><a href="/">{esc(self.site.name.upper())}</a></h1></div>
<div id="menu"><ul><li><a href="/">Trang chủ</a></li>{nav}</ul></div>
<div id="main">{main}</div>
<div id="footer"><p>{esc(self.site.name)} - Báo {esc(self.site.province)}</p></div>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        return Page(404, self.shell(f"{self.site.name} - Không tìm thấy", "<h2>Không tìm thấy trang</h2>", today), HTML)

    def robots_txt(self) -> str:
        return robots(["/admin/", "/tim-kiem"], [self.absolute(SITEMAP)])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        slug = article.ref.category
        author = f'<div class="tacgia">{esc(", ".join(served.authors))}</div>' if served.authors else ""
        main = f"""<h2 class="cat-name"><a href="{self.listing_path(slug, 1)}">{esc(self.category_name(slug))}</a></h2>
<div class="news-detail">
<div class="title_news"><h2>{esc(served.title)}</h2></div>
<div class="date_news">{clock_date(article)}</div>
<div id="info_g">
<meta itemprop="headline" content="{attr(served.title)}" />
<p>&nbsp;</p>
{self.body(served)}
</div>
{author}
{_credits(served)}
{share_buttons(url, served.title)}
{self._box("Tin liên quan", "tinlienquan", self.older_in_category(article, today, 4), today)}
{self._box("Tin cùng chuyên mục", "tincungchuyenmuc", self.latest_except(article, today, 4), today)}
</div>"""
        body = self.shell(f"{self.site.name} - {served.title}", main, today, f'<link rel="canonical" href="{attr(url)}" />')
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, served: Article) -> str:
        parts = [f"<p><strong>{esc(served.lead)}</strong></p>"] if served.lead else []
        parts += [self._block(b) for b in served.blocks]
        return "\n".join(parts)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            html = f'<p style="text-align: center;"><img src="{attr(block.image.src)}" alt="" /></p>'
            if block.image.caption:
                html += f'\n<p style="text-align: center;">{esc(block.image.caption)}</p>'
            return html
        if block.kind == "h":
            return f"<p><b>{esc(block.text)}</b></p>"
        return f'<p style="text-align: justify;">{esc(block.text)}</p>'

    def _box(self, heading: str, css: str, refs: Sequence[ArticleRef], today: date) -> str:
        rows = "".join(
            f'<li><h3><a href="{attr(self.href(a, css))}">{esc(a.title)}</a></h3></li>'
            for a in (self.load(r, today) for r in refs)
        )
        return f'<div class="{css}"><div class="box-title">{heading}</div><ul>{rows}</ul></div>'

    # -- listings and sitemap ------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        return (
            f'<div class="item"><h3><a href="{attr(self.href(article, where))}">{esc(article.title)}</a></h3>'
            f'<span class="date">{dmy(ref.published_at.date())}</span></div>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        window = self.listing_window(slug, number, today)
        if window is None:
            return None
        items, total = window
        rows = "".join(self._item(r, today, f"list-{slug}") for r in items)
        main = (
            f'<h2 class="cat-name">{esc(self.category_name(slug))}</h2>\n<div class="list">{rows}</div>\n'
            f"{pager(number, total, lambda n: self.listing_path(slug, n))}"
        )
        title = f"{self.site.name} - {self.category_name(slug)}"
        return Page(200, self.shell(title, main, today), HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        parts = []
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5])
            parts.append(f'<div class="box"><h2><a href="{self.listing_path(category.slug, 1)}">{esc(category.name)}</a></h2>{rows}</div>')
        return Page(200, self.shell(self.site.name, "\n".join(parts), today), HTML, newest_change(refs[:1], today))

    def sitemap(self, today: date) -> Page:
        refs = self.refs(today)
        entries = [
            UrlEntry(self.absolute(self.world.article(self.site.id, r.key).path), changed_at(r, today)) for r in refs
        ]
        return Page(200, urlset(self.site, entries), XML, newest_change(refs, today))
