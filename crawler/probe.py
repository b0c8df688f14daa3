"""What `provnews sources probe URL` decides from what its spider fetched (crawler/spiders/probe.py).

Pure functions over observations: which links look like articles and the regex that names them
(`article_pattern`), how a listing page paginates (`pagination`), and the proposed profile and its report
(`propose`). The probe prefers no selectors: the generic extractor (transforms/extract.py) reads the sampled
articles, and the report lists what it read.

Run as `python -m crawler.probe --url U --out-json F` (one Scrapy process, like crawler.run): the parent
(provnews.commands.sources) validates the proposal with the one profile schema (sources.config) and writes it.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sources.config import PaginateStyle
from sources.origins import origin

# the paginate style of a WebForms pager, when the profile schema has one (sources.config)
POSTBACK = next((s.value for s in PaginateStyle if s.value == "postback"), None)
ARTICLE_MIN_HYPHENS = 3  # a title slug has four words or more; category slugs rarely do
LISTING_MIN_ARTICLES = 5  # a page that is no listing (a contact page) still shows a few "latest news" links
_STATIC = re.compile(r"\.(css|js|ico|png|jpe?g|gif|svg|webp|pdf|docx?|xlsx?|zip|rar|mp[34]|woff2?)$", re.I)
FEED_HREF = re.compile(r"(\.rss|\.atom|/rss/[^/]+\.xml|/feed/?)$", re.I)  # a feed's path, by its look
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SEGMENT = re.compile(r"^[a-z0-9-]+$")
_NEXT_TEXT = re.compile(r"^\s*(»|›|>|>>|sau|tiếp|xem tiếp|trang sau|next)\s*$", re.I)


@dataclass
class Anchor:
    """One <a> of a page: where it points (absolute, canonical), and what may say it is the next page."""

    url: str
    rel: str = ""
    css_class: str = ""
    text: str = ""
    raw: str = ""  # the href as written (javascript:__doPostBack(...) stays visible)


@dataclass
class PageSeen:
    url: str
    status: int
    anchors: list[Anchor] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)  # autodiscovery <link rel=alternate> and feed-like <a>
    postback_pager: bool = False  # a WebForms pager: __doPostBack links, no URL to follow
    title: str = ""
    site_name: str = ""


@dataclass
class Sampled:
    """One sampled article and what the generic extractor read from it."""

    url: str
    status: int
    title: str | None = None
    published_at: str | None = None
    method: str | None = None
    problem: str | None = None  # the quarantine reason, or why the page was not read


@dataclass
class Pager:
    style: str  # query | path | next_link
    param: str | None = None
    template: str | None = None
    selector: str | None = None
    first_page: int = 1
    next_url: str | None = None  # page 2, to confirm it brings other articles

    def paginate(self) -> dict[str, Any]:
        out: dict[str, Any] = {"style": self.style}
        for name in ("param", "template", "selector"):
            if (value := getattr(self, name)) is not None:
                out[name] = value
        if self.first_page != 1:
            out["first_page"] = self.first_page
        return out


@dataclass
class Findings:
    """Everything the probe spider saw; `propose` turns it into a profile and a report."""

    home: str
    robots_sitemaps: list[str] = field(default_factory=list)
    sitemaps: dict[str, list[str]] = field(default_factory=dict)  # urlset URL -> its <loc>s
    sitemap_indexes: list[str] = field(default_factory=list)
    sitemap_roots: dict[str, str] = field(default_factory=dict)  # sitemap URL -> the first one that led to it
    feeds: dict[str, list[str]] = field(default_factory=dict)  # feed URL -> its item links
    pages: dict[str, PageSeen] = field(default_factory=dict)  # HTML pages: home and listing candidates
    second_pages: dict[str, PageSeen] = field(default_factory=dict)  # listing URL -> its page 2
    samples: list[Sampled] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # URL: why (HTTP error, not XML, robots)
    finish_reason: str = ""


# -- articles ------------------------------------------------------------------------------------------

def same_origin(url: str, home: str) -> bool:
    """Whether `url` is on the home page's origin (sources.origins: default ports and case folded)."""
    try:
        return origin(url) == origin(home)
    except ValueError:  # not an http(s) URL: no page of the site
        return False


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s != ""]


