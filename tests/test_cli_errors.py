"""Errors for people: a bad argument, setting or profile is one line naming it, exit 2, no traceback (unless
`--debug`); a source id never leaves the sources folder; a crawl day outside the window is refused; one broken
profile fails only its own source in `run --source all`."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest
from replica_fixture import Replica, write_fast_sources

from provnews.cli import main
from provnews.commands import UsageError, check_days, crawl_day, crawl_window
from provnews.settings import Settings
from provnews.stages.transform import load_profile
from sources.config import SourceConfigError, source_path
from warehouse.views import connect

PAGE = Path(__file__).parent / "fixtures" / "pages" / "baohaiduong_seed-002.html"
LATIN1 = "name: Thái Bình\n".encode("latin-1")  # not UTF-8: byte 0xe1 at offset 8


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sources folder with one good profile and one that is not UTF-8; an empty warehouse."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "baohaiduong.yaml").write_bytes((Settings().sources_dir / "baohaiduong.yaml").read_bytes())
    (folder / "latin1.yaml").write_bytes(LATIN1)
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(folder))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path / "wh"))
    return folder


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = err.splitlines()
    return line


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--source", "../../x", "--date", "2026-11-21"],
     "provnews run: error: argument --source: not a source id: '../../x' (lowercase letters, digits, '-' and "
     "'_') (see provnews run --help)"),
    (["extract", "--source", "../../etc/passwd", str(PAGE)], "argument --source: not a source id: '../../etc/passwd'"),
    (["sources", "show", "../baohaiduong"], "argument id: not a source id: '../baohaiduong'"),
    (["reprocess", "--since", "2026-11-01", "--until", "2026-11-21", "--source", "a/b"],
     "argument --source: not a source id: 'a/b'"),
    (["crawl", "--source", "baohaiduong", "--date", "0001-01-01"],
     "provnews crawl: error: argument --date: 0001-01-01 is outside the crawl days 1990-01-01 .. "),
    (["load", "--source", "baohaiduong", "--date", "9999-12-31"], "argument --date: 9999-12-31 is outside"),
    (["transform", "--source", "baohaiduong", "--date", "1989-12-31"], "argument --date: 1989-12-31 is outside"),
    (["run", "--source", "all", "--date", "2026-02-30"], "argument --date: not a date (YYYY-MM-DD): '2026-02-30'"),
    (["reprocess", "--since", "2026-11-21", "--until", "2026-11-01"],
     "provnews reprocess: error: argument --until: 2026-11-01 is before --since 2026-11-21"),
    (["report", "--since", "2026-11-21", "--until", "2026-11-01"],
     "provnews report: error: argument --until: 2026-11-01 is before --since 2026-11-21"),
    (["report", "--since", "1900-01-01"], "argument --since: 1900-01-01 is outside"),
    (["extract", "--source", "nope", str(PAGE)], "provnews extract: error: no source 'nope' in "),
    (["run", "--source", "nope", "--date", "2026-11-21"],
     "argument --source: no source 'nope' in "),
])
def test_a_bad_argument_is_one_line_naming_it(sources: Path, capsys: pytest.CaptureFixture[str],
                                             argv: list[str], message: str) -> None:
    try:
        code = main(argv)
    except SystemExit as done:  # argparse's own errors exit at parse time
        code = int(done.code or 0)
    assert code == 2
    assert message in one_error_line(capsys)


@pytest.mark.parametrize("argv", [["transform", "--source", "latin1", "--date", "2026-11-21"],
                                  ["load", "--source", "latin1", "--date", "2026-11-21"],
                                  ["run", "--source", "latin1", "--date", "2026-11-21"],
                                  ["crawl", "--source", "latin1", "--date", "2026-11-21"],
                                  ["extract", "--source", "latin1", str(PAGE)]])
def test_a_profile_that_is_not_utf8_is_one_line_naming_the_file(sources: Path, capsys: pytest.CaptureFixture[str],
                                                                argv: list[str]) -> None:
    assert main(argv) == 2
    assert one_error_line(capsys) == (f"provnews {argv[0]}: error: {sources / 'latin1.yaml'}: (file): not UTF-8 "
                                      "text: byte 0xe1 at offset 8")


def test_debug_shows_the_traceback_too(sources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "transform", "--source", "latin1", "--date", "2026-11-21"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "SourceConfigError" in err
    assert err.splitlines()[-1].endswith("(file): not UTF-8 text: byte 0xe1 at offset 8")


def test_an_unexpected_failure_is_one_line_too_exit_1(sources: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("provnews.stages.reprocess.reprocess", broken)
    assert main(["reprocess", "--since", "2026-11-01", "--until", "2026-11-21"]) == 1
    assert one_error_line(capsys) == ("provnews reprocess: error: RuntimeError: disk on fire second line "
                                      "(--debug shows the traceback)")


def test_a_source_id_never_names_a_path_outside_the_sources_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    settings = Settings(sources_dir=tmp_path / "sources")
    for bad in ("../secret", "/etc/passwd", "a/../../secret", "", ".hidden", "UPPER"):
        with pytest.raises(SourceConfigError, match="not a source id"):
            source_path(settings.sources_dir, bad)
        with pytest.raises(SourceConfigError, match="not a source id"):
            load_profile(settings, bad)
    assert source_path(settings.sources_dir, "baohaiduong") == tmp_path / "sources" / "baohaiduong.yaml"


def test_the_crawl_window_follows_a_clock_and_the_settings() -> None:
    today = date(2026, 11, 21)
    assert crawl_window(Settings(), today) == (date(1990, 1, 1), date(2026, 11, 22))  # a day ahead: zones
    for ok in ("1990-01-01", "2026-11-22"):
        args = argparse.Namespace(date=crawl_day(ok))
        check_days(args, Settings(), today)
        assert type(args.date) is date  # handed on as a plain date
    with pytest.raises(UsageError, match=r"^argument --date: 2026-11-23 is outside the crawl days 1990-01-01 \.\. "
                                         r"2026-11-22 \(PROVNEWS_EARLIEST_DAY, PROVNEWS_DAYS_AHEAD\)$"):
        check_days(argparse.Namespace(date=crawl_day("2026-11-23")), Settings(), today)
    wider = Settings(earliest_day=date(1900, 1, 1), days_ahead=7)
    check_days(argparse.Namespace(since=crawl_day("1900-01-01"), until=crawl_day("2026-11-28")), wider, today)


@pytest.mark.slow
def test_broken_profiles_fail_their_own_sources_and_the_others_run(
        replica: Replica, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sources"
    write_fast_sources(folder, replica.port, ["tinhuyhaiduong"])
    (folder / "alatin1.yaml").write_bytes(LATIN1)
    (folder / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(folder))
    monkeypatch.setenv("PROVNEWS_WAREHOUSE", str(tmp_path / "wh"))

    assert main(["run", "--source", "all", "--date", replica.today.isoformat()]) == 1
    reports = {r["source"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert list(reports) == ["alatin1", "broken", "tinhuyhaiduong"]
    assert reports["tinhuyhaiduong"]["status"] == "ok" and reports["tinhuyhaiduong"]["articles_new"] > 0
    assert reports["alatin1"]["status"] == "failed"
    assert reports["alatin1"]["problem"] == f"config: {folder / 'alatin1.yaml'}: (file): not UTF-8 text: byte 0xe1 " \
                                            "at offset 8"
    assert reports["broken"]["problem"].startswith(f"config: {folder / 'broken.yaml'}: (file): not valid YAML")
    con = connect(tmp_path / "wh")
    rows = con.execute("SELECT source, status FROM runs ORDER BY source").fetchall()
    assert rows == [("alatin1", "failed"), ("broken", "failed"), ("tinhuyhaiduong", "ok")]


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`provnews sources list --all | head -1`: no BrokenPipeError for the person, the exit code of SIGPIPE.
    The reader here is gone before the command writes its first line, so the broken pipe is certain."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "provnews", "sources", "list", "--all"], stdout=write_end,
                              stderr=subprocess.PIPE, timeout=60, check=False)
    finally:
        os.close(write_end)
    assert done.stderr.decode() == "" and done.returncode == 141
