"""The newer families (ASP.NET WebForms portal, captions-in-tables paper, page-clock paper) and the portal
chrome of the Liferay and SharePoint families, called directly (no HTTP) like tests/test_replica_render.py."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from replica.families import Page, renderer_for
from replica.families.clock import clock_date, page_clock
from replica.families.tablecaps import tablecaps_date
from replica.families.webforms import webforms_date
from replica.model import Article
from replica.paths import ARTICLE_URL_PATTERN, key_from_path
from replica.world import World, WorldConfig

PORT = 8123
NEW = ("quangnamgov", "baocaobang", "baobinhthuan")
_ID = "ctl00_ContentPlaceHolder1_ctl00_"


@pytest.fixture(scope="module")
def world() -> World:
    return World(WorldConfig(per_day=6, days=5))


def get(world: World, site_id: str, url: str, today: date) -> Page:
    parts = urlsplit(url)
    renderer = renderer_for(world.site(site_id), world, PORT)
    return renderer.page(parts.path, parse_qs(parts.query, keep_blank_values=True), today)


def html(page: Page) -> lxml.html.HtmlElement:
    assert page.status == 200, page.body[:300]
    return lxml.html.fromstring(page.body)


def text(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def key_of(world: World, site_id: str, href: str) -> str:
    site = world.site(site_id)
    path = urlsplit(urljoin(site.base_url(PORT) + "/", href)).path.rstrip("/")
    assert re.search(ARTICLE_URL_PATTERN[site.family], path), href
    key = key_from_path(path)
    assert key is not None, href
    return key


def an_article(world: World, site_id: str, today: date) -> Article:
    """A generated (not seed) article with a lead, an author and a captioned image."""
    return next(a for a in world.articles(site_id, today) if not a.ref.key.startswith("seed-") and a.lead
                and a.authors and a.images and a.images[0].caption)


def test_new_sites_are_small_and_on_their_own_addresses(world: World) -> None:
    today = world.config.end
    hosts = {s.host for s in world.sites}
    assert len(hosts) == len(world.sites) == 8
    big = len(world.refs("baohaiduong", today))
    for site_id in NEW:
        site = world.site(site_id)
        assert site.volume < 0.5
        assert 0 < len(world.refs(site_id, today)) < big / 2


def test_webforms_portal_has_generated_ids_viewstate_and_a_postback_pager(world: World) -> None:
    today = world.config.end
    article = an_article(world, "quangnamgov", today)
    page = get(world, "quangnamgov", article.path, today)
    doc = html(page)
    assert text(doc.cssselect("title")[0]) == world.site("quangnamgov").name  # only the portal's name
    assert doc.cssselect('meta[property="og:title"]')[0].get("content") == article.title
    assert text(doc.get_element_by_id(f"{_ID}lblTieuDe")) == article.title
    assert text(doc.get_element_by_id(f"{_ID}lblNgayDang")) == webforms_date(article)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} - \d\d:\d\d", webforms_date(article))
    assert text(doc.get_element_by_id(f"{_ID}lblTomTat")) == " ".join(article.lead.split())  # type: ignore[union-attr]
    content = doc.get_element_by_id(f"{_ID}lblNoiDung")
    assert content.tag == "span"
    captions = [text(p) for p in content.xpath("p[@style='text-align: center;'][em]")]
    assert captions == [i.caption for i in article.images if i.caption]
    assert doc.get_element_by_id("__VIEWSTATE").get("value")
    assert doc.cssselect("h1.ten-cong") and doc.cssselect("div.menu-left h2.menu-title")
    busy = World(WorldConfig(per_day=12, days=10))  # more than a page (10) in a category
    slug = busy.site("quangnamgov").categories[0].slug
    assert len(busy.refs("quangnamgov", busy.config.end, slug)) > 10
    listing = html(get(busy, "quangnamgov", f"/tin-tuc/{slug}/Default.aspx", busy.config.end))
    pager = listing.cssselect("div.pager a")
    assert pager and all(a.get("href").startswith("javascript:__doPostBack(") for a in pager)


def test_webforms_pager_is_a_sliding_window_its_postback_follows(world: World) -> None:
    """Page N of a listing is the form posted back with the pager control of N and the posted page's state;
    the numbered controls are positions in the window, so the same name stands for another page elsewhere."""
    busy = World(WorldConfig(per_day=12, days=45))
    site, today = busy.site("quangnamgov"), busy.config.end
    slug = site.categories[0].slug
    refs = busy.refs("quangnamgov", today, slug)
    assert len(refs) > 80  # nine pages and more: the window of five slides
    renderer = renderer_for(site, busy, PORT)
    path = f"/tin-tuc/{slug}/Default.aspx"
    doc = html(get(busy, "quangnamgov", path, today))
    [fourth] = [a for a in doc.cssselect("div.pager a") if "$ctl03$" in a.get("href")]
    assert text(fourth) == "4"  # on page 1 (window 1..5)
    for number in range(2, 8):
        [link] = [a for a in doc.cssselect("div.pager a") if text(a) == str(number)]
        target = re.fullmatch(r"javascript:__doPostBack\('([^']+)',''\)", link.get("href"))[1]  # type: ignore[index]
        state = doc.get_element_by_id("__VIEWSTATE").get("value")
        page = renderer.postback(path, {}, {"__EVENTTARGET": [target], "__VIEWSTATE": [state]}, today)
        assert page is not None
        doc = html(page)
        assert [key_of(busy, "quangnamgov", h) for h in doc.xpath("//div[@class='tin-item']/h4/a/@href")] == \
            [r.key for r in refs[(number - 1) * 10 : number * 10]]
        assert text(doc.cssselect("div.pager span.current")[0]) == str(number)
    assert "$ctl03$" in target  # on page 6 (window 4..8) the same control stands for page 7
    # an article page posted back renders as on GET; a GET-only family has no postback
    article = an_article(busy, "quangnamgov", today)
    assert renderer.postback(article.path, {}, {}, today) == renderer.page(article.path, {}, today)
    assert renderer_for(busy.site("baohaiduong"), busy, PORT).postback("/", {}, {}, today) is None


def test_webforms_feeds_and_first_listings_hold_every_visible_article(world: World) -> None:
    for today in (world.config.end, world.config.end - timedelta(days=2)):
        found: set[str] = set()
        for category in world.site("quangnamgov").categories:
            feed = lxml.etree.fromstring(get(world, "quangnamgov", f"/rss/{category.slug}.rss", today).body.encode())
            found |= {key_of(world, "quangnamgov", u) for u in feed.xpath("//item/link/text()")}
        assert found == {r.key for r in world.refs("quangnamgov", today)}


def test_tablecaps_paper_has_table_captions_misspelled_names_and_a_publisher_as_author(world: World) -> None:
    today = world.config.end
    article = an_article(world, "baocaobang", today)
    doc = html(get(world, "baocaobang", article.path, today))
    body = doc.get_element_by_id("cotent_detail")
    captions = [text(td) for td in body.xpath(".//table[@class='picBox']/tbody/tr[2]/td")]
    assert captions == [i.caption for i in article.images if i.caption]
    assert text(body.xpath("p[@style='text-align: right;']")[-1]) == ", ".join(article.authors)
    assert [text(p) for p in body.xpath("p[not(@style)]")] == list(article.paragraphs)
    assert text(doc.cssselect("div.sabo")[0]) == " ".join(article.lead.split())  # type: ignore[union-attr]
    assert doc.xpath("//div[@class='detail_info ']/span[@class='time']")[0].text == tablecaps_date(article)
    site = world.site("baocaobang").name
    assert doc.cssselect('meta[name="author"]')[0].get("content") == site
    ld = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert ld["author"] == {"@type": "Organization", "name": site} and ld["headline"] == article.title
    category = next(c.name for c in world.site("baocaobang").categories if c.slug == article.ref.category)
    assert text(doc.cssselect("h2.cate-title")[0]) == category and doc.cssselect("div.tin-lien-quan li h3 a")


def test_tablecaps_listings_page_with_next_links_over_every_visible_article(world: World) -> None:
    today = world.config.end
    keys = []
    for category in world.site("baocaobang").categories:
        url: str | None = f"/chuyen-muc/{category.slug}.html"
        while url is not None:
            doc = html(get(world, "baocaobang", url, today))
            keys += [key_of(world, "baocaobang", h) for h in doc.xpath("//ul[@class='list-news']/li/h3/a/@href")]
            nxt = doc.cssselect("a.next")
            url = urljoin(url, nxt[0].get("href")) if nxt else None
    assert sorted(keys) == sorted(r.key for r in world.refs("baocaobang", today))


def test_clock_paper_has_a_page_clock_a_worded_date_and_the_site_first_in_title(world: World) -> None:
    today = world.config.end
    article = an_article(world, "baobinhthuan", today)
    doc = html(get(world, "baobinhthuan", article.path, today))
    assert text(doc.get_element_by_id("today")) == page_clock(today)
    assert text(doc.cssselect("div.date_news")[0]) == clock_date(article)
    assert re.fullmatch(r"Ngày \d\d Tháng \d\d, \d{4} \| \d\d:\d\d", clock_date(article))
    name = world.site("baobinhthuan").name
    assert text(doc.cssselect("title")[0]) == f"{name} - {article.title}"
    assert text(doc.cssselect("h1.logo")[0]) == name.upper()
    assert text(doc.cssselect("div.title_news h2")[0]) == article.title
    info = doc.get_element_by_id("info_g")
    paragraphs = [text(p) for p in info.xpath("p[not(@style='text-align: center;')]") if text(p)]
    assert paragraphs == [" ".join(article.lead.split()), *article.paragraphs]  # type: ignore[union-attr]
    captions = [text(p) for p in info.xpath("p[@style='text-align: center;'][not(img)]")]
    assert captions == [i.caption for i in article.images if i.caption]


def test_clock_sitemap_holds_every_visible_article(world: World) -> None:
    today = world.config.end
    robots = get(world, "baobinhthuan", "/robots.txt", today).body
    entry = re.search(r"^Sitemap: (\S+)$", robots, re.M)
    assert entry is not None
    tree = lxml.etree.fromstring(get(world, "baobinhthuan", urlsplit(entry[1]).path, today).body.encode())
    locs = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert sorted(key_of(world, "baobinhthuan", u) for u in locs) == sorted(
        r.key for r in world.refs("baobinhthuan", today))


@pytest.mark.parametrize("site_id", NEW)
def test_new_families_show_tags_credits_404s_and_robots(world: World, site_id: str) -> None:
    today = world.config.end
    for article in world.articles(site_id, today)[:6]:
        shown = text(html(get(world, site_id, article.path, today)))
        for value in (*article.tags, *article.authors, *article.photographers):
            assert value in shown, (article.path, value)
    page = get(world, site_id, "/khong-co-trang-nay/abc-20990101-01.html", today)
    assert page.status == 404 and lxml.html.fromstring(page.body).cssselect(".footer, #footer")
    assert "Disallow: /admin/" in get(world, site_id, "/robots.txt", today).body


def test_liferay_article_carries_portal_chrome_around_a_div_title(world: World) -> None:
    today = world.config.end
    articles = [a for a in world.articles("ubndbacgiang", today) if not a.ref.key.startswith("seed-")]
    site = world.site("ubndbacgiang")
    titles = set()
    above = 0
    for article in articles:
        doc = html(get(world, "ubndbacgiang", article.path, today))
        category = next(c.name for c in site.categories if c.slug == article.ref.category)
        assert [text(h) for h in doc.xpath("//h1")] == [category]  # the portlet title bar, not the article
        assert text(doc.cssselect("div.asset-full-content-title")[0]) == article.title
        assert text(doc.cssselect("div.asset-publisher-header h2")[0]) == category
        assert doc.cssselect("div.dockbar h2") and doc.cssselect("div.portlet-navigation h3 a")
        assert doc.get_element_by_id("today") is not None and doc.cssselect("div.asset-links h2")
        titles.add(text(doc.cssselect("title")[0]).rsplit(" - ", 1)[0] == category)
        after_date = doc.cssselect("div.assetPublishDate")[0].getnext()
        above += after_date is not None and after_date.get("class") == "asset-full-content-title"
    assert titles == {True, False}  # some <title>s carry the layout's name (the category), some the article's
    assert 0 < above < len(articles)  # on some pages the date line stands above the title


def test_sharepoint_article_carries_a_page_title_h1_quick_launch_and_artcle_tools(world: World) -> None:
    today = world.config.end
    article = next(a for a in world.articles("haiduonggov", today) if not a.ref.key.startswith("seed-"))
    doc = html(get(world, "haiduonggov", article.path, today))
    category = next(c.name for c in world.site("haiduonggov").categories if c.slug == article.ref.category)
    assert [text(h) for h in doc.xpath("//h1")] == [category, article.title]  # pageTitle first
    assert doc.cssselect("#sideNavBox h2.ms-quicklaunch-title") and doc.cssselect("#sideNavBox h3 a")
    assert doc.cssselect("h2.ms-webpart-titleText") and doc.get_element_by_id("today") is not None
    assert doc.cssselect("div.artcle-tools span.tandan-span-date-publish")  # the site's own spelling
