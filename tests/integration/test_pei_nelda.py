"""PEI and NELDA through staging, the registry contract and fct_election_integrity, on a real DuckDB
file with a real `dbt build` (and the mart's GX suite).

PEI is the real PEI 7.0 election-level file from ../shared/data (its tests skip with the reason
when it is absent). NELDA's real file is not redistributed: NELDA is a SYNTHETIC file in NELDA's
layout written by tests/fixtures/synthetic_nelda.py, one record per trap (latin-1 accented name,
unpadded mmdd, a second round in the next year, impossible and missing mmdd, yes/no/unclear/N/A,
an answer NELDA does not use, an exact duplicate, a COW code no country has, a reused COW code,
a type the map lacks).

The raw tables are written by the real loader (ingestion/tabular.py). The assertions on the
duplicate and the unresolvable COW code accept either outcome: staged and flagged, or in
raw.quarantine with a reason (the loader quarantines both).
"""
from __future__ import annotations

import csv
import math
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.gate import run_gate
from ingestion.loader import connect_warehouse
from ingestion.settings import Paths
from ingestion.transform import run_dbt
from tests.conftest import REPO_ROOT, SHARED, shared_file
from tests.fixtures import synthetic_nelda
from tests.fixtures.synthetic_nelda import trap

pytestmark = pytest.mark.slow

PEI_FILE = SHARED / "data" / "pei" / "PEI_7.0_election_level.tab"
FETCHED_AT = "2026-01-01 00:00:00+00"
META = ["_source", "_payload_sha256", "_fetched_at", "_record_locator", "_loaded_at"]
# the raw columns PEI staging reads (an empty raw table is made of these when the file is absent)
PEI_COLUMNS_READ = [
    "election", "date", "year", "office", "country", "ccodecow", "iso", "refno", "numresponses",
    "peiindexp", "peiindexp_lci", "peiindexp_hci", "peiindexi", "peiindexi_lci", "peiindexi_hci",
    "peiindex_rank", "rating", "rating_lci", "rating_hci", "peitype", "laws", "lawsi", "procedures",
    "proceduresi", "boundaries", "boundariesi", "votereg", "voteregi", "partyreg", "partyregi", "media",
    "mediai", "finance", "financei", "voting", "votingi", "count", "counti", "results", "resultsi",
    "embs", "embsi",
]
CONTRACT_COLUMNS = ["source", "source_election_id", "country_iso3", "election_date", "election_year",
                    "election_type", "round", "source_type"]


def raw_names(header: list[str]) -> list[str]:
    """CONTRACT.md's raw column names: lower-cased, other characters `_`, a name already taken
    suffixed _1, _2 (PEI's header has LAWS and laws)."""
    names: list[str] = []
    for column in header:
        base = re.sub(r"[^a-z0-9_]", "_", column.lower())
        name, n = base, 0
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return names


def _load_raw_as_the_contract_says(con: duckdb.DuckDBPyConnection, table: str, source_id: str, path: Path,
                                   delim: str, sha: str) -> int:
    """One file through the real loader (ingestion/tabular.py); returns the rows it loaded."""
    from ingestion.loader import load_payload
    from ingestion.registry import get_source

    loaded, _quarantined, rejected = load_payload(con, get_source(source_id), sha, FETCHED_AT, path.read_bytes(), path)
    assert rejected is None, rejected
    return loaded


