"""The raw archive: every fetched response as a WARC/1.1 record (gzip per record), and a reader for it.

Layout: {root}/raw/source={s}/dt={d}/{run_id}.warc.gz, one file per crawl run, so a rerun never clobbers
an earlier one. The HTTP payload is stored as it came off the wire (still content-encoded, transfer
encoding removed); `iter_responses` hands it back decoded. crawl_log rows point at records by file,
offset and WARC-Record-ID.

On an s3:// warehouse (warehouse.storage) the run's WARC file is written to a local spool file and uploaded in
one PUT when the run closes it, so the object appears whole or not at all; a crawl killed before that loses
its archive (its crawl_log rows, written after the close, are lost with it, so nothing points at a missing
record). Readers stream the object through pyarrow's S3 client.

Every read is bounded by the caller's `max_bytes` (stored and decompressed): the archive keeps what the
crawler refused too, such as a 10 MB gzip body that inflates to 10 GB. A record over the bound comes back
with an empty body and its `problem`, so one such record never stops the reading of a day.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pyarrow.fs import FileSelector, FileType
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from transforms.text import decode_html
from warehouse.paths import check_source, raw_dir, relative
from warehouse.storage import Root, S3Root, upload

log = logging.getLogger(__name__)

# Hop-by-hop framing that no longer describes the stored payload.
_DROP_HEADERS = {"transfer-encoding"}


@dataclass(frozen=True)
class WarcPointer:
    warc_file: str  # relative to the warehouse root
    warc_offset: int
    record_id: str
    digest: str  # WARC-Payload-Digest, "sha1:BASE32"


@dataclass(frozen=True)
class RawResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # decoded from transfer and content encoding
    fetched_at: datetime  # UTC
    warc_file: str
    warc_offset: int
    record_id: str
    digest: str
    problem: str | None = None  # why `body` is empty although the record has one (over the reader's bound)

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def text(self) -> str:
        return decode_html(self.body, self.header("Content-Type")).text  # the project's one decode


class WarcWriter:
    """Appends response records to one run's WARC file, opened lazily and flushed per record."""

    def __init__(self, root: Root, source: str, day: date, run_id: str) -> None:
        self.root = root
        self.warc_file = f"raw/source={check_source(source)}/dt={day.isoformat()}/{run_id}.warc.gz"  # as stored
        if isinstance(root, S3Root):  # spooled locally, uploaded whole on close
            self._spool_dir: str | None = tempfile.mkdtemp(prefix="provnews-warc-")
            self.path = Path(self._spool_dir) / f"{run_id}.warc.gz"
        else:
            self._spool_dir = None
            self.path = raw_dir(Path(root), source, day) / f"{run_id}.warc.gz"
        self._info = {"software": "provnews/0.1", "format": "WARC File Format 1.1",
                      "source": source, "run-id": run_id, "crawl-day": day.isoformat()}
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.records = 0

    def _open(self) -> WARCWriter:
        if self._writer is None:
            if self.path.exists() or (isinstance(self.root, S3Root) and self.root.filesystem.get_file_info(
                    self.root.key(self.warc_file)).type != FileType.NotFound):
                raise FileExistsError(f"{self.root}/{self.warc_file} exists: a run id must be unique")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("xb")
            self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
            self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, self._info))
        return self._writer

    def write_response(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
                       body: bytes, fetched_at: datetime, protocol: str = "HTTP/1.1") -> WarcPointer:
        writer = self._open()
        assert self._fh is not None
        kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=protocol)
        warc_headers = {"WARC-Date": datetime_to_iso_date(_naive_utc(fetched_at), use_micros=True)}
        record = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                           http_headers=http_headers, warc_headers_dict=warc_headers)
        offset = self._fh.tell()
        writer.write_record(record)
        self._fh.flush()
        self.records += 1
        return WarcPointer(self.warc_file if isinstance(self.root, S3Root) else relative(self.root, self.path),
                           offset,
                           record.rec_headers.get_header("WARC-Record-ID"),
                           record.rec_headers.get_header("WARC-Payload-Digest"))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None
            if isinstance(self.root, S3Root):
                upload(self.root, self.path, self.warc_file)
        if self._spool_dir is not None:
            self.path.unlink(missing_ok=True)
            os.rmdir(self._spool_dir)
            self._spool_dir = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def warc_files(root: Root, source: str, day: date) -> list[Path]:
    """The WARC files of a source's crawl day, sorted; on S3, their keys (bucket/prefix/raw/...) as paths."""
    if isinstance(root, S3Root):
        found = root.filesystem.get_file_info(FileSelector(
            root.key("raw", f"source={check_source(source)}", f"dt={day.isoformat()}"), allow_not_found=True))
        return sorted(Path(i.path) for i in found if i.path.endswith(".warc.gz"))
    directory = raw_dir(Path(root), source, day)
    return sorted(directory.glob("*.warc.gz")) if directory.exists() else []


def iter_responses(root: Root, source: str, day: date, *, max_bytes: int) -> Iterator[RawResponse]:
    """Every response record of a source's crawl day, file by file, in the order written; no body is read or
    decompressed past `max_bytes` (see RawResponse.problem)."""
    root = root if isinstance(root, S3Root) else Path(root)
    for path in warc_files(root, source, day):
        yield from iter_file(root, path, max_bytes=max_bytes)


def _open(root: Root, path: Path, sequential: bool) -> BinaryIO:
    """A local file, or an S3 object read in large buffered ranges (one GET per 8 MiB, not per record)."""
    if not isinstance(root, S3Root):
        return path.open("rb")
    fs = root.filesystem
    if sequential:
        return fs.open_input_stream(path.as_posix(), buffer_size=8 << 20)
    return fs.open_input_file(path.as_posix())


