"""`provnews extract`: try the extractor on saved HTML pages, each with its own URL (the URL carries what the
markup may not: a date in its path, the base of relative links)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from provnews.commands import UsageError, source_id
from provnews.settings import Settings
from provnews.stages.bounded_extract import BoundedExtractor, PageLimits
from transforms.mentions.model import Context
from transforms.profile import Profile
from transforms.record import Quarantine, dumps
from transforms.version import EXTRACTOR_VERSION

_DESCRIPTION = """\
Extract article records from saved HTML pages, all in one worker process, within the per-page bounds
(PROVNEWS_MAX_PAGE_BYTES: too-large; PROVNEWS_EXTRACT_TIMEOUT_S: extractor-timeout). Prints one JSON line per
page, in input order: the record's fields, or {"url", "quarantine": reason, "detail"} for a page that is not an
article (a listing, an error page, no date found), is over a bound or could not be read.

Each page's URL resolves its relative links and is where a date written in the path (/2024/05/17/, -20240517-)
is read from when the markup has none. Give it one of four ways (one way per run):
  FILE --url URL       one file and its URL (--url with several files is an error)
  FILE=URL ...         pairs: an argument is split at the first '=' followed by http:// or https://, so a path
                       may contain '=' (one containing '=http://' or '=https://' needs --urls or --jsonl);
                       FILE and FILE=URL arguments may be mixed
  FILE ... --urls LIST LIST has one URL per line, in the order of the files (a blank line is an error: it
                       would shift the rest); its line count must equal the number of files
  --jsonl IN           IN (`-`: stdin) has one JSON object per line: {"path": FILE, "url": URL} or
                       {"html": TEXT, "url": URL}, and optionally "content_type" with "path" (the page's HTTP
                       Content-Type). A relative path is from the working directory. TEXT is already
                       decoded: it is read as UTF-8, whatever its <meta> says. Blank lines are skipped; no FILE
                       arguments.
A file without a URL gets the file:// URL of its path (`-`, stdin, gets `stdin:`). URLs are absolute http(s)
URLs of at most URLLENGTH_LIMIT (2083) characters; a line of LIST or IN is at most
PROVNEWS_MAX_INPUT_LINE_BYTES bytes.

Each record carries `mentions`: the facts its text states, one object per mention with "type" (official,
person, document, place, organization, meeting, figure), "text" (the span as written), "part" (title, lead,
body), "paragraph" (index in "paragraphs"), "start" (offset in that text) and the fields of its type:
  official: name, positions (each as written), body      person, organization: name
  document: kind, number (normalised: 20-NQ/TW), issuer, date, title (a law named without a number)
  place: name, level, province (before 2025), province_2025  meeting: kind, ordinal, body, term
  figure: value (19.290 -> 19290.0), unit, measure (the words saying what it measures)
With --source S, S's province helps place names that several provinces share.

Errors: a bad argument, URL, LIST line or IN line is one line naming the file, line and field, exit 2 (for IN,
the pages of the lines before it have been printed). A page file that cannot be read is a quarantine line
`unreadable-file` and the run goes on, exit 1 at the end. Otherwise exit 0, even when pages are quarantined."""

_EXAMPLES = """\
Examples:
  provnews extract saved.html --url https://baohaiduong.vn/kinh-te/2024/05/17/vai-thieu.html
  provnews extract a.html=https://example.vn/2024/05/17/a.html 'b=1.html=https://example.vn/2024/05/21/b.html'
  provnews extract a.html b.html --urls urls.txt
  printf '%s\\n' '{"path": "a.html", "url": "https://example.vn/2024/05/17/a.html"}' \\
                 '{"html": "<html>…</html>", "url": "https://example.vn/2024/05/21/b.html"}' \\
    | provnews extract --jsonl -
  curl -s https://example.vn/2024/05/17/a.html | provnews extract - --url https://example.vn/2024/05/17/a.html"""

_PAIR = re.compile(r"=(?=https?://)", re.IGNORECASE)  # FILE=URL: the first '=' that starts a URL
_JSONL_FIELDS = ("path", "html", "url", "content_type")
_INLINE_TYPE = "text/html; charset=utf-8"  # an "html" line's text, encoded here
UNREADABLE = "unreadable-file"  # the quarantine reason of a page file that cannot be read (exit 1)


