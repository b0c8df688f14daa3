"""The replica server serves the messiness of real sites: encodings, a clock, validators, gzip and faults."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import lxml.html
import pytest
from replica_fixture import MakeReplica, Replica, candidate_port

import replica as replica_pkg
from provnews import cli
from replica import encoding, gold
from replica.faults import Fault, Faults
from replica.model import Article, Charset, Site
from replica.server import ReplicaBindError, ReplicaServer
from replica.world import World, WorldConfig, local_today

_KEY = re.compile(r"-(\d{8}-\d{2,3}|seed-\d{3})(?:\.html?|\.aspx)?(?=[\"'<?#;/])")


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET", timeout: float = 10,
          body: bytes | None = None) -> Reply:
    """One request on a fresh connection, nothing followed or decoded."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def site_with(replica: Replica, charset: Charset | None = None, nfd: bool | None = None) -> Site:
    return next(s for s in replica.world.sites
                if (charset is None or s.charset is charset) and (nfd is None or s.nfd is nfd))


def newest_generated(replica: Replica, site: Site) -> Article:
    return next(a for a in replica.world.articles(site.id, replica.today) if a.seed is None)


def page_text(html_text: str) -> str:
    """Visible text of a page, entities decoded, NFC, whitespace collapsed."""
    text = lxml.html.fromstring(html_text).text_content()
    return " ".join(unicodedata.normalize("NFC", text).split())


def assert_has_gold_text(text: str, record: dict[str, object]) -> None:
    for part in [record["title"], *record["paragraphs"]]:  # type: ignore[misc]
        assert " ".join(str(part).split()) in text, f"gold text missing from the page: {part!r}"


def article_keys(text: str) -> list[str]:
    """Article keys in order of first appearance."""
    return list(dict.fromkeys(_KEY.findall(text)))


# -- encodings ---------------------------------------------------------------------------------------


def test_windows_1258_page_decodes_to_its_gold_text(replica: Replica) -> None:
    site = site_with(replica, Charset.WINDOWS_1258)
    article = newest_generated(replica, site)
    record = gold.record(replica.world, site, article, replica.today, replica.port)

    reply = fetch(str(record["url"]))

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=windows-1258"
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")  # real cp1258 bytes, not UTF-8 under a cp1258 label
    assert b"\xd2" in reply.body or b"\xec" in reply.body  # cp1258 combining hook above / acute
    assert_has_gold_text(page_text(reply.body.decode("cp1258")), record)


def test_nfd_site_serves_decomposed_utf8(replica: Replica) -> None:
    site = site_with(replica, nfd=True)
    article = newest_generated(replica, site)
    record = gold.record(replica.world, site, article, replica.today, replica.port)

    reply = fetch(str(record["url"]))
    text = reply.body.decode("utf-8")

    assert text == unicodedata.normalize("NFD", text)
    assert "ệ" not in text and "e\u0323\u0302" in text  # ệ as e + dot below + circumflex
    assert unicodedata.normalize("NFD", str(record["title"])) in text
    assert_has_gold_text(page_text(text), record)


def test_wrong_header_site_sends_utf8_under_a_latin1_label(replica: Replica) -> None:
    site = site_with(replica, Charset.WRONG_HEADER)
    article = newest_generated(replica, site)

    reply = fetch(site.base_url(replica.port) + article.path)

    assert reply.headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    text = reply.body.decode("utf-8")  # the bytes are UTF-8 all the same
    assert article.as_of(replica.today).title in text
    assert re.search(r"<meta charset=\"utf-8\"", text, re.IGNORECASE)


def test_missing_charset_site_labels_nothing(replica: Replica) -> None:
    site = site_with(replica, Charset.MISSING)
    article = newest_generated(replica, site)

    reply = fetch(site.base_url(replica.port) + article.path)

    assert reply.headers["Content-Type"] == "text/html"
    assert b"charset" not in reply.body.lower()
    assert article.as_of(replica.today).title in reply.body.decode("utf-8")


def test_cp1258_round_trips_every_seed_and_generated_text(replica: Replica) -> None:
    seeds = sorted((Path(replica_pkg.__file__).parent / "data" / "seeds").glob("*.txt"))
    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in seeds]
    texts += [" ".join([a.title, *a.paragraphs]) for s in replica.world.sites
              for a in replica.world.articles(s.id, replica.today)]
    assert len(seeds) == 5

    for text in texts:
        data = encoding.to_cp1258(text)
        assert b"&#" not in data  # every Vietnamese letter has a real cp1258 spelling
        assert unicodedata.normalize("NFC", data.decode("cp1258")) == text
    assert encoding.to_cp1258("Tỉnh uỷ ủy Đảng") == b"Ti\xd2nh uy\xd2 u\xd2y \xd0a\xd2ng"