def iter_file(root: Root, path: Path, *, max_bytes: int) -> Iterator[RawResponse]:
    """The response records of one WARC file, up to the end of what is intact: a file cut short (a full disk,
    a killed copy) ends with its last complete record, never with part of a page."""
    rel = path.as_posix().removeprefix(root.base + "/") if isinstance(root, S3Root) else relative(root, path)
    with _open(root, path, sequential=True) as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type != "response":
                continue
            try:
                raw = _to_raw(record, rel, 0, max_bytes)  # read the payload before the offset (reads to the end)
            except TruncatedRecord as exc:
                log.warning("archive cut short", extra={"warc_file": rel, "error": str(exc)})
                return
            yield replace(raw, warc_offset=records.get_record_offset())


def read_record(root: Root, warc_file: str, offset: int, *, max_bytes: int) -> RawResponse:
    """The response record a crawl_log row points to (one seek, one record decompressed, at most `max_bytes`)."""
    path = Path(root.key(warc_file)) if isinstance(root, S3Root) else Path(root) / warc_file
    with _open(root, path, sequential=False) as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                raise ValueError(f"{warc_file}@{offset}: a {record.rec_type} record, not a response")
            return _to_raw(record, warc_file, offset, max_bytes)
    raise ValueError(f"{warc_file}@{offset}: no record at this offset")


class TruncatedRecord(ValueError):
    """A record whose file ends before the record does."""


def _to_raw(record: ArcWarcRecord, warc_file: str, offset: int, max_bytes: int) -> RawResponse:
    rec_headers = record.rec_headers
    http = record.http_headers
    headers = [(k, v) for k, v in http.headers]
    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), None)
    body, problem = _payload(record, warc_file, encoding, max_bytes)
    return RawResponse(
        url=rec_headers.get_header("WARC-Target-URI"),
        status=int(http.get_statuscode()),
        headers=headers,
        body=body,
        fetched_at=iso_date_to_datetime(rec_headers.get_header("WARC-Date")).replace(tzinfo=UTC),
        warc_file=warc_file,
        warc_offset=offset,
        record_id=rec_headers.get_header("WARC-Record-ID"),
        digest=rec_headers.get_header("WARC-Payload-Digest") or "",
        problem=problem,
    )


def _payload(record: ArcWarcRecord, warc_file: str, encoding: str | None, max_bytes: int) -> tuple[bytes, str | None]:
    """(body, None), or (b"", why) for a body over `max_bytes` stored or decoded; TruncatedRecord when the file
    ends before the record does."""
    try:
        stored = _read_bounded(record.raw_stream, max_bytes)
    except BodyTooLarge as exc:
        return b"", str(exc)
    if missing := getattr(record.raw_stream, "limit", 0):  # what WARC's Content-Length promised and never came
        raise TruncatedRecord(f"{warc_file}: the record of {record.rec_headers.get_header('WARC-Target-URI')} is "
                              f"cut short ({missing} bytes missing)")
    try:
        return decode_content(stored, encoding, max_bytes), None
    except BodyTooLarge as exc:
        return b"", str(exc)


class BodyTooLarge(ValueError):
    """A body that is stored, or decompresses, beyond the reader's bound; str() says which and the bound."""


def _read_bounded(stream: BinaryIO, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BodyTooLarge(f"stored body over the limit of {max_bytes} bytes")
    return data


def decode_content(body: bytes, content_encoding: str | None, max_bytes: int) -> bytes:
    """Undo gzip/deflate content encoding, never producing more than `max_bytes` (BodyTooLarge past it); a body
    that does not decode is returned as stored."""
    for coding in reversed([c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]):
        try:
            if coding in ("gzip", "x-gzip"):
                body = _decompress(body, 16 + zlib.MAX_WBITS, max_bytes)
            elif coding == "deflate":
                body = _inflate(body, max_bytes)
            elif coding != "identity":
                return body  # br/zstd etc.: left to the reader
        except BodyTooLarge as exc:
            raise BodyTooLarge(f"body over the limit of {max_bytes} bytes once decompressed ({coding}, "
                               f"{len(body)} bytes stored)") from exc
        except (EOFError, zlib.error):
            return body
    return body


def _inflate(body: bytes, max_bytes: int) -> bytes:
    try:
        return _decompress(body, zlib.MAX_WBITS, max_bytes)
    except zlib.error:
        return _decompress(body, -zlib.MAX_WBITS, max_bytes)  # raw deflate, as some servers send


def _decompress(body: bytes, wbits: int, max_bytes: int) -> bytes:
    """zlib, gzip (every member) or raw deflate, a chunk at a time, stopping as soon as the output would pass
    `max_bytes`: a bomb costs at most that much memory. EOFError for a stream that ends early."""
    out = bytearray()
    data = body
    while data:
        stream = zlib.decompressobj(wbits)
        pending = data
        while not stream.eof:
            chunk = stream.decompress(pending, max_bytes + 1 - len(out))
            out += chunk
            if len(out) > max_bytes:
                raise BodyTooLarge(f"over {max_bytes} bytes")
            pending = stream.unconsumed_tail
            if not chunk and not pending:
                raise EOFError("compressed stream ends early")
        data = stream.unused_data if wbits > zlib.MAX_WBITS else b""
        if not data.startswith(b"\x1f\x8b"):  # gzip: another member follows, else padding or trailing junk
            break
    return bytes(out)
