"""`provnews sources list|show ID|validate [FILES]|probe URL`: the source profiles in PROVNEWS_SOURCES_DIR."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

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
    register_probe(sub)


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
    from crawler.config import Kind

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
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an absolute http(s) URL: {text!r}")
    return text.strip()


def probe_(args: argparse.Namespace, settings: Settings) -> int:
    """Run the probe spider in a subprocess (one Twisted reactor per process), then propose and write."""
    from crawler.config import SourceConfigError, parse_source
    from crawler.probe import ProbeFailed, propose

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
    from crawler.probe import guess_id, guess_kind, guess_province

    home = findings.pages.get(findings.home)
    name = (home.site_name or home.title) if home else ""
    source = args.id or guess_id(findings.home)
    kind = args.kind or guess_kind(findings.home, name)
    from_name = guess_province(name)
    province = args.province or from_name or "(unknown)"
    guesses = [] if args.id else [f"id {source!r} (from the host name; give --id)"]
    guesses += [] if args.kind else [f"kind {kind!r} (from the host and the name {name!r}; give --kind)"]
    if not args.province:
        guesses.append(f"province {province!r} (from the name; give --province)" if from_name else
                       "province: not in the site's name; give --province")
    if not args.province_now:
        guesses.append("current province: taken as the province; give --province-now if it merged in 2025")
    return source, kind, (province, args.province_now or province), guesses


def _probe_findings(url: str, delay: float, settings: Settings) -> Any:
    """The probe spider's findings, from `python -m crawler.probe` bounded by the settings."""
    from crawler.probe import ProbeFailed, findings_from_json

    overrides = {"CLOSESPIDER_PAGECOUNT": settings.probe_max_pages, "CLOSESPIDER_TIMEOUT": settings.probe_timeout_s,
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
