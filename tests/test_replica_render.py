"""The family renderers, called directly (no HTTP): their markup quirks, and complete, time-true discovery.

Each test reads like a use of `renderer_for(site, world, port).page(path, query, today)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from replica.families import Page, Renderer, renderer_for
from replica.families.formats import (
    dmy,
    liferay_date,
    newspaper_clock,
    newspaper_date,
    party_clock,
    party_date,
    sharepoint_date,
    thousands_comma,
    tv_date,
    weekday_number,
)
from replica.model import Article
from replica.paths import ARTICLE_URL_PATTERN, key_from_path
from replica.world import World, WorldConfig

PORT = 8123  # renderers only print it into absolute links; nothing listens


@pytest.fixture(scope="module")
def world() -> World:
    return World(WorldConfig(per_day=3, days=5))


def renderer(world: World, site_id: str) -> Renderer:
    return renderer_for(world.site(site_id), world, PORT)


def get(world: World, site_id: str, url: str, today: date) -> Page:
    parts = urlsplit(url)
    return renderer(world, site_id).page(parts.path, parse_qs(parts.query, keep_blank_values=True), today)


def html(page: Page) -> lxml.html.HtmlElement:
    assert page.status == 200, page.body[:300]
    return lxml.html.fromstring(page.body)


def text(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def article_page(world: World, site_id: str, key: str, today: date) -> tuple[Article, Page]:
    article = world.article(site_id, key)
    return article, get(world, site_id, article.path, today)


def older_than_today(world: World, site_id: str, today: date) -> Article:
    """An article published before `today`, so the page clock and the publication date differ."""
    refs = world.refs(site_id, today)
    ref = next(r for r in refs if r.published_at.date() < today and r.updated_at is None)
    return world.article(site_id, ref.key)


def body_paragraphs(article: Article) -> list[str]:
    return [" ".join(p.split()) for p in article.paragraphs]


# -- newspaper (OneCMS) ------------------------------------------------------------------------------


def test_newspaper_article_has_onecms_markup_json_ld_and_captions_in_tables(world: World) -> None:
    today = world.config.end
    article = older_than_today(world, "baohaiduong", today)
    doc = html(get(world, "baohaiduong", article.path, today))
    base = world.site("baohaiduong").base_url(PORT)

    assert text(doc.cssselect("h1")[0]) == article.title
    fck = doc.cssselect("div.fck")[0]
    paragraphs = [text(p) for p in fck.cssselect("p")]
    assert paragraphs == body_paragraphs(article)
    captions = [text(td) for td in fck.cssselect("table.image td.image_desc")]
    assert captions == [i.caption for i in article.images if i.caption]
    assert len(fck.cssselect("table.image img")) == len(article.images)
    if article.lead:
        assert text(doc.cssselect(".sapo")[0]) == article.lead

    assert doc.cssselect('link[rel="canonical"]')[0].get("href") == base + article.path
    published = article.ref.published_at.isoformat()
    assert published.endswith("+07:00")
    assert doc.cssselect('meta[property="article:published_time"]')[0].get("content") == published
    ld = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == published == ld["dateModified"]

    assert text(doc.cssselect("span.date")[0]) == newspaper_date(article.ref.published_at)
    assert re.fullmatch(r"Thứ \w+, \d\d/\d\d/\d{4} - \d\d:\d\d", newspaper_date(article.ref.published_at))
    clock = text(doc.cssselect(".header-top .clock")[0])
    assert clock == newspaper_clock(today) and dmy(article.ref.published_at.date()) not in clock
    for furniture in ("Phản hồi", "Các tin khác", "Mới nhất", "In bài", "Chia sẻ"):
        assert furniture in page_text(doc)
    assert doc.cssselect("form[action='/binh-luan/gui'] textarea")
    assert doc.cssselect("style") and any("gtag" in (s.text or "") for s in doc.cssselect("script"))


def page_text(doc: lxml.html.HtmlElement) -> str:
    return text(doc)


def test_newspaper_redirects_article_variants_to_the_canonical_url(world: World) -> None:
    today = world.config.end
    article = world.articles("baohaiduong", today)[0]
    page = get(world, "baohaiduong", article.path + "/", today)
    assert page.status == 301
    assert page.location == world.site("baohaiduong").base_url(PORT) + article.path


def test_newspaper_sitemap_index_lists_monthly_and_news_sitemaps(world: World) -> None:
    today = world.config.end
    index = xml(get(world, "baohaiduong", "/sitemap.xml", today))
    locs = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert any(loc.endswith("/sitemaps/news.xml") for loc in locs)
    assert any(re.search(r"/sitemaps/2026-11\.xml$", loc) for loc in locs)
    assert any(re.search(r"/sitemaps/2021-\d\d\.xml$", loc) for loc in locs), "seed months are listed too"
    assert all(lm.endswith("+07:00") for lm in index.xpath("//s:lastmod/text()", namespaces=NS))

    news = xml(get(world, "baohaiduong", "/sitemaps/news.xml", today))
    news_keys = {key_from_path(urlsplit(u).path) for u in news.xpath("//s:loc/text()", namespaces=NS)}
    yesterday = today - timedelta(days=1)
    recent = {r.key for r in world.refs("baohaiduong", today) if r.published_at.date() >= yesterday}
    assert news_keys == recent and recent
    assert news.xpath("//n:publication_date/text()", namespaces=NS)[0].endswith("+07:00")

    robots = get(world, "baohaiduong", "/robots.txt", today).body
    assert f"Sitemap: {world.site('baohaiduong').base_url(PORT)}/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


def test_newspaper_rss_per_category_has_the_latest_twenty_and_is_linked_from_head(world: World) -> None:
    today = world.config.end
    doc = html(get(world, "baohaiduong", "/chinh-tri/", today))
    feeds = [link.get("href") for link in doc.cssselect('link[rel="alternate"][type="application/rss+xml"]')]
    assert "/rss/chinh-tri.rss" in feeds
    channel = xml(get(world, "baohaiduong", "/rss/chinh-tri.rss", today))
    links = channel.xpath("//item/link/text()")
    expected = [r.key for r in world.refs("baohaiduong", today, "chinh-tri")[:20]]
    assert [key_from_path(urlsplit(u).path) for u in links] == expected
    assert all(u.startswith("http://127.0.0.2:") for u in links)


# -- party portal ------------------------------------------------------------------------------------


def test_party_article_has_dates_font_widget_author_and_other_articles(world: World) -> None:
    today = world.config.end
    article, page = article_page(world, "tinhuyhaiduong", "seed-004", today)
    doc = html(page)
    body = page_text(doc)
    assert party_date(article.ref.published_at) == "Thứ Bảy 06/03/2021 17:49"
    assert text(doc.cssselect(".news-date")[0]).startswith("Thứ Bảy 06/03/2021 17:49")
    assert text(doc.cssselect(".date-time")[0]) == party_clock(today)
    assert re.fullmatch(r"(Thứ \w+|Chủ nhật), ngày \d{1,2}/\d{1,2}/\d{4}", party_clock(today))
    assert "Xem với cỡ chữ" in body and "CÁC BÀI VIẾT KHÁC:" in body
    trailer = f"{', '.join(article.authors)}- {article.author_org}"
    assert trailer == "Đình Bộ- VPTU"
    content = [text(p) for p in doc.cssselect("#news-content p")]
    assert trailer in content
    assert [p for p in content if p in body_paragraphs(article)] == body_paragraphs(article)
    assert doc.cssselect('link[rel="canonical"]')[0].get("href").endswith(article.path)


def test_party_has_no_feed_and_no_sitemap(world: World) -> None:
    today = world.config.end
    assert "Sitemap" not in get(world, "tinhuyhaiduong", "/robots.txt", today).body
    assert get(world, "tinhuyhaiduong", "/sitemap.xml", today).status == 404
    assert get(world, "tinhuyhaiduong", "/rss/tin-hoat-dong.rss", today).status == 404


# -- Liferay -----------------------------------------------------------------------------------------


def test_liferay_article_has_entities_invalid_nesting_and_liferay_classes(world: World) -> None:
    today = world.config.end
    article = older_than_today(world, "ubndbacgiang", today)
    page = get(world, "ubndbacgiang", article.path, today)
    raw = page.body
    assert '<html class="ltr" dir="ltr" lang="en-US">' in raw
    assert "charset=windows-1258" in raw
    assert re.search(r"&(ocirc|agrave|aacute|ecirc);|&#\d{3,4};", raw), "letters written as entities"
    if article.lead:
        assert "<p><strong><p>" in raw
    doc = html(page)
    assert text(doc.cssselect("div.asset-full-content-title")[0]) == article.title
    stamp = text(doc.cssselect("div.assetPublishDate.block_timer")[0])
    assert stamp == f"Ngày đăng {liferay_date(article.ref.published_at)} | View count: {article.view_count}"
    assert re.fullmatch(r"Ngày đăng \d\d/\d\d/\d{4} \| \d\d:\d\d [AP]M \| View count: \d+", stamp)
    journal = text(doc.cssselect("div.journal-content-article")[0])
    for paragraph in body_paragraphs(article):
        assert paragraph in journal
    assert text(doc.cssselect("p.view-content-author")[0]) == ", ".join(article.authors)
    assert "Tin đọc nhiều" in page_text(doc)


def test_liferay_serves_session_and_slash_variants_of_article_links(world: World) -> None:
    today = world.config.end
    hrefs = [h for path in listing_pages(world, "ubndbacgiang", today) for h in html(
        get(world, "ubndbacgiang", path, today)).xpath("//div[@class='asset-abstract']//h3/a/@href")]
    assert any(";jsessionid=" in h for h in hrefs) and any("_jsessionid=" in h for h in hrefs)
    for href in hrefs:
        assert get(world, "ubndbacgiang", urljoin("/", href), today).status == 200, href


def test_liferay_listing_summaries_are_written_in_entities(world: World) -> None:
    today = world.config.end
    raw = get(world, "ubndbacgiang", "/web/portal/tin-tuc-su-kien", today).body
    summaries = re.findall(r'<div class="asset-summary">(.*?)</div>', raw)
    assert summaries and all(not re.search(r"[^\x00-\x7f]", s) for s in summaries)


# -- SharePoint --------------------------------------------------------------------------------------


def test_sharepoint_article_has_aspnet_furniture_update_line_origin_and_lists(world: World) -> None:
    today = world.config.end
    article, page = article_page(world, "haiduonggov", "seed-000", today)
    raw = page.body
    assert "charset" not in raw.lower(), "this site declares no charset anywhere"
    assert '<form method="post"' in raw and 'id="aspnetForm"' in raw and "__VIEWSTATE" in raw
    doc = html(page)
    assert text(doc.cssselect(".news-date")[0]) == "Cập nhật: 06/04/2023 08:46:40 PM"
    assert sharepoint_date(article.ref.published_at) == "06/04/2023 08:46:40 PM"
    assert text(doc.cssselect(".news-source")[0]) == "Nguồn Báo điện tử Hải Dương"
    body = page_text(doc)
    for furniture in ("LIÊN KẾT WEBSITE", "Các tin mới hơn", "Các bài liên quan", "Quay lại", "Xem tiếp"):
        assert furniture in body
    assert re.search(r"\(\d\d/\d\d/\d{4}\)", text(doc.cssselect(".newer")[0]))
    assert [text(p) for p in doc.cssselect(".news-content > p")] == body_paragraphs(article)


def test_sharepoint_sitemap_is_named_only_in_robots(world: World) -> None:
    today = world.config.end
    robots = get(world, "haiduonggov", "/robots.txt", today).body
    sitemap = re.search(r"^Sitemap: (\S+)$", robots, re.M)
    assert sitemap is not None and not sitemap[1].endswith("/sitemap.xml")
    assert get(world, "haiduonggov", "/sitemap.xml", today).status == 404
    path = urlsplit(sitemap[1]).path
    for page_path in ["/Pages/default.aspx", *listing_pages(world, "haiduonggov", today)]:
        assert path not in get(world, "haiduonggov", page_path, today).body


# -- TV ----------------------------------------------------------------------------------------------


def test_tv_article_has_clock_date_views_video_and_trailing_credits(world: World) -> None:
    today = world.config.end
    article, page = article_page(world, "thaibinhtv", "seed-001", today)
    doc = html(page)
    assert text(doc.cssselect(".detail-meta .time")[0]) == tv_date(article.ref.published_at)
    assert tv_date(article.ref.published_at) == "Thứ 3, 04/04/2023 | 16:10:37"
    clock = text(doc.cssselect(".top-bar .clock")[0])
    assert re.fullmatch(rf"{weekday_number(today)}, {re.escape(dmy(today))}, \d\d:\d\d\[GMT\+7\]", clock)
    assert article.view_count is not None
    assert text(doc.cssselect(".views")[0]) == f"{thousands_comma(article.view_count)} lượt xem"
    assert "20,037 lượt xem" in page.body
    source = doc.cssselect("video source")[0].get("src")
    assert source.endswith("040423_-_TAO_DU_DIA_PHAT_TRIEN_MOI.mp4?_t=1680602602")
    content = [text(p) for p in doc.cssselect(".detail-content > p")]
    assert content[-2:] == ["Đào Quyên", "Ảnh: Thành Tâm"]
    assert "Tin cùng chuyên mục" in page_text(doc) and "Xem tin theo ngày" in page_text(doc)


def test_tv_images_are_lazy_with_captions_in_figures(world: World) -> None:
    today = world.config.end
    article = next(a for a in world.articles("thaibinhtv", today) if a.images)
    doc = html(get(world, "thaibinhtv", article.path, today))
    figures = doc.cssselect(".detail-content figure")
    assert [f.cssselect("img")[0].get("data-src") for f in figures] == [i.src for i in article.images]
    captions = [text(f.cssselect("figcaption")[0]) for f in figures if f.cssselect("figcaption")]
    assert captions == [i.caption for i in article.images if i.caption]


# -- every family ------------------------------------------------------------------------------------

SITES = ("baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv")
TITLE = ".asset-full-content-title, h1:not(.portlet-title):not(.ms-core-pageTitle)"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
LISTING_LINKS = {
    "baohaiduong": "//ul[contains(@class,'list-news')]/li/h4/a/@href",
    "tinhuyhaiduong": "//div[@class='news-list']//a[@class='title']/@href",
    "ubndbacgiang": "//div[@class='asset-abstract']/h3[@class='asset-title']/a/@href",
    "haiduonggov": "//div[@class='news-list']//h3/a/@href",
    "thaibinhtv": "//div[@class='story-list']//h3/a/@href",
}
FIRST_LISTING = {
    "baohaiduong": "/{cat}/",
    "tinhuyhaiduong": "/{cat}",
    "ubndbacgiang": "/web/portal/{cat}",
    "haiduonggov": "/{cat}/Pages/default.aspx",
    "thaibinhtv": "/tin-tuc/{cat}/",
}


def xml(page: Page) -> lxml.etree._Element:
    assert page.status == 200, page.body[:300]
    return lxml.etree.fromstring(page.body.encode("utf-8"))


def listing_pages(world: World, site_id: str, today: date) -> Iterator[str]:
    """Every listing page of every category, found by following each page's `next` link."""
    for category in world.site(site_id).categories:
        url: str | None = FIRST_LISTING[site_id].format(cat=category.slug)
        seen: set[str] = set()
        while url is not None:
            assert url not in seen, f"pagination loops at {url}"
            seen.add(url)
            yield url
            nxt = html(get(world, site_id, url, today)).cssselect("a.next")
            url = urljoin(url, nxt[0].get("href")) if nxt else None


