"""The daily report: one static HTML page (index.html) and its PNG charts, from the warehouse tables.

warehouse.reader gathers the rows, this module shapes them into per-day series and tables and writes the page,
provnews.stages.report_plots draws. Tables list every source; a chart shows the TOP_N largest labels and folds
the rest into "(other)". Every value from the data is HTML-escaped, and the page loads nothing from elsewhere.
A source's day is its latest run of the day (warehouse.reader.day_runs), so a re-run does not count twice.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from provnews.stages.report_plots import Series, horizontal_bars, stacked_bars
from warehouse import reader
from warehouse.paths import report_dir
from warehouse.schema import RUN_COUNTS
from warehouse.storage import Root, S3Root, upload

TOP_N = 10
OTHER = "(other)"
UNKNOWN_PROVINCE = "(unknown province)"
_SEVERITY = {"failed": 0, "no run": 1, "warning": 2, "ok": 3}
DAY_COLUMNS = ("source", "province", *RUN_COUNTS, "status", "problem", "duration_s", "runs")


@dataclass(frozen=True)
class ReportData:
    since: date
    until: date
    sources: list[str]  # every source the warehouse knows
    last_day: list[dict[str, Any]]  # one row per source for `until`, worst status first
    articles_by_source: Series
    articles_by_province: Series
    new_vs_updated: Series
    fetch_errors: Series
    quarantine: Series
    slowest: list[tuple[str, float]]  # (source, mean duration_s over the range), slowest first
    silent: list[tuple[str, date | None, int | None]]  # (source, last publication day, days since), longest first


@dataclass(frozen=True)
class Chart:
    file: str
    title: str
    draw: Callable[[Path], bool]  # writes the PNG; False when there was nothing to draw


# ---------------------------------------------------------------- data

def gather(root: Root, since: date, until: date) -> ReportData:
    days = [(since + timedelta(days=i)).isoformat() for i in range((until - since).days + 1)]
    runs = reader.day_runs(root, since, until)
    provinces = reader.source_provinces(root)
    sources = sorted(set(reader.warehouse_sources(root)) | {r["source"] for r in runs})
    articles = reader.articles_per_day(root, since, until)
    by_province = [(day, provinces.get(source, UNKNOWN_PROVINCE), n) for day, source, n in articles]
    loads = [(r["dt"], name, r[name]) for r in runs for name in ("articles_new", "articles_updated")]
    return ReportData(
        since, until, sources,
        last_day=_last_day(sources, provinces, [r for r in runs if r["dt"] == until.isoformat()]),
        articles_by_source=per_day(articles, days),
        articles_by_province=per_day(by_province, days),
        new_vs_updated=per_day(loads, days),
        fetch_errors=per_day(reader.fetch_errors_per_day(root, since, until), days),
        quarantine=per_day(reader.quarantine_per_day(root, since, until), days),
        slowest=_slowest(runs),
        silent=_silent(sources, reader.last_published(root, until), until),
    )


def per_day(rows: Iterable[tuple[str, str, int]], days: list[str], top: int = TOP_N) -> Series:
    """Rows of (day, label, n) as a Series over `days`: the `top` labels with the largest totals, the others
    summed into OTHER."""
    cells: Counter[tuple[str, str]] = Counter()
    for day, label, n in rows:
        cells[(label, day)] += int(n)
    totals: Counter[str] = Counter()
    for (label, _), n in cells.items():
        totals[label] += n
    ranked = sorted(totals, key=lambda label: (-totals[label], label))
    kept = set(ranked[:top])
    values = {label: [0] * len(days) for label in ranked[:top]}
    if len(ranked) > top:
        values[OTHER] = [0] * len(days)
    index = {day: i for i, day in enumerate(days)}
    for (label, day), n in cells.items():
        if day in index:
            values[label if label in kept else OTHER][index[day]] += n
    return Series(days, values)


def _last_day(sources: list[str], provinces: Mapping[str, str],
              runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every source's row for the last day; a source without a run that day says so."""
    by_source = {r["source"]: r for r in runs}
    rows = [by_source.get(s) or {"source": s, "status": "no run", "problem": "no run recorded for this day"}
            for s in sources]
    rows = [{**r, "province": r.get("province") or provinces.get(r["source"])} for r in rows]
    return sorted(rows, key=lambda r: (_SEVERITY.get(r["status"], 0), r["source"]))


def _slowest(runs: list[dict[str, Any]]) -> list[tuple[str, float]]:
    durations: dict[str, list[float]] = {}
    for r in runs:
        if r["duration_s"] is not None:
            durations.setdefault(r["source"], []).append(float(r["duration_s"]))
    means = [(source, sum(v) / len(v)) for source, v in durations.items()]
    return sorted(means, key=lambda item: (-item[1], item[0]))[:TOP_N]


def _silent(sources: list[str], last: Mapping[str, date],
            until: date) -> list[tuple[str, date | None, int | None]]:
    rows = [(s, last.get(s), (until - last[s]).days if s in last else None) for s in sources]
    return sorted(rows, key=lambda r: (r[2] is not None, -(r[2] or 0), r[0]))  # never published first


# ---------------------------------------------------------------- charts

