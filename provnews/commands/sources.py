"""`provnews sources list [--all]|show ID|validate [FILES]|enable|disable`: the source profiles in
PROVNEWS_SOURCES_DIR, and the registry of real provincial sites (PROVNEWS_REGISTRY_DIR) they can be enabled from."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from provnews.commands import UsageError, counted, source_id
from provnews.settings import PACKAGE_SOURCES_DIR, Settings

if TYPE_CHECKING:
    from crawler.config import SourceConfig


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sources", help="list, show and validate source profiles (crawler/sources/*.yaml)",
        description="Source profiles are YAML files, one per site, validated with pydantic. A bad file is "
        "reported with the file and the field at fault.",
    )
    sub = parser.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="one line per source: id, kind, province, discovery, enabled",
                             description="List every source profile in PROVNEWS_SOURCES_DIR.")
    listing.set_defaults(func=list_)
    show = sub.add_parser("show", help="print one profile, validated and with defaults filled in",
                          description="Print the validated profile of ID as YAML (defaults included).")
    show.add_argument("id", type=source_id, help="source id, e.g. baohaiduong")
    show.set_defaults(func=show_)
    check = sub.add_parser("validate", help="validate profiles (all, or the FILES given); exit 1 on errors",
                           description="Validate the given YAML files, or every profile in the sources "
                           "directory. Errors name the file and the field.")
    check.add_argument("files", nargs="*", type=Path, metavar="FILES")
    check.set_defaults(func=validate)
    register_registry(sub, listing)


def list_(args: argparse.Namespace, settings: Settings) -> int:
    from crawler.config import SourceConfigError, load_sources

    if getattr(args, "all", False):
        return list_all(args, settings)
    try:
        sources = load_sources(settings.sources_dir)
    except SourceConfigError as exc:
        print(f"error: {exc}")
        return 1
    print(f"{'id':<24} {'kind':<26} {'province (now)':<28} {'discovery':<34} enabled")
    for source in sources.values():
        disc = source.discovery
        ways = [counted(len(disc.feeds), "feed") if disc.feeds else "",
                counted(len(disc.sitemaps), "sitemap") if disc.sitemaps else "",
                "robots sitemaps" if disc.robots_sitemaps else "",
                counted(len(disc.listings), "listing") if disc.listings else ""]
        province = f"{source.province.as_written} ({source.province.current})"
        print(f"{source.id:<24} {source.kind.value:<26} {province:<28} {', '.join(w for w in ways if w):<34} "
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


# --- the registry of real sites: list --all, enable, disable -------------------------------------------------

REGISTRY_HELP = """\
The registry (PROVNEWS_REGISTRY_DIR, shipped in crawler/registry/) holds profiles of the real provincial sites:
for each of the 34 provinces and cities since 1 July 2025 its Party newspaper and People's Committee portal,
and the portal of each of the 63 provinces before it, for archives. They were written from public crawler
configs and link lists, not checked live (`verified: false`, with the date and the evidence), and ship disabled.

