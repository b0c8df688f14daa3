"""The replica's world: its sites, its clock, and an index of every article, built lazily and cheaply.

Only the light index (ArticleRef: key, time, category) is kept per site. Full articles are generated on
demand from a per-article random seed, so a 40-site x 100-a-day x 30-day world is served without holding
its text in memory.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any

from replica import content, republish, seeds
from replica.model import (
    Article,
    ArticleRef,
    Category,
    Charset,
    Discovery,
    Family,
    Republication,
    Site,
)
from replica.paths import key_from_path
from transforms.constants import VN_TZ

DEFAULT_END = date(2026, 11, 21)  # the fixed world of the tests; launchers follow the clock (`local_today`)
LIVE_HORIZON_DAYS = 400  # a world that follows the clock has news ready this far ahead of its first day
_MINUTE_CLOCK = (Family.PARTY, Family.LIFERAY, Family.WEBFORMS, Family.TABLECAPS, Family.CLOCK)


def local_today() -> date:
    """Today in Vietnam, from the machine's clock: the replica's `today` when none is fixed."""
    return datetime.now(VN_TZ).date()


@dataclass(frozen=True)
class WorldConfig:
    seed: int = 2025
    sites: int = 8
    per_day: int = 6
    days: int = 30
    end: date = DEFAULT_END  # the last day with generated news; the default `--today`
    edit_rate: float = 0.04  # share of articles revised after publication

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    @classmethod
    def following_the_clock(cls, today: date, days: int = 30, **fields: Any) -> WorldConfig:
        """`days` of history up to `today`, and news for every day after it (up to LIVE_HORIZON_DAYS), so a
        server whose clock moves on serves each real day's new articles and keeps the old ones."""
        return cls(end=today + timedelta(days=LIVE_HORIZON_DAYS), days=days + LIVE_HORIZON_DAYS, **fields)


