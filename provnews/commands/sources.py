"""`provnews sources list [--all]|show ID|validate [FILES]|enable|disable|probe URL|status`: the source profiles
in PROVNEWS_SOURCES_DIR, the registry of real provincial sites (PROVNEWS_REGISTRY_DIR) they can be enabled from,
a proposed profile for a new site from its home page, and how each source has been doing (its health, from the
warehouse's runs)."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from provnews.commands import UsageError, counted, crawl_day, source_id
from provnews.settings import PACKAGE_SOURCES_DIR, Settings

if TYPE_CHECKING:
    from sources.config import SourceConfig

if TYPE_CHECKING:
    from provnews.stages.health import SourceHealth


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sources", help="list, show and validate source profiles (sources/profiles/*.yaml)",
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
    register_probe(sub)
    _register_status(sub)


def list_(args: argparse.Namespace, settings: Settings) -> int:
    from sources.config import SourceConfigError, load_sources

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
    """The profile from PROVNEWS_SOURCES_DIR, else the registry's (`sources list --all` lists both)."""
    from sources.config import SourceConfigError, find_source, source_path

    where = settings.sources_dir
    if not source_path(where, args.id).exists() and source_path(settings.registry_dir, args.id).exists():
        where = settings.registry_dir
    try:
        source = find_source(where, args.id)
    except SourceConfigError as exc:
        print(f"error: {exc}")
        return 1
    print(yaml.safe_dump(source.model_dump(mode="json"), allow_unicode=True, sort_keys=False), end="")
    return 0


def validate(args: argparse.Namespace, settings: Settings) -> int:
    from sources.config import SourceConfigError, load_source, source_files

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
The registry (PROVNEWS_REGISTRY_DIR, shipped in sources/registry/) holds profiles of the real provincial sites:
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
    from sources.config import Kind

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
    from sources.config import read_sources
    from transforms.units import current_units, legacy_unit, legacy_units

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
    from sources.config import read_sources

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
    from transforms.units import current_unit, legacy_unit, unit_key

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
    from sources.config import SourceConfigError, parse_source

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


# -- probe ---------------------------------------------------------------------------------------------

PROBE_HELP = """Fetch a site's home page, robots.txt, sitemaps, feeds (autodiscovery <link rel=alternate> and feed
links) and the pages it links to, infer which URLs are articles (article_url_pattern) and how listing pages
paginate, read a sample of articles with the generic extractor, and propose a profile for it.

Output: the proposed profile (YAML) goes to stdout and the report to stderr, so nothing is written until you
have read it; with --out FILE the profile is written to FILE (never over an existing file unless --force) and
the report goes to stdout. To crawl it, write it into the sources directory: --out
$PROVNEWS_SOURCES_DIR/ID.yaml, then `provnews run --source ID --date D` (the first run backfills). The
profile is written with `enabled: false`: a source named with --source runs anyway, but `provnews run --source
all` and the daily DAG take it only once you set `enabled: true`.

The proposal uses no selectors (the generic extractor reads the sample; the report shows the titles and dates
it read), guesses kind and province from the site's name unless given, and lists what it could not decide.
Bounds: PROVNEWS_PROBE_MAX_PAGES responses, PROVNEWS_PROBE_TIMEOUT_S seconds, PROVNEWS_PROBE_SAMPLE
articles; robots.txt is obeyed and requests are --delay seconds apart."""


