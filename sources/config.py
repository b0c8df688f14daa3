"""Source profiles: one YAML file per site under sources/profiles/, validated here.

A profile says where a site's articles are announced (feeds, sitemaps, listing pages), which URLs are
articles, and how politely to fetch. A bad file fails loudly with the file and the field at fault:
``sources/profiles/x.yaml: discovery.listings.0.paginate.max_pages: Input should be a valid integer``.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sources.origins import Origin, profile_origins
from transforms.constants import DEFAULT_USER_AGENT
from transforms.profile import Profile
from transforms.units import current_unit, current_units, legacy_unit, successors

# libyaml's safe loader where PyYAML was built with it: the same documents, 4-5 times faster (the registry's 133
# files in 0.1 s instead of 0.45 s); a file it refuses is read again by PyYAML's own, whose messages we print
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # also a file name: no path can hide in it


class SourceConfigError(ValueError):
    """A source file that cannot be read or does not validate. The message names file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    PARTY_NEWSPAPER = "party_newspaper"  # Báo <province>: the provincial Party committee's paper
    NEWSPAPER = "newspaper"  # another province-level paper (police, trade union, business, sport)
    PARTY_COMMITTEE_PORTAL = "party_committee_portal"  # Tỉnh ủy / Thành ủy portal, often *.dcs.vn
    PEOPLES_COMMITTEE_PORTAL = "peoples_committee_portal"  # UBND portal (Cổng thông tin điện tử), *.gov.vn
    RADIO_TV = "radio_tv"  # provincial radio-television station


# earlier spellings, still read so that older profiles stay valid
KIND_ALIASES = {"party_portal": Kind.PARTY_COMMITTEE_PORTAL.value, "tv": Kind.RADIO_TV.value}


class Province(_Strict):
    """The place as the site names it, and the unit it belongs to now, both checked against the package
    `vietnamadminunits` (transforms.units): `current` is one of the 34; an `as_written` the package knows as one
    of the 63 old provinces must be the one `current` absorbed."""

    as_written: str = Field(min_length=1, description="the unit the site names (pre-2025 for archives)")
    current: str = Field(min_length=1, description="the post-July-2025 province it now belongs to")

    @field_validator("current")
    @classmethod
    def _one_of_the_34(cls, value: str) -> str:
        if value in current_units():
            return value
        known = current_unit(value)
        hint = f"; write {known!r}" if known else ""
        raise ValueError(f"{value!r} is not one of the 34 provinces and cities since 1 July 2025 "
                         f"(vietnamadminunits){hint}")

    @model_validator(mode="after")
    def _as_written_belongs_to_current(self) -> Province:
        old = legacy_unit(self.as_written)
        if old is not None and successors()[old] != self.current:
            raise ValueError(f"as_written {self.as_written!r} is part of {successors()[old]!r} since 1 July "
                             f"2025, not {self.current!r} (vietnamadminunits)")
        return self


class Provenance(_Strict):
    """What a profile of a real site is based on. Registry profiles were written from public crawler configs
    and link lists, not from the live sites: `verified: false` until someone has crawled the site with it."""

    verified: bool = Field(description="true once the profile has crawled the live site and landed articles")
    as_of: date | None = Field(description="when the evidence saw the site (None: the evidence has no date)")
    evidence: str = Field(min_length=1, description="which public config or list, and what it gave")


class PaginateStyle(StrEnum):
    QUERY = "query"  # ?page=N
    PATH = "path"  # a template such as {url}/page/{n}
    NEXT_LINK = "next_link"  # follow the link a CSS selector finds
    POSTBACK = "postback"  # an ASP.NET WebForms pager: post the page's form back, as its __doPostBack link does


