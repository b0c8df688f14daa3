"""The knowledge layer end to end: crawl the replica's newspaper, its Party portal and the portal that republishes
the newspaper with `provnews run`, then ask the knowledge tables what the gold says the articles state."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from replica_fixture import Replica, write_fast_sources

from provnews.cli import main
from provnews.commands.query import KNOWLEDGE_QUERIES
from replica import gold
from transforms.text import match_key
from warehouse.views import run_query

SOURCES = ["baohaiduong", "haiduonggov", "tinhuyhaiduong"]


@pytest.fixture(scope="module")
def landed(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    """The three sources run for the replica's day; the warehouse and the gold records of what they serve."""
    tmp = tmp_path_factory.mktemp("knowledge")
    write_fast_sources(tmp / "sources", replica.port, SOURCES)
    mp = pytest.MonkeyPatch()
    mp.setenv("PROVNEWS_SOURCES_DIR", str(tmp / "sources"))
    mp.setenv("PROVNEWS_WAREHOUSE", str(tmp / "wh"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert main(["run", "--source", "all", "--date", replica.today.isoformat()]) == 0
        records = list(gold.records(replica.world, replica.today, replica.port, SOURCES))
        yield tmp / "wh", records
    finally:
        root.handlers[:], root.level = handlers, level
        mp.undo()


def _pairs(rows: list[dict[str, Any]], *keys: str) -> set[tuple[Any, ...]]:
    return {tuple(row[k] for k in keys) for row in rows}


@pytest.mark.slow
def test_every_document_and_figure_the_gold_records_is_in_the_mentions_table(
        landed: tuple[Path, list[dict[str, Any]]]) -> None:
    wh, records = landed
    found = run_query(wh, "SELECT a.url, m.type, m.number, m.value, m.unit FROM mentions m "
                          "JOIN articles a USING (article_id) WHERE m.type IN ('document', 'figure')").to_pylist()
    documents = _pairs([r for r in found if r["type"] == "document"], "url", "number")
    figures = _pairs([r for r in found if r["type"] == "figure"], "url", "value", "unit")
    gold_documents = {(r["url"], d["number"]) for r in records for d in r["entities"]["documents"]}
    gold_figures = {(r["url"], f["value"], f["unit"]) for r in records for f in r["entities"]["figures"]}
    assert gold_documents and gold_documents == documents
    assert gold_figures and gold_figures == figures


@pytest.mark.slow
def test_the_officials_table_holds_each_party_secretary_over_the_days_the_articles_name_them(
        landed: tuple[Path, list[dict[str, Any]]]) -> None:
    wh, records = landed
    named = [(r["published_at"][:10], o["name"]) for r in records for o in r["entities"]["officials"]
             if any(match_key(p).startswith(match_key("Bí thư Tỉnh ủy")) for p in o["positions"])]
    assert named, "the replica's Party secretary is in the gold"
    rows = run_query(wh, "SELECT name, first_seen, last_seen, articles, province_2025 FROM officials "
                         "WHERE position_key LIKE 'bí thư tỉnh%'").to_pylist()
    days: dict[str, list[str]] = {}
    for day, name in named:
        days.setdefault(name, []).append(day)
    for name, seen in days.items():  # each site's secretary (the replica's rosters are per site)
        mine = [r for r in rows if r["name"] == name]
        assert mine and {r["province_2025"] for r in mine} == {"Hải Phòng"}, name
        assert min(r["first_seen"] for r in mine).isoformat() <= min(seen)
        assert max(r["last_seen"] for r in mine).isoformat() >= max(seen)


@pytest.mark.slow
def test_the_portal_s_copies_of_the_newspaper_are_its_duplicates_and_nothing_else_is(
        landed: tuple[Path, list[dict[str, Any]]]) -> None:
    wh, records = landed
    expected = {(r["url"], r["republished_from"]["url"]) for r in records if r.get("republished_from")}
    found = run_query(wh, "SELECT c.url AS copy, o.url AS original FROM duplicates d "
                          "JOIN articles c USING (article_id) JOIN articles o ON o.article_id = d.duplicate_of")
    assert expected, "the replica's portal republishes the newspaper"
    assert _pairs(found.to_pylist(), "copy", "original") == expected


@pytest.mark.slow
@pytest.mark.parametrize(("name", "title", "sql"), KNOWLEDGE_QUERIES, ids=[q[0] for q in KNOWLEDGE_QUERIES])
def test_each_readme_knowledge_query_answers(landed: tuple[Path, list[dict[str, Any]]], name: str, title: str,
                                             sql: str) -> None:
    wh, _ = landed
    if name == "document_cited":  # the replica's numbers are its own: ask for the one it cites most
        top = run_query(wh, "SELECT number FROM documents ORDER BY articles DESC, number LIMIT 1")
        sql = sql.replace("57-NQ/TW", top.to_pylist()[0]["number"])
    result = run_query(wh, sql)
    assert result.num_rows > 0, f"{name!r} ({title}) returned nothing"


@pytest.mark.slow
def test_a_second_run_of_the_day_rewrites_no_knowledge_table(replica: Replica,
                                                            landed: tuple[Path, list[dict[str, Any]]],
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    wh, _ = landed
    tables = ("mentions", "places", "figures", "officials", "documents", "duplicates")
    before = {p: p.stat().st_mtime_ns for t in tables for p in (wh / t).glob("**/*.parquet")}
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(wh.parent / "sources"))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(wh))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert main(["run", "--source", "all", "--date", replica.today.isoformat()]) == 0
    finally:
        root.handlers[:], root.level = handlers, level
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(line["articles_new"] == 0 for line in lines)
    assert {p: p.stat().st_mtime_ns for t in tables for p in (wh / t).glob("**/*.parquet")} == before
