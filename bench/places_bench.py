"""Places: precision and recall of place mentions with the right post-2025 unit, on the replica and the seeds.

    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench places              # the default world (~2.5 min)
    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench places --baseline 0 # without the NER baseline (~20 s)
    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench places --days 10    # a smaller world

Every replica page is rendered, encoded and extracted (transforms.extract) as the pipeline does; the finder
reads the record's title, lead and paragraphs with the site's province and the page's day as its Context. A
place is matched on (name key, province_2025 key), once per article: the replica's gold is
`Entities.places` (name as written, province_current), the seeds' is the hand-written
tests/fixtures/mentions/seeds_places_gold.json. The replica also records the name inside a project's name
("Khu công nghiệp Tân Hưng") as a place; `replica_places_as_written` scores against its gold without the
names that occur only so (FACILITY_PREFIXES, from the replica's own templates), beside the raw figure.
`score` is what `python -m bench mentions` can fold in.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.scoring import Counts
from replica import vocab
from replica.world import World, WorldConfig
from transforms.extract import extract
from transforms.mentions.model import Context, Mention, Part, Passage
from transforms.mentions.places import COMMITTEE_WORDS, LEVEL_WORDS, find, gazetteer, key
from transforms.record import ArticleRecord
from transforms.text import fold_tone_marks
from transforms.units import legacy_unit, province_by_keyword, successors, unit_key

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "tests" / "fixtures" / "mentions" / "seeds_places_gold.json"

Pair = tuple[str, str]  # (place name key, post-2025 province key)
EXTRACT_SECONDS: list[float] = []  # transforms.extract's time per page, measured in the same run


def pair(name: str, province_2025: str | None) -> Pair:
    return key(name), unit_key(province_2025 or "")


@dataclass
class Score(Counts):
    """Micro precision and recall over articles, each article's places counted once."""

    articles: int = 0
    misses: list[tuple[str, Pair]] = field(default_factory=list)  # (article, pair) the finder missed
    wrong: list[tuple[str, Pair]] = field(default_factory=list)  # (article, pair) it found but gold lacks

    def add(self, article: str, found: set[Pair], gold: set[Pair]) -> None:
        self.articles += 1
        self.count(found, gold)
        self.misses += [(article, p) for p in sorted(gold - found)]
        self.wrong += [(article, p) for p in sorted(found - gold)]

    def summary(self) -> dict[str, Any]:
        return {"articles": self.articles, "gold": self.tp + self.fn, "found": self.tp + self.fp,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4)}


def passages(record: ArticleRecord) -> list[Passage]:
    out = [Passage(Part.TITLE, 0, record.title)]
    if record.lead:
        out.append(Passage(Part.LEAD, 0, record.lead))
    return out + [Passage(Part.BODY, i, text) for i, text in enumerate(record.paragraphs)]


def found_pairs(mentions: Iterable[Mention]) -> set[Pair]:
    return {pair(m.name or m.text, m.province_2025) for m in mentions}


def seed_gold(path: Path = SEED_GOLD) -> dict[str, set[Pair]]:
    """seed key ('seed-003') -> its gold pairs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {seed["key"]: {pair(p["name"], p["province_2025"]) for p in seed["places"]}
            for seed in data["seeds"].values()}


@dataclass(frozen=True)
class Extracted:
    site: str
    key: str
    passages: tuple[Passage, ...]
    context: Context
    gold: frozenset[Pair]  # the replica's gold (seeds: the replica's own seed gold, not used for scoring)
    as_places: frozenset[Pair]  # the part of it the text writes as a place (see `facility_only`)


# The replica records the name inside a project's name as a place ("Khu công nghiệp {p}", "cầu {p}"): a
# facility's name, not a place the text states (the seed gold leaves "Cụm công nghiệp Hồng Đức" out too).
FACILITY_PREFIXES = tuple(fold_tone_marks(t.split("{p}")[0]) for t in vocab.PROJECTS if "{p}" in t)


def facility_only(name: str, text: str) -> bool:
    """True when every occurrence of `name` in `text` follows a project template's words (or there is none);
    both in one tone-mark style ("thuỷ lợi" is "thủy lợi")."""
    name, text = fold_tone_marks(name), fold_tone_marks(text)
    at = [i for i in range(len(text)) if text.startswith(name, i)]
    return all(text[:i].endswith(FACILITY_PREFIXES) for i in at)


def extracted_pages(world: World, today: date) -> list[Extracted]:
    from bench.extract_bench import replica_pages, site_profiles  # the same pages the extraction bench scores

    profiles = site_profiles(world, ROOT / "sources" / "profiles")
    out = []
    for page in replica_pages(world, today):
        site = world.site(page.site)
        start = time.perf_counter()
        record = extract(page.body, page.url, profiles[page.site], page.content_type, mentions=False)
        EXTRACT_SECONDS.append(time.perf_counter() - start)
        if not isinstance(record, ArticleRecord):
            continue
        published = record.published_at.date() if record.published_at else None
        places = page.article.entities.places
        texts = tuple(passages(record))
        joined = "\n".join(p.text for p in texts)
        gold = frozenset(pair(p.name, p.province_current) for p in places)
        written = frozenset(pair(p.name, p.province_current) for p in places if not facility_only(p.name, joined))
        out.append(Extracted(page.site, page.article.ref.key, texts,
                             Context(province=site.province, published=published), gold, written))
    return out


def score(pages: Sequence[Extracted], seeds: dict[str, set[Pair]],
          with_context: bool = True) -> tuple[Score, Score, Score]:
    """(replica score, replica score on places as written, seed score); `with_context=False` reads every
    page without its source's province and day, to show what the context adds."""
    replica, written, seed = Score(), Score(), Score()
    for page in pages:
        mentions = list(find(page.passages, page.context if with_context else Context()))
        name = f"{page.site}/{page.key}"
        if page.key.startswith("seed-"):
            if page.key in seeds:
                seed.add(name, found_pairs(mentions), seeds[page.key])
        else:
            replica.add(name, found_pairs(mentions), set(page.gold))
            written.add(name, found_pairs(mentions), set(page.as_places))
    return replica, written, seed


