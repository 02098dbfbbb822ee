"""The DAG loads without import errors and keeps the promises the README makes about it."""
from __future__ import annotations

import pytest

from ingestion.registry import load_registry
from tests.conftest import REPO_ROOT

pytest.importorskip("airflow")
from airflow.dag_processing.dagbag import DagBag  # noqa: E402


@pytest.fixture(scope="module")
def dagbag():
    return DagBag(str(REPO_ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_nightly_dag_shape(dagbag):
    dag = dagbag.get_dag("election_crises_nightly")
    assert dag is not None
    assert dag.catchup is False and dag.max_active_runs == 1
    assert dag.tags and "election-crises" in dag.tags
    assert dag.doc_md
    extract_ids = {f"extract_{s.id}" for s in load_registry()}
    assert extract_ids <= set(dag.task_ids)
    load = dag.get_task("load")
    assert set(load.upstream_task_ids) == extract_ids
    assert load.trigger_rule == "all_done"
    assert dag.get_task("derive").upstream_task_ids == {"load"}
    assert dag.get_task("transform").upstream_task_ids == {"derive"}
    assert dag.get_task("publish").upstream_task_ids == {"gate"}


def test_every_task_has_retries_and_writers_share_one_pool(dagbag):
    dag = dagbag.get_dag("election_crises_nightly")
    for task in dag.tasks:
        if task.task_id == "gate":
            continue  # a failed gate is a verdict, not a flake: never retried
        assert task.retries >= 1, task.task_id
    for task_id in ("load", "derive", "transform", "gate", "publish"):
        assert dag.get_task(task_id).pool == "duckdb_writer"
    for task in dag.tasks:
        if task.task_id.startswith("extract_"):
            assert task.pool != "duckdb_writer" and task.retry_exponential_backoff
