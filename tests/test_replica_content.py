"""The replica's article generator: deterministic, time-aware, and honest about the entities it renders."""

from __future__ import annotations

import random
import re
import time
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from datetime import time as dtime

import pytest

from replica import content, gold
from replica.model import Article, ArticleRef, Family
from replica.paths import key_from_path
from replica.world import World, WorldConfig
from transforms.constants import VN_TZ

SMALL = WorldConfig(seed=5, sites=5, per_day=4, days=6)
EDITED = replace(SMALL, edit_rate=0.5)  # many revisions, to test them


def text_of(article: Article) -> str:
    """Everything a reader sees of the article: title, lead, paragraphs, subheadings and captions."""
    parts = [article.title, article.lead or ""]
    parts += [b.image.caption or "" if b.image is not None else b.text for b in article.blocks]
    return "\n".join(parts)


def generated(world: World, today: date) -> list[Article]:
    return [world.article(s.id, r.key) for s in world.sites for r in world.refs(s.id, today)
            if not r.key.startswith("seed-")]


@pytest.fixture(scope="module")
def world() -> World:
    return World(EDITED)


def test_same_seed_same_article() -> None:
    a, b = World(SMALL), World(SMALL)
    for site in a.sites:
        for ref in a.refs(site.id, SMALL.end)[:5]:
            assert a.article(site.id, ref.key) == b.article(site.id, ref.key)
    ref = a.refs("baohaiduong", SMALL.end)[0]
    site = a.site("baohaiduong")
    assert content.generate(site, ref, random.Random(1)) == content.generate(site, ref, random.Random(1))
    assert content.generate(site, ref, random.Random(1)) != content.generate(site, ref, random.Random(2))


def test_today_hides_future_articles_and_new_days_come_on_top() -> None:
    world = World(SMALL)
    for site in world.sites:
        previous = None
        for offset in range(SMALL.days):
            day = SMALL.start + timedelta(days=offset)
            refs = list(world.refs(site.id, day))
            assert all(r.published_at.date() <= day for r in refs)
            assert refs == sorted(refs, key=lambda r: r.published_at, reverse=True)
            if previous is not None:
                new = refs[: len(refs) - len(previous)]
                assert new, f"{site.id}: nothing published on {day}"
                assert all(r.published_at.date() == day for r in new)
                assert refs[len(new):] == previous  # yesterday's list slides down unchanged
            previous = refs
        # the day before the window shows only the seed articles (dated 2021-2023)
        before = world.refs(site.id, SMALL.start - timedelta(days=1))
        assert all(r.key.startswith("seed-") for r in before)


def test_revision_is_served_only_from_its_updated_day(world: World) -> None:
    edited = [a for a in generated(world, EDITED.end) if a.revision is not None]
    assert len(edited) >= 10
    for article in edited:
        rev = article.revision
        assert rev is not None and article.ref.updated_at == rev.updated_at
        assert rev.updated_at > article.ref.published_at
        day = rev.updated_at.date()
        before, after = article.as_of(day - timedelta(days=1)), article.as_of(day)
        assert (before.title, before.blocks) == (article.title, article.blocks)
        assert (after.title, after.blocks) == (rev.title, rev.blocks)
        # something the reader sees really changed
        assert (after.title, after.paragraphs) != (before.title, before.paragraphs)
        site = world.site(article.ref.site_id)
        old = gold.record(world, site, article, day - timedelta(days=1), 80)
        new = gold.record(world, site, article, day, 80)
        assert old["updated_at"] is None and old["title"] == article.title
        assert new["updated_at"] == rev.updated_at.isoformat() and new["title"] == rev.title
        assert new["paragraphs"] == list(after.paragraphs)


def _figure_value(text: str) -> float:
    number = text.split(" ")[0].rstrip("%")
    return float(number.replace(".", "").replace(",", "."))


def _date_forms(d: date) -> tuple[str, str]:
    return f"{d.day}/{d.month}/{d.year}", f"{d.day}.{d.month}.{d.year}"


def test_every_recorded_entity_is_in_the_text(world: World) -> None:
    seed_articles = [world.article(s.id, r.key) for s in world.sites
                     for r in world.refs(s.id, EDITED.end) if r.key.startswith("seed-")]
    articles = generated(world, EDITED.end) + seed_articles
    totals = {"officials": 0, "documents": 0, "places": 0, "figures": 0}
    meetings = several = 0  # meetings; officials with more than one position
    for article in articles:
        e = article.entities
        for version in (article, article.as_of(date(2100, 1, 1))):  # before and after any revision
            text = text_of(version)
            for o in e.officials:
                assert o.name in text and all(p in text for p in o.positions), (article.path, o)
            for d in e.documents:
                assert d.text in text and (d.issuer is None or d.issuer in text), (article.path, d)
                assert d.number in d.text and d.text.startswith(d.type)
                if d.date is not None:
                    assert any(form in text for form in _date_forms(d.date)), (article.path, d)
            for p in e.places:
                assert p.name in text and p.province_current, (article.path, p)
            for f in e.figures:
                assert f.text in text and f.text.endswith(f.unit), (article.path, f)
                assert _figure_value(f.text) == pytest.approx(f.value)
            for m in e.meetings:
                assert m.body in text and f" {m.term} " in text and f"thứ {m.ordinal} " in text, (article.path, m)
        totals = {k: totals[k] + len(getattr(e, k)) for k in totals}
        meetings += len(e.meetings)
        several += sum(len(o.positions) > 1 for o in e.officials)
    assert all(n > 50 for n in totals.values()), totals
    assert meetings > 5 and several > 50, (meetings, several)


