"""Mentions benchmark: precision and recall per mention type on the replica gold and the seed gold, the
underthesea NER baseline on the same texts, and the time mentions add to extraction.

    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench mentions                 # the reported run
    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench mentions --quick         # a fast look (no NER, less)
    ... mentions --days 5 --per-day 4 --no-ner --no-trafilatura --speed-seconds 2

Matching is on normalised keys, per article (a mention found twice in an article counts once):
- officials: the name (match_key) and the SET of its positions over the article (role_key: case, tone style,
  abbreviations and a trailing place name dropped), so one missing or extra position is a miss and a
  false hit; "officials (name)" scores the names alone;
- documents: the number (a law without one: its title); meetings: (ordinal, body key, term);
- figures: (value, unit); persons: the name of a person with no position in the article.
Replica: the world's generated articles (the seed articles are scored against the hand-written seed gold
instead), extracted from their rendered pages with transforms.extract.extract and each site's profile;
"gold text" runs the finders on the generator's own text, so extraction errors and finder errors separate.
Seeds: tests/fixtures/mentions/seeds_articles.json against seeds_gold.json (written by hand).
Baseline: underthesea.ner alone (PER spans) scored as names: persons and officials' names; LOC spans
against the replica's gold places. Speed: process CPU time, one core, extract vs extract + mentions (and
trafilatura) alternating on the same pages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.extract_bench import GoldPage, pages_per_second, replica_pages, site_profiles
from bench.scoring import Counts
from replica.model import Article
from replica.world import World, WorldConfig
from transforms.extract import extract
from transforms.mentions import Mention, MentionType, mentions_of, passages_of
from transforms.mentions._patterns import name_key, role_key
from transforms.profile import Profile
from transforms.record import ArticleRecord
from transforms.text import match_key

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "mentions"
TYPES = ("officials", "officials (name)", "persons", "names", "documents", "meetings", "figures")

Keys = dict[str, set[Any]]


# -- keys -------------------------------------------------------------------------------------------------


def official_key(name: str, positions: Iterable[str]) -> tuple[str, frozenset[str]]:
    return name_key(name), frozenset(role_key(p) for p in positions)


def meeting_key(ordinal: int | None, body: str | None, term: str | None) -> tuple[int | None, str, str]:
    return ordinal, role_key(body or ""), (term or "").upper()


def figure_key(value: float, unit: str) -> tuple[float, str]:
    return round(float(value), 4), unit


def document_key(number: str | None, title: str | None) -> str:
    return number if number else "title:" + match_key(title or "")


def predicted_keys(mentions: Iterable[Mention]) -> Keys:
    """The keys of an article's mentions: officials' positions united over the article."""
    positions: dict[str, set[str]] = {}
    persons: set[str] = set()
    out: Keys = {t: set() for t in TYPES}
    for m in mentions:
        if m.type is MentionType.OFFICIAL and m.name:
            positions.setdefault(name_key(m.name), set()).update(role_key(p) for p in m.positions)
        elif m.type is MentionType.PERSON and m.name:
            persons.add(name_key(m.name))
        elif m.type is MentionType.DOCUMENT:
            out["documents"].add(document_key(m.number, m.title))
        elif m.type is MentionType.MEETING:
            out["meetings"].add(meeting_key(m.ordinal, m.body, m.term))
        elif m.type is MentionType.FIGURE and m.value is not None and m.unit:
            out["figures"].add(figure_key(m.value, m.unit))
    out["officials"] = {(n, frozenset(p)) for n, p in positions.items() if p}
    out["officials (name)"] = {n for n, p in positions.items() if p}
    out["persons"] = persons - set(positions)
    out["names"] = out["officials (name)"] | out["persons"]
    return out


def gold_keys(officials: Iterable[tuple[str, Sequence[str]]], persons: Iterable[str],
              documents: Iterable[tuple[str | None, str | None]],
              meetings: Iterable[tuple[int, str, str | None]], figures: Iterable[tuple[float, str]]) -> Keys:
    out: Keys = {t: set() for t in TYPES}
    for name, positions in officials:
        out["officials"].add(official_key(name, positions))
        out["officials (name)"].add(name_key(name))
    out["persons"] = {name_key(p) for p in persons}
    out["names"] = out["officials (name)"] | out["persons"]
    out["documents"] = {document_key(n, t) for n, t in documents}
    out["meetings"] = {meeting_key(o, b, t) for o, b, t in meetings}
    out["figures"] = {figure_key(v, u) for v, u in figures}
    return out


def replica_gold(article: Article) -> Keys:
    e = article.entities
    return gold_keys(((o.name, o.positions) for o in e.officials), (), ((d.number, None) for d in e.documents),
                     ((m.ordinal, m.body, m.term) for m in e.meetings), ((f.value, f.unit) for f in e.figures))


# -- scores -------------------------------------------------------------------------------------------------


@dataclass
class Score(Counts):
    misses: list[str] = field(default_factory=list)

    def add(self, predicted: set[Any], gold: set[Any], where: str) -> None:
        self.count(predicted, gold)
        if len(self.misses) < 8:
            self.misses += [f"{where}: false {k!r}" for k in sorted(map(repr, predicted - gold))][:2]
            self.misses += [f"{where}: missed {k!r}" for k in sorted(map(repr, gold - predicted))][:2]

    def summary(self) -> dict[str, Any]:
        return {"gold": self.tp + self.fn, "found": self.tp + self.fp, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "examples": self.misses[:6]}


def score(items: Iterable[tuple[str, Keys, Keys]]) -> dict[str, Score]:
    scores = {t: Score() for t in TYPES}
    for where, predicted, gold in items:
        for t in TYPES:
            scores[t].add(predicted[t], gold[t], where)
    return scores


# -- the texts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    where: str
    title: str
    lead: str | None
    paragraphs: tuple[str, ...]
    gold: Keys
    places: frozenset[str] = frozenset()  # gold place names (match_key), for the NER baseline's LOC


def seed_texts() -> list[Text]:
    articles = json.loads((SEEDS / "seeds_articles.json").read_text(encoding="utf-8"))["articles"]
    gold = json.loads((SEEDS / "seeds_gold.json").read_text(encoding="utf-8"))["seeds"]
    out = []
    for a in articles:
        g = gold[a["file"]]
        keys = gold_keys(((o["name"], o["positions"]) for o in g["officials"]), g["persons"],
                         ((d["number"], d.get("title")) for d in g["documents"]),
                         ((m["ordinal"], m["body"], m["term"]) for m in g["meetings"]),
                         ((f["value"], f["unit"]) for f in g["figures"]))
        out.append(Text(a["file"], a["title"], a["lead"], tuple(a["paragraphs"]), keys))
    return out


def replica_texts(pages: Sequence[GoldPage], profiles: dict[str, Profile]) -> tuple[list[Text], list[Text]]:
    """(extracted, gold text) of every generated article; an article the extractor quarantines reads as empty."""
    extracted, generated = [], []
    for page in pages:
        a = page.article
        if a.ref.key.startswith("seed-"):
            continue
        gold, places = replica_gold(a), frozenset(match_key(p.name) for p in a.entities.places)
        where = f"{page.site}/{a.ref.key}"
        rec = extract(page.body, page.url, profiles[page.site], page.content_type, mentions=False)
        if isinstance(rec, ArticleRecord):
            extracted.append(Text(where, rec.title, rec.lead, tuple(rec.paragraphs), gold, places))
        else:
            extracted.append(Text(where, "", None, (), gold, places))
        generated.append(Text(where, a.title, a.lead, a.paragraphs, gold, places))
    return extracted, generated


def rules(texts: Sequence[Text]) -> dict[str, Score]:
    return score((t.where, predicted_keys(mentions_of(t.title, t.lead, t.paragraphs)), t.gold) for t in texts)


# -- the NER baseline ----------------------------------------------------------------------------------------------


def ner_spans(text: str) -> list[tuple[str, str]]:
    """(label, text) of underthesea's NER entities in `text` (PER, LOC, ORG; B-/I- tags joined)."""
    from underthesea import ner

    spans: list[tuple[str, list[str]]] = []
    for token in ner(text):
        word, tag = token[0], token[-1]
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][0] != tag[2:])):
            spans.append((tag[2:], [word]))
        elif tag.startswith("I-"):
            spans[-1][1].append(word)
        else:
            spans.append(("O", []))
    return [(label, " ".join(words)) for label, words in spans if label != "O"]


