"""`provnews extract FILE… [--url URL] [--source S]`: try the extractor on saved HTML pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provnews.settings import Settings
from transforms.extract import extract
from transforms.profile import Profile
from transforms.record import Quarantine, dumps
from transforms.version import EXTRACTOR_VERSION

_DESCRIPTION = """\
Extract article records from saved HTML files (or `-` for stdin), all in one process. Prints one JSON line
per input, in input order: the record's fields, or {"url", "quarantine": reason, "detail"} for a page that is
not an article (a listing, an error page) or could not be read. Exit code 0 even when pages are quarantined;
1 when an input file cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("extract", help="extract article records from saved HTML files",
                                   description=_DESCRIPTION)
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved HTML page(s); `-` reads stdin")
    parser.add_argument("--url", help="the page's URL (resolves relative links; default file:// of the path)")
    parser.add_argument("--source", help="use this source's selectors (from PROVNEWS_SOURCES_DIR)")
    parser.add_argument("--content-type", help="the HTTP Content-Type the page came with, if known")
    parser.set_defaults(func=run)


def _profile(settings: Settings, source: str | None) -> Profile | None:
    if source is None:
        return None
    from provnews.stages.transform import load_profile

    return load_profile(settings, source).profile


def run(args: argparse.Namespace, settings: Settings) -> int:
    profile = _profile(settings, args.source)
    code = 0
    for name in args.files:
        url = args.url or ("stdin:" if name == "-" else Path(name).resolve().as_uri())
        try:
            body = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            print(dumps(Quarantine(url, "unreadable-file", f"{name}: {exc.strerror}", EXTRACTOR_VERSION)))
            code = 1
            continue
        print(dumps(extract(body, url, profile, args.content_type)), flush=False)
    sys.stdout.flush()
    return code
