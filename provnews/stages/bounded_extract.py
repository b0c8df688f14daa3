"""The extractor within per-page bounds: a page too large for the parser, or one whose parse and extraction run
past the time limit, becomes a quarantine row (`too-large`, `extractor-timeout`) and the next page goes on.

Time cannot be bounded inside the process: lxml's C code holds the interpreter, and `signal.alarm` works only
in the main thread (an Airflow task may not be). So pages are extracted in a worker process (`python -m
provnews.stages.bounded_extract`, started once per BoundedExtractor and fed one page at a time over a pipe);
a page over the limit gets its worker killed, and the next page starts a fresh one. A plain subprocess, not
multiprocessing: it needs no `__main__` re-import and works from daemonic processes (Celery workers) too.
"""

from __future__ import annotations

import os
import pickle
import selectors
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from transforms.extract import extract
from transforms.mentions.model import Context
from transforms.profile import Profile
from transforms.record import ArticleRecord, Quarantine
from transforms.version import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from provnews.settings import Settings

WORKER_START_TIMEOUT_S = 120.0  # importing the extractor in a fresh interpreter: seconds, more on a busy machine
_HEADER = struct.Struct("!Q")  # each message: its length, then a pickle
_READY = b"ready"
_CODE_ROOT = Path(__file__).resolve().parents[2]  # the directory holding provnews/ and transforms/

Extracted = ArticleRecord | Quarantine


@dataclass(frozen=True)
class PageLimits:
    """Per-page bounds; the values are Settings fields, named in the messages."""

    timeout_s: float  # Settings.extract_timeout_s, PROVNEWS_EXTRACT_TIMEOUT_S
    max_bytes: int  # Settings.max_page_bytes, PROVNEWS_MAX_PAGE_BYTES

    @classmethod
    def of(cls, settings: Settings) -> PageLimits:
        return cls(timeout_s=settings.extract_timeout_s, max_bytes=settings.max_page_bytes)


class WorkerError(RuntimeError):
    """The worker process could not be started: a broken installation, not a bad page."""


class BoundedExtractor:
    """`extract` with PageLimits. Use as a context manager (it owns a worker process):

        with BoundedExtractor(limits) as bounded:
            result = bounded.extract(body, url, profile, content_type)
    """

    def __init__(self, limits: PageLimits) -> None:
        self.limits = limits
        self._worker: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BoundedExtractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def extract(self, body: bytes, url: str, profile: Profile | None = None,
                content_type: str | None = None, context: Context | None = None) -> Extracted:
        if len(body) > self.limits.max_bytes:
            return _quarantine(url, "too-large", f"{len(body)} bytes, over the limit of {self.limits.max_bytes} "
                               "(PROVNEWS_MAX_PAGE_BYTES)")
        worker = self._started()
        try:
            _send(_stdin(worker), _pickle((body, url, profile, content_type, context)))
            reply = _receive(_stdout(worker), self.limits.timeout_s)
        except (BrokenPipeError, EOFError):  # the worker died on this page (e.g. killed for its memory)
            code = self._stop()
            return _quarantine(url, "extractor-error", f"the extractor process died (exit code {code})")
        if reply is None:
            self._stop()
            return _quarantine(url, "extractor-timeout", f"parse and extraction took over "
                               f"{self.limits.timeout_s:g} s (PROVNEWS_EXTRACT_TIMEOUT_S)")
        result: Extracted = pickle.loads(reply)
        return result

    def close(self) -> None:
        if self._worker is not None:
            _stdin(self._worker).close()  # the worker's loop ends at end of input
            try:
                self._worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._stop()
            self._worker = None

    def _started(self) -> subprocess.Popen[bytes]:
        if self._worker is None:
            self._worker = _spawn()
        return self._worker

    def _stop(self) -> int | None:
        worker, self._worker = self._worker, None
        if worker is None:
            return None
        worker.kill()
        code = worker.wait()
        for pipe in (worker.stdin, worker.stdout):
            if pipe is not None:
                pipe.close()
        return code


def _quarantine(url: str, reason: str, detail: str) -> Quarantine:
    return Quarantine(url, reason, detail, EXTRACTOR_VERSION)


def _spawn() -> subprocess.Popen[bytes]:
    """A worker that imports the same code as this process (whatever sys.path this process was given)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(_CODE_ROOT), os.environ.get("PYTHONPATH", "")) if p))
    worker = subprocess.Popen([sys.executable, "-m", "provnews.stages.bounded_extract"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=env, cwd=_CODE_ROOT)
    try:
        ready = _receive(_stdout(worker), WORKER_START_TIMEOUT_S)
    except EOFError:
        ready = None
    if ready != _READY:
        worker.kill()
        worker.wait()
        raise WorkerError(f"the extractor worker did not start within {WORKER_START_TIMEOUT_S:g} s "
                          f"(exit code {worker.returncode})")
    return worker


def _stdin(worker: subprocess.Popen[bytes]) -> IO[bytes]:
    assert worker.stdin is not None  # always a pipe here
    return worker.stdin


def _stdout(worker: subprocess.Popen[bytes]) -> IO[bytes]:
    assert worker.stdout is not None
    return worker.stdout


def _send(pipe: IO[bytes], data: bytes) -> None:
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _pickle(message: Any) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _receive(pipe: IO[bytes], timeout_s: float) -> bytes | None:
    """One message's bytes, None when it has not fully arrived within `timeout_s`; EOFError if the pipe ends."""
    deadline = time.monotonic() + timeout_s
    header = _read_exactly(pipe, _HEADER.size, deadline)
    if header is None:
        return None
    return _read_exactly(pipe, _HEADER.unpack(header)[0], deadline)


def _read_exactly(pipe: IO[bytes], size: int, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    got = 0
    with selectors.DefaultSelector() as sel:
        sel.register(pipe, selectors.EVENT_READ)
        while got < size:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return None
            chunk = os.read(pipe.fileno(), min(size - got, 1 << 20))
            if not chunk:
                raise EOFError("the worker closed its output")
            chunks.append(chunk)
            got += len(chunk)
    return b"".join(chunks)


def _serve() -> None:
    """The worker: extract each page read from stdin, answer on stdout (anything else printed goes to stderr)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print() in a library must not corrupt the replies
    source = sys.stdin.buffer
    _send(out, _READY)
    while header := source.read(_HEADER.size):
        body, url, profile, content_type, context = pickle.loads(source.read(_HEADER.unpack(header)[0]))
        _send(out, _pickle(extract(body, url, profile, content_type, context)))


if __name__ == "__main__":
    _serve()
