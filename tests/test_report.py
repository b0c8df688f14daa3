"""The runs table (record_runs) and `provnews report`: a static HTML page with every source's day and PNG charts,
built from a small warehouse written with the real writer functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from provnews.cli import main
from provnews.settings import Settings
from provnews.stages.daily_report import OTHER, per_day
from provnews.stages.load import load_tables
from provnews_tools import synthetic
from warehouse.views import run_query
from warehouse.writer import append_crawl_log, record_runs

DAYS = [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21)]
LAST = DAYS[-1]
PROVINCES = {"baohaiduong": "Hải Phòng", "thaibinhtv": "Hưng Yên", "ubndbacgiang": "Bắc Ninh"}
PROBLEM = "crawl: robots.txt forbids <script>alert(1)</script> & every page"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_row(source: str, day: date, run_id: str, **counts: Any) -> dict[str, Any]:
    started = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=16)
    duration = counts.pop("duration_s", 60.0)
    return {"run_id": run_id, "source": source, "province": PROVINCES[source], "dt": day.isoformat(),
            "started_at": started, "finished_at": started + timedelta(seconds=duration), "duration_s": duration,
            "status": "ok", **counts}


def last_day_runs() -> list[dict[str, Any]]:
    return [
        run_row("baohaiduong", LAST, "b-1", status="failed", problem="crawl: timed out", duration_s=5.0),
        run_row("baohaiduong", LAST, "b-2", pages_fetched=40, not_modified=7, errors=1, articles_new=6,
                articles_updated=2, articles_unchanged=3, quarantined=2, duration_s=120.0),  # the re-run wins
        run_row("thaibinhtv", LAST, "t-3", pages_fetched=25, not_modified=4, articles_new=3, status="warning",
                problem="checks: fewer articles than usual", duration_s=45.5),
        run_row("ubndbacgiang", LAST, "u-3", status="failed", problem=PROBLEM, errors=9, duration_s=3.0),
    ]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three sources with runs over three days, articles, crawl logs and quarantine rows; a fourth source
    (haiduonggov) has articles but no run."""
    root = tmp_path_factory.mktemp("warehouse")
    settings = Settings(warehouse=root)
    for source in [*PROVINCES, "haiduonggov"]:
        quarantine = pa.table({"url": [f"https://{source}/bad/1"], "reason": ["no-article-body"],
                               "crawled_at": [datetime(2026, 11, 21, tzinfo=UTC)]})
        start, days = (DAYS[0], 3) if source in PROVINCES else (date(2026, 11, 1), 1)
        articles = synthetic.articles(12, source, start=start, days=days)
        load_tables(settings, source, LAST, articles, quarantine)
        append_crawl_log(root, source, LAST.isoformat(), pa.table({
            "run_id": ["r"] * 3, "url": [f"https://{source}/a/{i}" for i in range(3)],
            "kind": ["article", "article", "listing"], "status": pa.array([200, 503, 404], pa.int32()),
            "error": [None, "HTTP 503 (attempt 3 of 3, retries exhausted)", "HTTP 404"],
            "fetched_at": pa.array([datetime(2026, 11, 21, 1, i, tzinfo=UTC) for i in range(3)],
                                   pa.timestamp("us", tz="UTC"))}))
    earlier = [run_row(s, day, f"{s[0]}-{i}", pages_fetched=10 + i, articles_new=i, articles_updated=1)
               for i, day in enumerate(DAYS[:2], start=1) for s in PROVINCES]
    record_runs(root, earlier + last_day_runs())
    return root


