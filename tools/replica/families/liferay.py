"""A People's-Committee portal in Liferay 6 markup (Cổng thông tin điện tử tỉnh Bắc Giang).

Quirks: `<html lang="en-US">` on Vietnamese text, many letters written as HTML entities, invalid nesting in
`div.journal-content-article` (`<p><strong><p>`, stray `</p>`, unclosed inline tags), a "Tin đọc nhiều"
most-viewed sidebar, and article links that sometimes carry a session id (`;jsessionid=…`,
`?p_p_id=…&_jsessionid=…`) or a trailing slash.

Portal chrome around the article, as real Liferay portals carry it: a dockbar (admin menu) with an `<h2>`, a
navigation portlet whose title bar and items are headings, the asset publisher's own title bar (an `<h1>`
naming the category) and header, breadcrumbs, a `#today` clock, "Tin liên quan" asset links with `<h3>`
titles. The article's own title is a `<div>`; a third of the pages carry the layout's name (the category) in
`<title>` instead of the article's, and on a quarter the publish date sits above the title.

URL scheme (site-relative):
  /                                                     302 → /web/portal
  /web/portal                                           home
  /web/portal/{cat}  and /web/portal/{cat}/-/page/{n}   category listing (12 a page, newest first)
  /web/portal/{cat}/-/asset_publisher/content/{slug}-{key}   article
No feed, no sitemap.
"""

# ruff: noqa: E501 - HTML templates keep the line structure of the real markup

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote_plus

from replica.families.base import HTML, Page, Renderer, newest_change
from replica.families.common import (
    LinkStyle,
    analytics_script,
    attr,
    bucket,
    charset_meta,
    entity_encode,
    esc,
    pager,
    robots,
    share_buttons,
)
from replica.families.formats import dmy, liferay_date, newspaper_clock
from replica.model import Article, ArticleRef, Block

HOME = "/web/portal"
_LISTING = re.compile(r"^/web/portal/([a-z0-9-]+)(?:/-/page/(\d+))?/?$")
_INSTANCE = "101_INSTANCE_Xk3pQ9aZ"

_STYLE = """<style type="text/css">
.asset-full-content-title{font-size:20px;font-weight:bold;color:#0b4d8c}
.block_timer{color:#888;font-size:11px}.journal-content-article{text-align:justify}
.portlet-most-viewed li{border-bottom:1px solid #eee}
</style>"""


