"""A portal that republishes a newspaper, as real provincial portals do.

About half of a republishing portal's articles (`SHARE`) are copies of the paper's articles of the same day
or the day before (always published before the copy): some verbatim, some edited (title reworded, a sentence
changed or added), some shortened (paragraphs dropped from the end, down to about half). A copy ends with a
source line ("Nguồn: Báo điện tử Hải Dương", "Theo Báo Hải Dương") or with none. The rest of the portal's
articles are its own stories, generated as on any other site.

The copy is made from the generator's own objects (the original `Article`), never from rendered HTML, and it
records what it copies in `Article.republished_from`. Its entities are the original's, less those that only
appeared in dropped paragraphs; the copy's edits add no entity and touch no paragraph that mentions one.

Deterministic: which portal articles are copies, and of what, depends only on the world's index and seed.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
import re
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from replica.model import Article, ArticleRef, Block, Entities, Image, Republication, Revision, Site
from replica.paths import article_path

if TYPE_CHECKING:
    from replica.world import World

SHARE = 0.5  # share of a portal's articles that are copies (when the paper has a candidate)
KINDS = ("verbatim", "edited", "shortened")
KIND_WEIGHTS = (0.35, 0.35, 0.30)
MIN_SHORTENED_PARAGRAPHS = 2  # a shortened copy keeps at least this many paragraphs (and at least half)

# Sentences a portal editor adds: no number, no name, no place, so they record no entity.
_ADDED = (
    "Đây là nhiệm vụ trọng tâm, cần được triển khai quyết liệt trong thời gian tới.",
    "Các cơ quan, đơn vị liên quan cần phối hợp chặt chẽ để tổ chức thực hiện.",
    "Kết quả thực hiện sẽ được tổng hợp, báo cáo định kỳ.",
    "Nhiều ý kiến đánh giá cao những kết quả đã đạt được.",
    "Các đại biểu đã thảo luận sôi nổi, thẳng thắn và trách nhiệm.",
    "Cổng thông tin điện tử tỉnh sẽ tiếp tục cập nhật thông tin.",
)
# How a portal editor rewords a title (phrase → phrase); none introduces an entity.
_REWORDINGS = (
    ("Đẩy nhanh", "Tăng tốc"), ("Đẩy mạnh", "Thúc đẩy"), ("Tháo gỡ", "Gỡ"), ("quan trọng", "trọng tâm"),
    ("Quyết tâm", "Nỗ lực"), ("Phấn đấu", "Quyết tâm"), ("Bế mạc", "Kết thúc"), ("Chung tay", "Cùng chung tay"),
    ("Chăm lo", "Quan tâm chăm lo"), ("Công bố", "Trao"), ("Thu hút đầu tư", "Thu hút vốn đầu tư"),
    ("Tạo động lực mới", "Động lực mới"), ("Bảo đảm", "Đảm bảo"),
    ("họp phiên thường kỳ", "tổ chức phiên họp thường kỳ"),
    ("Kiểm tra", "Khảo sát"), ("Phát huy", "Tiếp tục phát huy"), ("cho ý kiến", "thảo luận, cho ý kiến"),
    ("Hội nghị", "Tổ chức hội nghị"), ("Kỳ họp", "Khai mạc kỳ họp"), ("Chuyển đổi số:", "Chuyển đổi số -"),
)
_SENTENCE_END = re.compile(r"(?<=\.) (?=[^\W\d_])")


# -- which articles are copies -------------------------------------------------------------------------


def source_lines(portal: Site, paper: Site) -> tuple[tuple[str | None, float], ...]:
    """The source lines a copy may end with, and how often; None: no line at all."""
    full = portal.republishes or paper.name
    return ((f"Nguồn: {full}", 0.35), (f"Theo {paper.name}", 0.3), (f"Nguồn {full}", 0.1), (None, 0.25))


def line_origin(line: str | None) -> str | None:
    """The origin a source line names ("Theo Báo Hải Dương" → "Báo Hải Dương")."""
    if line is None:
        return None
    return re.sub(r"^(?:Nguồn:?|Theo)\s+", "", line)


def _matches_category(portal_slug: str, paper_slug: str) -> bool:
    return paper_slug in portal_slug or portal_slug in paper_slug


def plan(
    portal: Site,
    portal_refs: Sequence[ArticleRef],
    paper: Site,
    paper_refs: Sequence[ArticleRef],
    rng_for: Callable[[str], random.Random],
) -> dict[str, Republication]:
    """Portal key → what that copy copies. Each paper article is copied at most once; a copy's original is
    published on the copy's day or the day before, and before the copy. `paper_refs` is oldest first."""
    generated = [r for r in paper_refs if not r.key.startswith("seed-")]
    times = [r.published_at for r in generated]
    lines = source_lines(portal, paper)
    used: set[str] = set()
    out: dict[str, Republication] = {}
    for ref in sorted(portal_refs, key=lambda r: r.published_at):
        if ref.key.startswith("seed-"):
            continue
        rng = rng_for(ref.key)
        if rng.random() >= SHARE:
            continue
        day_before = datetime.combine(ref.published_at.date() - timedelta(days=1), time(), ref.published_at.tzinfo)
        window = generated[bisect.bisect_left(times, day_before): bisect.bisect_left(times, ref.published_at)]
        free = [r for r in window if r.key not in used]
        preferred = [r for r in free if _matches_category(ref.category, r.category)] or free
        if not preferred:
            continue
        original = rng.choice(preferred)
        used.add(original.key)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        line = rng.choices([v for v, _ in lines], [w for _, w in lines])[0]
        out[ref.key] = Republication(paper.id, original.key, kind, line)
    return out


