"""Extraction benchmark: quality on the replica gold and the real-page corpus, and speed, side by side with
trafilatura on the same pages in the same run.

    .venv/bin/python bench/extract_bench.py            # the full, reported run (~8 min on a shared core)
    .venv/bin/python bench/extract_bench.py --quick    # a fast look while iterating (subset, no trafilatura)
    .venv/bin/python bench/extract_bench.py --parts replica,corpus --limit 100 [--no-trafilatura]
    .venv/bin/python bench/extract_bench.py --parts htmldate   # dates on htmldate's own benchmark, 3 finders

Body quality is F1 over 4-gram token shingles (multiset counts per page), precision and recall averaged over
pages, as in the public article-extraction benchmark. Title, date and author are exact matches.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from replica import encoding
from replica.families import renderer_for
from replica.model import Article, Family
from replica.world import World, WorldConfig
from sources.config import Selectors, load_source
from transforms.dates import naive_zone, parse_iso
from transforms.extract import extract
from transforms.profile import Profile
from transforms.record import ArticleRecord

PORT = 8377
# Selectors for families whose source YAML has not landed; a YAML in sources/profiles wins.
FAMILY_PROFILES: dict[Family, dict[str, Any]] = {
    Family.NEWSPAPER: {
        "title": "h1.title",
        "lead": "h2.sapo",
        "body": "div.fck",
        "date": "div.meta span.date",
        "author": "div.author-box p",
    },
    Family.PARTY: {
        "title": "h1.news-title",
        "lead": "div.news-sapo",
        "body": "div.news-content",
        "date": "div.news-date",
    },
    Family.LIFERAY: {
        "title": "div.asset-full-content-title",
        "body": "div.journal-content-article",
        "date": "div.assetPublishDate",
    },
    Family.SHAREPOINT: {
        "title": "h1.news-title",
        "lead": "div.news-summary",
        "body": "div.news-content",
        "date": "div.news-date",
    },
    Family.TV: {
        "title": "h1.detail-title",
        "lead": "h2.detail-sapo",
        "body": "div.detail-content",
        "date": "div.detail-meta span.time",
    },
}


# -- metrics -----------------------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = unicodedata.normalize("NFC", text).lower().split()
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def prf(pred: str, gold: str) -> tuple[float, float]:
    p, g = shingles(pred), shingles(gold)
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else (1.0 if not g else 0.0)
    recall = overlap / sum(g.values()) if g else 1.0
    return precision, recall


@dataclass
class Score:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    exact: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    quarantined: int = 0

    def body(self, pred: str, gold: str) -> None:
        p, r = prf(pred, gold)
        self.precision.append(p)
        self.recall.append(r)

    def field(self, name: str, ok: bool | None) -> None:
        if ok is None:
            return
        self.total[name] += 1
        self.exact[name] += int(ok)

    def summary(self) -> dict[str, Any]:
        n = len(self.precision)
        p = sum(self.precision) / n if n else 0.0
        r = sum(self.recall) / n if n else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, Any] = {
            "pages": n,
            "quarantined": self.quarantined,
            "body_p": round(p, 4),
            "body_r": round(r, 4),
            "body_f1": round(f1, 4),
        }
        for name in sorted(self.total):
            out[name] = f"{self.exact[name]}/{self.total[name]}"
        return out


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


# -- the replica ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldPage:
    site: str
    family: str
    url: str
    body: bytes
    content_type: str
    article: Article
    updated_at: datetime | None


def replica_pages(world: World, today: date) -> list[GoldPage]:
    pages = []
    for site in world.sites:
        renderer = renderer_for(site, world, PORT)
        for ref in world.refs(site.id, today):
            full = world.article(site.id, ref.key)
            page = renderer.page(full.path, {}, today)
            if page.status != 200:
                raise RuntimeError(f"{site.id}{full.path}: replica answered {page.status}")
            body = encoding.encode(page.body, site.charset, site.nfd)
            pages.append(
                GoldPage(
                    site.id,
                    site.family.value,
                    site.base_url(PORT) + full.path,
                    body,
                    encoding.content_type(page.content_type, site.charset),
                    full.as_of(today),
                    full.updated_at(today),
                )
            )
    return pages


def site_profiles(world: World, sources_dir: Path) -> dict[str, Profile]:
    profiles = {}
    for site in world.sites:
        path = sources_dir / f"{site.id}.yaml"
        profile: Profile = load_source(path).selectors if path.exists() else Selectors()
        if profile == Selectors():  # no profile, or one without selectors: the family's
            profile = Profile.model_validate(FAMILY_PROFILES.get(site.family, {}))
        profiles[site.id] = profile
    return profiles


def score_replica(
    pages: Sequence[GoldPage], run: Callable[[GoldPage], ArticleRecord | None]
) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for page in pages:
        s = scores.setdefault(page.site, Score())
        a = page.article
        gold_body = "\n".join([a.lead or "", *a.paragraphs])
        rec = run(page)
        if rec is None:
            s.quarantined += 1
            s.body("", gold_body)
            for name in ("title", "date", "author"):
                s.field(name, False)
            continue
        s.body("\n".join([rec.lead or "", *rec.paragraphs]), gold_body)
        s.field("title", _nfc(rec.title) == _nfc(a.title))
        # exact, to the second: sites that print only hh:mm publish on the minute (gold has no seconds)
        s.field("date", rec.published_at is not None and rec.published_at == a.ref.published_at)
        s.field("author", tuple(_nfc(x) for x in rec.authors) == tuple(_nfc(x) for x in a.authors))
    return scores


# -- the corpus ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusPage:
    name: str
    url: str
    html: bytes
    title: str | None
    body: str
    date: datetime | None
    authors: tuple[str, ...]


_HTML_LANG = re.compile(rb"<html[^>]*?\slang=[\"']?([A-Za-z_-]+)", re.IGNORECASE)


def _truth_date(value: str | None, html: bytes) -> datetime | None:
    """A gold timestamp without an offset is as ambiguous as the page's own: it is read in the zone the
    extractor reads that page's naive values in (from its declared language), so both sides agree."""
    if not value:
        return None
    m = _HTML_LANG.search(html[:5000])
    return parse_iso(value, naive_zone(m.group(1).decode() if m else None))


