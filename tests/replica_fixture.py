"""A running replica for tests: a small world served on a free port of 127.0.0.2..N, and source profiles
rewritten to point at it.

Use the pytest fixtures from tests/conftest.py (`replica`, session-wide; `make_replica`, per test), or this
module directly:

    with start_replica(WorldConfig(per_day=3, days=6)) as rep:
        rep.write_sources(tmp_path / "sources")      # for PROVNEWS_SOURCES_DIR
        urllib.request.urlopen(rep.url("baohaiduong", "/robots.txt"))
"""

from __future__ import annotations

import contextlib
import random
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType

import yaml

from provnews.settings import PACKAGE_SOURCES_DIR
from provnews_tools.replica_sources import write_sources
from replica.faults import Faults
from replica.server import ReplicaBindError, ReplicaServer
from replica.world import World, WorldConfig

SMALL_WORLD = WorldConfig(per_day=3, days=6)


@dataclass
class Replica:
    """A started replica server and what tests need around it."""

    server: ReplicaServer
    world: World
    port: int

    @property
    def today(self) -> date:
        return self.server.today

    def set_today(self, day: date) -> date:
        """Move the replica's clock; returns the previous day so a test can put it back."""
        previous = self.server.today
        self.server.today = day
        return previous

    @contextlib.contextmanager
    def at(self, day: date) -> Iterator[Replica]:
        """Serve as of `day` inside the block, then restore the clock (safe on the shared fixture)."""
        previous = self.set_today(day)
        try:
            yield self
        finally:
            self.server.today = previous

    def url(self, site_id: str, path: str = "/") -> str:
        return self.world.site(site_id).base_url(self.port) + path

    def write_sources(self, dest: Path, src: Path = PACKAGE_SOURCES_DIR) -> list[Path]:
        return write_sources(dest, self.port, src)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


MakeReplica = Callable[..., Replica]  # the `make_replica` fixture: (config, today, faults) -> Replica


def write_fast_sources(dest: Path, port: int, only: tuple[str, ...] | list[str]) -> list[Path]:
    """The profiles of `only`, pointed at `port`, with politeness off (the replica is on loopback)."""
    written = []
    for path in write_sources(dest, port):
        if path.stem not in only:
            path.unlink()
            continue
        written.append(path)
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["politeness"].update(download_delay=0.0, autothrottle=False, concurrency=8)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return written


def candidate_port(host: str = "127.0.0.2") -> int:
    """A port the kernel says is free on `host` right now (the replica then checks every site address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def start_replica(
    config: WorldConfig = SMALL_WORLD,
    today: date | None = None,
    faults: Faults | None = None,
    attempts: int = 20,
    pick_port: Callable[[str], int] = candidate_port,
) -> Replica:
    """Start a replica of `config` on a port free on every site address (retrying on a clash); `pick_port`
    proposes a port free on one site's host (by default any the kernel gives)."""
    world = World(config)
    last_error: ReplicaBindError | None = None
    for _ in range(attempts):
        port = pick_port(world.sites[random.randrange(len(world.sites))].host)
        server = ReplicaServer(world, port, today or config.end, faults)
        try:
            server.start()
        except ReplicaBindError as exc:
            last_error = exc
            continue
        return Replica(server, world, port)
    raise RuntimeError(f"no free port for the replica after {attempts} attempts: {last_error}")
