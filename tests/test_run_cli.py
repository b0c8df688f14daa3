"""`provnews run`: the daily pipeline for every source, one JSON line each, the same row in the runs table;
a dead site fails on its own, named with its error, and a second run of the day is a quiet, healthy day."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from replica_fixture import Replica, candidate_port, write_fast_sources

from provnews.cli import main
from replica import gold
from warehouse.views import connect


@pytest.fixture
def env(replica: Replica, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """tinhuyhaiduong with politeness off (loopback), and `deadsite`, the same profile on a closed port."""
    sources = tmp_path / "sources"
    [profile] = write_fast_sources(sources, replica.port, ["tinhuyhaiduong"])
    dead = profile.read_text(encoding="utf-8").replace(f":{replica.port}/", f":{candidate_port()}/")
    (sources / "deadsite.yaml").write_text(dead.replace("id: tinhuyhaiduong", "id: deadsite"), encoding="utf-8")
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path / "wh"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path / "wh"
    root.handlers[:], root.level = handlers, level  # main() points logging at the captured stderr


def run_all(day: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict[str, Any]]]:
    code = main(["run", "--source", "all", "--date", day])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, {r["source"]: r for r in lines}


@pytest.mark.slow
def test_run_all_reports_each_source_and_lands_its_runs_row(replica: Replica, env: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    day = replica.today.isoformat()
    code, first = run_all(day, capsys)
    assert code == 1, "a source failed"
    ok, dead = first["tinhuyhaiduong"], first["deadsite"]
    assert ok["status"] == "ok" and ok["problem"] is None and ok["errors"] == 0
    assert ok["articles_new"] == len(replica.world.refs("tinhuyhaiduong", replica.today)) > 0
    assert ok["pages_fetched"] > ok["articles_new"]  # listings and robots.txt too
    assert dead["status"] == "failed" and "deadsite: site unreachable: connection refused" in dead["problem"]
    assert dead["duration_s"] < 30

    code, second = run_all(day, capsys)  # the same day again: nothing new, and that is fine
    assert second["tinhuyhaiduong"]["status"] == "ok" and second["tinhuyhaiduong"]["articles_new"] == 0

    con = connect(env)
    rows = con.execute("select source, status, articles_new, province from runs order by finished_at").fetchall()
    assert [(s, st) for s, st, _, _ in rows] == [("deadsite", "failed"), ("tinhuyhaiduong", "ok")] * 2
    assert rows[1][2] == ok["articles_new"] and rows[3][2] == 0  # one row per run, not merged
    assert rows[1][3] == "Hải Phòng"  # the post-2025 province of Hải Dương's Party committee


@pytest.mark.slow  # a crawl of the replica takes seconds: slow by make check's rule (over ~1 s)
def test_a_byline_organisation_lands_in_its_column_and_answers_a_query(replica: Replica, env: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A field end to end: the Party portal's trailer "Đình Bộ- VPTU" → ArticleRecord.author_org → the
    articles.author_org column → `provnews query`, one count per organisation as in the replica's gold; rows
    written before the column read it as null until `provnews reprocess` re-extracts their day."""
    day = replica.today.isoformat()
    assert main(["run", "--source", "tinhuyhaiduong", "--date", day]) == 0
    expected = Counter(r["author_org"] for r in gold.records(replica.world, replica.today, replica.port,
                                                              ["tinhuyhaiduong"]))
    assert None not in expected and len(expected) > 1  # every Party byline names one; several are used
    assert by_org(capsys) == expected

    for path in (env / "articles").rglob("*.parquet"):  # as the writer before the column left them
        pq.write_table(pq.read_table(path).drop_columns(["author_org"]), path)
    assert by_org(capsys) == {None: expected.total()}
    # re-extracting the archived day fills the column in: same content_hash, so unchanged, yet rewritten
    assert main(["reprocess", "--since", day, "--until", day]) == 0
    assert by_org(capsys) == expected


def by_org(capsys: pytest.CaptureFixture[str]) -> dict[str | None, int]:
    """`provnews query`'s answer to articles per author_org (whatever was printed before is dropped)."""
    capsys.readouterr()
    sql = "SELECT author_org, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1"
    assert main(["query", sql, "--format", "json"]) == 0
    return {r["author_org"]: r["n"] for r in map(json.loads, capsys.readouterr().out.splitlines())}
