"""The replica's data model: what a site is, what an article is, and what its gold record says.

Everything here is plain frozen data. The generator (`replica.world`, `replica.content`) makes it, the
renderers (`replica.families`) turn it into HTML, the server serves it, and `replica.gold` writes it out.
Gold records come from these objects, never from the rendered HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum


class Family(StrEnum):
    """CMS families seen on real provincial sites (docs/SOURCES.md)."""

    NEWSPAPER = "newspaper"  # OneCMS-like provincial newspaper, body in div.fck
    PARTY = "party"  # Party-committee portal
    LIFERAY = "liferay"  # People's-Committee portal, Liferay markup
    SHAREPOINT = "sharepoint"  # SharePoint portal that republishes a newspaper
    TV = "tv"  # provincial TV site
    WEBFORMS = "webforms"  # ASP.NET WebForms portal: ctl00_ ids, __VIEWSTATE, postback pager
    TABLECAPS = "tablecaps"  # newspaper with captions in tables, misspelled ids, publisher-as-author metadata
    CLOCK = "clock"  # newspaper with a #today page clock and a worded date line


class Discovery(StrEnum):
    """How a site advertises its articles."""

    RSS_AND_LISTINGS = "rss+listings"
    SITEMAP_INDEX = "sitemap-index"  # sitemap index with monthly and news sitemaps
    LISTINGS_QUERY = "listings?page=N"
    LISTINGS_PATH = "listings/page/N"
    ROBOTS_SITEMAP = "robots-sitemap"  # sitemap declared only in robots.txt
    RSS_ONLY = "rss"  # RSS feeds; listings page only by postback (javascript:__doPostBack)
    SITEMAP = "sitemap"  # one plain sitemap.xml


class Charset(StrEnum):
    """How a site labels and encodes its bytes."""

    UTF8 = "utf-8"  # correct header and meta
    WINDOWS_1258 = "windows-1258"  # cp1258 bytes, correct header
    WRONG_HEADER = "wrong-header"  # UTF-8 bytes, header says ISO-8859-1
    MISSING = "missing"  # UTF-8 bytes, no charset anywhere


@dataclass(frozen=True)
class Category:
    slug: str
    name: str


@dataclass(frozen=True)
class Site:
    """One replica site. It is served on its own loopback address, 127.0.0.{host_index}."""

    id: str
    name: str
    family: Family
    discovery: Discovery
    charset: Charset
    nfd: bool  # serves Unicode NFD text
    host_index: int  # 2 → 127.0.0.2
    province: str  # as written on the site (pre-2025 unit)
    province_current: str  # the post-2025 province
    categories: tuple[Category, ...]
    republishes: str | None = None  # origin paper for a republishing portal
    volume: float = 1.0  # share of WorldConfig.per_day this site publishes (small sites keep test crawls short)

    @property
    def host(self) -> str:
        return f"127.0.0.{self.host_index}"

    def base_url(self, port: int) -> str:
        return f"http://{self.host}:{port}"


@dataclass(frozen=True)
class Official:
    """A named official with every position the article writes for them, joined by ", " in the order first
    written ("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy": two positions, split as the text splits them)."""

    name: str
    position: str

    @property
    def positions(self) -> tuple[str, ...]:
        return tuple(self.position.split(", "))


@dataclass(frozen=True)
class Document:
    text: str  # as written, e.g. "Nghị quyết số 20-NQ/TW"
    type: str  # "Nghị quyết"
    number: str  # "20-NQ/TW"
    issuer: str | None  # "Bộ Chính trị"
    date: date | None


@dataclass(frozen=True)
class Place:
    name: str  # as written
    province_current: str  # the post-2025 province it belongs to


@dataclass(frozen=True)
class Figure:
    text: str  # as written, e.g. "19.290 tỷ đồng"
    value: float  # 19290.0
    unit: str  # "tỷ đồng"


@dataclass(frozen=True)
class Meeting:
    """A meeting with an ordinal, as the text names it ("Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ tỉnh X
    khóa XVII"). The regular monthly sessions ("phiên họp thường kỳ tháng 3") have no ordinal and are not
    meetings here: they name no particular meeting a reader could look up."""

    kind: str  # "Hội nghị", "Kỳ họp"
    ordinal: int  # lần thứ 14 -> 14
    body: str  # who meets, as written: "Ban Chấp hành Đảng bộ tỉnh Hải Dương", "HĐND tỉnh Hải Dương"
    term: str | None  # khóa XVII -> "XVII"


@dataclass(frozen=True)
class Image:
    src: str  # path on the site, e.g. "/uploads/2026/10/abc.jpg"
    caption: str | None


@dataclass(frozen=True)
class Block:
    """One piece of an article body, in reading order.

    kind is "p" (paragraph), "h" (subheading) or "img" (an image with caption; the caption is not body text).
    """

    kind: str
    text: str = ""
    image: Image | None = None


@dataclass(frozen=True)
class Revision:
    """An edit after publication: from `updated_at` on, the site serves these fields instead."""

    updated_at: datetime
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Entities:
    officials: tuple[Official, ...] = ()
    documents: tuple[Document, ...] = ()
    places: tuple[Place, ...] = ()
    figures: tuple[Figure, ...] = ()
    meetings: tuple[Meeting, ...] = ()


@dataclass(frozen=True)
class ArticleRef:
    """The light index entry of an article: enough to place it on listings, feeds and sitemaps."""

    site_id: str
    key: str  # stable id within the site, e.g. "20261005-03" or "seed-000"
    published_at: datetime  # aware, +07:00
    category: str  # category slug
    updated_at: datetime | None = None  # set when the article has a revision


@dataclass(frozen=True)
class Republication:
    """What a republished copy copies: the original's site and key, how it was copied, and its source line."""

    site_id: str  # the original's site, e.g. "baohaiduong"
    key: str  # the original's key on that site
    kind: str  # "verbatim", "edited" (title reworded, a sentence changed or added) or "shortened"
    line: str | None  # the source line ending the copy's body ("Nguồn: Báo điện tử Hải Dương"), or None


@dataclass(frozen=True)
class Article:
    """A full article as generated, before any rendering. The canonical path is site-relative."""

    ref: ArticleRef
    path: str  # canonical path, e.g. "/chinh-tri/quyet-tam-no-luc-hon-20261005-03.html"
    title: str
    lead: str | None
    blocks: tuple[Block, ...]
    authors: tuple[str, ...]
    author_org: str | None  # organisation suffix, as in "Đình Bộ- VPTU"
    photographers: tuple[str, ...]
    origin: str | None  # republished from
    tags: tuple[str, ...]
    view_count: int | None
    video: str | None
    entities: Entities = field(default_factory=Entities)
    revision: Revision | None = None
    seed: str | None = None  # seed file name for seed-based articles
    republished_from: Republication | None = None  # set on a portal's copy of another site's article

    def as_of(self, today: date) -> Article:
        """The article as the site serves it on `today` (its revision applied once it is due)."""
        rev = self.revision
        if rev is None or rev.updated_at.date() > today:
            return self
        return replace(self, title=rev.title, blocks=rev.blocks)

    def updated_at(self, today: date) -> datetime | None:
        rev = self.revision
        return rev.updated_at if rev is not None and rev.updated_at.date() <= today else None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind in ("p", "h"))

    @property
    def images(self) -> tuple[Image, ...]:
        return tuple(b.image for b in self.blocks if b.kind == "img" and b.image is not None)