def article_key(world: World, site_id: str, href: str) -> str:
    """What a crawler does to a link: resolve, drop query/fragment/session/trailing slash, read the key."""
    site = world.site(site_id)
    parts = urlsplit(urljoin(site.base_url(PORT) + "/", href))
    assert parts.netloc == f"{site.host}:{PORT}", href
    path = parts.path.split(";", 1)[0].rstrip("/")
    assert re.search(ARTICLE_URL_PATTERN[site.family], path), href
    key = key_from_path(path)
    assert key is not None, href
    return key


def listed_keys(world: World, site_id: str, today: date) -> list[str]:
    keys = []
    for url in listing_pages(world, site_id, today):
        hrefs = html(get(world, site_id, url, today)).xpath(LISTING_LINKS[site_id])
        keys += [article_key(world, site_id, h) for h in hrefs]
    return keys


@pytest.mark.parametrize("site_id", SITES)
def test_listings_hold_exactly_the_visible_articles_newest_first(world: World, site_id: str) -> None:
    for today in (world.config.end, world.config.end - timedelta(days=2)):
        keys = listed_keys(world, site_id, today)
        assert sorted(keys) == sorted(r.key for r in world.refs(site_id, today)), today
        for category in world.site(site_id).categories:
            in_cat = [k for k in keys if world.article(site_id, k).ref.category == category.slug]
            assert in_cat == [r.key for r in world.refs(site_id, today, category.slug)]


