"""`provnews search "nông thôn mới"`: articles whose title or lead (or, with --body, body) hold a phrase, newest
first.

The phrase and articles.search_text (title and lead, folded at load time) are folded alike
(transforms.text.search_fold: no diacritics, đ → d, lower case, one space between words), so "nong thon moi",
"Nông thôn MỚI" and NFD text all match the same articles. The body is not folded at load time (its folded copy
was 0.20 of the raw text): --body matches the paragraphs with transforms.text.search_pattern, a scan of every
body in range, seconds per hundred thousand articles. The query runs through warehouse.views.query, within
the same bounds as `provnews query`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from provnews.commands import UsageError, check_range, source_id
from provnews.commands.query import _positive, answered, limits, write_text
from provnews.settings import Settings
from transforms.text import search_fold, search_pattern

DEFAULT_LIMIT = 20
COLUMNS = "published_at, source, title, url"
_FORMATS = ("table", "csv", "json")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "search", help="find articles whose title or lead (--body: or body) hold a phrase, diacritics-insensitive, "
        "newest first",
        description="Finds the articles whose title or lead contain PHRASE, typed with or without "
        "diacritics and in any case ('nong thon moi' finds 'Nông thôn mới', also in NFD text), newest first "
        "(published_at). It matches the articles.search_text column the load writes (under a second at a "
        "million articles), with the same time, memory and row bounds as `provnews query`. --body also "
        "reads every body in range (about 15 s at a million articles: narrow it with --source and "
        "--since). Prints published_at, source, title and url.",
        epilog='Example: provnews search "nông thôn mới" --source baobacgiang --since 2026-01-01 --limit 5',
    )
    parser.add_argument("phrase", help='words to find, in this order, e.g. "nông thôn mới"')
    parser.add_argument("--source", type=source_id, metavar="ID", help="only this source")
    parser.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="published on or after this day")
    parser.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="published on or before this day")
    parser.add_argument("--body", action="store_true",
                        help="also match the body (slower: a scan of every body in range)")
    parser.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N",
                        help=f"at most N articles (default {DEFAULT_LIMIT})")
    parser.add_argument("--format", choices=_FORMATS, default="table", help="output format (default: table)")
    parser.set_defaults(func=handle)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or day.isoformat() != text:  # fromisoformat also reads 20261121
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
    return day


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def search_sql(phrase: str, source: str | None = None, since: date | None = None, until: date | None = None,
               limit: int = DEFAULT_LIMIT, body: bool = False) -> str:
    """The query `provnews search` runs; UsageError when the phrase has nothing to search for."""
    folded = search_fold(phrase)
    if not folded:
        raise UsageError("argument phrase: nothing to search for (give at least one word)")
    match = f"contains(search_text, {_literal(folded)})"  # a plain substring: no wildcard to escape
    if body:  # chr(31) between paragraphs: a phrase does not run on from one paragraph into the next
        match = (f"({match} OR regexp_matches(array_to_string(paragraphs, chr(31)), "
                 f"{_literal(search_pattern(folded))}))")
    where = [match]
    if source is not None:
        where.append(f"source = {_literal(source)}")
    if since is not None:  # the month partitions before it are not read (month is the hive key)
        where += [f"month >= '{since:%Y-%m}'", f"published_date >= DATE '{since.isoformat()}'"]
    if until is not None:
        where += [f"month <= '{until:%Y-%m}'", f"published_date <= DATE '{until.isoformat()}'"]
    return (f"SELECT {COLUMNS} FROM articles WHERE {' AND '.join(where)} "
            f"ORDER BY published_at DESC NULLS LAST, article_id LIMIT {limit}")


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if args.since is not None and args.until is not None:
        check_range(args.since, args.until)
    sql = search_sql(args.phrase, args.source, args.since, args.until, args.limit, args.body)
    result = answered("provnews search", settings, sql, limits(settings, args.limit))
    if result is None:
        return 1
    write_text(result.table, args.format, sys.stdout, max_rows=None)
    return 0
