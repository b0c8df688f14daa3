"""`provnews crawl`: stats as JSON, and a non-zero exit when the crawl failed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from crawl_helpers import FAST, crawl_log
from replica_fixture import Replica, candidate_port

from provnews.cli import main
from provnews.settings import Settings
from provnews.stages.crawl import crawl


def profile(sources: Path, name: str, start: str, listing: str) -> None:
    data = yaml.safe_load((sources / "baohaiduong.yaml").read_text(encoding="utf-8"))
    data.update(id=name, start_urls=[start], discovery={"listings": [{"url": listing}]})
    (sources / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    sets = [x for name, value in FAST.items() for x in ("--set", f"{name}={json.dumps(value)}")]
    code = main(["crawl", *args, *sets])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def env(replica: Replica, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    sources = tmp_path / "sources"
    replica.write_sources(sources)
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path / "wh"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield sources
    root.handlers[:], root.level = handlers, level  # main() points logging at the captured stderr


@pytest.mark.slow
def test_a_good_crawl_exits_0_and_reports_its_counts(replica: Replica, env: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    day = replica.today.isoformat()
    code, report = run_cli(["--source", "tinhuyhaiduong", "--date", day], capsys)
    assert code == 0 and report["ok"] is True
    assert report["article_pages_new"] == len(replica.world.refs("tinhuyhaiduong", replica.today))
    assert report["pages_fetched"] == sum(n for code, n in report["by_status"].items() if code.startswith("2"))
    assert report["errors"] == 0 and report["errors_by_reason"] == {}
    stats_file = tmp_path / "wh/raw/source=tinhuyhaiduong" / f"dt={day}" / f"{report['run_id']}.stats.json"
    assert json.loads(stats_file.read_text())["pages_fetched"] == report["pages_fetched"]

    assert main(["load", "--source", "tinhuyhaiduong", "--date", day]) == 0  # held means landed
    capsys.readouterr()
    code, again = run_cli(["--source", "tinhuyhaiduong", "--date", day], capsys)  # nothing new: still fine
    assert code == 0 and again["article_pages_fetched"] == 0 and again["not_modified"] > 0


@pytest.mark.slow
def test_robots_forbidding_everything_fails(replica: Replica, env: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    profile(env, "forbidden", replica.url("baohaiduong", "/admin/"), replica.url("baohaiduong", "/tim-kiem?q=a"))
    code, report = run_cli(["--source", "forbidden", "--date", replica.today.isoformat()], capsys)
    host = f"127.0.0.2:{replica.port}"
    assert code == 1 and report["problems"] == [f"robots.txt forbids everything (2 of 2 requests) at {host}"]
    assert report["robots_forbidden"] == 2
    rows = crawl_log(Path(str(env.parent / "wh")), "source = 'forbidden'")
    assert sorted(r["error"] for r in rows if r["kind"] != "robots") == ["robots: forbidden by robots.txt"] * 2


@pytest.mark.slow
def test_an_unreachable_site_fails_at_once_naming_the_error_and_the_host(
        replica: Replica, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = f"127.0.0.2:{candidate_port()}"
    profile(env, "unreachable", f"http://{dead}/", f"http://{dead}/tin-moi")
    code, report = run_cli(["--source", "unreachable", "--date", replica.today.isoformat()], capsys)
    assert code == 1
    assert report["problems"] == [f"site unreachable: connection refused (2 of 2 requests) at {dead}"]
    assert report["finish_reason"] == "site_unreachable" and report["retries"] == 0
    rows = crawl_log(Path(str(env.parent / "wh")), "source = 'unreachable'")
    assert sorted(r["kind"] for r in rows) == ["listing"] * 2 + ["robots"]  # a refusal is not tried again
    assert all(r["error"] == "connection refused" and r["warc_file"] is None for r in rows)


@pytest.mark.slow
def test_the_crawlers_log_lines_reach_the_parent_at_their_own_level(
        replica: Replica, env: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str]) -> None:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=env)
    with caplog.at_level(logging.INFO):
        result = crawl(settings, "tinhuyhaiduong", replica.today, overrides={**FAST, "LOG_LEVEL": "INFO"})
    assert result.ok
    child = [r for r in caplog.records if r.name.startswith(("crawler.", "scrapy."))]
    finished = next(r for r in child if r.name == "crawler.run" and r.getMessage() == "crawl finished")
    assert finished.levelno == logging.INFO and finished.source == "tinhuyhaiduong"  # type: ignore[attr-defined]
    assert {r.levelname for r in child} == {"INFO"}  # a clean crawl: nothing above INFO
    assert '"level":' not in capfd.readouterr().err  # no raw JSON line leaked past the relay


@pytest.mark.slow
def test_a_run_stops_at_its_request_bound_and_says_so(replica: Replica, env: Path, tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "wh", sources_dir=env)
    result = crawl(settings, "tinhuyhaiduong", replica.today, overrides={**FAST, "CLOSESPIDER_PAGECOUNT": 3})
    assert result.stats.finish_reason == "closespider_pagecount"
    assert any("the per-run bound CLOSESPIDER_PAGECOUNT was reached" in p for p in result.problems)
    assert result.stats.responses < len(replica.world.refs("tinhuyhaiduong", replica.today))
