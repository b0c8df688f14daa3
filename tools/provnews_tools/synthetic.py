"""Synthetic article rows in the articles schema, generated column-wise (numpy + pyarrow kernels).

For tests and the warehouse benchmark only: realistic shapes and sizes (Vietnamese syllables with diacritics,
Zipf word frequencies, ~10 paragraphs and ~3.5 kB of UTF-8 body per article), not realistic content.
Deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.record import CONTENT_HASH_HEX
from transforms.text import search_fold
from warehouse.schema import ARTICLES

_SYLLABLES = tuple(" ".join((
    "tỉnh huyện xã thành phố Hải Dương Bắc Giang Thái Bình ủy ban nhân dân Đảng bộ đồng chí Bí thư ",
    "Chủ tịch Phó hội nghị triển khai nhiệm vụ năm kế hoạch phát triển kinh tế xã hội công tác cán ",
    "bộ đảng viên chính quyền địa phương người dân doanh nghiệp sản xuất nông nghiệp công nghiệp ",
    "dịch vụ du lịch giáo dục y tế an ninh trật tự giao thông xây dựng nông thôn mới đô thị văn minh ",
    "chương trình dự án đầu tư vốn ngân sách tỷ đồng triệu tăng giảm so với cùng kỳ tháng quý đạt ",
    "hoàn thành chỉ tiêu đề ra tổ chức thực hiện chỉ đạo các cấp ngành đơn vị lãnh đạo tại buổi làm ",
    "việc đã được và của cho với trong những một này đó có không là để từ theo về đến trên dưới khi ",
    "nhằm đồng thời bên cạnh tiếp tục đẩy mạnh nâng cao chất lượng hiệu quả quản lý nhà nước đất đai ",
    "tài nguyên môi trường biển đảo lúa gạo vải thiều cây trồng vật nuôi thời tiết mưa bão lũ lụt ",
    "phòng chống thiên tai cứu hộ cứu nạn Hội Liên hiệp Phụ nữ Đoàn Thanh niên Cựu chiến binh Mặt ",
    "trận Tổ quốc Việt Nam Quốc hội đại biểu cử tri tiếp xúc kiến nghị giải quyết khiếu nại tố cáo",
)).split())


def _zipf_probabilities(n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** 1.05
    return weights / weights.sum()


_RAW = pa.array(_SYLLABLES)
_FOLDED = pa.array([search_fold(s) for s in _SYLLABLES])  # each syllable as search_text holds it


def _sentences(rng: np.random.Generator, count: int, words_per: tuple[int, int]) -> pa.Array:
    """`count` strings of random syllables (Zipf), joined by spaces, with lengths uniform in words_per."""
    return _sentences_in(rng, count, words_per, (_RAW,))[0]


def _sentences_folded(rng: np.random.Generator, count: int, words_per: tuple[int, int]) -> tuple[pa.Array, pa.Array]:
    """`_sentences`, and the same sentences folded (search_fold), from the same draws."""
    raw, folded = _sentences_in(rng, count, words_per, (_RAW, _FOLDED))
    return raw, folded


def _sentences_in(rng: np.random.Generator, count: int, words_per: tuple[int, int],
                  vocabularies: tuple[pa.Array, ...]) -> list[pa.Array]:
    lengths = rng.integers(words_per[0], words_per[1] + 1, size=count)
    ids = pa.array(rng.choice(len(_SYLLABLES), size=int(lengths.sum()), p=_zipf_probabilities(len(_SYLLABLES))))
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32))
    return [pc.binary_join(pa.ListArray.from_arrays(offsets, vocab.take(ids)), " ") for vocab in vocabularies]


def _lists(values: pa.Array, lengths: np.ndarray) -> pa.ListArray:
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _edited_at(published: pa.Array, rng: np.random.Generator, version: int) -> pa.Array:
    """No edit for version 0; later versions were edited 1-72 hours after publication."""
    if version == 0:
        return pa.nulls(len(published), published.type)
    hours = pa.array(rng.integers(3600, 72 * 3600, size=len(published)) * 1_000_000)
    return pc.add(published.cast(pa.int64()), hours).cast(published.type)


def _sha1(values: list[str], digits: int = 40) -> pa.Array:
    return pa.array([hashlib.sha1(v.encode()).hexdigest()[:digits] for v in values], pa.string())


def articles(n: int, source: str, *, seed: int = 0, first_id: int = 0, start: date = date(2025, 1, 1),
             days: int = 690, crawled_at: datetime | None = None, version: int = 0) -> pa.Table:
    """`n` articles of `source` numbered from `first_id` (ids are stable: same number → same article_id).

    `version` changes titles/bodies (and content_hash) of the same articles, to simulate edits.
    """
    rng = np.random.default_rng([seed, first_id, n])  # dates, counts: stable across versions
    text_rng = np.random.default_rng([seed, first_id, n, version + 1])
    numbers = pa.array(np.arange(first_id, first_id + n, dtype=np.int64)).cast(pa.string())
    urls = pc.binary_join_element_wise(f"https://{source}.example.vn/tin-tuc/bai-", numbers, ".html", "")
    url_list = urls.to_pylist()
    para_counts = rng.integers(6, 15, size=n)
    sentences = _sentences(text_rng, int(para_counts.sum()), (30, 90))
    paragraphs = _lists(sentences, para_counts)
    titles, folded_titles = _sentences_folded(text_rng, n, (10, 20))
    leads, folded_leads = _sentences_folded(text_rng, n, (30, 50))
    published = np.datetime64(start.isoformat(), "s") + rng.integers(0, days * 86400, size=n).astype(
        "timedelta64[s]")
    pub_at = pa.array(published.astype("datetime64[us]")).cast(pa.timestamp("us", tz="UTC"))
    local_dates = pa.array((published + np.timedelta64(7, "h")).astype("datetime64[D]"))
    crawl = crawled_at or datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    author_counts = rng.integers(1, 3, size=n)
    columns = {
        "article_id": _sha1(url_list),
        "source": pa.array([source] * n),
        "url": urls,
        "title": titles,
        "lead": leads,
        "paragraphs": paragraphs,  # the body (schema 7 stores it once)
        "search_text": pc.binary_join_element_wise(folded_titles, folded_leads, " "),  # title and lead
        "published_at": pub_at,
        "published_date": local_dates,
        "published_offset": pa.array(["+07:00"] * n),
        "updated_at": _edited_at(pub_at, rng, version),
        "authors": _lists(_sentences(rng, int(author_counts.sum()), (2, 3)), author_counts),
        "category": pa.array(np.array(["Thời sự", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao"])[
            rng.integers(0, 5, size=n)]),
        "view_count": pa.array(rng.integers(0, 20000, size=n)),
        "language": pa.array(["vi"] * n),
        "content_hash": _sha1([f"{u}#{version}" for u in url_list], CONTENT_HASH_HEX),
        "extractor_version": pa.array(["synthetic-1"] * n),
        "crawled_at": pa.array([crawl + timedelta(seconds=version)] * n, pa.timestamp("us", tz="UTC")),
        "month": pc.strftime(local_dates.cast(pa.timestamp("s")), "%Y-%m"),
    }
    table = pa.table(columns)
    return table.cast(pa.schema([ARTICLES.field(name) for name in table.column_names]))


def batches(n: int, source: str, batch_rows: int, seed: int = 0, **kwargs: object) -> Iterator[pa.Table]:
    """`n` articles of `source` in tables of at most `batch_rows` rows (bounded memory)."""
    for first in range(0, n, batch_rows):
        size = min(batch_rows, n - first)
        yield articles(size, source, seed=seed, first_id=first, **kwargs)  # type: ignore[arg-type]
