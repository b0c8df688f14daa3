"""Fault mode: the replica misbehaves like a real, flaky provincial site, reproducibly.

Every decision is a pure function of (fault seed, URL, how many times that URL was requested before), so a
test that makes the same requests sees the same faults. Faults on ordinary pages are transient: a URL never
fails more than `max_in_a_row` times in a row, so a crawler that retries at least that often gets every page.
Two faults are permanent by design: paths under /loop/ redirect forever (and one site links there), and one
site's listing pagination never ends (its renderer is given an EndlessWorld).
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any, overload

from replica.model import ArticleRef
from replica.world import World

LOOP_PREFIX = "/loop/"


class Fault(StrEnum):
    """What happens to one request."""

    NONE = "none"
    ERROR_500 = "500"
    ERROR_503 = "503"
    RESET = "reset"  # the connection is reset before any byte of the answer
    TRUNCATE = "truncate"  # Content-Length promises more bytes than are sent, then the connection closes
    SLOW = "slow"  # the answer comes after `slow_seconds`


@dataclass(frozen=True)
class Faults:
    """Fault rates (shares of requests, 0..1) and the two permanent traps. All off by default."""

    error_500: float = 0.0
    error_503: float = 0.0
    reset: float = 0.0
    truncate: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 2.0
    max_in_a_row: int = 2  # transient faults per URL in a row, at most
    redirect_loop_site: str | None = None  # this site links to /loop/1, which redirects forever
    endless_site: str | None = None  # this site's listing pagination never ends
    robots: bool = False  # let transient faults hit robots.txt too
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("error_500", "error_503", "reset", "truncate", "slow"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate {name}={rate} must be between 0 and 1")
        if self.transient_rate > 1.0:
            raise ValueError(f"fault rates add up to {self.transient_rate:.2f}; at most 1 is possible")
        if self.max_in_a_row < 0:
            raise ValueError(f"max_in_a_row={self.max_in_a_row} must be 0 or more")
        if self.slow_seconds < 0:
            raise ValueError(f"slow_seconds={self.slow_seconds} must be 0 or more")

    @property
    def transient_rate(self) -> float:
        return self.error_500 + self.error_503 + self.reset + self.truncate + self.slow

    @property
    def active(self) -> bool:
        return self.transient_rate > 0 or bool(self.redirect_loop_site or self.endless_site)

    def decide(self, url: str, nth: int) -> Fault:
        """The fault for the `nth` request (1-based) of `url`.

        A raw fault is drawn for every request; it is dropped when the `max_in_a_row` raw draws just before it
        were all faults too. So no URL fails more than `max_in_a_row` (K) times in a row, the decision needs
        nothing but the request count, and a total rate r really hits r * (1 - r**K) of the requests.
        """
        if nth < 1:
            raise ValueError(f"nth={nth} must be 1 or more")
        fault = self._draw(url, nth)
        if fault is Fault.NONE or self._raw_streak_before(url, nth) >= self.max_in_a_row:
            return Fault.NONE
        return fault

    def applies_to(self, path: str) -> bool:
        """Whether transient faults may hit `path` (robots.txt only when asked)."""
        return self.robots or path != "/robots.txt"

    def _raw_streak_before(self, url: str, nth: int) -> int:
        """How many raw draws right before the `nth` one were faults (looking back at most max_in_a_row)."""
        streak = 0
        for earlier in range(nth - 1, max(0, nth - 1 - self.max_in_a_row), -1):
            if self._draw(url, earlier) is Fault.NONE:
                break
            streak += 1
        return streak

    def _draw(self, url: str, nth: int) -> Fault:
        if self.transient_rate == 0:
            return Fault.NONE
        digest = hashlib.blake2b(f"{self.seed}|{nth}|{url}".encode(), digest_size=8).digest()
        point = int.from_bytes(digest, "big") / 2**64
        for fault, rate in (
            (Fault.ERROR_500, self.error_500),
            (Fault.ERROR_503, self.error_503),
            (Fault.RESET, self.reset),
            (Fault.TRUNCATE, self.truncate),
            (Fault.SLOW, self.slow),
        ):
            if point < rate:
                return fault
            point -= rate
        return Fault.NONE

    # -- command line ---------------------------------------------------------------------------------

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        """Add the fault flags (all off by default) to a command's parser."""
        group = parser.add_argument_group(
            "fault mode",
            "Make the replica misbehave, reproducibly (decisions depend on the URL and how often it was "
            "asked for). Rates are shares of requests between 0 and 1.",
        )
        group.add_argument("--fault-500", type=float, default=0.0, metavar="RATE", help="answer 500")
        group.add_argument("--fault-503", type=float, default=0.0, metavar="RATE",
                           help="answer 503 with Retry-After: 1")
        group.add_argument("--fault-reset", type=float, default=0.0, metavar="RATE",
                           help="reset the connection instead of answering")
        group.add_argument("--fault-truncate", type=float, default=0.0, metavar="RATE",
                           help="send a Content-Length larger than the body, then close")
        group.add_argument("--fault-slow", type=float, default=0.0, metavar="RATE",
                           help="answer after --fault-slow-seconds")
        group.add_argument("--fault-slow-seconds", type=float, default=2.0, metavar="S",
                           help="delay of a slow answer (default: 2)")
        group.add_argument("--fault-max-in-a-row", type=int, default=2, metavar="K",
                           help="a URL fails at most K times in a row: K+1 tries get it (default: 2)")
        group.add_argument("--fault-redirect-loop", metavar="SITE",
                           help="SITE's pages link to /loop/1, which redirects to /loop/2, ... forever")
        group.add_argument("--fault-endless-pagination", metavar="SITE",
                           help="SITE's listing pagination never ends: page N always links to page N+1")
        group.add_argument("--fault-robots", action="store_true",
                           help="let transient faults hit robots.txt too (spared by default)")
        group.add_argument("--fault-seed", type=int, default=0, metavar="N",
                           help="seed of the fault decisions (default: 0)")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Faults:
        return cls(
            error_500=args.fault_500,
            error_503=args.fault_503,
            reset=args.fault_reset,
            truncate=args.fault_truncate,
            slow=args.fault_slow,
            slow_seconds=args.fault_slow_seconds,
            max_in_a_row=args.fault_max_in_a_row,
            redirect_loop_site=args.fault_redirect_loop,
            endless_site=args.fault_endless_pagination,
            robots=args.fault_robots,
            seed=args.fault_seed,
        )

    def describe(self) -> str:
        """A one-line summary of the faults that are on."""
        default = Faults()
        on = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)
              if getattr(self, f.name) != getattr(default, f.name)]
        return ", ".join(on) or "off"


