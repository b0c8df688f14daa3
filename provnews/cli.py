"""The `provnews` command line. Subcommands live in provnews/commands/, one module each."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from provnews import __version__, log
from provnews.settings import Settings

# Order here is the order in `provnews --help`.
COMMAND_MODULES = (
    "replica", "sources", "crawl", "extract", "transform", "load", "run", "reprocess", "query", "report",
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or just the one subcommand `only` (so a command imports only its own stage)."""
    parser = argparse.ArgumentParser(
        prog="provnews",
        description="Crawl Vietnamese provincial news sites, extract articles and land them as Parquet.",
        epilog="Environment: PROVNEWS_WAREHOUSE (default ./data/warehouse), PROVNEWS_SOURCES_DIR, "
        "PROVNEWS_LOG_LEVEL, PROVNEWS_LOG_FORMAT (text|json). Run `provnews COMMAND --help` for details.",
    )
    parser.add_argument("--version", action="version", version=f"provnews {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        if only is None or name == only:
            importlib.import_module(f"provnews.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMAND_MODULES else None)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    log.setup(settings.log_level, settings.log_format)
    code: int = args.func(args, settings)
    return code


if __name__ == "__main__":
    sys.exit(main())
