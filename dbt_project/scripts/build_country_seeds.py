"""Regenerate the country seeds from real code lists, so no code is typed from memory.

ISO 3166 codes come from `pycountry`; Correlates of War codes from the COW state list
(`../shared/data/cow/COW-country-codes.csv`, read in place, never copied). Run it after adding
a country to COUNTRIES, then review the diff of `seeds/country_crosswalk.csv` and
`seeds/country_name_variants.csv`.

Usage: python dbt_project/scripts/build_country_seeds.py [path/to/COW-country-codes.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DEFAULT_COW = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow" / "COW-country-codes.csv"

# ISO alpha-3 -> COW state abbreviation, for every country of the bundled snapshot and of the
# researched threshold rules (../shared/reference/thresholds.csv). The two schemes use different
# letters and numbers (ISO numeric 703 is Slovakia, COW 703 is Kyrgyzstan), so the pairing is
# explicit. COW keeps Yugoslavia's number 345 for Serbia; it has no separate Serbia row.
COUNTRIES = {
    "ARM": "ARM",
    "AUS": "AUL",
    "AUT": "AUS",
    "BEL": "BEL",
    "BGR": "BUL",
    "BLR": "BLR",
    "CAN": "CAN",
    "CHE": "SWZ",
    "CIV": "CDI",
    "CYP": "CYP",
    "CZE": "CZR",
    "DEU": "GMY",
    "DNK": "DEN",
    "ESP": "SPN",
    "EST": "EST",
    "FIN": "FIN",
    "FRA": "FRN",
    "GBR": "UKG",
    "GEO": "GRG",
    "GRC": "GRC",
    "HRV": "CRO",
    "HUN": "HUN",
    "IRL": "IRE",
    "IRN": "IRN",
    "ISL": "ICE",
    "ISR": "ISR",
    "ITA": "ITA",
    "JPN": "JPN",
    "KAZ": "KZK",
    "KEN": "KEN",
    "KGZ": "KYR",
    "LTU": "LIT",
    "LUX": "LUX",
    "LVA": "LAT",
    "MDA": "MLD",
    "MLT": "MLT",
    "MOZ": "MZM",
    "MWI": "MAW",
    "NLD": "NTH",
    "NOR": "NOR",
    "NZL": "NEW",
    "POL": "POL",
    "PRT": "POR",
    "ROU": "ROM",
    "RUS": "RUS",
    "SRB": "YUG",
    "SVK": "SLO",
    "SVN": "SLV",
    "SWE": "SWD",
    "TUR": "TUR",
    "UKR": "UKR",
    "VEN": "VEN",
}

# Spellings the code lists do not carry but publishers use.
EXTRA_VARIANTS = {
    "TUR": ["Republic of Turkey"],
    "IRN": ["Iran (Islamic Republic of)"],
    "VEN": ["Venezuela (Bolivarian Republic of)"],
}

# COW state names that do not name the ISO country: "Yugoslavia" is not a spelling of Serbia.
NOT_VARIANTS = {"SRB": {"Yugoslavia"}}


def read_cow(path: Path) -> dict[str, tuple[int, str]]:
    """COW abbreviation -> (code, state name); the file has duplicate rows and CRLF endings."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = {row["StateAbb"].strip(): (int(row["CCode"]), row["StateNme"].strip()) for row in csv.DictReader(handle)}
    missing = sorted(set(COUNTRIES.values()) - set(rows))
    if missing:
        raise SystemExit(f"{path}: no COW row for abbreviations {missing}; expected one per country in COUNTRIES")
    return rows


def crosswalk_rows(cow: dict[str, tuple[int, str]]) -> list[dict[str, object]]:
    rows = []
    for iso3, cow_abbrev in sorted(COUNTRIES.items()):
        country = pycountry.countries.get(alpha_3=iso3)
        rows.append(
            {
                "country_iso3": iso3,
                "iso2": country.alpha_2,
                "iso_numeric": country.numeric,
                "country_name": getattr(country, "common_name", None) or country.name,
                "cow_code": cow[cow_abbrev][0],
                "cow_abbrev": cow_abbrev,
            }
        )
    return rows


def variant_rows(cow: dict[str, tuple[int, str]]) -> list[dict[str, str]]:
    """Every spelling from both code lists plus EXTRA_VARIANTS; one spelling never maps to two countries."""
    owner: dict[str, str] = {}
    rows = []
    for iso3, cow_abbrev in sorted(COUNTRIES.items()):
        country = pycountry.countries.get(alpha_3=iso3)
        names = [
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
            cow[cow_abbrev][1],
            *EXTRA_VARIANTS.get(iso3, []),
        ]
        for name in dict.fromkeys(n for n in names if n and n not in NOT_VARIANTS.get(iso3, set())):
            key = name.casefold()
            if owner.setdefault(key, iso3) != iso3:
                raise SystemExit(f"name variant {name!r} maps to both {owner[key]} and {iso3}")
            rows.append({"variant": name, "country_iso3": iso3})
    return rows


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    cow = read_cow(Path(argv[1]) if len(argv) > 1 else DEFAULT_COW)
    write_csv(SEEDS / "country_crosswalk.csv", crosswalk_rows(cow))
    write_csv(SEEDS / "country_name_variants.csv", variant_rows(cow))


if __name__ == "__main__":
    main(sys.argv)
