"""The five real seed pages (replica/data/seeds/*.txt) as replica articles, with their gold truth.

Every non-blank line of each seed file is annotated by hand with its role (boilerplate, metadata, title, lead,
paragraph, subheading or caption) and the exact text it must start with. The article is built from the lines
alone, so its gold text is the seed text without its boilerplate. If a seed file ever changes, loading fails
and names the file and line, instead of silently producing a different article.

Entities are listed by hand (read off the seed text) and checked at load time to occur in it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from importlib import resources

from replica.model import (
    Article,
    ArticleRef,
    Block,
    Document,
    Entities,
    Figure,
    Image,
    Official,
    Place,
    Site,
)
from replica.paths import article_path
from transforms.constants import VN_TZ


class Role(StrEnum):
    BOILER = "boilerplate"  # page furniture: dropped
    CATEGORY = "category"  # metadata: the category name as printed on the page
    DATE = "date"  # metadata: the publication date line
    VIEWS = "views"  # metadata: view count
    VIDEO = "video"  # metadata: video file
    AUTHOR = "author"  # metadata: trailing author line
    PHOTO = "photo"  # metadata: "Ảnh: …"
    ORIGIN = "origin"  # metadata: "Nguồn …" (republished from)
    TITLE = "title"
    LEAD = "lead"
    P = "p"
    H = "h"
    CAPTION = "caption"  # an image caption: Block("img")


B, CAT, DATE, VIEWS, VIDEO = Role.BOILER, Role.CATEGORY, Role.DATE, Role.VIEWS, Role.VIDEO
AUTHOR, PHOTO, ORIGIN = Role.AUTHOR, Role.PHOTO, Role.ORIGIN
TITLE, LEAD, P, H, CAP = Role.TITLE, Role.LEAD, Role.P, Role.H, Role.CAPTION

# Roles whose line is article text (kept in the gold record); every other role is dropped or is metadata.
TEXT_ROLES = frozenset({TITLE, LEAD, P, H, CAP})


@dataclass(frozen=True)
class SeedSpec:
    """How one seed file becomes an article: where it lives, when it was published, and its line roles."""

    file: str
    site_id: str
    key: str
    published_at: datetime
    category: str  # slug of one of the site's categories
    lines: tuple[tuple[int, Role, str], ...]  # (1-based line number, role, exact prefix of the stripped line)
    lead_ins: tuple[tuple[int, str], ...] = ()  # boilerplate glued to the start of a text line
    supplied_title: str | None = None  # when the saved page lost its title (it is not seed text)
    authors: tuple[str, ...] = ()
    author_org: str | None = None
    photographers: tuple[str, ...] = ()
    origin: str | None = None
    view_count: int | None = None
    video: str | None = None
    officials: tuple[Official, ...] = ()
    documents: tuple[Document, ...] = ()
    places: tuple[Place, ...] = ()
    figures: tuple[Figure, ...] = ()


def _at(y: int, mo: int, d: int, h: int, mi: int, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


_HP = "Hải Phòng"  # Hải Dương's post-2025 province
_BCT = "Bộ Chính trị"

SPECS: tuple[SeedSpec, ...] = (
    SeedSpec(
        file="000_3303fd23332fc2bd.txt", site_id="haiduonggov", key="seed-000",
        published_at=_at(2023, 4, 6, 20, 46, 40), category="chinh-tri",
        lines=(
            (1, B, "LIÊN KẾT WEBSITE"),
            (5, CAT, "Chính trị"),
            (6, TITLE, "Quyết tâm, nỗ lực hơn để Hải Dương phát triển thực sự bứt phá"),
            (7, DATE, "Cập nhật: 06/04/2023 08:46:40 PM"),
            (8, LEAD, "Sau 1 ngày làm việc khẩn trương"),
            (11, CAP, "Đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng"),
            (13, H, "Ban hành Đề án về phát triển kinh tế tập thể"),
            (15, P, "Phát biểu bế mạc hội nghị"),
            (17, P, "Hội nghị lần thứ năm Ban Chấp hành Trung ương"),
            (19, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng đề nghị Ban Cán sự"),
            (21, H, "Tháo gỡ các vướng mắc về chuyển đổi số"),
            (23, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng khẳng định"),
            (25, CAP, "Các đồng chí lãnh đạo tỉnh và đại biệu dự"),
            (27, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng yêu cầu"),
            (29, H, "Đẩy nhanh tiến độ các dự án"),
            (31, P, "Sau khi ghi nhận những cố gắng"),
            (33, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng đề nghị các đồng chí"),
            (35, H, "Gắn trách nhiệm cá nhân"),
            (37, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng nhấn mạnh 17"),
            (39, P, "Ban Chấp hành Đảng bộ tỉnh Hải Dương yêu cầu"),
            (41, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng lưu ý"),
            (43, CAP, "Quang cảnh phiên bế mạc"),
            (45, P, "Ban Chấp hành Đảng bộ tỉnh Hải Dương đánh giá"),
            (47, P, "Đồng chí Bí thư Tỉnh ủy Hải Dương Trần Đức Thắng nhấn mạnh các cấp ủy"),
            (49, P, "Trước đó, tham gia thảo luận"),
            (51, B, ">>>Sáng nay 6.4"), (52, B, ">>> Hải Dương duy trì"), (53, B, ">>> Tốc độ tăng trưởng"),
            (54, B, ">>> [Audio]"), (55, B, ">>> [Video]"),
            (57, ORIGIN, "Nguồn Báo điện tử Hải Dương"),
            (60, B, "Các tin mới hơn"),
            (61, B, "Đỉnh cao của cuộc Tổng tiến công"), (62, B, "Cục Thuế tỉnh Hải Dương"),
            (63, B, "Đồng chí Trương Mạnh Long"),
            (64, B, "Các bài liên quan"),
            (65, B, "Các huyện, thị xã"), (66, B, "Đưa hơn 500 vụ án"), (67, B, "Tổ chức thi nâng ngạch"),
            (68, B, "Giới thiệu nhân sự"), (69, B, "Đồng chí Trần Văn Toàn"),
            (71, B, "Quay lạiXem tiếp"),
        ),
        origin="Báo điện tử Hải Dương",
        officials=(Official("Trần Đức Thắng", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương"),),
        documents=(
            Document("Kết luận số 56-KL/TW", "Kết luận", "56-KL/TW", _BCT, date(2013, 2, 21)),
            Document("Nghị quyết số 20-NQ/TW", "Nghị quyết", "20-NQ/TW", "Ban Chấp hành Trung ương Đảng",
                     date(2022, 6, 16)),
            Document("Chương trình hành động số 64-CTr/TU", "Chương trình hành động", "64-CTr/TU",
                     "Ban Thường vụ Tỉnh ủy", date(2023, 1, 17)),
            Document("Nghị quyết số 06-NQ/TU", "Nghị quyết", "06-NQ/TU", "Ban Chấp hành Đảng bộ tỉnh", None),
            Document("Thông báo số 924-TB/TU", "Thông báo", "924-TB/TU", "Ban Thường vụ Tỉnh ủy",
                     date(2023, 2, 13)),
        ),
        places=(Place("Hải Dương", _HP),),
    ),
    SeedSpec(
        file="001_89bf614c203d309a.txt", site_id="thaibinhtv", key="seed-001",
        published_at=_at(2023, 4, 4, 16, 10, 37), category="thoi-su",
        lines=(
            (1, B, "Thứ 3, 30/07/2024, 05:20[GMT+7]"),  # page clock, not the publication date
            (3, TITLE, "Tạo dư địa phát triển mới để tỉnh bứt phá vươn lên mạnh mẽ"),
            (5, DATE, "Thứ 3, 04/04/2023 | 16:10:37"),
            (6, VIEWS, "20,037 lượt xem"),
            (7, LEAD, "Sáng ngày 4/4, Ban Chấp hành Đảng bộ tỉnh thảo luận"),
            (9, CAP, "Đồng chí Ngô Đông Hải, Ủy viên Ban Chấp hành Trung ương Đảng"),
            (11, VIDEO, "Video: 040423_-_TAO_DU_DIA_PHAT_TRIEN_MOI.mp4?_t=1680602602"),
            (15, P, "Tại hội nghị, các đại biểu thống nhất cao"),
            (17, CAP, "Đại biểu dự hội nghị."),
            (19, P, "Bên cạnh đó, các đại biểu"),
            (21, P, "Kết luận hội nghị, đồng chí Ngô Đông Hải"),
            (23, P, "Để thực hiện thắng lợi các mục tiêu"),
            (25, P, "Cũng tại hội nghị, Ban Chấp hành Đảng bộ tỉnh"),
            (27, AUTHOR, "Đào Quyên"),
            (29, PHOTO, "Ảnh: Thành Tâm"),
            (31, B, "Tin cùng chuyên mục"),
            (33, B, "Xem tin theo ngày"),
        ),
        authors=("Đào Quyên",), photographers=("Thành Tâm",), view_count=20037,
        video="040423_-_TAO_DU_DIA_PHAT_TRIEN_MOI.mp4?_t=1680602602",
        officials=(
            Official("Ngô Đông Hải", "Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy"),
            Official("Nguyễn Tiến Thành", "Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
            Official("Nguyễn Khắc Thận", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"),
        ),
        places=(Place("Thái Bình", "Hưng Yên"),),
        figures=(Figure("8,26%", 8.26, "%"),),
    ),
    SeedSpec(
        file="002_169b2d5c98d96444.txt", site_id="baohaiduong", key="seed-002",
        published_at=_at(2021, 12, 10, 11, 35), category="chinh-tri",
        # The saved page lost its headline; this one is supplied and is not part of the seed text.
        supplied_title="Thường trực Ban Bí thư Võ Văn Thưởng làm việc với Ban Thường vụ Tỉnh ủy Hải Dương",
        lead_ins=((1, "date 2021-12 "),),
        lines=(
            (1, LEAD, "Sáng 10/12, Ủy viên Bộ Chính trị, Thường trực Ban Bí thư Võ Văn Thưởng"),
            (3, CAP, "Thường trực Ban Bí thư Võ Văn Thưởng phát biểu chỉ đạo."),
            (5, H, "Sáng tạo, đổi mới trong lãnh đạo"),
            (7, P, "Tại buổi làm việc"),
            (9, P, "Theo Thường trực Ban Bí thư"),
            (11, P, "Ban Thường vụ Tỉnh ủy Hải Dương đã quy tụ"),
            (13, P, "Tỉnh đã lãnh đạo, chỉ đạo tổ chức thành công"),
            (15, P, "Thường trực Ban Bí thư Võ Văn Thưởng đánh giá cao"),
            (17, P, "Khẳng định vai trò đặc biệt quan trọng"),
            (19, P, "Tiếp tục đổi mới, nâng cao chất lượng"),
            (21, P, "Hải Dương cần có các giải pháp"),
            (23, P, "Thường trực Ban Bí thư Võ Văn Thưởng nói rằng"),
            (25, CAP, "Quanh cảnh buổi làm việc."),
            (27, H, "Hải Dương đã vượt qua khó khăn"),
            (29, P, "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Hải Dương Phạm Xuân Thăng"),
            (31, P, "Đồng thời, tăng cường quan hệ đối ngoại"),
            (33, P, "Bí thư Tỉnh ủy Hải Dương Phạm Xuân Thăng hứa"),
            (35, P, "Báo cáo năm đầu tiên"),
            (37, P, "Hải Dương xác định chủ đề của năm 2022"),
            (39, H, "3 công việc đột phá để thực hiện"),
            (41, P, "Trưởng Ban Tuyên giáo Tỉnh ủy Hải Dương Nguyễn Quang Phúc"),
            (43, P, "Ban Thường vụ Tỉnh ủy Hải Dương lựa chọn"),
            (45, P, "Một là:"), (47, P, "Hai là:"), (49, P, "Ba là:"),
            (51, P, "Điểm nhấn và nét mới"),
        ),
        officials=(
            Official("Võ Văn Thưởng", "Ủy viên Bộ Chính trị, Thường trực Ban Bí thư"),
            Official("Nguyễn Phú Trọng", "Tổng Bí thư"),
            Official("Phạm Xuân Thăng",
                     "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Hải Dương"),
            Official("Triệu Thế Hùng", "Chủ tịch UBND tỉnh Hải Dương"),
            Official("Nguyễn Quang Phúc", "Trưởng Ban Tuyên giáo Tỉnh ủy Hải Dương"),
        ),
        documents=(
            Document("Chỉ thị số 01-CT/TW", "Chỉ thị", "01-CT/TW", _BCT, None),
            Document("Kết luận số 01-KL/TW", "Kết luận", "01-KL/TW", _BCT, date(2021, 5, 18)),
            Document("Chỉ thị số 05-CT/TW", "Chỉ thị", "05-CT/TW", _BCT, None),
        ),
        places=(Place("Hải Dương", _HP),),
        figures=(
            Figure("8,6%", 8.6, "%"), Figure("19.290 tỷ đồng", 19290.0, "tỷ đồng"),
            Figure("48,4%", 48.4, "%"), Figure("10%", 10.0, "%"),
        ),
    ),
    SeedSpec(
        file="003_a89e49bcc284b43f.txt", site_id="baohaiduong", key="seed-003",
        published_at=_at(2021, 3, 5, 17, 20), category="chinh-tri",
        # The saved page kept only a stray "h" of its sapo, so the article has no lead: the photo comes first
        # and "Đồng chí Nguyễn Dương Thái … cùng dự." is its first paragraph.
        lines=(
            (1, TITLE, "Xây dựng Nghị quyết theo hướng ngắn gọn, súc tích, dễ nhớ, dễ hiểu"),
            (5, B, "h"),
            (7, CAP, "Hình ảnh tại Hội nghị."),
            (9, P, "Đồng chí Nguyễn Dương Thái, Chủ tịch UBND tỉnh"),
            (11, P, "Tại hội nghị, Ban Thường vụ Tỉnh ủy đã nghe"),
            (13, P, "Đồng chí Bí thư Tỉnh ủy Phạm Xuân Thăng yêu cầu BCĐ"),
            (15, P, "Khẳng định CĐS là chủ trương lớn"),
            (17, P, "Bí thư Tỉnh ủy Hải Dương yêu cầu"),
            (19, P, "Đồng chí Phạm Xuân Thăng yêu cầu BCĐ khẩn trương"),
            (21, P, "Đối với kế hoạch tiếp tục thực hiện"),
            (23, P, "Tại hội nghị, Ban Thường vụ Tỉnh ủy cũng nhất trí"),
            (25, B, "Phản hồi"),
            (27, B, "Các tin khác"),
            (29, B, "Mới nhất"),
        ),
        officials=(
            Official("Nguyễn Dương Thái", "Chủ tịch UBND tỉnh, Trưởng Đoàn Đại biểu Quốc hội tỉnh"),
            Official("Phạm Xuân Thăng", "Bí thư Tỉnh ủy"),
        ),
        places=(Place("Hải Dương", _HP), Place("Thanh Quang", _HP), Place("Nam Sách", _HP)),
    ),
    SeedSpec(
        file="004_ddae4a6f06f62652.txt", site_id="tinhuyhaiduong", key="seed-004",
        published_at=_at(2021, 3, 6, 17, 49), category="tin-hoat-dong",
        lines=(
            (1, B, "Thứ năm, ngày 22/4/2021"),  # page clock, not the publication date
            (3, TITLE, "Ban Thường vụ Tỉnh uỷ tổ chức phiên họp đầu tháng 3/2021"),
            (5, DATE, "Thứ Bảy 06/03/2021 17:49"),
            (7, B, "Xem với cỡ chữ"),
            (8, P, "Ban Thường vụ Tỉnh uỷ tổ chức phiên họp đầu tháng 3/2021, đồng chí Phạm Xuân Thăng"),
            (10, P, "Ban Thường vụ Tỉnh uỷ nghe Ban cán sự đảng"),
            (12, CAP, "Hội nghị Ban Thường vụ Tỉnh uỷ"),
            (14, P, "Nghe Ban Chỉ đạo xây dựng"),
            (16, P, "Để công tác tiêm phòng vaccine"),
            (18, CAP, "Đ/c Phạm Xuân Thăng, UVTW Đảng"),
            (20, P, "Về Kế hoạch tiếp tục thực hiện Đề án"),
            (22, P, "Ban Thường vụ Tỉnh uỷ cơ bản đồng ý"),
            (24, P, "Về các nhóm giải pháp"),
            (26, P, "Ban Thường vụ Tỉnh uỷ đồng ý với Đề án"),
            (28, AUTHOR, "Đình Bộ- VPTU"),
            (30, B, "CÁC BÀI VIẾT KHÁC:"),
        ),
        authors=("Đình Bộ",), author_org="VPTU",
        officials=(
            Official("Phạm Xuân Thăng", "Uỷ viên Trung ương Đảng, Bí thư Tỉnh ủy"),
            Official("Nguyễn Dương Thái", "Chủ tịch UBND tỉnh, Trưởng đoàn đại biểu Quốc hội tỉnh"),
        ),
        places=tuple(Place(name, _HP) for name in (
            "Hải Dương", "Thanh Quang", "Nam Sách", "Ninh Giang", "Chí Linh", "Cẩm Giàng", "Kim Thành",
            "kinh Môn",  # sic: lower-case in the seed
        )),
    ),
)


class SeedMismatch(ValueError):
    """A seed file does not match its annotation."""


def clean(line: str) -> str:
    """Gold form of a seed line: NFC, and every run of whitespace (the seeds have stray no-break spaces
    inside lines) one ASCII space, ends stripped. Tone-mark style and punctuation are kept as written."""
    return " ".join(unicodedata.normalize("NFC", line).split())


def read_lines(spec: SeedSpec) -> list[str]:
    """The seed file's lines, as stored (no normalisation)."""
    text = resources.files("replica").joinpath("data", "seeds", spec.file).read_text(encoding="utf-8")
    return text.split("\n")