def _stem_ext(segment: str) -> tuple[str, str]:
    stem, dot, ext = segment.rpartition(".")
    return (stem, "." + ext) if dot and stem and re.fullmatch(r"[A-Za-z0-9]{2,5}", ext) else (segment, "")


def slug_like(url: str) -> bool:
    """A path whose last segment reads like a title slug (words joined by hyphens): an article candidate."""
    segments = _segments(url)
    path = urlsplit(url).path
    if not segments or _STATIC.search(path) or FEED_HREF.search(path):
        return False
    stem, _ = _stem_ext(segments[-1])
    return stem.count("-") >= ARTICLE_MIN_HYPHENS and len(stem) >= 16


def _shape(url: str) -> tuple[int, str]:
    segments = _segments(url)
    return len(segments), _stem_ext(segments[-1])[1] if segments else ""


@dataclass
class PatternGuess:
    pattern: str
    group: list[str]  # the article URLs it was inferred from
    other_shapes: list[tuple[str, int]]  # (an example URL, how many) of candidate groups left out


def article_pattern(candidates: list[str]) -> PatternGuess | None:
    """The regex of the largest group of slug-like URLs sharing a path shape (segment count, extension):
    constant segments kept literally, varying ones as a character class, the slug as at least as many
    words as the shortest one sampled (up to ARTICLE_MIN_HYPHENS + 1)."""
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for url in dict.fromkeys(candidates):
        if slug_like(url):
            groups[_shape(url)].append(url)
    if not groups:
        return None
    ranked = sorted(groups.values(), key=len, reverse=True)
    group = ranked[0]
    parts = [_segment_class([_segments(u)[i] for u in group]) for i in range(len(_segments(group[0])) - 1)]
    parts.append(_last_class([_segments(u)[-1] for u in group]))
    pattern = "^https?://[^/]+/" + "/".join(parts) + "$"
    return PatternGuess(pattern, group, [(g[0], len(g)) for g in ranked[1:] if len(g) >= LISTING_MIN_ARTICLES])


def _segment_class(values: list[str]) -> str:
    if len(set(values)) == 1:
        return re.escape(values[0])
    return "[a-z0-9-]+" if all(_SEGMENT.match(v) for v in values) else "[^/]+"


def _last_class(values: list[str]) -> str:
    stems_exts = [_stem_ext(v) for v in values]
    exts = {e for _, e in stems_exts}
    ext = re.escape(exts.pop()) if len(exts) == 1 else r"(?:\.[A-Za-z0-9]+)?"
    stems = [s for s, _ in stems_exts]
    if not all(_SLUG.match(s) for s in stems):
        return "[^/]+" + ext
    words = min(ARTICLE_MIN_HYPHENS, min(s.count("-") for s in stems))
    return f"[a-z0-9]+(?:-[a-z0-9]+){{{words},}}" + ext


# -- listings and their pagination ----------------------------------------------------------------------

def pagination(page: PageSeen) -> Pager | None:
    """How `page` (a listing) leads to its next page: ?param=N, a path template, or a next link to follow."""
    base = urlsplit(page.url)
    numbered = [a for a in page.anchors if a.url and a.url != page.url and not slug_like(a.url)]
    if (pager := _query_pager(base, numbered)) or (pager := _path_pager(page.url, numbered)):
        return pager
    for anchor in page.anchors:
        if _is_next(anchor) and anchor.url:
            selector = "a[rel=next]" if "next" in anchor.rel.split() else \
                "a." + ".".join(anchor.css_class.split()) if anchor.css_class else None
            if selector:
                return Pager("next_link", selector=selector, next_url=anchor.url)
    return None


