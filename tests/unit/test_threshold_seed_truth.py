"""`seeds/legal_thresholds.csv` must say what the researched threshold rules say, and only their facts.

The reference (../shared/reference/thresholds.csv) is read at run time, never copied: these tests
compare the seed with it field by field, check the never-applied flags against the rules the
reference's notes name, and check that no paraphrase or research note leaked into the seed.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import shared_file

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "legal_thresholds.csv"
FACT_COLUMNS = ["chamber", "valid_from", "valid_to", "threshold_scope", "coalition_threshold_pct",
                "minority_exemption", "alternative_route"]
# The rules thresholds_notes.md names as never (or not yet) applied, by country and start.
NEVER_APPLIED = {
    ("DEU", "2023-03 (law)"), ("ITA", "2015 (law)"), ("KGZ", "2017-06-05 (law signed)"),
    ("KGZ", "2020-10-22 (final reading)"), ("CZE", "2021-02 (court ruling)"),
    ("UKR", "2020-01-01 (code in force)"), ("ARM", "2022-01-01 (law in force)"), ("MDA", "2005-07 (law)"),
}


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def pairs() -> list[tuple[dict[str, str], dict[str, str]]]:
    reference = read(shared_file("reference", "thresholds.csv"))
    seed = read(SEED)
    assert len(seed) == len(reference), f"{SEED.name} has {len(seed)} rules, the reference {len(reference)}"
    return list(zip(reference, seed))


def test_every_rule_is_transcribed_with_its_facts(pairs):
    for line, (ref, row) in enumerate(pairs, start=2):
        where = f"thresholds.csv line {line} ({ref['iso3']} {ref['valid_from']})"
        assert row["country_iso3"] == ref["iso3"], where
        assert [row[c] for c in FACT_COLUMNS] == [ref[c].strip() for c in FACT_COLUMNS], where
        if ref["threshold_pct"].strip():
            assert float(row["threshold_pct"]) == float(ref["threshold_pct"]), where
        else:
            assert row["threshold_pct"] == "", f"{where}: the reference gives no threshold"
        assert row["source_url"] == ref["source_url"].split("|")[0].strip(), where


def test_never_applied_flags_the_rules_the_notes_name(pairs):
    flagged = {(row["country_iso3"], row["valid_from"]) for _, row in pairs if row["never_applied"] == "true"}
    assert flagged == NEVER_APPLIED
    assert all(row["never_applied"] in ("true", "false") for _, row in pairs)


def test_no_paraphrase_or_note_is_copied(pairs):
    assert list(pairs[0][1]) == ["rule_id", "country_iso3", "chamber", "valid_from", "valid_to", "threshold_pct",
                                 "threshold_scope", "coalition_threshold_pct", "minority_exemption",
                                 "alternative_route", "never_applied", "source_url"]
    seed_text = SEED.read_text(encoding="utf-8")
    for ref, _ in pairs:
        for words in (ref["rule_text"], ref["note"]):
            assert not words.strip() or words.strip() not in seed_text, f"{ref['iso3']}: reference wording copied"


def test_kyrgyz_rules_by_period(pairs):
    kgz = {row["rule_id"]: row for _, row in pairs if row["country_iso3"] == "KGZ"}
    assert (kgz["KGZ-03"]["valid_from"], kgz["KGZ-03"]["valid_to"], kgz["KGZ-03"]["threshold_pct"]) == (
        "2015", "2020-10", "7")
    assert (kgz["KGZ-06"]["valid_from"], kgz["KGZ-06"]["threshold_pct"], kgz["KGZ-06"]["never_applied"]) == (
        "2021", "5", "false")
