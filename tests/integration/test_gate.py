"""The GX quality gate on real DuckDB warehouses built by real dbt, with real GX and the repo's suites.

The warehouse is the SYNTHETIC raw schema of tests/fixtures/synthetic_raw.py (keys such as
KGZ-2000-PARL are made up, URLs on example.org/synthetic), with a few synthetic rows added so
that every mart has rows, built once by `dbt build` and copied per test. Rows the tests add are
synthetic too (keys `SYN-*`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest
import sqlalchemy as sa

from ingestion.gate import DIALECT_DRIVER, load_suite_file, run_gate
from ingestion.pipeline import GateFailed, gate_stage
from ingestion.publish import MissingSuite, publish
from ingestion.run_status import last_run
from ingestion.settings import Paths
from tests.fixtures.synthetic_raw import build_synthetic_raw

REPO_ROOT = Path(__file__).resolve().parents[2]
SUITES = REPO_ROOT / "expectations"
DBT_PROJECT = REPO_ROOT / "dbt_project"

pytestmark = pytest.mark.slow

# Synthetic additions so that no mart is empty and the baseline passes: the unknown-country
# election's records leave (they would be orphans), a second authority reports on a day the
# health ministry reports (a disagreement). The fixture already writes the loader's bookkeeping.
PREPARE = [
    "delete from raw.decisions where election_key = 'XYZ-2000-PARL'",
    "delete from raw.observer_statements where election_key = 'XYZ-2000-PARL'",
    """insert into raw.casualty_bulletins select * replace ('SYN-B9' as bulletin_id, '2000-02-23' as published_at,
       'Synthetic bulletin SYN-B9.' as text, 'bulletins[8]' as _record_locator)
       from raw.casualty_bulletins where bulletin_id = 'SYN-B5'""",
    """insert into derived.casualty_figures select * replace ('SYN-B9' as bulletin_id, 30 as value,
       'Synthetic: 30 injured.' as evidence, timestamptz '2000-02-23 00:00:00+06' as reported_from,
       timestamptz '2000-02-23 23:59:59.999999+06' as reported_to, 0 as figure_index)
       from derived.casualty_figures where bulletin_id = 'SYN-B5' and metric = 'injured'""",
]


def dbt_build(work: Path, *raw_sql: str) -> tuple[Path, subprocess.CompletedProcess]:
    """The synthetic raw warehouse with PREPARE and `raw_sql` applied, then a real `dbt build`."""
    path = build_synthetic_raw(work / "warehouse.duckdb")
    with duckdb.connect(str(path)) as con:
        for sql in (*PREPARE, *raw_sql):
            con.execute(sql)
    dbt = Path(sys.executable).with_name("dbt")
    env = dict(os.environ, ECW_WAREHOUSE=str(path), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    result = subprocess.run(
        [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse"],
        env=env, capture_output=True, text=True, timeout=900,
    )
    return path, result


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    path, result = dbt_build(tmp_path_factory.mktemp("gate_dbt"))
    assert result.returncode == 0, f"dbt build failed on the synthetic warehouse:\n{result.stdout[-4000:]}"
    return path


@pytest.fixture
def paths(built, tmp_path) -> Paths:
    """A data directory holding a private copy of the built warehouse (nothing published yet)."""
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    shutil.copy(built, paths.warehouse)
    return paths


def execute(path: Path, *sql: str) -> None:
    with duckdb.connect(str(path)) as con:
        for statement in sql:
            con.execute(statement)


def scalar(path: Path, sql: str):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def marts_of(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
    return {table for (table,) in tables}


def gate(paths: Paths, suites: Path = SUITES, published: bool = True):
    return run_gate(paths.warehouse, suites, paths.quality / "run", paths.marts if published else None)


def test_every_mart_has_a_suite_with_relative_rules_and_suites_parse(built):
    suites = {load_suite_file(p).table: load_suite_file(p) for p in SUITES.glob("marts.*.json")}
    assert set(suites) == marts_of(built)
    for path in sorted(SUITES.glob("*.json")):
        suite = load_suite_file(path)
        gx_suite = gx.ExpectationSuite(name=suite.name, expectations=suite.expectations)
        assert len(gx_suite.expectations) == len(json.loads(path.read_text())["expectations"])
        assert path.stem == f"{suite.schema}.{suite.table}"
        if suite.schema == "marts":
            # crisis_watch's rows are a window that moves every night: a drop against last night means nothing
            moving_window = suite.table == "crisis_watch"
            assert suite.relative is not None and (
                suite.relative.max_drop_vs_published == 0.5 or moving_window), path
            assert suite.key, f"{path}: a mart's suite names its key columns"


def test_suites_pass_on_the_built_warehouse_then_against_its_own_publish(paths):
    first = gate(paths)
    assert first.failures == [] and first.success is True
    summary = json.loads(first.results_path.read_text())
    assert summary["published_baseline"] is None  # first run: no drop rules
    assert first.docs_path == first.results_path.parent / "docs" / "index.html"

    publish(paths, "run-1")
    second = gate(paths)

    assert second.failures == [] and second.success is True
    validation = json.loads((paths.quality / "run" / "marts.fct_casualty_reports.json").read_text())
    rules = {r["expectation_config"]["meta"].get("rule") for r in validation["results"]}
    assert {"not_empty_when_inputs_are_not", "every_input_record_in_the_mart", "drop_vs_published"} <= rules
    observed = {r["expectation_config"]["meta"].get("rule"): r["result"]["observed_value"]
                for r in validation["results"] if r["expectation_config"]["meta"].get("rule")}
    assert set(observed.values()) == {0}, "counted in DuckDB: no rule found unexpected rows"
    # The gate released both files: DuckDB refuses a read-write connection next to a read-only one.
    duckdb.connect(str(paths.warehouse)).close()
    duckdb.connect(str(paths.marts)).close()


FACTS = ["election_crises", "fct_annulments", "fct_casualty_daily", "fct_casualty_disagreements",
         "fct_casualty_knowledge_intervals", "fct_casualty_reports", "fct_casualty_summary",
         "fct_observer_allegations", "fct_observer_findings", "fct_threshold_outcomes", "fct_threshold_results",
         "source_freshness", "dim_election", "dim_party", "dim_country"]


@pytest.mark.parametrize("mart", FACTS)
def test_an_emptied_mart_fails_the_gate_naming_it(paths, mart):
    assert scalar(paths.warehouse, f"select count(*) from marts.{mart}") > 0, "the fixture gives every mart rows"
    execute(paths.warehouse, f"delete from marts.{mart}")

    result = gate(paths, published=False)

    assert result.success is False
    (empty,) = [f for f in result.failures if f.rule == "not_empty_when_inputs_are_not"]
    assert empty.table == f"marts.{mart}"
    assert "is empty while its inputs are not" in empty.detail and "row(s)" in empty.detail
    assert empty.keys, "the failure names the first input records"
    assert f"marts.{mart}" in empty.message() and "Fix:" in empty.message()


def test_a_drop_of_more_than_half_against_the_published_marts_names_both_counts_and_the_keys(paths):
    publish(paths, "run-1")
    rows = scalar(paths.warehouse, "select count(*) from marts.fct_casualty_reports")
    elections = scalar(paths.warehouse, "select count(distinct election_key) from marts.fct_casualty_reports")
    # The last publish had three times the rows and three more (synthetic) elections.
    execute(paths.marts,
            "insert into fct_casualty_reports select * from fct_casualty_reports",
            "insert into fct_casualty_reports select * replace ('SYN-199' || (row_number() over () % 3) || '-PARL' "
            "as election_key) from fct_casualty_reports limit "
            f"{rows}")

    result = gate(paths)

    assert result.success is False
    (drop,) = [f for f in result.failures if f.rule == "drop_vs_published"]
    assert drop.table == "marts.fct_casualty_reports"
    assert f"rows: {3 * rows} in the published marts, {rows} now" in drop.detail
    assert f"distinct election_key: {elections + 3} in the published marts, {elections} now" in drop.detail
    assert drop.keys == ["SYN-1990-PARL", "SYN-1991-PARL", "SYN-1992-PARL"]
    assert [f.table for f in result.failures] == ["marts.fct_casualty_reports"]


def test_a_drop_within_the_allowed_half_passes(paths):
    publish(paths, "run-1")
    execute(paths.marts, "insert into fct_casualty_reports select * from fct_casualty_reports limit 5")
    assert gate(paths).failures == []


def test_a_lost_record_fails_naming_it_even_on_the_first_run(paths):
    execute(paths.warehouse, "delete from marts.fct_annulments where decision_id = 'SYN-D3'")

    result = gate(paths, published=False)

    lost = {(f.table, f.rule): f.keys for f in result.failures}
    assert lost[("marts.fct_annulments", "every_input_record_in_the_mart")] == ["SYN-D3"]
    (missing,) = [f for f in result.failures if f.rule == "every_input_record_in_the_mart"]
    assert missing.unexpected_count == 1 and missing.detail == "1 input record(s) missing from the mart"
    assert lost[("marts.election_crises", None)] == ["AUT-2000-PRES-R2"]  # annulled, yet not in fct_annulments


@pytest.mark.parametrize(("sql", "column", "keys"), [
    ("update marts.election_crises set parties_passed = parties_passed + 1 where election_key = 'KGZ-2000-PARL'",
     "parties_passed", ["KGZ-2000-PARL"]),
    ("update marts.election_crises set annulled = false where election_key = 'AUT-2000-PRES-R2'",
     "annulled", ["AUT-2000-PRES-R2"]),
    ("update marts.election_crises set deaths_latest = deaths_latest + 10 where deaths_latest is not null",
     "deaths_latest", ["KEN-2000-PRES", "KGZ-2000-PARL"]),
    ("update marts.fct_threshold_outcomes set lists_passed = lists_passed - 1 where election_key = 'KGZ-2001-PARL'",
     "lists_passed", ["KGZ-2001-PARL"]),
])
def test_a_reconciliation_mismatch_fails_naming_the_election_keys(paths, sql, column, keys):
    execute(paths.warehouse, sql)

    result = gate(paths)

    named = [f for f in result.failures if f.column == column]
    assert len(named) == 1, result.failures
    assert sorted(named[0].keys) == keys
    assert all(key in named[0].message() for key in keys) and "Fix: " in named[0].message()


def test_a_key_of_a_mart_missing_from_dim_election_is_named(paths):
    execute(paths.warehouse, "insert into marts.fct_observer_findings select * replace ('SYN-2099-PARL' as "
                             "election_key, 'SYN-S99' as statement_id) from marts.fct_observer_findings limit 1")

    result = gate(paths)

    (orphan,) = [f for f in result.failures if f.rule == "referenced_keys_exist"]
    assert orphan.table == "marts.dim_election" and orphan.keys == ["SYN-2099-PARL"]
    assert "marts.fct_observer_findings has 1 record(s) with keys missing from the dimension" in orphan.detail
    assert orphan.unexpected_count == 1


def test_a_value_outside_its_set_names_the_record(paths):
    execute(paths.warehouse,
            "update marts.election_crises set annulment_scope = 'most' where election_key = 'AUT-2000-PRES-R2'")

    (failure,) = gate(paths).failures

    assert (failure.expectation, failure.column, failure.unexpected_count) == (
        "expect_column_values_to_be_in_set", "annulment_scope", 1)
    assert failure.keys == ["AUT-2000-PRES-R2"] and "most" in failure.detail


def test_an_annulment_without_a_date_passes(paths):
    execute(paths.warehouse, "update marts.fct_annulments set decided_on = null, days_to_decision = null",
            "update marts.election_crises set annulled_on = null, days_to_annulment = null")
    assert gate(paths).failures == []


def test_a_mart_without_a_suite_fails_the_gate_and_publish_refuses_it(paths):
    execute(paths.warehouse, "create table marts.fct_synthetic_without_suite as select 'SYN-1' as record_id")

    result = gate(paths)

    (missing,) = result.failures
    assert (missing.table, missing.expectation) == ("marts.fct_synthetic_without_suite", "(suite file)")
    assert "expectations/marts.fct_synthetic_without_suite.json" in missing.message()
    with pytest.raises(MissingSuite, match=r"marts\.fct_synthetic_without_suite has no quality suite\. Fix: add .*"
                                           r"expectations/marts\.fct_synthetic_without_suite\.json"):
        publish(paths, "run-1")
    assert not paths.marts.exists()
    assert list(paths.data_dir.glob(".marts.*")) == [] and list(paths.marts_parquet.glob(".v*.tmp")) == []


def test_a_missing_mart_table_fails_closed(paths):
    execute(paths.warehouse, "drop table marts.dim_country")

    result = gate(paths)

    assert [(f.suite, f.table, f.expectation) for f in result.failures] == [
        ("marts.dim_country", "marts.dim_country", "(table)")]
    assert "dim_country" in result.failures[0].detail


def test_missing_warehouse_fails_closed(tmp_path):
    result = run_gate(tmp_path / "absent.duckdb", SUITES, tmp_path / "quality")

    assert result.success is False
    assert {f.table for f in result.failures} == {p.stem for p in SUITES.glob("*.json")}


@pytest.mark.parametrize(
    ("content", "expectation", "reason"),
    [
        ('{"table": "dim_country", "expectations": [', "(suite file)", "not readable JSON"),
        ('{"table": "dim_country", "schema": "staging", "expectations": '
         '[{"type": "expect_values_to_be_fine", "kwargs": {}}]}',
         "expect_values_to_be_fine", "unknown GX expectation type"),
        ('{"table": "dim_country", "schema": "staging", "expectations": '
         '[{"type": "expect_column_values_to_be_between", "kwargs": {"column": "x"}}]}',
         "expect_column_values_to_be_between", "invalid kwargs"),
        ('{"table": "dim_country; drop table x", "expectations": []}', "(suite file)", "plain identifier"),
        ('{"table": "dim_country", "schema": "marts", "expectations": []}', "(suite file)",
         "needs a `relative` section"),
        ('{"table": "dim_country", "schema": "marts", "relative": {"max_drop_vs_published": 2}}', "(suite file)",
         "expected a fraction"),
        ('{"table": "dim_country", "schema": "marts", "relative": {"inputs": [{"table": "seeds.x", '
         '"complete": true}]}}', "(suite file)", "`complete` needs `key`"),
    ],
)
def test_broken_suite_file_fails_closed(paths, tmp_path, content, expectation, reason):
    suites = tmp_path / "suites"
    shutil.copytree(SUITES, suites)
    (suites / "marts.broken.json").write_text(content)

    result = gate(paths, suites)

    assert result.success is False
    assert [(f.suite, f.expectation) for f in result.failures] == [("marts.broken", expectation)]
    assert reason in result.failures[0].detail
    assert (paths.quality / "run" / "marts.dim_country.json").is_file()


def test_expectation_that_raises_fails_closed_and_schema_defaults_to_main(tmp_path):
    warehouse = tmp_path / "published.duckdb"
    execute(warehouse, "create table main.dim_country as select * from (values ('AAA'), ('bb')) v(country_iso3)")
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "published.dim_country.json").write_text(json.dumps({
        "table": "dim_country",
        "key": ["country_iso3"],
        "expectations": [
            {"type": "unexpected_rows_expectation",
             "kwargs": {"unexpected_rows_query":
                        "select * from {batch} where not regexp_matches(country_iso3, '^[A-Z][A-Z][A-Z]$')"},
             "meta": {"column": "country_iso3"}},
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "no_such_column"}},
            # GX 1.x has no regex support for DuckDB: it raises, and the gate must not pass it.
            {"type": "expect_column_values_to_match_regex",
             "kwargs": {"column": "country_iso3", "regex": "^[A-Z]{3}$"}},
        ],
    }))

    result = run_gate(warehouse, suites, tmp_path / "quality")

    assert result.success is False
    by_type = {f.expectation: f for f in result.failures}
    assert set(by_type) == {
        "unexpected_rows_expectation", "expect_column_values_to_not_be_null", "expect_column_values_to_match_regex",
    }
    rows = by_type["unexpected_rows_expectation"]
    assert (rows.table, rows.column, rows.unexpected_count, rows.keys) == ("main.dim_country", "country_iso3", 1,
                                                                           ["bb"])
    assert by_type["expect_column_values_to_not_be_null"].detail.startswith("GX raised")
    assert "Regex is not supported" in by_type["expect_column_values_to_match_regex"].detail


def test_a_rule_returning_more_rows_than_the_gate_may_hold_fails_closed(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    execute(warehouse, "create table main.t as select * from range(3) r(i)")
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "main.t.json").write_text(json.dumps({"table": "t", "expectations": [
        {"type": "unexpected_rows_expectation",
         "kwargs": {"unexpected_rows_query": "select * from {batch}, range(20000)"}}]}))

    (failure,) = run_gate(warehouse, suites, tmp_path / "quality").failures

    assert failure.detail.startswith("GX raised") and "more than 10000 rows" in failure.detail


def test_empty_suites_dir_fails_closed(paths, tmp_path):
    (tmp_path / "suites").mkdir()
    result = gate(paths, tmp_path / "suites")
    assert result.success is False
    assert result.failures[0].expectation == "(suite file)"


def test_plain_driver_loses_rows_on_close_buffered_driver_keeps_them_and_transactions(tmp_path):
    """Why the gate has its own dialect: measured on the pinned duckdb_engine and SQLAlchemy."""
    warehouse = tmp_path / "warehouse.duckdb"
    execute(warehouse, "create schema marts", "create table marts.dim_country as select * from range(15) t(i)")
    query = sa.text("select count(*) from marts.dim_country")
    rows = {}
    for driver in ("duckdb", f"duckdb+{DIALECT_DRIVER}"):
        engine = sa.create_engine(f"{driver}:///{warehouse}", pool_reset_on_return=None)
        with engine.connect() as connection:
            result = connection.execute(query)
        rows[driver] = result.fetchall()
        engine.dispose()
    assert rows == {"duckdb": [], f"duckdb+{DIALECT_DRIVER}": [(15,)]}

    engine = sa.create_engine(f"duckdb+{DIALECT_DRIVER}:///{warehouse}")
    with engine.connect() as connection:
        connection.execute(sa.text("delete from marts.dim_country"))
        connection.rollback()
        assert connection.execute(query).scalar() == 15
    engine.dispose()


def test_gate_stage_raises_a_short_message_with_keys_and_fix_and_records_them(paths):
    execute(paths.warehouse, "delete from marts.fct_annulments")

    with pytest.raises(GateFailed) as failed:
        gate_stage("run-1", paths)

    lines = str(failed.value).splitlines()
    # the emptied fact, and the wide mart whose annulled elections it no longer holds
    assert lines[0] == "quality gate failed (2 failure(s)), nothing published; the previous marts stay in place:"
    emptied = next(line for line in lines if line.startswith("  ✗ marts.fct_annulments:"))
    assert emptied.startswith("  ✗ marts.fct_annulments: not_empty_when_inputs_are_not on marts.fct_annulments: "
                              "is empty while its inputs are not (annulment decisions of elections in dim_election "
                              "has 3 row(s)). First: SYN-D1, SYN-D3, SYN-D4. Fix: the model "
                              "dbt_project/models/marts/fct_annulments.sql dropped every row")
    assert any(line.startswith("  ✗ marts.election_crises:") and "AUT-2000-PRES-R2" in line for line in lines)
    assert lines[-1].startswith("  full results: ") and len(lines) == 4
    recorded = [f for f in last_run(paths)["stages"]["gate"]["failures"] if f["table"] == "marts.fct_annulments"]
    assert recorded[0]["keys"] == ["SYN-D1", "SYN-D3", "SYN-D4"] and recorded[0]["fix"]
