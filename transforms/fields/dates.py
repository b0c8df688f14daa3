"""The page's publication and update dates: one decision from every kind of evidence a page gives.

In order of trust: the profile's date element, the page's structured date (JSON-LD, meta tags, itemprop),
a date line after the title (Vietnamese forms, and bylines with month names in other languages), then weak
signs (a <time> in the article, a date in the URL or the <title>, the modification time). When only weak
signs or none are there, htmldate (the reference date finder) is asked and arbitrates: it is called on
those pages only, never on a page whose own date is clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone, tzinfo

from lxml import html as lxml_html

from transforms.constants import VN_TZ
from transforms.dates import (
    DateHit,
    find_dates,
    find_text_dates,
    is_stated,
    parse_iso,
    says_updated,
)
from transforms.fields.language import VI_LETTERS
from transforms.metadata import PageMeta
from transforms.page import Page, select, text_of
from transforms.profile import Profile

# where the published date came from; the first ones settle it, the WEAK ones ask htmldate
STRONG = frozenset({"profile", "structured", "header", "byline", "time", "url"})
WEAK = frozenset({"title", "modified", "mention"})
# htmldate refuses dates after this: a fixed bound keeps extraction deterministic (its default is today)
_LATEST = datetime(2100, 1, 1)


@dataclass(frozen=True)
class PageDates:
    """`published`/`updated` are aware, in the offset the page stated (or the zone its naive dates are read
    in). `vietnamese`: the page is a Vietnamese one, whose calendar day is always the +07:00 one."""

    published: datetime | None
    updated: datetime | None
    evidence: str | None = None  # profile | structured | header | byline | time | url | title | modified | htmldate
    vietnamese: bool = True
    asked_htmldate: bool = False
    day: date | None = None  # the page's own day when the URL gives it and `published` is a UTC stamp


    @property
    def published_date(self) -> date | None:
        """The day as the page states it: in its stated offset, in +07:00 on a Vietnamese page, and as
        written on a page that gives no offset."""
        if self.published is None:
            return None
        if self.day is not None:
            return self.day
        return (self.published.astimezone(VN_TZ) if self.vietnamese else self.published).date()

    @property
    def published_offset(self) -> str | None:
        """The offset the page's date is in ("+03:00"), +07:00 on every Vietnamese page; None when a
        foreign page gave its date without one."""
        if self.published is None:
            return None
        if self.vietnamese:
            return "+07:00"
        if self.day is not None or not is_stated(self.published):
            return None
        return _format_offset(self.published.utcoffset() or timedelta(0))


def _format_offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def is_vietnamese(meta: PageMeta, header_text: str, zone: tzinfo) -> bool:
    """A page read in +07:00 that declares Vietnamese or writes Vietnamese letters in its title or date
    line. An undeclared page with neither keeps the offsets it states."""
    if zone is not VN_TZ:
        return False
    if (meta.language or "").strip().lower().startswith("vi"):
        return True
    return bool(VI_LETTERS.search(f"{meta.html_title or ''} {meta.title or ''} {header_text}"))


def page_dates(page: Page) -> PageDates:
    """The dates of a parsed page (see find_page_dates)."""
    header = " ".join(filter(None, (_inside_title(page.title[0]), page.header_text)))
    return find_page_dates(page.root, page.meta, page.profile, page.url, header, page.zone)


def _inside_title(title_el: lxml_html.HtmlElement | None) -> str:
    """A date line the headline element prints under the headline (<h1>Story<br><small>02.02.2022</small>
    </h1>): the text of its child elements, read before the text after the title (which may quote dates)."""
    if title_el is None:
        return ""
    return " ".join(text_of(child) for child in title_el if isinstance(child.tag, str))


def find_page_dates(root: lxml_html.HtmlElement, meta: PageMeta, profile: Profile, url: str, header_text: str,
                    zone: tzinfo) -> PageDates:
    """The page's dates. `header_text` is the text after the title, `zone` the zone naive dates are read in."""
    vietnamese = is_vietnamese(meta, header_text, zone)
    published, updated, evidence = _own_dates(root, meta, profile, header_text, zone, vietnamese)
    if published is None:
        published, evidence = _weak_date(root, url, meta, zone)
    if evidence == "structured" and (twin := _local_twin(published, meta, zone, vietnamese)) is not None:
        published = twin
    if evidence in STRONG and (vietnamese or evidence == "profile"):
        return PageDates(published, updated, evidence, vietnamese)
    if evidence in STRONG and (url_date(url, zone) is not None or not _off_url_month(published, url)):
        return _with_url_day(PageDates(published, updated, evidence, vietnamese), url, zone)
    peer = _htmldate(root, url, zone)
    chosen, evidence = _arbitrate(published, evidence, peer)
    return PageDates(chosen, updated, evidence, vietnamese, asked_htmldate=True)


