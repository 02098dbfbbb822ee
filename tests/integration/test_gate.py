"""The GX quality gate on real DuckDB files, with real GX, and the repo's own suites.

All table contents below are synthetic (keys `SYN-*`, URLs on the reserved `.invalid` domain):
they exercise the column contracts, they are not election facts.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest
import sqlalchemy as sa

from ingestion.gate import DIALECT_DRIVER, load_suite_file, run_gate

REPO_ROOT = Path(__file__).resolve().parents[2]
SUITES = REPO_ROOT / "expectations"
MARTS = {
    "election_crises", "fct_casualty_reports", "fct_threshold_results", "fct_annulments",
    "fct_observer_findings", "dim_election", "dim_country", "fct_threshold_outcomes", "dim_party",
    "fct_casualty_summary", "fct_casualty_knowledge_intervals", "fct_casualty_daily",
    "fct_casualty_disagreements", "fct_observer_allegations", "fct_record_history",
}

# Synthetic marts that satisfy every repo suite. election_crises has 15 rows (i = 0..14):
# annulled is NULL for i % 3 = 0 (5 rows), threshold_pct NULL for i % 4 = 0 (4 rows),
# parties_passed NULL for i % 5 = 0 (3 rows).
SYNTHETIC_MARTS = """
create schema marts;
create table marts.election_crises as
select 'SYN-' || (2000 + i) || '-PARL' as election_key,
       case when i % 3 = 0 then null else i % 2 = 0 end as annulled,
       case when i % 4 = 0 then null else 5.0 end as threshold_pct,
       i as deaths_latest, 2 * i as injured_latest, null::bigint as hospitalized_latest,
       case when i % 5 = 0 then null else 2 end as parties_passed, 6 as parties_contesting,
       case when i % 5 = 0 then null else 2.5 * i end as wasted_vote_pct,
       case when i % 5 = 0 then null else -0.15 end as nearest_miss_margin_pp,
       case when i % 5 = 0 then null else 1.0 + i end as enp_votes,
       case when i % 5 = 0 then null else 0.5 * i end as gallagher_index,
       case when i % 3 = 0 then null else i end as days_to_annulment,
       case when i % 3 = 0 then null when i % 2 = 0 then 'full' else 'partial' end as annulment_scope
from range(15) t(i);
create table marts.fct_casualty_reports as
select * from (values
    ('SYN-2001-PARL', 'dead', 'exact', 3, 'https://synthetic.invalid/bulletin/1'),
    ('SYN-2001-PARL', 'injured', 'at_least', 40, 'https://synthetic.invalid/bulletin/1'),
    ('SYN-2002-PARL', 'detained', 'about', 0, 'http://synthetic.invalid/bulletin/2')
) v(election_key, metric, qualifier, value, source_url);
create table marts.fct_threshold_results as
select * from (values
    ('SYN-2001-PARL', 'Synthetic List A', 61.5::double, 1000, 'https://synthetic.invalid/results'),
    ('SYN-2001-PARL', 'Synthetic List B', 4.5, 80, 'https://synthetic.invalid/results'),
    ('SYN-2001-PARL', 'Synthetic List C', null, null, 'https://synthetic.invalid/results')
) v(election_key, party_name, vote_share_pct, votes, source_url);
create table marts.fct_annulments as
select * from (values
    ('SYN-2001-PARL', 'election_commission', 'full', date '2001-01-02'),
    ('SYN-2002-PARL', 'court', null, date '2002-01-02')
) v(election_key, body_type, scope, decided_on);
create table marts.fct_observer_findings as
select * from (values ('Synthetic Observers', 'https://synthetic.invalid/statement'))
v(organization, source_url);
create table marts.dim_election as
select * from (values ('SYN-2001-PARL', 55.5), ('SYN-2002-PARL', null)) v(election_key, turnout_pct);
create table marts.dim_country as
select * from (values ('AAA'), ('BBB')) v(country_iso3);
create table marts.fct_threshold_outcomes as
select 'SYN-2001-PARL' as election_key, 32.6 as wasted_vote_pct, 6.5 as enp_votes, 16.6 as gallagher_index,
       96.9 as listed_shares_sum_pct, 4 as lists_passed, 16 as lists_with_results, -0.15 as nearest_miss_margin_pp;