def _is_next(anchor: Anchor) -> bool:
    return "next" in anchor.rel.split() or "next" in anchor.css_class.split() or bool(_NEXT_TEXT.match(anchor.text))


def _query_pager(base: Any, anchors: list[Anchor]) -> Pager | None:
    """Links to the same path whose query differs from the page's by one integer parameter."""
    own = dict(parse_qsl(base.query))
    numbers: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for anchor in anchors:
        parts = urlsplit(anchor.url)
        if (parts.hostname, parts.port, parts.path) != (base.hostname, base.port, base.path):
            continue
        for name, value in parse_qsl(parts.query):
            if value.isdigit() and own.get(name) != value:
                numbers[name].append((int(value), anchor.url))
    if not numbers:
        return None
    name, found = max(numbers.items(), key=lambda kv: len(kv[1]))
    low, url = min(found)
    return Pager("query", param=name, first_page=max(0, low - 1), next_url=url)


def _path_pager(listing: str, anchors: list[Anchor]) -> Pager | None:
    """Links below the listing's own path that differ only by a number: `{url}/trang-{n}.html`."""
    root = listing.rstrip("/")
    templates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for anchor in anchors:
        url = anchor.url.split("?")[0]
        if not url.startswith(root + "/"):
            continue
        rest = url[len(root):]
        match = re.fullmatch(r"(/(?:[^/\d]*/)*[^/\d]*?)(\d+)([^/\d]*)", rest)
        if match:
            templates["{url}" + match.group(1) + "{n}" + match.group(3)].append((int(match.group(2)), anchor.url))
    if not templates:
        return None
    template, found = max(templates.items(), key=lambda kv: len(kv[1]))
    low, url = min(found)
    return Pager("path", template=template, first_page=max(0, low - 1), next_url=url)


def listing_candidates(home: PageSeen, article_re: re.Pattern[str] | None, limit: int) -> list[str]:
    """Same-site pages the home page links to that are not articles, feeds or files: maybe listings."""
    out: list[str] = []
    for anchor in home.anchors:
        url = anchor.url
        if not url or url == home.url or not same_origin(url, home.url) or _STATIC.search(urlsplit(url).path):
            continue
        is_article = article_re.search(url) if article_re else slug_like(url)
        if FEED_HREF.search(urlsplit(url).path) or is_article:
            continue
        if url not in out:
            out.append(url)
    return out[:limit]


# -- the proposal ---------------------------------------------------------------------------------------

@dataclass
class Proposal:
    profile: dict[str, Any]
    report: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def article_links(findings: Findings) -> list[str]:
    """Every same-site URL the probe met: feed items, sitemap locs, page links (candidates for articles)."""
    urls = [u for locs in findings.sitemaps.values() for u in locs]
    urls += [u for items in findings.feeds.values() for u in items]
    urls += [a.url for p in [*findings.pages.values(), *findings.second_pages.values()] for a in p.anchors]
    return [u for u in dict.fromkeys(urls) if u and same_origin(u, findings.home)]


def chosen_listings(findings: Findings, article_re: re.Pattern[str]) -> list[tuple[str, Pager | None, int]]:
    """(listing URL, its confirmed pager or None, article links on page 1) for the pages that list articles."""
    out = []
    for url, page in findings.pages.items():
        if url == findings.home or page.status != 200 or _later_page(url, findings.pages):
            continue
        articles = {a.url for a in page.anchors if article_re.search(a.url)}
        pager = pagination(page)
        confirmed = None
        second = findings.second_pages.get(url) or (findings.pages.get(pager.next_url or "") if pager else None)
        if pager is not None and second is not None:
            more = {a.url for a in second.anchors if article_re.search(a.url)} - articles
            confirmed = pager if second.status == 200 and more else None
        if confirmed is not None or len(articles) >= LISTING_MIN_ARTICLES:
            out.append((url, confirmed, len(articles)))
    return out


