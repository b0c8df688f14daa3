"""The DAG files parse fast, without import errors, and wire what the team agreed on.

Airflow reads its configuration when it is first imported, so the DAG bag is built in a child process with
its own AIRFLOW_HOME (a temp dir) and reports back as JSON; this test process never imports Airflow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from replica_fixture import write_sources

from provnews_tools.replica_sources import write_world_sources
from replica.world import World, WorldConfig

REPO = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Runs in the child: time the DAG bag, then describe the DAGs.
_DESCRIBE = r"""
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
start, cpu = time.perf_counter(), time.process_time()
bag = DagBag(dag_folder=sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
dags = {}
for dag_id, dag in bag.dags.items():
    tasks = {}
    for t in dag.tasks:
        partial = getattr(t, "partial_kwargs", {})
        get = lambda name: partial.get(name, getattr(t, name, None))
        tasks[t.task_id] = {
            "pool": get("pool"), "retries": get("retries"),
            "backoff": get("retry_exponential_backoff"),
            "timeout": (get("execution_timeout").total_seconds() if get("execution_timeout") else None),
            "map_index_template": get("map_index_template"),
            "outlets": [getattr(o, "name", str(o)) for o in (get("outlets") or [])],
            "upstream": sorted(t.upstream_task_ids),
            "trigger_rule": getattr(get("trigger_rule"), "value", None),
        }
    group = dag.task_group_dict.get("source")
    expand = getattr(group, "_expand_input", None)
    dags[dag_id] = {
        "tz": str(getattr(dag.timetable, "_timezone", dag.timezone)), "start_date": str(dag.start_date),
        "run_immediately": getattr(dag.timetable, "_run_immediately", None),
        "max_active_runs": dag.max_active_runs, "doc_md": dag.doc_md or "",
        "schedule": str(getattr(dag.timetable, "summary", dag.timetable)), "tasks": tasks,
        "params": sorted(dag.params.keys()),
        "mapped_over": list(getattr(expand, "value", {}).get("source", [])) if expand else None,
    }
print("RESULT" + json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "errors": bag.import_errors,
                             "dags": dags}, default=str))
"""


def describe_dags(tmp: Path, sources_dir: Path) -> dict[str, Any]:
    env = dict(os.environ, AIRFLOW_HOME=str(tmp / "airflow_home"), AIRFLOW__CORE__LOAD_EXAMPLES="False",
               PROVNEWS_SOURCES_DIR=str(sources_dir), PROVNEWS_WAREHOUSE=str(tmp / "warehouse"))
    done = subprocess.run([sys.executable, "-c", _DESCRIBE, str(REPO / "dags")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT"))
    return result


@pytest.fixture(scope="module")
def bag(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("dagbag")
    write_sources(tmp / "sources", port=18377)
    return describe_dags(tmp, tmp / "sources")


def test_dag_bag_imports_fast_without_errors(bag: dict[str, Any]) -> None:
    assert bag["errors"] == {}
    assert {"provnews_daily", "provnews_maintenance"} <= set(bag["dags"])
    print(f"DAG bag parse: {bag['seconds']:.2f} s")
    assert bag["seconds"] < 3.0, f"parsing dags/ took {bag['seconds']:.2f} s"


def test_daily_dag_maps_every_enabled_source_through_crawl_load_check(bag: dict[str, Any]) -> None:
    daily = bag["dags"]["provnews_daily"]
    profiles = sorted(p.stem for p in (REPO / "sources" / "profiles").glob("*.yaml"))
    assert sorted(daily["mapped_over"]) == profiles
    tasks = daily["tasks"]
    assert tasks["source.transform_load"]["upstream"] == ["source.crawl"]
    assert tasks["source.check"]["upstream"] == ["source.transform_load"]
    assert tasks["summary"]["upstream"] == ["source.check"]
    assert tasks["summary"]["trigger_rule"] == "all_done"
    # beside the summary, not after it: both are leaves, so either failing makes the run red
    assert tasks["knowledge"]["upstream"] == ["source.check"]
    assert tasks["knowledge"]["trigger_rule"] == "all_done"
    for name in ("source.crawl", "source.transform_load"):
        assert tasks[name]["map_index_template"] == "{{ task.op_kwargs['source'] }}"
    # the check names its instance by source, status and counts once it ran, by source id until then
    assert tasks["source.check"]["map_index_template"] == "{{ source_label | default(task.op_kwargs['source']) }}"


def test_daily_dag_is_bounded_and_retried_for_the_morning_watcher(bag: dict[str, Any]) -> None:
    daily = bag["dags"]["provnews_daily"]
    assert daily["tz"] == "Asia/Ho_Chi_Minh" and daily["schedule"] == "0 23 * * *"
    # switched on, it runs no missed slot: the first scheduled run is the next 23:00
    assert daily["start_date"] == "None" and daily["run_immediately"] == "0:00:00"
    assert daily["max_active_runs"] == 1
    assert "dynamic task mapping" in daily["doc_md"]
    crawl = daily["tasks"]["source.crawl"]
    assert crawl["pool"] == "provnews_crawl"
    assert crawl["retries"] >= 1 and crawl["backoff"] > 1
    assert all(t["timeout"] for t in daily["tasks"].values())
    assert daily["tasks"]["source.transform_load"]["outlets"] == ["provnews_articles"]


def test_maintenance_dag_compacts_and_reextracts_a_date_range(bag: dict[str, Any]) -> None:
    maint = bag["dags"]["provnews_maintenance"]
    assert {"since", "until", "sources"} <= set(maint["params"])
    assert {"reprocess", "compact"} <= set(maint["tasks"])
    assert maint["tasks"]["reprocess"]["outlets"] == ["provnews_articles"]
    assert maint["tz"] == "Asia/Ho_Chi_Minh"


@pytest.mark.slow
def test_with_150_sources_the_daily_dag_parses_fast_and_maps_one_task_per_source_id(tmp_path: Path) -> None:
    """The registry's scale: 150 profiles (a 150-site replica world, the eight families on 127.0.0.2..151)."""
    ids = write_world_sources(World(WorldConfig(sites=150)), 18377, tmp_path / "sources")
    result = describe_dags(tmp_path, tmp_path / "sources")
    assert result["errors"] == {}
    print(f"DAG bag parse with {len(ids)} sources: {result['seconds']:.2f} s, {result['cpu_seconds']:.2f} s CPU")
    # the parse's own CPU time: wall time on a shared, loaded machine also counts other processes' turns
    assert result["cpu_seconds"] < 3.0, f"parsing dags/ with 150 sources took {result['cpu_seconds']:.2f} s CPU"
    daily = result["dags"]["provnews_daily"]
    assert len(ids) == 150 and daily["mapped_over"] == sorted(ids)  # one mapped task group per source
    assert daily["tasks"]["source.crawl"]["map_index_template"] == "{{ task.op_kwargs['source'] }}"
    assert daily["tasks"]["source.crawl"]["pool"] == "provnews_crawl"
    assert len(daily["tasks"]) == 5  # crawl, transform_load, check, summary, knowledge: mapped, not one per source


