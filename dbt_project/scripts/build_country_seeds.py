"""Regenerate the country seeds for the whole world from real code lists, never from memory.

One resolver serves the loader (`ingestion/countries.py`) and dbt (the seeds): both read the
files written here.

- `seeds/countries.csv`: every ISO 3166-1 country (pycountry), the former states of ISO 3166-3
  that dissolved or merged (pycountry.historic_countries), and Kosovo (XKX, the code CLDR and
  the EU use; ISO has none), with Correlates of War codes read from the COW state list
  (`../shared/data/cow/COW-country-codes.csv`, read in place: it repeats rows and ends lines in
  CRLF) and Gleditsch-Ward codes (COW's number unless GW_DIFFERENCES says otherwise).
- `seeds/country_names.csv`: every spelling we know, folded by `ingestion.countries.fold`: the
  ISO names, the COW state name, CLDR territory names in LOCALES (babel), former names and
  EXTRA_NAMES. A folded name that means two countries is kept with both, so the resolver can
  refuse it and name both.
- `seeds/country_codes.csv`: (system, code) -> country for iso2, iso3, iso_numeric, cow, gw,
  with the ISO validity where it is known, so a code reused over time (COW 345: Yugoslavia,
  then Serbia) is resolved by year.

Usage: python dbt_project/scripts/build_country_seeds.py [path/to/COW-country-codes.csv]
Review the diff of the three files and commit them.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

import babel
import pycountry

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from ingestion.countries import fold  # noqa: E402  (the one fold, shared with the loader)

SEEDS = REPO / "dbt_project" / "seeds"
DEFAULT_COW = REPO.parent / "shared" / "data" / "cow" / "COW-country-codes.csv"

# CLDR locales whose territory names are read: the languages publishers of election results,
# casualty bulletins and observer reports write in (post-Soviet, Caucasus, Middle East, Europe,
# Latin America, Africa).
LOCALES = ["en", "ru", "uk", "be", "ky", "kk", "uz", "tg", "tk", "mn", "ka", "hy", "az", "ar", "fa",
           "tr", "he", "fr", "es", "pt", "it", "de", "nl", "pl", "cs", "sk", "sl", "hr", "sr", "sr_Latn",
           "bs", "mk", "bg", "ro", "hu", "el", "sq", "lt", "lv", "et", "fi", "sv", "da", "nb", "sw"]

# ISO 3166-3 entries that were states and dissolved or merged; they keep their own row.
FORMER_STATES = ["SUN", "YUG", "SCG", "CSK", "DDR", "YMD", "VDR"]
# ISO 3166-3 entries that were renamed: their old names are spellings of the successor.
RENAMED = {"BUR": "MMR", "BYS": "BLR", "DHY": "BEN", "HVO": "BFA", "ZAR": "COD", "TMP": "TLS",
           "RHO": "ZWE", "NHB": "VUT"}
# Where an ISO code appeared when its predecessor's was withdrawn (ISO code validity, not the
# date of statehood): it lets a code reused over time be resolved by year.
SUCCEEDS = {"SCG": "YUG", "SRB": "SCG", "MNE": "SCG", "CZE": "CSK", "SVK": "CSK", "RUS": "SUN"}
KOSOVO = {"alpha_3": "XKX", "alpha_2": "XK", "numeric": None, "name": "Kosovo"}

# COW states (abbreviation, code) whose name is not an ISO or CLDR English name, paired by hand
# with the ISO country they are. COW states with no ISO code (Bavaria, Two Sicilies, Korea
# before 1910, the Republic of Vietnam...) are left out: no ISO3 can key them.
COW_PAIRS = {
    ("SVG", 57): "VCT", ("SKN", 60): "KNA", ("GDR", 265): "DDR", ("CZE", 315): "CSK",
    ("MAC", 343): "MKD", ("YUG", 345): "YUG", ("KOS", 347): "XKX", ("CDI", 437): "CIV",
    ("DRC", 490): "COD", ("SWA", 572): "SWZ", ("TUR", 640): "TUR", ("YPR", 680): "YMD",
    ("ETM", 860): "TLS",
}
# COW states that are an earlier form of an ISO country: their code resolves to it, and their
# name is its spelling for that period. COW's West Germany (260, 1955-1990) is the Germany
# whose ISO code continued; North Yemen (678) is ISO's YEM before 1990.
COW_EARLIER = {("GFR", 260): "DEU", ("YAR", 678): "YEM"}
# COW states that continue under a successor: COW keeps Yugoslavia's 345 for Serbia and Russia's
# 365 for the Soviet Union, and 816 is North Vietnam and then Vietnam.
COW_CONTINUED = {"SRB": ("YUG", 345), "SCG": ("YUG", 345), "SUN": ("RUS", 365), "VDR": ("DRV", 816)}

# Gleditsch-Ward codes that differ from COW's (Gleditsch & Ward 1999, "A Revised List of
# Independent States since 1816", and their microstates list; checked against public copies of
# the list). Everywhere else G-W uses the COW number of the same state. G-W treats unified
# Germany as the German Federal Republic (260; COW 255) and unified Yemen as the Yemen Arab
# Republic (678; COW 679); G-W's Yugoslavia is 345 until 2006 and Serbia 340 after (COW keeps
# 345); the Pacific microstates are numbered 970-973 (COW: Kiribati 946, Nauru 970, Tonga 955).
GW_DIFFERENCES = {"DEU": 260, "YEM": 678, "SRB": 340, "KIR": 970, "NRU": 971, "TON": 972}
# COW states whose G-W code we could not check against a public copy: left empty, not guessed.
GW_UNVERIFIED = {"TUV"}

# Spellings publishers use that neither the code lists nor CLDR carry.
EXTRA_NAMES = {
    "KGZ": ["Kyrgyz Republic", "Kirghizia"],
    "IRN": ["Islamic Republic of Iran", "Iran (Islamic Republic of)", "Persia"],
    "CIV": ["Ivory Coast", "Republic of Côte d’Ivoire"],
    "TUR": ["Türkiye", "Turkiye", "Republic of Turkey", "Republic of Türkiye"],
    "VEN": ["Venezuela (Bolivarian Republic of)"],
    "CZE": ["Czech Republic"],
    "MDA": ["Republic of Moldova"],
    "MKD": ["Macedonia", "Former Yugoslav Republic of Macedonia"],
    "SWZ": ["Swaziland"],
    "CPV": ["Cape Verde"],
    "TLS": ["East Timor"],
    "KOR": ["Republic of Korea"],
    "PRK": ["Democratic People's Republic of Korea", "DPRK"],
    "RUS": ["Russia"],
    "GBR": ["Great Britain", "Britain", "UK", "U.K."],
    "USA": ["United States of America", "US", "U.S.", "U.S.A."],
    "ARE": ["UAE"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "VAT": ["Vatican", "Holy See"],
    "BLR": ["Belorussia", "Byelorussia"],
    "PSE": ["Palestine", "State of Palestine"],
    "MMR": ["Burma"],
    "COD": ["Zaire", "DR Congo", "DRC"],
    "BFA": ["Upper Volta"],
    "BEN": ["Dahomey"],
    "DEU": ["West Germany", "Federal Republic of Germany"],
    "YEM": ["North Yemen"],
    "SUN": ["Soviet Union", "USSR", "Union of Soviet Socialist Republics", "Советский Союз", "СССР"],
    "YUG": ["Yugoslavia", "Socialist Federal Republic of Yugoslavia", "Federal Republic of Yugoslavia",
            "Југославија", "Jugoslavija"],
    "SCG": ["Serbia and Montenegro", "State Union of Serbia and Montenegro", "Србија и Црна Гора"],
    "CSK": ["Czechoslovakia", "Czechoslovak Socialist Republic", "Československo"],
    "DDR": ["East Germany", "German Democratic Republic", "Deutsche Demokratische Republik", "GDR"],
    "YMD": ["South Yemen", "People's Democratic Republic of Yemen"],
    "VDR": ["North Vietnam", "Democratic Republic of Vietnam"],
    "XKX": ["Republic of Kosovo", "Kosova"],
    "MNG": ["Монгол Улс"],
}

# Names publishers use for either of two states: listed for both, so the resolver refuses them and
# names both ("Congo" is ISO's short name of Congo-Brazzaville but often written for the DRC).
AMBIGUOUS_NAMES = {"Congo": ["COG", "COD"], "Korea": ["KOR", "PRK"], "Virgin Islands": ["VGB", "VIR"]}

COUNTRY_FIELDS = ["country_iso3", "iso2", "iso_numeric", "country_name", "cow_code", "cow_abbrev", "gw_code",
                  "is_former_state", "valid_from", "valid_to"]


def read_cow(path: Path) -> dict[tuple[str, int], str]:
    """(COW abbreviation, code) -> state name; duplicate rows (one per period) collapse."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {(row["StateAbb"].strip(), int(row["CCode"])): row["StateNme"].strip() for row in csv.DictReader(handle)}


