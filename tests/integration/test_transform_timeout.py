"""A hung dbt build is killed, with everything it started, instead of holding the writer pool.

The "dbt" here is a real executable script that hangs (ECW_DBT_EXECUTABLE points at it): the
real dbt cannot be made to hang on demand, and what is tested is our wait and kill.
"""
from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from ingestion.pipeline import transform_stage
from ingestion.run_status import last_run
from ingestion.settings import Paths
from ingestion import transform
from ingestion.transform import DBT_EXECUTABLE_ENV, DBT_TIMEOUT_ENV, TransformError, run_dbt

HANGING_DBT = """#!/bin/sh
echo "Running with dbt=hung (synthetic stand-in)"
sleep 300 &
echo "$$ $!" > "{pids}"
wait
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def hanging_dbt(tmp_path, monkeypatch) -> Path:
    pids = tmp_path / "pids"
    script = tmp_path / "dbt"
    script.write_text(HANGING_DBT.format(pids=pids))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(DBT_EXECUTABLE_ENV, str(script))
    return pids


def wait_for(path: Path, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_hung_build_times_out_and_its_process_group_is_killed(hanging_dbt, tmp_path):
    started = time.monotonic()
    with pytest.raises(TransformError) as timed_out:
        run_dbt(Paths(tmp_path / "data"), "build", echo=None, timeout=2)
    elapsed = time.monotonic() - started
    wait_for(hanging_dbt)
    shell, child = (int(p) for p in hanging_dbt.read_text().split())
    message = str(timed_out.value)
    assert message.startswith("dbt build timed out after 2 s and was killed"), message
    assert "Running with dbt=hung" in message, "the last output is kept for the log"
    assert 2 <= elapsed < 2 + 15, f"took {elapsed:.1f} s"
    assert not alive(shell) and not alive(child), "dbt and what it started are gone"


def test_a_build_that_ignores_sigterm_is_killed(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    script = tmp_path / "dbt"
    script.write_text("#!/bin/sh\ntrap '' TERM\n" + HANGING_DBT.split("\n", 1)[1].format(pids=pids))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(DBT_EXECUTABLE_ENV, str(script))
    monkeypatch.setattr(transform, "KILL_GRACE_SECONDS", 1)
    with pytest.raises(TransformError, match="timed out after 1 s"):
        run_dbt(Paths(tmp_path / "data"), "build", echo=None, timeout=1)
    wait_for(pids)
    assert not any(alive(int(p)) for p in pids.read_text().split())


def test_transform_stage_records_the_timeout_from_the_environment(hanging_dbt, tmp_path, monkeypatch):
    monkeypatch.setenv(DBT_TIMEOUT_ENV, "1.5")
    paths = Paths(tmp_path / "data")
    with pytest.raises(TransformError, match=r"timed out after 1\.5 s"):
        transform_stage("timeout-test", paths, echo=lambda _: None)
    stage = last_run(paths)["stages"]["transform"]
    assert stage["status"] == "failed" and "timed out after 1.5 s" in stage["error"]
    wait_for(hanging_dbt)
    assert not any(alive(int(p)) for p in hanging_dbt.read_text().split())


def test_a_build_that_finishes_in_time_is_not_touched(tmp_path, monkeypatch):
    script = tmp_path / "dbt"
    script.write_text("#!/bin/sh\necho \"Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(DBT_EXECUTABLE_ENV, str(script))
    seen = []
    output = run_dbt(Paths(tmp_path / "data"), "build", echo=seen.append, timeout=30)
    assert "Done. PASS=1" in output and seen == ["  dbt | Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1"]
