"""`provnews sources list|show ID|validate [FILES]|status`: the source profiles in PROVNEWS_SOURCES_DIR, and how
each source has been doing (its health, from the warehouse's runs)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from provnews.commands import counted, crawl_day, source_id
from provnews.settings import Settings

if TYPE_CHECKING:
    from provnews.stages.health import SourceHealth


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sources", help="list, show and validate source profiles (crawler/sources/*.yaml)",
        description="Source profiles are YAML files, one per site, validated with pydantic. A bad file is "
        "reported with the file and the field at fault.",
    )
    sub = parser.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="one line per source: id, kind, province, discovery, enabled",
                   description="List every source profile in PROVNEWS_SOURCES_DIR.").set_defaults(func=list_)
    show = sub.add_parser("show", help="print one profile, validated and with defaults filled in",
                          description="Print the validated profile of ID as YAML (defaults included).")
    show.add_argument("id", type=source_id, help="source id, e.g. baohaiduong")
    show.set_defaults(func=show_)
    check = sub.add_parser("validate", help="validate profiles (all, or the FILES given); exit 1 on errors",
                           description="Validate the given YAML files, or every profile in the sources "
                           "directory. Errors name the file and the field.")
    check.add_argument("files", nargs="*", type=Path, metavar="FILES")
    check.set_defaults(func=validate)
    _register_status(sub)


def list_(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import SourceConfigError, load_sources

    try:
        sources = load_sources(settings.sources_dir)
    except SourceConfigError as exc:
        print(f"error: {exc}")
        return 1
    print(f"{'id':<16} {'kind':<26} {'province (now)':<28} {'discovery':<34} enabled")
    for source in sources.values():
        disc = source.discovery
        ways = [counted(len(disc.feeds), "feed") if disc.feeds else "",
                counted(len(disc.sitemaps), "sitemap") if disc.sitemaps else "",
                "robots sitemaps" if disc.robots_sitemaps else "",
                counted(len(disc.listings), "listing") if disc.listings else ""]
        province = f"{source.province.as_written} ({source.province.current})"
        print(f"{source.id:<16} {source.kind.value:<26} {province:<28} {', '.join(w for w in ways if w):<34} "
              f"{'yes' if source.enabled else 'no'}")
    return 0


def show_(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import SourceConfigError, find_source

    try:
        source = find_source(settings.sources_dir, args.id)
    except SourceConfigError as exc:
        print(f"error: {exc}")
        return 1
    print(yaml.safe_dump(source.model_dump(mode="json"), allow_unicode=True, sort_keys=False), end="")
    return 0


def validate(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import SourceConfigError, load_source, source_files

    files = args.files or source_files(settings.sources_dir)
    if not files:
        print(f"error: no source profiles (*.yaml) in {settings.sources_dir}")
        return 1
    failed = 0
    for path in files:
        try:
            source = load_source(path)
        except SourceConfigError as exc:
            failed += 1
            print(exc)
            continue
        print(f"{path}: ok ({source.id})")
    print(f"{len(files) - failed} valid, {failed} invalid")
    return 1 if failed else 0


# ---------------------------------------------------------------- status

STATUS_EXIT = {0: "every source shown ran on time and its latest run was ok or a warning",
               1: "a source shown failed its latest run, is stale (no run for more than 2 days) or never ran",
               2: "a bad argument, setting or source profile (one line naming it)",
               3: "the warehouse has no run recorded yet (run `make demo` or `provnews run` first)"}
_SPARKS = "·▁▂▃▄▅▆▇█"  # a dot: no article that day


def _register_status(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from provnews.stages.health import STALE_AFTER_DAYS, WINDOW_DAYS

    parser = sub.add_parser(
        "status", help="per source: last ok run, articles a day, error and quarantine rates, last failure",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="How each source has been doing, from the runs the pipeline recorded in the warehouse\n"
        "(PROVNEWS_WAREHOUSE): every enabled profile, and every source with runs or articles.\n\n"
        "  health       its latest run's status (ok, warning, failed); stale: no run for more than "
        f"{STALE_AFTER_DAYS} days;\n               no run: never ran\n"
        "  last ok      the latest crawl day whose run ended ok or warning\n"
        f"  articles/day articles by publication day over the last {WINDOW_DAYS} days: the mean, and one "
        "bar a day\n"
        "  errors       share of the window's requests that finally failed\n"
        "  quarantine   share of the window's article pages the extractor could not read\n"
        "  silent       days since its latest published article\n"
        "  last failure the crawl day and problem of its latest failed run (the check that failed)\n\n"
        "The daily checks judge each day against the same rates (provnews.stages.checks).\n\n"
        "exit status:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in STATUS_EXIT.items()),
    )
    parser.add_argument("ids", nargs="*", type=source_id, metavar="ID", help="only these sources")
    parser.add_argument("--day", type=crawl_day, metavar="YYYY-MM-DD",
                        help="the last day of the window (default: today in Vietnam)")
    parser.add_argument("--days", type=int, default=WINDOW_DAYS, choices=range(1, 367), metavar="N",
                        help=f"days in the window (default {WINDOW_DAYS})")
    parser.add_argument("--json", action="store_true", help="a JSON array, one object per source")
    parser.set_defaults(func=status)


def status(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import read_sources
    from provnews.stages.health import source_health
    from transforms.dates import VN_TZ

    day = args.day or datetime.now(VN_TZ).date()
    profiles, broken = read_sources(settings.sources_dir)
    for error in broken.values():  # a broken profile hides no one's health; `sources validate` says more
        print(f"provnews sources status: warning: {' '.join(str(error).split())}", file=sys.stderr)
    enabled = [sid for sid, src in profiles.items() if src.enabled]
    found = source_health(settings.warehouse, day, args.ids or enabled, args.days)
    if args.ids:
        found = [h for h in found if h.source in args.ids]
    if all(h.last_run is None for h in found):
        if args.json:
            print(json.dumps([h.as_dict() for h in found], ensure_ascii=False))
        print(f"provnews sources status: no run recorded in {settings.warehouse} up to {day.isoformat()}: "
              "run `make demo` or `provnews run SOURCE` first", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps([h.as_dict() for h in found], ensure_ascii=False, indent=1))
    else:
        print_status(found, day, args.days)
    return 1 if any(h.health in ("failed", "stale", "no run") for h in found) else 0


def print_status(found: list[SourceHealth], day: date, days: int) -> None:
    print(f"source health, {days} days up to {day.isoformat()}\n")
    head = f"{'source':<16} {'health':<8} {'last ok':<10} {'articles/day':<{days + 6}} {'errors':>6} " \
           f"{'quar.':>6} {'silent':>6}  last failure"
    print(head)
    for h in found:
        failure = f"{h.last_failed.isoformat()} {h.last_failed_problem or ''}" if h.last_failed else "-"
        print(f"{h.source:<16} {h.health:<8} {_date(h.last_ok):<10} {h.articles_mean:>5.1f} "
              f"{spark(h.articles_per_day):<{days}} {_rate(h.window.error_rate):>6} "
              f"{_rate(h.window.quarantine_rate):>6} {_silent(h.silent_days):>6}  {_cut(failure, 90)}")


def spark(values: tuple[int, ...]) -> str:
    """One bar a day, scaled to the largest day (a blank: no article)."""
    top = max(values, default=0)
    return "".join(_SPARKS[0] if not v else _SPARKS[max(1, round(v / top * (len(_SPARKS) - 1)))] for v in values)


def _date(value: date | None) -> str:
    return value.isoformat() if value else "never"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _silent(days: int | None) -> str:
    return "-" if days is None else f"{days} d"


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