# -- the copy ------------------------------------------------------------------------------------------


def _served_at(article: Article, moment: datetime) -> Article:
    """The original as its site served it at `moment` (its revision only once it was made)."""
    rev = article.revision
    if rev is not None and rev.updated_at <= moment:
        return dataclasses.replace(article, title=rev.title, blocks=rev.blocks)
    return article


def _surface(entity: object) -> str | None:
    """The text an entity is written as: its `text` (documents, figures) or its `name` (people, places)."""
    value = getattr(entity, "text", None) or getattr(entity, "name", None)
    return value if isinstance(value, str) else None


def mentions(surface: str, text: str) -> bool:
    """Whether `surface` is written in `text` as a whole (not "8,5%" inside "18,5%", nor "Hà" in "Hàm")."""
    start = text.find(surface)
    while start >= 0:
        end = start + len(surface)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in ".,") and not after.isalnum():
            return True
        start = text.find(surface, start + 1)
    return False


def _visible_text(title: str, lead: str | None, blocks: Sequence[Block]) -> str:
    parts = [title, lead or ""]
    parts += [(b.image.caption or "") if b.image is not None else b.text for b in blocks]
    return "\n".join(parts)


def kept_entities(entities: Entities, text: str) -> Entities:
    """The entities still written in `text`. The generator records an entity at its first mention, in reading
    order, so an entity of the original whose first mention was dropped is not written in a prefix of it."""
    kept = {}
    for f in dataclasses.fields(entities):
        items = getattr(entities, f.name)
        if isinstance(items, tuple):
            kept[f.name] = tuple(e for e in items if (s := _surface(e)) is None or mentions(s, text))
    return dataclasses.replace(entities, **kept)