def _later_page(url: str, pages: dict[str, PageSeen]) -> bool:
    """A numbered page of another page read (`/cat?page=2` beside `/cat`): not a listing of its own."""
    parts = urlsplit(url)
    if not any(v.isdigit() for _, v in parse_qsl(parts.query)):
        return False
    return parts._replace(query="").geturl() in pages


def propose(findings: Findings, source_id: str, kind: str, province: tuple[str, str]) -> Proposal:
    """The proposed profile (a dict for sources.config.parse_source) and the report of how it was decided."""
    undecided: list[str] = []
    guess = article_pattern(article_links(findings))
    if guess is None:
        raise ProbeFailed(f"{findings.home}: found no article-like links (feeds, sitemaps or pages); "
                          "write article_url_pattern by hand")
    article_re = re.compile(guess.pattern)
    feeds = [u for u, items in findings.feeds.items() if any(article_re.search(i) for i in items)]
    sitemaps = [u for u, locs in findings.sitemaps.items() if any(article_re.search(i) for i in locs)]
    roots = list(dict.fromkeys(findings.sitemap_roots.get(u, u) for u in sitemaps))
    from_robots = [u for u in roots if u in findings.robots_sitemaps]
    named_sitemaps = [u for u in roots if u not in from_robots]
    listings = chosen_listings(findings, article_re)
    for n, (url, pager, count) in enumerate(listings):
        page = findings.pages[url]
        if pager is None and page.postback_pager and POSTBACK is not None:
            listings[n] = (url, Pager(POSTBACK), count)
            undecided.append(f"{url}: its pager posts back (__doPostBack): paginate style {POSTBACK}, not tried "
                             "by the probe")
        elif pager is None and page.postback_pager:
            undecided.append(f"{url}: its pager posts back (__doPostBack), no URL to follow: only page 1 is read")
        elif pager is None and pagination(page) is not None:
            undecided.append(f"{url}: a next page was found but brought no other articles: not paginated")
    for example, count in guess.other_shapes:
        undecided.append(f"article_url_pattern leaves out {count} other slug-like URL(s) shaped like {example}")
    discovery: dict[str, Any] = {}
    if feeds:
        discovery["feeds"] = feeds
    if named_sitemaps:
        discovery["sitemaps"] = named_sitemaps
    if from_robots:
        discovery["robots_sitemaps"] = True
    if listings:
        discovery["listings"] = [{"url": u, **({"paginate": p.paginate()} if p else {})} for u, p, _ in listings]
    if not discovery:
        raise ProbeFailed(f"{findings.home}: no feed, sitemap or listing page names articles matching "
                          f"{guess.pattern}")
    home = findings.pages.get(findings.home)
    name = (home.site_name or home.title).strip() if home else ""
    profile = {
        "id": source_id, "name": name or source_id,
        "province": {"as_written": province[0], "current": province[1]},
        "kind": kind, "start_urls": [findings.home], "discovery": discovery,
        "article_url_pattern": guess.pattern,
        "provenance": {"verified": False, "as_of": date.today().isoformat(),
                       "evidence": f"provnews sources probe {findings.home}: the generic extractor read "
                                   f"{len(findings.samples)} sampled article(s)"},
        "enabled": False,  # a proposal: `provnews run --source ID` runs it by name; `run all` and the DAG wait
    }
    undecided += _sample_doubts(findings.samples)
    if findings.finish_reason != "finished":  # a bound stopped it: what it proposes rests on part of the site
        undecided.append(f"the probe stopped early ({findings.finish_reason}): raise PROVNEWS_PROBE_MAX_PAGES "
                         "or PROVNEWS_PROBE_TIMEOUT_S to see more")
    report = {
        "home": findings.home, "finish_reason": findings.finish_reason,
        "robots_sitemaps": findings.robots_sitemaps, "sitemaps": sitemaps, "feeds": feeds,
        "feeds_without_articles": [u for u in findings.feeds if u not in feeds],
        "listings": [{"url": u, "paginate": p.paginate() if p else None, "articles_on_page_1": n}
                     for u, p, n in listings],
        "article_url_pattern": {"pattern": guess.pattern, "inferred_from": len(guess.group),
                                "examples": guess.group[:3]},
        "samples": [asdict(s) for s in findings.samples],
        "selectors": "none: the generic extractor read the sample" if _all_read(findings.samples)
        else "none proposed; see could_not_decide",
        "refused": findings.refused[:20],
        "could_not_decide": undecided,
    }
    return Proposal(profile, report)


