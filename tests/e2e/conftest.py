"""One real nightly run through Airflow's dag.test() on the bundled snapshot, shared by the e2e tests."""
from __future__ import annotations

import os
import shutil
import sys

import duckdb
import pytest

from ingestion.pipeline import SNAPSHOT_ENV
from ingestion.settings import Paths
from ingestion.snapshot_server import serve_snapshot
from tests.conftest import REPO_ROOT


def run_dag_once() -> str:
    if str(REPO_ROOT / "dags") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "dags"))
    from election_crises_nightly import election_crises_nightly

    run = election_crises_nightly().test()
    return str(run.state)


@pytest.fixture(scope="session")
def nightly(tmp_path_factory):
    """(paths, dag state): the published marts of one DAG run in a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("nightly-data")
    previous = os.environ.get("ECW_DATA_DIR")
    os.environ["ECW_DATA_DIR"] = str(data_dir)
    try:
        with serve_snapshot() as base_url:
            os.environ[SNAPSHOT_ENV] = base_url
            state = run_dag_once()
    finally:
        os.environ.pop(SNAPSHOT_ENV, None)
        if previous is None:
            os.environ.pop("ECW_DATA_DIR", None)
        else:
            os.environ["ECW_DATA_DIR"] = previous
    return Paths(data_dir), state


@pytest.fixture
def marts(nightly):
    paths, state = nightly
    assert state == "success", f"the DAG run ended in state {state}"
    con = duckdb.connect(str(paths.marts), read_only=True)
    yield con
    con.close()


def copy_snapshot(tmp_path):
    target = tmp_path / "snapshot"
    shutil.copytree(REPO_ROOT / "snapshot", target)
    return target