def iso_entities() -> dict[str, dict]:
    """ISO3 -> {alpha_2, numeric, names, former, valid_to} for current countries, former states, Kosovo."""
    entities: dict[str, dict] = {}
    for country in pycountry.countries:
        names = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        entities[country.alpha_3] = {"alpha_2": country.alpha_2, "numeric": country.numeric,
                                     "names": [n for n in names if n], "former": False, "valid_to": None}
    for country in pycountry.historic_countries:
        if country.alpha_3 in FORMER_STATES:
            entities[country.alpha_3] = {"alpha_2": country.alpha_2, "numeric": getattr(country, "numeric", None),
                                         "names": [country.name], "former": True,
                                         "valid_to": country.withdrawal_date}
        elif country.alpha_3 in RENAMED:
            entities[RENAMED[country.alpha_3]]["names"].append(country.name)
    entities["XKX"] = {"alpha_2": KOSOVO["alpha_2"], "numeric": None, "names": [KOSOVO["name"]],
                       "former": False, "valid_to": None}
    for iso3, predecessor in SUCCEEDS.items():
        entities[iso3]["valid_from"] = entities[predecessor]["valid_to"]
    return entities


def english_index(entities: dict[str, dict]) -> dict[str, set[str]]:
    en = babel.Locale("en").territories
    index: dict[str, set[str]] = {}
    for iso3, entity in entities.items():
        cldr = [en[entity["alpha_2"]]] if not entity["former"] and entity["alpha_2"] in en else []
        for name in entity["names"] + cldr:
            index.setdefault(fold(name), set()).add(iso3)
    return index