def test_content_type_labels() -> None:
    assert encoding.content_type("text/html", Charset.UTF8) == "text/html; charset=utf-8"
    assert encoding.content_type("text/html", Charset.WINDOWS_1258) == "text/html; charset=windows-1258"
    wrong = encoding.content_type("text/html; charset=utf-8", Charset.WRONG_HEADER)
    assert wrong == "text/html; charset=ISO-8859-1"
    assert encoding.content_type("text/html", Charset.MISSING) == "text/html"


# -- the clock ---------------------------------------------------------------------------------------


def test_today_hides_future_articles_everywhere(replica: Replica) -> None:
    site = replica.world.site("baohaiduong")
    end = replica.today
    yesterday = end - timedelta(days=1)
    new = [r for r in replica.world.refs(site.id, end) if r.published_at.date() == end]
    assert new, "the last day has news"
    article = replica.world.article(site.id, new[0].key)
    base = site.base_url(replica.port)
    pages = ["/", f"/{article.ref.category}/", "/rss/home.rss", "/sitemaps/news.xml",
             f"/sitemaps/{end:%Y-%m}.xml"]

    with replica.at(yesterday):
        assert fetch(base + article.path).status == 404
        for path in pages:
            reply = fetch(base + path)
            assert reply.status == 200, path
            assert not {r.key for r in new} & set(article_keys(reply.body.decode())), path

    assert fetch(base + article.path).status == 200
    for path in pages:
        assert new[0].key in article_keys(fetch(base + path).body.decode()), path


def test_new_articles_push_older_ones_down_feeds_and_listings(make_replica: MakeReplica) -> None:
    rep = make_replica(WorldConfig(per_day=40, days=3))  # enough news for full feeds and two listing pages
    site = rep.world.site("baohaiduong")
    base = site.base_url(rep.port)
    end = rep.today
    slug = max(site.categories, key=lambda c: len(rep.world.refs(site.id, end, c.slug))).slug

    def feed() -> list[str]:
        return article_keys(fetch(base + "/rss/home.rss").body.decode())

    def listing(number: int) -> list[str]:
        path = f"/{slug}/" if number == 1 else f"/{slug}/trang-{number}.html"
        body = fetch(base + path).body.decode()
        block = body[body.index('class="list-news'):]
        return article_keys(block[: block.index("</ul>")])

    with rep.at(end - timedelta(days=1)):
        feed_before, listing_before = feed(), listing(1)
    new = [r.key for r in rep.world.refs(site.id, end) if r.published_at.date() == end]
    new_in_category = [r.key for r in rep.world.refs(site.id, end, slug) if r.published_at.date() == end]
    feed_after, listing_after = feed(), listing(1) + listing(2)

    assert len(feed_before) == len(feed_after) == 20  # full feeds: the oldest items fell off the end
    assert feed_after == (new + feed_before)[:20]
    assert len(listing_before) == 15 and new_in_category
    assert listing_after[: len(new_in_category)] == new_in_category
    n = len(new_in_category)
    assert listing_after[n : n + 15] == listing_before  # yesterday's page 1, slid down onto page 2


# -- HTTP: validators, gzip, HEAD, counters -----------------------------------------------------------


def test_etag_and_last_modified_answer_304(replica: Replica) -> None:
    site = replica.world.site("baohaiduong")
    url = site.base_url(replica.port) + newest_generated(replica, site).path
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.status == 200 and etag.startswith('"') and modified.endswith("GMT")

    assert fetch(url, {"If-None-Match": etag}).status == 304
    assert fetch(url, {"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    not_modified = fetch(url, {"If-None-Match": etag})
    assert not_modified.body == b"" and not_modified.headers["ETag"] == etag

    assert fetch(url, {"If-None-Match": '"stale"'}).status == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}).status == 200
    # If-None-Match decides when both are sent.
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified}).status == 200


