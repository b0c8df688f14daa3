"""`provnews extract` on a batch of saved pages, each with its own URL: `--urls LIST`, `FILE=URL` arguments and
`--jsonl IN`. The URL is where a page without a date in its markup gets its date (/2024/05/17/, -20240521-)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from provnews.cli import main

PAGES = Path(__file__).parent / "fixtures" / "pages"
UNDATED = PAGES / "undated_article.html"  # an article with no date anywhere in its markup
MAY_17 = "https://baohaiduong.vn/kinh-te/2024/05/17/vai-thieu-thanh-ha.html"
MAY_21 = "https://baohaiduong.vn/kinh-te/vai-thieu-xuat-khau-20240521.html"


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of saved pages (two undated articles and a listing), the working directory of the test."""
    (tmp_path / "a.html").write_bytes(UNDATED.read_bytes())
    (tmp_path / "b.html").write_bytes(UNDATED.read_bytes())
    (tmp_path / "listing.html").write_bytes((PAGES / "baohaiduong_listing.html").read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def extract(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    """Run `provnews extract ARGV`: its exit code and the JSON lines it printed."""
    code = main(["extract", *argv])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def extract_stdin(argv: list[str], stdin: bytes, cwd: Path) -> list[dict[str, Any]]:
    out = subprocess.run([sys.executable, "-m", "provnews.cli", "extract", *argv], input=stdin, cwd=cwd,
                         capture_output=True, check=True, timeout=120)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def test_without_their_urls_a_batch_of_undated_pages_has_no_dates(saved: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, rows = extract(["a.html", "b.html"], capsys)
    assert code == 0
    assert [(row["url"], row["published_date"]) for row in rows] == [
        ((saved / "a.html").as_uri(), None), ((saved / "b.html").as_uri(), None)]


def test_urls_list_gives_each_page_of_a_batch_its_own_url_and_date(saved: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (saved / "urls.txt").write_text(f"{MAY_17}\n{MAY_21}\r\n", encoding="utf-8")  # a CRLF line end is fine
    code, rows = extract(["a.html", "b.html", "--urls", "urls.txt"], capsys)
    assert code == 0
    assert [(row["url"], row["published_date"]) for row in rows] == [(MAY_17, "2024-05-17"), (MAY_21, "2024-05-21")]
    assert rows[0]["title"] == "Nông dân Hải Dương thu hoạch vải thiều sớm"


def test_file_url_pairs_split_at_the_first_equals_sign_that_starts_a_url(
        saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (saved / "a.html").rename(saved / "page=1&x=https.html")  # '=' in a path, even before "https"
    listing = "https://baohaiduong.vn/kinh-te/?page=2"
    code, rows = extract([f"page=1&x=https.html={MAY_17}", f"b.html={MAY_21}", f"listing.html={listing}",
                          "b.html"], capsys)
    assert code == 0
    assert [row["url"] for row in rows] == [MAY_17, MAY_21, listing, (saved / "b.html").as_uri()]
    assert [row.get("published_date") for row in rows] == ["2024-05-17", "2024-05-21", None, None]
    assert rows[2]["quarantine"] == "listing"  # not an article: its reason, not a missing line


def test_one_file_keeps_its_url_option(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, [row] = extract(["a.html", "--url", MAY_17], capsys)
    assert (code, row["url"], row["published_date"]) == (0, MAY_17, "2024-05-17")


def test_json_lines_on_stdin_name_files_or_carry_the_html(saved: Path) -> None:
    html = UNDATED.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
    lines = [
        {"path": "a.html", "url": MAY_17},
        {"html": html, "url": MAY_21},  # decoded text: read as UTF-8 whatever its <meta> says
        {"path": "listing.html", "url": "https://baohaiduong.vn/kinh-te/", "content_type": "text/html"},
        {"path": "missing.html", "url": MAY_17},
    ]
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines[:2]) + "\n\n" + \
        "\n".join(json.dumps(line) for line in lines[2:])  # a blank line is skipped; no final newline
    out = subprocess.run([sys.executable, "-m", "provnews.cli", "extract", "--jsonl", "-"], input=stdin.encode(),
                         cwd=saved, capture_output=True, timeout=120)
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert out.returncode == 1  # a page file that cannot be read
    assert [row["url"] for row in rows] == [MAY_17, MAY_21, "https://baohaiduong.vn/kinh-te/", MAY_17]
    assert [row["published_date"] for row in rows[:2]] == ["2024-05-17", "2024-05-21"]
    assert rows[1]["title"] == "Nông dân Hải Dương thu hoạch vải thiều sớm" and rows[1]["flags"] == []
    assert rows[2]["quarantine"] == "listing"
    assert (rows[3]["quarantine"], rows[3]["detail"]) == ("unreadable-file", "missing.html: No such file or directory")


def test_a_page_on_stdin_takes_its_url_too(saved: Path) -> None:
    [row] = extract_stdin(["-", "--url", MAY_21], UNDATED.read_bytes(), saved)
    assert (row["url"], row["published_date"]) == (MAY_21, "2024-05-21")


def test_an_unreadable_file_is_a_quarantine_line_and_the_batch_goes_on(saved: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, rows = extract([f"gone.html={MAY_17}", f"b.html={MAY_21}"], capsys)
    assert code == 1
    assert rows[0] == {"url": MAY_17, "quarantine": "unreadable-file", "detail": "gone.html: No such file or directory",
                       "extractor_version": rows[0]["extractor_version"]}
    assert rows[1]["published_date"] == "2024-05-21"


def test_a_page_over_the_size_bound_is_read_no_further_and_quarantined(
        saved: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROVNEWS_MAX_PAGE_BYTES", "1000")
    (saved / "in.jsonl").write_text(json.dumps({"html": "<p>" + "x" * 2000 + "</p>", "url": MAY_21}) + "\n",
                                    encoding="utf-8")
    _, [from_file] = extract([f"a.html={MAY_17}"], capsys)
    _, [inline] = extract(["--jsonl", "in.jsonl"], capsys)
    assert (from_file["quarantine"], from_file["detail"]) == (
        "too-large", f"{UNDATED.stat().st_size} bytes, over the limit of 1000 (PROVNEWS_MAX_PAGE_BYTES)")
    assert (inline["quarantine"], inline["detail"]) == (
        "too-large", "2007 bytes, over the limit of 1000 (PROVNEWS_MAX_PAGE_BYTES)")


GOOD = json.dumps({"path": "a.html", "url": MAY_17})


@pytest.mark.parametrize(("argv", "files", "message"), [
    (["a.html", "b.html", "--url", MAY_17], {},
     "argument --url: one URL for 2 files; give each its own with FILE=URL, --urls LIST or --jsonl IN"),
    (["a.html", "b.html", "--urls", "urls.txt"], {"urls.txt": f"{MAY_17}\n"},
     "urls.txt: 1 URL for 2 files (--urls: one URL per line, in the order of the files)"),
    (["a.html", "--urls", "urls.txt"], {"urls.txt": f"{MAY_17}\n{MAY_21}\n{MAY_21}\n"},
     "urls.txt: 3 URLs for 1 file (--urls: one URL per line, in the order of the files)"),
    (["a.html", "b.html", "--urls", "urls.txt"], {"urls.txt": f"\n{MAY_21}\n"},
     "urls.txt line 1: empty (--urls: one URL per line, in the order of the files)"),
    (["a.html", "b.html", "--urls", "urls.txt"], {"urls.txt": f"{MAY_17}\n/2024/05/21/b.html\n"},
     "urls.txt line 2: not an absolute http(s) URL: '/2024/05/21/b.html'"),
    (["a.html", "--urls", "nowhere.txt"], {}, "argument --urls: nowhere.txt: No such file or directory"),
    ([f"a.html={MAY_17}", "b.html", "--urls", "urls.txt"], {"urls.txt": f"{MAY_17}\n{MAY_21}\n"},
     f"argument 'a.html={MAY_17}': FILE=URL not with --urls (one way of giving URLs per run)"),
    (["a.html=https://", "b.html"], {}, "argument a.html=URL: not an absolute http(s) URL: 'https://'"),
    ([f"={MAY_17}"], {}, f"argument '={MAY_17}': no FILE before '='"),
    (["a.html", "--url", "https://example.vn/" + "x" * 2100], {},
     "argument --url: URL of 2119 characters, over URLLENGTH_LIMIT (2083)"),
    (["-", "-"], {}, "argument FILE: `-` (stdin) given more than once"),
    ([], {}, "no pages: give FILE… or --jsonl IN (see provnews extract --help)"),
    (["a.html", "--jsonl", "in.jsonl"], {"in.jsonl": GOOD}, "argument --jsonl: not with FILE (its lines name"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": GOOD + "\n{\"path\": \"b.html\", \"url\": }\n"},
     "in.jsonl line 2: not JSON: Expecting value at column 27"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": GOOD + "\n\n" + json.dumps({"path": "b.html", "URL": MAY_21})},
     "in.jsonl line 3: field 'URL': unknown (the fields: path, html, url, content_type)"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"path": "b.html"})}, "in.jsonl line 1: field 'url': missing"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"url": MAY_17})},
     "in.jsonl line 1: field 'path' or 'html': missing (exactly one)"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"path": "a.html", "html": "<p>", "url": MAY_17})},
     "in.jsonl line 1: field 'path' or 'html': both given (exactly one)"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"path": 7, "url": MAY_17})},
     "in.jsonl line 1: field 'path': not a string"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"path": "a.html", "url": "ftp://x/2024/05/17/a"})},
     "in.jsonl line 1: field 'url': not an absolute http(s) URL: 'ftp://x/2024/05/17/a'"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps({"html": "<p>", "url": MAY_17, "content_type": "text/html"})},
     "in.jsonl line 1: field 'content_type': not with 'html' (its text is read as UTF-8)"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": json.dumps([GOOD])},
     "in.jsonl line 1: not a JSON object (want {\"path\" or \"html\", \"url\"})"),
    (["--jsonl", "in.jsonl"], {"in.jsonl": GOOD + "\n" + json.dumps({"html": "x" * 300, "url": MAY_21})},
     "in.jsonl line 2: over 256 bytes (PROVNEWS_MAX_INPUT_LINE_BYTES)"),
    (["--jsonl", "nowhere.jsonl"], {}, "argument --jsonl: nowhere.jsonl: No such file or directory"),
])
def test_bad_input_is_one_line_naming_it(saved: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], argv: list[str],
                                         files: dict[str, str], message: str) -> None:
    monkeypatch.setenv("PROVNEWS_MAX_INPUT_LINE_BYTES", "256")
    for name, text in files.items():
        (saved / name).write_text(text, encoding="utf-8")
    assert main(["extract", *argv]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    [line] = captured.err.splitlines()
    assert line.startswith(f"provnews extract: error: {message}")
    # the lines before a bad JSON line were extracted and printed; a bad argument stops before any page
    printed = [json.loads(row)["url"] for row in captured.out.splitlines()]
    assert printed == ([MAY_17] if files.get("in.jsonl", "").startswith(GOOD + "\n") else [])


def test_a_url_list_that_is_not_utf8_names_its_line(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (saved / "urls.txt").write_bytes(f"{MAY_17}\n".encode() + b"https://baohaiduong.vn/v\xe1i.html\n")
    assert main(["extract", "a.html", "b.html", "--urls", "urls.txt"]) == 2
    assert capsys.readouterr().err == "provnews extract: error: urls.txt line 2: not UTF-8: byte 0xe1 at offset 24\n"