@dataclass(frozen=True)
class Page:
    """One input: a file (`-`: stdin) or inline bytes, and the URL it came from."""

    url: str
    path: str | None = None
    body: bytes | None = None
    content_type: str | None = None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("extract", help="extract article records from saved HTML files",
                                   description=_DESCRIPTION, epilog=_EXAMPLES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", metavar="FILE[=URL]",
                        help="saved HTML page(s), each optionally with its URL; `-` reads stdin")
    parser.add_argument("--url", help="the URL of the one FILE")
    parser.add_argument("--urls", metavar="LIST", type=Path, help="a file of URLs, one per line, one per FILE")
    parser.add_argument("--jsonl", metavar="IN", help="JSON lines naming the pages and their URLs (`-`: stdin)")
    parser.add_argument("--source", type=source_id,
                        help="use this source's selectors (from PROVNEWS_SOURCES_DIR)")
    parser.add_argument("--content-type", help="the HTTP Content-Type the files came with, if known (for FILE "
                        "arguments and the --jsonl \"path\" lines without their own)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    pages = _pages(args, settings)
    profile, context = _profile(settings, args.source)
    code = 0
    try:
        with BoundedExtractor(PageLimits.of(settings)) as bounded:
            for page in pages:
                body = _read(page, settings.max_page_bytes)
                if isinstance(body, Quarantine):
                    print(dumps(body))
                    code = 1 if body.reason == UNREADABLE else code
                    continue
                print(dumps(bounded.extract(body, page.url, profile, page.content_type or args.content_type,
                                            context)))
    finally:
        sys.stdout.flush()  # the pages before a bad --jsonl line are out before its error
    return code


def _pages(args: argparse.Namespace, settings: Settings) -> Iterator[Page]:
    if args.jsonl is None:
        return iter(_file_pages(args, settings))
    given = next((name for name, value in (("FILE", args.files), ("--url", args.url), ("--urls", args.urls))
                  if value), None)
    if given is not None:
        raise UsageError(f"argument --jsonl: not with {given} (its lines name the pages and their URLs)")
    return _jsonl_pages(args.jsonl, settings)


def _profile(settings: Settings, source: str | None) -> tuple[Profile | None, Context | None]:
    """The source's selectors and what the mention finders know of it (its province)."""
    if source is None:
        return None, None
    from provnews.stages.transform import load_profile
    from sources.config import find_source

    find_source(settings.sources_dir, source)  # an unknown source is an error here, not the generic extractor
    found = load_profile(settings, source)
    return found.profile, found.context


# --- FILE arguments, with --url, FILE=URL or --urls --------------------------------------------------------


def _file_pages(args: argparse.Namespace, settings: Settings) -> list[Page]:
    """The pages of the FILE arguments, each with its URL; every argument checked before any page is read."""
    if not args.files:
        raise UsageError("no pages: give FILE… or --jsonl IN (see provnews extract --help)")
    if args.urls is not None and args.url is not None:
        raise UsageError("argument --urls: not with --url (one way of giving URLs per run)")
    pairs = [_split_pair(arg) for arg in args.files]
    if [path for path, _ in pairs].count("-") > 1:
        raise UsageError("argument FILE: `-` (stdin) given more than once")
    paired = next((arg for arg, (_, url) in zip(args.files, pairs, strict=True) if url is not None), None)
    if paired is not None and (args.url is not None or args.urls is not None):
        raise UsageError(f"argument {paired!r}: FILE=URL not with {'--url' if args.url else '--urls'} "
                         "(one way of giving URLs per run)")
    urls: list[str | None] = [url for _, url in pairs]
    if args.url is not None:
        if len(pairs) > 1:
            raise UsageError(f"argument --url: one URL for {len(pairs)} files; give each its own with FILE=URL, "
                             "--urls LIST or --jsonl IN")
        urls = [_checked_url(args.url, "argument --url")]
    elif args.urls is not None:
        urls = list(_url_list(args.urls, len(pairs), settings.max_input_line_bytes))
    return [Page(url or _file_url(path), path=path) for (path, _), url in zip(pairs, urls, strict=True)]


def _split_pair(arg: str) -> tuple[str, str | None]:
    """`FILE=URL` split at the first '=' that starts an http(s) URL; anything else is a plain FILE."""
    m = _PAIR.search(arg)
    if m is None:
        return arg, None
    path, url = arg[:m.start()], arg[m.end():]
    if not path:
        raise UsageError(f"argument {arg!r}: no FILE before '='")
    return path, _checked_url(url, f"argument {path}=URL")


def _url_list(path: Path, files: int, max_line: int) -> list[str]:
    """The URLs of --urls LIST, one per line; as many as there are files, or an error naming both counts."""
    lines: list[bytes] = []
    count = 0  # lines past the files' count are counted, not kept
    try:
        with path.open("rb") as stream:
            for line in _bounded_lines(stream, str(path), max_line, "PROVNEWS_MAX_INPUT_LINE_BYTES"):
                count += 1
                if count <= files:
                    lines.append(line)
    except OSError as exc:
        raise UsageError(f"argument --urls: {path}: {exc.strerror}") from None
    if count != files:
        raise UsageError(f"{path}: {count} URL{'s' * (count != 1)} for {files} "
                         f"file{'s' * (files != 1)} (--urls: one URL per line, in the order of the files)")
    urls = []
    for number, line in enumerate(lines, 1):
        text = _utf8(line, f"{path} line {number}").strip()
        if not text:
            raise UsageError(f"{path} line {number}: empty (--urls: one URL per line, in the order of the files)")
        urls.append(_checked_url(text, f"{path} line {number}"))
    return urls


def _file_url(path: str) -> str:
    return "stdin:" if path == "-" else Path(path).resolve().as_uri()


# --- --jsonl IN ------------------------------------------------------------------------------------------------


def _jsonl_pages(name: str, settings: Settings) -> Iterator[Page]:
    """The pages of --jsonl IN, one per non-blank line, read as they are extracted (a line can hold a page)."""
    where = "stdin" if name == "-" else name
    try:
        stream = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"argument --jsonl: {name}: {exc.strerror}") from None
    try:
        lines = _bounded_lines(stream, where, settings.max_input_line_bytes, "PROVNEWS_MAX_INPUT_LINE_BYTES")
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield _jsonl_page(_utf8(line, f"{where} line {number}"), f"{where} line {number}")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _jsonl_page(text: str, where: str) -> Page:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}: not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(item, dict):
        raise UsageError(f"{where}: not a JSON object (want {{\"path\" or \"html\", \"url\"}})")
    unknown = next((key for key in item if key not in _JSONL_FIELDS), None)
    if unknown is not None:
        raise UsageError(f"{where}: field {unknown!r}: unknown (the fields: {', '.join(_JSONL_FIELDS)})")
    for key, value in item.items():
        if not isinstance(value, str):
            raise UsageError(f"{where}: field {key!r}: not a string")
    if ("path" in item) == ("html" in item):
        raise UsageError(f"{where}: field 'path' or 'html': {'both given' if 'path' in item else 'missing'} "
                         "(exactly one)")
    if "url" not in item:
        raise UsageError(f"{where}: field 'url': missing")
    url = _checked_url(item["url"], f"{where}: field 'url'")
    if "path" in item:
        return _jsonl_file(item, url, where)
    if "content_type" in item:
        raise UsageError(f"{where}: field 'content_type': not with 'html' (its text is read as UTF-8)")
    try:
        body = item["html"].encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(f"{where}: field 'html': not text (a lone surrogate at {exc.start})") from None
    return Page(url, body=body, content_type=_INLINE_TYPE)


