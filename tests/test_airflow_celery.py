"""The daily DAG on a real CeleryExecutor deployment (tests/celery_cluster.py): the machine's PostgreSQL and
Redis, api-server, scheduler, dag-processor and two Celery workers, against the replica served from this
process (a small world, three sources with politeness off). The crawl pool has one slot: no two crawls run at
once, whichever worker runs them. The warehouse ends with every gold article once.

    pytest -m cluster          # these and the Spark read; `.ci/run` starts the services if they are down
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import expected_urls
from replica_fixture import SMALL_WORLD, Replica, start_replica, write_fast_sources

from provnews.run_note import AirflowApi
from provnews_tools.celery_cluster import REDIS_DB, WORKERS, Cluster, port_in_range, services_answer, start_cluster
from warehouse.views import run_query

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

SOURCES = ("baohaiduong", "tinhuyhaiduong", "haiduonggov")
RUN_TIMEOUT_S = 420.0


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    """The small world on a port of the cluster's range, free on every site address."""
    tried: list[int] = []

    def next_in_range(host: str) -> int:
        tried.append(port_in_range(host, skip=tuple(tried)))
        return tried[-1]

    with start_replica(SMALL_WORLD, attempts=10, pick_port=next_in_range) as started:
        yield started


@pytest.fixture(scope="module")
def cluster(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = services_answer()
    assert missing is None, f"{missing} (`.ci/run` starts PostgreSQL and Redis)"
    tmp = tmp_path_factory.mktemp("celery")
    write_fast_sources(tmp / "sources", replica.port, SOURCES)
    with start_cluster(tmp, tmp / "sources", tmp / "warehouse", crawl_slots=1) as running:
        yield running


def trigger(api: AirflowApi, day: date) -> str:
    run = api.call("POST", "dags/provnews_daily/dagRuns", {"logical_date": f"{day.isoformat()}T12:00:00+07:00"})
    return str(run["dag_run_id"])


def finished(cluster: Cluster, api: AirflowApi, run_id: str) -> dict[str, Any]:
    path = f"dags/provnews_daily/dagRuns/{run_id}"
    run: dict[str, Any] = cluster.wait(
        "the run to finish", lambda: (r := api.call("GET", path))["state"] in ("success", "failed") and r,
        RUN_TIMEOUT_S, "scheduler")
    return run


def task_instances(api: AirflowApi, run_id: str) -> list[dict[str, Any]]:
    tis: list[dict[str, Any]] = api.call("GET", f"dags/provnews_daily/dagRuns/{run_id}/taskInstances")[
        "task_instances"]
    return tis


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def warehouse_urls(warehouse: Path) -> list[tuple[str, str]]:
    rows = run_query(warehouse, "SELECT source, url FROM articles").to_pylist()
    return [(r["source"], r["url"]) for r in rows]


def test_the_daily_dag_runs_on_two_celery_workers_with_one_crawl_at_a_time(
        cluster: Cluster, replica: Replica) -> None:
    started = time.monotonic()
    api = cluster.login()
    dag = cluster.wait("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 180,
                       "dag-processor")
    assert dag["is_paused"] is False
    up = time.monotonic() - started
    run_id = trigger(api, replica.today)
    run = finished(cluster, api, run_id)
    took = time.monotonic() - started - up
    tis = task_instances(api, run_id)
    print(f"celery: up in {up:.0f} s; the run of {len(SOURCES)} sources took {took:.0f} s "
          f"(from {run['start_date']} to {run['end_date']})")
    assert run["state"] == "success", {(t["task_id"], t["rendered_map_index"]): t["state"] for t in tis}
    assert f"3 ok, 0 warning, 0 failed of {len(SOURCES)} sources" in (run.get("note") or ""), run.get("note")

    crawls = sorted((at(t["start_date"]), at(t["end_date"]), t["rendered_map_index"])
                    for t in tis if t["task_id"] == "source.crawl")
    assert [c[2] for c in sorted(crawls, key=lambda c: c[2])] == sorted(SOURCES)
    for (_, end, one), (start, _, other) in zip(crawls, crawls[1:], strict=False):
        assert end <= start, f"crawls of {one} and {other} overlapped though the pool has one slot"

    received = {name: cluster.tasks_received(name) for name in WORKERS}
    print(f"celery: tasks received per worker {received} for {len(tis)} task instances")
    assert all(received.values()), f"a worker ran nothing: {received}"
    assert_every_gold_article_once(cluster.env_path("PROVNEWS_WAREHOUSE"), replica)


def assert_every_gold_article_once(warehouse: Path, replica: Replica) -> None:
    urls = warehouse_urls(warehouse)
    assert len(urls) == len(set(urls)), "an article landed twice"
    for source in SOURCES:
        gold = expected_urls(replica.world, replica.port, source, replica.today)
        assert gold and {u for s, u in urls if s == source} == gold, source


def test_the_same_day_through_provnews_run_on_one_machine(replica: Replica, tmp_path: Path) -> None:
    """The yardstick for the Celery run: the same sources and day through `provnews run --source all`."""
    write_fast_sources(tmp_path / "sources", replica.port, SOURCES)
    env = dict(os.environ, PROVNEWS_SOURCES_DIR=str(tmp_path / "sources"),
               PROVNEWS_WAREHOUSE=str(tmp_path / "warehouse"))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "provnews.cli", "run", "--source", "all",
                           "--date", replica.today.isoformat()], env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)
    print(f"provnews run --source all: {len(SOURCES)} sources in {time.monotonic() - started:.0f} s")
    assert done.returncode == 0, done.stderr[-3000:]
    assert_every_gold_article_once(tmp_path / "warehouse", replica)