create table marts.dim_party as
select * from (values ('SYN-2001-PARL:a', 'SYN-2001-PARL', 'Synthetic List A'),
                      ('SYN-2001-PARL:b', 'SYN-2001-PARL', 'Synthetic List B'))
v(party_key, election_key, list_name_original);
create table marts.fct_casualty_summary as
select 'SYN-2001-PARL' as election_key, 3 as first_value, 40 as latest_value, 40 as peak_value, 2 as revisions,
       timestamptz '2001-01-02 00:00+00' as first_reported_until, timestamptz '2001-01-05 00:00+00' as latest_reported_until;
create table marts.fct_casualty_knowledge_intervals as
select * from (values
    (timestamptz '2001-01-02 00:00+00', timestamptz '2001-01-03 00:00+00', 3, 'https://synthetic.invalid/1'),
    (timestamptz '2001-01-03 00:00+00', null, 40, 'https://synthetic.invalid/2')
) v(known_from, superseded_at, value, source_url);
create table marts.fct_casualty_daily as
select date '2001-01-02' as snapshot_date, 3 as value, 0 as days_since_report;
create table marts.fct_casualty_disagreements as
select 'SYN-2001-PARL' as election_key, 'Synthetic Ministry' as authority_family_a, 'Synthetic TV' as authority_family_b;
create table marts.fct_observer_allegations as
select 'vote buying' as evidence_phrase, 'https://synthetic.invalid/statement' as source_url, 'vote_buying' as category;
create table marts.fct_record_history as
select 'synthetic_source' as source, 'synthetic-record' as record_key;
create schema staging;
create table staging.stg_election_commission__party_results as
select 'SYN-2001-PARL' as election_key, 61.5 as vote_share_pct, 1000 as votes, 3 as seats;
create table staging.stg_election_commission__decisions as select 'SYN-2002-PARL' as election_key;
create table staging.stg_health_ministry__casualty_figures as
select 'SYN-2001-PARL' as election_key, 'Synthetic: 3 dead.' as evidence, 'dead' as metric, 3 as value,
       null::bigint as value_high, timestamptz '2001-01-02 00:00+00' as reported_from,
       timestamptz '2001-01-02 23:59+00' as reported_to;
