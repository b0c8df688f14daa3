"""Vietnam's administrative units before and after the 1 July 2025 reorganisation, from `vietnamadminunits`.

Provinces (63 old units -> 34 current ones), districts (abolished on 1 July 2025) and communes/wards (merged,
before and after) with their levels and the post-2025 province each belongs to (`all_units`). This is the one
home of the mapping: sources/ checks profiles against it, transforms/mentions/places.py finds places with it.

The package is the maintained mapping; nothing here is typed by hand. Its
Python API (`vietnamadminunits.database.get_data`, `convert_address`) imports geopy and shapely on the way
(about 0.7 s), too slow for every profile load (the DAG parses its sources on each scheduler pass), so this
module reads the same two data files the API reads: `data/dataset.db` (the tables `get_data` queries) and
`data/converter_2025.json` (the old->new province table `convert_address` uses). tests/test_registry.py checks
the result against the API itself, so a package upgrade that changes its files fails there, not silently.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_PREFIX = re.compile(r"^(thanhpho|tinh|tp)(?=.)")


class UnitsDataError(RuntimeError):
    """The vietnamadminunits package is missing, or its data files are not where its API reads them."""


def unit_key(name: str) -> str:
    """'Thành phố Hồ Chí Minh', 'TP Hồ Chí Minh', 'ho chi minh' -> 'hochiminh' (the package's short key:
    no accents, no spaces or punctuation, no leading 'Tỉnh'/'Thành phố'/'TP')."""
    plain = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    letters = "".join(c for c in plain if c.isascii() and c.isalnum()).lower()
    return _PREFIX.sub("", letters)


@lru_cache(maxsize=1)
def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")  # finds the package without running its imports
    if spec is None or not spec.submodule_search_locations:
        raise UnitsDataError("the vietnamadminunits package is not installed (pip install vietnamadminunits)")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    for name in ("dataset.db", "converter_2025.json"):
        if not (data / name).is_file():
            raise UnitsDataError(f"vietnamadminunits: {data / name} is missing")
    return data


@lru_cache(maxsize=2)
def _provinces(table: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """provinceKey -> (short name, short key, keywords) of one table of the package's database."""
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        rows = conn.execute(f"SELECT DISTINCT provinceKey, provinceShort, provinceShortKey, provinceKeywords "
                            f"FROM [{table}]").fetchall()
    return {key: (short, short_key, tuple(json.loads(words or "[]"))) for key, short, short_key, words in rows}


@lru_cache(maxsize=1)
def current_units() -> tuple[str, ...]:
    """The 34 provinces and cities since 1 July 2025, by their short names ('Hải Phòng', 'Huế')."""
    return tuple(short for short, _, _ in _provinces("admin_units").values())


@lru_cache(maxsize=1)
def legacy_units() -> tuple[str, ...]:
    """The 63 provinces and cities before 1 July 2025, by their short names."""
    return tuple(short for short, _, _ in _provinces("admin_units_legacy").values())


@lru_cache(maxsize=1)
def _current_by_key() -> dict[str, str]:
    return {word: short for short, key, words in _provinces("admin_units").values() for word in (key, *words)}


@lru_cache(maxsize=1)
def successors() -> dict[str, str]:
    """Old province (short name) -> the current unit it is part of, from the package's converter table."""
    new = _provinces("admin_units")
    old = _provinces("admin_units_legacy")
    table = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    return {old[old_key][0]: new[new_key][0] for new_key, old_keys in table.items() for old_key in old_keys}


@lru_cache(maxsize=1)
def _legacy_by_key() -> dict[str, str]:
    return {word: short for short, key, words in _provinces("admin_units_legacy").values()
            for word in (key, *words)}


def _lookup(by_key: dict[str, str], name: str) -> str | None:
    """The unit whose keyword `name` spells, else the one whose keyword ends it, longest first: the package's
    own parser takes the rightmost province keyword of an address, so 'Thừa Thiên Huế' is Huế."""
    key = unit_key(name)
    if key in by_key:
        return by_key[key]
    ends = [word for word in by_key if len(word) >= 3 and key.endswith(word)]
    return by_key[max(ends, key=len)] if ends else None


def current_unit(name: str) -> str | None:
    """The current unit `name` names ('TP Hồ Chí Minh' -> 'Hồ Chí Minh'), or None."""
    return _lookup(_current_by_key(), name)


def legacy_unit(name: str) -> str | None:
    """The old (pre-2025) province `name` names, or None (a name the package does not know)."""
    return _lookup(_legacy_by_key(), name)