def _all_read(samples: list[Sampled]) -> bool:
    return bool(samples) and all(s.title and s.published_at for s in samples)


def _sample_doubts(samples: list[Sampled]) -> list[str]:
    doubts = []
    if not samples:
        doubts.append("no article could be sampled: the generic extractor is untried on this site")
    for s in samples:
        if s.problem:
            doubts.append(f"{s.url}: the generic extractor did not read it ({s.problem}): selectors may be needed")
        elif not s.published_at:
            doubts.append(f"{s.url}: no publication date found: a date selector may be needed")
    return doubts


def guess_kind(home: str, name: str) -> str:
    """A profile kind (sources.config.Kind) from the host name and the site's name; the report says so."""
    host, low = (urlsplit(home).hostname or "").lower(), name.lower()
    if "truyền hình" in low or "phát thanh" in low or re.search(r"(^|[.-])(tv|truyenhinh|ptth|radio)", host):
        return "radio_tv"
    if "dcs.vn" in host or re.search(r"(tỉnh|thành) (ủy|uỷ)", low) or host.startswith(("tinhuy", "thanhuy")):
        return "party_committee_portal"
    if host.endswith(".gov.vn") or "cổng thông tin" in low:
        return "peoples_committee_portal"
    return "newspaper"


def guess_id(home: str) -> str:
    """A source id from the host: its first label without www. (an address: its digits joined by -)."""
    host = (urlsplit(home).hostname or "site").lower().removeprefix("www.")
    label = host.replace(".", "-") if re.fullmatch(r"[\d.]+", host) else host.split(".")[0]
    return re.sub(r"[^a-z0-9_-]", "-", label).strip("-") or "site"


class ProbeFailed(RuntimeError):
    """The probe found too little to propose a profile; the message says what was missing."""


# -- the subprocess --------------------------------------------------------------------------------------

def sample_urls(articles: list[str], count: int) -> list[str]:
    """Up to `count` article URLs spread over their sections (the path before the slug), round-robin."""
    by_section: dict[str, list[str]] = defaultdict(list)
    for url in articles:
        by_section[url.rsplit("/", 1)[0]].append(url)
    queues = [list(v) for v in by_section.values()]
    out: list[str] = []
    while len(out) < count and any(queues):
        for queue in queues:
            if queue and len(out) < count:
                out.append(queue.pop(0))
    return out


def main(argv: list[str] | None = None) -> int:
    from crawler.run import parse_overrides
    from crawler.spiders.probe import run_probe

    parser = argparse.ArgumentParser(prog="python -m crawler.probe", description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--out-json", required=True, type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting override (JSON value), e.g. DOWNLOAD_DELAY=0")
    args = parser.parse_args(argv)
    findings = run_probe(args.url, parse_overrides(args.set))
    args.out_json.write_text(json.dumps(asdict(findings), ensure_ascii=False), encoding="utf-8")
    return 0


def findings_from_json(data: dict[str, Any]) -> Findings:
    def page(d: dict[str, Any]) -> PageSeen:
        return PageSeen(**{**d, "anchors": [Anchor(**a) for a in d["anchors"]]})

    return Findings(**{**data, "pages": {k: page(v) for k, v in data["pages"].items()},
                       "second_pages": {k: page(v) for k, v in data["second_pages"].items()},
                       "samples": [Sampled(**s) for s in data["samples"]]})


if __name__ == "__main__":
    from crawler.run import exit_now

    exit_now(main())
