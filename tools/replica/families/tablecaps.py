"""A provincial newspaper with captions in tables (Báo Cao Bằng điện tử, docs/SOURCES.md).

Quirks, as the real configs record them: the image box a `<table class="picBox">` with the caption in
`tbody/tr[2]/td` (25 of 71 configs), misspelled and space-padded names (`div#cotent_detail`, `div.sabo`,
`div.detail_info ` — Kinh tế & Đô thị, Lao Động Thủ Đô), the date `HH:MM DD/MM/YYYY` in `span.time`, and
metadata that names the publisher as the author (`<meta name="author">` and JSON-LD `author` are the paper)
while the text ends with the writer's name. Chrome: a menu, a breadcrumb, the category's heading above the
article, "Tin liên quan" with `<h3>` items and a "Đọc nhiều" box.

URL scheme (site-relative):
  /                                      home
  /chuyen-muc/{cat}.html[?page=N]        category listing (10 a page, newest first)
  /{cat}/{slug}-{key}.html               article
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import re
from datetime import date

from replica.families.base import HTML, Page, Renderer, newest_change, query_int
from replica.families.common import (
    LinkStyle,
    analytics_script,
    attr,
    charset_meta,
    esc,
    json_script,
    pager,
    robots,
    share_buttons,
)
from replica.families.common import (
    credits as _credits,
)
from replica.families.formats import dmy, newspaper_clock
from replica.model import Article, ArticleRef, Block

_LISTING = re.compile(r"^/chuyen-muc/([a-z0-9-]+)\.html$")


def tablecaps_date(article: Article) -> str:
    """`09:15 04/11/2026` (time first, as anhp.vn prints it)."""
    moment = article.ref.published_at
    return f"{moment:%H:%M} {dmy(moment.date())}"


class TableCapsRenderer(Renderer):
    page_size = 10
    links = LinkStyle(absolute=10, tracked=5, fragment=5)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path == "/":
            return self.home(today)
        match = _LISTING.match(path)
        if match is not None and self.category(match[1]) is not None:
            number = query_int(query, "page")
            return self.listing(match[1], number, today) if number is not None else None
        return None

    def listing_path(self, slug: str, number: int) -> str:
        return f"/chuyen-muc/{slug}.html" + (f"?page={number}" if number > 1 else "")

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, side: str = "", head: str = "") -> str:
        nav = "".join(f'<li><a href="{self.listing_path(c.slug, 1)}">{esc(c.name)}</a></li>' for c in self.site.categories)
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
{charset_meta(self.site)}
<title>{esc(title)}</title>
<meta name="author" content="{attr(self.site.name)}" />
<meta name="copyright" content="{attr(self.site.name)}" />
{head}
{analytics_script(self.site)}
</head>
<body>
<div class="wrapper">
<div class="header"><div class="date-today">{newspaper_clock(today)}</div>
<a href="/" class="logo"><img src="/images/logo.png" alt="{attr(self.site.name)}" /></a></div>
<div class="menu"><ul><li><a href="/">Trang chủ</a></li>{nav}</ul></div>
<div class="main-content">{main}</div>
<div class="side-right">{side}</div>
<div class="footer"><p>{esc(self.site.name)} - Cơ quan của Đảng bộ, chính quyền và nhân dân tỉnh {esc(self.site.province)}</p></div>
</div>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        return Page(404, self.shell(f"404 - {self.site.name}", "<h2>Trang không tồn tại</h2>", today), HTML)

    def robots_txt(self) -> str:
        return robots(["/admin/", "/tim-kiem"])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        slug = article.ref.category
        name = self.category_name(slug)
        lead = f'<div class="sabo"><p>{esc(served.lead)}</p></div>' if served.lead else ""
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="{self.listing_path(slug, 1)}">{esc(name)}</a></div>
<h2 class="cate-title"><a href="{self.listing_path(slug, 1)}">{esc(name)}</a></h2>
<div class="detail">
<h1 class="title-detail">{esc(served.title)}</h1>
<div class="detail_info "><span class="time">{tablecaps_date(article)}</span></div>
{lead}
<div id="cotent_detail" class="text">
{self.body(served)}
</div>
{_credits(served)}
{share_buttons(url, served.title)}
{self._related(article, today)}
</div>"""
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": served.title,
            "datePublished": article.ref.published_at.isoformat(),
            "author": {"@type": "Organization", "name": self.site.name},
            "publisher": {"@type": "Organization", "name": self.site.name},
        }
        head = f'<link rel="canonical" href="{attr(url)}" />\n<script type="application/ld+json">{json_script(ld)}</script>'
        body = self.shell(f"{served.title} - {self.site.name}", main, today, self._most_read(today), head)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, served: Article) -> str:
        parts = [self._block(b) for b in served.blocks]
        if served.authors:
            parts.append(f'<p style="text-align: right;"><strong>{esc(", ".join(served.authors))}</strong></p>')
        return "\n".join(parts)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            caption = f'<tr><td class="picCaption">{esc(block.image.caption)}</td></tr>' if block.image.caption else ""
            return (
                '<table class="picBox" align="center" border="0" cellpadding="0" cellspacing="0"><tbody>'
                f'<tr><td><img src="{attr(block.image.src)}" alt="" /></td></tr>{caption}</tbody></table>'
            )
        if block.kind == "h":
            return f"<p><strong>{esc(block.text)}</strong></p>"
        return f"<p>{esc(block.text)}</p>"

    def _related(self, article: Article, today: date) -> str:
        rows = "".join(
            f'<li><h3><a href="{attr(self.href(a, "related"))}">{esc(a.title)}</a></h3></li>'
            for a in (self.load(r, today) for r in self.older_in_category(article, today, 4))
        )
        return f'<div class="tin-lien-quan"><h3 class="title-box">Tin liên quan</h3><ul>{rows}</ul></div>'

    def _most_read(self, today: date) -> str:
        rows = "".join(
            f'<li><a href="{attr(self.href(a, "most-read"))}">{esc(a.title)}</a></li>'
            for a in (self.load(r, today) for r in self.refs(today)[1:6])
        )
        return f'<div class="box-doc-nhieu"><h2 class="title-box">Đọc nhiều</h2><ul>{rows}</ul></div>'

    # -- listings ------------------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        return (
            f'<li class="item"><h3><a href="{href}">{esc(article.title)}</a></h3>'
            f'<span class="time">{dmy(ref.published_at.date())}</span></li>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        window = self.listing_window(slug, number, today)
        if window is None:
            return None
        items, total = window
        rows = "".join(self._item(r, today, f"list-{slug}") for r in items)
        main = (
            f'<h2 class="cate-title">{esc(self.category_name(slug))}</h2>\n<ul class="list-news">{rows}</ul>\n'
            f"{pager(number, total, lambda n: self.listing_path(slug, n))}"
        )
        title = f"{self.category_name(slug)} - {self.site.name}"
        return Page(200, self.shell(title, main, today), HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        parts = []
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5])
            parts.append(f'<div class="box-cate"><h2><a href="{self.listing_path(category.slug, 1)}">{esc(category.name)}</a></h2><ul class="list-news">{rows}</ul></div>')
        return Page(200, self.shell(self.site.name, "\n".join(parts), today), HTML, newest_change(refs[:1], today))