class Paginate(_Strict):
    style: PaginateStyle
    param: str | None = Field(default=None, description="query style: the page parameter, e.g. page")
    template: str | None = Field(default=None, description="path style: e.g. '{url}/page/{n}'")
    selector: str | None = Field(default=None, description=(
        "next_link style: CSS selector of the link; postback style (optional): of the next page's "
        "javascript:__doPostBack link, by default the one whose text is the next page's number"))
    first_page: int = Field(default=1, ge=0, description="number of the listing URL itself")
    max_pages: Annotated[int, Field(ge=1)] = 3  # daily runs
    backfill_max_pages: Annotated[int, Field(ge=1)] = 200  # --backfill

    @model_validator(mode="after")
    def _style_needs_its_field(self) -> Paginate:
        needed = {PaginateStyle.QUERY: "param", PaginateStyle.PATH: "template",
                  PaginateStyle.NEXT_LINK: "selector"}.get(self.style)
        if needed is not None and not getattr(self, needed):
            raise ValueError(f"style {self.style.value!r} needs {needed!r}")
        if self.template is not None and "{n}" not in self.template:
            raise ValueError("template must contain {n}")
        if self.backfill_max_pages < self.max_pages:
            raise ValueError("backfill_max_pages must be at least max_pages")
        return self


class Listing(_Strict):
    url: str
    paginate: Paginate | None = None  # None: a single page

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value)


class Discovery(_Strict):
    feeds: list[str] = Field(default_factory=list, description="RSS or Atom feed URLs")
    sitemaps: list[str] = Field(default_factory=list, description="sitemap or sitemap index URLs")
    robots_sitemaps: bool = Field(default=False, description="also read Sitemap: lines of robots.txt")
    listings: list[Listing] = Field(default_factory=list)

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        return [_http_url(v) for v in values]

    @model_validator(mode="after")
    def _something_to_discover(self) -> Discovery:
        if not (self.feeds or self.sitemaps or self.robots_sitemaps or self.listings):
            raise ValueError("give at least one of feeds, sitemaps, robots_sitemaps or listings")
        return self


