"""An ASP.NET WebForms provincial portal (Cổng thông tin điện tử tỉnh Quảng Nam, docs/SOURCES.md).

Quirks, as the real configs record them: generated ids (`ctl00_ContentPlaceHolder1_ctl00_lblNgayDang` = posted
date, `…lblTomTat` = summary, `…lblNoiDung` = content, the body a `<span>`), `__VIEWSTATE` and
`__EVENTVALIDATION`, a pager that only posts back (`javascript:__doPostBack(…)`), the date `DD/MM/YYYY - HH:MM`,
captions in the centred `<p><em>` after the image, the author in a right-aligned last paragraph. The `<title>`
is only the portal's name; `og:title` carries the headline. Chrome around the article: the portal's name as
an `<h1>`, a left menu with `<h2>` headings, a category title bar, a breadcrumb and a "Tin liên quan" box.

URL scheme (site-relative):
  /                                          302 → /Default.aspx
  /Default.aspx                              home
  /tin-tuc/{cat}/Default.aspx                category listing (the newest 10; older pages by postback only)
  POST /tin-tuc/{cat}/Default.aspx           the listing's form posted back: page N of the listing

Postback, as ASP.NET does it: every page is one `<form method="post" action="Default.aspx">`; a pager link
`javascript:__doPostBack('ctl00$…$rptPager$ctl02$lnkPage','')` puts its control name in __EVENTTARGET and
submits the form to the same URL. The server rebuilds the pager from the posted __VIEWSTATE (the page the form
was on) and answers the page that control stands for. The numbered links are a sliding window whose items are
named by their position (ctl00..ctl04), so a control name means a page only together with its page's
__VIEWSTATE; a target the posted page did not render fails as ASP.NET's event validation does (500 "Invalid
postback or callback argument"), and a missing or foreign __VIEWSTATE as its state check does (500). Other
pages posted back render as on GET. No answer to a POST carries ETag or Last-Modified (IIS sends none for
a dynamic page).
  /tin-tuc/{cat}/{slug}-{key}.aspx           article
  /rss/{cat}.rss                             RSS 2.0 per category (the latest 20)
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import date

from replica.families.base import HTML, RSS, Page, Renderer, newest_change, page_count
from replica.families.common import (
    FeedItem,
    LinkStyle,
    analytics_script,
    attr,
    bucket,
    charset_meta,
    esc,
    feed_link,
    robots,
    rss,
    share_buttons,
)
from replica.families.common import (
    credits as _credits,
)
from replica.families.formats import dmy, newspaper_clock
from replica.model import Article, ArticleRef, Block

HOME = "/Default.aspx"
_LISTING = re.compile(r"^/tin-tuc/([a-z0-9-]+)/Default\.aspx$")
_FEED = re.compile(r"^/rss/([a-z0-9-]+)\.rss$")
_FEED_SIZE = 20
_ID = "ctl00_ContentPlaceHolder1_ctl00_"
_CONTROL = "ctl00$ContentPlaceHolder1$ctl00$"  # the UniqueID prefix of the content controls
_PAGER_ITEM = _CONTROL + "rptPager$ctl{:02d}$lnkPage"  # a numbered link, by its position in the repeater
_PREV, _NEXT = _CONTROL + "lnkPrev", _CONTROL + "lnkNext"
_WINDOW = 5  # numbered links the pager shows around the current page
_STATE_PAGE = re.compile(r"\$p(\d+)$")  # the listing page number our __VIEWSTATE carries at its end
_MENU = (("GIỚI THIỆU", ("Tổng quan", "Lịch sử", "Bản đồ hành chính")),
         ("CHÍNH QUYỀN", ("Tỉnh ủy", "HĐND tỉnh", "UBND tỉnh", "Sở, ban, ngành")))


def webforms_date(article: Article) -> str:
    """`04/11/2026 - 09:15` (haiphong.gov.vn and the Quảng Nam portal)."""
    moment = article.ref.published_at
    return f"{dmy(moment.date())} - {moment:%H:%M}"


class WebFormsRenderer(Renderer):
    page_size = 10
    links = LinkStyle(absolute=20, tracked=0, fragment=5)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path == "/":
            return Page(302, "", HTML, location=self.absolute(HOME))
        if path == HOME:
            return self.home(today)
        match = _LISTING.match(path)
        if match is not None and self.category(match[1]) is not None:
            return self.listing(match[1], today)
        match = _FEED.match(path)
        if match is not None and self.category(match[1]) is not None:
            return self.feed(match[1], today)
        return None

    def listing_path(self, slug: str, number: int = 1) -> str:
        return f"/tin-tuc/{slug}/Default.aspx"

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, today: date, action: str, head: str = "", page: int | None = None) -> str:
        nav = "".join(f'<li><a href="{self.listing_path(c.slug)}">{esc(c.name)}</a></li>' for c in self.site.categories)
        menu = "".join(
            f'<div class="menu-left"><h2 class="menu-title">{esc(h)}</h2><ul>'
            + "".join(f'<li><a href="/gioi-thieu/{i}.aspx">{esc(item)}</a></li>' for i, item in enumerate(items))
            + "</ul></div>"
            for h, items in _MENU
        )
        state = _view_state(action, page)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head id="ctl00_Head1">{charset_meta(self.site)}<title>
	{esc(self.site.name)}
</title>
{head}
<link href="/App_Themes/Default/style.css" type="text/css" rel="stylesheet" />
{analytics_script(self.site)}
</head>
<body>
<form name="aspnetForm" method="post" action="{attr(action)}" id="aspnetForm">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit(); }} }}
//]]>
</script>
<div id="ctl00_pnlHeader" class="header">
<div class="top-bar"><span id="ctl00_lblNgay" class="ngay-hien-tai">{newspaper_clock(today)}</span>
<a href="/Login.aspx">Đăng nhập</a> | <a href="/SiteMap.aspx">Sơ đồ cổng</a> | <a href="/English/Default.aspx">English</a></div>
<h1 class="ten-cong">{esc(self.site.name.upper())}</h1>
</div>
<div id="ctl00_pnlMenu" class="menu-top"><ul><li><a href="{HOME}">Trang chủ</a></li>{nav}</ul></div>
<table class="layout" width="100%" cellpadding="0" cellspacing="0"><tr>
<td class="col-left" valign="top">{menu}</td>
<td class="col-center" valign="top" id="ctl00_ContentPlaceHolder1_pnlMain">
{main}
</td></tr></table>
<div class="footer"><p>Cơ quan chủ quản: UBND tỉnh {esc(self.site.province)}</p>
<p>Ghi rõ nguồn "{esc(self.site.name)}" khi phát hành lại thông tin từ cổng này.</p></div>
<div>
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEWAgK{bucket(action, 'ev', modulo=10**6):06d}" />
</div>
</form>
</body>
</html>
"""

    def not_found(self, path: str, today: date) -> Page:
        main = '<div class="error"><h2>Không tìm thấy trang yêu cầu</h2></div>'
        return Page(404, self.shell(self.site.name, main, today, "Error.aspx"), HTML)

    def robots_txt(self) -> str:
        return robots(["/Login.aspx", "/Admin/", "/admin/", "/tim-kiem", "/WebResource.axd", "/ScriptResource.axd"])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        slug = article.ref.category
        name = self.category_name(slug)
        summary = (
            f'<div class="tomtat"><span id="{_ID}lblTomTat"><strong>{esc(served.lead)}</strong></span></div>'
            if served.lead
            else ""
        )
        main = f"""<div class="title-bar"><h2 class="title-cat"><a href="{self.listing_path(slug)}">{esc(name.upper())}</a></h2></div>
<div class="duongdan"><a href="{HOME}">Trang chủ</a> &gt; <a href="{self.listing_path(slug)}">{esc(name)}</a></div>
<div class="chitiet">
<h3 class="tieude-chitiet"><span id="{_ID}lblTieuDe">{esc(served.title)}</span></h3>
<div class="ngaydang">Ngày đăng: <span id="{_ID}lblNgayDang">{webforms_date(article)}</span></div>
{summary}
<div class="noidung"><span id="{_ID}lblNoiDung">
{self.body(served)}
</span></div>
{_credits(served)}
<div class="congcu">{share_buttons(url, served.title)}</div>
{self._related(article, today)}
</div>"""
        head = (
            f'<meta property="og:title" content="{attr(served.title)}" />\n'
            f'<meta property="og:url" content="{attr(url)}" />'
        )
        body = self.shell(self.site.name, main, today, article.path.rsplit("/", 1)[-1], head)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, served: Article) -> str:
        parts = [self._block(b) for b in served.blocks]
        if served.authors:
            parts.append(f'<p style="text-align: right;"><strong>{esc(", ".join(served.authors))}</strong></p>')
        return "\n".join(parts)

    def _block(self, block: Block) -> str:
        if block.kind == "img" and block.image is not None:
            html = f'<p style="text-align: center;"><img src="{attr(block.image.src)}" alt="" width="500" /></p>'
            if block.image.caption:
                html += f'\n<p style="text-align: center;"><em>{esc(block.image.caption)}</em></p>'
            return html
        if block.kind == "h":
            return f'<p style="text-align: justify;"><strong>{esc(block.text)}</strong></p>'
        return f'<p style="text-align: justify;">{esc(block.text)}</p>'

    def _related(self, article: Article, today: date) -> str:
        items = self.related_items(self.older_in_category(article, today, 5), today, "related", " ({})")
        return f'<div class="tinlienquan"><h3 class="tlq-title">Tin liên quan</h3><ul>{items}</ul></div>'

    # -- listings and feeds --------------------------------------------------------------------------

    def _item(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        lead = f'<p class="mota">{esc(article.lead)}</p>' if article.lead else ""
        return (
            f'<div class="tin-item"><h4><a href="{href}">{esc(article.title)}</a></h4>'
            f'<span class="ngay">{dmy(ref.published_at.date())}</span>{lead}</div>'
        )

    def listing(self, slug: str, today: date, number: int = 1) -> Page:
        """Page `number` of a category listing (past the last: the last, as a pager never links beyond it)."""
        refs = self.refs(today, slug)
        number = min(number, page_count(len(refs), self.page_size))
        items: Sequence[ArticleRef] = refs[(number - 1) * self.page_size : number * self.page_size]
        rows = "\n".join(self._item(r, today, f"list-{slug}") for r in items)
        main = (
            f'<div class="title-bar"><h2 class="title-cat">{esc(self.category_name(slug).upper())}</h2></div>\n'
            f'<div class="danhsach">{rows}</div>\n{_postback_pager(number, page_count(len(refs), self.page_size))}'
        )
        body = self.shell(self.site.name, main, today, "Default.aspx", page=number)
        return Page(200, body, HTML, newest_change(items, today))

    def postback(self, path: str, query: dict[str, list[str]], form: dict[str, list[str]],
                 today: date) -> Page | None:
        """A listing's form posted back: the page its pager control (__EVENTTARGET) stands for on the page the
        posted __VIEWSTATE was rendered as; any other page posted back renders as on GET."""
        match = _LISTING.match(path)
        if match is None or self.category(match[1]) is None:
            return self.page(path, query, today)
        slug = match[1]
        posted = _posted_page(form)
        if posted is None:
            return self._server_error("The state information is invalid for this page and might be corrupted.")
        target = (form.get("__EVENTTARGET") or [""])[0]
        if not target:  # the form submitted without a control (Enter in a field): the same page again
            return self.listing(slug, today, posted)
        total = page_count(len(self.refs(today, slug)), self.page_size)
        number = _pager_targets(posted, total).get(target)
        if number is None:
            return self._server_error("Invalid postback or callback argument.  Event validation is enabled "
                                      "using &lt;pages enableEventValidation=\"true\"/&gt; in configuration.")
        return self.listing(slug, today, number)

    def _server_error(self, message: str) -> Page:
        """ASP.NET's own error page ("Server Error in '/' Application."), as a production portal leaves it."""
        body = (f"<html><head><title>{message}</title></head><body><h1>Server Error in '/' Application.</h1>"
                f"<h2><i>{message}</i></h2></body></html>")
        return Page(500, body, HTML)

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        parts = []
        for category in self.site.categories:
            rows = "".join(self._item(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5])
            parts.append(f'<div class="box-tin"><h2><a href="{self.listing_path(category.slug)}">{esc(category.name)}</a></h2>{rows}</div>')
        feeds = "".join(f'<a href="/rss/{c.slug}.rss">RSS {esc(c.name)}</a> ' for c in self.site.categories)
        parts.append(f'<div class="rss-links">{feeds}</div>')
        return Page(200, self.shell(self.site.name, "\n".join(parts), today, "Default.aspx"), HTML,
                    newest_change(refs[:1], today))

    def feed(self, slug: str, today: date) -> Page:
        refs = self.refs(today, slug)[:_FEED_SIZE]
        items = []
        for ref in refs:
            article = self.load(ref, today)
            link = feed_link(self.site, self.port, article.path, ref.key)
            items.append(FeedItem(article.title, link, self.absolute(article.path), ref.published_at, article.lead,
                                  self.category_name(slug)))
        built = newest_change(refs, today)
        body = rss(self.site, self.category_name(slug), self.absolute(self.listing_path(slug)),
                   self.absolute(f"/rss/{slug}.rss"), items, built)
        return Page(200, body, RSS, built)


def _view_state(action: str, page: int | None) -> str:
    """The __VIEWSTATE of a page rendered for `action`; a listing's also carries its page number."""
    if page is None:
        return base64.b64encode(f"/wEPDwULLTEw{bucket(action, modulo=10**9):09d}ZGQ{action}".encode()).decode()
    raw = f"/wEPDwULLTEw{bucket(action, page, modulo=10**9):09d}ZGQ{action}$p{page}"
    return base64.b64encode(raw.encode()).decode()


def _posted_page(form: dict[str, list[str]]) -> int | None:
    """The listing page a posted __VIEWSTATE was rendered as; None when it is missing or not one of ours."""
    try:
        state = base64.b64decode((form.get("__VIEWSTATE") or [""])[0], validate=True).decode()
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    match = _STATE_PAGE.search(state)
    return int(match[1]) if match and state.startswith("/wEPDwULLTEw") else None


def _window(number: int, total: int) -> range:
    """The page numbers the pager lists around page `number` of `total`."""
    first = max(1, min(number - _WINDOW // 2, total - _WINDOW + 1))
    return range(first, min(total, first + _WINDOW - 1) + 1)


def _pager_targets(number: int, total: int) -> dict[str, int]:
    """Pager control (UniqueID) -> the page it posts back for, as rendered on page `number` of `total`."""
    targets = {_PAGER_ITEM.format(i): n for i, n in enumerate(_window(number, total)) if n != number}
    if number > 1:
        targets[_PREV] = number - 1
    if number < total:
        targets[_NEXT] = number + 1
    return targets


def _postback_pager(number: int, total: int) -> str:
    """« Trước, the numbered window (the current page a plain span) and Sau »: links that post the form back."""
    targets = {n: t for t, n in _pager_targets(number, total).items() if t not in (_PREV, _NEXT)}

    def link(target: str, label: str) -> str:
        return f"<a href=\"javascript:__doPostBack('{target}','')\">{label}</a>"

    parts = [link(_PREV, "« Trước")] if number > 1 else []
    parts += [f'<span class="current">{n}</span>' if n == number else link(targets[n], str(n))
              for n in _window(number, total)]
    parts += [link(_NEXT, "Sau »")] if number < total else []
    return f'<div class="pager">{" ".join(parts)}</div>'
