"""`make docs` builds dbt docs with the lineage graph, the exposures and every mart documented."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def test_docs_build_with_lineage_and_exposures(tmp_path):
    env = {**os.environ, "ECW_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "scripts/build_docs.py"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    docs = tmp_path / "docs"
    assert (docs / "static_index.html").stat().st_size > 100_000
    manifest = json.loads((docs / "manifest.json").read_text())
    exposures = {e["name"] for e in manifest["exposures"].values()}
    assert {"published_marts_duckdb", "election_crises_front_page"} <= exposures
    crises = manifest["nodes"]["model.election_crises.election_crises"]
    assert crises["config"]["contract"]["enforced"] is True
    undocumented = [name for name, column in crises["columns"].items() if not column.get("description")]
    assert undocumented == []
    # lineage: the front page descends from the raw sources through staging
    parents = manifest["parent_map"]["model.election_crises.election_crises"]
    assert any(p.startswith("model.election_crises.int_") for p in parents)
