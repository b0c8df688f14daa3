"""The crawl stage: run Scrapy for one source and day in a subprocess, and judge the result.

The child (`python -m crawler.run`) writes the WARC file, appends crawl_log and leaves its stats as JSON
next to the WARC (`raw/source=S/dt=D/{run_id}.stats.json`). A crawl fails when the child fails, when
nothing was fetched, or when the share of requests that finally failed is above `max_error_rate`; it fails
with SiteUnreachable when nothing of the site could be crawled at all (no request connected, every answer
was an error, or robots.txt forbids everything), named by its dominant error, its count and the host.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from crawler.crawl_log import CLOSED_UNREACHABLE
from crawler.crawl_stats import WORDS, CrawlStats
from crawler.log import relay
from provnews.settings import Settings
from warehouse.paths import check_source, crawl_stats_files, crawl_stats_path, crawl_stats_relative
from warehouse.storage import S3Root, read_text, upload

log = logging.getLogger(__name__)

DEFAULT_MAX_ERROR_RATE = 0.5
DEFAULT_TIMEOUT_S = 6 * 3600.0


class CrawlFailed(RuntimeError):
    """Raised by CrawlResult.check() for a crawl that should fail its task."""


class SiteUnreachable(CrawlFailed):
    """The site could not be crawled at all: no connection, only error answers, or robots.txt forbids all.

    str() is one line: `baohaiduong: site unreachable: connection refused (12 of 12 requests) at 127.0.0.2:9`.
    """


@dataclass(frozen=True)
class CrawlResult:
    source: str
    day: date
    run_id: str
    backfill: bool
    returncode: int
    stats: CrawlStats | None  # None when the child wrote none
    stats_path: Path
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unreachable(self) -> bool:
        return self.stats is not None and unreachable(self.stats) is not None

    def check(self) -> CrawlResult:
        """Self when the crawl succeeded; else raise SiteUnreachable or CrawlFailed, one line naming the source."""
        if self.problems:
            failure = SiteUnreachable if self.unreachable else CrawlFailed
            raise failure(f"{self.source}: {'; '.join(self.problems)}")
        return self

    def summary(self) -> dict[str, Any]:
        """The crawl in the words people read (provnews.stages.report), then the crawler's own detail."""
        return {"source": self.source, "date": self.day.isoformat(), "run_id": self.run_id,
                "backfill": self.backfill, "ok": self.ok, "problems": self.problems,
                **(self.stats.in_words() if self.stats else dict.fromkeys(WORDS))}


def backfilled(settings: Settings, source: str) -> bool:
    """Whether a backfill crawl of `source` has succeeded: its verdict (judge) read again from the stats that
    every crawl leaves next to its WARC file. A backfill that failed (the site was down, too many errors)
    walked only part of the history, so the next run backfills again."""
    root = settings.warehouse_root
    for path in crawl_stats_files(root, source):
        try:
            stats = CrawlStats.model_validate_json(read_text(root, path))
        except (OSError, ValueError):  # unreadable stats: that crawl proves nothing
            continue
        if stats.backfill and not judge(stats, 0, DEFAULT_MAX_ERROR_RATE):
            return True
    return False


def new_run_id(day: date) -> str:
    """Sortable and unique: crawl day, wall-clock start (UTC) and a random tail."""
    return f"{day:%Y%m%d}-{datetime.now(UTC):%H%M%S%f}-{uuid.uuid4().hex[:6]}"


def judge(stats: CrawlStats | None, returncode: int, max_error_rate: float) -> list[str]:
    """Why a finished crawl counts as failed (empty when it succeeded)."""
    problems = []
    if returncode != 0:
        problems.append(f"crawler process exited with code {returncode}")
    if stats is None:
        return problems + ["the crawler wrote no stats"]
    if why := unreachable(stats):
        return problems + [why]
    if stats.pages == 0:
        problems.append("nothing was fetched")
    if stats.finish_reason == "closespider_pagecount":
        problems.append(f"stopped after {stats.responses} responses: the per-run bound "
                        "CLOSESPIDER_PAGECOUNT was reached; the next run fetches the rest")
    rate = stats.error_rate
    if rate > max_error_rate:
        problems.append(f"error rate {rate:.2f} is over {max_error_rate:.2f}: {dominant_error(stats)}")
    return problems


def unreachable(stats: CrawlStats) -> str | None:
    """Why nothing of the site could be crawled, in one line; None when some request got a usable answer.

    Usable: a 2xx, a 304 with an archived copy, or a 404 that ends a listing's pagination; the crawler's
    `errors` (final failures by reason) and `error_hosts` say what happened instead.
    """
    failed, finished = stats.requests_failed, stats.requests_finished
    stopped = stats.finish_reason == CLOSED_UNREACHABLE
    if not stopped and not (failed and failed == finished):
        return None
    reason, count, total, at = _dominant(stats)
    if reason == "robots":
        return f"robots.txt forbids everything ({count} of {total} requests){at}"
    if reason.startswith("HTTP "):
        return f"site answered only errors: {reason} to {count} of {total} requests{at}"
    return f"site unreachable: {reason} ({count} of {total} requests){at}"


def dominant_error(stats: CrawlStats) -> str:
    """`HTTP 503 (6 of 10 requests) at 127.0.0.2:8377`: the most frequent final failure, and where."""
    reason, count, total, at = _dominant(stats)
    return f"{reason} ({count} of {total} requests){at}"


def _dominant(stats: CrawlStats) -> tuple[str, int, int, str]:
    """(reason, its count, requests finished, " at HOST" of the most failures or "")."""
    reason, count = _top(stats.errors)
    host = _top(stats.error_hosts)[0] if stats.error_hosts else ""
    return reason, count, stats.requests_finished, f" at {host}" if host else ""


