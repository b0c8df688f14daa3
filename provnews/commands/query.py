"""`provnews query "SQL"`: read-only SQL over the warehouse, one view per table (warehouse.schema.TABLES)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from provnews.commands import counted
from provnews.settings import Settings
from warehouse.views import QueryLimits, QueryResult, QueryStopped, ReadOnlyError, query

log = logging.getLogger(__name__)

# The README's examples (name, what it answers, SQL). A test runs each one; the benchmark times them.
EXAMPLE_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("per_source_per_day", "Articles published per source per day, over the last 14 days of data",
     """SELECT source, published_date, count(*) AS articles
FROM articles
WHERE published_date > (SELECT max(published_date) FROM articles) - INTERVAL 14 DAY
GROUP BY ALL ORDER BY published_date DESC, source"""),
    ("keyword", "Latest articles whose title or lead mention 'nông thôn mới', typed with or without "
     "diacritics (search_text is folded at load time, also from NFD text; provnews search does this)",
     """SELECT published_at, source, title, url
FROM articles
WHERE search_text LIKE '%' || replace(strip_accents(lower('nông thôn mới')), 'đ', 'd') || '%'
ORDER BY published_at DESC LIMIT 20"""),
    ("crawl_errors", "Crawl error rate by source (no response, or HTTP status 400 and up)",
     """SELECT source, count(*) AS attempts,
       count(*) FILTER (WHERE status IS NULL OR status >= 400) AS failed,
       round(100.0 * failed / attempts, 1) AS error_pct
FROM crawl_log GROUP BY source ORDER BY error_pct DESC, source"""),
    ("quarantine_reasons", "Why pages were quarantined, per source, with an example URL",
     """SELECT source, reason, count(*) AS pages, min(url) AS example_url
FROM quarantine GROUP BY ALL ORDER BY pages DESC, source, reason"""),
    ("edited", "Articles edited after publication, most recent edit first",
     """SELECT source, published_at, updated_at, updated_at - published_at AS edited_after, title, url
FROM articles WHERE updated_at > published_at
ORDER BY updated_at DESC LIMIT 20"""),
)

# The README's questions over the knowledge tables (issue 14); tests/test_knowledge_end_to_end.py runs each one.
KNOWLEDGE_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("document_cited", "Which sources discussed Nghị quyết 57-NQ/TW in the latest month, and when first",
     """SELECT source, count(DISTINCT article_id) AS articles, min(published_date) AS first
FROM mentions WHERE type = 'document' AND number = '57-NQ/TW'
  AND published_date >= date_trunc('month', (SELECT max(published_date) FROM articles))
GROUP BY source ORDER BY articles DESC"""),
    ("party_secretaries", "Who has been Bí thư Tỉnh ủy of each province, first and last seen (any tone style)",
     """SELECT province_2025, name, position, first_seen, last_seen, articles FROM officials
WHERE replace(strip_accents(lower(position)), 'đ', 'd') LIKE 'bi thu tinh uy%'
ORDER BY province_2025, first_seen"""),
    ("grdp_growth", "GRDP growth each province reported, with the sentence that says so",
     """SELECT r.province, f.value, f.unit, f.published_date, f.context FROM figures f
JOIN (SELECT DISTINCT source, province FROM runs) r USING (source)
WHERE f.unit = '%' AND f.measure ILIKE '%GRDP%'
ORDER BY r.province, f.published_date"""),
    ("republished", "The same story republished by another site: the copy, its original, how alike",
     """SELECT c.source, c.title, o.source AS original_source, o.url AS original, d.similarity, d.origin
FROM duplicates d JOIN articles c USING (article_id) JOIN articles o ON o.article_id = d.duplicate_of
ORDER BY d.similarity"""),
    ("most_cited", "The most cited documents (a provincial number per province): how many articles and sources",
     """SELECT number, province_2025, kind, issuer, articles, sources, first_seen FROM documents
ORDER BY articles DESC, number, province_2025 LIMIT 20"""),
    ("places_2025", "Articles per province after the 2025 merger, by the places they name",
     """SELECT province_2025, count(DISTINCT article_id) AS articles, sum(mentions) AS mentions
