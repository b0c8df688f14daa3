"""`provnews replica serve|gold|sites`: run the local replica of provincial news sites and write its truth."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from types import FrameType

from provnews.commands import counted
from provnews.settings import Settings
from replica.faults import Faults
from replica.world import DEFAULT_END, World, WorldConfig, local_today

DEFAULT_PORT = 8377

_DESCRIPTION = """\
The replica is an offline copy of the kind of Vietnamese provincial news sites this pipeline crawls: each site
is served on its own loopback address (127.0.0.2, 127.0.0.3, ...) on one port, with the markup, encodings and
discovery paths of a real CMS family, a clock (--today) and a gold record for every article."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "replica", help="serve the local replica of provincial news sites, or write its gold records",
        description=_DESCRIPTION,
    )
    sub = parser.add_subparsers(dest="replica_command", metavar="ACTION", required=True)
    _register_serve(sub)
    _register_gold(sub)
    _register_sites(sub)


def _world_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("world", "The same values always build the same sites and articles.")
    group.add_argument("--sites", type=int, default=WorldConfig.sites, metavar="N",
                       help=f"number of sites, served on 127.0.0.2..N+1 (default: {WorldConfig.sites})")
    group.add_argument("--per-day", type=int, default=WorldConfig.per_day, metavar="K",
                       help=f"articles per site per day, on average (default: {WorldConfig.per_day})")
    group.add_argument("--days", type=int, default=WorldConfig.days, metavar="D",
                       help=f"days of news, ending at --end (default: {WorldConfig.days})")
    group.add_argument("--seed", type=int, default=WorldConfig.seed, metavar="S",
                       help=f"generator seed (default: {WorldConfig.seed})")
    group.add_argument("--end", type=date.fromisoformat, metavar="DATE",
                       help="last day with news, YYYY-MM-DD (default: none: --days of news up to the first "
                       "day served, and news for every day after it)")


def _today_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=date.fromisoformat, metavar="DATE",
                        help="fix the replica's clock, YYYY-MM-DD: only articles published by then exist "
                        "(default: --end if given, else the machine's clock, today in Vietnam, moving on "
                        f"each midnight; the tests' fixed world is --end {DEFAULT_END})")


def _port_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="P",
                        help=f"{what} (default: {DEFAULT_PORT})")


def _register_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve", help="serve every site on 127.0.0.N:PORT until interrupted",
        description="Serve every replica site on its own loopback address, all on one port, until SIGINT or "
        "SIGTERM. Prints one line per site (id, family, base URL) once it listens. Example: "
        "`provnews replica serve --port 8377 --today 2026-11-10`.",
    )
    _port_argument(parser, "port every site listens on")
    _today_argument(parser)
    _world_arguments(parser)
    Faults.add_arguments(parser)
    parser.set_defaults(func=serve)


def _register_gold(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "gold", help="write the gold record of every article visible on --today (JSON lines)",
        description="Write what a perfect extractor returns for every article published by --today, one JSON "
        "object per line: URLs (for --port), title, lead, paragraphs, dates, authors, images, entities, ...",
    )
    _port_argument(parser, "port the URLs in the records point at")
    _today_argument(parser)
    parser.add_argument("--out", default="-", metavar="FILE",
                        help="output file, or - for standard output (default: -)")
    parser.add_argument("--site", metavar="ID", help="only this site")
    _world_arguments(parser)
    parser.set_defaults(func=gold)


def _register_sites(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sites", help="list the replica's sites: family, discovery, charset and base URL",
        description="List the sites of the replica world with their CMS family, how they advertise articles "
        "(discovery), how they encode text and where they are served.",
    )
    _port_argument(parser, "port shown in the base URLs")
    parser.add_argument("--json", action="store_true", help="one JSON object per site instead of a table")
    _world_arguments(parser)
    parser.set_defaults(func=sites)


def fixed_today(args: argparse.Namespace) -> date | None:
    """The day the replica's clock is fixed at, or None when it follows the machine's clock."""
    return getattr(args, "today", None) or args.end


def build_world(args: argparse.Namespace) -> World:
    """With --end, the world's news stops there; without, it has --days of history up to the first day served
    (--today or the clock) and news for every day after, so a moving clock brings new articles."""
    fields = {"seed": args.seed, "sites": args.sites, "per_day": args.per_day}
    if args.end is not None:
        return World(WorldConfig(days=args.days, end=args.end, **fields))
    return World(WorldConfig.following_the_clock(fixed_today(args) or local_today(), days=args.days, **fields))


# -- handlers ------------------------------------------------------------------------------------------


def serve(args: argparse.Namespace, settings: Settings) -> int:
    from replica.server import ReplicaBindError, ReplicaServer

    try:
        world = build_world(args)
        faults = Faults.from_args(args)
        server = ReplicaServer(world, args.port, fixed_today(args), faults)
    except (ValueError, KeyError) as exc:
        print(f"provnews replica serve: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
    except ReplicaBindError as exc:
        print(f"provnews replica serve: {exc}", file=sys.stderr)
        return 1
    try:
        for site, url in zip(world.sites, server.base_urls.values(), strict=True):
            print(f"{site.id:<24} {site.family.value:<11} {url:<28} ready", flush=True)
        clock = "following the clock" if server.follows_the_clock else "fixed"
        print(f"replica: {counted(len(world.sites), 'site')}, today {server.today} ({clock}), "
              f"faults {faults.describe()}; "
              "Ctrl-C stops", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def gold(args: argparse.Namespace, settings: Settings) -> int:
    from replica import gold as gold_records

    world = build_world(args)
    today = fixed_today(args) or local_today()
    chosen = [args.site] if args.site else None
    try:
        if args.site:
            world.site(args.site)
    except KeyError as exc:
        print(f"provnews replica gold: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.out != "-":
        count = gold_records.write(world, today, args.port, Path(args.out), chosen)
        print(f"{counted(count, 'gold record')} as of {today} written to {args.out}", file=sys.stderr)
        return 0
    try:
        for record in gold_records.records(world, today, args.port, chosen):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def sites(args: argparse.Namespace, settings: Settings) -> int:
    world = build_world(args)
    rows = [
        {"id": s.id, "name": s.name, "family": s.family.value, "discovery": s.discovery.value,
         "charset": s.charset.value, "nfd": s.nfd, "host": s.host, "base_url": s.base_url(args.port),
         "province": s.province, "province_current": s.province_current}
        for s in world.sites
    ]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    columns = ("id", "family", "discovery", "charset", "nfd", "base_url")
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())
    return 0