def _local_twin(published: datetime | None, meta: PageMeta, zone: tzinfo, vietnamese: bool) -> datetime | None:
    """JSON-LD's UTC stamp as the moment the page's meta tag writes in the publisher's own time, when the
    tag names the same moment on another day ("2023-11-09T06:35:29Z" and "2023-11-08 22:35:29", or
    "Sat, 19 Oct 2019 00:04:00 +0200" for 22:04Z): the story's day is the publisher's. A naive tag is the
    same moment when it is off the stamp by whole quarter hours, at most 14 hours (the widest UTC offset)."""
    other = _structured(meta.published_meta, zone, vietnamese)
    if vietnamese or published is None or other is None or other.date() == published.date() \
            or not is_stated(published) or published.utcoffset() != timedelta(0):
        return None
    if is_stated(other):
        return other if other == published and other.utcoffset() != timedelta(0) else None
    shift = other.replace(tzinfo=None) - published.replace(tzinfo=None)
    if shift.total_seconds() % 900 or abs(shift) > timedelta(hours=14):
        return None
    return published.astimezone(timezone(shift))


_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<mo>[01]\d)/")


def _off_url_month(published: datetime | None, url: str) -> bool:
    """A date outside the month a /2017/09/ URL files the story under is doubtful (another post's)."""
    m = _URL_MONTH.search(url.split("?")[0])
    return bool(m and published is not None and (published.year, published.month) != (int(m["y"]), int(m["mo"])))


def _with_url_day(dates: PageDates, url: str, zone: tzinfo) -> PageDates:
    """A foreign page's date against the day in its URL, which the publisher's system writes in its own zone
    when the story goes out. A moment stated with the page's own non-zero offset keeps its day (El País's
    URL carries the print edition's day, its timestamp the web one). A UTC stamp or a naive date a day off
    the URL's is the URL's day (a 22:30 story in New York is stamped 03:30Z the next day); a date further
    off is another story's, or a re-stamp: the URL's date replaces it."""
    found, published = url_date(url, zone), dates.published
    if found is None or published is None or published.date() == found.date():
        return dates
    if abs((published.date() - found.date()).days) > 1:
        return replace(dates, published=found, evidence="url", updated=dates.updated)
    if is_stated(published) and published.utcoffset() != timedelta(0):
        return dates
    return replace(dates, day=found.date())


def _first(hits: Iterable[DateHit], label: str | None = None, exclude: str | None = None) -> DateHit | None:
    for hit in hits:
        if (label is None or hit.label == label) and (exclude is None or hit.label != exclude):
            return hit
    return None