def pair_cow(cow: dict[tuple[str, int], str], entities: dict[str, dict]) -> dict[tuple[str, int], str]:
    """COW state -> ISO3, by exact English name or by COW_PAIRS; a state matching two is an error."""
    index = english_index(entities)
    pairs = {}
    for state, name in cow.items():
        if state in COW_PAIRS or state in COW_EARLIER:
            pairs[state] = COW_PAIRS.get(state) or COW_EARLIER[state]
            continue
        found = index.get(fold(name), set())
        if len(found) > 1:
            raise SystemExit(f"COW state {state} {name!r} matches {sorted(found)}; pair it in COW_PAIRS")
        if found:
            pairs[state] = found.pop()
    for state in list(COW_PAIRS) + list(COW_EARLIER):
        if state not in cow:
            raise SystemExit(f"COW list has no state {state}; fix COW_PAIRS/COW_EARLIER")
    return pairs


def country_rows(entities: dict[str, dict], cow: dict, pairs: dict) -> list[dict[str, object]]:
    primary = {iso3: state for state, iso3 in pairs.items() if state not in COW_EARLIER}
    for iso3, state in COW_CONTINUED.items():
        if state not in cow:
            raise SystemExit(f"COW list has no state {state}; fix COW_CONTINUED")
        primary.setdefault(iso3, state)
    rows = []
    for iso3, entity in sorted(entities.items()):
        state = primary.get(iso3)
        cow_code = state[1] if state else None
        gw_code = None if iso3 in GW_UNVERIFIED or cow_code is None else GW_DIFFERENCES.get(iso3, cow_code)
        country = pycountry.countries.get(alpha_3=iso3)
        name = entity["names"][0] if country is None else (getattr(country, "common_name", None) or country.name)
        rows.append({
            "country_iso3": iso3, "iso2": entity["alpha_2"], "iso_numeric": entity["numeric"], "country_name": name,
            "cow_code": cow_code, "cow_abbrev": state[0] if state else None, "gw_code": gw_code,
            "is_former_state": "true" if entity["former"] else "false",
            "valid_from": entity.get("valid_from"), "valid_to": entity["valid_to"],
        })
    return rows


