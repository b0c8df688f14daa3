"""html bytes + url + profile → ArticleRecord | Quarantine. Pure and deterministic; never raises on a page.

Time goes where it matters: one lxml parse of the page (metadata, dates, finding the article), then
BeautifulSoup (lxml tree builder) cleans only the article's subtree (see clean.py).

This module orchestrates; the fields are read by transforms/fields/ from one `Page` (transforms/page.py).
The order matters: what needs the page's headers (the title, the text after it, the marked-up authors, the
header's standfirst) is read before `prune` drops them as furniture.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from transforms.dates import to_utc
from transforms.fields import body, byline, labels, lead
from transforms.fields.dates import page_dates
from transforms.fields.language import language
from transforms.fields.title import error_title
from transforms.generic import prune
from transforms.mentions import mentions_of
from transforms.mentions.model import Context
from transforms.metadata import PageMeta
from transforms.page import Page, quarantine
from transforms.profile import Profile
from transforms.record import ArticleRecord, ImageRef, Quarantine
from transforms.text import convert_tcvn3, legacy_font
from transforms.version import EXTRACTOR_VERSION

_NO_PROFILE = Profile()  # frozen: one instance serves every page without a profile (a model built per page)
_NO_CONTEXT = Context()  # what the mention finders know of a page from no source: nothing


def extract(body: bytes, url: str, profile: Profile | None = None, content_type: str | None = None,
            context: Context | None = None, mentions: bool = True) -> ArticleRecord | Quarantine:
    """Extract one page. Anything that is not an article comes back as a Quarantine with its reason.

    With `mentions`, the record carries the facts its text states (transforms.mentions), read with `context`
    (the source's province; the page's own day is added here)."""
    try:
        found = _extract(body, url, profile or _NO_PROFILE, content_type)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a run; the reason is kept
        return quarantine(url, "extractor-error", f"{type(exc).__name__}: {exc}")
    return _with_mentions(found, context or _NO_CONTEXT) if mentions else found


def _with_mentions(found: ArticleRecord | Quarantine, context: Context) -> ArticleRecord | Quarantine:
    """The record with its mentions; a finder that fails keeps the article, flagged, without them."""
    if isinstance(found, Quarantine):
        return found
    try:
        facts = mentions_of(found.title, found.lead, found.paragraphs,
                            replace(context, published=found.published_date))
    except Exception as exc:  # noqa: BLE001 - the article is worth landing without its mentions
        return replace(found, flags=(*found.flags, f"mentions-error:{type(exc).__name__}"))
    return replace(found, mentions=facts)


def _extract(raw: bytes, url: str, profile: Profile, content_type: str | None) -> ArticleRecord | Quarantine:
    page = Page.parse(raw, url, profile, content_type)
    if page is None:
        return quarantine(url, "empty-page", f"{len(raw)} bytes, nothing to parse")
    meta = page.meta
    flags = [f"charset:{page.encoding}"] if page.encoding != "utf-8" else []
    title_el, title = page.title
    if (bad := error_title(page)) is not None:
        return page.quarantine("error-page", f"title {bad!r}")
    dates = page_dates(page)
    views = labels.view_count(page)
    category = labels.category(page)
    tags = labels.tags(page)
    if not meta.authors or byline.publisher_like(meta.authors, meta):  # before pruning: bylines sit in <header>s
        meta.marked_authors = list(byline.marked_authors(page.root, title_el))
    header_lead = None if profile.lead else lead.header_lead(title_el)
    prune(page.root)
    main, method = body.main_node(page)
    found = body.article_text(page, page.root, main, method, title)
    if method == "generic" and body.too_short(found):
        found = body.second_attempt(page, found, title)
    if method == "generic" and isinstance(found, Quarantine) and found.reason == "no-article-body":
        found = body.from_script_data(page, found, title)
    if isinstance(found, Quarantine):
        return found
    found = body.with_lead(found, header_lead)
    cleaned, blocks, names = found.cleaned, found.blocks, found.byline
    if found.length < body.MIN_BODY_CHARS:
        # a short notice or a photo story is an article when it is dated or marked as one; a maintenance
        # notice, a login page or an empty search result under the site's <title> is not
        if dates.published is None and not body.marked_article(page.root, meta):
            return page.quarantine("no-article-body",
                                   f"{found.length} characters of text, no date and nothing marks an article")
        flags.append("short-body")
    if dates.published is None and title is None:
        return page.quarantine("not-article", "no title and no publication date")
    record = ArticleRecord(
        url=url,
        canonical_url=_canonical(url, meta),
        title=title or "",
        lead=found.lead,
        paragraphs=tuple(blocks),
        published_at=to_utc(dates.published),
        published_date=dates.published_date,
        published_offset=dates.published_offset,
        updated_at=to_utc(dates.updated),
        authors=names.authors,
        author_org=names.org,
        photographers=names.photographers,
        origin=names.origin,
        category=category,
        tags=tags,
        view_count=views,
        images=tuple(ImageRef(u, c) for u, c in cleaned.images),
        language=language(meta, blocks),
        extractor_version=EXTRACTOR_VERSION,
        method=method,
        flags=tuple(flags),
    )
    return _legacy(record)


# -- canonical, legacy fonts -------------------------------------------------------------------------

def _canonical(url: str, meta: PageMeta) -> str:
    for candidate in (meta.canonical, meta.og_url):
        if candidate and not candidate.startswith(("javascript:", "#")):
            try:
                return urljoin(url, candidate)
            except ValueError:  # a broken canonical ("http://[x/") says nothing: the next one, or the URL
                continue
    return url


def _legacy(record: ArticleRecord) -> ArticleRecord:
    """Convert TCVN3 text to Unicode; flag VNI text (kept as is)."""
    kind = legacy_font(record.body_text)
    if kind is None:
        return record
    if kind == "vni":
        return replace(record, flags=record.flags + ("legacy-font:vni-unconverted",))
    paragraphs = tuple(convert_tcvn3(p) for p in record.paragraphs)
    return replace(
        record,
        title=convert_tcvn3(record.title),
        lead=convert_tcvn3(record.lead) if record.lead else None,
        paragraphs=paragraphs,
        authors=tuple(convert_tcvn3(a) for a in record.authors),
        language="vi",
        flags=record.flags + ("legacy-font:tcvn3-converted",),
    )
