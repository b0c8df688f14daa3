"""The SharePoint portal republishes the newspaper: about half its articles are copies, named in the gold."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from replica import gold
from replica.model import Article
from replica.world import World, WorldConfig

CONFIG = WorldConfig(seed=11, sites=5, per_day=6, days=10)


@pytest.fixture(scope="module")
def world() -> World:
    return World(CONFIG)


def portal_articles(world: World) -> list[Article]:
    return [world.article("haiduonggov", r.key) for r in world.refs("haiduonggov", CONFIG.end)
            if not r.key.startswith("seed-")]


def original_of(world: World, copy: Article) -> Article:
    assert copy.republished_from is not None
    original = world.article(copy.republished_from.site_id, copy.republished_from.key)
    rev = original.revision  # the version the paper served when the portal copied it
    return original.as_of(original.ref.published_at.date()) if rev is None or rev.updated_at > \
        copy.ref.published_at else original.as_of(rev.updated_at.date())


def test_about_half_the_portal_copies_the_paper_in_three_ways(world: World) -> None:
    articles = portal_articles(world)
    copies = [a for a in articles if a.republished_from is not None]
    assert 0.4 <= len(copies) / len(articles) <= 0.6
    kinds = Counter(a.republished_from.kind for a in copies if a.republished_from)
    assert set(kinds) == {"verbatim", "edited", "shortened"} and min(kinds.values()) >= 5
    lines = Counter(a.republished_from.line for a in copies if a.republished_from)
    assert {"Nguồn: Báo điện tử Hải Dương", "Theo Báo Hải Dương", None} <= set(lines)
    originals = [a.republished_from.key for a in copies if a.republished_from]
    assert len(set(originals)) == len(originals)  # no paper article copied twice


def test_a_copy_follows_its_original_by_at_most_a_day(world: World) -> None:
    for copy in portal_articles(world):
        if copy.republished_from is None:
            assert copy.origin is None  # the portal's own story names no origin
            continue
        assert copy.republished_from.site_id == "baohaiduong"
        original = world.article("baohaiduong", copy.republished_from.key)
        assert original.ref.published_at < copy.ref.published_at
        assert copy.ref.published_at.date() - original.ref.published_at.date() <= timedelta(days=1)


def test_verbatim_shortened_and_edited_copies_keep_the_original_text(world: World) -> None:
    for copy in portal_articles(world):
        if copy.republished_from is None:
            continue
        original = original_of(world, copy)
        kind = copy.republished_from.kind
        assert copy.lead == original.lead
        if kind == "verbatim":
            assert (copy.title, copy.paragraphs) == (original.title, original.paragraphs)
        elif kind == "shortened":
            kept = len(copy.paragraphs)
            assert copy.title == original.title and copy.paragraphs == original.paragraphs[:kept]
            ours, theirs = (sum(b.kind == "p" for b in a.blocks) for a in (copy, original))
            assert theirs / 2 <= ours < theirs  # paragraphs dropped from the end, down to half
        else:
            assert (copy.title, copy.paragraphs) != (original.title, original.paragraphs)
            assert len(copy.paragraphs) == len(original.paragraphs)
            changed = [a for a, b in zip(copy.paragraphs, original.paragraphs, strict=True) if a != b]
            assert len(changed) <= 2


def test_a_shortened_copy_has_only_the_entities_of_the_paragraphs_it_keeps(world: World) -> None:
    dropped = 0
    for copy in portal_articles(world):
        if copy.republished_from is None or copy.republished_from.kind != "shortened":
            continue
        original = original_of(world, copy)
        for name in ("officials", "documents", "places", "figures"):
            ours, theirs = getattr(copy.entities, name), getattr(original.entities, name)
            assert set(ours) <= set(theirs)
            dropped += len(theirs) - len(ours)
    assert dropped > 0  # paragraphs dropped from the end took their entities with them


def test_gold_names_what_a_copy_copies(world: World) -> None:
    site = world.site("haiduonggov")
    records = [gold.record(world, site, a, CONFIG.end, 8377) for a in portal_articles(world)]
    copies = [r for r in records if r["republished_from"] is not None]
    assert copies and len(copies) < len(records)
    paper = {r["url"]: r for r in gold.records(world, CONFIG.end, 8377, ["baohaiduong"])}
    for rec in copies:
        source = rec["republished_from"]
        assert source["site"] == "baohaiduong" and source["url"] in paper
        assert paper[source["url"]]["key"] == source["key"]
        line = source["line"]
        assert rec["origin"] == (None if line is None else line.removeprefix("Nguồn: ").removeprefix(
            "Nguồn ").removeprefix("Theo "))
    assert all(r["origin"] is None for r in records if r["republished_from"] is None)


def test_the_copies_are_deterministic_and_leave_the_index_alone() -> None:
    a, b = World(CONFIG), World(CONFIG)
    assert a.republications("haiduonggov") == b.republications("haiduonggov")
    assert portal_articles(a) == portal_articles(b)
    assert a.republications("baohaiduong") == {}
    keys = [r.key for r in a.refs("haiduonggov", CONFIG.end)]
    assert all(world_path.endswith(f"-{k}.aspx") for k, world_path in
               ((k, a.article("haiduonggov", k).path) for k in keys))