def _jsonl_file(item: dict[str, Any], url: str, where: str) -> Page:
    if item["path"] in ("", "-"):
        raise UsageError(f"{where}: field 'path': {item['path']!r} is not a file")
    return Page(url, path=item["path"], content_type=item.get("content_type"))


# --- shared: bounded reading, URLs -----------------------------------------------------------------------------


def _bounded_lines(stream: IO[bytes], where: str, limit: int, setting: str) -> Iterator[bytes]:
    """The lines of `stream` without their line ends; a line over `limit` bytes is an error naming it."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        content = line.rstrip(b"\r\n") if line.endswith(b"\n") else line
        if len(content) > limit:
            raise UsageError(f"{where} line {number}: over {limit} bytes ({setting})")
        yield content


def _utf8(line: bytes, where: str) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where}: not UTF-8: byte 0x{line[exc.start]:02x} at offset {exc.start}") from None


def _checked_url(url: str, where: str) -> str:
    """An absolute http(s) URL with a host, of at most URLLENGTH_LIMIT characters (the crawler's bound)."""
    from crawler.settings import DEFAULTS

    limit: int = DEFAULTS["URLLENGTH_LIMIT"]
    if len(url) > limit:
        raise UsageError(f"{where}: URL of {len(url)} characters, over URLLENGTH_LIMIT ({limit})")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise UsageError(f"{where}: not an absolute http(s) URL: {url!r}")
    return url


def _read(page: Page, limit: int) -> bytes | Quarantine:
    """The page's bytes, read no further than `limit` + 1; a quarantine row if over it or unreadable."""
    if page.body is not None:
        return page.body  # already in memory: the bounded extractor holds it to the limit
    assert page.path is not None  # a Page is a file or inline bytes
    try:
        if page.path == "-":
            return _bounded(sys.stdin.buffer, page.url, limit)
        with open(page.path, "rb") as stream:
            return _bounded(stream, page.url, limit)
    except OSError as exc:
        return Quarantine(page.url, UNREADABLE, f"{page.path}: {exc.strerror}", EXTRACTOR_VERSION)


def _bounded(stream: IO[bytes], url: str, limit: int) -> bytes | Quarantine:
    body = stream.read(limit + 1)
    if len(body) <= limit:
        return body
    # the bounded extractor's too-large row, for a page not read past the bound (a pipe's size is unknown)
    size = os.fstat(stream.fileno()).st_size if stream.seekable() else 0
    detail = f"{size} bytes, over the limit of {limit}" if size > limit else f"over the limit of {limit} bytes"
    return Quarantine(url, "too-large", f"{detail} (PROVNEWS_MAX_PAGE_BYTES)", EXTRACTOR_VERSION)
