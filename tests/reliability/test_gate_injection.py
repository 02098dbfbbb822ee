"""The gate stops what dbt's tests pass: a mart emptied or halved by a model regression, and a wide
mart that disagrees with its facts. The previous marts stay published, and the run's status and
`ecw status` name the mart, the counts and the first keys.

Faults are injected into a private copy of the baseline warehouse after its dbt build (as a model
regression would leave it), against the baseline's published marts. On the night of bad input
(tests/reliability/bad_payloads.py) the Kyrgyz 2020 annulment arrives without its date: a decision
date may be unknown (no source gives it), so that record passes the gate, undated.
"""
from __future__ import annotations

import duckdb
import pytest

from ingestion.cli import main as ecw
from ingestion.pipeline import GateFailed, gate_stage
from ingestion.run_status import last_run
from tests.reliability.bad_payloads import GATE_CATCH
from tests.reliability.harness import marts_digest, published_run, query

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_emptied_and_halved_marts_and_a_reconciliation_mismatch_fail_the_gate(work, baseline, capsys, monkeypatch,
                                                                            reliability):
    reports = query(work.warehouse, "select count(*) from marts.fct_casualty_reports")[0][0]
    kept_election = query(work.warehouse, "select min(election_key) from marts.fct_casualty_reports")[0][0]
    passed_key = query(work.warehouse, "select min(election_key) from marts.election_crises "
                                       "where parties_passed is not null")[0][0]
    with duckdb.connect(str(work.warehouse)) as con:
        con.execute("delete from marts.fct_annulments")
        con.execute("delete from marts.fct_casualty_reports where election_key <> ?", [kept_election])
        con.execute("update marts.election_crises set parties_passed = parties_passed + 1 where election_key = ?",
                    [passed_key])
    remaining = query(work.warehouse, "select count(*) from marts.fct_casualty_reports")[0][0]

    with pytest.raises(GateFailed) as failed:
        gate_stage("injected-regression", work)

    message = str(failed.value)
    failures = last_run(work)["stages"]["gate"]["failures"]
    by_rule = {(f["table"], f["rule"] or f["column"]): f for f in failures}
    emptied = by_rule.get(("marts.fct_annulments", "not_empty_when_inputs_are_not"))
    halved = by_rule.get(("marts.fct_casualty_reports", "drop_vs_published"))
    mismatch = by_rule.get(("marts.election_crises", "parties_passed"))
    kept = marts_digest(work.marts) == baseline.marts and published_run(work.marts) == baseline.run_id
    reliability("gate", "a model regression empties a mart, drops most of another, breaks a reconciliation",
                survived=bool(emptied and halved and mismatch) and kept, injected=3, consistent=kept,
                detail=message.splitlines()[0])
    assert emptied and emptied["keys"], failures
    assert halved and f"rows: {reports} in the published marts, {remaining} now" in halved["detail"], failures
    assert mismatch and mismatch["keys"] == [passed_key], failures
    assert message.startswith("quality gate failed (") and "nothing published" in message.splitlines()[0]
    assert f"{reports} in the published marts, {remaining} now" in message and passed_key in message
    assert kept, "the previous marts stay published, unchanged"
    monkeypatch.setenv("ECW_DATA_DIR", str(work.data_dir))
    ecw(["status"])
    assert "✗ marts.fct_annulments: unexpected_rows_expectation on marts.fct_annulments" in capsys.readouterr().out


def test_an_annulment_without_a_date_passes_the_gate_undated(bad_night, reliability):
    paths = bad_night.paths
    source, record_id, column = GATE_CATCH
    stages = last_run(paths)["stages"]
    undated = query(paths.warehouse, f"select count(*) from marts.fct_annulments where decision_id = ? "
                                     f"and {column} is null", [record_id])
    gate_failures = stages["gate"].get("failures") or []
    reliability("gate", "annulment republished without its date (a date no source gives is NULL, not an error)",
                survived=undated == [(1,)] and not any(f.get("column") == column for f in gate_failures),
                detail=str(bad_night.gate).splitlines()[0] if bad_night.gate else "gate passed")
    assert stages["transform"]["status"] == "ok"
    assert undated == [(1,)], "the undated annulment reached the mart as built by dbt"
    assert not any(f.get("column") == column for f in gate_failures), gate_failures
