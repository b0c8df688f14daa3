"""The replica's HTTP server: every site on its own loopback address (127.0.0.N), one port, one process.

The renderers (`replica.families`) turn a path into a Page of Unicode text. This module does what a web
server does around that: the site's byte encoding and Content-Type (`replica.encoding`), ETag and
Last-Modified with 304 answers, gzip, HEAD, keep-alive, a request counter per path, and the fault mode
(`replica.faults`). A POST (a form posted back, `Renderer.postback`) is read up to MAX_FORM_BYTES as
application/x-www-form-urlencoded and answered without validators or caching; a site that takes no POST
answers 405.

Memory stays flat for large worlds: pages are rendered on demand and only a byte-bounded LRU of encoded
answers is kept, next to the world's own light index.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import gzip
import hashlib
import logging
import re
import socket
import socketserver
import struct
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import parse_qs, unquote, urlsplit

from replica import encoding
from replica.families.base import Renderer
from replica.faults import LOOP_PREFIX, EndlessWorld, Fault, Faults
from replica.model import Charset, Site
from replica.world import World, local_today

log = logging.getLogger(__name__)

_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/xhtml")
_LOOP_LINK = '<p class="more"><a href="/loop/1">Xem thêm tin khác</a></p>'
MAX_FORM_BYTES = 1024 * 1024  # a posted form longer than this is refused (413), as IIS's maxRequestLength does
_FORM_TYPE = "application/x-www-form-urlencoded"

Form = dict[str, list[str]]


RendererFactory = Callable[[Site, World, int], Renderer]


class ReplicaBindError(RuntimeError):
    """A site's loopback address could not be listened on."""


@dataclass(frozen=True)
class Answer:
    """An encoded answer, ready to send (before conditional checks and gzip)."""

    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: datetime | None = None
    location: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()
    _gzipped: list[bytes] = field(default_factory=list, compare=False, repr=False)

    def gzipped(self) -> bytes:
        # Computed once per cached answer; a race only compresses twice.
        if not self._gzipped:
            # Level 1, as nginx's default: a fifth of level 6's CPU for a few percent more bytes.
            self._gzipped.append(gzip.compress(self.body, compresslevel=1, mtime=0))
        return self._gzipped[0]


