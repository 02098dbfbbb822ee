"""Where things live. One place, so the CLI, the DAG and the tests agree on paths."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Paths:
    """All runtime locations below one data directory (default: <repo>/data)."""

    data_dir: Path

    @classmethod
    def from_env(cls) -> "Paths":
        return cls(Path(os.environ.get("ECW_DATA_DIR", REPO_ROOT / "data")).resolve())

    @property
    def landing(self) -> Path:
        return self.data_dir / "landing"

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def marts(self) -> Path:
        return self.data_dir / "marts.duckdb"

    @property
    def marts_parquet(self) -> Path:
        return self.data_dir / "marts"

    @property
    def quality(self) -> Path:
        return self.data_dir / "quality"

    @property
    def status_dir(self) -> Path:
        return self.data_dir / "status"

    @property
    def docs(self) -> Path:
        return self.data_dir / "docs"


REGISTRY_FILE = Path(os.environ.get("ECW_REGISTRY", REPO_ROOT / "sources.yml"))
SNAPSHOT_DIR = REPO_ROOT / "snapshot"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
