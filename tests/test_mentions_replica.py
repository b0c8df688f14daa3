"""The finders against the replica's gold entities, on a small world's generated text (no rendering)."""

from __future__ import annotations

from bench.mentions_bench import Text, replica_gold, rules
from replica.world import World, WorldConfig

TARGETS = {"documents": (0.98, 0.95), "figures": (0.98, 0.95), "meetings": (0.98, 0.95),
           "officials": (0.95, 0.90)}


def test_replica_gold_precision_and_recall() -> None:
    world = World(WorldConfig(per_day=2, days=3))
    texts = [Text(f"{s.id}/{r.key}", a.title, a.lead, a.paragraphs, replica_gold(a))
             for s in world.sites for r in world.refs(s.id, world.config.end) if not r.key.startswith("seed-")
             for a in [world.article(s.id, r.key)]]
    scores = rules(texts)
    for kind, (low_p, low_r) in TARGETS.items():
        s = scores[kind]
        assert s.tp > 0 and s.precision >= low_p and s.recall >= low_r, (kind, s.summary())
    # an official is matched with every position the article gives them
    assert any(len(key[1]) > 1 for t in texts for key in t.gold["officials"])
