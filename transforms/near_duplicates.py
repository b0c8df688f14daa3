"""Near-duplicate articles across sources: the same story republished by another site, found by MinHash.

Each article's text (title, lead, body) is normalised (NFC, one tone-mark style, case folded, punctuation
dropped, source lines "Nguồn: …"/"Theo …", bylines and photo credits at the end taken off), cut into word
shingles of `SHINGLE_WORDS` words, and summarised by a `Signature`: `NUM_PERM` MinHash values (datasketch,
affine32 scheme, uint32) and the number of distinct shingles, 4 + 4 × NUM_PERM bytes (a binary column, or a
list<uint32>). `find_duplicates` indexes the signatures in a MinHashLSH (Jaccard threshold `LSH_THRESHOLD`) and
keeps a candidate pair when its estimated Jaccard similarity reaches `MIN_JACCARD` and its estimated overlap
(the share of the shorter text's shingles found in the other, from the Jaccard estimate and the two sizes)
reaches `MIN_OVERLAP`: a copy shortened to half its paragraphs keeps an overlap near 1 while its Jaccard
similarity falls to about a half. Each copy points at the most similar article of another source published
before it (a copy of a copy points at the copy it follows: follow the chain for a story's first publisher).

The parameters were chosen by measurement on the replica (`python -m bench duplicates [--sweep]`: 1,072
articles of 8 sites with 81 republished pairs; and `--seed 7 --per-day 12`: 2,246 articles, 174 pairs). Over
8-word shingles the true pairs' lowest Jaccard similarity is 0.34 (a copy shortened to half of a story whose
first paragraphs are its short ones; edited copies ≥ 0.68, verbatim ≥ 0.52, the low one a copy of a 3-paragraph
story the paper revised afterwards) and their lowest overlap 0.73; no two different stories of different
sources reach a Jaccard similarity of 0.24 (0.26 within one source), though many share formulaic openings
("Chiều 5/10, UBND tỉnh … tổ chức phiên họp thường kỳ …"), stock phrases and site furniture. A short story
made of stock phrases can lie largely inside a long one (overlap up to 0.67 at a Jaccard similarity under 0.24):
the Jaccard floor keeps those out, the overlap floor lets shortened copies in. Shorter shingles let the shared
phrases through (at 5 words different stories reach 0.31, at 3 words far more).

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
from transforms.text import fold_tone_marks, normalize_text

SHINGLE_WORDS = 8  # words per shingle: long enough that shared formulae and stock phrases make few common shingles
NUM_PERM = 128  # MinHash permutations: the signature is NUM_PERM uint32 values (512 bytes)
MIN_OVERLAP = 0.6  # estimated overlap (share of the shorter text found in the other) a duplicate needs
MIN_JACCARD = 0.3  # and estimated Jaccard similarity: a short text inside a long one is not a copy of it
LSH_THRESHOLD = 0.2  # the LSH index's own Jaccard threshold, below MIN_JACCARD so that few true pairs are missed
MAX_ARTICLES = 200_000  # the most articles one find_duplicates call takes: it holds them all in one LSH index
SEED = 1  # MinHash permutation seed: signatures are comparable only under the same seed, scheme and NUM_PERM
SCHEME = "affine32"
METHOD = f"minhash-{NUM_PERM}-w{SHINGLE_WORDS}"  # the pairs' `method` (name other parameters when changing them)

_WORD = re.compile(r"\w+")


# -- text ----------------------------------------------------------------------------------------------


def strip_source_lines(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs without the source line, byline and photo credits that end them ("Nguồn: Báo X",
    "Theo Báo X", "Đình Bộ", "Ảnh: Thành Tâm"), as the extractor's byline reading takes them off, and without
    source lines opening them (portals that print "Theo Báo X" above the text)."""
    body, _ = authors.strip_trailing(list(paragraphs))
    start = 0
    while start < len(body) and len(body[start]) <= 120 and authors.origin_line(body[start]) is not None:
        start += 1
    return body[start:]


def origin_of(paragraphs: Sequence[str]) -> str | None:
    """The origin a record's closing lines name ("Nguồn: Báo điện tử Hải Dương" → "Báo điện tử Hải Dương").

    The extractor already fills ArticleRecord.origin this way (transforms.authors.strip_trailing); this reads
    the same lines from paragraphs kept without it (e.g. a record's stored body)."""
    _, found = authors.strip_trailing(list(paragraphs))
    return found.origin


def normalize(text: str) -> str:
    """Matching form: NFC, one tone-mark style, case folded, words only (punctuation and spacing dropped)."""
    # match_key's form, without its cache: whole articles would only fill it
    return " ".join(_WORD.findall(fold_tone_marks(normalize_text(text)).casefold()))


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


@dataclass(frozen=True, eq=False)
class Signature:
    """An article's MinHash: `values` (uint32 × num_perm) and how many distinct shingles its text has (which
    turns the Jaccard estimate into an overlap estimate). 4 + 4 × num_perm bytes (`to_bytes`)."""

    values: np.ndarray
    shingles: int

    def to_bytes(self) -> bytes:
        """Little-endian: the shingle count, then the values (a binary column, or list<uint32> of both)."""
        return struct.pack("<I", self.shingles) + np.asarray(self.values, dtype="<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        (count,) = struct.unpack_from("<I", data)
        return cls(np.frombuffer(data, dtype="<u4", offset=4).astype(np.uint32), count)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Signature) and self.shingles == other.shingles \
            and np.array_equal(self.values, other.values)

    def __hash__(self) -> int:
        return hash((self.shingles, self.values.tobytes()))


