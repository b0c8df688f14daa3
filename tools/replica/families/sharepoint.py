"""A SharePoint portal that republishes a newspaper (Cổng thông tin điện tử tỉnh Hải Dương).

ASP.NET furniture (`<form id="aspnetForm">`, `__VIEWSTATE`), a "LIÊN KẾT WEBSITE" block, `Cập nhật:` with the
publication time on a 12-hour clock, the `Nguồn …` / `Theo …` source line ending a copy's body (replica.republish), "Các tin mới hơn" / "Các bài liên quan" lists
with (dd/mm/yyyy) dates, and `Quay lại` / `Xem tiếp` links. No charset is declared anywhere.

SharePoint chrome around the article: the page-title `<h1 id="pageTitle">` naming the category, the
quick-launch menu with `<h2>`/`<h3>` headings, a breadcrumb, the web part's title bar (`<h2>`), a `#today`
clock, and the tools row in the site's own spelling `div.artcle-tools` (Điện Biên) with the publish date in
`span.tandan-span-date-publish`.

URL scheme (site-relative):
  /                                                 302 → /Pages/default.aspx
  /Pages/default.aspx                               home
  /{cat}/Pages/default.aspx[?PageIndex=N]           category listing (10 a page, newest first, "Xem tiếp" = next)
  /{cat}/Pages/{slug}-{key}.aspx                    article
  /sitemap-news.xml                                 every visible article; named only in robots.txt
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote_plus

from replica.families.base import (
    HTML,
    XML,
    Page,
    Renderer,
    changed_at,
    newest_change,
    page_count,
    query_int,
)
from replica.families.common import (
    LinkStyle,
    UrlEntry,
    analytics_script,
    attr,
    bucket,
    charset_meta,
    esc,
    robots,
    share_buttons,
    urlset,
)
from replica.families.formats import dmy, newspaper_clock, sharepoint_date
from replica.model import Article, ArticleRef, Block

HOME = "/Pages/default.aspx"
SITEMAP = "/sitemap-news.xml"
_LISTING = re.compile(r"^/([a-z0-9-]+)/Pages/default\.aspx$")

_LINKS = (
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn"),
    ("Báo điện tử Hải Dương", "https://baohaiduong.vn"),
    ("Cổng dịch vụ công Quốc gia", "https://dichvucong.gov.vn"),
    ("Bộ Thông tin và Truyền thông", "https://mic.gov.vn"),
)

_STYLE = """<style type="text/css">
.ms-rtestate-field p{text-align:justify}.news-date{color:#666;font-size:11px}
.link-website select{width:100%}.related li{padding:2px 0}
</style>"""


_QUICK_LAUNCH = (("GIỚI THIỆU", ("Tổng quan", "Điều kiện tự nhiên", "Lịch sử - Văn hóa")),
                 ("HỆ THỐNG CHÍNH TRỊ", ("Tỉnh ủy", "HĐND tỉnh", "UBND tỉnh")))


def _quick_launch() -> str:
    """SharePoint's left menu: `<h2>` group headings over `<h3>` entries."""
    return "".join(
        f'<div class="ms-quicklaunch-group"><h2 class="ms-quicklaunch-title">{esc(group)}</h2><ul>'
        + "".join(f'<li><h3><a href="/gioi-thieu/Pages/{n}.aspx">{esc(item)}</a></h3></li>' for n, item in enumerate(items))
        + "</ul></div>"
        for group, items in _QUICK_LAUNCH
    )


class SharePointRenderer(Renderer):
    page_size = 10
    links = LinkStyle(absolute=25, tracked=0, fragment=5)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path == "/":
            return Page(302, "", HTML, location=self.absolute(HOME))
        if path == HOME:
            return self.home(today)
        if path == SITEMAP:
            return self.sitemap(today)
        match = _LISTING.match(path)
        if match is not None and self.category(match[1]) is not None:
            number = query_int(query, "PageIndex")
            return self.listing(match[1], number, today) if number is not None else None
        return None

    def listing_path(self, slug: str, number: int) -> str:
        return f"/{slug}/Pages/default.aspx" + (f"?PageIndex={number}" if number > 1 else "")

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, action: str, head: str = "", section: str = "") -> str:
        page_title = (
            '<div class="ms-breadcrumb-top"><h1 id="pageTitle" class="ms-core-pageTitle"><span id="DeltaPlaceHolderPageTitleInTitleArea">'
            f'<a href="/{section}/Pages/default.aspx">{esc(self.category_name(section))}</a></span></h1></div>'
            if section
            else ""
        )
        nav = "".join(
            f'<li class="static"><a class="static menu-item" href="/{c.slug}/Pages/default.aspx">'
            f'<span class="menu-item-text">{esc(c.name)}</span></a></li>'
            for c in self.site.categories
        )
        viewstate = base64.b64encode(f"/wEPDwUKLTY1{bucket(action, modulo=10**9):09d}ZGRk{action}".encode()).decode()
        options = "".join(f'<option value="{attr(u)}">{esc(n)}</option>' for n, u in _LINKS)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html dir="ltr" lang="vi-VN">
