"""Spark reads the warehouse as it is on disk: the articles table's hive partitions (source=/month=), written by
the project's writer, read with `spark.read.parquet(basePath=...)`, give the same rows as the DuckDB view.

Spark runs in this process's JVM, local[1], 512 MB, bound to loopback with no UI: nothing leaves the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from provnews.settings import Settings
from provnews.stages.load import load_tables
from provnews_tools import synthetic
from warehouse.s3 import manifest_files, s3a_jars, spark_conf
from warehouse.storage import S3Root
from warehouse.views import run_query

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

# the columns compared, with the partition keys; the timestamp as microseconds since the epoch (each engine
# would otherwise hand Python a datetime in its own zone)
COLUMNS = ("article_id", "source", "url", "title", "authors", "month")
SPARK_EPOCH, DUCK_EPOCH = "unix_micros(published_at) AS published_us", "epoch_us(published_at) AS published_us"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pyspark_sql = pyspark_sql_module()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # else Spark picks the host's first non-loopback address
        yield from _session(pyspark_sql)


def pyspark_sql_module() -> Any:
    import pyspark.sql

    return pyspark.sql


def _session(pyspark_sql: Any) -> Iterator[Any]:
    session = (pyspark_sql.SparkSession.builder.master("local[1]").appName("provnews-read")
               .config("spark.driver.memory", "512m")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.session.timeZone", "UTC")
               # partition values stay strings, as the schema types them (month=2026-11 is no date)
               .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false"))
    if s3a_jars():  # the S3A client, for the S3 test (its endpoint and keys are set when it runs)
        session = session.config("spark.jars", ",".join(s3a_jars()))
    session = session.getOrCreate()
    try:
        yield session
    finally:
        session.stop()


def small_warehouse(root: Path | S3Root) -> int:
    """Two sources' synthetic articles over a few months, loaded as the pipeline loads them."""
    settings = Settings(warehouse=root.url, s3_endpoint=root.endpoint, warehouse_lock=root.lock_url) \
        if isinstance(root, S3Root) else Settings(warehouse=root)
    empty = pa.table({"url": pa.array([], pa.string()), "reason": pa.array([], pa.string())})
    total = 0
    for source, n in (("baohaiduong", 40), ("thaibinhtv", 25)):
        rows = synthetic.articles(n, source, days=90, start=date(2026, 8, 1))
        load_tables(settings, source, date(2026, 11, 21), rows, empty)
        total += n
    return total


def test_spark_reads_the_articles_partitions_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    total = small_warehouse(tmp_path)
    table = tmp_path / "articles"
    assert len(list(table.glob("source=*/month=*/*.parquet"))) > 2, "several hive partitions"

    frame = spark.read.option("basePath", str(table)).parquet(str(table / "source=*" / "month=*"))
    assert {"source", "month"} <= set(frame.columns)  # the partition keys, from the directory names
    got = sorted(_row(row.asDict()) for row in frame.selectExpr(*COLUMNS, SPARK_EPOCH).collect())

    duck = run_query(tmp_path, f"SELECT {', '.join(COLUMNS)}, {DUCK_EPOCH} FROM articles").to_pylist()
    expected = sorted(_row(row) for row in duck)
    assert len(got) == total == len(expected)
    assert got == expected

    per_source = {r["source"]: r["n"] for r in frame.groupBy("source").count().withColumnRenamed(
        "count", "n").collect()}
    assert per_source == {"baohaiduong": 40, "thaibinhtv": 25}
    # partition pruning works on the directory key as on a column
    assert frame.where("source = 'thaibinhtv'").count() == 25


def _row(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row as a comparable tuple (lists as tuples)."""
    return tuple(tuple(v) if isinstance(v, list) else v for v in (row[c] for c in (*COLUMNS, "published_us")))


def require_s3a_jars() -> None:
    """Without the S3A jars, a skip on a laptop and a failure under CI (`make venv` installs them)."""
    if s3a_jars():
        return
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail("no S3A jars but CI is set: `make venv` must pip install --no-deps sagemaker-pyspark==1.4.5")
    pytest.skip("no S3A jars: pip install --no-deps sagemaker-pyspark==1.4.5 (make venv does)")


def test_spark_reads_the_articles_on_s3_from_the_manifests_as_duckdb_does(spark: Any, s3_root: S3Root) -> None:
    require_s3a_jars()
    total = small_warehouse(s3_root)
    hadoop = spark._jsc.hadoopConfiguration()
    for name, value in spark_conf(s3_root, os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
                                  ).items():
        hadoop.set(name, value)
    files = [url.replace("s3://", "s3a://", 1) for url in manifest_files(s3_root, "articles")]
    assert len(files) > 2, "several hive partitions"
    frame = spark.read.option("basePath", f"s3a://{s3_root.key('articles')}").parquet(*files)
    got = sorted(_row(row.asDict()) for row in frame.selectExpr(*COLUMNS, SPARK_EPOCH).collect())
    duck = run_query(s3_root, f"SELECT {', '.join(COLUMNS)}, {DUCK_EPOCH} FROM articles").to_pylist()
    assert len(got) == total and got == sorted(_row(row) for row in duck)
    assert frame.where("source = 'thaibinhtv'").count() == 25
