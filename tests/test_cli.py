"""The `provnews` command line: every subcommand is listed and explains itself."""

from __future__ import annotations

import pytest

from provnews.cli import COMMAND_MODULES, main


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for name in COMMAND_MODULES:
        assert f"    {name}" in out
    assert "PROVNEWS_WAREHOUSE" in out


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) > 5


def test_unknown_command_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["crawll"])
    assert done.value.code == 2
    assert "invalid choice: 'crawll'" in capsys.readouterr().err
