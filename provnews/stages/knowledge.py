"""The knowledge stage: rebuild the tables that span every source from what the loads wrote.

`officials` (a person in a position over time, per province) and `documents` (one row per document number)
are aggregated from the `mentions` table; `duplicates` pairs articles republished by another source, from
the articles' MinHash signatures. Each is rebuilt whole and replaced in one swap (warehouse.writer.
replace_table): running the stage twice leaves the files as they are, and a crash leaves the last good table.
It runs after the loads of a day (the daily DAG's `knowledge` task, `provnews run`, `provnews reprocess`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from provnews.settings import Settings
from transforms.mentions.documents import numbered_in_province
from transforms.near_duplicates import Candidate, Signature, find_duplicates
from transforms.text import match_key, strip_diacritics
from warehouse.schema import DOCUMENTS, DUPLICATES, OFFICIALS
from warehouse.views import connect
from warehouse.writer import replace_table

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeCounts:
    officials: int
    documents: int
    duplicates: int
    written: tuple[str, ...]  # the tables whose content changed


def ascii_key(text: str | None) -> str:
    """'Hải Phòng' -> 'haiphong', 'Nghị quyết' -> 'nghiquyet': a partition value any reader and file system
    takes; '_unknown' for none."""
    key = "".join(c for c in strip_diacritics(text or "").lower() if c.isascii() and c.isalnum())
    return key or "_unknown"


def source_provinces(settings: Settings) -> dict[str, str]:
    """Each configured source's post-2025 province (a profile that does not load is left out: its source
    failed its own run, and its officials keep no province until it loads again)."""
    from sources.config import read_sources

    loaded, _broken = read_sources(settings.sources_dir)
    return {sid: src.province.current for sid, src in loaded.items()}


def build(settings: Settings) -> KnowledgeCounts:
    """Rebuild officials, documents and duplicates from the warehouse; returns their row counts."""
    provinces = source_provinces(settings)
    con = connect(settings.warehouse_root)
    try:
        tables = {"officials": officials_table(_rows(con, _OFFICIALS_SQL), provinces),
                  "documents": documents_table(_rows(con, _DOCUMENTS_SQL), provinces),
                  "duplicates": duplicates_table(_rows(con, _SIGNATURES_SQL))}
    finally:
        con.close()
    written = tuple(name for name, rows in tables.items() if replace_table(settings.warehouse_root, name, rows))
    counts = KnowledgeCounts(tables["officials"].num_rows, tables["documents"].num_rows,
                             tables["duplicates"].num_rows, written)
    log.info("knowledge tables built", extra={"officials": counts.officials, "documents": counts.documents,
                                              "duplicates": counts.duplicates, "written": list(written)})
    return counts


_OFFICIALS_SQL = """
    SELECT m.source, m.article_id, m.published_date, m.name, position
    FROM mentions m, unnest(m.positions) AS p(position)
    WHERE m.type = 'official' AND m.name IS NOT NULL
"""

_DOCUMENTS_SQL = """
    SELECT source, article_id, published_date, number, kind, issuer, date
    FROM mentions WHERE type = 'document' AND number IS NOT NULL
"""


_SIGNATURES_SQL = """
    SELECT article_id, source, published_at, month, origin, minhash FROM articles WHERE minhash IS NOT NULL
"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = con.sql(sql).to_arrow_table().to_pylist()
    return rows