class Selectors(Profile):
    """The extractor's selectors (transforms.profile.Profile, every field settable here), only where the generic
    extractor is not enough; in a profile file each must also be CSS that lxml and parsel can read."""

    @field_validator("*")
    @classmethod
    def _css(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _css_selector(value)
        return tuple(_css_selector(v) for v in value) if isinstance(value, tuple) else value


def _css_selector(value: str) -> str:
    """A selector the extractor (lxml's cssselect) and the spider (parsel) can both read; checked here, so a
    typo is the profile's error and not a failed extraction later."""
    from cssselect import HTMLTranslator, SelectorError

    try:
        HTMLTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise ValueError(f"not a CSS selector: {value!r} ({exc})") from None
    return value


class Politeness(_Strict):
    """How hard to press one site. The defaults are those for real sites: robots.txt obeyed, at most one
    request per second per host (download_delay is the floor; crawler.settings keeps the jitter above it),
    an identifying User-Agent (PROVNEWS_CONTACT is added to it) and conditional requests (the spider's)."""

    download_delay: float = Field(default=1.0, ge=0, description="seconds, at least, between two requests "
                                  "to one host")
    concurrency: int = Field(default=2, ge=1, le=64, description="parallel requests to this site")
    autothrottle: bool = True
    obey_robots: bool = True
    user_agent: str = DEFAULT_USER_AGENT


class SourceConfig(_Strict):
    id: str = Field(pattern=SOURCE_ID.pattern)
    name: str = Field(min_length=1)
    province: Province
    kind: Kind
    language: str = Field(default="vi", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                          description="BCP 47 tag of the site's articles")
    start_urls: list[str] = Field(min_length=1)
    discovery: Discovery
    article_url_pattern: str = Field(description="regex searched in the canonical article URL")
    selectors: Selectors = Field(default_factory=Selectors)
    politeness: Politeness = Field(default_factory=Politeness)
    revisit_days: int = Field(default=3, ge=0, le=60, description=(
        "articles first fetched 1..N crawl days ago are asked again conditionally, to catch edits "
        "(0: only when a sitemap or feed announces a change)"))
    enabled: bool = True
    provenance: Provenance | None = None  # profiles of real sites say what they are based on

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_alias(cls, value: Any) -> Any:
        return KIND_ALIASES.get(value, value) if isinstance(value, str) else value

    @field_validator("start_urls")
    @classmethod
    def _start_urls(cls, values: list[str]) -> list[str]:
        return [_http_url(v) for v in values]

    @field_validator("article_url_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_url_pattern)

    @property
    def allowed_domains(self) -> list[str]:
        """Hosts of the start URLs (Scrapy's allowed_domains; what is offsite is decided by `origins`)."""
        return sorted({urlsplit(u).hostname or "" for u in self.start_urls} - {""})

    @property
    def origins(self) -> frozenset[Origin]:
        """What the source may reach: the origins (scheme, host, port) of every URL in its profile."""
        disc = self.discovery
        return profile_origins([*self.start_urls, *disc.feeds, *disc.sitemaps, *(li.url for li in disc.listings)])

    @property
    def real_site(self) -> bool:
        """A profile of a site on the internet (it carries provenance), not of the replica."""
        return self.provenance is not None

    @property
    def scheme(self) -> str:
        """The scheme the site declares in its first start URL; canonical URLs use it."""
        return urlsplit(self.start_urls[0]).scheme


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {value!r}")
    return value


def _error_lines(path: Path, exc: ValidationError) -> list[str]:
    """One line per pydantic error, each naming the file and the field."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(file)"
        # our validators raise ValueError: its text alone, without pydantic's "Value error, " prefix
        msg = str(err["ctx"]["error"]) if err["type"] == "value_error" and "ctx" in err else err["msg"]
        lines.append(f"{path}: {loc}: {msg}")
    return lines


def _id_line(data: dict[str, Any], path: Path) -> list[str]:
    """The id/file-name mismatch, checked on the raw data so it is reported beside the other errors."""
    given = data.get("id")
    if isinstance(given, str) and given != path.stem:
        return [f"{path}: id: {given!r} must match the file name {path.stem!r}"]
    return []


def parse_source(data: Any, path: Path) -> SourceConfig:
    """Validate already-loaded YAML data; `path` is only used in messages and the id check.

    Every error of the file is in the message, one line each (pydantic runs a model's own checks, such as
    "give at least one of feeds ...", only once its fields are valid)."""
    if not isinstance(data, dict):
        raise SourceConfigError(f"{path}: (file): expected a mapping of fields, got {type(data).__name__}")
    lines = _id_line(data, path)
    try:
        source = SourceConfig.model_validate(data)
    except ValidationError as exc:
        lines += _error_lines(path, exc)
    if lines:
        raise SourceConfigError("\n".join(lines))
    return source


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's multi-line message as one line: where, what, and what it was reading."""
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return " ".join(str(exc).split())
    mark = exc.problem_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    if exc.context and exc.context_mark is not None:
        where += f" ({exc.context} from line {exc.context_mark.line + 1})"
    return where


def _yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader (CSafeLoader)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def load_source(path: Path) -> SourceConfig:
    path = Path(path)
    try:
        data = _yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SourceConfigError(f"{path}: (file): not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset "
                                f"{exc.start}") from None
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: (file): not valid YAML: {_yaml_problem(exc)}") from None
    return parse_source(data, path)


def source_files(directory: Path) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def read_sources(directory: Path) -> tuple[dict[str, SourceConfig], dict[str, SourceConfigError]]:
    """Every source in a directory that loads, by id, and the error of every file that does not, by the
    file's stem (the id it would have): one broken profile need not stop the others."""
    sources: dict[str, SourceConfig] = {}
    errors: dict[str, SourceConfigError] = {}
    for path in source_files(directory):
        try:
            source = load_source(path)
        except SourceConfigError as exc:
            errors[path.stem] = exc
            continue
        sources[source.id] = source
    return sources, errors


def load_sources(directory: Path) -> dict[str, SourceConfig]:
    """Every source in a directory, by id. All errors of all files are reported together."""
    sources, errors = read_sources(directory)
    if errors:
        raise SourceConfigError("\n".join(str(e) for e in errors.values()))
    return sources


def check_source_id(source_id: str) -> str:
    if not SOURCE_ID.fullmatch(source_id):
        raise SourceConfigError(f"not a source id: {source_id!r} (lowercase letters, digits, '-' and '_')")
    return source_id


def source_path(directory: Path, source_id: str) -> Path:
    """The profile file of `source_id`, always inside `directory` (SourceConfigError for a malformed id)."""
    return Path(directory) / f"{check_source_id(source_id)}.yaml"


def find_source(directory: Path, source_id: str) -> SourceConfig:
    path = source_path(directory, source_id)
    if not path.exists():
        known = ", ".join(p.stem for p in source_files(directory)) or "none"
        raise SourceConfigError(f"no source {source_id!r} in {directory} (known: {known})")
    return load_source(path)