def ner_pairs(passages: Sequence[Passage], context: Context) -> set[Pair]:
    """The baseline: underthesea's NER alone (its offline CRF model, shipped in the wheel), each LOC span a
    place; its unit is the province the span names (the package's keywords), else the source's province."""
    from underthesea import ner

    own = successors().get(legacy_unit(context.province) or "", None) if context.province else None
    found: set[Pair] = set()
    for passage in passages:
        spans: list[list[str]] = []
        for word, _pos, _chunk, tag in ner(passage.text):
            if tag == "B-LOC" or (tag == "I-LOC" and not spans):
                spans.append([word])
            elif tag == "I-LOC":
                spans[-1].append(word)
        for span in spans:
            name = without_level_words(" ".join(span))
            if not name:
                continue
            named = province_by_keyword(name)
            unit = successors().get(named, named) if named else own
            found.add(pair(name, unit))
    return found


LEVELS = frozenset(w.casefold() for w in (*LEVEL_WORDS, *COMMITTEE_WORDS, "tỉnh uỷ", "thành uỷ", "huyện uỷ"))


def without_level_words(span: str) -> str:
    """'Tỉnh ủy Hải Dương' -> 'Hải Dương': the level words NER keeps inside its LOC span."""
    words = span.split(" ")
    while words:
        two = " ".join(words[:2]).casefold()
        if two in LEVELS:
            words = words[2:]
        elif words[0].casefold() in LEVELS:
            words = words[1:]
        else:
            break
    return " ".join(words)


def baseline(pages: Sequence[Extracted], seeds: dict[str, set[Pair]], limit: int) -> tuple[Score, Score]:
    """underthesea NER on the seeds and on the first `limit` replica articles: (replica as written, seeds)."""
    written, seed = Score(), Score()
    replica = [p for p in pages if not p.key.startswith("seed-")][:limit]
    for page in [p for p in pages if p.key.startswith("seed-")] + replica:
        found = ner_pairs(page.passages, page.context)
        if page.key.startswith("seed-"):
            if page.key in seeds:
                seed.add(page.key, found, seeds[page.key])
        else:
            written.add(f"{page.site}/{page.key}", found, set(page.as_places))
    return written, seed


def timing(pages: Sequence[Extracted], rounds: int = 3) -> tuple[float, int]:
    """(the best round's seconds in the finder over all pages, mentions found): the machine is shared."""
    find([], Context())  # the gazetteer and patterns load once, outside the timing
    best, count = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = sum(len(list(find(page.passages, page.context))) for page in pages)
        best = min(best, time.perf_counter() - start)
    return best, count


def gold_units_unknown(pages: Sequence[Extracted]) -> tuple[int, int]:
    """(replica gold places, those whose name is no unit of their post-2025 province in the package): the
    replica's one list of communes for every province (tools/replica/vocab.py COMMUNES) names units that do
    not exist there."""
    gaz = gazetteer()
    known = {(k, unit_key(u.province_2025)) for (_tier, k), units in gaz.by_name.items() for u in units}
    pairs = [p for page in pages if not page.key.startswith("seed-") for p in page.gold]
    return len(pairs), sum(p not in known for p in pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=WorldConfig().days)
    parser.add_argument("--sites", type=int, default=WorldConfig().sites)
    parser.add_argument("--show", type=int, default=10, help="misses and wrong finds to print per part")
    parser.add_argument("--baseline", type=int, default=150, metavar="N",
                        help="replica articles for the underthesea NER baseline (slow: ~0.1 s an article); 0: none")
    args = parser.parse_args(argv)
    world = World(WorldConfig(days=args.days, sites=args.sites))
    pages = extracted_pages(world, world.config.end)
    replica, written, seed = score(pages, seed_gold())
    bare = score(pages, seed_gold(), with_context=False)
    seconds, count = timing(pages)
    total, unknown = gold_units_unknown(pages)
    result_baseline: dict[str, Any] | None = None
    if args.baseline:
        ner_written, ner_seeds = baseline(pages, seed_gold(), args.baseline)
        result_baseline = {"replica_places_as_written": ner_written.summary(), "seeds": ner_seeds.summary()}
    result = {"replica": replica.summary(), "replica_places_as_written": written.summary(), "seeds": seed.summary(),
              "without_context": {"replica_places_as_written": bare[1].summary(), "seeds": bare[2].summary()},
              "replica_gold_not_a_unit_of_its_province": f"{unknown}/{total}",
              "baseline_underthesea_ner": result_baseline,
              "speed": {"articles": len(pages), "mentions": count,
                        "ms_per_article": round(1000 * seconds / max(1, len(pages)), 3),
                        "extract_ms_per_page": round(1000 * sum(EXTRACT_SECONDS) / max(1, len(EXTRACT_SECONDS)), 3),
                        "mentions_per_s": round(count / seconds) if seconds else None}}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for label, s in (("replica_places_as_written", written), ("seeds", seed)):
        for kind, rows in (("missed", s.misses), ("wrong", s.wrong)):
            for article, p in rows[: args.show]:
                print(f"{label} {kind}: {article} {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
