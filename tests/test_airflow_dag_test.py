"""The daily DAG, run with `dag.test()` against the replica: two consecutive days, then a day with a site down.

Each run happens in a child process with its own AIRFLOW_HOME (SQLite) because Airflow reads its configuration
once, when first imported; the replica is served from this process, whose clock the test moves between days.
The child runs the real DAG file: the real crawl (Scrapy subprocess), transform, load and checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from replica_fixture import candidate_port, start_replica, write_fast_sources

from crawler.canonical import canonical_url
from replica.world import World

REPO = Path(__file__).resolve().parent.parent
HEALTHY = ("baohaiduong", "tinhuyhaiduong")

# In the child: a migrated SQLite DB, the crawl pool, the DAG bag, one dag.test() run, then what happened.
_RUN = r"""
import json, sys, time
import pendulum
from airflow.utils import db
from airflow.utils.session import create_session
db.initdb()
from airflow.models.pool import Pool
Pool.create_or_update_pool("provnews_crawl", slots=2, description="test", include_deferred=False)
from airflow.dag_processing.dagbag import DagBag
from airflow.models.xcom import XComModel
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.get_dag("provnews_daily")  # with its real retries: a site that is down must fail at once anyway
start = time.perf_counter()
run = dag.test(logical_date=pendulum.parse(sys.argv[2]))
seconds = time.perf_counter() - start
tis = {f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]": str(ti.state) for ti in run.get_task_instances()}
durations = {f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]": ti.duration for ti in run.get_task_instances()}
with create_session() as session:
    rows = session.query(XComModel).filter_by(dag_id=dag.dag_id, run_id=run.run_id).all()
    xcoms = [{"task": r.task_id, "key": r.key, "value": r.value} for r in rows]
print("RESULT" + json.dumps({"state": str(run.state), "seconds": seconds, "tis": tis, "xcoms": xcoms,
                             "durations": durations},
                            default=str))
