"""Near-duplicates: precision and recall of duplicate pairs on the replica's republished copies, MinHash beside
an exact content-hash baseline in the same run, and the time per article.

    .venv/bin/python bench/duplicates_bench.py                 # the reported run (default world, ~1 min)
    .venv/bin/python bench/duplicates_bench.py --days 5        # a fast look
    .venv/bin/python bench/duplicates_bench.py --sweep         # also P/R over shingle sizes and thresholds

The world is generated in-process; every article page of every site is rendered as the replica serves it on its
last day, extracted with transforms.extract.extract (with the site's profile, as the crawl does), and compared
across all sites. The gold pairs are (copy, original) for each portal copy whose gold names what it copies
(replica.republish); every other cross-source pair is a non-duplicate.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.extract_bench import PORT, GoldPage, replica_pages, site_profiles
from replica.world import World, WorldConfig
from transforms import near_duplicates as nd
from transforms.extract import extract
from transforms.record import ArticleRecord


@dataclass(frozen=True)
class Extracted:
    page: GoldPage
    record: ArticleRecord
    text: str  # normalised (nd.article_text)


def extracted(world: World, sources: Path) -> list[Extracted]:
    profiles = site_profiles(world, sources)
    out = []
    for page in replica_pages(world, world.config.end):
        rec = extract(page.body, page.url, profiles[page.site], page.content_type, mentions=False)
        if not isinstance(rec, ArticleRecord):
            raise RuntimeError(f"{page.url}: quarantined ({rec})")
        out.append(Extracted(page, rec, nd.article_text(rec.title, rec.lead, rec.paragraphs)))
    return out


def gold_pairs(items: Sequence[Extracted], world: World) -> dict[tuple[str, str], str]:
    """(copy id, original id) → how the copy was made, from the generator's objects."""
    by_url = {x.page.url: x.record.article_id for x in items}
    out = {}
    for x in items:
        copied = x.page.article.republished_from
        if copied is None:
            continue
        original = world.article(copied.site_id, copied.key)
        out[(x.record.article_id, by_url[world.site(copied.site_id).base_url(PORT) + original.path])] = copied.kind
    return out


def score(found: set[tuple[str, str]], gold: dict[tuple[str, str], str]) -> dict[str, Any]:
    hits = found & set(gold)
    by_kind = Counter(gold.values())
    hit_kind = Counter(gold[p] for p in hits)
    return {
        "pairs_found": len(found),
        "gold_pairs": len(gold),
        "precision": round(len(hits) / len(found), 4) if found else 1.0,
        "recall": round(len(hits) / len(gold), 4) if gold else 1.0,
        "recall_by_kind": {k: f"{hit_kind[k]}/{n}" for k, n in sorted(by_kind.items())},
    }


def minhash_run(items: Sequence[Extracted], num_perm: int, words: int, min_overlap: float,
                min_jaccard: float) -> dict[str, Any]:
    start = time.process_time()
    sigs = [nd.text_signature(x.text, num_perm, words) for x in items]
    signed = time.process_time()
    candidates = [nd.Candidate(x.record.article_id, x.page.site, x.record.published_at, s)
                  for x, s in zip(items, sigs, strict=True)]
    pairs = nd.find_duplicates(candidates, min_overlap=min_overlap, min_jaccard=min_jaccard)
    done = time.process_time()
    return {
        "pairs": {(p.article_id, p.duplicate_of) for p in pairs},
        "sigs": sigs,
        "signature_ms_per_article": round(1000 * (signed - start) / len(items), 3),
        "pairing_ms_per_article": round(1000 * (done - signed) / len(items), 3),
    }


def exact_hash_run(items: Sequence[Extracted]) -> dict[str, Any]:
    """The baseline: the same normalised text hashed exactly; the earliest of another source is the original."""
    start = time.process_time()
    first: dict[str, Extracted] = {}
    pairs = set()
    order = sorted(items, key=lambda x: (x.record.published_at, x.page.site, x.record.article_id))
    for x in order:
        digest = hashlib.sha1(x.text.encode()).hexdigest()
        seen = first.setdefault(digest, x)
        if seen is not x and seen.page.site != x.page.site:
            pairs.add((x.record.article_id, seen.record.article_id))
    return {"pairs": pairs, "ms_per_article": round(1000 * (time.process_time() - start) / len(items), 3)}


SPREAD_FLOOR = 0.15  # the different stories' overlap is reported over pairs at least this alike (Jaccard)