def test_gzip_head_and_content_length(replica: Replica) -> None:
    url = replica.url("baohaiduong", "/")
    plain = fetch(url)
    zipped = fetch(url, {"Accept-Encoding": "gzip, deflate"})
    head = fetch(url, {"Accept-Encoding": "gzip"}, method="HEAD")

    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.body) == plain.body
    assert int(zipped.headers["Content-Length"]) == len(zipped.body) < len(plain.body)
    assert int(plain.headers["Content-Length"]) == len(plain.body)
    assert plain.headers.get("Content-Encoding") is None
    assert fetch(url, {"Accept-Encoding": "gzip;q=0"}).headers.get("Content-Encoding") is None
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == zipped.headers["Content-Length"]
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # two representations, two strong tags


def test_keep_alive_serves_many_requests_on_one_connection(replica: Replica) -> None:
    site = replica.world.site("thaibinhtv")
    conn = http.client.HTTPConnection(site.host, replica.port, timeout=10)
    try:
        for _ in range(5):
            conn.request("GET", "/robots.txt")
            response = conn.getresponse()
            assert response.status == 200 and b"User-agent" in response.read()
    finally:
        conn.close()


def test_hits_counts_requests_per_path(make_replica: MakeReplica) -> None:
    rep = make_replica(WorldConfig(per_day=1, days=2))
    for _ in range(3):
        fetch(rep.url("baohaiduong", "/robots.txt"))
    fetch(rep.url("thaibinhtv", "/robots.txt"))

    assert rep.server.hits("/robots.txt", site="baohaiduong") == 3
    assert rep.server.hits("/robots.txt") == 4
    assert rep.server.hits("/nothing") == 0


def test_answer_cache_stays_within_its_byte_budget() -> None:
    world = World(WorldConfig(per_day=6, days=4))
    server = ReplicaServer(world, 8377, world.config.end, cache_bytes=300_000)  # not started: no sockets
    site = world.site("baohaiduong")
    articles = world.articles(site.id, world.config.end)[:30]
    first = server.answer(site, articles[0].path, "")
    assert server.answer(site, articles[0].path, "") is first  # served from the cache

    for article in articles[1:]:
        server.answer(site, article.path, "").gzipped()

    assert 0 < server.cached_bytes <= 300_000
    again = server.answer(site, articles[0].path, "")
    assert again is not first and again.body == first.body  # evicted, rendered again, the same bytes


def test_a_taken_address_is_reported_and_nothing_is_left_listening() -> None:
    world = World(WorldConfig(per_day=1, days=2))
    port = candidate_port("127.0.0.4")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.4", port))
        squatter.listen()
        with pytest.raises(ReplicaBindError, match=rf"127\.0\.0\.4:{port}.*ubndbacgiang"):
            ReplicaServer(world, port, world.config.end).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.2", port))  # the sites bound before the failure were released


# -- faults --------------------------------------------------------------------------------------------


def statuses(url: str, attempts: int) -> list[str]:
    """What each of `attempts` requests of `url` got: a status code or the exception's name."""
    seen = []
    for _ in range(attempts):
        try:
            seen.append(str(fetch(url, timeout=5).status))
        except (ConnectionError, http.client.HTTPException) as exc:
            seen.append(type(exc).__name__)
    return seen


def longest_failure_run(outcomes: list[str]) -> int:
    run = longest = 0
    for outcome in outcomes:
        run = 0 if outcome == "200" else run + 1
        longest = max(longest, run)
    return longest


def test_fault_decisions_are_pure_and_bounded() -> None:
    faults = Faults(error_500=0.5, reset=0.3, max_in_a_row=2)
    urls = [f"127.0.0.2/a/{n}" for n in range(300)]
    runs = {url: [faults.decide(url, i) for i in range(1, 40)] for url in urls}

    assert runs == {url: [faults.decide(url, i) for i in range(1, 40)] for url in urls}
    outcomes = {url: ["200" if d is Fault.NONE else str(d) for d in seen] for url, seen in runs.items()}
    assert max(longest_failure_run(seen) for seen in outcomes.values()) == 2
    share = sum(o != "200" for seen in outcomes.values() for o in seen) / (300 * 39)
    assert abs(share - 0.8 * (1 - 0.8**2)) < 0.03  # the bound lowers a rate r to r * (1 - r**K)
    assert not Faults().active and Faults(endless_site="x").active
    with pytest.raises(ValueError, match="add up"):
        Faults(error_500=0.7, error_503=0.7)


