"""Issue 11's comparisons (2) and (3) on the bundled snapshot: the hand-written SQL gives dbt's
marts and the real gate's verdicts.

Reads the session's one pipeline run on the bundled snapshot (tests/support/published.py): the
marts under test are dbt's output. The real gate runs on a few suites only (the heavy part of a full gate),
one of them tightened so that a check fails in both.
"""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from bench.handwritten import build_sql, compare

pytestmark = pytest.mark.slow

SUITES = [  # every kind of check the suites use: column map and pair, SQL rules, all four relative rules
    "marts.dim_election",  # referenced_by_marts, drop_keys
    "marts.election_crises",  # column pair, value set
    "marts.fct_record_history",  # three complete inputs matched on the same mart key
    "marts.fct_threshold_outcomes",  # between, a cross-mart SQL rule
    "staging.stg_health_ministry__casualty_figures",  # a staging table, not_null
]


@pytest.fixture(scope="module")
def published(snapshot_night):
    return snapshot_night.paths


@pytest.fixture
def suites(tmp_path):
    """The SUITES, plus a copy of fct_threshold_outcomes with an impossible bound: one failing check."""
    target = tmp_path / "suites"
    target.mkdir()
    for name in SUITES:
        shutil.copy(compare.EXPECTATIONS_DIR / f"{name}.json", target)
    tightened = json.loads((target / "marts.fct_threshold_outcomes.json").read_text())
    for expectation in tightened["expectations"]:
        if expectation["kwargs"].get("column") == "enp_votes":
            expectation["kwargs"]["min_value"] = 1_000_000  # no party system has a million effective parties
    (target / "marts.fct_threshold_outcomes_tightened.json").write_text(json.dumps(tightened))
    return target


def test_the_handwritten_marts_and_gate_equal_dbt_and_gx(published, suites, tmp_path):
    result = compare.run(published.warehouse, published.marts, suites_dir=suites, workdir=tmp_path)

    marts = result["dbt_equivalent"]
    assert marts["not_covered"] == [], f"marts.sql builds no {marts['not_covered']}"
    different = {n: t for n, t in marts["tables"].items() if not t["identical"]}
    assert not different, f"hand-written marts differ from dbt's: {different}"
    assert marts["identical"] and marts["covered"] >= 20 and marts["seconds"] > 0
    assert sum(t["rows"] for t in marts["tables"].values()) > 1000  # compared on real rows, not empty tables

    gate = result["gate_equivalent"]
    assert gate["identical"], gate["differences"]
    assert gate["failed_checks"] == 1  # the tightened bound, failed by both gates
    assert gate["checks"] >= 30 and gate["queries"] == len(SUITES) + 1
    assert 0 < gate["peak_rss_bytes"] < 2 * 1024**3


def test_a_changed_row_makes_the_mart_differ(published, tmp_path):
    copy = compare.copy_warehouse(published.warehouse, tmp_path / "warehouse_hand.duckdb")
    compare.run_script(copy, build_sql.write_script(published.warehouse, tmp_path))
    con = duckdb.connect(str(copy))
    con.execute("update hand.dim_election set election_key = election_key || '-changed' "
                "where election_key = (select min(election_key) from hand.dim_election)")
    con.execute("drop table hand.fct_annulments")
    con.close()
    tables = compare.compare_marts(copy, published.marts)
    assert tables["dim_election"]["identical"] is False
    assert tables["dim_election"]["only_dbt"] == 1 and tables["dim_election"]["only_hand"] == 1
    assert tables["fct_annulments"]["covered"] is False and tables["fct_annulments"]["identical"] is False
    assert tables["fct_casualty_reports"]["identical"] is True
