"""Shared fixtures. Tests use the real parts: DuckDB files, dbt, GX, Airflow, HTTP on 127.0.0.1."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# Airflow reads its home at import time; `make test` exports it, a bare pytest gets the repo's.
os.environ.setdefault("AIRFLOW_HOME", str(REPO_ROOT / "airflow_home"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(REPO_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or a skip that says why (CI and developers have it; forks may not)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared reference folder is not beside the repo")
    return path


@pytest.fixture(scope="session")
def snapshot_night(tmp_path_factory):
    """One real nightly run on the bundled snapshot for the whole session (tests/support/published.py)."""
    from tests.support.published import run_snapshot_night

    return run_snapshot_night(tmp_path_factory.mktemp("snapshot-night") / "data")
