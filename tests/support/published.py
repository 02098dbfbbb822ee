"""One good night on the bundled snapshot per test session, shared by every test that reads its
published marts or copies its data directory (the reliability baseline, the report, the BI clients,
the benchmark's comparison scripts): one pipeline run where there were five.

Tests never read the checkout's own data/: it may hold marts of older code. A test that changes
anything works on a copy (tests.reliability.harness.copy_data)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingestion.settings import Paths
from tests.support.environ import env

SNAPSHOT_NIGHT_DATE = "2026-01-10"  # the shared night's logical date


@dataclass(frozen=True)
class SnapshotNight:
    paths: Paths
    run_id: str


def run_snapshot_night(data_dir: Path) -> SnapshotNight:
    """The whole nightly run (ingestion.pipeline.run_all) on the bundled snapshot and the repo's registry."""
    from ingestion.pipeline import SNAPSHOT_ENV, run_all

    paths = Paths(data_dir)
    with env(ECW_REGISTRY=None, ECW_DATA_DIR=None, **{SNAPSHOT_ENV: None}):
        result = run_all(SNAPSHOT_NIGHT_DATE, paths, echo=lambda _: None)
    assert paths.marts.exists(), "the pipeline ran on the bundled snapshot but published no marts"
    return SnapshotNight(paths, result["run_id"])