def annotated_lines(spec: SeedSpec) -> list[tuple[int, Role, str]]:
    """(line number, role, text) for each non-blank line, checked against the annotation.

    The text is NFC with its whitespace normalised (see `clean`), with any lead-in boilerplate removed.
    """
    lines = read_lines(spec)
    roles = {n: (role, prefix) for n, role, prefix in spec.lines}
    lead_ins = dict(spec.lead_ins)
    out: list[tuple[int, Role, str]] = []
    for n, raw in enumerate(lines, start=1):
        text = clean(raw)
        if not text:
            if n in roles:
                raise SeedMismatch(f"{spec.file}:{n}: annotated as {roles[n][0]} but blank")
            continue
        if n not in roles:
            raise SeedMismatch(f"{spec.file}:{n}: line has no annotation: {text[:60]!r}")
        if n in lead_ins:
            if not text.startswith(lead_ins[n]):
                raise SeedMismatch(f"{spec.file}:{n}: expected lead-in {lead_ins[n]!r}, got {text[:40]!r}")
            text = text[len(lead_ins[n]):]
        role, prefix = roles.pop(n)
        if not text.startswith(prefix):
            raise SeedMismatch(f"{spec.file}:{n}: expected {role} starting {prefix!r}, got {text[:60]!r}")
        out.append((n, role, text))
    if roles:
        raise SeedMismatch(f"{spec.file}: annotated lines beyond the file: {sorted(roles)}")
    return out