def _own_dates(root: lxml_html.HtmlElement, meta: PageMeta, profile: Profile, header: str, zone: tzinfo,
               vietnamese: bool) -> tuple[datetime | None, datetime | None, str | None]:
    """Published, updated and where published came from, from the profile, the structured data and the
    date line; None for published when none of them gives one."""
    published, evidence = _profile_date(root, profile.date, zone, exclude="updated")
    updated, _ = _profile_date(root, profile.updated, zone)
    header_hits = _unrefused(find_dates(header, zone), header)
    structured = _structured(meta.published, zone, vietnamese)
    if published is None or (structured is not None and abs((structured - published).total_seconds()) < 60):
        # JSON-LD/meta carry the seconds a printed date leaves out
        published, evidence = (structured, "structured") if structured is not None else (published, evidence)
    if published is None:
        # a dated line with a time beats a bare date (body text quotes dates like "ngày 21.2.2013");
        # "Cập nhật:" is the only date on some portals, so it is taken when nothing else is there
        timed = [h for h in header_hits if h.has_time]
        chosen = _first(timed, exclude="updated") or _first(timed) or _first(header_hits, exclude="updated")
        if chosen is not None:
            published, evidence = chosen.moment, "header"
    # the worded dates are read for a missing published date, or for an updated one when the header has the
    # word for it (no date of theirs can be labelled "updated" otherwise): most pages need neither
    worded = find_text_dates(header, zone) if published is None or updated is None and says_updated(header) \
        else []
    if published is None:
        unrefused = _unrefused(worded, header)
        chosen = _first(unrefused, exclude="updated") or _first(unrefused)
        if chosen is not None:
            published, evidence = chosen.moment, "mention" if _mentioned(chosen, header) else "byline"
    if updated is None:
        updated = _updated(header_hits + worded, meta, published, zone)
    return published, updated, evidence


_US_DAY = re.compile(r"^\s*(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b")


def _structured(value: str | None, zone: tzinfo, vietnamese: bool) -> datetime | None:
    """A meta tag's or JSON-LD's date. "11/01/2023" in a foreign page's meta tag is month first, as the
    (American) CMS that writes slashes there does; day first when the first number cannot be a month.
    Vietnamese pages write day first everywhere."""
    if not value:
        return None
    m = None if vietnamese else _US_DAY.match(value)
    if m and int(m["mo"]) <= 12:
        value = f"{m['y']}-{int(m['mo']):02d}-{int(m['d']):02d}" + value[m.end():].replace(" ", "T", 1) \
            if value[m.end():].strip() else f"{m['y']}-{int(m['mo']):02d}-{int(m['d']):02d}"
    return parse_iso(value, zone)


# an unlabelled date after a preposition is running text naming an event ("vom 5. bis 11. Februar 2022",
# "am Mi. 5. Februar 2020 ab 19 Uhr"), not a date line: weak, htmldate arbitrates
_PREPOSITION = re.compile(r"\b(?:am|vom|bis|ab|seit|zum|on|until|from|since|till|hasta|desde|jusqu'au)\s+"
                          r"(?:[^\W\d_]{2,3}\.,?\s+)?$", re.IGNORECASE)


def _mentioned(hit: DateHit, text: str) -> bool:
    return hit.label is None and _PREPOSITION.search(text[max(0, hit.start - 24):hit.start]) is not None


# a date after these words is not the story's: the writer's sign-up day in a forum, a birthday, the
# copyright line
_REFUSED = re.compile(r"registriert|registered|joined|mitglied\s+seit|member\s+since|geboren|born|©|copyright|"
                      r"inscrit|registrado|iscritto", re.IGNORECASE)


def _unrefused(hits: list[DateHit], text: str) -> list[DateHit]:
    """The hits no refusing word stands right before ("Registriert: 18.09.2008", "© 2019")."""
    return [h for h in hits if not _REFUSED.search(text[max(0, h.start - 16):h.start])]


def _profile_date(root: lxml_html.HtmlElement, selector: str | None, zone: tzinfo,
                  exclude: str | None = None) -> tuple[datetime | None, str | None]:
    for el in select(root, selector):
        hits = find_dates(text_of(el), zone)
        chosen = (_first(hits, exclude=exclude) if exclude else None) or _first(hits)
        if chosen:
            return chosen.moment, "profile"
    return None, None


def _updated(hits: list[DateHit], meta: PageMeta, published: datetime | None, zone: tzinfo) -> datetime | None:
    labelled = next((h for h in hits if h.label == "updated" and h.moment != published), None)
    if labelled is not None:
        return labelled.moment
    if meta.modified:
        modified = parse_iso(meta.modified, zone)
        if modified is not None and published is not None and (modified - published).total_seconds() >= 60:
            return modified
    return None