FROM places GROUP BY ALL ORDER BY articles DESC, province_2025"""),
)

_FORMATS = ("table", "csv", "json", "parquet")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    examples = "\n\n".join(f"-- {title}\n{sql};" for _, title, sql in (*EXAMPLE_QUERIES, *KNOWLEDGE_QUERIES))
    parser = subparsers.add_parser(
        "query", help="run read-only SQL over the warehouse (views articles, crawl_log, quarantine, runs, mentions, "
        "places, figures, officials, documents, duplicates)",
        description="Runs one SELECT (or WITH/FROM/DESCRIBE/SHOW/SUMMARIZE/EXPLAIN) with DuckDB over views "
        "named like the tables. Statements that write (COPY, CREATE, INSERT, ATTACH, INSTALL, SET, ...) are "
        "refused, and the session cannot touch files outside the warehouse. A query runs within bounds "
        f"(defaults in brackets): {_bounds_help()}. A query past its time, memory or spill bound stops with "
        "a one-line error naming the setting (exit 1); one with more rows than --max-rows is cut, and stderr "
        "says so.",
        epilog=f"Examples:\n\n{examples}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sql", help="the query, e.g. \"SELECT source, count(*) FROM articles GROUP BY 1\"")
    parser.add_argument("--format", choices=_FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--out", type=Path, help="write the result to this file (required for parquet)")
    parser.add_argument("--max-rows", type=_positive, metavar="N",
                        help="return at most N rows, in every format; stderr says when the result had more "
                        f"(default PROVNEWS_QUERY_MAX_ROWS, {Settings.model_fields['query_max_rows'].default})")
    parser.set_defaults(func=handle)


def _bounds_help() -> str:
    fields = ("query_timeout_s", "query_memory_limit", "query_threads", "query_temp_limit")
    return ", ".join(f"{Settings.env_var(f)} [{Settings.model_fields[f].default}]" for f in fields)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def limits(settings: Settings, max_rows: int | None = None) -> QueryLimits:
    """The query bounds of `settings` (--max-rows, when given, wins over PROVNEWS_QUERY_MAX_ROWS)."""
    return QueryLimits(timeout_s=settings.query_timeout_s, memory_limit=settings.query_memory_limit,
                       threads=settings.query_threads, temp_limit=settings.query_temp_limit,
                       max_rows=max_rows or settings.query_max_rows)


def _one_line(exc: duckdb.Error) -> str:
    """DuckDB's message without the query echo and caret it adds after a blank line."""
    return " ".join(str(exc).split("\n\n", 1)[0].split())


def answered(command: str, settings: Settings, sql: str, bounds: QueryLimits) -> QueryResult | None:
    """The query's result within `bounds`; None once a bound it hit (named by its setting) or DuckDB's error
    has been told in one line on stderr. ReadOnlyError is the caller's: it is a usage error."""
    try:
        return query(settings.warehouse_root, sql, bounds)
    except QueryStopped as exc:
        print(f"{command}: {exc} ({Settings.env_var('query_' + exc.limit)})", file=sys.stderr)
    except duckdb.Error as exc:
        print(f"{command}: {_one_line(exc)}", file=sys.stderr)
    return None


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "parquet" and args.out is None:
        print("provnews query: --format parquet needs --out FILE", file=sys.stderr)
        return 2
    bounds = limits(settings, args.max_rows)
    try:
        result = answered("provnews query", settings, args.sql, bounds)
    except ReadOnlyError as exc:
        print(f"provnews query: {exc}", file=sys.stderr)
        return 2
    if result is None:
        return 1
    if args.out is not None:
        write_file(result.table, args.format, args.out)
        log.info("query result written", extra={"rows": result.table.num_rows, "path": str(args.out)})
    else:
        write_text(result.table, args.format, sys.stdout, max_rows=None)
    if result.cut:
        print(f"provnews query: the result has more than {bounds.max_rows} rows; only the first "
              f"{bounds.max_rows} are {'written' if args.out else 'shown'} (--max-rows, PROVNEWS_QUERY_MAX_ROWS)",
              file=sys.stderr)
    return 0


def write_file(result: pa.Table, fmt: str, out: Path) -> None:
    if fmt == "parquet":
        pq.write_table(result, out, compression="zstd")
        return
    with open(out, "w", encoding="utf-8", newline="") as fh:
        write_text(result, fmt, fh, max_rows=None)


def write_text(result: pa.Table, fmt: str, out: TextIO, max_rows: int | None) -> None:
    if fmt == "csv":
        buf = io.BytesIO()
        pacsv.write_csv(_flat(result), buf)
        out.write(buf.getvalue().decode("utf-8"))
    elif fmt == "json":  # one JSON object per line
        for row in result.to_pylist():
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        out.write(format_table(result, max_rows) + "\n")


def _flat(result: pa.Table) -> pa.Table:
    """CSV cannot hold lists or structs: those columns become their JSON text."""
    cols = []
    for col in result.columns:
        if pa.types.is_nested(col.type):
            col = pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                            for v in col.to_pylist()], pa.string())
        cols.append(col)
    return pa.Table.from_arrays(cols, names=result.column_names)


def format_table(result: pa.Table, max_rows: int | None = 100, width: int = 60) -> str:
    """A plain aligned text table; long cells are cut to `width` characters."""
    shown = result if max_rows is None else result.slice(0, max_rows)

    def cell(value: object) -> str:
        text = "NULL" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[cell(v) for v in row.values()] for row in shown.to_pylist()]
    names = result.column_names
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    more = result.num_rows - shown.num_rows
    lines.append(f"({counted(result.num_rows, 'row')}{f', {more} not shown' if more else ''})")
    return "\n".join(lines)
