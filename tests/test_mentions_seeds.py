"""The finders against the seed gold written by hand (tests/fixtures/mentions/seeds_gold.json), per type."""

from __future__ import annotations

import pytest

from bench.mentions_bench import rules, seed_texts

TARGETS = {"documents": (0.98, 0.95), "figures": (0.98, 0.95), "meetings": (0.98, 0.95),
           "officials": (0.95, 0.90)}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_seed_gold_precision_and_recall(kind: str) -> None:
    texts = seed_texts()
    assert len(texts) == 5
    score = rules(texts)[kind]
    low_p, low_r = TARGETS[kind]
    assert score.tp + score.fn > 0 or kind == "persons"
    assert score.precision >= low_p and score.recall >= low_r, score.summary()