# -- endless pagination --------------------------------------------------------------------------------

_ENDLESS_ITEMS = 100_000  # about 6,700 listing pages of 15: no crawler reaches the end without a page cap


class EndlessRefs(Sequence[ArticleRef]):
    """A site's article list that goes on and on: item i is the real item i mod n.

    Listings page through it with len() and slices, so page N always has plausible (repeated) items and a
    link to page N+1. Slices that start within the real list, iteration, `in` and `.index` see only the
    real items, so feeds, sitemaps and related-article lists are exactly as without the fault.
    """

    def __init__(self, real: Sequence[ArticleRef]) -> None:
        self._real = real
        n = len(real)
        self._len = n * max(1, -(-_ENDLESS_ITEMS // n)) if n else 0

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> ArticleRef: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ArticleRef]: ...

    def __getitem__(self, index: int | slice) -> ArticleRef | Sequence[ArticleRef]:
        if isinstance(index, slice):
            span = range(*index.indices(self._len))
            if not span or span[0] < len(self._real):
                return self._real[index]  # within the real list (a feed, a first page): as without the fault
            return tuple(self[i] for i in span)
        if not -self._len <= index < self._len:
            raise IndexError(index)
        return self._real[index % len(self._real)]

    def __iter__(self) -> Iterator[ArticleRef]:
        return iter(self._real)

    def __contains__(self, item: object) -> bool:
        return item in self._real

    def __reversed__(self) -> Iterator[ArticleRef]:
        return reversed(self._real)

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        return tuple(self._real).index(value, start, len(self._real) if stop is None else stop)

    def count(self, value: Any) -> int:
        return tuple(self._real).count(value)


class EndlessWorld:
    """The world as the endless site's renderer sees it: the same, except that its lists never end."""

    def __init__(self, world: World, site_id: str) -> None:
        world.site(site_id)  # a KeyError naming the known sites
        self._world = world
        self._site_id = site_id

    def refs(self, site_id: str, today: date, category: str | None = None) -> Sequence[ArticleRef]:
        real = self._world.refs(site_id, today, category)
        return EndlessRefs(real) if site_id == self._site_id else real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._world, name)