def _fundus(root: Path) -> Iterable[CorpusPage]:
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        info_path = country / "meta.info"
        info = json.loads(info_path.read_text()) if info_path.exists() else {}
        for truth_path in sorted(country.glob("*.json")):
            publisher = truth_path.stem
            truth = json.loads(truth_path.read_text())
            files = sorted(country.glob(f"{publisher}_*.html.gz")) or sorted(
                country.glob(f"{publisher}.html.gz")
            )
            versions = sorted(truth)
            if len(files) != len(versions):
                continue  # cannot pair pages with truths reliably
            for html_path, version in zip(files, versions, strict=True):
                t = truth[version]
                body = t.get("body") or {}
                paras = list(body.get("summary") or [])
                for sec in body.get("sections") or []:
                    paras += list(sec.get("headline") or []) + list(sec.get("paragraphs") or [])
                html = gzip.decompress(html_path.read_bytes())
                published = _truth_date(t.get("publishing_date"), html)
                yield CorpusPage(
                    f"fundus/{country.name}/{html_path.name}",
                    info.get(html_path.name, {}).get("url", "http://example.invalid/"),
                    html,
                    t.get("title"),
                    "\n".join(paras),
                    published,
                    tuple(t.get("authors") or ()),
                )


def _readability(root: Path) -> Iterable[CorpusPage]:
    import tarfile

    from lxml import html as lxml_html

    archive = root / "readability-test-pages.tar.gz"
    if not archive.exists():
        return
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        for name in sorted(n for n in members if n.endswith("/source.html")):
            base = name[: -len("source.html")]
            exp, meta = members.get(base + "expected.html"), members.get(base + "expected-metadata.json")
            if exp is None or meta is None:
                continue
            html = tar.extractfile(members[name]).read()  # type: ignore[union-attr]
            # expected.html is UTF-8 with no charset declared: lxml would read bytes as Latin-1 ("didnât")
            expected_html = tar.extractfile(exp).read().decode("utf-8")  # type: ignore[union-attr]
            expected = lxml_html.fromstring(expected_html).text_content()
            md = json.loads(tar.extractfile(meta).read())  # type: ignore[union-attr]
            published = _truth_date(md.get("publishedTime"), html)
            yield CorpusPage(
                f"readability/{base.split('/')[-2]}",
                "http://fakehost/test/page.html",
                html,
                md.get("title"),
                expected,
                published,
                (md["byline"],) if md.get("byline") else (),
            )


