"""The pipeline's commands one by one, and the daily DAG, with PROVNEWS_WAREHOUSE=s3://... on a real SeaweedFS
(tests/conftest.py's `seaweed`) over the replica: what they land is what `provnews run` lands, each gold article
once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from replica_fixture import Replica, write_fast_sources
from test_airflow_dag_test import HEALTHY, returned, run_daily, shown

from provnews_tools.seaweed import Seaweed
from warehouse.storage import S3Root
from warehouse.views import run_query

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
SOURCE = "tinhuyhaiduong"


def provnews(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`provnews ARGS` in a child process with `env` added to this one's environment; it must succeed."""
    done = subprocess.run([sys.executable, "-m", "provnews", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"provnews {' '.join(args)}:\n{done.stderr[-3000:]}"
    return done


def landed(root: S3Root) -> list[dict[str, Any]]:
    return run_query(root, "SELECT source, url, title, content_hash FROM articles ORDER BY ALL").to_pylist()


def test_crawl_then_transform_then_load_land_on_s3_what_provnews_run_lands(
        replica: Replica, seaweed: Seaweed, s3_root: S3Root, tmp_path: Path) -> None:
    write_fast_sources(tmp_path / "sources", replica.port, [SOURCE])
    day = replica.today.isoformat()
    day_args = ("--source", SOURCE, "--date", day)
    steps = S3Root(s3_root.bucket, f"{s3_root.prefix}/steps", s3_root.endpoint, s3_root.region, s3_root.lock_url)
    whole = S3Root(s3_root.bucket, f"{s3_root.prefix}/run", s3_root.endpoint, s3_root.region, s3_root.lock_url)
    env = {**seaweed.env(steps.url), "PROVNEWS_SOURCES_DIR": str(tmp_path / "sources")}

    crawled = json.loads(provnews(env, "crawl", *day_args).stdout)
    assert crawled["ok"] and crawled["warc_file"].startswith(f"raw/source={SOURCE}/dt={day}/")
    rows = [json.loads(line) for line in provnews(env, "transform", *day_args).stdout.splitlines()]
    extracted = sorted(r["url"] for r in rows if r["table"] == "articles")
    assert extracted and landed(steps) == []  # transform writes nothing
    loaded = json.loads(provnews(env, "load", *day_args).stdout)
    assert (loaded["new"], loaded["warehouse"]) == (len(extracted), steps.url)
    again = json.loads(provnews(env, "load", *day_args).stdout)  # idempotent on S3 too
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, len(extracted))

    [report] = [json.loads(line) for line in provnews({**env, "PROVNEWS_WAREHOUSE": whole.url}, "run",
                                                        *day_args).stdout.splitlines()]
    assert report["status"] == "ok"
    by_steps, by_run = landed(steps), landed(whole)
    assert by_steps == by_run and [r["url"] for r in by_steps] == extracted
    assert {r["url"] for r in by_steps} == shown(replica.world, replica.port, SOURCE, replica.today)
    crawl_log = run_query(steps, "SELECT count(*) n, count(warc_file) w FROM crawl_log").to_pylist()[0]
    assert crawl_log == {"n": crawled["crawl_log_rows"], "w": crawl_log["w"]} and crawl_log["w"] > 0


def test_the_daily_dag_runs_to_success_on_an_s3_warehouse(
        replica: Replica, seaweed: Seaweed, s3_root: S3Root, tmp_path: Path) -> None:
    """dag.test() in a child process (its own AIRFLOW_HOME, SQLite); its tasks read the S3 settings from the
    environment, as a worker's would."""
    write_fast_sources(tmp_path / "sources", replica.port, HEALTHY)
    settings = seaweed.env(s3_root.url)
    started = time.perf_counter()
    result = run_daily(tmp_path, tmp_path / "sources", s3_root.url, f"{replica.today.isoformat()}T12:00:00+07:00",
                       settings)
    print(f"dag.test on S3: {result['seconds']:.1f} s in dag.test, {time.perf_counter() - started:.1f} s in all")
    assert result["state"] == "success", result["log"][-3000:]
    assert all(state == "success" for state in result["tis"].values()), result["tis"]
    summary = returned(result, "summary")[0]
    rows = run_query(s3_root, "SELECT source, url FROM articles").to_pylist()
    for source in HEALTHY:
        urls = [r["url"] for r in rows if r["source"] == source]
        assert len(urls) == len(set(urls)), f"{source}: an article twice"
        assert set(urls) == shown(replica.world, replica.port, source, replica.today), source
        assert summary["sources"][source]["articles_new"] == len(urls)
    runs = run_query(s3_root, "SELECT source, status FROM runs ORDER BY source").to_pylist()
    assert runs == [{"source": s, "status": "ok"} for s in sorted(HEALTHY)]
    assert f"report {s3_root.url}/reports/{replica.today.isoformat()}/index.html" in result["log"]
    [knowledge] = returned(result, "knowledge")  # the cross-source tables, rebuilt from the bucket and into it
    built = {table: knowledge[table] for table in ("officials", "documents", "duplicates") if knowledge[table]}
    assert built, knowledge
    for table, count in built.items():
        assert run_query(s3_root, f"SELECT count(*) n FROM {table}").to_pylist() == [{"n": count}]
