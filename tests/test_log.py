"""Logging: `key=value` text lines say each value once, and a child process's log lines keep their level
when the parent relays them (the crawler's INFO must not become an error because it came on stderr)."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest

from crawler.log import JsonFormatter, TextFormatter, relay
from provnews.stages.crawl import MAX_LOG_LINE, run_relaying_logs


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("provnews.stages.report", logging.INFO, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def text(rec: logging.LogRecord) -> str:
    return TextFormatter().format(rec).split(" ", 1)[1]  # without the clock


def test_a_key_value_the_message_already_says_is_not_repeated() -> None:
    rec = record("counts %s", "baohaiduong 2026-11-21: pages_fetched=4 errors=0",
                 source="baohaiduong", day="2026-11-21", pages_fetched=4, errors=0, quarantined=1)
    assert text(rec) == ("INFO    provnews.stages.report: counts baohaiduong 2026-11-21: pages_fetched=4 errors=0 "
                         "quarantined=1")


def test_only_whole_words_count_as_said() -> None:
    rec = record("not_modified=40 seen on 2026-11-21", modified=4, not_modified=40, day="2026-11-2",
                 source="baohaiduong", errors=40)
    assert text(rec) == ("INFO    provnews.stages.report: not_modified=40 seen on 2026-11-21 modified=4 day=2026-11-2 "
                         "source=baohaiduong errors=40")


def relayed(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, str]]:
    return [(r.name, r.levelname, r.getMessage()) for r in caplog.records]


def test_a_json_line_is_logged_again_at_its_level_with_its_fields(caplog: pytest.LogCaptureFixture) -> None:
    child = record("crawl finished", pages_fetched=12)
    child.name, child.levelno, child.levelname = "crawler.run", logging.INFO, "INFO"
    with caplog.at_level(logging.INFO):
        relay(JsonFormatter().format(child) + "\n", logging.getLogger("fallback"))
        relay("a stray print\n", logging.getLogger("fallback"))
        relay("\n", logging.getLogger("fallback"))
    assert relayed(caplog) == [("crawler.run", "INFO", "crawl finished"), ("fallback", "WARNING", "a stray print")]
    assert caplog.records[0].pages_fetched == 12  # type: ignore[attr-defined]


def test_a_child_traceback_reaches_the_parent_formatted(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise ValueError("bad page")
    except ValueError:
        child = logging.LogRecord("crawler.run", logging.ERROR, __file__, 1, "crawl crashed", None, sys.exc_info())
    with caplog.at_level(logging.INFO):
        relay(JsonFormatter().format(child), logging.getLogger("fallback"))
    line = TextFormatter().format(caplog.records[0])
    assert "ERROR   crawler.run: crawl crashed\nTraceback (most recent call last):" in line
    assert line.endswith("ValueError: bad page")


CHILD = """
import logging, warnings
from crawler.log import setup
setup("INFO", "json")
logging.captureWarnings(True)
logging.getLogger("crawler.run").info("crawl started %s", "baohaiduong", extra={"day": "2026-11-21"})
logging.getLogger("scrapy.core.engine").debug("below the level: never relayed")
warnings.warn("old setting")
print("x" * LONG, flush=True)
logging.getLogger("crawler.spiders.news").error("listing failed")
"""


def test_the_crawl_stage_relays_its_child_line_by_line(caplog: pytest.LogCaptureFixture) -> None:
    long = 2 * MAX_LOG_LINE + 10
    with caplog.at_level(logging.INFO):
        code = run_relaying_logs([sys.executable, "-c", CHILD.replace("LONG", str(long))], timeout=60)
    assert code == 0
    got = relayed(caplog)
    assert got[0] == ("crawler.run", "INFO", "crawl started baohaiduong")
    assert caplog.records[0].day == "2026-11-21"  # type: ignore[attr-defined]
    assert got[1][:2] == ("py.warnings", "WARNING") and "UserWarning: old setting" in got[1][2]
    pieces = got[2:-1]  # the long print: relayed in bounded pieces, as warnings of the crawler
    assert {(name, level) for name, level, _ in pieces} == {("crawler.run", "WARNING")}
    assert [len(msg) for _, _, msg in pieces] == [MAX_LOG_LINE, MAX_LOG_LINE, 10]
    assert got[-1] == ("crawler.spiders.news", "ERROR", "listing failed")


def test_a_child_past_its_timeout_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_relaying_logs([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    assert time.monotonic() - started < 10