def sitemap_keys(world: World, site_id: str, url: str, today: date) -> list[str]:
    tree = xml(get(world, site_id, url, today))
    if tree.tag.endswith("sitemapindex"):
        return [k for loc in tree.xpath("//s:loc/text()", namespaces=NS)
                if not loc.endswith("news.xml") for k in sitemap_keys(world, site_id, loc, today)]
    return [article_key(world, site_id, loc) for loc in tree.xpath("//s:loc/text()", namespaces=NS)]


@pytest.mark.parametrize("site_id", ["baohaiduong", "haiduonggov"])
def test_sitemaps_hold_exactly_the_visible_articles(world: World, site_id: str) -> None:
    for today in (world.config.end, world.config.start + timedelta(days=1)):
        robots = get(world, site_id, "/robots.txt", today).body
        entry = re.search(r"^Sitemap: (\S+)$", robots, re.M)
        assert entry is not None
        keys = sitemap_keys(world, site_id, urlsplit(entry[1]).path, today)
        assert sorted(keys) == sorted(r.key for r in world.refs(site_id, today))


def test_future_articles_are_hidden_everywhere(world: World) -> None:
    early = world.config.start
    for site_id in SITES:
        future = [r for r in world.refs(site_id, world.config.end) if r.published_at.date() > early]
        assert future
        article = world.article(site_id, future[0].key)
        assert get(world, site_id, article.path, early).status == 404
        assert get(world, site_id, article.path, world.config.end).status == 200
        assert not {r.key for r in future} & set(listed_keys(world, site_id, early))
    channel = xml(get(world, "thaibinhtv", "/rss/thoi-su.rss", early))
    feed_keys = [article_key(world, "thaibinhtv", u) for u in channel.xpath("//item/link/text()")]
    assert feed_keys == [r.key for r in world.refs("thaibinhtv", early, "thoi-su")[:20]]