def corpus_pages(root: Path) -> list[CorpusPage]:
    pages: list[CorpusPage] = []
    if (root / "fundus-testdata").exists():
        pages += list(_fundus(root / "fundus-testdata"))
    if (root / "readability-testpages").exists():
        pages += list(_readability(root / "readability-testpages"))
    return pages


@dataclass(frozen=True)
class Out:
    title: str | None
    body: str
    date: date | datetime | None  # a plain date when the page gave no time of day
    authors: tuple[str, ...]


def ours(page: CorpusPage) -> Out | None:
    rec = extract(page.html, page.url, mentions=False)
    if not isinstance(rec, ArticleRecord):
        return None
    when: date | datetime | None = rec.published_at
    if rec.published_at is not None:
        # a date-only value was read as midnight in the page's naive zone (+07:00, or UTC on a page declaring
        # another language, see transforms.dates.naive_zone): the day is what it says
        local = rec.published_at.astimezone(naive_zone(rec.language))
        if (local.hour, local.minute, local.second) == (0, 0, 0):
            when = local.date()
    return Out(rec.title, "\n".join([rec.lead or "", *rec.paragraphs]), when, rec.authors)


def trafilatura_out(page: CorpusPage) -> Out | None:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return None
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    published = date.fromisoformat(d["date"][:10]) if d.get("date") else None  # trafilatura gives a day
    authors = tuple(a.strip() for a in (d.get("author") or "").split(";") if a.strip())
    return Out(d.get("title"), d.get("text") or "", published, authors)


def _same_day(found: date | datetime | None, truth: datetime) -> bool:
    """Calendar-day match: a moment is read in the truth's own time zone, a plain date as it is."""
    if found is None:
        return False
    if not isinstance(found, datetime):
        return found == truth.date()
    if found.tzinfo is not None and truth.tzinfo is not None:
        found = found.astimezone(truth.tzinfo)
    return found.date() == truth.date()


def score_corpus(
    pages: Sequence[CorpusPage], run: Callable[[CorpusPage], Out | None], misses: Path | None = None
) -> dict[str, Any]:
    s = Score()
    rows: list[dict[str, Any]] = []
    for page in pages:
        out = run(page)
        row: dict[str, Any] = {"page": page.name, "quarantined": out is None}
        if out is None:  # a quarantined page misses every field it has a truth for
            s.quarantined += 1
            out = Out(None, "", None, ())
        s.body(out.body, page.body)
        row["body_p"], row["body_r"] = round(s.precision[-1], 3), round(s.recall[-1], 3)
        found = {"title": out.title, "date": out.date, "authors": out.authors}
        verdicts = {
            "title": _nfc(out.title) == _nfc(page.title),
            "date": page.date is not None and _same_day(out.date, page.date),
            "authors": {_nfc(a) for a in out.authors} == {_nfc(a) for a in page.authors},
        }
        for name, truth in (("title", page.title), ("date", page.date), ("authors", page.authors)):
            if truth:
                row[name] = verdicts[name]
                s.field(name, verdicts[name])
                if not verdicts[name]:
                    row[f"{name}_got"], row[f"{name}_want"] = _show(found[name]), _show(truth)
        rows.append(row)
    if misses is not None:
        misses.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return s.summary()