class _Tables(HTMLParser):
    """The page's tables as lists of rows of cell texts (entities decoded), and its <img> sources."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.images: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs)["src"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def report(root: Path, args: list[str], monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[Path, str, _Tables]:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(root))
    assert main(["report", *args]) == 0
    index = Path(capsys.readouterr().out.strip())
    page = index.read_text(encoding="utf-8")
    parsed = _Tables()
    parsed.feed(page)
    return index, page, parsed


@pytest.mark.slow
def test_the_report_lists_every_source_with_its_last_day(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    index, page, parsed = report(warehouse, ["--since", "2026-11-19", "--out", str(tmp_path)], monkeypatch, capsys)
    assert index == tmp_path / "index.html"
    assert "provnews daily report 2026-11-21" in page  # --until: the latest crawl day in the warehouse
    header, *rows = parsed.tables[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert [r[0] for r in rows] == ["ubndbacgiang", "haiduonggov", "thaibinhtv", "baohaiduong"]  # worst first
    assert table["baohaiduong"] == {
        "source": "baohaiduong", "province": "Hải Phòng", "pages_fetched": "40", "not_modified": "7", "errors": "1",
        "articles_new": "6", "articles_updated": "2", "articles_unchanged": "3", "quarantined": "2",
        "status": "ok", "problem": "–", "duration_s": "120.0", "runs": "2"}
    assert table["thaibinhtv"]["status"] == "warning"
    assert table["thaibinhtv"]["problem"] == "checks: fewer articles than usual"
    assert table["ubndbacgiang"]["status"] == "failed"
    assert table["ubndbacgiang"]["errors"] == "9"
    assert table["ubndbacgiang"]["pages_fetched"] == "0"  # a count the run did not give
    assert table["haiduonggov"]["status"] == "no run"


@pytest.mark.slow
def test_a_failed_sources_problem_is_shown_escaped(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, page, parsed = report(warehouse, ["--since", "2026-11-19", "--out", str(tmp_path)], monkeypatch, capsys)
    problems = {row[0]: row[10] for row in parsed.tables[0][1:]}
    assert problems["ubndbacgiang"] == PROBLEM
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; every page" in page
    assert "<script>" not in page


@pytest.mark.slow
def test_the_charts_are_png_files_the_page_shows(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, page, parsed = report(warehouse, ["--since", "2026-11-19", "--out", str(tmp_path)], monkeypatch, capsys)
    assert sorted(parsed.images) == sorted(p.name for p in tmp_path.glob("*.png"))
    assert set(parsed.images) == {"articles_per_source.png", "articles_per_province.png", "new_vs_updated.png",
                                  "fetch_errors.png", "quarantine.png", "slowest_sources.png",
                                  "silent_sources.png"}
    for name in parsed.images:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 1000, name
    last = run_query(warehouse, "SELECT max(published_date) AS d FROM articles WHERE source = 'haiduonggov'")
    last_day = last.column("d")[0].as_py()  # 1 or 2 November (local time)
    silent = {row[0]: row[1:] for row in parsed.tables[1][1:]}
    assert silent["haiduonggov"] == [last_day.isoformat(), str((LAST - last_day).days)]
    assert parsed.tables[1][1][0] == "haiduonggov"  # the longest silent first


def test_the_default_output_is_under_the_warehouse(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    index, _, parsed = report(warehouse, ["--since", "2026-11-19", "--until", "2026-11-20"], monkeypatch, capsys)
    assert index == warehouse / "reports" / "2026-11-20" / "index.html"
    table = {row[0]: row for row in parsed.tables[0][1:]}
    assert table["thaibinhtv"][2] == "12" and table["thaibinhtv"][-4] == "ok"  # its run of the 20th


def test_an_empty_warehouse_gives_a_page_saying_no_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    index, page, parsed = report(tmp_path / "empty", ["--since", "2026-11-21", "--out", str(out)], monkeypatch,
                                 capsys)
    assert "no data" in page and parsed.tables == [] and parsed.images == []
    assert [p.name for p in out.iterdir()] == ["index.html"]


def test_a_reversed_range_is_one_line_and_exit_2(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(warehouse))
    assert main(["report", "--since", "2026-11-21", "--until", "2026-11-19"]) == 2
    assert capsys.readouterr().err == ("provnews report: error: argument --until: 2026-11-19 is before --since "
                                       "2026-11-21\n")


def test_a_chart_keeps_the_largest_labels_and_folds_the_rest() -> None:
    days = ["2026-11-20", "2026-11-21"]
    rows = [("2026-11-21", f"s{i:02d}", i) for i in range(1, 13)] + [("2026-11-19", "s12", 5)]
    series = per_day(rows, days, top=10)
    assert list(series.values) == [f"s{i:02d}" for i in range(12, 2, -1)] + [OTHER]
    assert series.values[OTHER] == [0, 1 + 2] and series.values["s12"] == [0, 12]  # the 19th is out of range


# ---------------------------------------------------------------- record_runs

def test_record_runs_upserts_by_source_day_and_run_id(tmp_path: Path) -> None:
    record_runs(tmp_path, [{"run_id": "r1", "source": "baohaiduong", "dt": "2026-11-21", "status": "failed",
                            "problem": "crawl: timed out"}])
    record_runs(tmp_path, [{"run_id": "r1", "source": "baohaiduong", "dt": "2026-11-21", "status": "ok",
                            "pages_fetched": 12},
                           {"run_id": "r1", "source": "baohaiduong", "dt": "2026-11-20", "status": "ok"}])
    rows = run_query(tmp_path, "SELECT dt, run_id, status, problem, pages_fetched, errors, province FROM runs "
                               "ORDER BY dt").to_pylist()
    assert rows == [
        {"dt": "2026-11-20", "run_id": "r1", "status": "ok", "problem": None, "pages_fetched": 0, "errors": 0,
         "province": None},
        {"dt": "2026-11-21", "run_id": "r1", "status": "ok", "problem": None, "pages_fetched": 12, "errors": 0,
         "province": None},
    ]
    assert (tmp_path / "runs" / "source=baohaiduong" / "dt=2026-11-21" / "part-0.parquet").is_file()


@pytest.mark.parametrize(("row", "field"), [
    ({"source": "baohaiduong", "dt": "2026-11-21", "status": "ok"}, "run_id"),
    ({"run_id": "r", "dt": "2026-11-21", "status": "ok"}, "source"),
    ({"run_id": "r", "source": "baohaiduong", "status": "ok"}, "dt"),
    ({"run_id": "r", "source": "baohaiduong", "dt": "21/11/2026", "status": "ok"}, "dt"),
    ({"run_id": "r", "source": "baohaiduong", "dt": "20261121", "status": "ok"}, "dt"),
    ({"run_id": "r", "source": "baohaiduong", "dt": "2026-11-21", "status": "broken"}, "status"),
    ({"run_id": "r", "source": "baohaiduong", "dt": "2026-11-21", "status": "ok", "fetched": 3}, "fetched"),
    ({"run_id": "r", "source": "baohaiduong", "dt": "2026-11-21", "status": "ok", "errors": "many"}, "errors"),
])
def test_record_runs_refuses_a_bad_row_naming_the_field(tmp_path: Path, row: dict[str, Any], field: str) -> None:
    good = {"run_id": "g", "source": "thaibinhtv", "dt": "2026-11-21", "status": "ok"}
    with pytest.raises(ValueError, match=rf"runs\.{field}\b"):
        record_runs(tmp_path, [good, row])
    assert not (tmp_path / "runs").exists()  # nothing written, not even the good row