def test_a_revision_shows_only_once_due() -> None:
    world = World(WorldConfig(per_day=3, days=5, edit_rate=0.5))
    for site_id in SITES:
        ref = next(r for r in world.refs(site_id, world.config.end) if r.updated_at is not None)
        assert ref.updated_at is not None
        article = world.article(site_id, ref.key)
        before = get(world, site_id, article.path, ref.updated_at.date() - timedelta(days=1))
        after = get(world, site_id, article.path, ref.updated_at.date())
        assert before.last_modified == ref.published_at and after.last_modified == ref.updated_at
        revised = article.as_of(ref.updated_at.date())
        assert revised.revision is not None
        doc = lxml.html.fromstring(after.body)
        # the article's own heading, not the portal's chrome h1s (portlet title bar, SharePoint page title)
        assert text(doc.cssselect(TITLE)[0]) == revised.title
        if site_id == "baohaiduong":
            ld = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
            assert ld["dateModified"] == ref.updated_at.isoformat()
            assert "article:modified_time" not in before.body and "Cập nhật:" not in before.body


@pytest.mark.parametrize("site_id", SITES)
def test_unknown_paths_get_a_real_404_page_with_furniture(world: World, site_id: str) -> None:
    page = get(world, site_id, "/khong-co-trang-nay/abc-20990101-01.html", world.config.end)
    assert page.status == 404 and page.content_type == "text/html"
    doc = lxml.html.fromstring(page.body)
    assert doc.cssselect("footer, #footer, .footer") and len(doc.xpath("//a")) > 3


