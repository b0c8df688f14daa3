"""Precision and recall over sets, the one counter the knowledge benches share (mentions, places)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Counts:
    """Micro-averaged true positives, false positives and false negatives over many (found, gold) sets."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def count(self, found: set[Any], gold: set[Any]) -> None:
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