def _top(counts: dict[str, int]) -> tuple[str, int]:
    """The most frequent key and its count (ties: the first in name order); ("unknown", 0) when empty."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[0] if ranked else ("unknown", 0)


def command(settings: Settings, source: str, day: date, run_id: str, stats_path: Path, backfill: bool,
            overrides: dict[str, Any]) -> list[str]:
    root = settings.warehouse_root
    warehouse = ["--warehouse", root.url, "--s3-endpoint", root.endpoint, "--warehouse-lock", root.lock_url] \
        if isinstance(root, S3Root) else ["--warehouse", str(root.resolve())]
    cmd = [sys.executable, "-m", "crawler.run", "--source", source, "--date", day.isoformat(), *warehouse,
           "--sources-dir", str(settings.sources_dir), "--run-id", run_id, "--stats-out", str(stats_path)]
    if settings.contact:
        cmd += ["--contact", settings.contact]
    if backfill:
        cmd.append("--backfill")
    for name, value in sorted(overrides.items()):
        cmd += ["--set", f"{name}={json.dumps(value)}"]
    return cmd


MAX_LOG_LINE = 256 * 1024  # characters: a longer line of the child's output is relayed in pieces


def run_relaying_logs(cmd: list[str], timeout: float) -> int:
    """Run a child that logs JSON lines (crawler.log.JsonFormatter) and relay each line as it comes, at its
    own level, through this process's logging: the child's INFO is not an error because it went to stderr.
    Memory stays bounded (line by line). Returns the exit code; raises subprocess.TimeoutExpired when the
    child ran past `timeout` (it is killed first)."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace") as proc:
        assert proc.stdout is not None
        reader = threading.Thread(target=_relay_lines, args=(proc.stdout,), name="crawl-log-relay", daemon=True)
        reader.start()
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            reader.join(timeout=10)  # EOF follows the exit unless a grandchild still holds the pipe


def _relay_lines(stream: IO[str]) -> None:
    child_log = logging.getLogger("crawler.run")
    for line in iter(lambda: stream.readline(MAX_LOG_LINE), ""):
        relay(line, child_log)


def contact_missing(settings: Settings, source: str) -> str | None:
    """Why a real site (a profile with provenance) may not be crawled yet: no PROVNEWS_CONTACT for its
    User-Agent. The child checks it too; here it is a problem line before any process starts."""
    from sources.config import SourceConfigError, find_source

    if settings.contact.strip():
        return None
    try:
        real = find_source(settings.sources_dir, source).real_site
    except SourceConfigError:
        return None  # the child reports the broken profile as it always has
    return ("PROVNEWS_CONTACT is not set: a real site is crawled only with a contact (e-mail address or URL) "
            "in the User-Agent") if real else None


def crawl(settings: Settings, source: str, day: date, backfill: bool = False, *,
          overrides: dict[str, Any] | None = None, max_error_rate: float = DEFAULT_MAX_ERROR_RATE,
          timeout: float = DEFAULT_TIMEOUT_S, run_id: str | None = None) -> CrawlResult:
    """Crawl `source` for `day` in a Scrapy subprocess; `overrides` are Scrapy settings (e.g. delays off)."""
    run_id = run_id or new_run_id(day)
    root = settings.warehouse_root
    # on S3 the child writes its stats to a local spool file, uploaded beside the WARC object below
    stats_path = (Path(tempfile.gettempdir()) / "provnews-stats" / f"{run_id}.stats.json" if isinstance(root, S3Root)
                  else crawl_stats_path(root, check_source(source), day, run_id))
    # the child logs JSON lines whatever PROVNEWS_LOG_FORMAT says: run_relaying_logs reads them back
    settings_for_child = {"LOG_LEVEL": settings.log_level.upper(), **(overrides or {}), "PROVNEWS_LOG_FORMAT": "json"}
    if (missing := contact_missing(settings, source)) is not None:
        log.error("crawl refused", extra={"source": source, "day": day.isoformat(), "problems": missing})
        return CrawlResult(source, day, run_id, backfill, 2, None, stats_path, [missing])
    cmd = command(settings, source, day, run_id, stats_path, backfill, settings_for_child)
    log.info("crawl started", extra={"source": source, "day": day.isoformat(), "run_id": run_id,
                                     "backfill": backfill})
    started = time.monotonic()
    try:
        returncode = run_relaying_logs(cmd, timeout)
    except subprocess.TimeoutExpired:
        returncode = -1
        log.error("crawl timed out", extra={"source": source, "timeout_s": timeout})
    stats = CrawlStats.read(stats_path) if stats_path.exists() else None
    if isinstance(root, S3Root) and stats_path.exists():
        upload(root, stats_path, crawl_stats_relative(source, day, run_id))
        stats_path.unlink()
    problems = judge(stats, returncode, max_error_rate)
    result = CrawlResult(source, day, run_id, backfill, returncode, stats, stats_path, problems)
    level = logging.INFO if result.ok else logging.ERROR
    said = stats.in_words(FINISH_WORDS) if stats else dict.fromkeys(FINISH_WORDS)
    log.log(level, "crawl finished" if result.ok else "crawl failed",
            extra={"source": source, "day": day.isoformat(), **said,
                   "seconds": round(time.monotonic() - started, 1), "problems": "; ".join(problems) or None})
    return result


# what the parent's finish line says of the child's stats (crawler.crawl_stats.WORDS)
FINISH_WORDS = ("pages_fetched", "not_modified", "errors", "article_pages_new", "error_rate")