_LEADING = tuple(f"{w} " for w in ("khu vực tỉnh", "thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận",
                                    "xã", "phường", "đồng chí", "ông", "bà"))


def _ner_key(span: str) -> str:
    """A NER span's key, lenient: a leading unit or title word dropped ("huyện Gia Lộc" → "gia lộc"), as the
    gold writes names without them."""
    key = match_key(span)
    for lead in _LEADING:
        if key.startswith(lead):
            return key[len(lead):]
    return key


def ner_baseline(texts: Sequence[Text]) -> tuple[dict[str, Score], float]:
    """underthesea NER alone: PER spans as names, LOC spans as places; and its CPU seconds per article."""
    names, places = Score(), Score()
    start = time.process_time()
    for t in texts:
        found: dict[str, set[str]] = {"PER": set(), "LOC": set()}
        for passage in passages_of(t.title, t.lead, t.paragraphs):
            for label, span in ner_spans(passage.text):
                if label in found:
                    found[label].add(_ner_key(span))
        names.add(found["PER"], t.gold["names"], t.where)
        if t.places:
            places.add(found["LOC"], set(t.places), t.where)
    seconds = (time.process_time() - start) / max(1, len(texts))
    return {"names": names, "places": places}, seconds


# -- speed ------------------------------------------------------------------------------------------------