def _blocks(spec: SeedSpec, rows: list[tuple[int, Role, str]]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    images = 0
    for _n, role, text in rows:
        if role is P or role is H:
            blocks.append(Block(role.value, text))
        elif role is CAP:
            images += 1
            src = f"/uploads/{spec.published_at:%Y/%m}/{spec.key}-{images}.jpg"
            blocks.append(Block("img", image=Image(src, text)))
    return tuple(blocks)


def _only(spec: SeedSpec, rows: list[tuple[int, Role, str]], role: Role) -> str | None:
    found = [text for _n, r, text in rows if r is role]
    if len(found) > 1:
        raise SeedMismatch(f"{spec.file}: {len(found)} lines annotated {role}, expected at most one")
    return found[0] if found else None


def _check_entities(spec: SeedSpec, rows: list[tuple[int, Role, str]]) -> None:
    """Every hand-listed entity string must occur in the seed's article text."""
    text = "\n".join(t for _n, role, t in rows if role in TEXT_ROLES)
    strings = [o.name for o in spec.officials] + [o.position for o in spec.officials]
    strings += [d.text for d in spec.documents] + [d.issuer for d in spec.documents if d.issuer]
    strings += [p.name for p in spec.places] + [f.text for f in spec.figures]
    for s in strings:
        if s not in text:
            raise SeedMismatch(f"{spec.file}: entity {s!r} does not occur in the seed text")


def build(spec: SeedSpec, site: Site) -> Article:
    """The article for one seed, on its site."""
    if site.id != spec.site_id:
        raise ValueError(f"seed {spec.key} belongs to {spec.site_id}, not {site.id}")
    if spec.category not in {c.slug for c in site.categories}:
        raise ValueError(f"seed {spec.key}: category {spec.category!r} is not one of {site.id}'s")
    rows = annotated_lines(spec)
    _check_entities(spec, rows)
    title = _only(spec, rows, TITLE) or spec.supplied_title
    if title is None:
        raise SeedMismatch(f"{spec.file}: no title line and no supplied title")
    ref = ArticleRef(site.id, spec.key, spec.published_at, spec.category)
    return Article(
        ref=ref,
        path=article_path(site, spec.category, spec.key, title),
        title=title,
        lead=_only(spec, rows, LEAD),
        blocks=_blocks(spec, rows),
        authors=spec.authors,
        author_org=spec.author_org,
        photographers=spec.photographers,
        origin=spec.origin,
        tags=(),
        view_count=spec.view_count,
        video=spec.video,
        entities=Entities(spec.officials, spec.documents, spec.places, spec.figures),
        seed=spec.file,
    )


@cache
def _built(site: Site) -> tuple[Article, ...]:
    return tuple(build(spec, site) for spec in SPECS if spec.site_id == site.id)


def articles_for(site: Site) -> list[Article]:
    """The seed articles that live on `site` (none for sites without seeds, e.g. scaled copies)."""
    return list(_built(site))


def article(site: Site, key: str) -> Article:
    for art in _built(site):
        if art.ref.key == key:
            return art
    raise KeyError(f"no seed article {key!r} on {site.id}")


def spec(key: str) -> SeedSpec:
    for s in SPECS:
        if s.key == key:
            return s
    raise KeyError(f"no seed {key!r}")
