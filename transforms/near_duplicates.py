"""Near-duplicate articles across sources: the same story republished by another site, found by MinHash.

Each article's text (title, lead, body) is normalised (NFC, one tone-mark style, case folded, punctuation
dropped, source lines "Nguồn: …"/"Theo …" and bylines at the end taken off), cut into word shingles of
`SHINGLE_WORDS` words, and summarised by a MinHash signature of `NUM_PERM` 32-bit values (datasketch,
affine32 scheme: 4 × NUM_PERM bytes, storable as a list<uint32> or binary column). `find_duplicates` indexes
the signatures in a MinHashLSH and keeps the candidate pairs whose estimated Jaccard similarity reaches
`MIN_SIMILARITY`; each copy points at the most similar article published before it (a copy of a copy points
at the copy it follows: resolve chains to their root when a story's first publisher is wanted).

The parameters were chosen by measurement on the replica (bench/duplicates_bench.py): edited copies and copies
shortened to about half their paragraphs stay far above `MIN_SIMILARITY`, while different stories with the same
formulaic opening ("Chiều 5/10, UBND tỉnh … tổ chức phiên họp thường kỳ …") and the same site furniture stay
far below it.

Two articles of the same source are never paired. A site serving one story under two URLs is a matter for
canonical URLs (article_id), not for this table; and a site's own series (the monthly meeting, the weekly
report) share the most formulae and furniture, so they are where false pairs would come from. The table
answers "which articles are the same story republished by another site".

Pure: text in, pairs out; no I/O, deterministic.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from transforms import authors
from transforms.text import match_key

SHINGLE_WORDS = 5  # words per shingle: long enough that shared formulae ("tổ chức phiên họp thường kỳ") are rare
NUM_PERM = 128  # MinHash permutations: the signature is NUM_PERM uint32 values (512 bytes)
MIN_SIMILARITY = 0.5  # estimated Jaccard a pair needs to be a duplicate (measured: see the module docstring)
LSH_THRESHOLD = 0.4  # the LSH index's own threshold, below MIN_SIMILARITY so that few true pairs are missed
MAX_ARTICLES = 200_000  # the most articles one find_duplicates call indexes (memory: ~1 KB each in the index)
SEED = 1  # MinHash permutation seed: signatures are comparable only under the same seed, scheme and NUM_PERM
SCHEME = "affine32"
METHOD = f"minhash-{NUM_PERM}-w{SHINGLE_WORDS}"

_WORD = re.compile(r"\w+")


# -- text ----------------------------------------------------------------------------------------------


def strip_source_lines(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs without the source line, byline and photo credits that end them ("Nguồn: Báo X",
    "Theo Báo X", "Đình Bộ", "Ảnh: Thành Tâm"), as the extractor's byline reading takes them off."""
    body, _ = authors.strip_trailing(list(paragraphs))
    return body


def origin_of(paragraphs: Sequence[str]) -> str | None:
    """The origin a record's closing lines name ("Nguồn: Báo điện tử Hải Dương" → "Báo điện tử Hải Dương").

    The extractor already fills ArticleRecord.origin this way (transforms.authors.strip_trailing); this reads
    the same lines from paragraphs kept without it (e.g. a record's stored body)."""
    _, found = authors.strip_trailing(list(paragraphs))
    return found.origin


def normalize(text: str) -> str:
    """Matching form: NFC, one tone-mark style, case folded, words only (punctuation and spacing dropped)."""
    return " ".join(_WORD.findall(match_key(text)))


def article_text(title: str, lead: str | None, paragraphs: Sequence[str]) -> str:
    """The normalised text an article is compared on: title, lead and body, without its source lines."""
    parts = [title, lead or "", *strip_source_lines(paragraphs)]
    return normalize(" ".join(p for p in parts if p))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The word `size`-grams of normalised `text` (the whole text when it is shorter)."""
    words = text.split()
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i: i + size]).encode() for i in range(len(words) - size + 1)}


# -- signatures ----------------------------------------------------------------------------------------


def _hash32(data: bytes) -> int:
    return struct.unpack("<I", hashlib.blake2b(data, digest_size=4).digest())[0]


@lru_cache(maxsize=8)
def _template(num_perm: int) -> MinHash:
    """A MinHash whose permutations every signature shares (generated once per num_perm, not per article)."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, hashfunc=_hash32)


