"""The `provnews` command line. Subcommands live in provnews/commands/, one module each; other distributions
add theirs through the `provnews.commands` entry point group (provnews-tools: `provnews replica`).

An error meant for a person (a bad argument, setting or source profile) is one line naming it, exit 2; any
other failure is one line too, exit 1; `provnews --debug COMMAND …` also prints the traceback."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import NoReturn

from crawler import log
from provnews import __version__
from provnews.commands import UsageError, check_days
from provnews.settings import Settings, SettingsError
from warehouse.storage import check_reachable

# provnews's own subcommands (provnews/commands/NAME.py); order here is the order in `provnews --help`.
OWN_COMMANDS = ("sources", "crawl", "extract", "transform", "load", "run", "reprocess", "query", "search", "report")
# Other distributions add subcommands under this entry point group: provnews-tools adds `replica`.
COMMANDS_GROUP = "provnews.commands"


def command_modules() -> dict[str, str]:
    """Each subcommand's module: the ones installed distributions add first, then provnews's own."""
    added = {ep.name: ep.value for ep in entry_points(group=COMMANDS_GROUP)}
    return {**added, **{name: f"provnews.commands.{name}" for name in OWN_COMMANDS}}


COMMAND_MODULES = command_modules()


class _Parser(argparse.ArgumentParser):
    """argparse with its errors on one line (without the usage block); subcommands' parsers are this class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or just the one subcommand `only` (so a command imports only its own stage)."""
    parser = _Parser(
        prog="provnews",
        description="Crawl Vietnamese provincial news sites, extract articles and land them as Parquet.",
        epilog="Environment: PROVNEWS_WAREHOUSE (default ./data/warehouse), PROVNEWS_SOURCES_DIR, "
        "PROVNEWS_LOG_LEVEL, PROVNEWS_LOG_FORMAT (text|json), and the bounds of README's \"Limits and failure "
        "modes\". Run `provnews COMMAND --help` for details.",
    )
    parser.add_argument("--version", action="version", version=f"provnews {__version__}")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an error, too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMAND_MODULES.items():
        if only is None or name == only:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMAND_MODULES else None)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        check_days(args, settings)
        log.setup(settings.log_level, settings.log_format)
        check_reachable(settings.warehouse_root)  # an s3:// one: endpoint down or bucket missing, in one line
        code: int = args.func(args, settings)
        sys.stdout.flush()  # here, not at exit: a reader that stopped early is handled below
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:  # noqa: BLE001 - the edge: a person gets one line, not a traceback
        if args.debug:
            traceback.print_exc()
        return _report(exc, f"provnews {args.command}")
    return code


def _reader_gone() -> int:
    """The output's reader stopped reading (`provnews query ... | head`): stop quietly, as a command killed by
    SIGPIPE does (exit 141); what is still buffered goes nowhere (the recipe in Python's `signal` docs)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


def _report(exc: Exception, prog: str) -> int:
    """Print `exc` for a person; its exit code (2: an argument, setting or profile to fix; 1: anything else)."""
    from sources.config import SourceConfigError

    if isinstance(exc, UsageError | SettingsError | SourceConfigError):
        for line in str(exc).splitlines():  # a profile with several bad fields: one line each
            print(f"{prog}: error: {line}", file=sys.stderr)
        return 2
    text = " ".join(str(exc).split()) or "(no message)"
    print(f"{prog}: error: {type(exc).__name__}: {text} (--debug shows the traceback)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
