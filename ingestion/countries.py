"""Country names as sources spell them → ISO 3166 alpha-3, through one crosswalk.

Exact matches only (after case and accent folding): a guessed country is worse than a
quarantined record with a clear message.
"""
from __future__ import annotations

import csv
import functools
import unicodedata

import pycountry

from ingestion.settings import DBT_PROJECT_DIR

VARIANTS_FILE = DBT_PROJECT_DIR / "seeds" / "country_name_variants.csv"


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().replace("’", "'").split())


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[_fold(value)] = country.alpha_3
        index[_fold(country.alpha_3)] = country.alpha_3
    if VARIANTS_FILE.exists():
        with open(VARIANTS_FILE, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                index[_fold(row["variant"])] = row["country_iso3"]
    return index


def resolve_country(name: str | None) -> str | None:
    """ISO alpha-3 for a source's country name, or None when the crosswalk does not know it."""
    if not name:
        return None
    return _index().get(_fold(name))