@pytest.mark.parametrize(
    ("faults", "failure"),
    [
        (Faults(error_500=0.6), "500"),
        (Faults(error_503=0.6), "503"),
        (Faults(reset=0.6), "ConnectionResetError"),
        (Faults(truncate=0.6), "IncompleteRead"),
    ],
    ids=["500", "503", "reset", "truncate"],
)
def test_transient_faults_happen_and_are_bounded(
    make_replica: MakeReplica, faults: Faults, failure: str
) -> None:
    rep = make_replica(faults=faults)
    site = rep.world.site("baohaiduong")
    urls = [site.base_url(rep.port) + a.path for a in rep.world.articles(site.id, rep.today)[:6]]

    runs = {url: statuses(url, 8) for url in urls}

    outcomes = [o for seen in runs.values() for o in seen]
    assert failure in outcomes and "200" in outcomes
    assert set(outcomes) <= {failure, "200"}
    assert all(longest_failure_run(seen) <= faults.max_in_a_row for seen in runs.values())
    assert all("200" in seen[: faults.max_in_a_row + 1] for seen in runs.values())  # 3 tries get any page
    assert statuses(rep.url("baohaiduong", "/robots.txt"), 4) == ["200"] * 4  # robots.txt is spared


def test_faults_are_reproducible(make_replica: MakeReplica) -> None:
    faults = Faults(error_500=0.3, error_503=0.2)
    first, second = make_replica(faults=faults), make_replica(faults=faults)
    path = first.world.articles("thaibinhtv", first.today)[0].path

    assert statuses(first.url("thaibinhtv", path), 10) == statuses(second.url("thaibinhtv", path), 10)


def test_503_carries_retry_after(make_replica: MakeReplica) -> None:
    rep = make_replica(faults=Faults(error_503=1.0, max_in_a_row=1))
    url = rep.url("haiduonggov", rep.world.articles("haiduonggov", rep.today)[0].path)
    reply = fetch(url)
    assert reply.status == 503 and reply.headers["Retry-After"] == "1"
    assert fetch(url).status == 200  # at most one failure in a row


def test_slow_answers_are_slow(make_replica: MakeReplica) -> None:
    rep = make_replica(faults=Faults(slow=1.0, slow_seconds=0.3, max_in_a_row=1))
    url = rep.url("tinhuyhaiduong", "/")
    started = time.monotonic()
    assert fetch(url).status == 200
    slow = time.monotonic() - started
    started = time.monotonic()
    assert fetch(url).status == 200
    fast = time.monotonic() - started
    assert slow >= 0.3 > fast


def test_redirect_loop_is_linked_and_never_ends(make_replica: MakeReplica) -> None:
    rep = make_replica(faults=Faults(redirect_loop_site="thaibinhtv"))
    assert b'href="/loop/1"' in fetch(rep.url("thaibinhtv", "/")).body
    assert b"/loop/" not in fetch(rep.url("baohaiduong", "/")).body

    url = rep.url("thaibinhtv", "/loop/1")
    for step in range(2, 40):
        reply = fetch(url)
        assert reply.status == 302
        url = reply.headers["Location"]
        assert url == rep.url("thaibinhtv", f"/loop/{step}")


def test_endless_pagination_always_has_a_next_page(make_replica: MakeReplica) -> None:
    rep = make_replica(faults=Faults(endless_site="baohaiduong"))
    site = rep.world.site("baohaiduong")
    slug = site.categories[0].slug
    real = {r.key for r in rep.world.refs(site.id, rep.today, slug)}

    for number in (2, 50, 500):
        reply = fetch(rep.url(site.id, f"/{slug}/trang-{number}.html"))
        body = reply.body.decode()
        assert reply.status == 200
        assert f"/{slug}/trang-{number + 1}.html" in body
        keys = set(article_keys(body))
        assert keys & real and keys <= {r.key for r in rep.world.refs(site.id, rep.today)}
    # Sitemaps and feeds of the site are not affected.
    normal = make_replica()
    for path in ("/sitemap.xml", f"/sitemaps/{rep.today:%Y-%m}.xml", "/rss/home.rss"):
        endless, plain = (fetch(r.url(site.id, path)).body.replace(f":{r.port}/".encode(), b":PORT/")
                          for r in (rep, normal))
        assert endless == plain, path


# -- the command line ------------------------------------------------------------------------------------