# a one-digit day only before a slash or the end: "/2023/10/3-fragen-an" is a month folder and a slug
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<mo>[01]?\d)[/-](?P<d>[0-3]\d|[1-9](?=/|$))(?:/|-|\.|_|$)|"
                       r"[/_-](?P<y2>20\d\d)(?P<mo2>[01]\d)(?P<d2>[0-3]\d)(?:[/_.-]|$)")


def _weak_date(root: lxml_html.HtmlElement, url: str, meta: PageMeta,
               zone: tzinfo) -> tuple[datetime | None, str | None]:
    """When no labelled or structured date is found, in this order: a <time datetime> inside the article
    element, a date written in the URL path (/2024/04/25/, -20240425-), a date standing alone in the <title>,
    and the page's modification time (og:updated_time: a first version is often its only one)."""
    for moment, evidence in ((_time_in_article(root, zone), "time"), (url_date(url, zone), "url"),
                             (_title_date(meta, zone), "title")):
        if moment is not None:
            return moment, evidence
    if meta.modified and (moment := parse_iso(meta.modified, zone)) is not None:
        return moment, "modified"
    return None, None


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


def url_date(url: str, zone: tzinfo) -> datetime | None:
    """A full date in the URL's path (/2024/04/25/, /2024-04-25-slug, -20240425-), midnight in `zone`."""
    m = _URL_DATE.search(url.split("?")[0])
    if m:
        y, mo, d = (m.group("y"), m.group("mo"), m.group("d")) if m.group("y") else (
            m.group("y2"), m.group("mo2"), m.group("d2"))
        try:
            return datetime(int(y), int(mo), int(d), tzinfo=zone)
        except ValueError:
            return None
    return None


def _htmldate(root: lxml_html.HtmlElement, url: str, zone: tzinfo) -> datetime | None:
    """htmldate's original publication day for the page, midnight in `zone`; None when it finds none."""
    import htmldate  # imported on the pages that need it only

    try:
        found = htmldate.find_date(_peer_view(root), url=url or None, extensive_search=True,
                                   original_date=True, max_date=_LATEST)
    except Exception:  # noqa: BLE001 - the peer's failure leaves our own evidence standing
        return None
    if not found or found.endswith("-01-01") and _copyright_year(root, found[:4]):
        return None  # htmldate makes 1 January of a copyright line's year a date: the page gave no day
    return parse_iso(found, zone)


def _peer_view(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The page as htmldate is shown it: without what this module refuses on purpose. JSON-LD is gone (an
    article's date there was read already; a listing's or a site's is not this page's), the <title> too
    (only a date standing alone in it counts, see _title_date), and a page with one <article> is that
    article (sidebars, teasers and page clocks around it carry other stories' dates)."""
    view = lxml_html.Element("html")
    head = root.find("head")
    if head is not None:
        view.append(deepcopy(head))
        for el in view.xpath("./head/title|./head/script[@type='application/ld+json']"):
            el.drop_tree()
    articles = root.findall(".//article")  # several: a list of teasers, the story may be any of them
    chosen = articles[0] if len(articles) == 1 else root.find("body")
    if chosen is not None:
        wrapper = lxml_html.Element("body")
        wrapper.append(deepcopy(chosen))
        for el in wrapper.xpath(".//script[@type='application/ld+json']"):
            el.drop_tree()
        view.append(wrapper)
    return view


def _copyright_year(root: lxml_html.HtmlElement, year: str) -> bool:
    return re.search(rf"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?{year}\b",
                     root.text_content(), re.IGNORECASE) is not None


def _arbitrate(ours: datetime | None, evidence: str | None,
               peer: datetime | None) -> tuple[datetime | None, str | None]:
    """Our weak sign against htmldate's finding: its day wins unless ours is the same day (ours then keeps
    the time and offset it may carry)."""
    if peer is None:
        return ours, evidence
    if ours is not None and ours.date() == peer.date():
        return ours, evidence
    return peer, "htmldate"