def province_in(text: str) -> tuple[str, str] | None:
    """The province a site's name mentions ("Báo Bình Thuận Online" -> ("Bình Thuận", "Lâm Đồng")), as
    (the name written then, the current unit), or None. An old province's name wins over a current one it
    merged into: it is what the site wrote."""
    key = unit_key(text)
    for by_key, is_legacy in ((_legacy_by_key(), True), (_current_by_key(), False)):
        inside = [word for word in by_key if len(word) >= 4 and word in key]
        if inside:
            short = by_key[max(inside, key=len)]
            return (short, successors().get(short, short)) if is_legacy else (short, short)
    return None


# -- every unit: provinces, districts (before 2025) and communes/wards (before and after) -----------------

LEGACY, CURRENT = "legacy", "2025"  # the unit's era: before 1 July 2025, or since
PROVINCE, DISTRICT, COMMUNE = 1, 2, 3  # the tier of a unit (districts exist only before 1 July 2025)


@dataclass(frozen=True)
class Unit:
    """One administrative unit as the package lists it."""

    name: str  # the package's short name, as Vietnamese write it ("Nam Sách", "Hải Dương", "1" for "Phường 1")
    level: str  # the level word, lower case: tỉnh, thành phố, huyện, thị xã, quận, xã, phường, thị trấn, đặc khu
    tier: int  # PROVINCE, DISTRICT or COMMUNE
    era: str  # LEGACY (the 63 provinces, their districts and communes) or CURRENT (the 34 and their communes)
    province: str | None  # the pre-2025 province it was in (for a 2025 commune: when all its parts were in one)
    province_2025: str  # the province or city it belongs to since 1 July 2025
    district: str | None = None  # a legacy commune's district


def _level(full: str, short: str) -> str:
    """'Thành phố Hà Nội', 'Hà Nội' -> 'thành phố'."""
    return full.removesuffix(short).strip().lower()


_QUALIFIER = re.compile(r" \([^)]*\)$")  # the package's "Cai Lậy (Huyện)": the same name at two levels


def _short(name: str) -> str:
    return _QUALIFIER.sub("", name)


def _rows(sql: str) -> list[tuple[str, ...]]:
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


@lru_cache(maxsize=1)
def _old_provinces_of_new_communes() -> dict[tuple[str, str], frozenset[str]]:
    """(new provinceKey, new wardKey) -> the old provinceKeys of the communes merged into it (converter table)."""
    tables = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    out: dict[tuple[str, str], set[str]] = {}
    for new_province, wards in tables["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            out.setdefault((new_province, new_ward), set()).update(old.split("_")[0] for old in olds)
    for new_province, olds in tables["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                out.setdefault((new_province, part["newWardKey"]), set()).add(old.split("_")[0])
    return {key: frozenset(value) for key, value in out.items()}


@lru_cache(maxsize=1)
def all_units() -> tuple[Unit, ...]:
    """Every province, district and commune before and after 1 July 2025 (about 14,000 units)."""
    after = successors()
    units: list[Unit] = []
    seen: set[tuple[str, ...]] = set()
    for province, short in _rows("SELECT DISTINCT province, provinceShort FROM admin_units_legacy"):
        units.append(Unit(short, _level(province, short), PROVINCE, LEGACY, short, after[short]))
    for province, short in _rows("SELECT DISTINCT province, provinceShort FROM admin_units"):
        units.append(Unit(short, _level(province, short), PROVINCE, CURRENT, None, short))
    for p_short, d_short, d_type, w_short, w_type in _rows(
            "SELECT provinceShort, districtShort, districtType, wardShort, wardType FROM admin_units_legacy"):
        if (p_short, d_short) not in seen:
            seen.add((p_short, d_short))
            units.append(Unit(_short(d_short), d_type.lower(), DISTRICT, LEGACY, p_short, after[p_short]))
        if w_short:  # a district without communes (an island) has one row with no ward
            units.append(Unit(_short(w_short), w_type.lower(), COMMUNE, LEGACY, p_short, after[p_short],
                              _short(d_short)))
    old_short = {key: short for key, (short, _, _) in _provinces("admin_units_legacy").items()}
    old_of = _old_provinces_of_new_communes()
    for p_key, p_short, w_short, w_type, w_key in _rows(
            "SELECT provinceKey, provinceShort, wardShort, wardType, wardKey FROM admin_units"):
        olds = old_of.get((p_key, w_key), frozenset())
        old = old_short[next(iter(olds))] if len(olds) == 1 else None
        units.append(Unit(_short(w_short), w_type.lower(), COMMUNE, CURRENT, old, p_short))
    return tuple(units)


def province_by_keyword(name: str) -> str | None:
    """The province (pre-2025 short name, else a current one) one of the package's keywords spells exactly
    ('HCM' -> 'Hồ Chí Minh', 'Vũng Tàu' -> 'Bà Rịa - Vũng Tàu'); no suffix matching, unlike `legacy_unit`."""
    k = unit_key(name)
    return _legacy_by_key().get(k) or _current_by_key().get(k)
