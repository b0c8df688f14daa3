"""A hostile web site for the crawler's containment tests: a tiny HTTP server on 127.0.0.1 (a free port) that
answers each path with what the test put in `routes` (gzip bombs, XML bombs, bad URLs, redirects) and counts
the requests it got. Bombs are built here with zlib, small on the wire, and are never inflated by the test.

    with HostileSite() as site:
        site.routes["/feed.rss"] = Answer(gzip_bomb(4_000_000), headers=GZIPPED_XML)
        ... crawl a profile whose URLs are site.url("/...") ...
        assert site.hits["/feed.rss"] == 1
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import yaml

HTML = (("Content-Type", "text/html; charset=utf-8"),)
XML = (("Content-Type", "application/xml; charset=utf-8"),)
GZIPPED_XML = (("Content-Type", "application/xml"), ("Content-Encoding", "gzip"))
GZIP_FILE = (("Content-Type", "application/x-gzip"),)  # a .xml.gz: gzip in the body, no Content-Encoding


@dataclass(frozen=True)
class Answer:
    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = HTML
    etag: str | None = None  # sent as ETag; a request with If-None-Match equal to it gets a 304


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(status=status, headers=(("Location", location),))


def gzip_bomb(inflated: int, prefix: bytes = b"") -> bytes:
    """`prefix` and then zeros, `inflated` bytes in all, as one gzip member (about 1 KB per MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [packer.compress(prefix)]
    zeros = b"\0" * (1 << 20)
    left = inflated - len(prefix)
    while left > 0:
        out.append(packer.compress(zeros[:left]))
        left -= len(zeros)
    out.append(packer.flush())
    return b"".join(out)


def gzipped(body: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(body) + packer.flush()


@dataclass
class HostileSite:
    routes: dict[str, Answer] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)  # by path; a POST's as "POST /path"
    posted: list[dict[str, list[str]]] = field(default_factory=list)  # the forms POSTed, in order
    _server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start the site first"
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> HostileSite:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> HostileSite:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _handler(site: HostileSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            site.hits[self.path] += 1
            answer = site.routes.get(self.path, Answer(b"not here", status=404))
            if answer.etag and self.headers.get("If-None-Match") == answer.etag:
                answer = Answer(status=304, headers=(), etag=answer.etag)
            self._answer(answer)

        def do_POST(self) -> None:  # noqa: N802
            """Whatever was posted, the path's GET answer (a site that ignores the form)."""
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            site.hits[f"POST {self.path}"] += 1
            site.posted.append(parse_qs(body.decode("ascii", "replace"), keep_blank_values=True))
            self._answer(site.routes.get(self.path, Answer(b"not here", status=404)))

        def _answer(self, answer: Answer) -> None:
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            if answer.etag:
                self.send_header("ETag", answer.etag)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
            pass

    return Handler


def write_profile(sources_dir: Path, source_id: str, start_url: str, discovery: dict[str, Any],
                  pattern: str = r"/tin/[a-z0-9-]+\.html$") -> Path:
    """A source profile for a hostile site (polite settings off: it is loopback)."""
    profile = {
        "id": source_id, "name": f"Hostile {source_id}", "kind": "newspaper",
        "province": {"as_written": "Hải Dương", "current": "Hải Phòng"},
        "start_urls": [start_url], "discovery": discovery, "article_url_pattern": pattern,
        "politeness": {"download_delay": 0, "concurrency": 4, "autothrottle": False, "obey_robots": False},
    }
    sources_dir.mkdir(parents=True, exist_ok=True)
    path = sources_dir / f"{source_id}.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    return path


def article_page(url: str, title: str, day: str = "2026-11-21") -> bytes:
    """An ordinary news article (title, date, a body long enough), at `url` by its canonical link."""
    paragraphs = "".join(
        f"<p>{title}: Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ {n} đã thảo luận, cho ý kiến về tình hình "
        f"kinh tế - xã hội, quốc phòng - an ninh và công tác xây dựng Đảng trong năm.</p>" for n in range(1, 5))
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{url}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{day}T08:00:00+07:00"></head>'
            f'<body><article><h1>{title}</h1>{paragraphs}</article></body></html>').encode()