def _show(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


# -- htmldate-eval: the page's date, three finders ---------------------------------------------------


@dataclass(frozen=True)
class DatedPage:
    name: str
    url: str
    html: bytes
    gold: date | None


def htmldate_pages(root: Path) -> list[DatedPage]:
    """htmldate's evaluation pages (htmldate-eval/ground-truth.json: URL -> file, date), with their URLs."""
    folder = root / "htmldate-eval"
    truth_path = folder / "ground-truth.json"
    if not truth_path.exists():
        return []
    pages = []
    for url, entry in json.loads(truth_path.read_text(encoding="utf-8")).items():
        gold = date.fromisoformat(entry["date"][:10]) if entry.get("date") else None
        pages.append(DatedPage(entry["file"], url, gzip.decompress((folder / entry["file"]).read_bytes()), gold))
    return pages


def _our_day(page: DatedPage) -> date | None:
    rec = extract(page.html, page.url, mentions=False)
    return rec.published_date if isinstance(rec, ArticleRecord) else None


def _htmldate_day(page: DatedPage) -> date | None:
    import htmldate

    found = htmldate.find_date(page.html, url=page.url, extensive_search=True, original_date=True)
    return date.fromisoformat(found[:10]) if found else None


def _trafilatura_day(page: DatedPage) -> date | None:
    import trafilatura

    found = trafilatura.extract_metadata(page.html.decode("utf-8", "replace"), default_url=page.url).date
    return date.fromisoformat(found[:10]) if found else None


def _count_htmldate_calls() -> Callable[[], int]:
    """Count the extractor's calls to htmldate (transforms.fields.dates asks it only on weakly dated pages)."""
    from transforms.fields import dates as datefinder

    calls = [0]
    inner = datefinder._htmldate

    def counted(*args: Any) -> Any:
        calls[0] += 1
        return inner(*args)

    datefinder._htmldate = counted  # type: ignore[assignment]
    return lambda: calls[0]


def score_dates(pages: Sequence[DatedPage], misses: Path | None = None) -> dict[str, Any]:
    """Same-day accuracy and the share of pages with no date, for provnews (the record's published_date: a
    quarantined page has none), htmldate and trafilatura on the same pages in the same run."""
    finders = {"provnews": _our_day, "htmldate": _htmldate_day, "trafilatura": _trafilatura_day}
    calls = _count_htmldate_calls()
    dated = [p for p in pages if p.gold is not None]
    report: dict[str, Any] = {"pages": len(pages), "pages_without_gold_date": len(pages) - len(dated)}
    rows: list[dict[str, Any]] = [{"page": p.name, "url": p.url, "gold": _show(p.gold)} for p in pages]
    for name, find in finders.items():
        found = [find(p) for p in pages]
        right = sum(f == p.gold for f, p in zip(found, pages, strict=True) if p.gold is not None)
        missing = sum(f is None for f, p in zip(found, pages, strict=True) if p.gold is not None)
        report[name] = {"same_day": round(right / len(dated), 4), "right": right,
                        "no_date": round(missing / len(dated), 4), "missing": missing}
        for row, f in zip(rows, found, strict=True):
            row[name] = _show(f)
    report["provnews"]["htmldate_calls"] = calls()
    if misses is not None:
        misses.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return report


def _date_table(report: dict[str, Any]) -> str:
    lines = [f"htmldate-eval: {report['pages']} pages ({report['pages_without_gold_date']} without a gold date)",
             f"{'finder':<12} {'same day':>9} {'no date':>8}"]
    for name in ("provnews", "htmldate", "trafilatura"):
        r = report[name]
        lines.append(f"{name:<12} {r['same_day']:>9.3f} {r['no_date']:>8.3f}")
    lines.append(f"provnews asked htmldate on {report['provnews']['htmldate_calls']} pages")
    return "\n".join(lines)


# -- speed -------------------------------------------------------------------------------------------


def pages_per_second(
    items: Sequence[Any], runners: dict[str, Callable[[Any], object]], min_seconds: float = 3.0, chunk: int = 25
) -> dict[str, float]:
    """Pages per CPU-second of each runner on the same pages.

    The team shares two cores, so wall-clock rates swing with everyone else's load: time is this process's
    CPU time (time.process_time), and the runners alternate chunk by chunk so any remaining drift hits
    them alike. Every runner sees every page at least once and runs for at least `min_seconds`.
    """
    cpu = dict.fromkeys(runners, 0.0)
    done = dict.fromkeys(runners, 0)
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    rounds = 0
    while rounds < len(chunks) or min(cpu.values()) < min_seconds:
        part = chunks[rounds % len(chunks)]
        for name, run in runners.items():
            start = time.process_time()
            for item in part:
                run(item)
            cpu[name] += time.process_time() - start
            done[name] += len(part)
        rounds += 1
    return {name: done[name] / cpu[name] for name in runners}


PARTS = ("replica", "corpus", "speed", "htmldate")


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    parser.add_argument(
        "--sources", type=Path, default=Path(__file__).resolve().parents[1] / "sources" / "profiles"
    )
    parser.add_argument("--per-day", type=int, default=6)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--speed-seconds", type=float, default=5.0)
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)} (default: all)"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="at most N pages per replica site and N corpus pages (spread)"
    )
    parser.add_argument(
        "--no-trafilatura", action="store_true", help="skip trafilatura's quality run (speed still compares)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="iteration mode: --limit 60 --days 5 --no-trafilatura --speed-seconds 2 (not the reported run)",
    )
    parser.add_argument("--misses", type=Path, default=None,
                        help="write per-page corpus scores (JSON lines); trafilatura's beside it, *.trafilatura.jsonl;"
                             " the htmldate part's per-page dates beside it, *.htmldate.jsonl")
    args = parser.parse_args(argv)
    unknown = set(args.parts.split(",")) - set(PARTS)
    if unknown:
        parser.error(f"--parts: unknown part(s) {sorted(unknown)}; known: {', '.join(PARTS)}")
    if args.quick:
        args.limit = args.limit or 60
        args.days = min(args.days, 5)
        args.no_trafilatura = True
        args.speed_seconds = min(args.speed_seconds, 2.0)
    return args


