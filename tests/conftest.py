"""Shared fixtures. Tests use the real parts: DuckDB files, dbt, GX, Airflow, HTTP on 127.0.0.1."""
from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
