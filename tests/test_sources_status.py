"""`provnews sources status`: each source's health from the runs the pipeline recorded, as a table or JSON.

On real Parquet: runs rows written by the warehouse writer for a source's fortnight, then the real pipeline
(crawl, transform, load, checks, runs row) on the replica, and an empty warehouse."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from replica_fixture import Replica, write_fast_sources

from provnews.cli import main
from provnews.settings import Settings
from provnews.stages.health import RunCounts, source_health
from provnews.stages.run import run
from warehouse.writer import record_runs, upsert_articles

DAY = date(2026, 11, 21)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty warehouse and an empty sources folder; yields the warehouse path."""
    (tmp_path / "sources").mkdir()
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(tmp_path / "sources"))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path / "wh"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path / "wh"
    root.handlers[:], root.level = handlers, level  # main() points logging at the captured stderr


def a_run(day: date, status: str = "ok", problem: str | None = None, **counts: int) -> dict[str, Any]:
    finished = datetime.combine(day, time(16), UTC)
    return {"source": "baotest", "dt": day.isoformat(), "run_id": f"{day}-baotest", "status": status,
            "problem": problem, "started_at": finished, "finished_at": finished, **counts}


def published(root: Path, days: dict[date, int]) -> None:
    rows = []
    for day, n in days.items():
        at = datetime.combine(day, time(1), UTC)
        rows += [{"article_id": hashlib.sha1(f"{day}-{i}".encode()).hexdigest(),
                  "url": f"http://site.test/{day}-{i}.html", "title": "Tin", "published_at": at,
                  "published_date": day, "body_text": "Nội dung.", "crawled_at": at} for i in range(n)]
    upsert_articles(root, "baotest", pa.Table.from_pylist(rows))


def status(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["sources", "status", "--day", DAY.isoformat(), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_empty_warehouse_says_so_and_exits_3(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = status(capsys=capsys)
    assert code == 3 and out == ""
    assert f"no run recorded in {env} up to 2026-11-21: run `make demo` or `provnews run SOURCE` first" in err
    code, out, _ = status("--json", capsys=capsys)
    assert code == 3 and json.loads(out) == []


def test_a_fortnight_of_runs_gives_last_ok_rates_and_the_check_that_failed_last(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    too_few_titles = ("checks: 5 of 6 articles (83%) lack a title (limit 50%); the extractor or the site's "
                      "markup changed")
    record_runs(env, [
        a_run(DAY - timedelta(days=20), "failed", "crawl: baotest: site unreachable"),  # before the window
        a_run(DAY - timedelta(days=2), pages_fetched=18, errors=2, articles_new=6, quarantined=0),
        a_run(DAY - timedelta(days=1), "warning", "no new article for 1 day", pages_fetched=10, not_modified=10),
        a_run(DAY, "failed", too_few_titles, pages_fetched=8, articles_new=2, quarantined=4),
    ])
    published(env, {DAY - timedelta(days=2): 6, DAY: 2})

    code, out, _ = status("--json", capsys=capsys)
    assert code == 1, "its latest run failed"
    [health] = json.loads(out)
    assert health["health"] == "failed" and health["last_ok"] == "2026-11-20"
    assert health["last_failed"] == "2026-11-21" and health["last_failed_problem"] == too_few_titles
    assert health["last_warning"] == "2026-11-20"
    assert health["since"] == "2026-11-08" and len(health["articles_per_day"]) == 14
    assert health["articles_per_day"][-3:] == [6, 0, 2] and sum(health["articles_per_day"]) == 8
    assert health["window"] == {"runs": 3, "requests": 48, "errors": 2, "records": 12, "quarantined": 4}
    assert health["error_rate"] == pytest.approx(2 / 48) and health["quarantine_rate"] == pytest.approx(4 / 12)

    code, out, _ = status(capsys=capsys)
    row = next(line for line in out.splitlines() if line.startswith("baotest"))
    assert row.split()[:3] == ["baotest", "failed", "2026-11-20"]
    assert " 4% " in row and " 33% " in row and "2026-11-21 checks: 5 of 6 articles (83%) lack a title" in row


def test_a_source_not_run_for_days_is_stale_and_an_enabled_one_never_run_is_named(env: Path) -> None:
    record_runs(env, [a_run(DAY - timedelta(days=5), pages_fetched=3)])
    [old] = source_health(env, DAY)
    assert old.health == "stale" and old.last_run == DAY - timedelta(days=5)
    assert {h.source: h.health for h in source_health(env, DAY, ["newsite"])} == {
        "baotest": "stale", "newsite": "no run"}


def test_the_rates_are_shares_of_requests_and_of_article_records() -> None:
    counts = RunCounts.of([{"pages_fetched": 7, "not_modified": 1, "errors": 2, "articles_new": 3,
                            "articles_unchanged": 5, "quarantined": 2}, {"pages_fetched": 10}])
    assert (counts.runs, counts.requests, counts.errors, counts.records, counts.quarantined) == (2, 20, 2, 10, 2)
    assert (counts.error_rate, counts.quarantine_rate) == (0.1, 0.2)
    assert RunCounts().error_rate is None and RunCounts().quarantine_rate is None


@pytest.mark.slow
def test_status_after_the_pipeline_ran_on_the_replica_twice_in_a_day(
        replica: Replica, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What `make demo` does: every source run, then the same day again."""
    sources = env.parent / "sources"
    write_fast_sources(sources, replica.port, ["tinhuyhaiduong"])
    settings = Settings(warehouse=env, sources_dir=sources)
    first = run(settings, "tinhuyhaiduong", replica.today)
    again = run(settings, "tinhuyhaiduong", replica.today)
    assert (first.status, again.status) == ("ok", "ok")

    code = main(["sources", "status", "--json", "--day", replica.today.isoformat()])
    [health] = json.loads(capsys.readouterr().out)
    assert code == 0
    assert health["health"] == "ok" and health["last_ok"] == replica.today.isoformat()
    assert health["last_failed"] is None and health["silent_days"] == 0
    assert health["window"]["runs"] == 2
    assert health["window"]["requests"] == sum(r.pages_fetched + r.not_modified + r.errors for r in (first, again))
    assert health["window"]["records"] == first.articles_new + again.articles_unchanged > 0
    assert health["error_rate"] == 0 and health["quarantine_rate"] == 0
    in_window = [r for r in replica.world.refs("tinhuyhaiduong", replica.today)
                 if r.published_at.date() >= replica.today - timedelta(days=13)]  # +07:00: the local day
    assert sum(health["articles_per_day"]) == len(in_window) > 0