"""


def fast_profiles(dest: Path, port: int, down_port: int | None = None) -> None:
    """The healthy replica profiles with politeness off (loopback); optionally a copy pointing at a dead port."""
    write_fast_sources(dest, port, HEALTHY)
    if down_port is not None:
        text = (dest / "tinhuyhaiduong.yaml").read_text(encoding="utf-8")
        text = text.replace("id: tinhuyhaiduong", "id: downsite").replace(f":{port}", f":{down_port}")
        (dest / "downsite.yaml").write_text(text, encoding="utf-8")


def run_daily(tmp: Path, sources: Path, warehouse: Path | str, logical: str,
              settings: dict[str, str] | None = None) -> dict[str, Any]:
    """One dag.test() run in a child process; `settings`: more environment for the tasks (an S3 warehouse's)."""
    env = {**os.environ, **(settings or {}), "AIRFLOW_HOME": str(tmp / "airflow_home"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
           "PROVNEWS_SOURCES_DIR": str(sources), "PROVNEWS_WAREHOUSE": str(warehouse)}
    done = subprocess.run([sys.executable, "-c", _RUN, str(REPO / "dags"), logical], env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT"))
    result["log"] = done.stdout + done.stderr
    return result


def article_urls(warehouse: Path, source: str) -> list[str]:
    files = sorted((warehouse / "articles" / f"source={source}").glob("*/*.parquet"))
    if not files:
        return []
    rows = duckdb.connect().execute(f"select url from read_parquet({[str(f) for f in files]})").fetchall()
    return [r[0] for r in rows]


def shown(world: World, port: int, site_id: str, day: date) -> set[str]:
    """Canonical URLs of the articles the replica site lists by the end of `day`."""
    site = world.site(site_id)
    return {canonical_url(site.base_url(port) + world.article(site_id, r.key).path)
            for r in world.refs(site_id, day)}


def state(tis: dict[str, str], step: str, source: str) -> str:
    """The state of a source's mapped task; `check` instances are named `source · status · counts`."""
    return next(v for k, v in tis.items() if k == f"source.{step}[{source}]" or
                k.startswith(f"source.{step}[{source} · "))


def returned(result: dict[str, Any], task: str, key: str = "return_value") -> list[Any]:
    return [x["value"] for x in result["xcoms"] if x["task"] == task and x["key"] == key]


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Day one, day two, then day two again with a dead site added; what the warehouse held after each."""
    tmp = tmp_path_factory.mktemp("dagtest")
    warehouse, sources = tmp / "warehouse", tmp / "sources"
    out: dict[str, Any] = {}
    with start_replica() as rep:
        fast_profiles(sources, rep.port)
        day2 = rep.today
        day1 = day2 - timedelta(days=1)
        out.update(replica=rep, day1=day1, day2=day2, world=rep.world, port=rep.port)
        for name, day in (("one", day1), ("two", day2)):
            with rep.at(day):
                started = time.perf_counter()
                out[name] = run_daily(tmp, sources, warehouse, f"{day.isoformat()}T12:00:00+07:00")
                out[name]["wall"] = time.perf_counter() - started
            out[f"urls_{name}"] = {s: article_urls(warehouse, s) for s in HEALTHY}
        fast_profiles(sources, rep.port, down_port=candidate_port("127.0.0.3"))
        with rep.at(day2):
            out["down"] = run_daily(tmp, sources, warehouse, f"{day2.isoformat()}T20:00:00+07:00")
        out["urls_down"] = {s: article_urls(warehouse, s) for s in HEALTHY}
    return out


pytestmark = pytest.mark.slow


def test_day_one_runs_to_success_with_counts_per_source(days: dict[str, Any]) -> None:
    one = days["one"]
    print(f"dag.test day one: {one['seconds']:.1f} s in dag.test, {one['wall']:.1f} s with process start")
    assert one["state"] == "success", one["log"][-3000:]
    assert all(state == "success" for state in one["tis"].values()), one["tis"]
    assert {f"source.crawl[{s}]" for s in HEALTHY} <= set(one["tis"])  # mapped tasks named by source
    summary = returned(one, "summary")[0]
    assert summary["failed"] == {}
    for source in HEALTHY:
        counts = summary["sources"][source]
        urls = days["urls_one"][source]
        assert counts["articles_new"] == len(urls) > 0
        assert counts["pages_fetched"] > counts["articles_new"] and counts["articles_updated"] == 0
        assert counts["status"] == "ok" and counts["errors"] == 0
        assert len(set(urls)) == len(urls)
        assert f"source.check[{source} · ok · {len(urls)} new · 0 updated]" in one["tis"]
    assert summary["note"].startswith(f"**provnews {days['day1']}**: 2 ok, 0 warning, 0 failed of 2 sources")


def test_day_two_adds_exactly_the_new_articles(days: dict[str, Any]) -> None:
    two = days["two"]
    print(f"dag.test day two: {two['seconds']:.1f} s in dag.test, {two['wall']:.1f} s with process start")
    assert two["state"] == "success", two["log"][-3000:]
    summary = returned(two, "summary")[0]
    for source in HEALTHY:
        before, after = set(days["urls_one"][source]), days["urls_two"][source]
        assert len(set(after)) == len(after), f"{source}: duplicate article rows"
        expected_new = (shown(days["world"], days["port"], source, days["day2"])
                        - shown(days["world"], days["port"], source, days["day1"]))
        assert expected_new, "the replica publishes every day"
        assert set(after) - before == expected_new, source
        assert before <= set(after)
        assert summary["sources"][source]["articles_new"] == len(expected_new)


def test_a_site_that_is_down_fails_only_its_own_tasks(days: dict[str, Any]) -> None:
    down = days["down"]
    tis = down["tis"]
    assert down["state"] == "failed"
    assert tis["source.crawl[downsite]"] == "failed"
    took = down["durations"]["source.crawl[downsite]"]
    print(f"dead site: crawl failed in {took:.1f} s")
    assert took < 60, f"a dead site took {took:.0f} s to fail (retries of a refused connection?)"
    failed_index = [k for k, v in tis.items() if k.startswith("source.transform_load") and v != "success"]
    assert len(failed_index) == 1 and tis[failed_index[0]] == "upstream_failed"
    for source in HEALTHY:
        for step in ("crawl", "transform_load", "check"):
            assert state(tis, step, source) == "success", (step, source)
    assert tis["summary[-1]"] == "failed"
    reasons = returned(down, "source.crawl", "failure")
    assert [r["source"] for r in reasons] == ["downsite"]
    assert "downsite: site unreachable: connection refused" in reasons[0]["error"]
    assert "1 of 3 sources failed: downsite: crawl: downsite: site unreachable: connection refused" in down["log"]
    assert "- FAILED downsite: crawl: downsite: site unreachable" in down["log"]  # the note the summary logged
    # Re-running day two for the healthy sites added no row.
    assert {s: sorted(u) for s, u in days["urls_down"].items()} == \
        {s: sorted(u) for s, u in days["urls_two"].items()}
