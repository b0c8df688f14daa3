"""A provincial TV site (Đài Phát thanh và Truyền hình Thái Bình): RSS per category plus listings.

Quirks: a page clock `Thứ 3, 30/07/2024, 05:20[GMT+7]` (today), the date `Thứ 3, 04/04/2023 | 16:10:37`,
`20,037 lượt xem`, a `<video>` whose file name carries `?_t=…`, lazy images (`data-src`, a placeholder in
`src`), the trailing author and `Ảnh: …` lines inside the body, "Tin cùng chuyên mục", and a
"Xem tin theo ngày" date picker.

URL scheme (site-relative):
  /                                         home
  /tin-tuc/{cat}/  and /tin-tuc/{cat}/page-{n}.html   category listing (16 a page, newest first)
  /tin-tuc/{cat}/{slug}-{key}.html          article
  /rss.html, /rss/{cat}.rss                 feed list and RSS 2.0 feeds (latest 20 items per category)
  /tin-tuc/theo-ngay?ngay=dd/mm/yyyy        the day's articles ("Xem tin theo ngày")
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import quote_plus

from replica.families.base import HTML, RSS, Page, Renderer, newest_change
from replica.families.common import (
    FeedItem,
    LinkStyle,
    analytics_script,
    attr,
    bucket,
    charset_meta,
    esc,
    feed_link,
    pager,
    robots,
    rss,
    share_buttons,
)
from replica.families.formats import dmy, thousands_comma, tv_clock, tv_date
from replica.model import Article, ArticleRef, Block

_LISTING = re.compile(r"^/tin-tuc/([a-z0-9-]+)(?:/|/page-(\d+)\.html)?$")
_FEED = re.compile(r"^/rss/([a-z0-9-]+)\.rss$")
_FEED_SIZE = 20
_PLACEHOLDER = "/Content/images/grey.gif"

_STYLE = """<style>
.top-bar{background:#00529b;color:#fff}.detail-content{font-size:16px;line-height:1.7}
.detail-content figure{margin:10px auto;text-align:center}.detail-content figcaption{font-style:italic}
</style>"""


class TvRenderer(Renderer):
    page_size = 16
    links = LinkStyle(absolute=10, tracked=15, fragment=10)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path in ("/", "/trang-chu.html"):
            return self.home(today)
        if path == "/rss.html":
            return self.feed_list(today)
        if path == "/tin-tuc/theo-ngay":
            return self.by_day(query.get("ngay", [""])[0], today)
        if (m := _FEED.match(path)) is not None:
            return self.feed(m[1], today)
        if (m := _LISTING.match(path)) is not None and self.category(m[1]) is not None:
            return self.listing(m[1], int(m[2] or 1), today)
        return None

    def listing_path(self, slug: str, number: int) -> str:
        return f"/tin-tuc/{slug}/" if number == 1 else f"/tin-tuc/{slug}/page-{number}.html"

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, head: str = "") -> str:
        nav = "".join(f'<li><a href="/tin-tuc/{c.slug}/">{esc(c.name)}</a></li>' for c in self.site.categories)
        minutes = bucket(self.site.id, today, modulo=17 * 60)  # the clock shows some time of `today`
        clock = tv_clock(today, 6 + minutes // 60, minutes % 60)
        feeds = "".join(
            f'<link rel="alternate" type="application/rss+xml" title="{attr(c.name)}" href="/rss/{c.slug}.rss" />'
            for c in self.site.categories
        )
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
{charset_meta(self.site)}
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{esc(title)}</title>
{feeds}
<link href="/Content/css/site.min.css?v=3.2" rel="stylesheet" />
{head}
{_STYLE}
{analytics_script(self.site)}
</head>
<body>
<div class="top-bar"><span class="clock">{clock}</span>
<a href="/rss.html">RSS</a> <a href="/truc-tuyen/thai-binh-tv.html">Trực tuyến</a></div>
<header><a class="logo" href="/"><img src="/Content/images/logo-tbtv.png" alt="{attr(self.site.name)}" /></a></header>
<nav><ul class="main-menu"><li><a href="/">Trang chủ</a></li>{nav}</ul></nav>
<main class="container">
{main}
</main>
<footer>
<p>{esc(self.site.name.upper())}</p>
<p>Giấy phép số 290/GP-TTĐT do Bộ Thông tin và Truyền thông cấp. Chịu trách nhiệm nội dung: Giám đốc Đài.</p>
<p>Địa chỉ: 27 Trần Thái Tông, TP {esc(self.site.province)}. Điện thoại: 0227.3831.528</p>
</footer>
<script src="/Scripts/jquery.lazy.min.js"></script>
<script>
$(function () {{ $('img.lazy').each(function () {{ this.src = this.getAttribute('data-src'); }}); }});
</script>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        main = '<div class="page-404"><h1>Lỗi 404</h1><p>Không tìm thấy nội dung yêu cầu.</p><a href="/">Trang chủ</a></div>'
        return Page(404, self.shell(f"404 - {self.site.name}", main, today), HTML)

    def robots_txt(self) -> str:
        return robots(["/admin/", "/search", "/tim-kiem", "/Areas/"])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        slug = article.ref.category
        views = f'<span class="views">{thousands_comma(served.view_count)} lượt xem</span>' if served.view_count is not None else ""
        edited = f'<span class="updated">Cập nhật: {tv_date(updated)}</span>' if updated else ""
        lead = f'<h2 class="detail-sapo">{esc(served.lead)}</h2>' if served.lead else ""
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> <a href="/tin-tuc/{slug}/">{esc(self.category_name(slug))}</a></div>
<article class="detail">
<h1 class="detail-title">{esc(served.title)}</h1>
<div class="detail-meta"><span class="time">{tv_date(article.ref.published_at)}</span>{edited}
{views}</div>
{lead}
<div class="detail-content">
{self.body(served)}
</div>
{self._tags(served)}
<div class="detail-tools">{share_buttons(url, served.title)}<a class="print" href="javascript:window.print();">In</a></div>
</article>
{self._same_category(article, today)}
{self._date_picker(today)}"""
        head = f'<link rel="canonical" href="{attr(url)}" />\n<meta property="og:title" content="{attr(served.title)}" />'
        body = self.shell(f"{served.title}", main, today, head)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, served: Article) -> str:
        parts = [self._block(b) for b in served.blocks]
        if served.video:
            src = served.video if served.video.startswith(("/", "http")) else f"/Uploads/Video/{served.video}"
            video = (
                f'<div class="video-player"><video controls="controls" preload="none" width="100%" poster="{_PLACEHOLDER}">'
                f'<source src="{attr(src)}" type="video/mp4" /></video></div>'
            )
            parts.insert(min(2, len(parts)), video)
        if served.authors:
            parts.append(f'<p style="text-align: right;"><strong>{esc(", ".join(served.authors))}</strong></p>')
        if served.photographers:
            parts.append(f'<p style="text-align: right;"><em>Ảnh: {esc(", ".join(served.photographers))}</em></p>')
        if served.origin:
            parts.append(f'<p style="text-align: right;">Nguồn: {esc(served.origin)}</p>')
        return "\n".join(parts)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            caption = f"<figcaption>{esc(block.image.caption)}</figcaption>" if block.image.caption else ""
            return (
                f'<figure class="image"><img class="lazy" src="{_PLACEHOLDER}" data-src="{attr(block.image.src)}"'
                f' alt="{attr(block.image.caption or "")}" />{caption}</figure>'
            )
        if block.kind == "h":
            return f"<h3>{esc(block.text)}</h3>"
        return f"<p>{esc(block.text)}</p>"

    def _tags(self, served: Article) -> str:
        if not served.tags:
            return ""
        return '<div class="tags">Từ khóa: ' + " ".join(
            f'<a href="/tim-kiem?tu-khoa={quote_plus(t)}">#{esc(t)}</a>' for t in served.tags
        ) + "</div>"

    def _same_category(self, article: Article, today: date) -> str:
        refs = self.older_in_category(article, today, 6)
        items = self.related_items(refs, today, "same-cat", ' <span class="time">{}</span>')
        return f'<section class="same-category"><h3>Tin cùng chuyên mục</h3><ul>{items}</ul></section>'

    def _date_picker(self, today: date) -> str:
        return f"""<section class="by-date"><h3>Xem tin theo ngày</h3>
<form action="/tin-tuc/theo-ngay" method="get"><input type="text" name="ngay" value="{dmy(today)}" class="datepicker" />
<button type="submit">Xem</button></form></section>"""

    # -- listings and feeds --------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        thumb = article.images[0].src if article.images else "/Content/images/no-thumb.jpg"
        lead = f'<p class="sapo">{esc(article.lead)}</p>' if article.lead else ""
        return (
            f'<div class="story"><a class="story-thumb" href="{href}"><img class="lazy" src="{_PLACEHOLDER}" data-src="{attr(thumb)}" /></a>'
            f'<h3 class="story-title"><a href="{href}">{esc(article.title)}</a></h3>'
            f'<span class="time">{tv_date(ref.published_at)}</span>{lead}</div>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        window = self.listing_window(slug, number, today)
        if window is None:
            return None
        items, total = window
        rows = "\n".join(self._item(r, today, f"list-{slug}") for r in items)
        main = f"""<h1 class="cat-title">{esc(self.category_name(slug))}</h1>
<div class="story-list">{rows}</div>
{pager(number, total, lambda n: self.listing_path(slug, n), css="pagination")}
{self._date_picker(today)}"""
        body = self.shell(f"{self.category_name(slug)} - {self.site.name}", main, today)
        return Page(200, body, HTML, newest_change(items, today))

    def by_day(self, value: str, today: date) -> Page:
        """The day's articles; a day after `today` is simply empty, a malformed date shows today."""
        day = _parse_dmy(value) or today
        refs = [r for r in self.refs(today) if r.published_at.date() == day]
        rows = "\n".join(self._item(r, today, "by-day") for r in refs) or "<p>Không có tin trong ngày này.</p>"
        main = f'<h1 class="cat-title">Tin ngày {dmy(day)}</h1><div class="story-list">{rows}</div>{self._date_picker(today)}'
        return Page(200, self.shell(f"Tin ngày {dmy(day)} - {self.site.name}", main, today), HTML, newest_change(refs, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        parts = [f'<section class="featured">{"".join(self._item(r, today, "home") for r in refs[:8])}</section>']
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:4])
            parts.append(f'<section class="cat-box"><h2><a href="/tin-tuc/{category.slug}/">{esc(category.name)}</a></h2>{rows}</section>')
        parts.append(self._date_picker(today))
        return Page(200, self.shell(self.site.name, "\n".join(parts), today), HTML, newest_change(refs[:1], today))

    def feed_list(self, today: date) -> Page:
        rows = "".join(
            f'<li><a href="/rss/{c.slug}.rss">{esc(c.name)}</a></li>' for c in self.site.categories
        )
        main = f'<h1>Kênh RSS</h1><ul class="rss">{rows}</ul>'
        return Page(200, self.shell(f"RSS - {self.site.name}", main, today), HTML)

    def feed(self, slug: str, today: date) -> Page | None:
        if self.category(slug) is None:
            return None
        refs = self.refs(today, slug)[:_FEED_SIZE]
        items = []
        for ref in refs:
            article = self.load(ref, today)
            image = self.absolute(article.images[0].src) if article.images else None
            link = feed_link(self.site, self.port, article.path, ref.key)
            items.append(FeedItem(article.title, link, self.absolute(article.path), ref.published_at, article.lead,
                                  self.category_name(slug), image))
        built = newest_change(refs, today)
        body = rss(self.site, self.category_name(slug), self.absolute(self.listing_path(slug, 1)),
                   self.absolute(f"/rss/{slug}.rss"), items, built)
        return Page(200, body, RSS, built)


def _parse_dmy(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None