def _empty_raw(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    spec = ", ".join(f"{c} varchar" for c in columns)
    con.execute(f"create or replace table raw.{table} ({spec}, _source varchar, _payload_sha256 varchar, "
                f"_fetched_at timestamptz, _record_locator varchar, _loaded_at timestamptz)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("pei_nelda")
    paths = Paths(work)
    nelda_file = synthetic_nelda.write_synthetic_nelda(work / "synthetic_nelda.csv")
    con = connect_warehouse(paths.warehouse)
    try:
        if PEI_FILE.exists():
            _load_raw_as_the_contract_says(con, "pei_elections", "pei", PEI_FILE, "\t", "sha-pei-7.0")
        else:
            _empty_raw(con, "pei_elections", PEI_COLUMNS_READ)
        _load_raw_as_the_contract_says(con, "nelda_elections", "nelda", nelda_file, ",", "sha-synthetic-nelda")
    finally:
        con.close()
    run_dbt(paths, "build", "--select", "+fct_election_integrity", "int_pei__elections", "int_nelda__elections", "countries",
            "--indirect-selection", "cautious", echo=None)
    return paths


@pytest.fixture
def con(built):
    """A read-only connection for one test (closed after it, so the gate can open the file)."""
    connection = duckdb.connect(str(built.warehouse), read_only=True)
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def nelda_row(con, name: str) -> dict:
    found = rows(con, "select * from staging.stg_nelda__elections where election_id = ?", [trap(name).electionid])
    assert len(found) == 1, f"{name}: {len(found)} staged rows for {trap(name).electionid}"
    return found[0]


def staged_or_quarantined(con, name: str) -> tuple[dict | None, str | None]:
    """The staged row of a trap's record, or the reason the loader quarantined it."""
    staged = rows(con, "select * from staging.stg_nelda__elections where election_id = ?", [trap(name).electionid])
    reasons = [r["reason"] for r in rows(
        con, "select reason from raw.quarantine where source = 'nelda' and json_extract_string(record, '$.electionid') = ?",
        [trap(name).electionid])]
    return (staged[0] if staged else None), (reasons[0] if reasons else None)


# ---------------------------------------------------------------- PEI (real file)

def pei_file_rows() -> list[dict]:
    """The PEI file read independently of the warehouse (Python's csv module); a repeated header
    name keeps its later column, the index (the earlier is an empty section marker)."""
    path = shared_file("data", "pei", PEI_FILE.name)
    with path.open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        return [{name.lower(): value for name, value in zip(header, row)} for row in reader]


def number(text: str) -> float | None:
    return float(text) if text.strip() else None


def test_every_pei_election_is_staged_and_most_resolve(con):
    file_rows = pei_file_rows()
    staged = rows(con, "select election_id, country_iso3, election_type, election_date from staging.stg_pei__elections")
    assert len(file_rows) == 337 and len({r["election"] for r in file_rows}) == 337
    assert {r["election_id"] for r in staged} == {r["election"].strip() for r in file_rows}
    resolved = [r for r in staged if r["country_iso3"] and r["election_type"]]
    assert len(resolved) >= 300, f"only {len(resolved)} of {len(staged)} PEI elections have a country and a type"
    assert all(r["election_date"] for r in staged)
    # what the registry reads: the contract's columns, in order, one row per election
    integrity = rows(con, "select * from intermediate.int_pei__elections limit 1")[0]
    assert list(integrity)[:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert con.execute("select count(*) from marts.fct_election_integrity where source = 'pei'").fetchone()[0] == 337


def test_pei_indices_match_the_file(con):
    """Every election's PEIIndexi, rating and laws index (the header's second `laws`) as the file has them."""
    file_rows = {r["election"].strip(): r for r in pei_file_rows()}
    staged = rows(con, "select source_election_id as election_id, pei_indexi, pei_indexi_lci, pei_rating, pei_laws, "
                       "pei_embsi, pei_indexp from marts.fct_election_integrity where source = 'pei'")
    compared = 0
    for row in staged:
        published = file_rows[row["election_id"]]
        for column, raw in [("pei_indexi", "peiindexi"), ("pei_indexi_lci", "peiindexi_lci"), ("pei_rating", "rating"),
                            ("pei_laws", "laws"), ("pei_embsi", "embsi"), ("pei_indexp", "peiindexp")]:
            expected = number(published[raw])
            assert (row[column] is None) == (expected is None), (row["election_id"], column, row[column], expected)
            if expected is not None:
                assert math.isclose(row[column], expected, rel_tol=1e-12), (row["election_id"], column)
                compared += 1
    assert compared > 337 * 4
    albania = file_rows["ALB_23062013_L1"]
    assert number(albania["peiindexi"]) == pytest.approx(54.383728)
    assert [r["pei_indexi"] for r in staged if r["election_id"] == "ALB_23062013_L1"] == [pytest.approx(54.383728)]


def test_pei_contradictions_are_flagged_not_dropped(con):
    """Every election whose id disagrees with its ISO, date or office (computed here from the file)
    keeps its row with an issue naming the disagreement."""
    file_rows = pei_file_rows()
    issues = dict(con.execute("select election_id, data_issues from staging.stg_pei__elections").fetchall())
    expected = {}
    for r in file_rows:
        iso, ddmmyyyy, kind = re.fullmatch(r"([A-Z]{3})_(\d{8})_([LSP])\d+", r["election"]).groups()
        day = date(int(ddmmyyyy[4:]), int(ddmmyyyy[2:4]), int(ddmmyyyy[:2]))
        office = {"L": "0", "S": "0", "P": "1"}[kind]
        if iso != r["iso"]:
            expected[r["election"]] = f"prefix {iso} is not its ISO {r['iso']}"
        if day.isoformat() != r["date"]:
            expected[r["election"]] = f"is not the election id's date {day.isoformat()}"
        if str(int(float(r["office"]))) != office:
            expected[r["election"]] = "but the election id's letter is"
    assert expected, "the PEI 7.0 file has id contradictions; none were found, so the file changed"
    for election, words in expected.items():
        assert words in (issues[election] or ""), (election, issues[election])
    clean = [e for e, issue in issues.items() if issue is None]
    assert len(clean) >= 330


# ---------------------------------------------------------------- NELDA (synthetic file)

def test_every_synthetic_nelda_record_is_staged_or_quarantined(con):
    for record in synthetic_nelda.TRAPS:
        staged, reason = staged_or_quarantined(con, record.trap)
        assert staged is not None or reason, f"{record.trap} ({record.electionid}) is neither staged nor quarantined"
    integrity = rows(con, "select * from intermediate.int_nelda__elections order by source_election_id")
    assert list(integrity[0])[:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert {r["source"] for r in integrity} == {"nelda"}


def test_latin1_accented_country_and_every_answer_kind(con):
    row = nelda_row(con, "accented_country")
    assert row["country_name_as_published"] == "Côte d'Ivoire"
    assert row["country_iso3"] == "CIV"
    assert (row["election_date"], row["election_date_precision"]) == (date(2000, 10, 22), "day")
    assert (row["election_type"], row["round"]) == ("PRES", 1)
    assert (row["post_election_riots"], row["post_election_riots_status"]) == (True, "yes")
    assert (row["civilian_deaths"], row["civilian_deaths_status"]) == (True, "yes")
    assert (row["favourable_results_cancelled"], row["favourable_results_cancelled_status"]) == (False, "no")
    assert (row["government_violence_against_protesters"],
            row["government_violence_against_protesters_status"]) == (None, "unclear")
    assert (row["cancellation_after_protests"], row["cancellation_after_protests_status"]) == (None, "n/a")
    assert (row["western_monitors_alleged_fraud"], row["western_monitors_alleged_fraud_status"]) == (None, "unclear")
    assert row["data_issues"] is None
    mart = rows(con, "select * from marts.fct_election_integrity where source = 'nelda' and source_election_id = ?",
                [trap("accented_country").electionid])[0]
    assert (mart["nelda_post_election_riots"], mart["nelda_cancellation_after_protests_status"]) == (True, "n/a")
    assert mart["pei_indexi"] is None and mart["election_key"] == "CIV-2000-PRES"  # linked by the registry


@pytest.mark.parametrize("name, day, round_", [
    ("three_digit_mmdd", date(1998, 3, 15), 1),
    ("second_round_next_year", date(1991, 1, 20), 2),
    ("mmdd_with_decimals", date(2004, 7, 4), 1),
])
def test_unpadded_mmdd_gives_the_day(con, name, day, round_):
    row = nelda_row(con, name)
    assert (row["election_date"], row["election_date_precision"], row["election_year"]) == (day, "day", day.year)
    assert row["round"] == round_
    assert row["date_issue"] is None


@pytest.mark.parametrize("name", ["impossible_mmdd", "impossible_day", "missing_mmdd"])
def test_missing_or_impossible_mmdd_dates_by_year_and_says_so(con, name):
    row = nelda_row(con, name)
    record = trap(name)
    assert row["election_date"] is None
    assert (row["election_date_precision"], row["election_year"]) == ("year", int(record.year))
    assert "dated by year only" in row["date_issue"]
    assert (f"'{record.mmdd}'" in row["date_issue"]) if record.mmdd else ("no mmdd" in row["date_issue"])
    contract = rows(con, "select * from intermediate.int_nelda__elections where source_election_id = ?",
                    [record.electionid])[0]
    assert contract["election_date"] is None and contract["election_year"] == int(record.year)


def test_an_answer_nelda_does_not_use_is_flagged_not_silently_null(con):
    row = nelda_row(con, "unknown_answer")
    assert (row["post_election_riots"], row["post_election_riots_status"]) == (None, "unknown")
    assert "nelda29 'probably'" in row["value_issues"]
    assert (row["civilian_deaths"], row["civilian_deaths_status"]) == (True, "yes")


def test_an_exact_duplicate_is_kept_once(con):
    staged, reason = staged_or_quarantined(con, synthetic_nelda.DUPLICATE_OF)
    assert staged is not None, "the first copy of the duplicated record must be staged"
    copies_flagged = staged["copies_issue"] is not None and "2 rows" in staged["copies_issue"] \
        and "identical" in staged["copies_issue"]
    assert copies_flagged or (reason and "duplicate" in reason.lower()), (staged["copies_issue"], reason)
    assert staged["election_date"] == date(1998, 3, 15)


def test_a_cow_code_no_country_has_is_named(con):
    staged, reason = staged_or_quarantined(con, "unresolvable_cow")
    if staged is not None:
        assert staged["country_iso3"] is None
        assert "COW code 999 names no country in 2003" in staged["country_issue"]
    else:
        assert "999" in reason


def test_a_reused_cow_code_resolves_by_year(con):
    assert nelda_row(con, "reused_cow_early")["country_iso3"] == "YUG"
    assert nelda_row(con, "reused_cow_late")["country_iso3"] == "SRB"


def test_a_type_the_map_lacks_stays_null_and_is_named(con):
    row = nelda_row(con, "unmapped_type")
    assert row["election_type"] is None
    assert "types 'Synthetic assembly type' is not a nelda row of seeds/election_type_map.csv" in row["type_issue"]
    assert row["country_iso3"] == "NPL"


# ---------------------------------------------------------------- the mart

def test_mart_holds_every_staged_record_once_and_passes_its_suite(built, tmp_path):
    con = duckdb.connect(str(built.warehouse), read_only=True)
    staged = con.execute("select (select count(*) from staging.stg_pei__elections) "
                         "+ (select count(*) from staging.stg_nelda__elections)").fetchone()[0]
    total, keys, linked = con.execute(
        "select count(*), count(distinct (source, source_election_id)), count(election_key) "
        "from marts.fct_election_integrity").fetchone()
    assert total == keys == staged >= len(synthetic_nelda.TRAPS) - 1
    # a record without an election is ambiguous in the registry, or lacks the country or type to match
    unexplained = con.execute(
        "select count(*) from marts.fct_election_integrity as m left join intermediate.int_elections__source_matches "
        "as s using (source, source_election_id) where m.election_key is null and not (m.country_iso3 is null "
        "or m.election_type is null or s.match_status = 'ambiguous')").fetchone()[0]
    assert unexplained == 0 and linked >= 337 - 5
    con.close()  # the gate opens the warehouse with its own configuration
    suites = tmp_path / "suites"
    suites.mkdir()
    shutil.copy(REPO_ROOT / "expectations" / "marts.fct_election_integrity.json", suites)
    result = run_gate(built.warehouse, suites, tmp_path / "quality")
    assert result.success, result.summary()


def test_nelda_variables_seed_is_the_codebook_look_up(built):
    """The seed has every code of the look-up (read here from ../shared), and none of its sentences."""
    look_up = shared_file("data", "nelda", "nelda_look_up.csv")
    with look_up.open(encoding="utf-8", newline="") as handle:
        codebook = {r["nelda_code"]: " ".join(r["description_clean"].split()) for r in csv.DictReader(handle)}
    seed = {r["nelda_code"]: r for r in csv.DictReader(
        (REPO_ROOT / "dbt_project" / "seeds" / "nelda_variables.csv").open(encoding="utf-8", newline=""))}
    assert set(seed) == set(codebook)
    assert not any(r["label"] and r["label"] == codebook[c] for c, r in seed.items())  # our words, not theirs
    staged = {r["nelda_code"]: r["column_name"] for r in seed.values() if r["column_name"]}
    assert staged["nelda29"] == "post_election_riots" and staged["nelda33"] == "civilian_deaths"
    assert set(staged) == {"nelda29", "nelda30", "nelda31", "nelda32", "nelda33", "nelda34", "nelda35", "nelda36",
                           "nelda37", "nelda38", "nelda45", "nelda46", "nelda47"}
