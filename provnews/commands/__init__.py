"""One module per `provnews` subcommand. Each exposes `register(subparsers)` that adds its parser
and sets `func` to a handler `(args, settings) -> int` (the exit code)."""


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 sitemap`, `2 sitemaps`: a count and its noun, for what the commands print."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
