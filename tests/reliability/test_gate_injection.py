"""The gate catches a bad value the loader accepts: the previous marts stay published and the
run's status names the failed expectation, its table and column, and how many rows failed.

On the night of bad input (tests/reliability/bad_payloads.py) the commission republishes its
decisions with the Kyrgyz 2020 annulment undated. The loader accepts it (a decision's date may
be unknown, docs/contracts.md) and dbt builds; the `fct_annulments.decided_on` not-null
expectation must stop the publish, and it must be the only failure: every other bad record of
that night was quarantined before it could reach a mart.
"""
from __future__ import annotations

import pytest

from ingestion.cli import main as ecw
from ingestion.run_status import last_run
from tests.reliability.bad_payloads import GATE_CATCH
from tests.reliability.harness import marts_digest, published_run, query

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_annulment_without_a_date_fails_the_gate_and_keeps_the_old_marts(bad_night, baseline, capsys,
                                                                        monkeypatch, reliability):
    paths = bad_night.paths
    source, record_id, column = GATE_CATCH
    loaded = query(paths.warehouse, f"select count(*) from raw.decisions where decision_id = ? and {column} is null",
                   [record_id])
    stages = last_run(paths)["stages"]
    failures = stages["gate"]["failures"]
    monkeypatch.setenv("ECW_DATA_DIR", str(paths.data_dir))
    ecw(["status"])
    status_out = capsys.readouterr().out
    kept = marts_digest(paths.marts) == baseline.marts and published_run(paths.marts) == baseline.run_id
    named = [f for f in failures if f["table"] == "marts.fct_annulments" and f["column"] == column
             and f["expectation"] == "expect_column_values_to_not_be_null" and f["unexpected_count"] == 1]
    reliability("gate", "annulment republished without its date (loader accepts, gate refuses)",
                survived=bool(named) and kept and len(failures) == 1, consistent=kept,
                detail=str(bad_night.gate).splitlines()[1].strip() if bad_night.gate else "gate passed")
    assert loaded == [(1,)], "the loader accepted the record: only the gate can stop it"
    assert stages["transform"]["status"] == "ok" and stages["gate"]["status"] == "failed"
    assert "publish" not in stages
    assert len(failures) == 1 and named, failures
    assert "fct_annulments" in str(bad_night.gate) and column in str(bad_night.gate)
    assert "✗ marts.fct_annulments: expect_column_values_to_not_be_null on marts.fct_annulments.decided_on: " \
           "1 row(s)" in status_out, status_out
    assert kept, "the previous marts stay published, unchanged"
