"""One module per `provnews` subcommand. Each exposes `register(subparsers)` that adds its parser
and sets `func` to a handler `(args, settings) -> int` (the exit code)."""