def _spread(items: Sequence[Any], limit: int | None) -> list[Any]:
    """At most `limit` items taken evenly across the sequence (every site and corpus folder stays in)."""
    if limit is None or len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _limit_per_site(pages: Sequence[GoldPage], limit: int | None) -> list[GoldPage]:
    by_site: dict[str, list[GoldPage]] = {}
    for page in pages:
        by_site.setdefault(page.site, []).append(page)
    return [p for site_pages in by_site.values() for p in _spread(site_pages, limit)]


def _replica_report(pages: Sequence[GoldPage], profiles: dict[str, Profile]) -> dict[str, Any]:
    def profiled(p: GoldPage) -> ArticleRecord | None:
        r = extract(p.body, p.url, profiles[p.site], p.content_type, mentions=False)
        return r if isinstance(r, ArticleRecord) else None

    def generic(p: GoldPage) -> ArticleRecord | None:
        r = extract(p.body, p.url, None, p.content_type, mentions=False)
        return r if isinstance(r, ArticleRecord) else None

    family = {p.site: p.family for p in pages}
    report: dict[str, Any] = {}
    by_family: dict[str, dict[str, Any]] = {}
    for name, run in (("profile", profiled), ("generic", generic)):
        scores = score_replica(pages, run)
        report[f"replica_{name}"] = {site: s.summary() for site, s in scores.items()}
        for site, s in scores.items():
            by_family.setdefault(f"{family[site]} ({site})", {})[name] = _one_line(s.summary())
    # one line per family: profiled, and generic (the profile removed: the extractor on markup it was not
    # written against)
    report["replica_by_family"] = by_family
    return report


