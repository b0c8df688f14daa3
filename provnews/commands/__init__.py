"""One module per `provnews` subcommand. Each exposes `register(subparsers)` that adds its parser
and sets `func` to a handler `(args, settings) -> int` (the exit code).

Also the argument types the commands share, so that a bad argument is one line naming it (exit 2) before any
work starts: `source_id`, `source_or_all`, `crawl_day` (checked against the settings' window by `check_days`)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta

from provnews.settings import Settings


class UsageError(ValueError):
    """An argument a command cannot take; the message names it. The CLI prints it on one line, exit 2."""


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 sitemap`, `2 sitemaps`: a count and its noun, for what the commands print."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def source_id(text: str) -> str:
    """A source id as an argument: a file name inside the sources folder, never a path."""
    from sources.config import SourceConfigError, check_source_id

    try:
        return check_source_id(text)
    except SourceConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def source_or_all(text: str) -> str:
    return text if text == "all" else source_id(text)


class CrawlDay(date):
    """A date argument that names a crawl day: `check_days` holds it to the settings' window."""


def crawl_day(text: str) -> date:
    try:
        return CrawlDay.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def crawl_window(settings: Settings, today: date | None = None) -> tuple[date, date]:
    """The first and last crawl day a command accepts: from PROVNEWS_EARLIEST_DAY to PROVNEWS_DAYS_AHEAD days
    after today in Vietnam."""
    from transforms.constants import VN_TZ

    today = today or datetime.now(VN_TZ).date()
    return settings.earliest_day, today + timedelta(days=settings.days_ahead)


def check_days(args: argparse.Namespace, settings: Settings, today: date | None = None) -> None:
    """Every crawl-day argument inside the window (UsageError naming the first one outside), then plain dates."""
    first, last = crawl_window(settings, today)
    for name, value in vars(args).items():
        if not isinstance(value, CrawlDay):
            continue
        if not first <= value <= last:
            raise UsageError(f"argument --{name.replace('_', '-')}: {value.isoformat()} is outside the crawl days "
                             f"{first.isoformat()} .. {last.isoformat()} (PROVNEWS_EARLIEST_DAY, PROVNEWS_DAYS_AHEAD)")
        setattr(args, name, date(value.year, value.month, value.day))


def check_range(since: date, until: date) -> None:
    if since > until:
        raise UsageError(f"argument --until: {until.isoformat()} is before --since {since.isoformat()}")
