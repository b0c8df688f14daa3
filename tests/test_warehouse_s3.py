"""The warehouse on S3-compatible storage, against a real SeaweedFS on loopback (tests/seaweed_fixture.py)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from seaweed_fixture import Seaweed

from warehouse.storage import S3Root, StorageUnavailable, check_reachable, filesystem, resolve

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


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