@pytest.mark.parametrize("site_id", SITES)
def test_robots_and_canonical_links(world: World, site_id: str) -> None:
    today = world.config.end
    assert "Disallow: /admin/" in get(world, site_id, "/robots.txt", today).body
    article = world.articles(site_id, today)[-1]  # a seed article
    doc = html(get(world, site_id, article.path, today))
    canonical = doc.cssselect('link[rel="canonical"]')[0].get("href")
    assert canonical == world.site(site_id).base_url(PORT) + article.path


def test_links_come_in_the_variants_a_crawler_must_canonicalise(world: World) -> None:
    today = world.config.end
    hrefs = [h for url in listing_pages(world, "baohaiduong", today)
             for h in html(get(world, "baohaiduong", url, today)).xpath("//a/@href")]
    hrefs += xml(get(world, "baohaiduong", "/rss/home.rss", today)).xpath("//item/link/text()")
    assert any(h.startswith("/") and "?" not in h and "#" not in h and key_from_path(h) for h in hrefs)
    assert any(h.startswith("http://127.0.0.2:") and key_from_path(urlsplit(h).path) for h in hrefs)
    assert any("utm_source=" in h for h in hrefs)
    assert any(h.endswith("#comments") for h in hrefs)
    assert any("utm_source=rss&utm_medium=feed" in h for h in hrefs)


