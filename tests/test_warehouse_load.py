"""The load stage: what transform returned lands once; a second run of the same day adds no row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa

from provnews.settings import Settings
from provnews.stages.load import load, load_tables
from provnews.stages.transform import QuarantineRow, TransformResult
from provnews_tools import synthetic
from warehouse.views import run_query
from warehouse.writer import LoadCounts

DAY = date(2026, 11, 21)


def quarantine(*urls: str) -> pa.Table:
    return pa.table({"url": list(urls), "reason": ["no-body"] * len(urls)})


def test_loading_a_day_twice_adds_no_row_and_the_quarantine_day_is_replaced(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path)
    rows = synthetic.articles(50, "baohaiduong", days=30, start=date(2026, 10, 20))
    assert load_tables(settings, "baohaiduong", DAY, rows, quarantine("https://x/1", "https://x/2")) \
        == LoadCounts(new=50)
    assert load_tables(settings, "baohaiduong", DAY, rows, quarantine("https://x/2")) == LoadCounts(unchanged=50)
    counts = run_query(tmp_path, "SELECT (SELECT count(*) FROM articles) AS a, "
                                 "(SELECT count(*) FROM quarantine) AS q").to_pylist()[0]
    assert counts == {"a": 50, "q": 1}  # the re-run's quarantine replaced the first one's


def test_load_takes_the_transform_stage_result(tmp_path: Path) -> None:
    result = TransformResult("thaibinhtv", DAY)
    result.quarantine.append(QuarantineRow("thaibinhtv", "https://thaibinhtv/p/1", "no-date", "no date found",
                                           "x1", "raw/source=thaibinhtv/dt=2026-11-21/a.warc.gz", 0, None,
                                           DAY.isoformat()))
    assert load(Settings(warehouse=tmp_path), "thaibinhtv", DAY, result) == LoadCounts()
    rows = run_query(tmp_path, "SELECT source, dt, url, reason FROM quarantine").to_pylist()
    assert rows == [{"source": "thaibinhtv", "dt": "2026-11-21", "url": "https://thaibinhtv/p/1",
                     "reason": "no-date"}]