def _one_line(summary: dict[str, Any]) -> str:
    fields = " ".join(f"{k} {summary[k]}" for k in ("title", "date", "author") if k in summary)
    return f"{summary['pages']} pages, body F1 {summary['body_f1']:.4f}, {fields}, quarantined {summary['quarantined']}"


def _speed_report(speed_sets: dict[str, list[tuple[bytes, str]]], seconds: float) -> dict[str, Any]:
    import trafilatura

    report: dict[str, Any] = {}
    for set_name, items in speed_sets.items():
        rates = pages_per_second(
            items,
            {
                "ours": lambda i: extract(i[0], i[1], mentions=False),
                "ours_with_mentions": lambda i: extract(i[0], i[1]),
                "trafilatura": lambda i: trafilatura.extract(i[0], url=i[1], with_metadata=True),
            },
            seconds,
        )
        ours_pps, with_pps, traf_pps = rates["ours"], rates["ours_with_mentions"], rates["trafilatura"]
        report[f"speed_{set_name}"] = {
            "clock": "process CPU time, one core, runners alternating per 25 pages",
            "ours_pages_per_s": round(ours_pps, 1),
            "ours_with_mentions_pages_per_s": round(with_pps, 1),
            "trafilatura_pages_per_s": round(traf_pps, 1),
            "ratio": round(ours_pps / traf_pps, 2),
            "ratio_with_mentions": round(with_pps / traf_pps, 2),
        }
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    parts = set(args.parts.split(","))
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, for both extractors
    world = World(WorldConfig(per_day=args.per_day, days=args.days))
    pages = _limit_per_site(replica_pages(world, world.config.end), args.limit) if parts & {"replica", "speed"} \
        else []
    if parts & {"corpus", "speed"} and not args.corpus.exists():
        print(f"corpus folder {args.corpus} not found: corpus quality and speed are skipped (--corpus DIR)",
              file=sys.stderr)
    corpus = corpus_pages(args.corpus) if args.corpus.exists() and parts & {"corpus", "speed"} else []
    corpus = _spread(corpus, args.limit)
    report: dict[str, Any] = {"command": " ".join(["bench/extract_bench.py", *(argv or sys.argv[1:])])}
    if "replica" in parts:
        report["replica_pages"] = len(pages)
        report.update(_replica_report(pages, site_profiles(world, args.sources)))
    if "corpus" in parts and corpus:
        report["corpus_pages"] = len(corpus)
        report["corpus_ours"] = score_corpus(corpus, ours, args.misses)
        if not args.no_trafilatura:
            theirs = args.misses.with_suffix(".trafilatura.jsonl") if args.misses else None
            report["corpus_trafilatura"] = score_corpus(corpus, trafilatura_out, theirs)
    if "htmldate" in parts:
        dated = _spread(htmldate_pages(args.corpus), args.limit)
        if not dated:
            print(f"{args.corpus / 'htmldate-eval'} not found: the htmldate part is skipped", file=sys.stderr)
        else:
            report["htmldate_eval"] = score_dates(dated, args.misses.with_suffix(".htmldate.jsonl")
                                                  if args.misses else None)
            print(_date_table(report["htmldate_eval"]), file=sys.stderr)
    if "speed" in parts:
        speed_sets = {"replica": [(p.body, p.url) for p in pages]}
        if corpus:
            speed_sets["corpus"] = [(c.html, c.url) for c in corpus]
        report.update(_speed_report(speed_sets, args.speed_seconds))
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
