"""The warehouse on S3-compatible storage, against a real SeaweedFS on loopback (tests/seaweed_fixture.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyarrow.fs import FileSelector, FileType
from seaweed_fixture import Seaweed

from provnews_tools import synthetic
from warehouse.s3 import manifest_files
from warehouse.storage import S3Root, StorageUnavailable, check_reachable, filesystem, resolve
from warehouse.views import run_query
from warehouse.writer import LoadCounts, partitions, read_partition, replace_partition, upsert_articles

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


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
