"""The warehouse on S3-compatible storage, against a real SeaweedFS on loopback (provnews_tools.seaweed)."""

from __future__ import annotations

import json
import logging
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyarrow.fs import FileSelector, FileType
from replica_fixture import Replica, write_fast_sources
from starlette.testclient import TestClient

from provnews.airflow_plugin import s3_reports_app
from provnews.cli import main
from provnews.settings import Settings
from provnews_tools import synthetic
from provnews_tools.seaweed import LOCK_URL, Seaweed
from warehouse.compaction import compact
from warehouse.lock import LockTimeout
from warehouse.pglock import advisory_lock
from warehouse.s3 import manifest_files
from warehouse.storage import S3Root, StorageUnavailable, check_reachable, filesystem, resolve
from warehouse.views import run_query
from warehouse.writer import LoadCounts, partitions, read_partition, replace_partition, upsert_articles

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
KILLS = 12


def quarantine(*urls: str) -> pa.Table:
    return pa.table({"url": list(urls), "reason": ["no-body"] * len(urls)})


def test_the_setting_resolves_to_a_local_path_or_a_bucket_and_prefix() -> None:
    assert resolve("data/warehouse") == Path("data/warehouse")
    root = resolve("s3://provnews/wh/eu/", endpoint="http://127.0.0.1:8333", region="us-east-1")
    assert root == S3Root("provnews", "wh/eu", "http://127.0.0.1:8333", "us-east-1")
    assert isinstance(root, S3Root) and root.url == "s3://provnews/wh/eu"
    assert root.key("articles") == "provnews/wh/eu/articles"
    with pytest.raises(ValueError, match="no bucket"):
        resolve("s3:///x")


def test_a_copy_of_the_settings_takes_the_warehouse_by_either_name(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "a")
    assert settings.model_copy(update={"warehouse": tmp_path / "b"}).warehouse == tmp_path / "b"
    moved = settings.model_copy(update={"warehouse_url": "s3://provnews/wh"})
    assert moved.warehouse_root == S3Root("provnews", "wh") and settings.warehouse == tmp_path / "a"


def test_a_parquet_file_round_trips_through_the_s3_filesystem(s3_root: S3Root) -> None:
    fs, base = filesystem(s3_root)
    check_reachable(s3_root)
    pq.write_table(pa.table({"n": [1, 2, 3]}), f"{base}/t/part.parquet", filesystem=fs)
    assert pq.read_table(f"{base}/t/part.parquet", filesystem=fs).column("n").to_pylist() == [1, 2, 3]


def test_a_down_endpoint_or_a_missing_bucket_is_one_line(seaweed: Seaweed, s3_root: S3Root) -> None:
    with pytest.raises(StorageUnavailable, match="does not exist") as missing:
        check_reachable(S3Root("no-such-bucket", "wh", seaweed.endpoint))
    assert "\n" not in str(missing.value)
    with pytest.raises(StorageUnavailable, match="does not answer") as down:
        check_reachable(S3Root("provnews", "wh", "http://127.0.0.1:18399"))
    assert "\n" not in str(down.value)


def test_a_load_round_trips_through_the_manifests_and_a_replace_leaves_no_old_file(s3_root: S3Root) -> None:
    rows = synthetic.articles(60, "s", days=40, start=date(2026, 10, 1))
    assert upsert_articles(s3_root, "s", rows) == LoadCounts(new=60)
    assert upsert_articles(s3_root, "s", rows) == LoadCounts(unchanged=60)
    months = partitions(s3_root).values("articles", "s")
    assert months == ["2026-10", "2026-11"]
    replace_partition(s3_root, "quarantine", "s", "2026-11-21", quarantine("https://s/1", "https://s/2"))
    replace_partition(s3_root, "quarantine", "s", "2026-11-21", quarantine("https://s/3"))
    counts = run_query(s3_root, "SELECT (SELECT count(*) FROM articles) a, (SELECT count(DISTINCT month) "
                                "FROM articles) m, (SELECT list(url) FROM quarantine) q").to_pylist()[0]
    assert counts == {"a": 60, "m": 2, "q": ["https://s/3"]}
    fs, base = filesystem(s3_root)
    objects = [i.path for i in fs.get_file_info(FileSelector(f"{base}/quarantine", recursive=True))
               if i.type == FileType.File]
    assert len(objects) == 2 and sum(p.endswith("/_manifest.json") for p in objects) == 1  # the old file is gone
    assert manifest_files(s3_root, "quarantine") == [f"s3://{p}" for p in objects if p.endswith(".parquet")]
    assert run_query(s3_root, "SELECT count(*) n FROM articles WHERE source = 's' AND month = '2026-10'"
                     ).to_pylist() == [{"n": read_partition(s3_root, "articles", "s", "2026-10").num_rows}]


