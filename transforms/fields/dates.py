"""The publication and update dates (moved verbatim from extract.py; a rewrite lives elsewhere)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from lxml import html as lxml_html

from transforms.dates import DateHit, find_dates, parse_iso
from transforms.metadata import PageMeta
from transforms.page import Page, select, text_of
from transforms.profile import Profile


@dataclass(frozen=True)
class PageDates:
    published: datetime | None
    updated: datetime | None


def page_dates(page: Page) -> PageDates:
    """The labelled or structured dates, and the fallbacks when no publication date is found."""
    dates = _dates(page.root, page.meta, page.profile, page.header_text, page.zone)
    if dates.published is None:
        dates = PageDates(_fallback_date(page.root, page.url, page.meta, page.zone), dates.updated)
    return dates


def _first(hits: Iterable[DateHit], label: str | None = None, exclude: str | None = None) -> DateHit | None:
    for hit in hits:
        if (label is None or hit.label == label) and (exclude is None or hit.label != exclude):
            return hit
    return None


def _dates(root: lxml_html.HtmlElement, meta: PageMeta, profile: Profile, header: str, zone: tzinfo) -> PageDates:
    published: datetime | None = None
    updated: datetime | None = None
    for el in select(root, profile.date):
        hits = find_dates(text_of(el), zone)
        chosen = _first(hits, exclude="updated") or _first(hits)
        if chosen:
            published = chosen.moment
            break
    for el in select(root, profile.updated):
        hit = _first(find_dates(text_of(el), zone))
        if hit:
            updated = hit.moment
            break
    header_hits = find_dates(header, zone)
    structured = parse_iso(meta.published, zone) if meta.published else None
    if published is None or (structured is not None and abs((structured - published).total_seconds()) < 60):
        published = structured or published  # JSON-LD/meta carry the seconds a printed date leaves out
    if published is None:
        # a dated line with a time beats a bare date (body text quotes dates like "ngày 21.2.2013");
        # "Cập nhật:" is the only date on some portals, so it is taken when nothing else is there
        timed = [h for h in header_hits if h.has_time]
        chosen = _first(timed, exclude="updated") or _first(timed) or _first(header_hits, exclude="updated")
        published = chosen.moment if chosen else None
    if updated is None:
        labelled = next((h for h in header_hits if h.label == "updated" and h.moment != published), None)
        if labelled is not None:
            updated = labelled.moment
        elif meta.modified:
            modified = parse_iso(meta.modified, zone)
            if modified is not None and published is not None \
                    and (modified - published).total_seconds() >= 60:
                updated = modified
    return PageDates(published, updated)


_URL_DATE = re.compile(r"/(?P<y>20\d\d)[/-](?P<mo>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|-|\.|$)|"
                       r"[/_-](?P<y2>20\d\d)(?P<mo2>[01]\d)(?P<d2>[0-3]\d)(?:[/_.-]|$)")


def _fallback_date(root: lxml_html.HtmlElement, url: str, meta: PageMeta, zone: tzinfo) -> datetime | None:
    """When no labelled or structured date is found, in this order: a <time datetime> inside the article
    element, a date written in the URL path (/2024/04/25/, -20240425-), a date standing alone in the <title>, and
    the page's modification time (og:updated_time: a first version is often its only one). All are taken
    only as a last resort."""
    moment = _time_in_article(root, zone) or _url_date(url, zone) or _title_date(meta, zone)
    if moment is None and meta.modified:
        moment = parse_iso(meta.modified, zone)
    return moment


def _time_in_article(root: lxml_html.HtmlElement, zone: tzinfo) -> datetime | None:
    for el in root.iter("time"):
        value = el.get("datetime")
        if value and any(anc.tag == "article" for anc in el.iterancestors()):
            moment = parse_iso(value, zone)
            if moment is not None:
                return moment
    return None


def _title_date(meta: PageMeta, zone: tzinfo) -> datetime | None:
    """A date standing alone as one part of the <title> ("Story | Europa | DW | 28.04.2023"): some sites
    stamp the publication day there and nowhere else. A date inside the headline's words is not taken."""
    for part in re.split(r"\s[|–—·]\s|\s-\s", meta.html_title or ""):
        hits = find_dates(part.strip(), zone)
        if len(hits) == 1 and hits[0].end - hits[0].start == len(part.strip()):
            return hits[0].moment
    return None


def _url_date(url: str, zone: tzinfo) -> datetime | None:
    m = _URL_DATE.search(url.split("?")[0])
    if m:
        y, mo, d = (m.group("y"), m.group("mo"), m.group("d")) if m.group("y") else (
            m.group("y2"), m.group("mo2"), m.group("d2"))
        try:
            return datetime(int(y), int(mo), int(d), tzinfo=zone)
        except ValueError:
            return None
    return None