def _most_common(values: Iterable[Any]) -> Any:
    """The most frequent non-null value; ties go to the smallest, so a rebuild is deterministic."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)


@dataclass
class _Seen:
    """What the mentions of one key say, gathered before it becomes a row."""

    forms: list[Any]
    days: list[date]
    articles: set[str]
    sources: set[str]

    @classmethod
    def empty(cls) -> _Seen:
        return cls([], [], set(), set())

    def add(self, row: Mapping[str, Any], form: Any) -> None:
        self.forms.append(form)
        if row["published_date"] is not None:
            self.days.append(row["published_date"])
        self.articles.add(row["article_id"])
        self.sources.add(row["source"])


def officials_table(rows: Iterable[Mapping[str, Any]], provinces: Mapping[str, str]) -> pa.Table:
    """One row per (person, position, province): first and last day seen and the articles that show it.

    Names and positions group on their match keys ('Uỷ'/'Ủy', case), and the row shows the most frequent
    written form; the province is the post-2025 province of the source that reported it."""
    seen: dict[tuple[str, str, str | None], _Seen] = defaultdict(_Seen.empty)
    for row in rows:
        key = (match_key(row["name"]), match_key(row["position"]), provinces.get(row["source"]))
        seen[key].add(row, (row["name"], row["position"]))
    out = []
    for (name_key, position_key, province), got in seen.items():
        name = _most_common(form[0] for form in got.forms)
        position = _most_common(form[1] for form in got.forms)
        out.append({"name": name, "position": position, "province_2025": province,
                    "first_seen": min(got.days, default=None), "last_seen": max(got.days, default=None),
                    "articles": len(got.articles), "sources": sorted(got.sources),
                    "article_ids": sorted(got.articles), "name_key": name_key, "position_key": position_key,
                    "province_key": ascii_key(province)})
    return pa.Table.from_pylist(out, schema=OFFICIALS)


def documents_table(rows: Iterable[Mapping[str, Any]], provinces: Mapping[str, str]) -> pa.Table:
    """One row per document: its kind, issuer and date as most articles write them, when it was first and last
    cited, and by how many articles and sources. A provincial number (143-NQ/TU, 2345/QĐ-UBND) is a different
    document in each province, so it is keyed by the post-2025 province of the sources that cite it."""
    seen: dict[tuple[str, str | None], _Seen] = defaultdict(_Seen.empty)
    for row in rows:
        number = row["number"]
        province = provinces.get(row["source"]) if numbered_in_province(number) else None
        seen[(number, province)].add(row, (row["kind"], row["issuer"], row["date"]))
    out = []
    for (number, province), got in seen.items():
        kind = _most_common(form[0] for form in got.forms)
        out.append({"number": number, "province_2025": province, "kind": kind,
                    "issuer": _most_common(form[1] for form in got.forms),
                    "date": _most_common(form[2] for form in got.forms),
                    "first_seen": min(got.days, default=None), "last_seen": max(got.days, default=None),
                    "articles": len(got.articles), "sources": len(got.sources),
                    "source_ids": sorted(got.sources), "kind_key": ascii_key(kind)})
    return pa.Table.from_pylist(out, schema=DOCUMENTS)


def _previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def duplicates_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """One row per copy: the article of another source it republishes (transforms.near_duplicates).

    Copies follow their original within days, so each month's articles are compared with that month's and the
    month before's: the work is bounded by two months of articles (near_duplicates.MAX_ARTICLES), however
    large the warehouse grows."""
    by_month: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_month[row["month"]].append(row)
    out = []
    for month in sorted(by_month):
        window = [*by_month.get(_previous_month(month), ()), *by_month[month]]
        mine = {row["article_id"]: row for row in by_month[month]}
        sources = {row["article_id"]: row["source"] for row in window}
        candidates = [Candidate(row["article_id"], row["source"], row["published_at"],
                                Signature.from_bytes(row["minhash"])) for row in window]
        for pair in find_duplicates(candidates):
            copy = mine.get(pair.article_id)
            if copy is None:  # a copy in the month before: its own window found it
                continue
            out.append({"article_id": pair.article_id, "duplicate_of": pair.duplicate_of,
                        "duplicate_of_source": sources[pair.duplicate_of], "similarity": pair.similarity,
                        "method": pair.method, "origin": copy["origin"], "source": copy["source"]})
    return pa.Table.from_pylist(out, schema=DUPLICATES)