def similarity_spread(items: Sequence[Extracted], sigs: Sequence[nd.Signature],
                      gold: dict[tuple[str, str], str]) -> dict[str, Any]:
    """How far apart the two sides are: the true pairs' lowest Jaccard and overlap per kind, and, over every
    two different stories, the highest Jaccard, and the highest overlap among those with a Jaccard similarity
    of at least SPREAD_FLOOR (of different sources, and of the same source)."""
    ids = [x.record.article_id for x in items]
    index = {a: i for i, a in enumerate(ids)}
    values = np.stack([s.values for s in sigs])
    sizes = np.array([s.shingles for s in sigs], dtype=float)
    sites = np.array([x.page.site for x in items])
    true: dict[str, list[tuple[float, float]]] = {}
    for (copy, original), kind in gold.items():
        a, b = sigs[index[copy]], sigs[index[original]]
        true.setdefault(kind, []).append((nd.jaccard(a, b), nd.overlap(a, b)))
    partner = {index[c]: index[o] for c, o in gold} | {index[o]: index[c] for c, o in gold}
    worst = {"jaccard_cross_source": 0.0, "overlap_cross_source": 0.0, "jaccard_same_source": 0.0,
             "overlap_same_source": 0.0}
    worst_pair = ("", "")
    for i in range(len(items) - 1):
        j = (values[i + 1:] == values[i]).mean(axis=1)
        smaller = np.minimum(sizes[i + 1:], sizes[i])
        o = np.minimum(1.0, j * (sizes[i + 1:] + sizes[i]) / ((1 + j) * np.maximum(smaller, 1)))
        o[j < SPREAD_FLOOR] = 0.0
        if i in partner and partner[i] > i:
            j[partner[i] - i - 1] = o[partner[i] - i - 1] = 0.0  # the true pair is not a different story
        same = sites[i + 1:] == sites[i]
        for where, mask in (("cross_source", ~same), ("same_source", same)):
            if mask.any():
                worst[f"jaccard_{where}"] = max(worst[f"jaccard_{where}"], float(j[mask].max()))
                top = float(o[mask].max())
                if where == "cross_source" and top > worst["overlap_cross_source"]:
                    k = i + 1 + int(np.flatnonzero(mask)[int(np.argmax(o[mask]))])
                    worst_pair = (items[i].page.url, items[k].page.url)
                worst[f"overlap_{where}"] = max(worst[f"overlap_{where}"], top)
    return {
        "true_pairs_min_jaccard_by_kind": {k: round(min(v[0] for v in vs), 3) for k, vs in sorted(true.items())},
        "true_pairs_min_overlap_by_kind": {k: round(min(v[1] for v in vs), 3) for k, vs in sorted(true.items())},
        "different_stories_max": {k: round(v, 3) for k, v in worst.items()},
        "different_stories_max_overlap_pair": list(worst_pair),
    }


def sweep(items: Sequence[Extracted], gold: dict[tuple[str, str], str], num_perm: int) -> list[str]:
    lines = []
    for words in (3, 4, 5, 6, 8):
        for min_overlap in (0.5, 0.6, 0.7, 0.8, 0.9):
            for min_jaccard in (0.2, 0.3):
                s = score(minhash_run(items, num_perm, words, min_overlap, min_jaccard)["pairs"], gold)
                lines.append(f"w{words} overlap {min_overlap} jaccard {min_jaccard}: P {s['precision']:.4f} "
                             f"R {s['recall']:.4f} {s['recall_by_kind']}")
    return lines


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--per-day", type=int, default=6)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--num-perm", type=int, default=nd.NUM_PERM)
    parser.add_argument("--shingle-words", type=int, default=nd.SHINGLE_WORDS)
    parser.add_argument("--min-overlap", type=float, default=nd.MIN_OVERLAP)
    parser.add_argument("--min-jaccard", type=float, default=nd.MIN_JACCARD)
    parser.add_argument("--sweep", action="store_true", help="also P/R over shingle sizes and thresholds")
    parser.add_argument(
        "--sources", type=Path, default=Path(__file__).resolve().parents[1] / "sources" / "profiles"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    world = World(WorldConfig(seed=args.seed, sites=args.sites, per_day=args.per_day, days=args.days))
    start = time.process_time()
    items = extracted(world, args.sources)
    extract_s = time.process_time() - start
    gold = gold_pairs(items, world)
    ours = minhash_run(items, args.num_perm, args.shingle_words, args.min_overlap, args.min_jaccard)
    baseline = exact_hash_run(items)
    report: dict[str, Any] = {
        "command": " ".join(["bench/duplicates_bench.py", *(argv if argv is not None else sys.argv[1:])]),
        "articles": len(items),
        "sites": dict(Counter(x.page.site for x in items)),
        "extract_ms_per_article": round(1000 * extract_s / len(items), 1),
        # the origin the extractor reads off each page ("Nguồn: …"/"Theo …", or none) against the gold's
        "origin_read": f"{sum(x.record.origin == x.page.article.origin for x in items)}/{len(items)}",
        "minhash": {
            "params": {"num_perm": args.num_perm, "shingle_words": args.shingle_words,
                       "min_overlap": args.min_overlap, "min_jaccard": args.min_jaccard,
                       "lsh_threshold": min(nd.LSH_THRESHOLD, args.min_jaccard)},
            **score(ours["pairs"], gold),
            "signature_bytes": 4 + 4 * args.num_perm,
            "signature_ms_per_article": ours["signature_ms_per_article"],
            "pairing_ms_per_article": ours["pairing_ms_per_article"],
        },
        "baseline_exact_hash": {**score(baseline["pairs"], gold), "ms_per_article": baseline["ms_per_article"]},
        "similarity": similarity_spread(items, ours["sigs"], gold),
    }
    if args.sweep:
        report["sweep"] = sweep(items, gold, args.num_perm)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
