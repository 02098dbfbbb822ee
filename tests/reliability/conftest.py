"""The reliability suite's fixtures: one good nightly run per session, copied per test, and the
recorder behind `make reliability`'s table.

Each test records the faults it injected (`reliability(...)`); at the end of the session the rows go
to data/reliability/results.json (or $ECW_RELIABILITY_REPORT), with `survived` forced to false
for any test that failed, and scripts/reliability_report.py prints them.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ingestion.pipeline import GateFailed, derive_stage, extract_one, gate_stage, load_stage, transform_stage
from ingestion.settings import REPO_ROOT, Paths
from tests.reliability.bad_payloads import PAYLOADS
from tests.reliability.harness import copy_data, env, marts_digest, quiet, raw_counts, write_registry
from tests.reliability.long_night import long_night
from tests.support.fault_server import FaultServer, Reply

FAKE_SECRET = "ecw-fake-secret-5d1c7e0a9b"  # a known fake credential that must never be written anywhere
NIGHT_DATE = "2026-01-11"  # the night after the baseline
BACKFILL_DATE = "2026-01-09"  # earlier than every other run
RESULTS: list[dict] = []
FAILED: set[str] = set()

def report_path() -> Path:
    return Path(os.environ.get("ECW_RELIABILITY_REPORT") or REPO_ROOT / "data" / "reliability" / "results.json")

@dataclass(frozen=True)
class Baseline:
    paths: Paths
    run_id: str
    marts: dict[str, str]
    raw: dict[str, int]

@pytest.fixture(scope="session")
def baseline(snapshot_night) -> Baseline:
    """The session's good night on the bundled snapshot (tests/support/published.py), with the repo's registry."""
    paths = snapshot_night.paths
    return Baseline(paths, snapshot_night.run_id, marts_digest(paths.marts), raw_counts(paths))

@dataclass(frozen=True)
class BadNight:
    paths: Paths
    load: dict  # the load stage's summary per source
    gate: GateFailed | None

@pytest.fixture(scope="session")
def bad_night(baseline, tmp_path_factory) -> BadNight:
    """After the baseline, each source serves its payloads of tests/reliability/bad_payloads.py in
    turn, each fetch lands, then load, derive, dbt, the gate and (if it passes) publish run, as in the DAG."""
    root = tmp_path_factory.mktemp("bad-night")
    paths = copy_data(baseline.paths, root / "data")
    run_id = "bad-input-night"
    with FaultServer() as server:
        overrides = {}
        for source, payloads in PAYLOADS.items():
            replies = [Reply(200, p.body, headers={"Content-Type": p.content_type}) for p in payloads]
            overrides[source] = {"url": server.script(f"/{source}", *replies)}
        with env(ECW_REGISTRY=str(write_registry(root / "sources.yml", overrides))):
            for source, payloads in PAYLOADS.items():
                for _ in payloads:
                    extract_one(source, NIGHT_DATE, paths)
            load = load_stage(run_id, paths)
            derive_stage(run_id, paths)
            transform_stage(run_id, paths, echo=quiet)
            try:
                gate_stage(run_id, paths)
                gate = None
            except GateFailed as exc:
                gate = exc
    return BadNight(paths, load, gate)

@pytest.fixture(scope="session")
def night(baseline, tmp_path_factory) -> tuple[Paths, dict]:
    """The long night (tests/reliability/long_night.py): what each of its steps left behind."""
    return long_night(baseline.paths, tmp_path_factory.mktemp("long-night"), NIGHT_DATE, BACKFILL_DATE, FAKE_SECRET)

@pytest.fixture
def work(baseline, tmp_path) -> Paths:
    """A private copy of the baseline's data directory (landing, warehouse, marts, status)."""
    return copy_data(baseline.paths, tmp_path / "data")

@pytest.fixture
def reliability(request):
    """record(category, fault, survived=..., injected=1, lost=0, quarantined=0, consistent=None, detail='')"""

    def record(category: str, fault: str, *, survived: bool, injected: int = 1, lost: int = 0,
               quarantined: int = 0, consistent: bool | None = None, detail: str = "") -> None:
        RESULTS.append({"category": category, "fault": fault, "injected": injected, "survived": bool(survived),
                        "records_lost": int(lost), "records_quarantined": int(quarantined),
                        "marts_consistent": consistent, "detail": detail, "test": request.node.nodeid})

    return record

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        FAILED.add(item.nodeid)

def pytest_sessionfinish(session, exitstatus):
    if not RESULTS and not FAILED:
        return
    rows = [{**row, "survived": row["survived"] and row["test"] not in FAILED, "test_passed": row["test"] not in FAILED}
            for row in RESULTS]
    for nodeid in sorted(FAILED - {row["test"] for row in RESULTS}):
        rows.append({"category": "test", "fault": nodeid, "injected": 0, "survived": False, "records_lost": 0,
                     "records_quarantined": 0, "marts_consistent": None, "detail": "failed before recording",
                     "test": nodeid, "test_passed": False})
    path = report_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                "rows": rows}, indent=2, ensure_ascii=False), encoding="utf-8")