def test_every_rendered_document_number_and_percentage_is_recorded(world: World) -> None:
    """The other direction: what the text shows as a document number or a percentage is in the entities."""
    doc_number = re.compile(
        r"\b\d+(?:/\d{4})?/(?:QĐ|KH|CT|NQ)-[A-ZĐ]+\b|\b\d+-(?:NQ|KH|CT|TB|KL|CTr)/T[UW]\b"
    )
    percent = re.compile(r"\d[\d.]*(?:,\d+)?%")
    seen_docs = seen_percents = 0
    for article in generated(world, EDITED.end):
        text = text_of(article)
        numbers, percents = set(doc_number.findall(text)), set(percent.findall(text))
        assert numbers <= {d.number for d in article.entities.documents}, article.path
        assert percents <= {f.text for f in article.entities.figures}, article.path
        seen_docs, seen_percents = seen_docs + len(numbers), seen_percents + len(percents)
    assert seen_docs > 50 and seen_percents > 50


def test_family_conventions(world: World) -> None:
    for article in generated(world, EDITED.end):
        site = world.site(article.ref.site_id)
        fam = site.family
        assert key_from_path(article.path) == article.ref.key
        assert world.article_by_path(site.id, article.path) is article
        assert 2 <= len(article.blocks) <= 60
        assert article.revision is None or len(article.revision.blocks) <= 60
        assert 0 <= len(article.images) <= 4
        assert all(re.fullmatch(r"/uploads/\d{4}/\d{2}/[\w-]+\.jpg", i.src) for i in article.images)
        assert (article.lead is None) == (fam is Family.PARTY)
        assert (article.author_org is not None) == (fam is Family.PARTY)
        # only a republished copy names an origin, and only when it prints a source line
        copied = article.republished_from
        assert (copied is not None) <= (fam is Family.SHAREPOINT)
        assert article.origin == (copied.line.split(" ", 1)[1].removeprefix(" ") if copied and copied.line
                                  else None)
        assert (article.view_count is not None) == (fam in (Family.LIFERAY, Family.TV))
        assert article.video is None or (fam is Family.TV and ".mp4" in article.video)
        assert len(article.authors) <= 2 and 2 <= len(article.tags) <= 5
        for text in (article.title, *([article.lead] if article.lead else []), *article.paragraphs):
            assert text and unicodedata.is_normalized("NFC", text) and text == text.strip()


def test_places_before_and_after_the_2025_reorganisation() -> None:
    world = World(SMALL)
    site = world.site("baohaiduong")
    before = content.generate(site, ArticleRef(site.id, "20240310-01",
                                               _at(date(2024, 3, 10)), "chinh-tri"), random.Random(3))
    after = world.article(site.id, world.refs(site.id, SMALL.end)[0].key)
    assert "Hải Dương" in {p.name for p in before.entities.places}
    assert "Hải Phòng" in {p.name for p in after.entities.places}
    assert {p.province_current for p in before.entities.places + after.entities.places} == {"Hải Phòng"}


def _at(day: date) -> datetime:
    return datetime.combine(day, dtime(9, 30), VN_TZ)


def test_tone_mark_styles_are_mixed_across_articles(world: World) -> None:
    assert content.old_style("Tỉnh ủy Hòa Bình hóa hoàn thủy") == "Tỉnh uỷ Hoà Bình hoá hoàn thuỷ"
    texts = [text_of(a) for a in generated(world, EDITED.end)]
    old = sum("uỷ" in t for t in texts)
    new = sum("ủy" in t for t in texts)
    both = sum("uỷ" in t and "ủy" in t for t in texts)
    assert old > 10 and new > 10 and both > 0


def test_thousand_articles_generate_with_varied_lengths() -> None:
    big = World(WorldConfig(seed=9, sites=10, per_day=20, days=7))  # three of the ten are small sites
    start = time.perf_counter()
    articles = [big.article(s.id, r.key) for s in big.sites for r in big.refs(s.id, big.config.end)
                if not r.key.startswith("seed-")][:1000]
    elapsed = time.perf_counter() - start
    assert len(articles) == 1000
    assert len({(a.ref.site_id, a.path) for a in articles}) == 1000
    sizes = [len(a.blocks) for a in articles]
    assert min(sizes) <= 3 and 30 <= max(sizes) <= 60
    assert len({a.title for a in articles}) > 40
    own = [a for a in articles if a.republished_from is None]  # the portal's copies repeat the paper
    assert 900 < len(own) < 1000
    assert len({a.paragraphs for a in own}) == len(own)  # no two bodies alike
    second = [a.paragraphs[1] for a in own if len(a.paragraphs) > 1]
    assert len(set(second)) >= 0.99 * len(second)  # and hardly a paragraph repeats
    print(f"generated 1000 articles in {elapsed:.2f} s")