# ---------------------------------------------------------------- writers in other processes

_WRITER = """
import sys
import pyarrow as pa
from provnews_tools import synthetic
from warehouse.storage import S3Root
from warehouse.writer import append_crawl_log, replace_partition, upsert_articles
bucket, prefix, endpoint, lock, job = sys.argv[1:6]
root = S3Root(bucket, prefix, endpoint, "us-east-1", lock)
if job == "load":
    rows = pa.concat_tables([synthetic.articles(800, "s", days=120, version=1).slice(0, 300),
                             synthetic.articles(200, "s", first_id=5000, days=120)])
    print("loading", flush=True)
    upsert_articles(root, "s", rows, max_file_bytes=250_000)
    print("articles", flush=True)
    replace_partition(root, "quarantine", "s", "2026-11-21",
                      pa.table({"url": [f"https://s/bad/{i}" for i in range(50)], "reason": ["no-body"] * 50}))
else:  # job "merge-W": 10 read-modify-writes of one crawl_log partition, 5 rows of its own each
    print("loading", flush=True)
    for i in range(10):
        urls = [f"https://s/{job}/{i}/{j}" for j in range(5)]
        append_crawl_log(root, "s", "2026-11-21", pa.table({
            "run_id": [job] * 5, "url": urls, "kind": ["article"] * 5, "status": pa.array([200] * 5, pa.int32()),
            "fetched_at": pa.array([1_700_000_000_000_000 + i] * 5, pa.timestamp("us", tz="UTC"))}))
print("done", flush=True)
"""


def start_writer(root: S3Root, job: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, root.bucket, root.prefix, root.endpoint, root.lock_url,
                             job], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "loading"
    return proc


