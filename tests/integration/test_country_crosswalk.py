"""The country crosswalk seed against the real code lists it was built from.

ISO codes are checked against pycountry, COW codes against the COW state list in ../shared (read
in place). The schemes' numbers mean different countries, so the test pins the classic trap:
ISO numeric 703 is Slovakia, COW 703 is Kyrgyzstan.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pycountry
import pytest

from tests.conftest import shared_file

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def crosswalk() -> list[dict[str, str]]:
    return read_seed("country_crosswalk.csv")


@pytest.fixture(scope="module")
def cow_states() -> dict[str, set[tuple[int, str]]]:
    """COW abbreviation -> {(code, name)}; the file repeats rows (one per period) and ends lines in CRLF."""
    path = shared_file("data", "cow", "COW-country-codes.csv")
    states: dict[str, set[tuple[int, str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            states.setdefault(row["StateAbb"].strip(), set()).add((int(row["CCode"]), row["StateNme"].strip()))
    return states


def test_iso_codes_equal_pycountry(crosswalk):
    for row in crosswalk:
        country = pycountry.countries.get(alpha_3=row["country_iso3"])
        assert country is not None, f"country_crosswalk.csv: {row['country_iso3']} is not an ISO 3166-1 alpha-3 code"
        assert (row["iso2"], row["iso_numeric"]) == (country.alpha_2, country.numeric), (
            f"country_crosswalk.csv: {row['country_iso3']} has ISO codes {row['iso2']}/{row['iso_numeric']}, "
            f"pycountry says {country.alpha_2}/{country.numeric}")


def test_cow_code_and_abbreviation_equal_the_cow_state_list(crosswalk, cow_states):
    for row in crosswalk:
        found = cow_states.get(row["cow_abbrev"])
        assert found, f"country_crosswalk.csv: {row['country_iso3']}: COW abbreviation {row['cow_abbrev']} not in the COW list"
        codes = {code for code, _ in found}
        assert codes == {int(row["cow_code"])}, (
            f"country_crosswalk.csv: {row['country_iso3']}: COW code {row['cow_code']}, the COW list says {codes}")


def test_numeric_703_means_slovakia_in_iso_and_kyrgyzstan_in_cow(crosswalk):
    by_iso_numeric = {row["iso_numeric"]: row["country_iso3"] for row in crosswalk}
    by_cow_code = {int(row["cow_code"]): row["country_iso3"] for row in crosswalk}
    assert by_iso_numeric["703"] == "SVK"
    assert by_cow_code[703] == "KGZ"


def test_every_threshold_country_is_in_the_crosswalk(crosswalk):
    path = shared_file("reference", "thresholds.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        wanted = {row["iso3"] for row in csv.DictReader(handle)}
    missing = wanted - {row["country_iso3"] for row in crosswalk}
    assert not missing, f"countries of {path} missing from country_crosswalk.csv: {sorted(missing)}"


@pytest.mark.parametrize("variant, iso3", [
    ("Kyrgyz Republic", "KGZ"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Türkiye", "TUR"),
    ("Turkey", "TUR"), ("Republic of Moldova", "MDA"), ("Russian Federation", "RUS"), ("Czechia", "CZE"),
    ("Czech Republic", "CZE"), ("Islamic Republic of Iran", "IRN"),
])
def test_source_spellings_map_to_one_country(variant, iso3):
    variants = read_seed("country_name_variants.csv")
    owners = {row["country_iso3"] for row in variants if row["variant"].casefold() == variant.casefold()}
    assert owners == {iso3}, f"country_name_variants.csv: {variant!r} maps to {sorted(owners) or 'nothing'}"


def test_every_snapshot_spelling_resolves_to_its_election_country():
    snapshot = Path(__file__).resolve().parents[2] / "snapshot" / "election_commission" / "elections.json"
    variants = {row["variant"].casefold(): row["country_iso3"] for row in read_seed("country_name_variants.csv")}
    for election in json.loads(snapshot.read_text(encoding="utf-8"))["elections"]:
        found = variants.get(election["country"].strip().casefold())
        assert found == election["election_key"][:3], (
            f"{snapshot.name}: {election['election_key']}: country {election['country']!r} resolves to {found}")