<head>{charset_meta(self.site)}<meta http-equiv="X-UA-Compatible" content="IE=10" />
<meta name="GENERATOR" content="Microsoft SharePoint" />
<title>
	{esc(title)}
</title>
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2xBUd6dyMVGmh9wCbzwDnA%3D%3D" />
{head}
{_STYLE}
<script type="text/javascript">
var _spPageContextInfo = {{webServerRelativeUrl: "/", webLanguage: 1066, currentLanguage: 1066, siteClientTag: "2$$15.0.4569.1000"}};
</script>
{analytics_script(self.site)}
</head>
<body scroll="yes" onload="javascript:if (typeof(_spBodyOnLoadWrapper) != 'undefined') _spBodyOnLoadWrapper();">
<form method="post" action="{attr(action)}" onsubmit="javascript:return WebForm_OnSubmit();" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="_wpcmWpid" id="_wpcmWpid" value="" />
<input type="hidden" name="__REQUESTDIGEST" id="__REQUESTDIGEST" value="0x6F2C{bucket(action, modulo=10**6):06d}" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate}" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) {{ theForm = document.aspnetForm; }}
function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.submit(); }} }}
//]]>
</script>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header"><div class="today" id="today">{newspaper_clock(today)}</div>
<a href="{HOME}"><img src="/PublishingImages/banner.jpg" alt="{attr(self.site.name)}" /></a></div>
<div class="top-menu"><ul class="root static"><li class="static"><a href="{HOME}">Trang chủ</a></li>{nav}</ul></div>
{page_title}
<div class="col-left">
<div class="ms-core-navigation" id="sideNavBox">{_quick_launch()}</div>
<div class="link-website"><h3>LIÊN KẾT WEBSITE</h3>
<select onchange="window.open(this.value)"><option value="">-- Chọn liên kết --</option>{options}</select>
</div>
</div>
<div class="col-main" id="ctl00_PlaceHolderMain">
{main}
</div>
<div class="footer">
<p>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH {esc(self.site.province.upper())}</p>
<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh {esc(self.site.province)}. Đơn vị quản lý: Sở Thông tin và Truyền thông.</p>
<p>Giấy phép số 47/GP-TTĐT do Cục Quản lý Phát thanh, Truyền hình và Thông tin điện tử cấp.</p>
</div>
</div></div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
</form>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        main = '<div class="ms-error"><h2>Không tìm thấy trang</h2><p>Trang bạn yêu cầu không tồn tại.</p></div>'
        return Page(404, self.shell(f"Lỗi - {self.site.name}", main, today, path), HTML)

    def robots_txt(self) -> str:
        return robots(["/_layouts/", "/_vti_bin/", "/_catalogs/", "/admin/", "/search/"], [self.absolute(SITEMAP)])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        slug = article.ref.category
        copied = served.republished_from
        line = f"\n<p>{esc(copied.line)}</p>" if copied is not None and copied.line else ""  # ends the body
        # a seed article names its origin under the body
        origin = f'<p class="news-source">Nguồn {esc(served.origin)}</p>' if served.origin and copied is None else ""
        edited = f'<div class="news-modified">Sửa đổi: {sharepoint_date(updated)}</div>' if updated else ""
        views = f'<div class="news-views">Lượt xem: {served.view_count}</div>' if served.view_count else ""
        lead = f'<div class="news-summary"><p><strong>{esc(served.lead)}</strong></p></div>' if served.lead else ""
        name = esc(self.category_name(slug))
        main = f"""<div class="breadcrumb"><a href="{HOME}">Trang chủ</a> &gt; <a href="/{slug}/Pages/default.aspx">{name}</a></div>
<div class="ms-webpart-chrome-title"><h2 class="ms-webpart-titleText"><span>Tin tức - Sự kiện</span></h2></div>
<div class="news-category"><a href="/{slug}/Pages/default.aspx">{name}</a></div>
<div class="news-detail">
<h1 class="news-title">{esc(served.title)}</h1>
<div class="news-date">Cập nhật: {sharepoint_date(article.ref.published_at)}</div>
{edited}{views}
{lead}
<div class="ms-rtestate-field news-content">
{self.body(served.blocks)}{line}
</div>
{self._byline(served)}
{origin}
{self._tags(served)}
<div class="artcle-tools"><span class="tandan-span-date-publish">{sharepoint_date(article.ref.published_at)}</span>{share_buttons(url, served.title)}<a href="javascript:window.print()">In trang</a></div>
{self._list("Các tin mới hơn", "newer", self.newer_in_category(article, today, 3), today)}
{self._list("Các bài liên quan", "related", self.older_in_category(article, today, 5), today)}
<div class="news-nav"><a href="javascript:history.go(-1)">Quay lại</a><a href="{attr(self._next_path(article, today))}">Xem tiếp</a></div>
</div>"""
        head = f'<link rel="canonical" href="{attr(url)}" />'
        body = self.shell(f"{served.title}", main, today, article.path.rsplit("/", 1)[-1], head, slug)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def _next_path(self, article: Article, today: date) -> str:
        """`Xem tiếp` opens the category listing page holding the next older article."""
        refs, at = self.category_position(article, today)
        index = at + 1 if at is not None else 0
        number = min(index // self.page_size + 1, page_count(len(refs), self.page_size))
        return self.listing_path(article.ref.category, number)

    def body(self, blocks: Sequence[Block]) -> str:
        return "\n".join(self._block(b) for b in blocks)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            caption = (
                f'<tr><td class="imgCaption"><em>{esc(block.image.caption)}</em></td></tr>'
                if block.image.caption
                else ""
            )
            return (
                '<table class="imgTable" align="center" border="0" cellpadding="3" cellspacing="0">'
                f'<tr><td><img src="{attr(block.image.src)}" alt="" style="width:550px;" /></td></tr>{caption}</table>'
            )
        if block.kind == "h":
            return f"<p><strong>&nbsp;{esc(block.text)}</strong></p>"
        return f"<p>{esc(block.text)}</p>"

    def _tags(self, served: Article) -> str:
        if not served.tags:
            return ""
        links = "; ".join(f'<a href="/search/Pages/results.aspx?k={quote_plus(t)}">{esc(t)}</a>' for t in served.tags)
        return f'<div class="news-keywords">Từ khóa: {links}</div>'

    def _byline(self, served: Article) -> str:
        lines = []
        if served.authors:
            lines.append(f'<p class="news-author" style="text-align:right;"><strong>{esc(", ".join(served.authors))}</strong></p>')
        if served.photographers:
            lines.append(f'<p class="news-photo" style="text-align:right;">Ảnh: {esc(", ".join(served.photographers))}</p>')
        return "\n".join(lines)

    def _list(self, heading: str, css: str, refs: Sequence[ArticleRef], today: date) -> str:
        items = self.related_items(refs, today, css, ' <span class="date">({})</span>')
        return f'<div class="{css}"><h3>{heading}</h3><ul>{items}</ul></div>'

    # -- listings and sitemap ------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        thumb = f'<a href="{href}"><img src="{attr(article.images[0].src)}" width="120" alt="" /></a>' if article.images else ""
        lead = f"<p>{esc(article.lead)}</p>" if article.lead else ""
        return (
            f'<div class="news-item">{thumb}<h3><a href="{href}">{esc(article.title)}</a>'
            f' <span class="date">({dmy(ref.published_at.date())})</span></h3>{lead}</div>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        window = self.listing_window(slug, number, today)
        if window is None:
            return None
        items, total = window
        nav = []
        if number > 1:
            nav.append(f'<a class="prev" href="{attr(self.listing_path(slug, number - 1))}">Quay lại</a>')
        if number < total:
            nav.append(f'<a class="next" href="{attr(self.listing_path(slug, number + 1))}">Xem tiếp</a>')
        rows = "\n".join(self._item(r, today, f"list-{slug}") for r in items)
        main = f"""<h2 class="cat-title">{esc(self.category_name(slug))}</h2>
<div class="news-list">{rows}</div>
<div class="paging">{" ".join(nav)}</div>"""
        body = self.shell(f"{self.category_name(slug)} - {self.site.name}", main, today, "default.aspx")
        return Page(200, body, HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        parts = [f'<div class="hot-news">{"".join(self._item(r, today, "home") for r in refs[:5])}</div>']
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5])
            parts.append(
                f'<div class="box-cat"><h2><a href="/{category.slug}/Pages/default.aspx">{esc(category.name)}</a></h2>'
                f'{rows}<a class="more" href="{attr(self.listing_path(category.slug, 2))}">Xem tiếp</a></div>'
            )
        body = self.shell(self.site.name, "\n".join(parts), today, "default.aspx")
        return Page(200, body, HTML, newest_change(refs[:1], today))

    def sitemap(self, today: date) -> Page:
        refs = self.refs(today)
        entries = [
            UrlEntry(self.absolute(self.world.article(self.site.id, r.key).path), changed_at(r, today)) for r in refs
        ]
        return Page(200, urlset(self.site, entries), XML, newest_change(refs, today))

