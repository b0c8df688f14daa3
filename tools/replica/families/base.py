"""What every family renderer shares: the Page it returns, article lookup, visibility, pagination, article
links and the `<li>` items of related-article lists.

A renderer is a pure function of (path, query, today), and of the posted form for a POST: it reads the World
index, never keeps state between requests (a WebForms page carries its own in the form's __VIEWSTATE), and only
ever shows what is published by `today` (world.refs). The server owns HTTP.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from replica.families.common import LinkStyle, article_href, attr, esc
from replica.families.formats import dmy
from replica.model import Article, ArticleRef, Category, Site
from replica.world import World

HTML = "text/html"
XML = "application/xml"
RSS = "application/rss+xml"
TEXT = "text/plain"


@dataclass(frozen=True)
class Page:
    """One response. `body` is Unicode; the server applies NFD and the site's byte encoding."""

    status: int
    body: str
    content_type: str
    last_modified: datetime | None = None
    location: str | None = None


def changed_at(ref: ArticleRef, today: date) -> datetime:
    """When the article last changed as seen on `today` (a revision counts only once due)."""
    if ref.updated_at is not None and ref.updated_at.date() <= today:
        return ref.updated_at
    return ref.published_at


def newest_change(refs: Sequence[ArticleRef], today: date) -> datetime | None:
    return max((changed_at(r, today) for r in refs), default=None)


def page_count(total: int, size: int) -> int:
    """Number of listing pages; an empty listing still has its page 1."""
    return max(1, -(-total // size))


def page_slice(refs: Sequence[ArticleRef], number: int, size: int) -> Sequence[ArticleRef] | None:
    """Items of page `number` (1-based), or None past the last page."""
    if number < 1 or number > page_count(len(refs), size):
        return None
    return refs[(number - 1) * size : number * size]


def canonical_article_path(path: str) -> str:
    """Drop what sites tolerate on article paths: `;jsessionid=…` path parameters, a trailing slash."""
    path = path.split(";", 1)[0]
    return path.rstrip("/") if len(path) > 1 else path


class Renderer(ABC):
    """Base of the five family renderers. Subclasses add their routes and templates."""

    page_size: int = 15
    links: LinkStyle = LinkStyle()  # the mix of link variants the family's templates emit

    def __init__(self, site: Site, world: World, port: int) -> None:
        self.site = site
        self.world = world
        self.port = port

    @property
    def base_url(self) -> str:
        return self.site.base_url(self.port)

    def absolute(self, path: str) -> str:
        return self.base_url + path

    # -- entry point -------------------------------------------------------------------------------

    def page(self, path: str, query: dict[str, list[str]], today: date) -> Page:
        """The response for `path` on `today`; unknown paths get the site's own 404 page."""
        if path == "/robots.txt":
            return Page(200, self.robots_txt(), TEXT)
        article = self.find_article(path, today)
        if article is not None:
            return self.article_response(path, article, today)
        routed = self.route(path, query, today)
        return routed if routed is not None else self.not_found(path, today)

    def postback(self, path: str, query: dict[str, list[str]], form: dict[str, list[str]],
                 today: date) -> Page | None:
        """The answer to a form posted to `path`; None: the site takes no POST (the server answers 405).
        Only the WebForms family posts its pages back to themselves."""
        return None

    def article_response(self, path: str, article: Article, today: date) -> Page:
        """The article page; families may redirect path variants instead (see newspaper)."""
        return self.article_page(article, today)

    # -- the index as seen on `today` ----------------------------------------------------------------

    def refs(self, today: date, category: str | None = None) -> Sequence[ArticleRef]:
        return self.world.refs(self.site.id, today, category)

    def load(self, ref: ArticleRef, today: date) -> Article:
        """The article as served on `today`."""
        return self.world.article(self.site.id, ref.key).as_of(today)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.site.categories if c.slug == slug), None)

    def category_name(self, slug: str) -> str:
        found = self.category(slug)
        return found.name if found is not None else slug

    def find_article(self, path: str, today: date) -> Article | None:
        """The full article behind an article path (or a tolerated variant of it), if visible on `today`."""
        try:
            article = self.world.article_by_path(self.site.id, canonical_article_path(path))
        except KeyError:  # a well-formed key that the world does not hold
            return None
        if article is None or article.ref.published_at.date() > today:
            return None
        return article

    def category_position(self, article: Article, today: date) -> tuple[Sequence[ArticleRef], int | None]:
        """The article's category as listed on `today` (newest first) and the article's place in it, if any."""
        refs = self.refs(today, article.ref.category)
        key = article.ref.key
        return refs, next((i for i, r in enumerate(refs) if r.key == key), None)

    def older_in_category(self, article: Article, today: date, count: int) -> Sequence[ArticleRef]:
        """The `count` articles of the same category published just before this one."""
        refs, at = self.category_position(article, today)
        start = at + 1 if at is not None else 0
        return refs[start : start + count]

    def newer_in_category(self, article: Article, today: date, count: int) -> Sequence[ArticleRef]:
        """The `count` articles of the same category published just after this one (oldest first)."""
        refs, at = self.category_position(article, today)
        end = at or 0
        return refs[max(0, end - count) : end][::-1]

    def latest_except(self, article: Article | None, today: date, count: int) -> Sequence[ArticleRef]:
        key = article.ref.key if article is not None else None
        return [r for r in self.refs(today)[: count + 1] if r.key != key][:count]

    def listing_window(self, slug: str, number: int, today: date) -> tuple[Sequence[ArticleRef], int] | None:
        """The items of page `number` of a category listing and the listing's page count; None past the end."""
        refs = self.refs(today, slug)
        items = page_slice(refs, number, self.page_size)
        return None if items is None else (items, page_count(len(refs), self.page_size))

    # -- links ---------------------------------------------------------------------------------------

    def href(self, article: Article, where: str) -> str:
        """An article link as the template at `where` writes it (a deterministic variant, see LinkStyle)."""
        return article_href(self.site, self.port, article.path, article.ref.key, where, self.links)

    def title_html(self, article: Article) -> str:
        """An article title as the family's lists write it."""
        return esc(article.title)

    def related_items(self, refs: Sequence[ArticleRef], today: date, where: str, dated: str = "") -> str:
        """`<li>` links to `refs` as served on `today`; `dated` ("{}" for dd/mm/yyyy) follows each link."""
        items = []
        for ref in refs:
            other = self.load(ref, today)
            day = dated.format(dmy(ref.published_at.date()))
            items.append(f'<li><a href="{attr(self.href(other, where))}">{self.title_html(other)}</a>{day}</li>')
        return "".join(items)

    # -- what each family provides -------------------------------------------------------------------

    @abstractmethod
    def article_page(self, article: Article, today: date) -> Page:
        """Render the full article (not yet `as_of`) as served on `today`."""

    @abstractmethod
    def route(self, path: str, query: dict[str, list[str]], today: date) -> Page | None:
        """Home, listings, feeds, sitemaps; None when the path is unknown."""

    @abstractmethod
    def not_found(self, path: str, today: date) -> Page:
        """A real HTML 404 page with the site's furniture."""

    @abstractmethod
    def robots_txt(self) -> str: ...


def query_int(query: dict[str, list[str]], name: str, default: int = 1) -> int | None:
    """An integer query parameter; None when present but not a number (the page is then unknown)."""
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[0])
    except ValueError:
        return None
