"""The dbt models stay sqlfluff-clean (dbt templater), as `make lint` checks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def test_sqlfluff_lint_is_clean(tmp_path):
    sqlfluff = Path(sys.executable).with_name("sqlfluff")
    if not sqlfluff.exists():
        pytest.skip("sqlfluff is not installed in this environment (it is in requirements.lock)")
    env = {**os.environ, "ECW_WAREHOUSE": str(tmp_path / "lint.duckdb"),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    done = subprocess.run([str(sqlfluff), "lint", "models", "--processes", "0"], cwd=REPO_ROOT / "dbt_project", env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "All Finished" in done.stdout