create table staging.stg_observer_mission__statements as select 'SYN-2001-PARL' as election_key;
"""


def make_warehouse(path: Path, *extra_sql: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(SYNTHETIC_MARTS)
        for sql in extra_sql:
            con.execute(sql)
    finally:
        con.close()
    return path


def result_of(results_dir: Path, suite: str, kind: str, **kwargs) -> dict:
    """The stored GX result of one expectation, picked by type and kwargs."""
    validation = json.loads((results_dir / f"{suite}.json").read_text())
    for result in validation["results"]:
        config = result["expectation_config"]
        if config["type"] == kind and all(config["kwargs"].get(k) == v for k, v in kwargs.items()):
            return result
    raise AssertionError(f"{suite}: no {kind} result with {kwargs}")


def test_repo_suites_parse_into_gx_suites():
    paths = sorted(SUITES.glob("*.json"))
    assert {load_suite_file(p).table for p in paths if load_suite_file(p).schema == "marts"} == MARTS
    for path in paths:
        suite = load_suite_file(path)
        gx_suite = gx.ExpectationSuite(name=suite.name, expectations=suite.expectations)
        assert len(gx_suite.expectations) == len(json.loads(path.read_text())["expectations"])
        assert suite.schema in {"marts", "staging"}
        assert path.stem == f"{suite.schema}.{suite.table}"


def test_all_suites_pass_with_observed_values_from_duckdb(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    results_dir = tmp_path / "quality" / "run1"

    gate = run_gate(warehouse, SUITES, results_dir)

    assert gate.failures == []
    assert gate.success is True
    assert json.loads(gate.results_path.read_text())["success"] is True
    assert {p.stem for p in results_dir.glob("marts.*.json")} == {f"marts.{m}" for m in MARTS}
    assert gate.docs_path == results_dir / "docs" / "index.html"
    assert "election_crises" in gate.docs_path.read_text()
    assert (results_dir / "docs" / "validations" / "marts" / "election_crises").is_dir()
    # Counted by DuckDB: with the pitfall GX would have no result values at all.
    suite = "marts.election_crises"
    assert result_of(results_dir, suite, "expect_table_row_count_to_be_between")["result"]["observed_value"] == 15
    annulled = result_of(results_dir, suite, "expect_column_values_to_be_in_set", column="annulled")
    assert (annulled["result"]["element_count"], annulled["result"]["missing_count"]) == (15, 5)
    threshold = result_of(results_dir, suite, "expect_column_values_to_be_between", column="threshold_pct")
    assert threshold["result"]["missing_count"] == 4
    pair = result_of(results_dir, suite, "expect_column_pair_values_a_to_be_greater_than_b")
    assert (pair["result"]["missing_count"], pair["result"]["unexpected_count"]) == (3, 0)
    # The gate released the file: DuckDB refuses a read-write connection next to a read-only one.
    duckdb.connect(str(warehouse)).close()


def test_out_of_range_values_fail_with_expectation_table_and_count(tmp_path):
    warehouse = make_warehouse(
        tmp_path / "warehouse.duckdb",
        "update marts.fct_threshold_results set vote_share_pct = 140 where party_name = 'Synthetic List B'",
        "update marts.fct_casualty_reports set source_url = 'ftp://synthetic.invalid/1' where metric = 'dead'",
    )

    gate = run_gate(warehouse, SUITES, tmp_path / "quality")

    assert gate.success is False
    found = {(f.suite, f.table, f.expectation, f.column, f.unexpected_count) for f in gate.failures}
    assert found == {
        ("marts.fct_threshold_results", "marts.fct_threshold_results",
         "expect_column_values_to_be_between", "vote_share_pct", 1),
        ("marts.fct_casualty_reports", "marts.fct_casualty_reports",
         "unexpected_rows_expectation", "source_url", 1),
    }
    vote_share = next(f for f in gate.failures if f.column == "vote_share_pct")
    assert "140" in vote_share.detail
    assert json.loads(gate.results_path.read_text())["success"] is False


def test_threshold_and_annulment_measures_out_of_range_fail(tmp_path):
    warehouse = make_warehouse(
        tmp_path / "warehouse.duckdb",
        "update marts.election_crises set wasted_vote_pct = 101.5, nearest_miss_margin_pp = 0.3 "
        "where election_key = 'SYN-2001-PARL'",
        "update marts.election_crises set annulment_scope = 'most' where election_key = 'SYN-2002-PARL'",
    )

    gate = run_gate(warehouse, SUITES, tmp_path / "quality")

    found = {(f.expectation, f.column, f.unexpected_count) for f in gate.failures}
    assert found == {
        ("expect_column_values_to_be_between", "wasted_vote_pct", 1),
        ("expect_column_values_to_be_between", "nearest_miss_margin_pp", 1),
        ("expect_column_values_to_be_in_set", "annulment_scope", 1),
    }


def test_records_orphaned_by_a_missing_election_fail_the_gate(tmp_path):
    warehouse = make_warehouse(
        tmp_path / "warehouse.duckdb",
        "insert into staging.stg_health_ministry__casualty_figures select 'SYN-2099-PARL', evidence, metric, value, "
        "value_high, reported_from, reported_to from staging.stg_health_ministry__casualty_figures",
    )

    gate = run_gate(warehouse, SUITES, tmp_path / "quality")

    assert gate.success is False
    (failure,) = gate.failures
    assert (failure.table, failure.expectation, failure.unexpected_count) == (
        "marts.dim_election", "unexpected_rows_expectation", 1)
    assert "casualty figures" in failure.detail


def test_missing_table_fails_closed(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb", "drop table marts.dim_country")

    gate = run_gate(warehouse, SUITES, tmp_path / "quality")

    assert gate.success is False
    assert [(f.suite, f.table, f.expectation) for f in gate.failures] == [
        ("marts.dim_country", "marts.dim_country", "(table)")
    ]
    assert "dim_country" in gate.failures[0].detail


def test_missing_warehouse_fails_closed(tmp_path):
    gate = run_gate(tmp_path / "absent.duckdb", SUITES, tmp_path / "quality")

    assert gate.success is False
    assert {f.table for f in gate.failures} == {p.stem for p in SUITES.glob("*.json")}
    assert {f"marts.{m}" for m in MARTS} <= {f.table for f in gate.failures}


@pytest.mark.parametrize(
    ("content", "expectation", "reason"),
    [
        ('{"table": "dim_country", "expectations": [', "(suite file)", "not readable JSON"),
        ('{"table": "dim_country", "schema": "marts", "expectations": '
         '[{"type": "expect_values_to_be_fine", "kwargs": {}}]}',
         "expect_values_to_be_fine", "unknown GX expectation type"),
        ('{"table": "dim_country", "schema": "marts", "expectations": '
         '[{"type": "expect_column_values_to_be_between", "kwargs": {"column": "x"}}]}',
         "expect_column_values_to_be_between", "invalid kwargs"),
        ('{"table": "dim_country; drop table x", "expectations": []}', "(suite file)", "plain identifier"),
    ],
)
def test_broken_suite_file_fails_closed(tmp_path, content, expectation, reason):
    suites = tmp_path / "suites"
    shutil.copytree(SUITES, suites)
    (suites / "marts.broken.json").write_text(content)
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")

    gate = run_gate(warehouse, suites, tmp_path / "quality")

    assert gate.success is False
    assert [(f.suite, f.expectation) for f in gate.failures] == [("marts.broken", expectation)]
    assert reason in gate.failures[0].detail
    assert (tmp_path / "quality" / "marts.dim_country.json").is_file()


def test_expectation_that_raises_fails_closed_and_schema_defaults_to_main(tmp_path):
    warehouse = tmp_path / "published.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create table main.dim_country as select * from (values ('AAA'), ('bb')) v(country_iso3)")
    con.close()
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "published.dim_country.json").write_text(json.dumps({
        "table": "dim_country",
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

    gate = run_gate(warehouse, suites, tmp_path / "quality")

    assert gate.success is False
    by_type = {f.expectation: f for f in gate.failures}
    assert set(by_type) == {
        "unexpected_rows_expectation", "expect_column_values_to_not_be_null",
        "expect_column_values_to_match_regex",
    }
    rows = by_type["unexpected_rows_expectation"]
    assert (rows.table, rows.column, rows.unexpected_count) == ("main.dim_country", "country_iso3", 1)
    assert by_type["expect_column_values_to_not_be_null"].detail.startswith("GX raised")
    assert "Regex is not supported" in by_type["expect_column_values_to_match_regex"].detail


def test_empty_suites_dir_fails_closed(tmp_path):
    (tmp_path / "suites").mkdir()
    gate = run_gate(make_warehouse(tmp_path / "w.duckdb"), tmp_path / "suites", tmp_path / "q")
    assert gate.success is False
    assert gate.failures[0].expectation == "(suite file)"


def test_plain_driver_loses_rows_on_close_buffered_driver_keeps_them_and_transactions(tmp_path):
    """Why the gate has its own dialect: measured on the pinned duckdb_engine and SQLAlchemy."""
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    query = sa.text("select count(*) from marts.election_crises")
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
        assert connection.execute(sa.text("select count(*) from marts.dim_country")).scalar() == 2
    engine.dispose()