def finish(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    assert [line.strip() for line in proc.stdout][-1:] == ["done"]
    assert proc.wait(timeout=300) == 0


def articles(root: S3Root) -> list[tuple[object, ...]]:
    return [tuple(r.values()) for r in run_query(
        root, "SELECT article_id, month, content_hash FROM articles ORDER BY ALL").to_pylist()]


def stray_objects(root: S3Root) -> int:
    """Parquet objects no manifest names (a killed writer's, or an old set not deleted yet)."""
    fs, base = filesystem(root)
    every = {f"s3://{i.path}" for i in fs.get_file_info(FileSelector(base, recursive=True))
             if i.path.endswith(".parquet")}
    return len(every - {f for t in ("articles", "quarantine") for f in manifest_files(root, t)})


def test_two_writers_of_one_source_never_lose_or_mix_rows(s3_root: S3Root) -> None:
    writers = [start_writer(s3_root, f"merge-{w}") for w in "ab"]
    for proc in writers:
        finish(proc)
    urls = run_query(s3_root, "SELECT url FROM crawl_log ORDER BY url").column("url").to_pylist()
    # each of the 20 merges read the partition and wrote it back: without the lock, one would lose the other's
    assert urls == sorted(f"https://s/merge-{w}/{i}/{j}" for w in "ab" for i in range(10) for j in range(5))
    assert len(manifest_files(s3_root, "crawl_log")) == 1


def test_a_load_killed_at_random_points_leaves_the_last_good_state(seaweed: Seaweed, s3_root: S3Root) -> None:
    def fresh(name: str) -> S3Root:
        root = S3Root(s3_root.bucket, f"{s3_root.prefix}/{name}", s3_root.endpoint, s3_root.region, s3_root.lock_url)
        upsert_articles(root, "s", synthetic.articles(800, "s", days=120), max_file_bytes=250_000)
        return root

    reference = fresh("reference")
    before = articles(reference)
    proc = start_writer(reference, "load")
    start = time.monotonic()
    assert proc.stdout is not None and proc.stdout.readline().strip() == "articles"
    duration = time.monotonic() - start  # the articles' part of the load: where the kills are aimed
    finish(proc)
    expected = articles(reference)
    old_hashes, new_hashes = {r[2] for r in before}, {r[2] for r in expected}

    rng = random.Random(20261203)
    halfway = 0
    for round_no in range(KILLS):
        if round_no % 2 == 0:  # even rounds start again from the base; odd ones crash on top of a crash
            root = fresh(f"crashed-{round_no}")
        proc = start_writer(root, "load")
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        rows = articles(root)  # through the manifests: every listed file is whole, or DuckDB would fail here
        assert len({r[0] for r in rows}) == len(rows), "an article appears twice"
        assert {r[2] for r in rows} <= old_hashes | new_hashes, "a row is neither the old nor the new version"
        halfway += rows not in (before, expected)
    assert halfway >= 2, f"only {halfway} of {KILLS} kills landed inside the load"
    finish(start_writer(root, "load"))  # re-running completes it, exactly as the uninterrupted load
    assert articles(root) == expected
    assert stray_objects(root) == 0  # the re-run swept what the killed writers left
    print(f"{KILLS} kills, {halfway} left a half-loaded day; the articles' load took {duration:.1f} s")


# ---------------------------------------------------------------- the commands

def use(monkeypatch: pytest.MonkeyPatch, seaweed: Seaweed, warehouse: str) -> None:
    for key, value in seaweed.env(warehouse).items():
        monkeypatch.setenv(key, value)


def test_query_and_search_give_on_s3_what_they_give_on_a_local_warehouse(
        seaweed: Seaweed, s3_root: S3Root, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = synthetic.articles(30, "s", days=20, start=date(2026, 11, 1))
    word = rows.column("title")[0].as_py().split()[0]
    out = {}
    for warehouse in (s3_root, tmp_path / "local"):
        upsert_articles(warehouse, "s", rows)
        use(monkeypatch, seaweed, str(warehouse))
        counts = "SELECT count(*) AS n, count(DISTINCT month) AS m FROM articles"
        assert main(["query", counts, "--format", "json"]) == 0
        assert main(["search", word, "--format", "json"]) == 0
        out[str(warehouse)] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    on_s3, local = out.values()
    assert on_s3 == local and on_s3[0] == {"n": 30, "m": 1} and len(on_s3) > 2


@pytest.mark.parametrize(("warehouse", "endpoint", "expected"), [
    ("s3://no-such-bucket/wh", None, "bucket 'no-such-bucket' does not exist"),
    ("s3://provnews/wh", "http://127.0.0.1:18399", "does not answer"),
])
def test_a_command_on_a_missing_bucket_or_a_down_endpoint_says_so_in_one_line(
        seaweed: Seaweed, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], warehouse: str,
        endpoint: str | None, expected: str) -> None:
    use(monkeypatch, seaweed, warehouse)
    if endpoint:
        monkeypatch.setenv("PROVNEWS_S3_ENDPOINT", endpoint)
    assert main(["query", "SELECT 1"]) == 1
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_provnews_run_over_the_replica_lands_the_same_day_on_s3_as_locally(
        replica: Replica, seaweed: Seaweed, s3_root: S3Root, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The whole daily pipeline (crawl subprocess, raw WARC, transform, load, checks, runs row, knowledge
    tables) with PROVNEWS_WAREHOUSE=s3://...: the same articles as the same run into a local directory."""
    write_fast_sources(tmp_path / "sources", replica.port, ["tinhuyhaiduong"])
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(tmp_path / "sources"))
    day = replica.today.isoformat()
    handlers, level = logging.getLogger().handlers[:], logging.getLogger().level
    landed, pages = {}, {}
    try:
        for warehouse in (s3_root.url, str(tmp_path / "local")):
            use(monkeypatch, seaweed, warehouse)
            assert main(["run", "--source", "tinhuyhaiduong", "--date", day]) == 0
            [report] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
            assert report["status"] == "ok" and report["articles_new"] > 0
            assert main(["query", "SELECT url, title, content_hash FROM articles ORDER BY url", "--format",
                         "json"]) == 0
            landed[warehouse] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
            assert main(["query", "SELECT status, articles_new FROM runs", "--format", "json"]) == 0
            assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
                {"status": "ok", "articles_new": report["articles_new"]}]
            since = (replica.today - timedelta(days=13)).isoformat()
            assert main(["report", "--since", since]) == 0  # the daily report, its default place in the warehouse
            pages[warehouse] = capsys.readouterr().out.strip()
            assert main(["reprocess", "--since", day, "--until", day]) == 0  # re-extracted from the archive
            [again] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
            assert again["source"] == "tinhuyhaiduong" and again["new"] == 0 and again["updated"] == 0
            assert main(["sources", "status", "--json", "--day", day]) in (0, 1)  # 1: a one-day history
            [health] = json.loads(capsys.readouterr().out)
            assert (health["source"], health["last_run"], health["last_status"]) == ("tinhuyhaiduong", day, "ok")
    finally:
        logging.getLogger().handlers[:], logging.getLogger().level = handlers, level
    on_s3, local = landed.values()
    assert pages[s3_root.url] == f"{s3_root.url}/reports/{day}/index.html"
    with TestClient(s3_reports_app(s3_root)) as client:  # what the Airflow plugin serves from the bucket
        newest = client.get("/reports/", follow_redirects=False)
        assert newest.status_code == 307 and newest.headers["location"].endswith(f"/reports/{day}/index.html")
        page = client.get(f"/reports/{day}/index.html")
        assert page.status_code == 200 and "tinhuyhaiduong" in page.text
        assert client.get(f"/reports/{day}/../../secret").status_code == 404
    assert on_s3 == local and len(on_s3) == len(replica.world.refs("tinhuyhaiduong", replica.today))
    fs, base = filesystem(s3_root)
    raw = [i.path for i in fs.get_file_info(FileSelector(f"{base}/raw", recursive=True)) if i.type == FileType.File]
    assert sorted(p.endswith(".warc.gz") for p in raw) == [False, True] and any(p.endswith(".stats.json") for p in raw)
    assert run_query(s3_root, "SELECT count(*) AS n FROM crawl_log WHERE warc_file IS NOT NULL").to_pylist()[0]["n"] > 0


