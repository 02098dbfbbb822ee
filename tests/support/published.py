"""Published marts for tests that read them: the data directory's when `make run` published there,
else one real pipeline run on the bundled snapshot in a scratch directory."""
from __future__ import annotations

from pathlib import Path

from ingestion.settings import Paths


def published_marts(scratch: Path) -> Paths:
    paths = Paths.from_env()
    if paths.marts.exists():
        return paths
    from ingestion.pipeline import run_all

    paths = Paths(scratch)
    run_all(paths=paths, echo=lambda _: None)
    assert paths.marts.exists(), "the pipeline ran but published no marts"
    return paths
