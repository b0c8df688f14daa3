"""Gold records: what a perfect extractor returns for each replica article, as JSON lines.

Written from the generator's objects (replica.model.Article), never from rendered HTML. One record per article
visible on `today`, in the version the site serves that day (a revision applies from its updated day on).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from replica import republish
from replica.model import Article, Site
from replica.world import World


def _category_name(site: Site, slug: str) -> str:
    for category in site.categories:
        if category.slug == slug:
            return category.name
    raise KeyError(f"{site.id}: article category {slug!r} is not one of the site's categories")


def _entities(article: Article) -> dict[str, list[dict[str, Any]]]:
    e = article.entities
    return {
        "officials": [{"name": o.name, "positions": list(o.positions)} for o in e.officials],
        "documents": [
            {"text": d.text, "type": d.type, "number": d.number, "issuer": d.issuer,
             "date": d.date.isoformat() if d.date else None}
            for d in e.documents
        ],
        "places": [{"name": p.name, "province_current": p.province_current} for p in e.places],
        "figures": [{"text": f.text, "value": f.value, "unit": f.unit} for f in e.figures],
        "meetings": [{"kind": m.kind, "ordinal": m.ordinal, "body": m.body, "term": m.term} for m in e.meetings],
    }


def record(world: World, site: Site, article: Article, today: date, port: int) -> dict[str, Any]:
    """The gold record of `article` as `site` serves it on `today`, with absolute URLs on `port`."""
    served = article.as_of(today)
    updated = article.updated_at(today)
    base = site.base_url(port)
    url = base + served.path
    return {
        "site": site.id,
        "key": served.ref.key,
        "url": url,
        "canonical_url": url,
        "title": served.title,
        "lead": served.lead,
        "paragraphs": list(served.paragraphs),
        "published_at": served.ref.published_at.isoformat(),
        "updated_at": updated.isoformat() if updated else None,
        "authors": list(served.authors),
        "author_org": served.author_org,
        "photographers": list(served.photographers),
        "origin": served.origin,
        "category": _category_name(site, served.ref.category),
        "tags": list(served.tags),
        "view_count": served.view_count,
        "images": [{"url": base + i.src, "caption": i.caption} for i in served.images],
        "video": served.video,  # the video file name as the site names it (TV family)
        "entities": _entities(served),
        "seed": served.seed,
        "republished_from": republish.gold_record(world, served.republished_from, port),
    }


def records(
    world: World, today: date, port: int, sites: Iterable[str] | None = None
) -> Iterable[dict[str, Any]]:
    """Gold records of every article visible on `today`, site by site, newest first within a site."""
    chosen = [world.site(s) for s in sites] if sites is not None else list(world.sites)
    for site in chosen:
        for ref in world.refs(site.id, today):
            yield record(world, site, world.article(site.id, ref.key), today, port)


def write(
    world: World, today: date, port: int, out_path: str | Path, sites: Iterable[str] | None = None
) -> int:
    """Stream the gold records to `out_path` as JSON lines (UTF-8, NFC text); return how many were written.

    The file appears atomically: it is written next to its destination and renamed into place.
    """
    out = Path(out_path)
    tmp = out.with_name(f".{out.name}.tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for rec in records(world, today, port, sites):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return count