def script_of(name: str) -> str:
    """The Unicode script of a name's first letter (LATIN, CYRILLIC, GEORGIAN, ARABIC...)."""
    letter = next((c for c in name if c.isalpha()), "")
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0].lower() if letter else "unknown"


def name_rows(entities: dict[str, dict], cow: dict, pairs: dict) -> list[dict[str, str]]:
    found: dict[tuple[str, str], dict[str, str]] = {}

    def add(name: str | None, iso3: str, language: str, origin: str) -> None:
        if not name or not fold(name):
            return
        found.setdefault((fold(name), iso3), {"name_folded": fold(name), "name": name, "country_iso3": iso3,
                                              "script": script_of(name), "language": language, "origin": origin})

    for iso3, entity in sorted(entities.items()):
        for name in entity["names"]:
            add(name, iso3, "en", "iso3166")
        add(iso3, iso3, "", "iso3166 alpha-3")
    for state, iso3 in sorted(pairs.items()):
        add(cow[state], iso3, "en", "cow")
    for locale in LOCALES:
        territories = babel.Locale.parse(locale).territories
        for iso3, entity in sorted(entities.items()):
            if not entity["former"] and entity["alpha_2"] in territories:
                add(territories[entity["alpha_2"]], iso3, locale, "cldr")
    for iso3, names in EXTRA_NAMES.items():
        for name in names:
            add(name, iso3, "", "variant")
    for name, owners in AMBIGUOUS_NAMES.items():
        for iso3 in owners:
            add(name, iso3, "", "ambiguous")
    return sorted(found.values(), key=lambda r: (r["name_folded"], r["country_iso3"]))


def code_rows(countries: list[dict[str, object]], cow: dict) -> list[dict[str, object]]:
    rows = []
    for row in countries:
        for system, column in (("iso3", "country_iso3"), ("iso2", "iso2"), ("iso_numeric", "iso_numeric"),
                               ("cow", "cow_code"), ("gw", "gw_code")):
            if row[column] not in (None, ""):
                rows.append({"system": system, "code": str(row[column]), "country_iso3": row["country_iso3"],
                             "valid_from": row["valid_from"], "valid_to": row["valid_to"], "origin": "countries"})
    for (abbrev, code), iso3 in sorted(COW_EARLIER.items()):
        rows.append({"system": "cow", "code": str(code), "country_iso3": iso3, "valid_from": None, "valid_to": None,
                     "origin": f"cow {abbrev} {cow[(abbrev, code)]}"})
    return sorted(rows, key=lambda r: (r["system"], r["code"], r["country_iso3"]))


def write_csv(path: Path, rows: list[dict[str, object]], fields: list[str] | None = None) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    cow = read_cow(Path(argv[1]) if len(argv) > 1 else DEFAULT_COW)
    entities = iso_entities()
    pairs = pair_cow(cow, entities)
    countries = country_rows(entities, cow, pairs)
    write_csv(SEEDS / "countries.csv", countries, COUNTRY_FIELDS)
    write_csv(SEEDS / "country_names.csv", name_rows(entities, cow, pairs))
    write_csv(SEEDS / "country_codes.csv", code_rows(countries, cow))


if __name__ == "__main__":
    main(sys.argv)
