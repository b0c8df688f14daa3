"""Structured, readable logging: `key=value` text for people, JSON lines for machines.

Here, in the crawler, because the crawl subprocess (crawler.run) logs JSON lines that its parent
(provnews.stages.crawl) relays: both sides of that boundary, and every program's set-up (the CLI), import it
from the lowest layer that needs it; nothing here climbs to provnews."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()) | {"message", "asctime"}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RESERVED}


def _said(key: str, value: Any, message: str) -> bool:
    """Whether the message already says it: `key=value` as a word (`counts x: fetched=4 ...`), or a text
    value as a word (`checks for baohaiduong on 2026-11-21` says source and day). Numbers need their key."""
    if re.search(rf"(?<!\S){re.escape(f'{key}={value}')}(?![^\s,;)])", message):
        return True
    return isinstance(value, str) and len(value) >= 3 and \
        re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", message) is not None


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str | None:
    """The traceback of the record, or the one a child process already formatted (see relay)."""
    return formatter.formatException(record.exc_info) if record.exc_info else record.exc_text


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items() if not _said(k, v, message))
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}: {message}"
        line = f"{line} {extra}" if extra else line
        exc = _exception_text(self, record)
        return f"{line}\n{exc}" if exc else line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
               "msg": record.getMessage(), **_fields(record)}
        exc = _exception_text(self, record)
        if exc:
            doc["exc"] = exc
        return json.dumps(doc, ensure_ascii=False, default=str)


def _from_json(line: str) -> logging.LogRecord | None:
    """A record back from a JsonFormatter line; None for any other text."""
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not {"level", "logger", "msg"} <= doc.keys():
        return None
    level = logging.getLevelName(str(doc["level"]))
    levelno = level if isinstance(level, int) else logging.WARNING
    fields = {k: v for k, v in doc.items() if k not in _RESERVED | {"ts", "level", "logger", "msg", "exc"}}
    return logging.makeLogRecord({**fields, "name": str(doc["logger"]), "msg": str(doc["msg"]), "args": None,
                                  "levelno": levelno, "levelname": logging.getLevelName(levelno),
                                  "exc_text": doc.get("exc")})


def relay(line: str, fallback: logging.Logger) -> None:
    """Log one line of a child process's output in this process: a JsonFormatter line under its own logger
    and level (so an INFO stays an INFO wherever this process logs to), any other text (a stray print, a
    crash before logging was set up) as a warning of `fallback`."""
    text = line.rstrip("\r\n")
    record = _from_json(text) if text.startswith("{") else None
    if record is None:
        if text.strip():
            fallback.warning("%s", text)
        return
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(record)


class StderrHandler(logging.StreamHandler[Any]):
    """Writes to whatever sys.stderr is at emit time (pytest and daemons swap it after set-up)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup(level: str = "INFO", fmt: str = "text") -> None:
    """Configure the root logger once, at a program's edge, to stderr."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