def charts(data: ReportData) -> list[Chart]:
    def bars(series: Series, title: str, ylabel: str) -> Callable[[Path], bool]:
        return lambda path: stacked_bars(path, title, series, ylabel)

    silent = [(s, float(n)) for s, _, n in data.silent if n][:TOP_N]
    specs = [
        ("articles_per_source.png", "Articles per source per publication day", data.articles_by_source,
         "articles"),
        ("articles_per_province.png", "Articles per province per publication day", data.articles_by_province,
         "articles"),
        ("new_vs_updated.png", "articles_new and articles_updated per crawl day (runs)", data.new_vs_updated,
         "articles"),
        ("fetch_errors.png", "Failed fetch attempts per crawl day, by reason (crawl_log; a listing's 404 left "
         "out)", data.fetch_errors, "attempts"),
        ("quarantine.png", "Quarantined pages per crawl day, by reason", data.quarantine, "pages"),
    ]
    return [
        *(Chart(file, title, bars(series, title, ylabel)) for file, title, series, ylabel in specs),
        Chart("slowest_sources.png", f"Slowest sources: mean run duration_s, top {TOP_N}",
              lambda path: horizontal_bars(path, "Slowest sources", data.slowest, "mean duration_s")),
        Chart("silent_sources.png", f"Silent sources: days since the last published article, top {TOP_N}",
              lambda path: horizontal_bars(path, "Silent sources", silent, f"days without an article to "
                                           f"{data.until.isoformat()}", integer=True)),
    ]


# ---------------------------------------------------------------- HTML

_STYLE = """body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:90%}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td.text,th{text-align:left}
tr.failed{background:#fdd}tr.warning{background:#ffe9b3}tr.norun{background:#eee}img{max-width:100%}
p.nodata{color:#777;font-style:italic}"""
_ROW_CLASS = {"failed": "failed", "warning": "warning", "no run": "norun"}
_TEXT_COLUMNS = {"source", "province", "status", "problem"}


def _e(value: Any) -> str:
    """A data value as HTML text: escaped, null as a dash, floats to one decimal."""
    if value is None:
        return "–"
    return html.escape(f"{value:.1f}" if isinstance(value, float) else str(value), quote=True)


def _nodata(what: str) -> str:
    return f'<p class="nodata">no data: {html.escape(what)}</p>'


def _table(columns: tuple[str, ...], rows: list[dict[str, Any]], row_class: Callable[[dict[str, Any]], str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        f'<tr class="{row_class(r)}">' + "".join(
            f'<td class="text">{_e(r.get(c))}</td>' if c in _TEXT_COLUMNS else f"<td>{_e(r.get(c))}</td>"
            for c in columns) + "</tr>\n" for r in rows)
    return f"<table>\n<tr>{head}</tr>\n{body}</table>"


def _day_section(data: ReportData) -> str:
    title = f"<h2>Sources on {_e(data.until.isoformat())}</h2>"
    if not data.sources:
        return title + _nodata("no source has runs, crawl log or articles in this warehouse")
    return title + _table(DAY_COLUMNS, data.last_day, lambda r: _ROW_CLASS.get(r["status"], ""))


def _silent_section(data: ReportData) -> str:
    title = "<h2>Last published article per source</h2>"
    if not data.sources:
        return title + _nodata("no sources")
    rows = [{"source": s, "last published": day, "days silent": n if day else "never"} for s, day, n in data.silent]
    return title + _table(("source", "last published", "days silent"), rows, lambda r: "")


def _chart_section(chart: Chart, drawn: bool) -> str:
    body = f'<img src="{html.escape(chart.file)}" alt="{html.escape(chart.title)}">' if drawn else _nodata(
        "nothing to plot in this range")
    return f"<h2>{html.escape(chart.title)}</h2>\n{body}"


def render(data: ReportData, drawn: list[tuple[Chart, bool]]) -> str:
    title = f"provnews daily report {data.until.isoformat()}"
    failed = sum(r["status"] == "failed" for r in data.last_day)
    summary = (f"<p>Crawl days {_e(data.since.isoformat())} to {_e(data.until.isoformat())}; "
               f"{len(data.sources)} sources, {failed} failed on the last day.</p>")
    sections = [_day_section(data), *(_chart_section(c, ok) for c, ok in drawn), _silent_section(data)]
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_STYLE}</style></head>\n<body>\n<h1>{title}</h1>\n{summary}\n"
            + "\n".join(sections) + "\n</body></html>\n")


# ---------------------------------------------------------------- the page

def write_report(root: Root, since: date, until: date, out: Path | None = None) -> Path | str:
    """Write index.html and its PNGs into `out` (default: warehouse.paths.report_dir); return index.html.

    On an s3:// warehouse without `out` the page is drawn in a temporary directory and uploaded to
    reports/<until>/ (the charts first, index.html last); the s3:// URL of index.html is returned."""
    if until < since:
        raise ValueError(f"the report's range is reversed: until {until} is before since {since}")
    if out is None and isinstance(root, S3Root):
        with tempfile.TemporaryDirectory(prefix="provnews-report-") as temp:
            index = Path(write_report(root, since, until, Path(temp)))
            relative = f"reports/{until.isoformat()}"
            for path in sorted(Path(temp).iterdir(), key=lambda p: p.name == "index.html"):
                upload(root, path, f"{relative}/{path.name}")
        return f"{root.url}/{relative}/{index.name}"
    if out is None:
        assert not isinstance(root, S3Root)
        out = report_dir(root, until)
    out.mkdir(parents=True, exist_ok=True)
    data = gather(root, since, until)
    drawn = [(chart, chart.draw(out / chart.file)) for chart in charts(data)]
    for chart, ok in drawn:
        if not ok:
            (out / chart.file).unlink(missing_ok=True)  # an earlier report's chart, now without data
    index = out / "index.html"
    tmp = out / ".index.html.tmp"
    tmp.write_text(render(data, drawn), encoding="utf-8")
    os.replace(tmp, index)  # a reader sees the old page or the new one
    return index