@pytest.mark.slow
def test_a_broken_source_profile_is_an_import_error_naming_the_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_sources(sources, port=18377)
    (sources / "broken.yaml").write_text("id: broken\nname: Broken\n", encoding="utf-8")
    result = describe_dags(tmp_path, sources)
    errors = "\n".join(result["errors"].values())
    assert "broken.yaml" in errors and "provnews_daily" not in result["dags"]


# Runs in the child under a fixed clock: when would each DAG, just switched on, run first?
_FIRST_RUN = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
from airflow.timetables.base import TimeRestriction
from airflow.utils import timezone
bag = DagBag(dag_folder=sys.argv[1])
never_ran = TimeRestriction(earliest=None, latest=None, catchup=False)
first = {dag_id: dag.timetable.next_dagrun_info(last_automated_data_interval=None, restriction=never_ran)
         for dag_id, dag in bag.dags.items()}
print("RESULT" + json.dumps({"now": timezone.utcnow().isoformat(),
                             **{d: info.run_after.isoformat() for d, info in first.items()}}))
"""


@pytest.mark.parametrize("clock", [
    "2026-12-02 16:14:00",  # 23:14 in Hanoi, just after the daily slot: the hour that once queued a run
    "2026-12-02 15:59:00",  # just before it
    "2031-06-01 03:30:00",  # a Sunday, 10:30 in Hanoi, half an hour after the weekly slot
    "2031-06-03 09:00:00",  # an ordinary morning
])
@pytest.mark.slow
def test_a_dag_switched_on_at_any_hour_runs_first_at_its_next_slot(tmp_path: Path, clock: str) -> None:
    """The first scheduled run comes after the moment the DAG is switched on, whatever that moment is:
    the clock is set by faketime (the same tool as `make test-clock`), so the test does not hang on the hour
    it runs at."""
    write_sources(tmp_path / "sources", port=18377)
    env = dict(os.environ, AIRFLOW_HOME=str(tmp_path / "airflow_home"), AIRFLOW__CORE__LOAD_EXAMPLES="False",
               PROVNEWS_SOURCES_DIR=str(tmp_path / "sources"), PROVNEWS_WAREHOUSE=str(tmp_path / "wh"), TZ="UTC")
    done = subprocess.run(["faketime", "-f", f"@{clock}", sys.executable, "-c", _FIRST_RUN, str(REPO / "dags")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    first = json.loads(next(x for x in done.stdout.splitlines() if x.startswith("RESULT")).removeprefix("RESULT"))
    now = datetime.fromisoformat(first.pop("now"))
    assert now.strftime("%Y-%m-%d %H:%M") == clock[:16]
    daily, weekly = (datetime.fromisoformat(first[d]) for d in ("provnews_daily", "provnews_maintenance"))
    assert now < daily <= now + timedelta(days=1) and daily.astimezone(VN).hour == 23
    assert now < weekly <= now + timedelta(days=7) and weekly.astimezone(VN).strftime("%a %H") == "Sun 03"
