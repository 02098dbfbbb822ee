"""What a failed `make run` says: real dbt failing on deliberately broken SYNTHETIC raw warehouses
(tests/fixtures/synthetic_raw.py; the broken values are made up), and the failure report that
scripts/run_nightly.py prints before anything else.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pytest

from ingestion.run_status import record_stage
from ingestion.settings import REPO_ROOT, Paths
from ingestion.transform import TransformError, build
from tests.fixtures.synthetic_raw import build_synthetic_raw

pytestmark = pytest.mark.slow


def broken_build(tmp_path: Path, *raw_sql: str) -> tuple[Paths, str]:
    """dbt build (real, via ingestion.transform) on the synthetic raw data with `raw_sql` applied."""
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    build_synthetic_raw(paths.warehouse)
    with duckdb.connect(str(paths.warehouse)) as con:
        for sql in raw_sql:
            con.execute(sql)
    with pytest.raises(TransformError) as failed:
        build(paths, echo=None)
    return paths, str(failed.value)


def test_failed_dbt_tests_name_the_node_the_offending_rows_the_fix_and_the_log(tmp_path):
    paths, message = broken_build(
        tmp_path,
        "update raw.decisions set decided_by = null where decision_id = 'SYN-D3'",
        "update derived.casualty_figures set metric = 'wounded' where bulletin_id = 'SYN-B7'",
    )

    lines = message.splitlines()
    assert lines[0].startswith("dbt build failed (exit 1): 2 node(s) failed")
    assert len(lines) < 20, message
    assert "No tasks to run" not in message
    decided_by = message.index("✗ test not_null_fct_annulments_decided_by (models/marts/fct_annulments.yml)")
    # not_null: the whole failing record, so its keys and source are named
    assert "election_key=AUT-2000-PRES-R2" in message[decided_by:]
    assert "decisions/SYN-D3" in message[decided_by:]
    assert "fix: check the source records named or the model dbt_project/models/marts/fct_annulments.sql" in message
    # accepted_values: the offending value and how many records carry it
    assert "value_field=wounded, n_records=" in message
    assert "stg_health_ministry__casualty_figures" in message
    log_line = lines[-1]
    assert log_line.startswith("  full log: ") and Path(log_line.split(": ", 1)[1]).is_file()


def test_a_model_that_does_not_compile_names_the_model_its_error_and_file(tmp_path):
    _, message = broken_build(tmp_path, "alter table raw.elections rename column turnout_pct to turnout")

    assert "1 node(s) failed" in message.splitlines()[0]
    assert "✗ model stg_election_commission__elections" in message
    assert "turnout_pct" in message
    assert "fix: correct dbt_project/models/staging/stg_election_commission__elections.sql" in message


def run_nightly_module():
    spec = importlib.util.spec_from_file_location("run_nightly", REPO_ROOT / "scripts" / "run_nightly.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_run_reports_the_failed_stage_message_with_keys_and_fix(tmp_path):
    paths = Paths(tmp_path / "data")
    record_stage(paths, "run-1", "load", "ok")
    record_stage(paths, "run-1", "transform", "ok")
    record_stage(paths, "run-1", "gate", "failed", results="/q/gate.json", failures=[{
        "suite": "marts.fct_annulments", "table": "marts.fct_annulments", "expectation": "unexpected_rows_expectation",
        "column": None, "unexpected_count": 1, "rule": "not_empty_when_inputs_are_not",
        "detail": "is empty while its inputs are not (annulment decisions has 3 row(s))",
        "keys": ["SYN-D1", "SYN-D3"], "fix": "check the model dbt_project/models/marts/fct_annulments.sql."}])

    report = run_nightly_module().failure_report(paths)

    assert report.splitlines()[0] == "[gate] failed"
    assert ("✗ marts.fct_annulments: not_empty_when_inputs_are_not on marts.fct_annulments: is empty while its "
            "inputs are not (annulment decisions has 3 row(s)). First: SYN-D1, SYN-D3. Fix: check the model "
            "dbt_project/models/marts/fct_annulments.sql.") in report
    assert "full results: /q/gate.json" in report


def test_make_run_reports_a_dbt_failure_first(tmp_path):
    paths = Paths(tmp_path / "data")
    record_stage(paths, "run-2", "transform", "failed", error="dbt build failed (exit 1): 1 node(s) failed\n  ✗ x")
    report = run_nightly_module().failure_report(paths)
    assert report.splitlines()[:2] == ["[transform] failed", "dbt build failed (exit 1): 1 node(s) failed"]
