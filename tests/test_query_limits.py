"""`provnews query` within bounds: a query that runs too long is interrupted, one that needs too much memory or
disk is stopped, at most --max-rows rows come back; each with one line naming the setting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from provnews.cli import main
from warehouse.views import QueryLimits, QueryStopped, ReadOnlyError, query

CROSS_JOIN = "SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b"  # 10^10 rows: minutes
SMALL = QueryLimits(timeout_s=30, memory_limit="100MB", threads=1, temp_limit="10MB", max_rows=5)


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty warehouse (the views exist, with no rows): the queries below need no data."""
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path))
    return tmp_path


@pytest.mark.slow
def test_a_query_past_its_time_is_interrupted(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_QUERY_TIMEOUT_S", "1")
    started = time.monotonic()
    assert main(["query", CROSS_JOIN]) == 1
    assert time.monotonic() - started < 15  # interrupted, not run to its end
    assert capsys.readouterr().err == "provnews query: query stopped after 1 s (PROVNEWS_QUERY_TIMEOUT_S)\n"


def test_a_query_that_needs_too_much_memory_is_stopped(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_QUERY_MEMORY_LIMIT", "100MB")
    assert main(["query", "SELECT list(range) FROM range(300000000)"]) == 1  # a 2.4 GB list
    assert capsys.readouterr().err == ("provnews query: query stopped: it needs more memory than 100MB "
                                       "(PROVNEWS_QUERY_MEMORY_LIMIT)\n")


def test_a_query_that_would_spill_too_much_to_disk_is_stopped(warehouse: Path) -> None:
    with pytest.raises(QueryStopped, match="spill more than 10MB") as stopped:
        query(warehouse, "SELECT count(DISTINCT md5(range::VARCHAR)) FROM range(3000000)", SMALL)
    assert stopped.value.limit == "temp_limit"


def test_the_limits_are_the_sessions_settings(warehouse: Path) -> None:
    sql = ("SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads, "
           "current_setting('max_temp_directory_size') AS temp")
    assert query(warehouse, sql, SMALL).table.to_pylist() == [{"memory": "95.3 MiB", "threads": 1,
                                                                 "temp": "9.5 MiB"}]


@pytest.mark.parametrize("sql", ["SET memory_limit = '20GB'", "PRAGMA threads = 8", "RESET memory_limit",
                                 "COPY (SELECT 1) TO 'x.csv'", "ATTACH 'x.duckdb'", "INSTALL httpfs"])
def test_a_query_cannot_lift_its_limits(warehouse: Path, sql: str) -> None:
    with pytest.raises(ReadOnlyError, match="read-only"):
        query(warehouse, sql, SMALL)


def test_max_rows_cuts_the_result_and_says_so(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT range AS n FROM range(20)", "--max-rows", "3", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ['"n"', "0", "1", "2"]
    assert err == ("provnews query: the result has more than 3 rows; only the first 3 are shown "
                   "(--max-rows, PROVNEWS_QUERY_MAX_ROWS)\n")
    monkeypatch.setenv("PROVNEWS_QUERY_MAX_ROWS", "20")  # exactly the limit: nothing was cut
    assert main(["query", "SELECT range AS n FROM range(20)", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 20 and err == ""


def test_max_rows_also_bounds_what_is_written_to_a_file(warehouse: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "n.csv"
    assert main(["query", "SELECT range AS n FROM range(100)", "--max-rows", "10", "--format", "csv",
                 "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 11  # the header and 10 rows
    assert "only the first 10 are written" in capsys.readouterr().err


@pytest.mark.parametrize(("var", "value"), [("PROVNEWS_QUERY_MEMORY_LIMIT", "lots"),
                                            ("PROVNEWS_QUERY_TIMEOUT_S", "-1"),
                                            ("PROVNEWS_QUERY_MAX_ROWS", "ten")])
def test_a_bad_limit_setting_is_one_line_naming_the_variable(warehouse: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str],
                                                             var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    assert main(["query", "SELECT 1"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"provnews query: error: {var}={value!r}: ")
