"""The shipped source profiles point at the replica on port 8377; this re-points copies at another port."""

from __future__ import annotations

from pathlib import Path

from provnews.settings import PACKAGE_SOURCES_DIR

SOURCE_PORT = 8377  # the port written in crawler/sources/*.yaml


def write_sources(dest: Path, port: int, src: Path = PACKAGE_SOURCES_DIR) -> list[Path]:
    """Copy the source profiles (*.yaml) from `src` to `dest`, pointing their replica URLs at `port`."""
    profiles = sorted(src.glob("*.yaml"))
    if not profiles:
        raise FileNotFoundError(f"no source profiles (*.yaml) in {src}")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for profile in profiles:
        target = dest / profile.name
        target.write_text(profile.read_text(encoding="utf-8").replace(f":{SOURCE_PORT}", f":{port}"),
                          encoding="utf-8")
        written.append(target)
    return written


def sources_for_port(port: int, workdir: Path) -> Path:
    """The directory of profiles for a replica on `port`: the shipped one, or re-pointed copies in `workdir`."""
    if port == SOURCE_PORT:
        return PACKAGE_SOURCES_DIR
    write_sources(workdir / "sources", port)
    return workdir / "sources"