# a dead worker's task is noticed once its heartbeats stop for this long (Airflow's default: 300 s)
FAST_HEARTBEAT_TIMEOUT = {"AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
                          "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
                          "PROVNEWS_TASK_RETRY_DELAY_S": "5"}  # the retry of the killed crawl starts soon


def test_a_worker_killed_mid_crawl_loses_nothing(replica: Replica, tmp_path: Path) -> None:
    """SIGKILL the worker running a crawl (its Scrapy subprocess too): the scheduler notices the silent task,
    the retry runs on the other worker, and the warehouse ends with every gold article once."""
    write_fast_sources(tmp_path / "sources", replica.port, SOURCES)
    with start_cluster(tmp_path, tmp_path / "sources", tmp_path / "warehouse",
                       extra_env=FAST_HEARTBEAT_TIMEOUT, broker_db=REDIS_DB + 1) as cluster:
        api = cluster.login()
        cluster.wait("provnews_daily to be parsed", lambda: api.call("GET", "dags/provnews_daily"), 180,
                     "dag-processor")
        run_id = trigger(api, replica.today)
        victim = cluster.wait("a crawl to be running on a worker", lambda: running_crawl(cluster, api, run_id),
                              RUN_TIMEOUT_S / 2, "scheduler", every=0.5)
        (ti, worker) = victim
        cluster.kill_worker(worker)
        survivor = next(n for n in WORKERS if n != worker)
        killed_at = time.monotonic()
        run = finished(cluster, api, run_id)
        tis = {(t["task_id"], t["map_index"]): t for t in task_instances(api, run_id)}
        again = tis[("source.crawl", ti["map_index"])]
        print(f"celery: killed {worker} in the crawl of {again['rendered_map_index']}; the run ended "
              f"{time.monotonic() - killed_at:.0f} s later, {run['state']}, that crawl on try {again['try_number']}")
        assert run["state"] == "success", {k: t["state"] for k, t in tis.items()}
        assert again["try_number"] >= 2, "the killed crawl was retried"
        assert cluster.worker_running(again["id"]) == survivor
        assert_every_gold_article_once(tmp_path / "warehouse", replica)


def running_crawl(cluster: Cluster, api: AirflowApi, run_id: str) -> tuple[dict[str, Any], str] | None:
    """A running crawl task instance and the worker running it, once its worker has logged it."""
    for ti in task_instances(api, run_id):
        if ti["task_id"] == "source.crawl" and ti["state"] == "running":
            worker = cluster.worker_running(ti["id"])
            if worker is not None:
                return ti, worker
    return None