def text_signature(text: str, num_perm: int = NUM_PERM, shingle_words: int = SHINGLE_WORDS) -> Signature:
    """The MinHash signature of already normalised `text`."""
    m = _minhash(num_perm)
    grams = shingles(text, shingle_words)
    if grams:
        m.update_batch(list(grams))
    return Signature(np.asarray(m.hashvalues, dtype=np.uint32), len(grams))


def signature(title: str, lead: str | None, paragraphs: Sequence[str], num_perm: int = NUM_PERM,
              shingle_words: int = SHINGLE_WORDS) -> Signature:
    """The MinHash signature of one article (title + lead + body, normalised, source lines off)."""
    return text_signature(article_text(title, lead, paragraphs), num_perm, shingle_words)


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets: the share of equal MinHash values."""
    if len(a.values) != len(b.values):
        raise ValueError(f"signatures of {len(a.values)} and {len(b.values)} values cannot be compared")
    return float(np.count_nonzero(a.values == b.values)) / len(a.values)


def overlap(a: Signature, b: Signature, j: float | None = None) -> float:
    """Estimated share of the shorter text's shingles that the longer one has (the overlap coefficient,
    |A∩B| / min(|A|, |B|), from the Jaccard estimate and the two sizes): about 1 for a shortened copy, whose
    Jaccard similarity falls with every paragraph it drops."""
    j = jaccard(a, b) if j is None else j
    smaller = min(a.shingles, b.shingles)
    if smaller == 0:
        return 0.0
    return min(1.0, j * (a.shingles + b.shingles) / ((1 + j) * smaller))


# -- pairs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One article to compare: its id, its source (site), when it was published, and its signature."""

    article_id: str
    source: str
    published_at: datetime | None  # aware; None sorts after every dated article
    signature: Signature


@dataclass(frozen=True)
class DuplicatePair:
    """`article_id` is a copy of `duplicate_of`, the most similar article of another source published before it."""

    article_id: str
    duplicate_of: str
    similarity: float  # estimated overlap: the share of the shorter text's shingles found in the other (`overlap`)
    method: str


def _order(c: Candidate) -> tuple[bool, float, str, str]:
    """Who came first: earlier publication; on a tie (or no date) the smaller source, then article id."""
    return (c.published_at is None, c.published_at.timestamp() if c.published_at else 0.0, c.source,
            c.article_id)


def find_duplicates(
    articles: Iterable[Candidate],
    min_overlap: float = MIN_OVERLAP,
    min_jaccard: float = MIN_JACCARD,
    max_articles: int = MAX_ARTICLES,
    method: str = METHOD,
) -> list[DuplicatePair]:
    """Duplicate pairs among `articles` (at most `max_articles`, else ValueError: split the batch, e.g. by
    month, and keep a window of the previous days). One pair per copy: the copy, and the most similar article
    published before it by another source, when their estimated overlap reaches `min_overlap` and their
    estimated Jaccard similarity `min_jaccard`. An article that matches nothing earlier is an original and has
    no row. Sorted by article_id."""
    items = sorted(articles, key=_order)
    if len(items) > max_articles:
        raise ValueError(f"{len(items)} articles in one batch; at most {max_articles} (max_articles)")
    if not items:
        return []
    num_perm = len(items[0].signature.values)
    lsh = MinHashLSH(threshold=min(LSH_THRESHOLD, min_jaccard), num_perm=num_perm)
    rank: dict[str, int] = {}
    for i, item in enumerate(items):
        if len(item.signature.values) != num_perm:
            raise ValueError(f"{item.article_id}: {len(item.signature.values)} values, the others have {num_perm}")
        if item.article_id in rank:
            raise ValueError(f"{item.article_id} given twice")
        rank[item.article_id] = i
        lsh.insert(item.article_id, _minhash(num_perm, item.signature.values))
    pairs = []
    for item in items:
        found = lsh.query(_minhash(num_perm, item.signature.values))
        best = _best_match(item, [items[rank[f]] for f in found if rank[f] < rank[item.article_id]],
                           min_overlap, min_jaccard)
        if best is not None:
            pairs.append(DuplicatePair(item.article_id, best[1].article_id, round(best[0], 4), method))
    return sorted(pairs, key=lambda p: p.article_id)


def _best_match(item: Candidate, earlier: Sequence[Candidate], min_overlap: float,
                min_jaccard: float) -> tuple[float, Candidate] | None:
    """The most similar of the `earlier` articles of another source, similar enough (ties: the earlier one);
    None when `item` is the first of its story. Most similar, not earliest: a different story that merely
    clears the thresholds must not take the place of the copy's original."""
    best: tuple[float, float, Candidate] | None = None
    for other in sorted(earlier, key=_order):
        if other.source == item.source:
            continue
        j = jaccard(item.signature, other.signature)
        o = overlap(item.signature, other.signature, j)
        if j >= min_jaccard and o >= min_overlap and (best is None or (o, j) > best[:2]):
            best = (o, j, other)
    return (best[0], best[2]) if best is not None else None
