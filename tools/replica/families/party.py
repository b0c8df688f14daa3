"""A provincial Party-committee portal (Tỉnh ủy Hải Dương): listings with `?page=N` are the only way in.

URL scheme (site-relative):
  /                          home (latest articles, one block per category)
  /{cat}  and /{cat}?page=N  category listing (10 a page, newest first); past the last page: an empty listing
  /{cat}/{slug}-{key}.htm    article
No feed, no sitemap; robots.txt names none.
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import quote_plus

from replica.families.base import HTML, Page, Renderer, newest_change, page_count, query_int
from replica.families.common import (
    LinkStyle,
    analytics_script,
    attr,
    charset_meta,
    esc,
    pager,
    robots,
    share_buttons,
)
from replica.families.formats import party_clock, party_date
from replica.model import Article, ArticleRef, Block

_STYLE = """<style type="text/css">
#header{background:url(/Portals/0/banner.jpg) no-repeat;height:160px}
.news-content{font-size:14px;text-align:justify}.font-size a{cursor:pointer;margin:0 2px}
.other-news li{list-style:square;padding:3px 0}
</style>"""


class PartyRenderer(Renderer):
    page_size = 10
    links = LinkStyle(absolute=20, tracked=5, fragment=5)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path in ("/", "/default.aspx", "/index.htm"):
            return self.home(today)
        slug = path.strip("/")
        if self.category(slug) is not None:
            number = query_int(query, "page")
            return self.listing(slug, number, today) if number is not None and number >= 1 else None
        return None

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, head: str = "") -> str:
        nav = "".join(f'<li><a href="/{c.slug}">{esc(c.name)}</a></li>' for c in self.site.categories)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{charset_meta(self.site)}
<title>{esc(title)}</title>
<link href="/Portals/_default/default.css?cdv=41" rel="stylesheet" type="text/css" />
{head}
{_STYLE}
<script type="text/javascript">
function setFontSize(size) {{ var el = document.getElementById('news-content'); if (el) {{ el.style.fontSize = size + 'px'; }} }}
</script>
{analytics_script(self.site)}
</head>
<body>
<div id="header"><div class="date-time">{party_clock(today)}</div>
<div class="banner-title">BAN CHẤP HÀNH ĐẢNG BỘ TỈNH {esc(self.site.province.upper())}</div></div>
<div id="menu"><ul><li><a href="/">TRANG CHỦ</a></li>{nav}
<li><a href="/van-ban">VĂN BẢN</a></li><li><a href="/lien-he">LIÊN HỆ</a></li></ul></div>
<div id="main">
{main}
</div>
<div id="footer">
<p>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ỦY {esc(self.site.province.upper())}</p>
<p>Cơ quan chủ quản: Văn phòng Tỉnh ủy {esc(self.site.province)}. Chịu trách nhiệm chính: Chánh Văn phòng Tỉnh ủy</p>
<p>Địa chỉ: Số 1 đường Đô Lương, TP {esc(self.site.province)}. Điện thoại: 0220.3891.234</p>
<p>Ghi rõ nguồn "Cổng thông tin điện tử Tỉnh ủy {esc(self.site.province)}" khi phát hành lại thông tin.</p>
</div>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        main = '<div class="error"><h2>Không tìm thấy trang yêu cầu</h2><p><a href="/">Về trang chủ</a></p></div>'
        return Page(404, self.shell(f"Lỗi 404 - {self.site.name}", main, today), HTML)

    def robots_txt(self) -> str:
        return robots(["/admin/", "/search", "/Portals/_default/Skins/", "/DesktopModules/"])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        cat = self.category_name(article.ref.category)
        views = f' <span class="views">Lượt xem: {served.view_count}</span>' if served.view_count else ""
        lead = f'<div class="news-sapo"><b>{esc(served.lead)}</b></div>' if served.lead else ""
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/{article.ref.category}">{esc(cat)}</a></div>
<div class="news-detail">
<h1 class="news-title">{esc(served.title)}</h1>
<div class="news-date">{party_date(article.ref.published_at)}{views}</div>
<div class="font-size">Xem với cỡ chữ <a onclick="setFontSize(12)">A</a><a onclick="setFontSize(14)">A</a>
<a onclick="setFontSize(17)">A</a></div>
{lead}
<div class="news-content" id="news-content">
{self.body(served.blocks)}
{self._trailer(served)}
</div>
{self._tags(served)}
{self._updated(updated)}
<div class="news-tools">{share_buttons(url, served.title)}
<a href="javascript:window.print()" class="print">In trang</a> <a href="javascript:history.back()">Trở về</a></div>
{self._others(article, today)}
</div>"""
        head = (
            f'<link rel="canonical" href="{attr(url)}" />\n'
            f'<meta name="description" content="{attr(served.lead or served.title)}" />'
        )
        body = self.shell(f"{served.title} - {self.site.name}", main, today, head)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, blocks: Sequence[Block]) -> str:
        return "\n".join(self._block(b) for b in blocks)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            img = f'<p style="text-align: center;"><img src="{attr(block.image.src)}" width="600" alt="" /></p>'
            if block.image.caption:
                img += f'\n<p style="text-align: center;"><em>{esc(block.image.caption)}</em></p>'
            return img
        if block.kind == "h":
            return f"<p><b>{esc(block.text)}</b></p>"
        return f'<p style="text-align: justify;">{esc(block.text)}</p>'

    def _trailer(self, served: Article) -> str:
        """The trailing lines: `Đình Bộ- VPTU` (author + "- " + organisation), photos, origin."""
        lines = []
        if served.authors:
            author = ", ".join(served.authors)
            if served.author_org:
                author = f"{author}- {served.author_org}"
            lines.append(f'<p style="text-align: right;"><b>{esc(author)}</b></p>')
        if served.photographers:
            lines.append(f'<p style="text-align: right;"><i>Ảnh: {esc(", ".join(served.photographers))}</i></p>')
        if served.origin:
            lines.append(f'<p style="text-align: right;">Nguồn: {esc(served.origin)}</p>')
        return "\n".join(lines)

    def _tags(self, served: Article) -> str:
        if not served.tags:
            return ""
        links = ", ".join(f'<a href="/search?tukhoa={quote_plus(t)}">{esc(t)}</a>' for t in served.tags)
        return f'<div class="news-tags"><b>Từ khóa:</b> {links}</div>'

    def _updated(self, updated: datetime | None) -> str:
        return f'<div class="news-update">Cập nhật: {party_date(updated)}</div>' if updated else ""

    def _others(self, article: Article, today: date) -> str:
        refs = self.older_in_category(article, today, 8)
        items = self.related_items(refs, today, "others", ' <span class="date">({})</span>')
        return f'<div class="other-news"><h3>CÁC BÀI VIẾT KHÁC:</h3><ul>{items}</ul></div>'

    # -- listings ------------------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        thumb = (
            f'<a href="{href}"><img class="thumb" src="{attr(article.images[0].src)}" width="150" /></a>'
            if article.images
            else ""
        )
        lead = f'<div class="sapo">{esc(article.lead)}</div>' if article.lead else ""
        return (
            f'<div class="news-item">{thumb}<a class="title" href="{href}">{esc(article.title)}</a>'
            f'<span class="date">{party_date(ref.published_at)}</span>{lead}</div>'
        )

    def listing(self, slug: str, number: int, today: date) -> Page:
        """Past the last page real portals answer 200 with an empty list, and no next link."""
        refs = self.refs(today, slug)
        items = refs[(number - 1) * self.page_size : number * self.page_size]
        total = page_count(len(refs), self.page_size)
        rows = "".join(self._item(r, today, f"list-{slug}") for r in items) or "<p>Không có bài viết nào.</p>"
        name = self.category_name(slug)
        paging = pager(number, total, lambda n: f"/{slug}?page={n}", window=3) if number <= total else ""
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> / {esc(name)}</div>
<h2 class="cat-title">{esc(name.upper())}</h2>
<div class="news-list">{rows}</div>
{paging}"""
        body = self.shell(f"{name} - {self.site.name}", main, today)
        return Page(200, body, HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        blocks = [f'<div class="box-hot">{"".join(self._item(r, today, "home") for r in refs[:6])}</div>']
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5])
            blocks.append(
                f'<div class="box-cat"><h2><a href="/{category.slug}">{esc(category.name.upper())}</a></h2>{rows}'
                f'<a class="more" href="/{category.slug}?page=2">Xem tiếp</a></div>'
            )
        return Page(200, self.shell(self.site.name, "\n".join(blocks), today), HTML, newest_change(refs[:1], today))