def test_appended_files_are_compacted_in_one_manifest_switch(s3_root: S3Root) -> None:
    for first in (0, 100, 200):  # new articles only: each load adds one file to the month
        upsert_articles(s3_root, "s", synthetic.articles(20, "s", first_id=first, days=5, start=date(2026, 11, 1)))
    assert len(partitions(s3_root).files("articles", "s", "month", "2026-11")) == 3
    rows = run_query(s3_root, "SELECT article_id, content_hash FROM articles ORDER BY ALL")
    [done] = compact(s3_root, "articles")
    assert (done.files_before, done.files_after) == (3, 1)
    assert run_query(s3_root, "SELECT article_id, content_hash FROM articles ORDER BY ALL").equals(rows)
    assert len(manifest_files(s3_root, "articles")) == 1 and stray_objects(s3_root) == 0


# ---------------------------------------------------------------- the cross-machine lock

def test_a_waiter_names_the_lock_holder_and_a_writer_whose_session_ended_stops_before_its_commit() -> None:
    name = f"provnews test lock {uuid.uuid4().hex}"
    with advisory_lock(LOCK_URL, name, "warehouse source 's'", timeout=5) as held:
        waiting = advisory_lock(LOCK_URL, name, "warehouse source 's'", timeout=0.3)
        with pytest.raises(LockTimeout, match=r"warehouse source 's' is being written by provnews pid \d+"), waiting:
            pass
        held.check()  # still ours
        with psycopg2.connect(LOCK_URL) as other, other.cursor() as cur:  # an administrator ends the session
            cur.execute("SELECT pg_terminate_backend(%s)", (held.conn.get_backend_pid(),))
        with pytest.raises(RuntimeError, match="lost the write lock"):
            held.check()
    with advisory_lock(LOCK_URL, name, "warehouse source 's'", timeout=1):  # free again
        pass


def test_writing_an_s3_warehouse_without_a_lock_database_is_refused_in_one_line(s3_root: S3Root) -> None:
    unlocked = S3Root(s3_root.bucket, s3_root.prefix, s3_root.endpoint, s3_root.region)
    with pytest.raises(StorageUnavailable, match="needs PROVNEWS_WAREHOUSE_LOCK"):
        replace_partition(unlocked, "quarantine", "s", "2026-11-21", quarantine("https://s/1"))
