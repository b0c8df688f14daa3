"""`provnews extract FILE… [--url URL] [--source S]`: try the extractor on saved HTML pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provnews.commands import source_id
from provnews.settings import Settings
from provnews.stages.bounded_extract import BoundedExtractor, PageLimits
from transforms.profile import Profile
from transforms.record import Quarantine, dumps
from transforms.version import EXTRACTOR_VERSION

_DESCRIPTION = """\
Extract article records from saved HTML files (or `-` for stdin), all in one worker process, within the
per-page bounds (PROVNEWS_MAX_PAGE_BYTES: too-large; PROVNEWS_EXTRACT_TIMEOUT_S: extractor-timeout). Prints one
JSON line per input, in input order: the record's fields, or {"url", "quarantine": reason, "detail"} for a page
that is not an article (a listing, an error page), is over a bound or could not be read. Exit code 0 even
when pages are quarantined; 1 when an input file cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("extract", help="extract article records from saved HTML files",
                                   description=_DESCRIPTION)
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved HTML page(s); `-` reads stdin")
    parser.add_argument("--url", help="the page's URL (resolves relative links; default file:// of the path)")
    parser.add_argument("--source", type=source_id,
                        help="use this source's selectors (from PROVNEWS_SOURCES_DIR)")
    parser.add_argument("--content-type", help="the HTTP Content-Type the page came with, if known")
    parser.set_defaults(func=run)


def _profile(settings: Settings, source: str | None) -> Profile | None:
    if source is None:
        return None
    from crawler.config import find_source
    from provnews.stages.transform import load_profile

    find_source(settings.sources_dir, source)  # an unknown source is an error here, not the generic extractor
    return load_profile(settings, source).profile


def run(args: argparse.Namespace, settings: Settings) -> int:
    profile = _profile(settings, args.source)
    code = 0
    with BoundedExtractor(PageLimits.of(settings)) as bounded:
        for name in args.files:
            url = args.url or ("stdin:" if name == "-" else Path(name).resolve().as_uri())
            try:
                body = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            except OSError as exc:
                print(dumps(Quarantine(url, "unreadable-file", f"{name}: {exc.strerror}", EXTRACTOR_VERSION)))
                code = 1
                continue
            print(dumps(bounded.extract(body, url, profile, args.content_type)), flush=False)
    sys.stdout.flush()
    return code
