"""Vietnam's provinces before and after the 1 July 2025 reorganisation, from the `vietnamadminunits` package.

The package is the maintained mapping (63 old units -> 34 current ones); nothing here is typed by hand. Its
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