def _rehost(blocks: Sequence[Block], ref: ArticleRef) -> list[Block]:
    """The portal uploads the paper's photos again, under its own names."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "img" and block.image is not None:
            src = f"/uploads/{ref.published_at:%Y/%m}/{ref.key}-{len(out) + 1}.jpg"
            block = Block("img", image=Image(src, block.image.caption))
        out.append(block)
    return out


def _shorten(blocks: list[Block], rng: random.Random) -> list[Block] | None:
    """The blocks up to the k-th paragraph (k from half of them to all but one); None when too short."""
    at = [i for i, b in enumerate(blocks) if b.kind == "p"]
    low = max(MIN_SHORTENED_PARAGRAPHS, math.ceil(len(at) / 2))
    if len(at) - 1 < low:
        return None
    keep = rng.randint(low, len(at) - 1)  # paragraphs kept
    kept = blocks[: at[keep - 1] + 1]
    while kept and kept[-1].kind != "p":  # no heading or photo left dangling after the last paragraph
        kept.pop()
    return kept


def _reword(title: str, rng: random.Random) -> str | None:
    options = [(old, new) for old, new in _REWORDINGS if old in title]
    if not options:
        return None
    old, new = rng.choice(options)
    return title.replace(old, new, 1)


def _edit_body(blocks: list[Block], surfaces: Sequence[str], rng: random.Random, change: bool) -> list[Block]:
    """One sentence changed (in a paragraph that mentions no entity) or added (at the end of a paragraph)."""
    plain = [i for i, b in enumerate(blocks)
             if b.kind == "p" and not any(s in b.text for s in surfaces) and _SENTENCE_END.search(b.text)]
    paragraphs = [i for i, b in enumerate(blocks) if b.kind == "p"]
    out = list(blocks)
    if change and plain:
        i = rng.choice(plain)
        sentences = _SENTENCE_END.split(out[i].text)
        sentences[rng.randrange(len(sentences))] = rng.choice(_ADDED)
        out[i] = Block("p", " ".join(sentences))
    elif paragraphs:
        i = rng.choice(paragraphs)
        out[i] = Block("p", f"{out[i].text} {rng.choice(_ADDED)}")
    return out


def _edit(original: Article, blocks: list[Block], rng: random.Random) -> tuple[str, list[Block]]:
    """An edited copy: title reworded and/or a sentence changed or added (at least one of them)."""
    edits = set(rng.sample(("title", "change", "add"), rng.randint(1, 2)))
    title = _reword(original.title, rng) if "title" in edits else None
    if title is None and not edits - {"title"}:
        edits.add("add")
    surfaces = [s for f in dataclasses.fields(original.entities)
                for e in getattr(original.entities, f.name) if (s := _surface(e)) is not None]
    for edit in sorted(edits - {"title"}):
        blocks = _edit_body(blocks, surfaces, rng, change=edit == "change")
    return title or original.title, blocks


def _revision(title: str, blocks: list[Block], updated: datetime, rng: random.Random) -> Revision:
    """The portal's later edit of its copy: a sentence added as a closing paragraph (or, on a page already at
    the 60-block cap, a title note). It mentions no entity."""
    if len(blocks) < 60:
        return Revision(updated, title, (*blocks, Block("p", rng.choice(_ADDED))))
    return Revision(updated, f"{title}: Nhiều kết quả tích cực", tuple(blocks))


def copy(portal: Site, ref: ArticleRef, original: Article, what: Republication, rng: random.Random) -> Article:
    """The portal's copy of `original`, published at `ref`, made as `what` says (`what.kind` is kept unless
    the original is too short to shorten: then the copy is edited instead)."""
    source = _served_at(original, ref.published_at)
    blocks = _rehost(source.blocks, ref)
    title, kind = source.title, what.kind
    if kind == "shortened":
        shortened = _shorten(blocks, rng)
        if shortened is None:
            kind = "edited"
        else:
            blocks = shortened
    if kind == "edited":
        title, blocks = _edit(source, blocks, rng)
    keep_byline = rng.random() < 0.5
    revision = _revision(title, blocks, ref.updated_at, rng) if ref.updated_at is not None else None
    return Article(
        ref=ref,
        path=article_path(portal, ref.category, ref.key, title),
        title=title,
        lead=source.lead,
        blocks=tuple(blocks),
        authors=source.authors if keep_byline else (),
        author_org=None,
        photographers=source.photographers if keep_byline else (),
        origin=line_origin(what.line),
        tags=source.tags,
        view_count=None,
        video=None,
        entities=kept_entities(source.entities, _visible_text(title, source.lead, blocks)),
        revision=revision,
        republished_from=dataclasses.replace(what, kind=kind),
    )


def gold_record(world: World, what: Republication | None, port: int) -> dict[str, Any] | None:
    """The gold record's `republished_from`: the original's site, key and URL, how it was copied, and the
    source line the copy prints (None for an article that copies nothing)."""
    if what is None:
        return None
    original = world.article(what.site_id, what.key)
    return {"site": what.site_id, "key": what.key, "url": world.site(what.site_id).base_url(port) + original.path,
            "kind": what.kind, "line": what.line}
