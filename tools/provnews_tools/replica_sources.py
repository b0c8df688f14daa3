"""The shipped source profiles point at the replica on port 8377; this re-points copies at another port, and
writes profiles for a replica world of any size (one per site, from the shipped profile of its family)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from provnews.settings import PACKAGE_SOURCES_DIR

if TYPE_CHECKING:
    from replica.world import World

SOURCE_PORT = 8377  # the port written in sources/profiles/*.yaml
_SHIPPED_HOST = re.compile(rf"127\.0\.0\.\d+:{SOURCE_PORT}")


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


def write_world_sources(world: World, port: int, dest: Path, politeness: Mapping[str, Any] | None = None,
                        src: Path = PACKAGE_SOURCES_DIR) -> list[str]:
    """One profile per site of `world` (e.g. 150 sites), made from the shipped profile of its family: the
    first site of each family in the catalogue is a shipped one, the others (`baohaiduong2`, ...) take its
    profile with their own id, name, address and province; `politeness` overrides its politeness block.
    Returns the ids written."""
    templates: dict[str, str] = {}
    for site in world.sites:
        templates.setdefault(site.family.value, site.id)  # the catalogue starts with the shipped sites
    dest.mkdir(parents=True, exist_ok=True)
    for site in world.sites:
        template = src / f"{templates[site.family.value]}.yaml"
        doc = yaml.safe_load(_SHIPPED_HOST.sub(f"{site.host}:{port}", template.read_text(encoding="utf-8")))
        doc.update(id=site.id, name=site.name,
                   province={"as_written": site.province, "current": site.province_current})
        doc["politeness"] = {**doc.get("politeness", {}), **(politeness or {})}
        (dest / f"{site.id}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    return [site.id for site in world.sites]
