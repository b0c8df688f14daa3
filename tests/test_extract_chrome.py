"""The generic extractor on small hand-written pages around issue 11's rules: the title is the article's own
heading, never a portal's chrome (a menu, a portlet title bar, a breadcrumb, a category heading); a
publisher's or site's name is never the author of a page that names its writer."""

# ruff: noqa: E501 - the pages keep the line structure of real markup

from __future__ import annotations

from datetime import UTC, datetime

from transforms.extract import extract
from transforms.record import ArticleRecord

BODY = "".join(
    f'<p style="text-align: justify;">Đoạn {n}: UBND tỉnh chỉ đạo các sở, ngành tập trung triển khai đồng bộ '
    "các giải pháp phát triển kinh tế - xã hội, bảo đảm an sinh xã hội trên địa bàn tỉnh trong năm nay.</p>"
    for n in range(1, 6)
)

LIFERAY = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>Tin tức - Sự kiện - Cổng thông tin điện tử tỉnh Bắc Giang</title></head><body>
<div class="dockbar"><h2 class="dockbar-title">Quản trị</h2><ul><li><a href="/c/portal/login">Đăng nhập</a></li></ul></div>
<header id="banner"><div id="today">Thứ Tư, 02/12/2026</div></header>
<nav id="navigation"><ul><li><a href="/web/portal/tin-tuc-su-kien">Tin tức - Sự kiện</a></li></ul></nav>
<div class="portlet-boundary portlet-navigation"><header class="portlet-topper"><h2 class="portlet-title">Chuyên mục</h2></header>
<ul class="layouts"><li><h3 class="nav-heading"><a href="/web/portal/chi-dao">Chỉ đạo điều hành của tỉnh</a></h3></li></ul></div>
<div class="portlet-boundary portlet-asset-publisher">
<header class="portlet-topper"><h1 class="portlet-title"><span class="portlet-title-text">Tin tức - Sự kiện</span></h1></header>
<div class="asset-publisher-header"><h2 class="header-title">Tin tức - Sự kiện</h2></div>
<ul class="breadcrumbs"><li><a href="/web/portal">Trang chủ</a></li><li><a href="/web/portal/tin-tuc-su-kien">Tin tức - Sự kiện</a></li></ul>
<div class="asset-full-content">
<div class="assetPublishDate block_timer">Ngày đăng 21/11/2026 | 09:58 PM | View count: 591</div>
<div class="asset-full-content-title">Bế mạc Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ mười</div>
<div class="asset-content"><div class="journal-content-article">{BODY}</div></div>
<div class="asset-links"><h2 class="asset-links-title">Tin liên quan</h2><ul>
<li><h3 class="asset-title"><a href="/web/portal/x-1">Một tin khác cùng chuyên mục của cổng thông tin</a></h3></li></ul></div>
</div></div></body></html>"""


def test_liferay_title_is_the_article_heading_not_the_portlet_title_or_category() -> None:
    """<title>, the portlet title bar (the only <h1>), the publisher header and the breadcrumb all name the
    category; the article's heading is a div; its date line stands above it."""
    rec = extract(LIFERAY.encode(), "http://portal.example/web/portal/tin-tuc-su-kien/-/asset_publisher/x")
    assert isinstance(rec, ArticleRecord), rec
    assert rec.title == "Bế mạc Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ mười"
    assert rec.published_at == datetime(2026, 11, 21, 14, 58, tzinfo=UTC)  # 09:58 PM +07:00, not #today
    assert rec.view_count == 591
    assert len(rec.paragraphs) == 5 and "Tin liên quan" not in rec.body_text


def test_site_name_first_in_title_and_a_logo_h1_are_not_the_title() -> None:
    page = f"""<html><head><meta charset="utf-8"><title>Bình Thuận Online - Kỳ họp HĐND tỉnh xem xét nhiều nội dung</title>
</head><body><div id="header"><div id="today">Thứ Tư, ngày 02/12/2026</div>
<h1 class="logo"><a href="/">BÌNH THUẬN ONLINE</a></h1></div>
<h2 class="cat-name"><a href="/news/chinh-tri/">Chính trị</a></h2>
<div class="title_news"><h2>Kỳ họp HĐND tỉnh xem xét nhiều nội dung</h2></div>
<div class="date_news">Ngày 04 Tháng 11, 2026 | 09:15</div>
<div id="info_g">{BODY}</div></body></html>"""
    rec = extract(page.encode(), "http://paper.example/news/chinh-tri/x.html")
    assert isinstance(rec, ArticleRecord), rec
    assert rec.title == "Kỳ họp HĐND tỉnh xem xét nhiều nội dung"
    assert rec.published_at == datetime(2026, 11, 4, 2, 15, tzinfo=UTC)  # the worded date, not the clock


def test_an_unlinked_headline_in_a_breadcrumb_is_still_the_title() -> None:
    """News sites put the article's <h1> as the breadcrumb's current item: only linked crumbs are chrome."""
    page = f"""<html><head><meta charset="utf-8"><title>Diese Grafiken zeigen es - WELT</title>
<meta property="og:title" content="Diese Grafiken zeigen es - WELT"></head><body>
<nav class="c-breadcrumb"><ol><li><a href="/wirtschaft/">Wirtschaft</a></li>
<li class="c-breadcrumb__item"><h1 class="c-breadcrumb__title">Diese Grafiken zeigen es</h1></li></ol></nav>
<article>{BODY}</article></body></html>"""
    rec = extract(page.encode(), "http://news.example/a.html")
    assert isinstance(rec, ArticleRecord), rec
    assert rec.title == "Diese Grafiken zeigen es"


PUBLISHER = """<html lang="vi"><head><meta charset="utf-8"><title>{title} - Báo Cao Bằng điện tử</title>
<meta name="author" content="Báo Cao Bằng điện tử">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{title}", "datePublished": "2026-11-21T11:38:00+07:00",
"author": {{"@type": "Organization", "name": "Báo Cao Bằng điện tử"}},
"publisher": {{"@type": "Organization", "name": "Báo Cao Bằng điện tử"}}}}</script></head><body>
<h1 class="title-detail">{title}</h1><div id="cotent_detail" class="text">{body}{byline}</div></body></html>"""
TITLE = "Hội nghị Ban Chấp hành Đảng bộ tỉnh cho ý kiến về nhiều nội dung"


def test_publisher_in_metadata_is_no_author_when_the_text_names_the_writer() -> None:
    byline = '<p style="text-align: right;"><strong>Tuấn Linh, Văn Long</strong></p>'
    page = PUBLISHER.format(title=TITLE, body=BODY, byline=byline)
    rec = extract(page.encode(), "http://paper.example/thoi-su/x.html")
    assert isinstance(rec, ArticleRecord), rec
    assert rec.authors == ("Tuấn Linh", "Văn Long")
    assert "Tuấn Linh" not in rec.body_text


def test_publisher_in_metadata_stays_the_author_when_no_writer_is_named() -> None:
    """Nothing is lost: with no person named, the publisher the metadata gives is what the page says."""
    page = PUBLISHER.format(title=TITLE, body=BODY, byline="")
    rec = extract(page.encode(), "http://paper.example/thoi-su/x.html")
    assert isinstance(rec, ArticleRecord), rec
    assert rec.authors == ("Báo Cao Bằng điện tử",)
