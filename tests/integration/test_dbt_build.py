"""A real `dbt build` (models, data tests, unit tests) on the synthetic raw warehouse.

The synthetic rows (tests/fixtures/synthetic_raw.py) are made to exercise the marts' rules: the
latest casualty figure of the primary authority, threshold pass/fail, annulments, allegation
classification, re-published records and an unknown country. None of them is a real figure.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.fixtures.synthetic_raw import build_synthetic_raw

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
UTC = dt.timezone.utc

pytestmark = pytest.mark.slow

ELECTION_CRISES_COLUMNS = [
    "election_key", "country_iso3", "election_date", "election_date_precision", "annulled", "annulled_on",
    "annulled_on_precision", "annulled_by", "threshold_pct",
    "parties_contesting", "parties_passed", "deaths_latest", "injured_latest", "hospitalized_latest",
    "casualties_as_of", "observer_assessment", "vote_buying_alleged", "protest_start_date",
    "protest_start_date_precision", "protest_start_date_is_approximate", "rerun_date", "rerun_date_precision",
    "rerun_status", "wasted_vote_pct", "nearest_miss_party", "nearest_miss_margin_pp", "enp_votes", "gallagher_index",
    "days_to_annulment", "annulment_scope", "rerun_election_key", "rerun_changed_winner", "next_election_key",
    "figures_as_of", "deaths_latest_authority", "injured_latest_authority", "hospitalized_latest_authority",
    "security_forces_dead_latest", "security_forces_injured_latest", "security_forces_hospitalized_latest",
    "deaths_latest_is_secondary", "injured_latest_is_secondary", "hospitalized_latest_is_secondary",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """Build the synthetic raw file, run `dbt build` on it once, and open the result read-only."""
    work = tmp_path_factory.mktemp("dbt_build")
    path = build_synthetic_raw(work / "warehouse.duckdb")
    dbt = Path(sys.executable).with_name("dbt")
    assert dbt.exists(), f"dbt is not installed next to {sys.executable}; install the project's dependencies"
    env = dict(os.environ, ECW_WAREHOUSE=str(path), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    result = subprocess.run(
        [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse"],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"dbt build failed on the synthetic warehouse:\n{result.stdout[-6000:]}"
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def crisis(con, key: str) -> dict:
    found = rows(con, f"select * from marts.election_crises where election_key = '{key}'")
    assert len(found) == 1, f"election_crises should have exactly one row for {key}, found {len(found)}"
    return found[0]


def test_marts_are_tables_in_schema_marts(warehouse):
    tables = {r["table_name"] for r in rows(
        warehouse, "select table_name from duckdb_tables() where schema_name = 'marts'")}
    assert {"dim_country", "dim_election", "dim_party", "fct_annulments", "fct_threshold_results",
            "fct_threshold_outcomes", "fct_casualty_reports", "fct_observer_findings", "election_crises"} <= tables


def test_election_crises_has_the_contract_columns_in_order(warehouse):
    columns = [r["column_name"] for r in rows(
        warehouse, "select column_name from duckdb_columns() where schema_name = 'marts' "
                   "and table_name = 'election_crises' order by column_index")]
    assert columns == ELECTION_CRISES_COLUMNS


def test_reruns_and_unknown_countries_have_no_crisis_row(warehouse):
    keys = [r["election_key"] for r in rows(warehouse, "select election_key from marts.election_crises order by 1")]
    assert keys == ["AUT-2000-PRES-R2", "KEN-2000-PRES", "KGZ-2000-PARL"]
    dim_keys = {r["election_key"] for r in rows(warehouse, "select election_key from marts.dim_election")}
    assert "KGZ-2001-PARL" in dim_keys and "XYZ-2000-PARL" not in dim_keys


def test_latest_figures_come_from_the_primary_authority(warehouse):
    kgz = crisis(warehouse, "KGZ-2000-PARL")
    # 50 injured / 12 hospitalized by the interior ministry are later, 999 is undated: neither is "latest".
    assert (kgz["deaths_latest"], kgz["injured_latest"], kgz["hospitalized_latest"]) == (1, 45, 8)
    assert kgz["casualties_as_of"] == dt.datetime(2000, 2, 23, 12, 0, tzinfo=UTC)
    ken = crisis(warehouse, "KEN-2000-PRES")
    assert ken["deaths_latest"] == 2, "with one report each, the authority that reported last is primary"


def test_annulment_and_rerun_summary(warehouse):
    kgz = crisis(warehouse, "KGZ-2000-PARL")
    assert (kgz["annulled"], kgz["annulled_on"], kgz["annulled_by"]) == (
        True, dt.date(2000, 2, 25), "Synthetic Central Commission")
    assert kgz["rerun_date"] == dt.date(2001, 6, 1), "the most recent decision's re-run date wins"
    assert (kgz["rerun_date_precision"], kgz["rerun_status"]) == ("day", "held")
    aut = crisis(warehouse, "AUT-2000-PRES-R2")
    assert (aut["rerun_date"], aut["rerun_status"]) == (dt.date(2000, 12, 4), "date_set"), \
        "a date set by the annulment, with no re-run election on record"
    assert (kgz["protest_start_date"], kgz["protest_start_date_precision"]) == (dt.date(2000, 2, 21), "day")
    assert (kgz["election_date_precision"], kgz["annulled_on_precision"]) == ("day", "day")
    ken = crisis(warehouse, "KEN-2000-PRES")
    assert ken["annulled"] is None and ken["annulled_on"] == dt.date(2001, 1, 15)
    assert (ken["protest_start_date"], ken["protest_start_date_precision"]) == (dt.date(2000, 12, 1), "month"), \
        "a month-only protest start is kept as the month, not dropped"
    disputed = rows(warehouse, "select disputed from marts.fct_annulments where election_key = 'KEN-2000-PRES'")
    assert disputed == [{"disputed": True}]


def test_threshold_results(warehouse):
    results = {r["party_name"]: r for r in rows(
        warehouse, "select * from marts.fct_threshold_results where election_key = 'KGZ-2000-PARL'")}
    assert results["Synthetic List C"]["passed_threshold"] is True, "7.0% at a 7% threshold passes"
    assert results["Synthetic List D"]["passed_threshold"] is False
    assert results["Synthetic Minority List"]["passed_threshold"] is None
    assert results["Synthetic List D"]["margin_pp"] == pytest.approx(-0.1)
    assert results["Synthetic List A"]["list_name_original"] == "Синтетик А"
    kgz = crisis(warehouse, "KGZ-2000-PARL")
    assert (kgz["threshold_pct"], kgz["parties_contesting"], kgz["parties_passed"]) == (7.0, 5, 3)
    assert crisis(warehouse, "AUT-2000-PRES-R2")["parties_passed"] is None


def test_threshold_outcomes_and_rerun_winner(warehouse):
    outcome = rows(warehouse, "select * from marts.fct_threshold_outcomes where election_key = 'KGZ-2000-PARL'")[0]
    assert (outcome["lists_with_results"], outcome["lists_passed"], outcome["results_complete"]) == (5, 3, True)
    assert outcome["wasted_vote_pct"] == pytest.approx(6.9), "only List D did not pass; the exempt list is not wasted"
    assert (outcome["nearest_miss_party"], outcome["nearest_miss_margin_pp"]) == ("Synthetic List D", pytest.approx(-0.1))
    assert outcome["enp_seats"] is None, "the exempt list has no seat count, so seat measures are unknown"
    annulment = rows(warehouse, "select * from marts.fct_annulments where decision_id = 'SYN-D1'")[0]
    assert (annulment["days_to_decision"], annulment["rerun_election_key"]) == (5, "KGZ-2001-PARL")
    assert annulment["rerun_changed_winner"] is False, "Synthetic List A leads both the election and its re-run"
    kgz = crisis(warehouse, "KGZ-2000-PARL")
    assert (kgz["days_to_annulment"], kgz["annulment_scope"], kgz["rerun_changed_winner"]) == (5, "full", False)
    assert kgz["figures_as_of"] >= kgz["casualties_as_of"]


def test_observer_findings_and_assessment(warehouse):
    findings = {r["statement_id"]: r["allegations"] for r in rows(
        warehouse, "select statement_id, allegations from marts.fct_observer_findings")}
    assert findings["SYN-S1"] == ["misuse_of_admin_resources", "vote_buying"]
    assert findings["SYN-S3"] == ["election_admin_partiality", "voter_pressure_intimidation"]
    assert "SYN-S5" not in findings, "a statement on an unknown country's election is left out"
    kgz = crisis(warehouse, "KGZ-2000-PARL")
    assert kgz["vote_buying_alleged"] is True
    assert kgz["observer_assessment"] == "Synthetic: fundamental freedoms were not respected."
    assert crisis(warehouse, "KEN-2000-PRES")["vote_buying_alleged"] is False
    assert crisis(warehouse, "AUT-2000-PRES-R2")["vote_buying_alleged"] is None


def test_republished_records_do_not_duplicate(warehouse):
    raw_count = warehouse.execute("select count(*) from derived.casualty_figures").fetchone()[0]
    fact_count = warehouse.execute("select count(*) from marts.fct_casualty_reports").fetchone()[0]
    assert (raw_count, fact_count) == (28, 14)
    turnout = warehouse.execute(
        "select turnout_pct from marts.dim_election where election_key = 'KGZ-2000-PARL'").fetchone()[0]
    assert turnout == 50.0, "the later fetch of an election wins"


def test_a_sub_count_is_reported_but_never_a_running_count(warehouse):
    part = rows(warehouse, "select scope, counted, part_of_report_id, value, extractor_version "
                           "from marts.fct_casualty_reports where casualty_report_id = 'SYN-B4#3'")
    assert part == [{"scope": "part", "counted": "all", "part_of_report_id": "SYN-B4#1", "value": 6,
                     "extractor_version": "synthetic"}]
    in_series = warehouse.execute("select count(*) from marts.fct_casualty_knowledge_intervals "
                                  "where casualty_report_id = 'SYN-B4#3'").fetchone()[0]
    assert in_series == 0, "a part is not a running count"
    assert crisis(warehouse, "KGZ-2000-PARL")["injured_latest"] == 45, "the total, not its sub-count, is the latest"
