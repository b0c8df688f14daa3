"""`provnews sources probe URL` on the replica: for every site family, with its shipped profile removed, the probe
reads the home page and proposes a profile; a first run (backfill) with that profile alone must land at least
98 % of the site's gold articles with the right title and publication time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from crawl_helpers import FAST
from replica_fixture import Replica, candidate_port, start_replica

from provnews.cli import main
from provnews.settings import PACKAGE_SOURCES_DIR, Settings
from provnews.stages.run import run
from provnews_tools.replica_sources import SOURCE_PORT
from replica.world import World, WorldConfig
from sources.config import load_source
from warehouse.views import connect

# enough articles that listings paginate (party: 10 a page, 24 per category), small enough to stay quick
PROBE_WORLD = WorldConfig(per_day=6, days=8)
SITES = sorted(p.stem for p in PACKAGE_SOURCES_DIR.glob("*.yaml"))
GOLD_SHARE = 0.98


@pytest.fixture(scope="module")
def probe_replica() -> Iterator[Replica]:
    with start_replica(PROBE_WORLD) as rep:
        yield rep


def home_page(site: str, port: int) -> str:
    """The site's home page as its shipped profile names it (the first start URL), on the replica's port."""
    return load_source(PACKAGE_SOURCES_DIR / f"{site}.yaml").start_urls[0].replace(f":{SOURCE_PORT}", f":{port}")


def gold_figures(settings: Settings, world: World, site: str, rep: Replica) -> dict[str, int]:
    """Of the site's gold articles: how many landed, with the right title, with the right publication time,
    and with both."""
    con = connect(settings.warehouse)
    try:
        rows = con.execute("select url, title, published_at from articles where source = ?", [site]).fetchall()
    finally:
        con.close()
    landed = {url: (title, published) for url, title, published in rows}
    figures = dict.fromkeys(("gold", "landed", "title", "date", "both"), 0)
    for article in world.articles(site, rep.today):
        got = landed.get(world.site(site).base_url(rep.port) + article.path)
        title = got is not None and got[0] == article.title
        when = got is not None and got[1] == article.ref.published_at
        for name, hit in (("gold", True), ("landed", got is not None), ("title", title), ("date", when),
                          ("both", title and when)):
            figures[name] += hit
    return figures


@pytest.mark.slow
@pytest.mark.parametrize("site", SITES)
def test_probed_profile_lands_the_gold_articles(site: str, probe_replica: Replica, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "sources"  # only the probed profile: the shipped one is not there
    monkeypatch.setenv("PROVNEWS_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PROVNEWS_CONTACT", "mailto:ops@example.org")  # a probed site is a real site to the crawler
    out = sources / f"{site}.yaml"
    assert main(["sources", "probe", home_page(site, probe_replica.port), "--id", site, "--delay", "0",
                 "--out", str(out)]) == 0
    report = capsys.readouterr().out
    assert f"profile written to {out}" in report
    profile = load_source(out)  # valid against the one profile schema
    assert profile.selectors.model_dump(exclude_defaults=True) == {}  # the generic extractor, no selectors
    assert "selectors: none: the generic extractor read the sample" in report  # each with a title and a date
    assert not profile.enabled  # a proposal: run by name, enabled by the user
    assert profile.provenance is not None and not profile.provenance.verified

    settings = Settings(warehouse=tmp_path / "warehouse", sources_dir=sources, contact="mailto:ops@example.org")
    result = run(settings, site, probe_replica.today, crawl_overrides=FAST)  # a first run: it backfills
    assert result.status != "failed", result.problem
    fig = gold_figures(settings, probe_replica.world, site, probe_replica)
    line = (f"{site}: gold {fig['gold']}, landed {fig['landed']}, right title {fig['title']}, right date "
            f"{fig['date']}, both {fig['both']}")
    print(f"{line}\n{report}")
    assert fig["gold"] > 0
    assert fig["both"] / fig["gold"] >= GOLD_SHARE, f"{line}\n{yaml.safe_dump(profile.model_dump(mode='json'))}"


@pytest.mark.slow
def test_an_unreachable_home_page_is_one_line_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{candidate_port('127.0.0.1')}/"  # nothing listens there
    assert main(["sources", "probe", url, "--delay", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {url}: the home page could not be read (")
    assert "connection refused" in err[-1]


def test_an_existing_out_file_is_kept_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.yaml"
    out.write_text("kept", encoding="utf-8")
    assert main(["sources", "probe", "http://127.0.0.1:9/", "--out", str(out)]) == 2
    assert "exists (give --force to overwrite)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept"


def test_a_real_site_is_probed_only_with_a_contact(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PROVNEWS_CONTACT", raising=False)
    assert main(["sources", "probe", "https://baohaiduong.vn/"]) == 2  # refused before any request
    err = capsys.readouterr().err.strip()
    assert err == ("provnews sources: error: argument URL: https://baohaiduong.vn/ is a real site: "
                   "set PROVNEWS_CONTACT (an e-mail address or URL for the User-Agent) before probing it")