def test_cli_sites_and_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["replica", "sites", "--json", "--port", "9000"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["base_url"] for r in rows][:2] == ["http://127.0.0.2:9000", "http://127.0.0.3:9000"]
    assert {r["charset"] for r in rows} == {c.value for c in Charset}

    out = tmp_path / "gold.jsonl"
    args = ["replica", "gold", "--per-day", "1", "--days", "2", "--today", "2026-11-20", "--port", "9000"]
    assert cli.main([*args, "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["site"] for r in records} == {r["id"] for r in rows}
    assert all(r["published_at"][:10] <= "2026-11-20" and ":9000/" in r["url"] for r in records)

    assert cli.main([*args, "--site", "thaibinhtv"]) == 0
    one_site = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert one_site == [r for r in records if r["site"] == "thaibinhtv"]


def test_write_sources_points_profiles_at_the_fixture_port(replica: Replica, tmp_path: Path) -> None:
    written = replica.write_sources(tmp_path / "sources")
    assert {p.name for p in written} == {f"{s.id}.yaml" for s in replica.world.sites}
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert ":8377" not in text and f":{replica.port}/" in text


def test_cli_serve_answers_and_stops_cleanly() -> None:
    port = candidate_port()
    command = [sys.executable, "-m", "provnews.cli", "replica", "serve", "--port", str(port),
               "--per-day", "2", "--days", "3", "--today", "2026-11-20"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(8)]
        assert all(line.rstrip().endswith("ready") for line in lines), lines
        ids = [line.split()[0] for line in lines]
        assert ids == ["baohaiduong", "tinhuyhaiduong", "ubndbacgiang", "haiduonggov", "thaibinhtv",
                       "quangnamgov", "baocaobang", "baobinhthuan"]
        for line in lines:
            base = line.split()[2]
            assert fetch(base + "/robots.txt").status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_world_that_follows_the_clock_brings_each_day_its_news_and_keeps_the_old() -> None:
    first = date(2031, 7, 15)  # any day: the world is laid out from the day it starts on
    world = World(WorldConfig.following_the_clock(first, days=3, per_day=2))
    day_one = {r.key for r in world.refs("baohaiduong", first)}
    next_day = first + timedelta(days=1)
    day_two = {r.key for r in world.refs("baohaiduong", next_day)}
    assert day_one < day_two, "the next day adds articles and keeps every earlier one"
    assert all(r.published_at.date() == next_day for r in world.refs("baohaiduong", next_day)
               if r.key not in day_one)
    assert min(r.published_at.date() for r in world.refs("baohaiduong", first)
               if not r.key.startswith("seed-")) == first - timedelta(days=2)


def test_a_server_without_a_fixed_day_serves_today_in_vietnam() -> None:
    server = ReplicaServer(World(WorldConfig(days=1, per_day=1)), 0, None)
    assert server.follows_the_clock and server.today == local_today()
    server.today = date(2026, 11, 21)
    assert not server.follows_the_clock and server.today == date(2026, 11, 21)


# -- postback ------------------------------------------------------------------------------------------


def post(url: str, form: dict[str, str]) -> Reply:
    return fetch(url, {"Content-Type": "application/x-www-form-urlencoded"}, "POST", body=urlencode(form).encode())


def test_a_webforms_listing_answers_its_postback_and_other_sites_take_no_post(make_replica: MakeReplica) -> None:
    rep = make_replica(WorldConfig(per_day=6, days=30))
    slug = rep.world.site("quangnamgov").categories[1].slug
    refs = rep.world.refs("quangnamgov", rep.today, slug)
    assert len(refs) > 30  # four pages of 10
    url = rep.url("quangnamgov", f"/tin-tuc/{slug}/Default.aspx")
    page = fetch(url).body.decode()
    state = re.search(r'id="__VIEWSTATE" value="([^"]+)"', page)[1]  # type: ignore[index]
    target = re.search(r"__doPostBack\('([^']+\$lnkNext)'", page)[1]  # type: ignore[index]
    assert article_keys(page) == [r.key for r in refs[:10]]

    second = post(url, {"__EVENTTARGET": target, "__EVENTARGUMENT": "", "__VIEWSTATE": state})

    assert second.status == 200 and second.headers["ETag"] is None and second.headers["Last-Modified"] is None
    assert article_keys(second.body.decode()) == [r.key for r in refs[10:20]]
    # a forged or foreign state, and a control the posted page did not render, fail as ASP.NET's checks do
    assert post(url, {"__EVENTTARGET": target, "__VIEWSTATE": "bm90IG91cnM="}).status == 500
    assert post(url, {"__EVENTTARGET": "ctl00$Other", "__VIEWSTATE": state}).status == 500
    assert fetch(url, {"Content-Type": "text/plain"}, "POST", body=b"a=b").status == 415
    other = fetch(rep.url("baohaiduong", "/"), {"Content-Type": "application/x-www-form-urlencoded"}, "POST", body=b"")
    assert other.status == 405 and other.headers["Allow"] == "GET, HEAD"