def _minhash(num_perm: int, hashvalues: np.ndarray | None = None) -> MinHash:
    template = _template(num_perm)
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, hashfunc=_hash32,
                   permutations=template.permutations, hashvalues=hashvalues)


def text_signature(text: str, num_perm: int = NUM_PERM, shingle_words: int = SHINGLE_WORDS) -> np.ndarray:
    """The MinHash signature (uint32 array of `num_perm` values) of already normalised `text`."""
    m = _minhash(num_perm)
    grams = shingles(text, shingle_words)
    if grams:
        m.update_batch(list(grams))
    return np.asarray(m.hashvalues, dtype=np.uint32)


def signature(title: str, lead: str | None, paragraphs: Sequence[str], num_perm: int = NUM_PERM,
              shingle_words: int = SHINGLE_WORDS) -> np.ndarray:
    """The MinHash signature of one article (title + lead + body, normalised, source lines off)."""
    return text_signature(article_text(title, lead, paragraphs), num_perm, shingle_words)


def to_bytes(sig: np.ndarray) -> bytes:
    """A signature as little-endian bytes (4 × num_perm), for a binary column."""
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    if len(a) != len(b):
        raise ValueError(f"signatures of {len(a)} and {len(b)} values cannot be compared")
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / len(a)


# -- pairs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One article to compare: its id, its source (site), when it was published, and its signature."""

    article_id: str
    source: str
    published_at: datetime | None  # aware; None sorts after every dated article
    signature: np.ndarray


@dataclass(frozen=True)
class DuplicatePair:
    """`article_id` is a copy of `duplicate_of`, the most similar article of another source published before it."""

    article_id: str
    duplicate_of: str
    similarity: float  # estimated Jaccard similarity of the two texts' shingles
    method: str


def _order(c: Candidate) -> tuple[bool, float, str, str]:
    """Who came first: earlier publication; on a tie (or no date) the smaller source, then article id."""
    return (c.published_at is None, c.published_at.timestamp() if c.published_at else 0.0, c.source,
            c.article_id)


def find_duplicates(
    articles: Iterable[Candidate],
    min_similarity: float = MIN_SIMILARITY,
    max_articles: int = MAX_ARTICLES,
) -> list[DuplicatePair]:
    """Duplicate pairs among `articles` (at most `max_articles`, else ValueError: split the batch, e.g. by
    month, and keep a window of the previous days). One pair per copy: the copy, and the most similar article
    published before it by another source, when their estimated similarity reaches `min_similarity`. An
    article that matches nothing earlier is an original and has no row. Sorted by article_id."""
    items = sorted(articles, key=_order)
    if len(items) > max_articles:
        raise ValueError(f"{len(items)} articles in one batch; at most {max_articles} (max_articles)")
    if not items:
        return []
    num_perm = len(items[0].signature)
    lsh = MinHashLSH(threshold=min(LSH_THRESHOLD, min_similarity), num_perm=num_perm)
    rank: dict[str, int] = {}
    for i, item in enumerate(items):
        if len(item.signature) != num_perm:
            raise ValueError(f"{item.article_id}: {len(item.signature)} values, the others have {num_perm}")
        if item.article_id in rank:
            raise ValueError(f"{item.article_id} given twice")
        rank[item.article_id] = i
        lsh.insert(item.article_id, _minhash(num_perm, item.signature))
    pairs = []
    for item in items:
        first = _best_match(item, items, rank, lsh.query(_minhash(num_perm, item.signature)), min_similarity)
        if first is not None:
            pairs.append(DuplicatePair(item.article_id, first[0].article_id, round(first[1], 4), METHOD))
    return sorted(pairs, key=lambda p: p.article_id)


def _best_match(item: Candidate, items: Sequence[Candidate], rank: dict[str, int], found: Iterable[str],
                min_similarity: float) -> tuple[Candidate, float] | None:
    """The most similar article published before `item`, of another source, similar enough (ties: the earlier
    one); None when `item` is first of its story. Most similar, not earliest: a different story that merely
    clears the threshold must not take the place of the copy's original."""
    best: tuple[Candidate, float] | None = None
    for other_id in found:
        other = items[rank[other_id]]
        if rank[other_id] >= rank[item.article_id] or other.source == item.source:
            continue
        sim = similarity(item.signature, other.signature)
        if sim >= min_similarity and (best is None or (-sim, rank[other_id]) < (-best[1], rank[best[0].article_id])):
            best = (other, sim)
    return best