_CATS = {
    Family.NEWSPAPER: (("chinh-tri", "Chính trị"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội"),
                       ("van-hoa", "Văn hóa")),
    Family.PARTY: (("tin-hoat-dong", "Tin hoạt động"), ("xay-dung-dang", "Xây dựng Đảng")),
    Family.LIFERAY: (("tin-tuc-su-kien", "Tin tức - Sự kiện"), ("chi-dao-dieu-hanh", "Chỉ đạo điều hành")),
    Family.SHAREPOINT: (("chinh-tri", "Chính trị"), ("kinh-te-xa-hoi", "Kinh tế - Xã hội")),
    Family.TV: (("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội")),
    Family.WEBFORMS: (("tin-tong-hop", "Tin tổng hợp"), ("chi-dao-dieu-hanh", "Chỉ đạo - Điều hành")),
    Family.TABLECAPS: (("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế")),
    Family.CLOCK: (("chinh-tri", "Chính trị"), ("xa-hoi", "Xã hội")),
}

# The families, each with the discovery and encoding quirks of a real site (docs/SOURCES.md). The last three
# publish a third of `per_day`: they add markup, not volume, to every crawl of the world.
_SMALL = 0.34
_BASE_SITES: tuple[tuple[str, str, Family, Discovery, Charset, bool, str, str, str | None, float], ...] = (
    ("baohaiduong", "Báo Hải Dương", Family.NEWSPAPER, Discovery.SITEMAP_INDEX, Charset.UTF8, False,
     "Hải Dương", "Hải Phòng", None, 1.0),
    ("tinhuyhaiduong", "Tỉnh ủy Hải Dương", Family.PARTY, Discovery.LISTINGS_QUERY, Charset.UTF8, True,
     "Hải Dương", "Hải Phòng", None, 1.0),
    ("ubndbacgiang", "Cổng thông tin điện tử tỉnh Bắc Giang", Family.LIFERAY, Discovery.LISTINGS_PATH,
     Charset.WINDOWS_1258, False, "Bắc Giang", "Bắc Ninh", None, 1.0),
    ("haiduonggov", "Cổng thông tin điện tử tỉnh Hải Dương", Family.SHAREPOINT, Discovery.ROBOTS_SITEMAP,
     Charset.MISSING, False, "Hải Dương", "Hải Phòng", "Báo điện tử Hải Dương", 1.0),
    ("thaibinhtv", "Đài Phát thanh và Truyền hình Thái Bình", Family.TV, Discovery.RSS_AND_LISTINGS,
     Charset.WRONG_HEADER, False, "Thái Bình", "Hưng Yên", None, 1.0),
    ("quangnamgov", "Cổng thông tin điện tử tỉnh Quảng Nam", Family.WEBFORMS, Discovery.RSS_ONLY, Charset.UTF8,
     False, "Quảng Nam", "Đà Nẵng", None, _SMALL),
    ("baocaobang", "Báo Cao Bằng điện tử", Family.TABLECAPS, Discovery.LISTINGS_QUERY, Charset.UTF8, False,
     "Cao Bằng", "Cao Bằng", None, _SMALL),
    ("baobinhthuan", "Bình Thuận Online", Family.CLOCK, Discovery.SITEMAP, Charset.UTF8, True,
     "Bình Thuận", "Lâm Đồng", None, _SMALL),
)

# Extra provinces for scaled worlds: (as written, post-2025 province).
_MORE_PROVINCES = (
    ("Nam Định", "Ninh Bình"), ("Hà Nam", "Ninh Bình"), ("Ninh Bình", "Ninh Bình"), ("Hưng Yên", "Hưng Yên"),
    ("Vĩnh Phúc", "Phú Thọ"), ("Phú Thọ", "Phú Thọ"), ("Hòa Bình", "Phú Thọ"), ("Bắc Kạn", "Thái Nguyên"),
    ("Thái Nguyên", "Thái Nguyên"), ("Quảng Bình", "Quảng Trị"), ("Quảng Trị", "Quảng Trị"),
    ("Kon Tum", "Quảng Ngãi"), ("Gia Lai", "Gia Lai"), ("Bình Định", "Gia Lai"), ("Long An", "Tây Ninh"),
    ("Bến Tre", "Vĩnh Long"), ("Trà Vinh", "Vĩnh Long"), ("Sóc Trăng", "Cần Thơ"), ("Hậu Giang", "Cần Thơ"),
    ("Bạc Liêu", "Cà Mau"), ("Lào Cai", "Lào Cai"), ("Yên Bái", "Lào Cai"), ("Hà Giang", "Tuyên Quang"),
)


def _site_catalogue(count: int) -> tuple[Site, ...]:
    sites: list[Site] = []
    for i in range(count):
        sid, name, family, disc, charset, nfd, prov, prov_now, repub, volume = _BASE_SITES[i % len(_BASE_SITES)]
        if i >= len(_BASE_SITES):
            prov, prov_now = _MORE_PROVINCES[(i - len(_BASE_SITES)) % len(_MORE_PROVINCES)]
            sid = f"{sid}{i // len(_BASE_SITES) + 1}"
            name = f"{name.rsplit(' ', 2)[0]} {prov}" if family is not Family.TV else f"{name} {i}"
            if repub is not None:  # a scaled portal republishes the paper of its own group of sites
                repub = f"Báo điện tử {sites[_paper_index(i)].province}"
        cats = tuple(Category(slug, label) for slug, label in _CATS[family])
        sites.append(Site(sid, name, family, disc, charset, nfd, i + 2, prov, prov_now, cats, repub, volume))
    return tuple(sites)


def _paper_index(portal_index: int) -> int:
    """The catalogue index of the newspaper a republishing portal copies: the paper of its group of sites."""
    return portal_index - portal_index % len(_BASE_SITES)


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class World:
    """All replica sites and their articles. Deterministic in `config`."""

    def __init__(self, config: WorldConfig | None = None) -> None:
        self.config = config or WorldConfig()
        if self.config.sites < 1 or self.config.days < 1 or self.config.per_day < 1:
            raise ValueError("sites, days and per_day must all be at least 1")
        if self.config.sites > 250:
            raise ValueError("at most 250 sites: each needs its own 127.0.0.N address")

    @cached_property
    def sites(self) -> tuple[Site, ...]:
        return _site_catalogue(self.config.sites)

    @cached_property
    def _sites_by_id(self) -> dict[str, Site]:
        return {site.id: site for site in self.sites}

    @cached_property
    def _sites_by_host(self) -> dict[str, Site]:
        return {site.host: site for site in self.sites}

    def site(self, site_id: str) -> Site:
        found = self._sites_by_id.get(site_id)
        if found is None:
            raise KeyError(f"no replica site {site_id!r}; sites are {', '.join(s.id for s in self.sites)}")
        return found

    def site_by_host(self, host: str) -> Site | None:
        return self._sites_by_host.get(host)

    # -- the index -----------------------------------------------------------------------------------

    @lru_cache(maxsize=256)  # noqa: B019 - the world lives as long as the server; the cache is its index
    def _index(self, site_id: str) -> tuple[ArticleRef, ...]:
        """Every article of a site, oldest first, including seed articles (which predate the window)."""
        site = self.site(site_id)
        refs = [s.ref for s in seeds.articles_for(site)]
        for offset in range(self.config.days):
            day = self.config.start + timedelta(days=offset)
            rng = _rng(self.config.seed, site.id, day)
            count = max(1, round(self.config.per_day * site.volume * rng.uniform(0.6, 1.4)))
            seconds = sorted(rng.sample(range(6 * 3600, 22 * 3600), count))
            for n, sec in enumerate(seconds, start=1):
                if site.family in _MINUTE_CLOCK:  # these CMSs print no seconds: publish on the minute
                    sec -= sec % 60
                published = datetime.combine(day, time(), VN_TZ) + timedelta(seconds=sec)
                category = rng.choice(site.categories).slug
                updated = None
                if rng.random() < self.config.edit_rate:
                    updated = published + timedelta(hours=rng.randint(20, 60), minutes=rng.randint(0, 59))
                refs.append(ArticleRef(site.id, f"{day:%Y%m%d}-{n:02d}", published, category, updated))
        refs.sort(key=lambda r: r.published_at)
        return tuple(refs)

    @lru_cache(maxsize=256)  # noqa: B019
    def _published_times(self, site_id: str) -> list[datetime]:
        return [r.published_at for r in self._index(site_id)]

    @lru_cache(maxsize=256)  # noqa: B019
    def _by_key(self, site_id: str) -> dict[str, ArticleRef]:
        return {r.key: r for r in self._index(site_id)}

    @lru_cache(maxsize=1024)  # noqa: B019
    def _category_index(self, site_id: str, category: str) -> tuple[tuple[ArticleRef, ...], list[datetime]]:
        refs = tuple(r for r in self._index(site_id) if r.category == category)
        return refs, [r.published_at for r in refs]

    def refs(self, site_id: str, today: date, category: str | None = None) -> Sequence[ArticleRef]:
        """Articles published by the end of `today`, newest first (optionally one category)."""
        end = datetime.combine(today + timedelta(days=1), time(), VN_TZ)
        if category is None:
            index, times = self._index(site_id), self._published_times(site_id)
        else:
            index, times = self._category_index(site_id, category)
        return index[: bisect.bisect_left(times, end)][::-1]

    # -- full articles -------------------------------------------------------------------------------

    @lru_cache(maxsize=4096)  # noqa: B019
    def article(self, site_id: str, key: str) -> Article:
        """The full article (all revisions), generated on demand."""
        site = self.site(site_id)
        if key.startswith("seed-"):
            return seeds.article(site, key)
        ref = self._by_key(site_id).get(key)
        if ref is None:
            raise KeyError(f"no article {key!r} on {site_id}")
        if site.republishes is None:
            return content.generate(site, ref, _rng(self.config.seed, site.id, key))
        copied = self._republications(site_id).get(key)
        if copied is None:  # the portal's own story names no origin
            return replace(content.generate(site, ref, _rng(self.config.seed, site.id, key)), origin=None)
        original = self.article(copied.site_id, copied.key)
        return republish.copy(site, ref, original, copied, _rng(self.config.seed, site.id, key, "copy"))

    def paper_of(self, site: Site) -> Site | None:
        """The newspaper a republishing portal copies (None for any other site)."""
        if site.republishes is None:
            return None
        paper = self.sites[_paper_index(site.host_index - 2)]
        return paper if paper.family is Family.NEWSPAPER else None

    @lru_cache(maxsize=64)  # noqa: B019 - like the index: computed once per portal from the two indexes
    def _republications(self, site_id: str) -> dict[str, Republication]:
        """Which of a portal's articles are copies, and of what (keys of the portal → the original)."""
        portal = self.site(site_id)
        paper = self.paper_of(portal)
        if paper is None:
            return {}
        seed = self.config.seed
        return republish.plan(portal, self._index(site_id), paper, self._index(paper.id),
                              lambda key: _rng(seed, site_id, key, "republish"))

    def republications(self, site_id: str) -> dict[str, Republication]:
        """A copy of the plan: portal key → what it copies (empty for a site that republishes nothing)."""
        return dict(self._republications(site_id))

    def article_by_path(self, site_id: str, path: str) -> Article | None:
        """The article whose canonical path is `path`; the key is always recoverable from the path."""
        key = key_from_path(path)
        if key is None:
            return None
        try:
            article = self.article(site_id, key)
        except KeyError:
            return None
        return article if article.path == path else None

    def articles(self, site_id: str, today: date) -> list[Article]:
        """Every article visible on `today`, newest first, as served that day."""
        return [self.article(site_id, r.key).as_of(today) for r in self.refs(site_id, today)]
