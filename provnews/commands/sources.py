"""`provnews sources list|show ID|validate [FILES]`: the source profiles in PROVNEWS_SOURCES_DIR."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from provnews.commands import counted, source_id
from provnews.settings import Settings


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