def register_probe(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from sources.config import Kind

    probe = sub.add_parser("probe", help="propose a profile for a site from its home page, with a report",
                           description=PROBE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    probe.add_argument("url", type=_home_url, help="the site's home page, e.g. https://baohaiduong.vn/")
    probe.add_argument("--id", type=source_id, help="the source id (default: from the host name)")
    probe.add_argument("--kind", choices=[k.value for k in Kind], help="default: guessed from host and name")
    probe.add_argument("--province", metavar="NAME", help="the province as the site names it (default: "
                       "guessed from the site's name)")
    probe.add_argument("--province-now", metavar="NAME", help="its post-2025 province (default: --province)")
    probe.add_argument("--out", type=Path, metavar="FILE", help="write the profile here (default: stdout)")
    probe.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    probe.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                       help="between requests to the site (default 1.0; 0 for a local replica)")
    probe.set_defaults(func=probe_)


def _home_url(text: str) -> str:
    from sources.origins import origin

    try:
        origin(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def probe_(args: argparse.Namespace, settings: Settings) -> int:
    """Run the probe spider in a subprocess (one Twisted reactor per process), then propose and write."""
    from crawler.probe import ProbeFailed, propose
    from sources.config import SourceConfigError, parse_source

    if args.out is not None and args.out.exists() and not args.force:
        print(f"error: --out {args.out}: exists (give --force to overwrite)", file=sys.stderr)
        return 2
    try:
        findings = _probe_findings(args.url, args.delay, settings)
        source, kind, province, guesses = _identity(args, findings)
        proposal = propose(findings, source, kind, province)
    except ProbeFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    proposal.report["could_not_decide"] = guesses + proposal.report["could_not_decide"]
    try:
        parse_source(proposal.profile, Path(f"{source}.yaml"))  # the one profile schema
    except SourceConfigError as exc:
        print(f"error: the proposed profile does not validate: {exc}", file=sys.stderr)
        return 1
    text = _profile_yaml(proposal.profile, proposal.report)
    report = "\n".join(report_lines(proposal.report))
    if args.out is None:
        print(text, end="")
        print(report, file=sys.stderr)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(report)
    print(f"profile written to {args.out}")
    return 0


def _identity(args: argparse.Namespace, findings: Any) -> tuple[str, str, tuple[str, str], list[str]]:
    """Id, kind and province (as written, now): the arguments given, else guesses, each guess named."""
    from crawler.probe import guess_id, guess_kind
    from transforms.units import province_in

    home = findings.pages.get(findings.home)
    name = (home.site_name or home.title) if home else ""
    source = args.id or guess_id(findings.home)
    kind = args.kind or guess_kind(findings.home, name)
    found = province_in(args.province or name)
    if args.province is None and found is None:
        raise UsageError(f"{findings.home}: the site's name {name!r} names no province; give --province")
    province = args.province or (found[0] if found else "")
    now = args.province_now or (found[1] if found else None)
    if now is None:
        raise UsageError(f"argument --province: {args.province!r} is no province vietnamadminunits knows; "
                         "give --province-now (one of the 34 current units)")
    guesses = [] if args.id else [f"id {source!r} (from the host name; give --id)"]
    guesses += [] if args.kind else [f"kind {kind!r} (from the host and the name {name!r}; give --kind)"]
    if not args.province:
        guesses.append(f"province {province!r} (from the name {name!r}; give --province)")
    if not args.province_now:
        guesses.append(f"current province {now!r} (vietnamadminunits' successor of {province!r}; "
                       "give --province-now)")
    return source, kind, (province, now), guesses


def _probe_findings(url: str, delay: float, settings: Settings) -> Any:
    """The probe spider's findings, from `python -m crawler.probe` bounded by the settings."""
    from urllib.parse import urlsplit

    from crawler.origins import literal_address
    from crawler.probe import ProbeFailed, findings_from_json
    from crawler.settings import user_agent
    from transforms.constants import DEFAULT_USER_AGENT

    host = urlsplit(url).hostname or ""
    address = literal_address(host)
    local = host == "localhost" or address is not None and address.is_loopback
    if not local and not settings.contact.strip():  # the replica on 127.0.0.x is the only site that needs none
        raise UsageError(f"argument URL: {url} is a real site: set PROVNEWS_CONTACT (an e-mail address or URL "
                         "for the User-Agent) before probing it")
    overrides = {"USER_AGENT": user_agent(DEFAULT_USER_AGENT, settings.contact),
                 "CLOSESPIDER_PAGECOUNT": settings.probe_max_pages, "CLOSESPIDER_TIMEOUT": settings.probe_timeout_s,
                 "PROVNEWS_PROBE_SAMPLE": settings.probe_sample, "DOWNLOAD_DELAY": delay,
                 "AUTOTHROTTLE_ENABLED": delay > 0, "LOG_LEVEL": "WARNING" if settings.log_level == "INFO"
                 else settings.log_level, "PROVNEWS_LOG_FORMAT": settings.log_format}
    with tempfile.TemporaryDirectory(prefix="provnews-probe-") as tmp:
        out = Path(tmp) / "findings.json"
        cmd = [sys.executable, "-m", "crawler.probe", "--url", url, "--out-json", str(out)]
        for name, value in overrides.items():
            cmd += ["--set", f"{name}={json.dumps(value)}"]
        try:
            done = subprocess.run(cmd, timeout=settings.probe_timeout_s + 60, check=False)
        except subprocess.TimeoutExpired:
            raise ProbeFailed(f"{url}: the probe ran past PROVNEWS_PROBE_TIMEOUT_S "
                              f"({settings.probe_timeout_s:g} s) + 60 s and was stopped") from None
        if done.returncode != 0 or not out.exists():
            raise ProbeFailed(f"{url}: the probe process failed (exit {done.returncode}); see its log above")
        findings = findings_from_json(json.loads(out.read_text(encoding="utf-8")))
    home = findings.pages.get(findings.home)
    if home is None or home.status != 200:
        why = f"HTTP {home.status}" if home else "; ".join(findings.refused[:2]) or "no answer"
        raise ProbeFailed(f"{url}: the home page could not be read ({why})")
    return findings


def _profile_yaml(profile: dict[str, Any], report: dict[str, Any]) -> str:
    head = [f"# Proposed by `provnews sources probe {report['home']}`: check it, then set enabled: true.",
            f"# article_url_pattern inferred from {report['article_url_pattern']['inferred_from']} article URLs; "
            f"selectors: {report['selectors']}."]
    head += [f"# could not decide: {line}" for line in report["could_not_decide"]]
    return "\n".join(head) + "\n" + yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=120)


def report_lines(report: dict[str, Any]) -> list[str]:
    """The probe's report as people read it: what it found, what it read, what it could not decide."""
    lines = [f"probe of {report['home']} ({report['finish_reason']})"]
    lines.append(f"  robots.txt sitemaps: {', '.join(report['robots_sitemaps']) or 'none'}")
    lines.append(f"  sitemaps naming articles: {len(report['sitemaps'])}; feeds naming articles: "
                 f"{len(report['feeds'])}" + (f" ({len(report['feeds_without_articles'])} other feed(s) not used)"
                                              if report["feeds_without_articles"] else ""))
    for listing in report["listings"]:
        pages = listing["paginate"] or "one page"
        lines.append(f"  listing {listing['url']}: {listing['articles_on_page_1']} articles on page 1, "
                     f"paginate: {pages}")
    pattern = report["article_url_pattern"]
    lines.append(f"  article_url_pattern {pattern['pattern']} (from {pattern['inferred_from']} URLs)")
    lines.append(f"  articles read by the generic extractor ({len(report['samples'])}):")
    for s in report["samples"]:
        what = s["problem"] or f"{s['title']!r}, published {s['published_at'] or '?'}"
        lines.append(f"    {s['url']}: {what}")
    lines.append(f"  selectors: {report['selectors']}")
    lines += [f"  could not decide: {line}" for line in report["could_not_decide"]]
    lines += [f"  not read: {line}" for line in report["refused"]]
    return lines


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
    from provnews.stages.health import source_health
    from sources.config import read_sources
    from transforms.constants import VN_TZ

    day = args.day or datetime.now(VN_TZ).date()
    profiles, broken = read_sources(settings.sources_dir)
    for error in broken.values():  # a broken profile hides no one's health; `sources validate` says more
        print(f"provnews sources status: warning: {' '.join(str(error).split())}", file=sys.stderr)
    enabled = [sid for sid, src in profiles.items() if src.enabled]
    found = source_health(settings.warehouse_root, day, args.ids or enabled, args.days)
    if args.ids:
        found = [h for h in found if h.source in args.ids]
    if all(h.last_run is None for h in found):
        if args.json:
            print(json.dumps([h.as_dict() for h in found], ensure_ascii=False))
        print(f"provnews sources status: no run recorded in {settings.warehouse_url} up to {day.isoformat()}: "
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