def _speed(pages: Sequence[GoldPage], profiles: dict[str, Profile], seconds: float,
           trafilatura: bool) -> dict[str, Any]:
    items = [(p.body, p.url, profiles[p.site], p.content_type) for p in pages]

    def ours(i: tuple[bytes, str, Profile, str]) -> object:
        return extract(i[0], i[1], i[2], i[3], mentions=False)

    def ours_mentions(i: tuple[bytes, str, Profile, str]) -> object:  # the pipeline's path: the record's mentions
        return extract(i[0], i[1], i[2], i[3], mentions=True)

    runners: dict[str, Callable[[Any], object]] = {"extract": ours, "extract+mentions": ours_mentions}
    if trafilatura:
        import trafilatura as traf

        runners["trafilatura"] = lambda i: traf.extract(i[0], url=i[1], with_metadata=True)
    rates = pages_per_second(items, runners, seconds)
    # the finders alone on the extracted records, for mentions per second and ms per article
    records = [r for r in (ours(i) for i in items) if isinstance(r, ArticleRecord)]
    start, count, rounds = time.process_time(), 0, 0
    while rounds == 0 or time.process_time() - start < 1.0:
        for r in records:
            count += len(mentions_of(r.title, r.lead, r.paragraphs))
        rounds += 1
    cpu = time.process_time() - start
    out: dict[str, Any] = {
        "clock": "process CPU time, one core, runners alternating per 25 pages",
        "pages": len(items),
        **{f"{k}_pages_per_s": round(v, 1) for k, v in rates.items()},
        "mentions_share_of_transform": round(1 - rates["extract+mentions"] / rates["extract"], 3),
        "mentions_ms_per_article": round(1000 * cpu / (rounds * len(records)), 3),
        "mentions_per_s": round(count / cpu),
    }
    if trafilatura:
        out["ratio_extract+mentions_vs_trafilatura"] = round(rates["extract+mentions"] / rates["trafilatura"], 2)
    return out


# -- report ------------------------------------------------------------------------------------------------


def _table(report: dict[str, Any]) -> str:
    lines = [f"{'set':<22} {'type':<18} {'gold':>6} {'found':>6} {'P':>7} {'R':>7}"]
    for set_name, scores in report["quality"].items():
        for t, s in scores.items():
            lines.append(f"{set_name:<22} {t:<18} {s['gold']:>6} {s['found']:>6} {s['precision']:>7.4f} "
                         f"{s['recall']:>7.4f}")
    if "speed" in report:
        lines.append(json.dumps(report["speed"], ensure_ascii=False))
    return "\n".join(lines)


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench mentions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-day", type=int, default=6, help="replica articles per site and day (default 6)")
    parser.add_argument("--days", type=int, default=10, help="replica days (default 10)")
    parser.add_argument("--sources", type=Path, default=ROOT / "sources" / "profiles")
    parser.add_argument("--speed-seconds", type=float, default=5.0, help="CPU seconds per speed runner")
    parser.add_argument("--no-ner", action="store_true", help="skip the underthesea baseline (slow)")
    parser.add_argument("--ner-limit", type=int, default=150, help="replica articles the NER baseline reads")
    parser.add_argument("--no-trafilatura", action="store_true", help="leave trafilatura out of the speed run")
    parser.add_argument("--quick", action="store_true", help="--days 3 --no-ner --speed-seconds 1")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    if args.quick:
        args.days, args.no_ner, args.speed_seconds = 3, True, 1.0
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core for every runner
    world = World(WorldConfig(per_day=args.per_day, days=args.days))
    pages = replica_pages(world, world.config.end)
    profiles = site_profiles(world, args.sources)
    extracted, generated = replica_texts(pages, profiles)
    seeds = seed_texts()
    report: dict[str, Any] = {"command": " ".join(["python -m bench mentions", *(argv or sys.argv[1:])]),
                              "replica_articles": len(extracted), "seed_articles": len(seeds), "quality": {}}
    quality = report["quality"]
    quality["replica (extracted)"] = {t: s.summary() for t, s in rules(extracted).items()}
    quality["replica (gold text)"] = {t: s.summary() for t, s in rules(generated).items()}
    quality["seeds"] = {t: s.summary() for t, s in rules(seeds).items()}
    if not args.no_ner:
        for name, texts in (("replica (extracted)", extracted[: args.ner_limit]), ("seeds", seeds)):
            scores, per_article = ner_baseline(texts)
            quality[f"NER {name}"] = {t: s.summary() for t, s in scores.items()}
            report[f"ner_ms_per_article {name}"] = round(1000 * per_article, 1)
    report["speed"] = _speed([p for p in pages if not p.article.ref.key.startswith("seed-")], profiles,
                             args.speed_seconds, not args.no_trafilatura)
    print(_table(report), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
