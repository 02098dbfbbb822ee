"""The one country resolver: names as publishers spell them, and codes, to ISO 3166 alpha-3.

The loader and dbt read the same generated seeds (`dbt_project/seeds/countries.csv`,
`country_names.csv`, `country_codes.csv`, built by `dbt_project/scripts/build_country_seeds.py`
for every ISO country, the former states and Kosovo). Matching is exact after `fold`: a guessed
country is worse than a quarantined record with a clear message, and a name that means two
states is refused, naming both.
"""
from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass

from ingestion.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
COUNTRIES_FILE = SEEDS_DIR / "countries.csv"
NAMES_FILE = SEEDS_DIR / "country_names.csv"
CODES_FILE = SEEDS_DIR / "country_codes.csv"
BUILD_SCRIPT = "dbt_project/scripts/build_country_seeds.py"
CODE_SYSTEMS = ("iso2", "iso3", "iso_numeric", "cow", "gw")

_APOSTROPHES_AND_DASHES = str.maketrans({
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "′": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})


def fold(name: str) -> str:
    """Compare key for a name in any script.

    NFKC and casefold; the accents of Latin letters are dropped ("Côte" = "cote") but the marks
    other scripts need are kept (Cyrillic й, Arabic vowels); apostrophes and dashes are unified
    and spaces collapsed. Cyrillic, Georgian, Armenian or Arabic names stay themselves.
    """
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name).translate(_APOSTROPHES_AND_DASHES))
    kept, after_latin = [], False
    for char in text:
        if unicodedata.combining(char):
            if after_latin:
                continue
        else:
            after_latin = unicodedata.name(char, "").startswith("LATIN")
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).casefold().split())


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    is_former_state: bool


def _read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """ISO3 -> Country for every row of the countries seed."""
    return {row["country_iso3"]: Country(row["country_iso3"], row["country_name"], row["is_former_state"] == "true")
            for row in _read(COUNTRIES_FILE)}


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for row in _read(NAMES_FILE):
        owners = index.setdefault(row["name_folded"], [])
        if row["country_iso3"] not in owners:
            owners.append(row["country_iso3"])
    return {key: tuple(sorted(owners)) for key, owners in index.items()}


@functools.lru_cache(maxsize=1)
def _codes() -> dict[tuple[str, str], tuple[dict[str, str], ...]]:
    index: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in _read(CODES_FILE):
        index.setdefault((row["system"], row["code"]), []).append(row)
    return {key: tuple(rows) for key, rows in index.items()}


def name_candidates(name: object) -> tuple[str, ...]:
    """Every ISO3 a name can mean (empty when unknown; two or more when ambiguous)."""
    if not isinstance(name, str) or not name.strip():
        return ()
    return _names().get(fold(name), ())


def resolve_country(name: object) -> str | None:
    """ISO alpha-3 for a source's country name; None when unknown or when it names two states."""
    found = name_candidates(name)
    return found[0] if len(found) == 1 else None


def unresolved_reason(name: object) -> str:
    """Why `resolve_country(name)` is None, naming the candidates and the fix."""
    found = name_candidates(name)
    if len(found) > 1:
        both = " and ".join(f"{iso3} ({countries()[iso3].name})" for iso3 in found)
        return (f"ambiguous country {name!r}: it names {both}; the publisher must spell the country "
                f"unambiguously (or add a distinct spelling to EXTRA_NAMES in {BUILD_SCRIPT})")
    return (f"unknown country {name!r}: not a name of any ISO 3166 country, former state or Kosovo in "
            f"{NAMES_FILE.name}; if it is a real spelling, add it to EXTRA_NAMES in {BUILD_SCRIPT} and rerun it")


def _year(value: str) -> int | None:
    return int(value[:4]) if value else None


def code_candidates(system: str, code: object, year: int | None = None) -> tuple[str, ...]:
    """Every ISO3 a code of `system` can mean, in `year` when given (ISO code validity)."""
    if system not in CODE_SYSTEMS:
        raise ValueError(f"country code system {system!r} is not one of {', '.join(CODE_SYSTEMS)}")
    text = str(code).strip().upper()
    if system == "iso_numeric" and text.isdigit():
        text = text.zfill(3)
    if system in ("cow", "gw") and text.isdigit():
        text = str(int(text))
    rows = _codes().get((system, text), ())
    if year is not None:
        rows = tuple(r for r in rows if (_year(r["valid_from"]) or year) <= year <= (_year(r["valid_to"]) or year))
    return tuple(sorted({r["country_iso3"] for r in rows}))


def resolve_code(system: str, code: object, year: int | None = None) -> str | None:
    """ISO alpha-3 for a code of 'cow', 'gw', 'iso2', 'iso3' or 'iso_numeric'.

    None when unknown or when the code meant several states over time and `year` does not pick
    one (COW 345 is Yugoslavia, Serbia and Montenegro, then Serbia): see `code_candidates`.
    """
    found = code_candidates(system, code, year)
    return found[0] if len(found) == 1 else None
