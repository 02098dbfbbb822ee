"""The country seeds and the one resolver against the real code lists they were built from.

ISO codes are checked against pycountry, COW codes against the COW state list in ../shared (read
in place: duplicate rows, CRLF), names against babel's CLDR data. The schemes' numbers mean
different countries, so the classic trap is pinned: ISO numeric 703 is Slovakia, COW 703 is
Kyrgyzstan.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import babel
import pycountry
import pytest

from ingestion.countries import (code_candidates, fold, name_candidates, resolve_code, resolve_country,
                                 unresolved_reason)
from ingestion.parsers.election_commission import parse_elections
from tests.conftest import shared_file

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT / "dbt_project" / "seeds"
FORMER_STATES = {"SUN", "YUG", "SCG", "CSK", "DDR", "YMD"}


def read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def countries() -> dict[str, dict[str, str]]:
    return {row["country_iso3"]: row for row in read_seed("countries.csv")}


@pytest.fixture(scope="module")
def cow_states() -> dict[str, set[tuple[int, str]]]:
    """COW abbreviation -> {(code, name)}; the file repeats rows (one per period) and ends lines in CRLF."""
    path = shared_file("data", "cow", "COW-country-codes.csv")
    states: dict[str, set[tuple[int, str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            states.setdefault(row["StateAbb"].strip(), set()).add((int(row["CCode"]), row["StateNme"].strip()))
    return states


def test_every_iso_country_is_a_row_equal_to_pycountry(countries):
    for country in pycountry.countries:
        row = countries.get(country.alpha_3)
        assert row is not None, f"countries.csv: ISO country {country.alpha_3} ({country.name}) is missing"
        assert (row["iso2"], row["iso_numeric"], row["is_former_state"]) == (country.alpha_2, country.numeric, "false"), (
            f"countries.csv: {country.alpha_3} has {row['iso2']}/{row['iso_numeric']}, "
            f"pycountry says {country.alpha_2}/{country.numeric}")
        assert row["country_name"] == (getattr(country, "common_name", None) or country.name)


def test_former_states_are_rows_equal_to_iso_3166_3(countries):
    for iso3 in FORMER_STATES:
        historic = pycountry.historic_countries.get(alpha_3=iso3)
        row = countries[iso3]
        assert row["is_former_state"] == "true", f"countries.csv: {iso3} should be a former state"
        assert (row["iso2"], row["iso_numeric"], row["valid_to"]) == (
            historic.alpha_2, getattr(historic, "numeric", ""), historic.withdrawal_date)
    assert countries["XKX"]["iso2"] == "XK" and countries["XKX"]["cow_code"] == "347"
    current = [r for r in countries.values() if r["is_former_state"] == "false"]
    assert len(current) == len(pycountry.countries) + 1, "every ISO country plus Kosovo"


def test_cow_code_and_abbreviation_equal_the_cow_state_list(countries, cow_states):
    paired = 0
    for row in countries.values():
        if not row["cow_code"]:
            continue
        found = cow_states.get(row["cow_abbrev"])
        assert found, f"countries.csv: {row['country_iso3']}: COW abbreviation {row['cow_abbrev']} not in the COW list"
        assert {code for code, _ in found} == {int(row["cow_code"])}, (
            f"countries.csv: {row['country_iso3']}: COW code {row['cow_code']}, the COW list says {found}")
        paired += 1
    # every COW state of today's system is keyed; the unpaired ones are 19th-century states and the like
    assert paired >= 200


def test_cow_states_without_a_row_have_no_iso_code(countries, cow_states):
    keyed = {(r["cow_abbrev"], int(r["cow_code"])) for r in countries.values() if r["cow_code"]}
    earlier = {("GFR", 260), ("YAR", 678)}  # resolve to DEU and YEM through country_codes.csv
    missing = {(abbrev, code, name) for abbrev, pairs in cow_states.items() for code, name in pairs
               if (abbrev, code) not in keyed | earlier}
    assert {abbrev for abbrev, _, _ in missing} <= {
        "AUH", "BAD", "BAV", "HAN", "HSE", "HSG", "KOR", "MEC", "MOD", "PAP", "PMA", "RVN", "SAX", "SIC", "TUS",
        "WRT", "ZAN"}, f"COW states with an ISO country but no row: {sorted(missing)}"


def test_gleditsch_ward_codes_differ_from_cow_only_where_documented(countries):
    differing = {iso3: (row["cow_code"], row["gw_code"]) for iso3, row in countries.items()
                 if row["gw_code"] and row["gw_code"] != row["cow_code"]}
    assert differing == {"DEU": ("255", "260"), "SRB": ("345", "340"), "YEM": ("679", "678"),
                         "KIR": ("946", "970"), "NRU": ("970", "971"), "TON": ("955", "972")}
    assert (countries["DDR"]["gw_code"], countries["YUG"]["gw_code"], countries["YMD"]["gw_code"],
            countries["XKX"]["gw_code"]) == ("265", "345", "680", "347")


def test_numeric_703_means_slovakia_in_iso_and_kyrgyzstan_in_cow():
    assert resolve_code("iso_numeric", 703) == "SVK"
    assert resolve_code("cow", 703) == "KGZ"
    assert resolve_code("gw", "703") == "KGZ"


@pytest.mark.parametrize("system, code, year, iso3", [
    ("iso2", "kg", None, "KGZ"), ("iso3", "geo", None, "GEO"), ("iso_numeric", "4", None, "AFG"),
    ("cow", 255, None, "DEU"), ("cow", 260, None, "DEU"), ("gw", 260, None, "DEU"), ("cow", 265, None, "DDR"),
    ("cow", 678, None, "YEM"), ("cow", 680, None, "YMD"), ("gw", 340, None, "SRB"), ("gw", 345, None, None),
    ("cow", 345, None, None), ("cow", 345, 1995, "YUG"), ("cow", 345, 2004, "SCG"), ("cow", 345, 2010, "SRB"),
    ("cow", 365, 1980, "SUN"), ("cow", 365, 2000, "RUS"), ("iso2", "CS", None, None), ("cow", 245, None, None),
])
def test_resolve_code(system, code, year, iso3):
    assert resolve_code(system, code, year) == iso3, code_candidates(system, code, year)


def test_a_code_of_two_states_is_refused_naming_both():
    assert code_candidates("iso2", "CS") == ("CSK", "SCG")
    with pytest.raises(ValueError, match="iso2, iso3, iso_numeric, cow, gw"):
        resolve_code("fips", "GG")


def test_fold_keeps_other_scripts_and_drops_only_latin_accents():
    assert fold("Côte d’Ivoire") == fold("COTE D'IVOIRE") == fold("Cote dʼIvoire") == "cote d'ivoire"
    assert fold("Кыргызстан") == "кыргызстан" and fold("Кыргызстан") != ""
    assert fold("Йемен") == "йемен", "a Cyrillic letter with a mark is a letter of its own"
    assert fold("საქართველო") == "საქართველო"
    assert fold("Guinea‑Bissau") == fold("Guinea – Bissau".replace(" – ", "-")) == "guinea-bissau"
    assert fold("  Türkiye \t") == "turkiye"


@pytest.mark.parametrize("name, iso3", [
    ("Côte d’Ivoire", "CIV"), ("Côte d'Ivoire", "CIV"), ("Ivory Coast", "CIV"), ("Кыргызстан", "KGZ"),
    ("Киргизия", "KGZ"), ("Kyrgyz Republic", "KGZ"), ("საქართველო", "GEO"), ("Հայաստան", "ARM"), ("مصر", "EGY"),
    ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Islamic Republic of Iran", "IRN"), ("ایران", "IRN"),
    ("Republic of Moldova", "MDA"), ("Russian Federation", "RUS"), ("Россия", "RUS"), ("Україна", "UKR"),
    ("Қазақстан", "KAZ"), ("Azərbaycan", "AZE"), ("Czechia", "CZE"), ("Czech Republic", "CZE"),
    ("Монгол Улс", "MNG"), ("Ecuador", "ECU"), ("Kosovo", "XKX"), ("Soviet Union", "SUN"),
    ("СССР", "SUN"), ("Yugoslavia", "YUG"), ("Serbia and Montenegro", "SCG"), ("Czechoslovakia", "CSK"),
    ("German Democratic Republic", "DDR"), ("South Yemen", "YMD"), ("Zaire", "COD"), ("Burma", "MMR"),
    ("Republic of the Congo", "COG"), ("Democratic Republic of the Congo", "COD"), ("UK", "GBR"), ("KENYA ", "KEN"),
])
def test_names_in_every_script_resolve(name, iso3):
    assert resolve_country(name) == iso3, unresolved_reason(name)


@pytest.mark.parametrize("name, both", [("Kongo", ("COD", "COG")), ("Congo", ("COD", "COG")),
                                        ("korea", ("KOR", "PRK"))])
def test_a_name_of_two_states_is_refused_naming_both(name, both):
    assert name_candidates(name) == both
    assert resolve_country(name) is None
    reason = unresolved_reason(name)
    assert f"ambiguous country {name!r}" in reason and all(iso3 in reason for iso3 in both)


def test_cldr_itself_gives_one_name_to_two_states():
    # "Kongo" is Congo-Brazzaville in Polish and Congo-Kinshasa in Norwegian Bokmål
    assert babel.Locale("pl").territories["CG"] == babel.Locale("nb").territories["CD"] == "Kongo"


def test_names_seed_is_folded_by_the_resolvers_fold_and_keeps_every_script():
    rows = read_seed("country_names.csv")
    wrong = [row["name"] for row in rows if row["name_folded"] != fold(row["name"])]
    assert not wrong, f"country_names.csv: name_folded is not fold(name) for {wrong[:5]}"
    scripts = Counter(row["script"] for row in rows)
    for script in ("latin", "cyrillic", "georgian", "armenian", "arabic"):
        assert scripts[script] >= 200, f"country_names.csv has only {scripts[script]} {script} names"


def test_every_threshold_country_is_a_country(countries):
    path = shared_file("reference", "thresholds.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        wanted = {row["iso3"] for row in csv.DictReader(handle)}
    assert not wanted - set(countries), f"countries of {path} missing from countries.csv"


def test_every_snapshot_spelling_resolves_to_its_election_country():
    snapshot = REPO_ROOT / "snapshot" / "election_commission" / "elections.json"
    for election in json.loads(snapshot.read_text(encoding="utf-8"))["elections"]:
        assert resolve_country(election["country"]) == election["election_key"][:3], (
            f"{snapshot.name}: {election['election_key']}: country {election['country']!r} resolves to "
            f"{resolve_country(election['country'])}")


def _payload(*elections: tuple[str, str]) -> bytes:
    return json.dumps({"publisher": "synthetic", "elections": [
        {"election_key": key, "country": country, "election_type": "parliamentary",
         "election_date": f"{key[4:8]}-03-01", "source_url": "https://example.org/synthetic"}
        for key, country in elections]}).encode()


def test_the_loader_resolves_every_script_and_quarantines_with_the_name_and_the_fix():
    parsed = parse_elections(_payload(("CIV-2000-PRES", "Côte d’Ivoire"), ("MNG-2000-PARL", "Монгол Улс"),
                                      ("COG-2000-PARL", "Kongo"), ("ATL-2000-PARL", "Atlantis")), "synthetic_elections")
    assert [(row["election_key"], row["country_iso3"]) for row in parsed.records] == [
        ("CIV-2000-PRES", "CIV"), ("MNG-2000-PARL", "MNG")]
    reasons = {r.locator: r.reason for r in parsed.rejected}
    assert "COD" in reasons["elections[2]"] and "COG" in reasons["elections[2]"]
    assert "unknown country 'Atlantis'" in reasons["elections[3]"]
    assert "build_country_seeds.py" in reasons["elections[3]"]