class LiferayRenderer(Renderer):
    page_size = 12
    links = LinkStyle(absolute=10, tracked=0, fragment=5, slash=8, session=15)

    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        if path == "/":
            return Page(302, "", HTML, location=self.absolute(HOME))
        if path in (HOME, HOME + "/", HOME + "/home"):
            return self.home(today)
        match = _LISTING.match(path)
        if match is not None and self.category(match[1]) is not None:
            return self.listing(match[1], int(match[2] or 1), today)
        return None

    def listing_path(self, slug: str, number: int) -> str:
        return f"{HOME}/{slug}" if number == 1 else f"{HOME}/{slug}/-/page/{number}"

    def href(self, article: Article, where: str) -> str:
        """Some portlets append their state and the session to the query instead of the path."""
        if bucket(self.site.id, article.ref.key, where, "pp") < 10:
            session = f"{bucket(article.ref.key, where, modulo=10**8):08d}"
            return (
                f"{article.path}?p_p_id={_INSTANCE}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                f"&_jsessionid={session}"
            )
        return super().href(article, where)

    def title_html(self, article: Article) -> str:
        return self.text(article.title, article.ref.key, "t")

    def text(self, text: str, *parts: object) -> str:
        """Most text goes through the editor that writes letters as entities; some does not."""
        return entity_encode(text) if bucket(self.site.id, *parts) < 65 else esc(text)

    # -- furniture -----------------------------------------------------------------------------------

    def shell(self, title: str, main: str, side: str, today: date, head: str = "", bar: str | None = None) -> str:
        topper = (
            '<header class="portlet-topper"><h1 class="portlet-title"><span class="portlet-title-text">'
            f'{entity_encode(bar)}</span></h1><menu class="portlet-topper-toolbar"><span class="portlet-icons">'
            '<a href="javascript:;" class="portlet-icon-back">Quay l&#7841;i</a></span></menu></header>'
            if bar
            else ""
        )
        nav = "".join(
            f'<li class="nav-item"><a href="{HOME}/{c.slug}"><span>{entity_encode(c.name)}</span></a></li>'
            for c in self.site.categories
        )
        return f"""<!DOCTYPE html>
<html class="ltr" dir="ltr" lang="en-US">
<head>
<title>{esc(title)}</title>
{charset_meta(self.site)}
<link rel="Shortcut Icon" href="/html/themes/bacgiang-theme/images/favicon.ico" />
<link href="/html/css/main.css?browserId=other&amp;themeId=bacgiang_WAR_theme&amp;t=1599640000000" rel="stylesheet" />
{head}
{_STYLE}
<script type="text/javascript">
var themeDisplay = {{ getCompanyId: function() {{ return "10155"; }}, getLanguageId: function() {{ return "en_US"; }},
  getPathMain: function() {{ return "/c"; }}, getScopeGroupId: function() {{ return "10181"; }} }};
var Liferay = {{ Browser: {{}}, ThemeDisplay: themeDisplay }};
</script>
{analytics_script(self.site)}
</head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<div id="wrapper">
<div class="dockbar" id="dockbar"><h2 class="dockbar-title">Qu&#7843;n tr&#7883;</h2><ul class="nav">
<li><a href="/c/portal/login?p_l_id=10184">&#272;&#259;ng nh&#7853;p</a></li><li><a href="/web/portal/so-do-cong">S&#417; &#273;&#7891; c&#7893;ng</a></li></ul></div>
<header id="banner" role="banner"><div class="date-now" id="today">{newspaper_clock(today)}</div>
<a class="logo" href="{HOME}" title="{attr(self.site.name)}"><img src="/html/themes/bacgiang-theme/images/logo.png" /></a>
<form action="/web/portal/search" method="get" class="search"><input name="_3_keywords" type="text" /></form>
</header>
<nav class="sort-pages modify-pages" id="navigation"><ul><li><a href="{HOME}">Trang ch&#7911;</a></li>{nav}</ul></nav>
<div id="content"><div class="portlet-layout">
<div class="portlet-column portlet-column-first" id="column-1">
{self._navigation()}
<div class="portlet-boundary portlet-boundary_101_ portlet-asset-publisher" id="p_p_id_{_INSTANCE}_">
{topper}
{main}
</div></div>
<div class="portlet-column portlet-column-last" id="column-2">{side}</div>
</div></div>
<footer id="footer" role="contentinfo">
<p>C&#7893;ng th&ocirc;ng tin &#273;i&#7879;n t&#7917; t&#7881;nh {entity_encode(self.site.province)}</p>
<p>C&#417; quan ch&#7911; qu&#7843;n: V&#259;n ph&ograve;ng UBND t&#7881;nh. &#272;i&#7879;n tho&#7841;i: 0204.3854.456</p>
<p>Powered by Liferay Portal Community Edition 6.2 CE GA6</p>
</footer>
</div>
<script type="text/javascript">
AUI().use('aui-base', function(A) {{ A.all('.asset-abstract').each(function(n) {{ n.addClass('loaded'); }}); }});
</script>
</body>
</html>
"""

    def _navigation(self) -> str:
        """The navigation portlet: a title bar and one heading per category (a menu, never the article's title)."""
        items = "".join(
            f'<li><h3 class="nav-heading"><a href="{HOME}/{c.slug}">{entity_encode(c.name)}</a></h3></li>'
            for c in self.site.categories
        )
        return (
            '<div class="portlet-boundary portlet-navigation"><header class="portlet-topper">'
            '<h2 class="portlet-title"><span class="portlet-title-text">Chuy&ecirc;n m&#7909;c</span></h2></header>'
            f'<div class="portlet-body"><ul class="layouts">{items}</ul></div></div>'
        )

    def not_found(self, path: str, today: date) -> Page:
        main = (
            '<div class="portlet-msg-error">The requested resource could not be found.</div>'
            f"<p>{esc(path)}</p>"
        )
        return Page(404, self.shell(f"Status - {self.site.name}", main, "", today), HTML)

    def robots_txt(self) -> str:
        return robots(["/admin/", "/c/", "/group/", "/web/guest/", "/web/portal/search", "/search"])

    # -- article -------------------------------------------------------------------------------------

    def article_page(self, article: Article, today: date) -> Page:
        served = article.as_of(today)
        updated = article.updated_at(today)
        url = self.absolute(article.path)
        key = article.ref.key
        views = f" | View count: {served.view_count}" if served.view_count is not None else ""
        modified = (
            f'<div class="assetModifiedDate block_timer">Ng&agrave;y c&#7853;p nh&#7853;t {liferay_date(updated)}'
            "</div>"
            if updated
            else ""
        )
        slug = article.ref.category
        name = self.category_name(slug)
        published = f'<div class="assetPublishDate block_timer">Ngày đăng {liferay_date(article.ref.published_at)}{views}</div>'
        heading = f'<div class="asset-full-content-title">{self.text(served.title, key, "title")}</div>'
        # some themes print the date above the title
        top = f"{published}\n{heading}" if bucket(key, "date-above") < 25 else f"{heading}\n{published}"
        main = f"""<div class="asset-publisher-header"><h2 class="header-title">{entity_encode(name)}</h2></div>
<ul class="breadcrumbs breadcrumbs-horizontal lfr-component"><li class="first"><a href="{HOME}">Trang ch&#7911;</a></li>
<li class="last"><a href="{HOME}/{slug}">{entity_encode(name)}</a></li></ul>
<div class="asset-full-content default-asset-publisher show-asset-title">
{top}
{modified}
<div class="asset-content"><div class="journal-content-article">
{self.body(served, key)}
</div></div>
{self._author(served)}
{self._tags(served)}
<div class="taglib-social-bookmarks">{share_buttons(url, served.title)}
<a href="javascript:window.print();" class="taglib-icon print">Print</a></div>
{self._links(article, today)}
{self._others(article, today)}
</div>"""
        head = (
            f'<link rel="canonical" href="{attr(url)}" />\n'
            f'<meta content="{attr(served.lead or served.title)}" lang="en-US" name="description" />'
        )
        # the layout's name (the category) stands in <title> where the portlet does not set the asset's
        page_title = name if bucket(key, "layout-title") < 33 else served.title
        body = self.shell(f"{page_title} - {self.site.name}", main, self.most_viewed(today), today, head, bar=name)
        return Page(200, body, HTML, updated or article.ref.published_at)

    def body(self, served: Article, key: str) -> str:
        """The journal article as its editors left it: the lead in `<p><strong><p>`, stray and unclosed tags."""
        parts = []
        if served.lead:
            parts.append(f"<p><strong><p>{self.text(served.lead, key, 'lead')}</p></strong></p>")
        for n, block in enumerate(served.blocks):
            parts.append(self._block(block, key, n))
        return "\n".join(parts)

    def _block(self, block: Block, key: str, n: int) -> str:
        if block.kind == "img" and block.image is not None:
            html = (
                f'<p style="text-align: center;"><img alt="" src="{attr(block.image.src)}"'
                ' style="width: 600px; height: 400px;" /></p>'
            )
            if block.image.caption:
                html += f'\n<p style="text-align: center;"><em>{self.text(block.image.caption, key, n)}</em></p>'
            return html
        text = self.text(block.text, key, n)
        if block.kind == "h":
            return f"<p><strong>{text}</strong></p>"
        quirk = bucket(key, n, "nest", modulo=10)
        if quirk == 0:
            return f'<p style="text-align: justify;">{text}</p></p>'  # stray end tag
        if quirk == 1:
            return f'<p style="text-align: justify;"><span style="font-size:14px;">{text}</p>'  # never closed
        if quirk == 2:
            return f'<p style="text-align: justify;">{text}'  # paragraph left open
        return f'<p style="text-align: justify;">{text}</p>'

    def _author(self, served: Article) -> str:
        lines = []
        if served.authors:
            lines.append(f'<p class="view-content-author">{self.text(", ".join(served.authors), "au")}</p>')
        if served.photographers:
            lines.append(f'<p class="view-content-photo">&#7842;nh: {esc(", ".join(served.photographers))}</p>')
        if served.origin:
            lines.append(f'<p class="view-content-source">Ngu&#7891;n: {esc(served.origin)}</p>')
        return "\n".join(lines)

    def _tags(self, served: Article) -> str:
        if not served.tags:
            return ""
        links = " ".join(
            f'<a class="tag" href="{HOME}/search?tag={quote_plus(t)}">{entity_encode(t)}</a>' for t in served.tags
        )
        return f'<div class="taglib-asset-tags-summary"><span class="tag-label">Tags:</span> {links}</div>'

    def _links(self, article: Article, today: date) -> str:
        """"Tin liên quan": related assets, each title an `<h3>`."""
        rows = "".join(
            f'<li><h3 class="asset-title"><a href="{attr(self.href(a, "links"))}">{self.title_html(a)}</a></h3></li>'
            for a in (self.load(r, today) for r in self.newer_in_category(article, today, 3))
        )
        return f'<div class="asset-links"><h2 class="asset-links-title">Tin li&ecirc;n quan</h2><ul>{rows}</ul></div>'

    def _others(self, article: Article, today: date) -> str:
        items = self.related_items(self.older_in_category(article, today, 6), today, "others", " ({})")
        return f'<div class="other-asset"><h4>C&aacute;c tin kh&aacute;c</h4><ul>{items}</ul></div>'

    def most_viewed(self, today: date) -> str:
        """"Tin đọc nhiều": the five most-viewed of the latest thirty (a block extractors must drop)."""
        recent = [self.load(r, today) for r in self.refs(today)[:30]]
        top = sorted(recent, key=lambda a: (-(a.view_count or 0), a.ref.key))[:5]
        rows = "".join(
            f'<li><a href="{attr(self.href(a, "most-viewed"))}">{self.title_html(a)}</a></li>'
            for a in top
        )
        return (
            '<div class="portlet-boundary portlet-most-viewed"><h2 class="portlet-title">'
            f'Tin &#273;&#7885;c nhi&#7873;u</h2><ul>{rows}</ul></div>'
        )

    # -- listings ------------------------------------------------------------------------------------

    def _abstract(self, ref: ArticleRef, today: date, where: str) -> str:
        article = self.load(ref, today)
        href = attr(self.href(article, where))
        image = (
            f'<div class="asset-small-image"><img class="asset-small-image" src="{attr(article.images[0].src)}"'
            ' width="150" /></div>'
            if article.images
            else ""
        )
        summary = entity_encode(article.lead) if article.lead else ""
        return f"""<div class="asset-abstract">
<h3 class="asset-title"><a href="{href}">{self.title_html(article)}</a></h3>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{dmy(ref.published_at.date())}</span></div>
<div class="asset-content">{image}<div class="asset-summary">{summary}</div>
<div class="asset-more"><a href="{href}">Xem th&ecirc;m &raquo;</a></div></div>
</div>"""

    def listing(self, slug: str, number: int, today: date) -> Page | None:
        window = self.listing_window(slug, number, today)
        if window is None:
            return None
        items, total = window
        name = self.category_name(slug)
        rows = "\n".join(self._abstract(r, today, f"list-{slug}") for r in items)
        main = (
            f'<h1 class="portlet-title">{entity_encode(name)}</h1>\n{rows}\n'
            f'{pager(number, total, lambda n: self.listing_path(slug, n), css="taglib-page-iterator")}'
        )
        body = self.shell(f"{name} - {self.site.name}", main, self.most_viewed(today), today)
        return Page(200, body, HTML, newest_change(items, today))

    def home(self, today: date) -> Page:
        refs = self.refs(today)
        sections = []
        for category in self.site.categories:
            rows = "\n".join(
                self._abstract(r, today, f"home-{category.slug}") for r in self.refs(today, category.slug)[:5]
            )
            sections.append(
                f'<section class="home-block"><h2><a href="{HOME}/{category.slug}">{entity_encode(category.name)}'
                f"</a></h2>\n{rows}</section>"
            )
        body = self.shell(self.site.name, "\n".join(sections), self.most_viewed(today), today)
        return Page(200, body, HTML, newest_change(refs[:1], today))