def test_page_sizes_are_bounded_and_last_modified_follows_the_items(world: World) -> None:
    today = world.config.end
    for site_id in SITES:
        for url in listing_pages(world, site_id, today):
            page = get(world, site_id, url, today)
            keys = [article_key(world, site_id, h) for h in html(page).xpath(LISTING_LINKS[site_id])]
            assert 1 <= len(keys) <= 20
            newest = max(world.article(site_id, k).ref.published_at for k in keys)
            assert page.last_modified is not None and page.last_modified >= newest


BODY_PARAGRAPHS = {
    # Paragraph and subheading nodes of the article body, in reading order, with each family's furniture
    # (centered image/caption paragraphs, right-aligned credits, the Liferay lead) left out.
    "baohaiduong": "//div[@class='fck']/p",
    "tinhuyhaiduong": "//div[@id='news-content']/p"
    "[not(contains(@style,'center') or contains(@style,'right'))]",
    "ubndbacgiang": "//div[@class='journal-content-article']/p[not(contains(@style,'center'))]",
    "haiduonggov": "//div[contains(@class,'news-content')]/p",
    "thaibinhtv": "//div[@class='detail-content']/*[self::p or self::h3][not(contains(@style,'right'))]",
}


@pytest.mark.parametrize("site_id", SITES)
def test_every_article_body_parses_back_to_its_paragraphs(world: World, site_id: str) -> None:
    """Despite entities, invalid nesting and furniture, lxml reads each body back in order."""
    today = world.config.end
    for article in world.articles(site_id, today):
        doc = html(get(world, site_id, article.path, today))
        found = [t for t in (text(p) for p in doc.xpath(BODY_PARAGRAPHS[site_id])) if t]
        if site_id == "ubndbacgiang" and article.lead:
            assert found[0] == " ".join(article.lead.split())
            found = found[1:]
        copied = article.republished_from  # a portal's copy ends its body with its source line, if any
        line = [copied.line] if copied is not None and copied.line else []
        assert found == body_paragraphs(article) + line, article.path


@pytest.mark.parametrize("site_id", SITES)
def test_article_pages_show_category_tags_and_credits_of_the_gold_record(world: World, site_id: str) -> None:
    today = world.config.end
    for article in world.articles(site_id, today)[:6]:
        shown = page_text(html(get(world, site_id, article.path, today)))
        category = world.site(site_id).categories
        assert next(c.name for c in category if c.slug == article.ref.category) in shown
        for value in (*article.tags, *article.authors, *article.photographers):
            assert value in shown, (article.path, value)
        if article.origin:
            assert article.origin in shown