class _AnswerCache:
    """A thread-safe LRU of answers, bounded by bytes (each charged for its body and a later gzip copy)."""

    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._items: OrderedDict[tuple[str, ...], tuple[Answer, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Answer | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            return entry[0]

    def put(self, key: tuple[str, ...], answer: Answer) -> None:
        charge = 2 * len(answer.body) + 256  # the gzip copy, made later, is smaller than the body
        if charge > self._max // 4:
            return  # one huge page must not flush the cache
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (answer, charge)
            self._bytes += charge
            while self._bytes > self._max and self._items:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size_bytes(self) -> int:
        return self._bytes


def _default_renderer_factory(site: Site, world: World, port: int) -> Renderer:
    from replica.families import renderer_for

    return renderer_for(site, world, port)


class ReplicaServer:
    """Serves every site of `world` on (site.host, port) until stopped. `today` can change while running;
    None follows the machine's clock (today in Vietnam), so each real day brings its articles."""

    def __init__(
        self,
        world: World,
        port: int,
        today: date | None,
        faults: Faults | None = None,
        *,
        renderer_factory: RendererFactory | None = None,
        cache_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        self.world = world
        self.port = port
        self.faults = faults or Faults()
        for name in (self.faults.redirect_loop_site, self.faults.endless_site):
            if name is not None:
                world.site(name)  # raises a KeyError naming the known sites
        self._today = today
        self._lock = threading.Lock()
        self._hits: Counter[tuple[str, str]] = Counter()
        self._cache = _AnswerCache(cache_bytes)
        factory = renderer_factory or _default_renderer_factory
        self._renderers = {site.id: factory(site, self._world_for(site), port) for site in world.sites}
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        self._started_at = 0.0

    def _world_for(self, site: Site) -> World:
        """The world a site's renderer reads: its lists never end if it is the endless-pagination site."""
        if self.faults.endless_site == site.id:
            return cast(World, EndlessWorld(self.world, site.id))
        return self.world

    # -- clock and counters ---------------------------------------------------------------------------

    @property
    def today(self) -> date:
        with self._lock:
            return self._today or local_today()

    @today.setter
    def today(self, value: date | None) -> None:
        with self._lock:
            self._today = value  # answers are cached per day, so nothing else to invalidate

    @property
    def follows_the_clock(self) -> bool:
        return self._today is None

    @property
    def base_urls(self) -> dict[str, str]:
        """Site id → base URL, e.g. {"baohaiduong": "http://127.0.0.2:8377"}."""
        return {site.id: site.base_url(self.port) for site in self.world.sites}

    def hits(self, target: str, site: str | None = None) -> int:
        """How often `target` (path, with its query string if any) was requested, on one site or on all."""
        with self._lock:
            if site is not None:
                return self._hits[(site, target)]
            return sum(n for (_, t), n in self._hits.items() if t == target)

    @property
    def cached_bytes(self) -> int:
        """Bytes charged to the answer cache (bounded by `cache_bytes`)."""
        return self._cache.size_bytes

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(self._hits.values())

    def _count(self, site_id: str, target: str) -> int:
        with self._lock:
            self._hits[(site_id, target)] += 1
            return self._hits[(site_id, target)]

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> ReplicaServer:
        """Listen on every site's address. Raises ReplicaBindError (and listens on none) if one fails."""
        if self._servers:
            raise RuntimeError("the replica server is already running")
        try:
            for site in self.world.sites:
                self._servers.append(_SiteServer(site, self))
        except ReplicaBindError:
            self._close_servers()
            raise
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"replica-{server.site.id}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._started_at = time.monotonic()
        log.debug("replica listening", extra={"sites": len(self._servers), "port": self.port})
        return self

    def stop(self) -> None:
        """Stop listening, drop open connections and wait for the listener threads."""
        if not self._servers:
            return
        stoppers = [threading.Thread(target=s.shutdown, daemon=True) for s in self._servers]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join()
        self._close_servers()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        log.info("replica stopped", extra={"requests": self.requests,
                                           "seconds": round(time.monotonic() - self._started_at, 1)})

    def _close_servers(self) -> None:
        for server in self._servers:
            server.drop_connections()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- answers --------------------------------------------------------------------------------------

    def answer(self, site: Site, path: str, query: str) -> Answer:
        """The encoded answer for a path on a site today (cached)."""
        today = self.today
        key = (site.id, path, query, today.isoformat())
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        answer = self._render(site, path, query, today)
        self._cache.put(key, answer)
        return answer

    def post_answer(self, site: Site, path: str, query: str, form: Form) -> Answer:
        """The encoded answer to a form posted to a path on a site today: never cached, no validators (a POST
        answer is not one a client may ask for again conditionally)."""
        answer = self._render(site, path, query, self.today, form)
        return dataclasses.replace(answer, etag=None, last_modified=None, _gzipped=[])

    def _render(self, site: Site, path: str, query: str, today: date, form: Form | None = None) -> Answer:
        params = parse_qs(query, keep_blank_values=True)
        renderer = self._renderers[site.id]
        try:
            page = renderer.page(path, params, today) if form is None else renderer.postback(path, params, form, today)
        except Exception:
            log.exception("renderer failed", extra={"site": site.id, "path": path, "query": query})
            return error_answer(site, 500, "Internal Server Error")
        if page is None:
            return error_answer(site, 405, "Method Not Allowed", (("Allow", "GET, HEAD"),))
        body = page.body
        if self.faults.redirect_loop_site == site.id and page.status == 200 and _is_html(page.content_type):
            body = _inject_before_body_end(body, _LOOP_LINK)
        return encode_page(site, self.port, page.status, body, page.content_type, page.last_modified,
                           page.location)

    def loop_answer(self, site: Site, path: str) -> Answer:
        """/loop/N redirects to /loop/N+1, forever."""
        tail = path[len(LOOP_PREFIX):].strip("/")
        step = int(tail) + 1 if tail.isdigit() else 1
        return Answer(302, "text/html", b"", location=f"{site.base_url(self.port)}{LOOP_PREFIX}{step}")


def encode_page(site: Site, port: int, status: int, body: str, media_type: str,
                last_modified: datetime | None, location: str | None) -> Answer:
    """Encode a rendered page the way `site` does, with its validators."""
    if _is_text(media_type):
        data, header = _encode_text(site, body, media_type)
    else:
        data, header = body.encode("utf-8"), media_type
    if location is not None and location.startswith("/"):
        location = site.base_url(port) + location
    etag = '"' + hashlib.blake2b(data, digest_size=10).hexdigest() + '"' if status == 200 else None
    return Answer(status, header, data, etag, last_modified, location)


def error_answer(site: Site, status: int, reason: str,
                 extra_headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    body = (f"<!DOCTYPE html><html><head><title>{status} {reason}</title></head>"
            f"<body><h1>{reason}</h1></body></html>")
    return Answer(status, encoding.content_type("text/html", site.charset), body.encode("ascii"),
                  extra_headers=extra_headers)


def _encode_text(site: Site, body: str, media_type: str) -> tuple[bytes, str]:
    """HTML and plain text follow the site's charset quirk; XML follows its own declaration, as parsers do."""
    if "xml" in media_type and "html" not in media_type:
        declared = encoding.xml_declared_encoding(body) or "utf-8"
        if site.nfd:
            body = encoding.encode(body, Charset.UTF8, nfd=True).decode("utf-8")
        if declared.lower().replace("-", "") in ("windows1258", "cp1258"):
            return encoding.to_cp1258(body), f"{_bare(media_type)}; charset={declared}"
        return body.encode(declared, errors="xmlcharrefreplace"), f"{_bare(media_type)}; charset={declared}"
    return encoding.encode(body, site.charset, site.nfd), encoding.content_type(media_type, site.charset)


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip()


def _is_text(media_type: str) -> bool:
    return _bare(media_type).startswith(_TEXT_TYPES)


def _is_html(media_type: str) -> bool:
    return _bare(media_type) in ("text/html", "application/xhtml+xml")


def _inject_before_body_end(html: str, snippet: str) -> str:
    at = html.lower().rfind("</body>")
    return html + snippet if at < 0 else html[:at] + snippet + html[at:]


def http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _parse_http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/ prefixes and our -gzip suffix are ignored."""
    if header.strip() == "*":
        return True
    wanted = etag.strip('"')
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"').removesuffix("-gzip")
        if tag == wanted:
            return True
    return False


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and _float(q[2:]) == 0.0)
    return False


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 1.0


# -- the HTTP layer ------------------------------------------------------------------------------------


class _SiteServer(ThreadingHTTPServer):
    """One listener: one site's address and port. Tracks open connections so stop() can drop them."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(self, site: Site, replica: ReplicaServer) -> None:
        self.site = site
        self.replica = replica
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        try:
            super().__init__((site.host, replica.port), _Handler)
        except OSError as exc:
            raise ReplicaBindError(
                f"cannot listen on {site.host}:{replica.port} for site {site.id!r}: {exc.strerror or exc}. "
                "Is the port taken? (On macOS, loopback aliases must be added first: "
                f"`sudo ifconfig lo0 alias {site.host} up`.)"
            ) from exc

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); loopback needs none.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.site.host
        self.server_port = self.replica.port

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):  # already closed by the client
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-answer are normal for a crawler target: keep them out of stderr.
        log.debug("connection error", exc_info=True, extra={"site": self.site.id})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "Apache"
    sys_version = ""
    timeout = 60  # idle keep-alive connections are dropped after a minute
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stall
    server: _SiteServer

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        form, refusal = self._read_form()
        if refusal is not None:
            self._send(refusal, head=False)
            return
        self._serve(head=False, form=form)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # one line per request would drown the crawler's own logs; ReplicaServer counts instead

    # -- one request ----------------------------------------------------------------------------------

    def _read_form(self) -> tuple[Form, Answer | None]:
        """The posted form, or the answer refusing it: 411 without a length, 413 over MAX_FORM_BYTES, 415 for
        another encoding than a urlencoded form (the body is read or the connection closed, so keep-alive
        stays in step)."""
        site = self.server.site
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            self.close_connection = True
            return {}, error_answer(site, 411, "Length Required")
        if int(length) > MAX_FORM_BYTES:
            self.close_connection = True
            return {}, error_answer(site, 413, "Request Entity Too Large")
        body = self.rfile.read(int(length))
        if _bare(self.headers.get("Content-Type", "")).lower() != _FORM_TYPE:
            return {}, error_answer(site, 415, "Unsupported Media Type")
        return parse_qs(body.decode("ascii", "replace"), keep_blank_values=True), None

    def _serve(self, head: bool, form: Form | None = None) -> None:
        site, replica = self.server.site, self.server.replica
        target = self.path
        parts = urlsplit(target)
        path = unquote(_JSESSIONID.sub("", parts.path)) or "/"
        counted = parts.path + (f"?{parts.query}" if parts.query else "")
        nth = replica._count(site.id, counted)
        faults = replica.faults
        if faults.redirect_loop_site == site.id and path.startswith(LOOP_PREFIX):
            self._send(replica.loop_answer(site, path), head)
            return
        fault = faults.decide(f"{site.host}{counted}", nth) if faults.applies_to(path) else Fault.NONE
        if fault is Fault.RESET:
            self._reset()
            return
        if fault is Fault.SLOW:
            time.sleep(faults.slow_seconds)
        if fault is Fault.ERROR_500:
            self._send(error_answer(site, 500, "Internal Server Error"), head)
            return
        if fault is Fault.ERROR_503:
            self._send(error_answer(site, 503, "Service Unavailable", (("Retry-After", "1"),)), head)
            return
        if form is None:
            answer = self._answer_for(site, path, parts.query)
        else:
            answer = replica.post_answer(site, path, parts.query, form)
        self._send(answer, head, truncate=fault is Fault.TRUNCATE)

    def _answer_for(self, site: Site, path: str, query: str) -> Answer:
        return self.server.replica.answer(site, path, query)

    def _send(self, answer: Answer, head: bool, truncate: bool = False) -> None:
        if answer.status == 200 and self._not_modified(answer):
            self.send_response(304)
            self._validators(answer, gz=False)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        gz = answer.status == 200 and bool(answer.body) and _accepts_gzip(self.headers.get("Accept-Encoding"))
        body = answer.gzipped() if gz else answer.body
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self._validators(answer, gz)
        if answer.location:
            self.send_header("Location", answer.location)
        for name, value in answer.extra_headers:
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def _validators(self, answer: Answer, gz: bool) -> None:
        if answer.etag:
            self.send_header("ETag", answer.etag[:-1] + '-gzip"' if gz else answer.etag)
        if answer.last_modified is not None:
            self.send_header("Last-Modified", http_date(answer.last_modified))

    def _not_modified(self, answer: Answer) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return answer.etag is not None and _etag_matches(inm, answer.etag)
        ims = self.headers.get("If-Modified-Since")
        if ims is None or answer.last_modified is None:
            return False
        since = _parse_http_date(ims)
        return since is not None and answer.last_modified.replace(microsecond=0) <= since

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the client gets a TCP RST instead of an answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

