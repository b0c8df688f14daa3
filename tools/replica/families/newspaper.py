"""A OneCMS-like provincial newspaper (Báo Hải Dương): div.fck bodies, ul.list-news listings, sitemaps, RSS.

URL scheme (site-relative):
  /                                  home
  /{cat}/  and /{cat}/trang-{n}.html category listing, page 1 and page n (15 a page, newest first)
  /{cat}/{slug}-{key}.html           article (a trailing-slash variant answers 301 to it)
  /sitemap.xml                       sitemap index → /sitemaps/{yyyy-mm}.xml (one per month)
                                     and /sitemaps/news.xml (Google News, last 2 days)
  /rss.html, /rss/{cat}.rss, /rss/home.rss   feed list and RSS 2.0 feeds (latest 20 items)
  /tim-kiem?q=…                      search (disallowed in robots.txt; tag links point here)
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from urllib.parse import quote_plus

from replica.families.base import (
    HTML,
    RSS,
    XML,
    Page,
    Renderer,
    changed_at,
    newest_change,
)
from replica.families.common import (
    FeedItem,
    LinkStyle,
    NewsEntry,
    UrlEntry,
    analytics_script,
    attr,
    charset_meta,
    esc,
    feed_link,
    json_script,
    news_sitemap,
    pager,
    robots,
    rss,
    share_buttons,
    sitemap_index,
    urlset,
)
from replica.families.formats import newspaper_clock, newspaper_date
from replica.model import Article, ArticleRef, Block

_LISTING_PAGE = re.compile(r"^/([a-z0-9-]+)/trang-(\d+)\.html$")
_MONTH_SITEMAP = re.compile(r"^/sitemaps/(\d{4})-(\d{2})\.xml$")
_FEED = re.compile(r"^/rss/([a-z0-9-]+)\.rss$")
_FEED_SIZE = 20

_STYLE = """<style type="text/css">
body{font-family:Arial,Helvetica,sans-serif;margin:0;background:#fff}
.header-top{background:#b40000;color:#fff;font-size:12px;padding:4px 10px}
.fck p{text-align:justify;line-height:1.6}
table.image{margin:0 auto}td.image_desc{font-style:italic;font-size:13px;text-align:center}
ul.list-news li{overflow:hidden;border-bottom:1px dotted #ccc;padding:8px 0}
</style>"""


class NewspaperRenderer(Renderer):
    page_size = 15
    links = LinkStyle(absolute=15, tracked=10, fragment=8)

    # -- routing -------------------------------------------------------------------------------------

    def article_response(self, path: str, article: Article, today: date) -> Page:
        if path != article.path:  # real OneCMS redirects variants to the canonical URL
            return Page(301, self._moved(article.path), HTML, location=self.absolute(article.path))
        return self.article_page(article, today)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path in ("/", "/index.html"):
            return self.home(today)
        if path == "/sitemap.xml":
            return self.sitemap_index(today)
        if path == "/sitemaps/news.xml":
            return self.news_sitemap(today)
        if path == "/rss.html":
            return self.feed_list(today)
        if path == "/tim-kiem":
            return self.search(query.get("q", [""])[0], today)
        return self._route_pattern(path, today)

    def _route_pattern(self, path: str, today: date) -> Page | None:
        if (m := _MONTH_SITEMAP.match(path)) is not None:
            return self.month_sitemap(int(m[1]), int(m[2]), today)
        if (m := _FEED.match(path)) is not None:
            return self.feed(m[1], today)
        if (m := _LISTING_PAGE.match(path)) is not None:
            return self.listing(m[1], int(m[2]), today)
        slug = path.strip("/")
        if self.category(slug) is not None:
            if not path.endswith("/"):
                return Page(301, self._moved(f"/{slug}/"), HTML, location=self.absolute(f"/{slug}/"))
            return self.listing(slug, 1, today)
        return None

    def _moved(self, path: str) -> str:
        return f'<html><body>Object moved to <a href="{attr(path)}">here</a>.</body></html>'

    def listing_path(self, slug: str, number: int) -> str:
        return f"/{slug}/" if number == 1 else f"/{slug}/trang-{number}.html"

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, head: str = "", body_class: str = "") -> str:
        nav = "".join(
            f'<li><a href="/{c.slug}/">{esc(c.name)}</a></li>' for c in self.site.categories
        )
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
{charset_meta(self.site)}
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(title)}</title>
<link rel="shortcut icon" href="/favicon.ico" />
<link rel="stylesheet" href="/Content/css/style.css?v=20220315" />
<link rel="alternate" type="application/rss+xml" title="{attr(self.site.name)} - Trang chủ"
 href="/rss/home.rss" />
{head}
{_STYLE}
{analytics_script(self.site)}
</head>
<body class="{body_class}">
<div class="header-top"><span class="clock">{newspaper_clock(today)}</span>
<span class="hotline">Đường dây nóng: 0220.3852.486</span>
<a href="/rss.html">RSS</a> | <a href="/lien-he.html">Liên hệ</a></div>
<div class="header"><a class="logo" href="/">
<img src="/Content/images/logo.png" alt="{attr(self.site.name)}" /></a>
<form class="search" action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Tìm kiếm..." />
<button type="submit">Tìm</button></form></div>
<ul class="menu"><li class="home"><a href="/">Trang chủ</a></li>{nav}</ul>
<div class="container">
{main}
</div>
<div class="footer">
<p><strong>BÁO HẢI DƯƠNG - CƠ QUAN CỦA ĐẢNG BỘ ĐẢNG CỘNG SẢN VIỆT NAM TỈNH HẢI DƯƠNG</strong></p>
<p>Giấy phép số 178/GP-BTTTT ngày 11/5/2020 của Bộ Thông tin và Truyền thông</p>
<p>Tổng Biên tập: Phạm Thị Hồng Vân. Địa chỉ: 10 Đại lộ Hồ Chí Minh, TP Hải Dương. ĐT: 0220.3853.495</p>
<p>® Ghi rõ nguồn "Báo Hải Dương" khi phát hành lại thông tin từ website này.</p>
</div>
<script type="text/javascript">
$(function () {{ $('.clock').attr('title', 'Giờ Hà Nội (GMT+7)'); $('.menu li').hover(function () {{
  $(this).toggleClass('active'); }}); }});
</script>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        main = (
            '<div class="page-404"><h1>404</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p>'
            '<p><a href="/">Quay về trang chủ</a></p></div>'
        )
        return Page(404, self.shell(f"Không tìm thấy trang | {self.site.name}", main, today), HTML)

    def robots_txt(self) -> str:
        return robots(
            ["/admin/", "/tim-kiem", "/binh-luan/", "/Content/uploads/temp/"],
            [self.absolute("/sitemap.xml")],
            extra="User-agent: Baiduspider\nCrawl-delay: 10\nDisallow: /",
        )

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        cat = self.category_name(article.ref.category)
        head = self._article_head(served, updated, url, cat)
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo;
<a href="/{article.ref.category}/">{esc(cat)}</a></div>
<div class="col-left detail">
<h1 class="title">{esc(served.title)}</h1>
<div class="meta"><span class="date">{newspaper_date(article.ref.published_at)}</span>
{self._updated_line(updated)}{self._views(served)}
{share_buttons(url, served.title)}</div>
{f'<h2 class="sapo">{esc(served.lead)}</h2>' if served.lead else ""}
<div class="fck">
{self.body(served.blocks)}
</div>
{self._byline(served)}
{self._tags(served)}
<div class="tool-bottom">{share_buttons(url, served.title)}
<a class="btn-print" href="javascript:printContent('detail');">In trang</a></div>
{self._comments(article)}
{self._related("Các tin khác", "other-news", self.older_in_category(article, today, 6), today)}
</div>
<div class="col-right">
{self._related("Mới nhất", "latest-news", self.latest_except(article, today, 6), today)}
</div>"""
        body = self.shell(f"{served.title} | {self.site.name}", main, today, head, "detail-page")
        return Page(200, body, HTML, updated or article.ref.published_at)

    def _article_head(self, served: Article, updated: datetime | None, url: str, cat: str) -> str:
        published = served.ref.published_at.isoformat()
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": served.title,
            "description": served.lead or "",
            "datePublished": published,
            "dateModified": (updated or served.ref.published_at).isoformat(),
            "author": [{"@type": "Person", "name": a} for a in served.authors],
            "publisher": {"@type": "Organization", "name": self.site.name,
                          "logo": {"@type": "ImageObject", "url": self.absolute("/Content/images/logo.png")}},
            "image": [self.absolute(i.src) for i in served.images][:1],
            "articleSection": cat,
        }
        modified = (
            f'<meta property="article:modified_time" content="{updated.isoformat()}" />\n' if updated else ""
        )
        return f"""<meta name="description" content="{attr(served.lead or served.title)}" />
<meta name="keywords" content="{attr(', '.join(served.tags))}" />
<link rel="canonical" href="{attr(url)}" />
<link rel="alternate" type="application/rss+xml" title="{attr(cat)}" href="/rss/{served.ref.category}.rss" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(served.title)}" />
<meta property="og:url" content="{attr(url)}" />
<meta property="article:published_time" content="{published}" />
{modified}<meta property="article:section" content="{attr(cat)}" />
<script type="application/ld+json">
{json_script(ld)}
</script>"""

    def _updated_line(self, updated: datetime | None) -> str:
        if updated is None:
            return ""
        return f'<span class="updated">Cập nhật: {newspaper_date(updated)}</span>'

    def _views(self, served: Article) -> str:
        if served.view_count is None:
            return ""
        return f'<span class="view">Lượt xem: {served.view_count}</span>'

    def body(self, blocks: Sequence[Block]) -> str:
        return "\n".join(self._block(b) for b in blocks)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            caption = block.image.caption
            alt = attr(caption or "")
            desc = f'<tr><td class="image_desc">{esc(caption)}</td></tr>' if caption else ""
            return (
                '<table class="image" align="center"><tbody>'
                f'<tr><td><img src="{attr(block.image.src)}" alt="{alt}" /></td></tr>{desc}</tbody></table>'
            )
        if block.kind == "h":
            return f'<p style="text-align: justify;"><strong>{esc(block.text)}</strong></p>'
        return f'<p style="text-align: justify;">{esc(block.text)}</p>'

    def _byline(self, served: Article) -> str:
        parts = []
        if served.authors:
            parts.append(f'<p class="author">{esc(" - ".join(served.authors))}</p>')
        if served.photographers:
            parts.append(f'<p class="photo">Ảnh: {esc(", ".join(served.photographers))}</p>')
        if served.origin:
            parts.append(f'<p class="source">Theo {esc(served.origin)}</p>')
        return f'<div class="author-box">{"".join(parts)}</div>' if parts else ""

    def _tags(self, served: Article) -> str:
        if not served.tags:
            return ""
        links = ", ".join(f'<a href="/tim-kiem?q={quote_plus(t)}">{esc(t)}</a>' for t in served.tags)
        return f'<div class="tags"><span>Từ khóa:</span> {links}</div>'

    def _comments(self, article: Article) -> str:
        return f"""<div class="comment" id="comments"><h3 class="title-box">Phản hồi</h3>
<p class="note">Bình luận của bạn sẽ được biên tập trước khi đăng. Xin vui lòng gõ tiếng Việt có dấu.</p>
<form action="/binh-luan/gui" method="post"><input type="hidden" name="id" value="{article.ref.key}" />
<input type="text" name="name" placeholder="Họ tên" /><input type="text" name="email" placeholder="Email" />
<textarea name="content" rows="4"></textarea><button type="submit">Gửi phản hồi</button></form></div>"""

    def _related(self, heading: str, css: str, refs: Sequence[ArticleRef], today: date) -> str:
        items = self.related_items(refs, today, css, ' <span class="time">({})</span>')
        return f'<div class="{css}"><h3 class="title-box">{heading}</h3><ul>{items}</ul></div>'

    # -- listings ------------------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        thumb = article.images[0].src if article.images else "/Content/images/no-image.jpg"
        href = attr(self.href(article, where))
        return (
            f'<li><a class="thumb" href="{href}"><img src="{attr(thumb)}" alt="" /></a>'
            f'<h4><a href="{href}" title="{attr(article.title)}">{esc(article.title)}</a></h4>'
            f'<span class="time">{newspaper_date(ref.published_at)}</span>'
            f'<p class="sapo">{esc(article.lead or "")}</p></li>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        category = self.category(slug)
        window = self.listing_window(slug, number, today)
        if category is None or window is None:
            return None
        items, total = window
        lis = "".join(self._item(r, today, f"list-{slug}") for r in items)
        latest = self._related("Mới nhất", "latest-news", self.latest_except(None, today, 6), today)
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo;
<span>{esc(category.name)}</span></div>
<div class="col-left"><h1 class="cat-title">{esc(category.name)}</h1>
<ul class="list-news left w100pt">{lis}</ul>
{pager(number, total, lambda n: self.listing_path(slug, n))}</div>
<div class="col-right">{latest}</div>"""
        head = (
            f'<link rel="alternate" type="application/rss+xml" title="{attr(category.name)}"'
            f' href="/rss/{slug}.rss" />'
        )
        title = f"{category.name} - Trang {number}" if number > 1 else category.name
        title = f"{title} | {self.site.name}"
        return Page(200, self.shell(title, main, today, head, "list-page"), HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        blocks = []
        for category in self.site.categories:
            cat_refs = self.refs(today, category.slug)[:5]
            lis = "".join(self._item(r, today, f"home-{category.slug}") for r in cat_refs)
            blocks.append(
                f'<div class="box-cat"><h2><a href="/{category.slug}/">{esc(category.name)}</a></h2>'
                f'<ul class="list-news left w100pt">{lis}</ul></div>'
            )
        top = "".join(self._item(r, today, "home-top") for r in refs[:5])
        main = f"""<div class="col-left"><ul class="list-news top-news">{top}</ul>{"".join(blocks)}</div>
<div class="col-right">{self._related("Mới nhất", "latest-news", refs[5:13], today)}</div>"""
        body = self.shell(self.site.name, main, today, body_class="home")
        return Page(200, body, HTML, newest_change(refs[:1], today))

    def search(self, q: str, today: date) -> Page:
        """A plain title search over today's articles (robots.txt keeps crawlers out)."""
        needle = q.strip().lower()
        refs = self.refs(today)[:200] if needle else ()
        hits = [r for r in refs if needle in self.load(r, today).title.lower()][:20]
        lis = "".join(self._item(r, today, "search") for r in hits) or "<li>Không tìm thấy kết quả.</li>"
        main = f'<h1>Kết quả tìm kiếm: {esc(q)}</h1><ul class="list-news left w100pt">{lis}</ul>'
        return Page(200, self.shell(f"Tìm kiếm | {self.site.name}", main, today), HTML)

    # -- feeds and sitemaps --------------------------------------------------------------------------

    def feed_list(self, today: date) -> Page:
        feeds = [("home", "Trang chủ"), *((c.slug, c.name) for c in self.site.categories)]
        rows = [
            f'<li><a href="/rss/{slug}.rss">{esc(name)}</a>'
            f' <span>{self.absolute(f"/rss/{slug}.rss")}</span></li>'
            for slug, name in feeds
        ]
        main = f'<h1>RSS</h1><ul class="rss-list">{"".join(rows)}</ul>'
        body = self.shell(f"RSS | {self.site.name}", main, today)
        return Page(200, body, HTML, newest_change(self.refs(today)[:1], today))

    def feed(self, slug: str, today: date) -> Page | None:
        if slug != "home" and self.category(slug) is None:
            return None
        refs = self.refs(today, None if slug == "home" else slug)[:_FEED_SIZE]
        items = []
        for ref in refs:
            article = self.load(ref, today)
            items.append(FeedItem(
                article.title, feed_link(self.site, self.port, article.path, ref.key), article.ref.key,
                ref.published_at, article.lead, self.category_name(ref.category),
                self.absolute(article.images[0].src) if article.images else None,
            ))
        name = "Trang chủ" if slug == "home" else self.category_name(slug)
        link = self.absolute("/" if slug == "home" else f"/{slug}/")
        body = rss(self.site, f"{self.site.name} - {name}", link, self.absolute(f"/rss/{slug}.rss"), items,
                   newest_change(refs, today))
        return Page(200, body, RSS, newest_change(refs, today))

    def _months(self, today: date) -> dict[tuple[int, int], list[ArticleRef]]:
        months: dict[tuple[int, int], list[ArticleRef]] = {}
        for ref in self.refs(today):
            months.setdefault((ref.published_at.year, ref.published_at.month), []).append(ref)
        return months

    def sitemap_index(self, today: date) -> Page:
        months = self._months(today)
        entries = [
            UrlEntry(self.absolute(f"/sitemaps/{y:04d}-{m:02d}.xml"), _latest(refs, today))
            for (y, m), refs in months.items()
        ]
        news_refs = self._news_refs(today)
        if news_refs:
            entries.insert(0, UrlEntry(self.absolute("/sitemaps/news.xml"), _latest(news_refs, today)))
        return Page(200, sitemap_index(self.site, entries), XML, newest_change(self.refs(today)[:1], today))

    def month_sitemap(self, year: int, month: int, today: date) -> Page | None:
        refs = self._months(today).get((year, month))
        if not refs:
            return None
        paths = [self.world.article(self.site.id, r.key).path for r in refs]
        entries = [UrlEntry(self.absolute(p), changed_at(r, today)) for p, r in zip(paths, refs, strict=True)]
        return Page(200, urlset(self.site, entries), XML, _latest(refs, today))

    def _news_refs(self, today: date) -> Sequence[ArticleRef]:
        """Google News sitemaps list the last two days only."""
        return [r for r in self.refs(today) if r.published_at.date() >= today - timedelta(days=1)]

    def news_sitemap(self, today: date) -> Page:
        refs = self._news_refs(today)
        entries = []
        for ref in refs:
            article = self.load(ref, today)
            url = self.absolute(article.path)
            entries.append(NewsEntry(url, article.title, ref.published_at, article.tags))
        return Page(200, news_sitemap(self.site, self.site.name, entries), XML, newest_change(refs, today))


def _latest(refs: Sequence[ArticleRef], today: date) -> datetime:
    latest = newest_change(refs, today)
    if latest is None:
        raise ValueError("a sitemap entry needs at least one article")
    return latest