`enable` copies the chosen profiles into PROVNEWS_SOURCES_DIR with `enabled: true`; a profile already there only
has its `enabled:` line set, so your edits stay. `disable` sets `enabled: false` in PROVNEWS_SOURCES_DIR and
deletes nothing. The shipped files are never written: PROVNEWS_SOURCES_DIR must be a directory of your own (the
shipped one holds the replica's profiles, which the demo, the tests and the DAG crawl by default). Choose
profiles by id, by --province (as the site writes it or the current unit, accents and 'Tỉnh'/'Thành phố'
optional: "Hải Phòng" is every outlet of today's Hải Phòng, "Hải Dương" those of the old province) and by
--kind; the options narrow each other. Real sites are crawled politely: robots.txt, at most one request per
second per host, conditional requests, and only with PROVNEWS_CONTACT set (it goes into the User-Agent)."""


def register_registry(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      listing: argparse.ArgumentParser) -> None:
    from crawler.config import Kind

    listing.add_argument("--all", action="store_true",
                         help="also the registry's real sites (PROVNEWS_REGISTRY_DIR): province as written and "
                         "its current unit, kind, verified, enabled, and where the profile is")
    for name, verb in (("enable", "turn on"), ("disable", "turn off")):
        cmd = sub.add_parser(name, help=f"{verb} registry profiles in PROVNEWS_SOURCES_DIR, by id, province or kind",
                             description=REGISTRY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.add_argument("ids", nargs="*", type=source_id, metavar="ID", help="profile ids (sources list --all)")
        cmd.add_argument("--province", action="append", default=[], metavar="NAME",
                         help='e.g. "Hải Phòng", "hai phong", "TP Hồ Chí Minh" (repeatable)')
        cmd.add_argument("--kind", action="append", default=[], choices=[k.value for k in Kind],
                         help="repeatable")
        cmd.set_defaults(func=enable if name == "enable" else disable)


def list_all(args: argparse.Namespace, settings: Settings) -> int:
    """The user's profiles and the registry's, one line each, and what they cover."""
    from crawler.config import read_sources
    from crawler.units import current_units, legacy_unit, legacy_units

    own, own_errors = read_sources(settings.sources_dir)
    registry, registry_errors = read_sources(settings.registry_dir)
    every = {**registry, **own}  # a profile copied into the sources dir is listed from there
    print(f"{'id':<28} {'kind':<24} {'province as written':<20} {'unit now':<14} {'verified':<8} "
          f"{'enabled':<7} where")
    for sid in sorted(every):
        src = every[sid]
        verified = "-" if src.provenance is None else "yes" if src.provenance.verified else "no"
        print(f"{sid:<28} {src.kind.value:<24} {src.province.as_written:<20} {src.province.current:<14} "
              f"{verified:<8} {'yes' if src.enabled else 'no':<7} {'sources' if sid in own else 'registry'}")
    units = {s.province.current for s in every.values()}
    old = {legacy_unit(s.province.as_written) for s in every.values()} - {None}
    print(f"{counted(len(every), 'profile')} ({len(registry)} in the registry {settings.registry_dir}, "
          f"{len(own)} in {settings.sources_dir}), {sum(s.enabled for s in every.values())} enabled; "
          f"{len(units & set(current_units()))} of 34 current provinces, {len(old)} of {len(legacy_units())} "
          f"old ones")
    for exc in [*own_errors.values(), *registry_errors.values()]:
        print(f"error: {exc}")
    return 1 if own_errors or registry_errors else 0


def enable(args: argparse.Namespace, settings: Settings) -> int:
    return _switch(args, settings, on=True)


def disable(args: argparse.Namespace, settings: Settings) -> int:
    return _switch(args, settings, on=False)


def _switch(args: argparse.Namespace, settings: Settings, on: bool) -> int:
    from crawler.config import read_sources

    target = _own_sources_dir(settings)
    own, _ = read_sources(target) if target.is_dir() else ({}, {})
    registry, registry_errors = read_sources(settings.registry_dir)
    if registry_errors:
        raise UsageError(f"the registry has invalid profiles: {next(iter(registry_errors.values()))}")
    chosen = _chosen({**registry, **own}, args)
    changed = 0
    for sid in chosen:
        changed += _set_enabled(target / f"{sid}.yaml", settings.registry_dir / f"{sid}.yaml", on)
    state = "enabled" if on else "disabled"
    print(f"{counted(len(chosen), 'profile')} {state} in {target} ({changed} changed)")
    return 0


def _own_sources_dir(settings: Settings) -> Path:
    """PROVNEWS_SOURCES_DIR, refused when it is a shipped directory (the replica's profiles, the registry)."""
    target = Path(settings.sources_dir).resolve()
    for shipped, what in ((PACKAGE_SOURCES_DIR, "the shipped replica profiles"),
                          (Path(settings.registry_dir), "the registry")):
        if target == shipped.resolve():
            raise UsageError(f"PROVNEWS_SOURCES_DIR={settings.sources_dir} holds {what}: point it at a directory of "
                             f"your own (e.g. export PROVNEWS_SOURCES_DIR=~/provnews/sources) and run again")
    return target


def _chosen(every: dict[str, SourceConfig], args: argparse.Namespace) -> list[str]:
    """The ids the arguments name: ids given, else all; narrowed by --province and --kind."""
    if not (args.ids or args.province or args.kind):
        raise UsageError("name profiles by ID, --province or --kind (see provnews sources list --all)")
    unknown = [sid for sid in args.ids if sid not in every]
    if unknown:
        raise UsageError(f"argument ID: no profile {unknown[0]!r} in the registry or PROVNEWS_SOURCES_DIR "
                         f"(provnews sources list --all)")
    ids = list(args.ids) or sorted(every)
    if args.province:
        ids = [sid for sid in ids if any(_in_province(every[sid], name) for name in args.province)]
    if args.kind:
        ids = [sid for sid in ids if every[sid].kind.value in args.kind]
    if not ids:
        asked = " ".join([*args.ids, *(f"--province {p!r}" for p in args.province),
                          *(f"--kind {k}" for k in args.kind)])
        raise UsageError(f"no profile matches {asked} (provnews sources list --all)")
    return ids


def _in_province(source: SourceConfig, name: str) -> bool:
    """`name` is the unit the source belongs to now, or the province it is written for (accent-insensitive)."""
    from crawler.units import current_unit, legacy_unit, unit_key

    now = current_unit(name)
    if now is not None and unit_key(now) == unit_key(name):
        return source.province.current == now
    old = legacy_unit(name)
    if old is not None:
        return legacy_unit(source.province.as_written) == old
    return unit_key(source.province.as_written) == unit_key(name)


_ENABLED_LINE = re.compile(r"^enabled:[^\n#]*", re.MULTILINE)


def _set_enabled(path: Path, registry_file: Path, on: bool) -> bool:
    """Write `enabled: true|false` into `path` (a copy of the registry file when it does not exist yet);
    only that line changes, so comments and edits stay. The result must validate, else nothing is written.
    Returns whether the file changed."""
    from crawler.config import SourceConfigError, parse_source

    if not path.exists() and not on:
        return False  # never copied: it is off already
    old = path.read_text(encoding="utf-8") if path.exists() else registry_file.read_text(encoding="utf-8")
    line = f"enabled: {'true' if on else 'false'}"
    new = _ENABLED_LINE.sub(line, old, count=1) if _ENABLED_LINE.search(old) else old.rstrip("\n") + f"\n{line}\n"
    if path.exists() and new == old:
        return False
    import yaml

    try:
        parse_source(yaml.safe_load(new), path)
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: (file): not valid YAML after setting {line!r}: {exc}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)
    print(f"{path}: {line}")
    return True
