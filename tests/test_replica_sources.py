"""The shipped source profiles, re-pointed at a replica on another port."""

from __future__ import annotations

from pathlib import Path

from provnews.settings import PACKAGE_SOURCES_DIR
from provnews_tools.replica_sources import SOURCE_PORT, sources_for_port, write_sources
from sources.config import load_sources


def test_copies_point_at_the_new_port_and_still_validate(tmp_path: Path) -> None:
    written = write_sources(tmp_path, 18999)
    assert sorted(p.name for p in written) == sorted(p.name for p in PACKAGE_SOURCES_DIR.glob("*.yaml"))
    sources = load_sources(tmp_path)
    for source in sources.values():
        assert all(":18999/" in url for url in source.start_urls)
        assert f":{SOURCE_PORT}" not in (tmp_path / f"{source.id}.yaml").read_text(encoding="utf-8")


def test_the_default_port_uses_the_shipped_profiles(tmp_path: Path) -> None:
    assert sources_for_port(SOURCE_PORT, tmp_path) == PACKAGE_SOURCES_DIR
    assert not (tmp_path / "sources").exists()
    assert sources_for_port(18999, tmp_path) == tmp_path / "sources"
