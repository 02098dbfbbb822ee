"""Processes killed at the worst moments: the load half-way through a payload, dbt half-way
through the marts, publish between writing the new file and renaming it. After each, the next
run completes, the warehouse holds no partial load, and readers only ever had whole marts.
The load and dbt kills are steps 2 and 3 of tests/reliability/long_night.py.

The kills are real SIGKILLs. The load and publish run in a subprocess that pauses at the
dangerous point (ingestion/fault_hooks.py) and says so on stderr; dbt is the real dbt child of
the transform stage, killed when it reports a mart rebuilt past half its nodes.
"""
from __future__ import annotations

import signal

import pytest

from ingestion.pipeline import publish_stage
from tests.reliability.harness import marts_digest, published_run, query
from tests.reliability.long_night import kill_at_pause, start_stage
from tests.support.warehouse_checks import facts_only

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_load_killed_half_way_leaves_no_partial_load(night, reliability):
    paths, seen = night
    killed = seen["after_load_kill"]
    first, second = seen["load_pauses"]
    after = seen["after_dbt_kill"]["raw"]  # the next run's load completed before its dbt was killed
    lost = sum(abs(seen["clean_raw"][t] - after.get(t, 0)) for t in seen["clean_raw"])
    survived = (seen["load_exit"] == -signal.SIGKILL and not any(killed["unaccounted"].values())
                and not killed["miscounted"] and after == seen["clean_raw"])
    reliability("process fault", "load killed (SIGKILL) half-way through a payload", survived=survived, lost=lost,
                consistent=killed["marts"] == seen["marts_before"])
    assert seen["load_exit"] == -signal.SIGKILL
    assert any(sha.startswith(first[2]) for sha in killed["loaded"]), "the first payload was committed"
    assert not any(sha.startswith(second[2]) for sha in killed["loaded"]), "the killed payload is not recorded"
    assert not any(killed["unaccounted"].values()), f"rows of an unrecorded payload: {killed['unaccounted']}"
    assert killed["miscounted"] == [], "every recorded payload has exactly its rows"
    assert killed["marts"] == seen["marts_before"]
    assert after == seen["clean_raw"], "the next run loads exactly what a clean load does"
    assert not any(seen["completed"]["duplicates"].values())


def test_dbt_killed_half_way_publishes_nothing_and_the_next_run_completes(night, baseline, reliability):
    paths, seen = night
    killed = seen["after_dbt_kill"]
    final = facts_only(seen["completed"]["marts"])
    expected = facts_only(baseline.marts)
    leftovers = query(paths.warehouse, "select table_name from duckdb_tables() where table_name like '%__dbt_%' "
                                       "union all select view_name from duckdb_views() where view_name like '%__dbt_%'")
    survived = (seen["dbt_error"] is not None and killed["marts"] == seen["marts_before"] and final == expected
                and seen["completed"]["result"]["publish"]["tables"]["election_crises"] == 15)
    reliability("process fault", "dbt killed (SIGKILL) half-way through the marts", survived=survived,
                consistent=killed["marts"] == seen["marts_before"] and final == expected)
    assert seen["dbt_error"] and "exit -9" in seen["dbt_error"], seen["dbt_error"]
    assert killed["status"]["stages"]["transform"]["status"] == "failed"
    assert "gate" not in killed["status"]["stages"] and "publish" not in killed["status"]["stages"]
    assert killed["marts"] == seen["marts_before"] and killed["run"] == seen["run_before"], "old marts stay"
    assert final == expected, "the next run publishes whole marts"
    assert seen["completed"]["marts"]["source_freshness"] != baseline.marts["source_freshness"]
    assert leftovers == [], f"dbt left temporary relations: {leftovers}"


def test_publish_killed_between_writing_and_renaming(work, baseline, reliability):
    run_before = published_run(work.marts)
    process = start_stage("from ingestion.pipeline import publish_stage; publish_stage('killed-publish')", work,
                          ECW_TEST_PAUSE_BEFORE_RENAME="60")
    pauses = kill_at_pause(process, nth=1)
    tmp = work.data_dir / pauses[0][1]
    left_behind = tmp.exists()
    after_kill = marts_digest(work.marts)
    run_after_kill = published_run(work.marts)
    outcome = publish_stage("after-killed-publish", work)
    survived = (process.returncode == -signal.SIGKILL and after_kill == baseline.marts
                and run_after_kill == run_before and not tmp.exists()
                and published_run(work.marts) == "after-killed-publish")
    reliability("process fault", "publish killed (SIGKILL) between writing and renaming", survived=survived,
                consistent=after_kill == baseline.marts and marts_digest(work.marts) == baseline.marts)
    assert process.returncode == -signal.SIGKILL and left_behind, "killed with the new file written, not renamed"
    assert after_kill == baseline.marts and run_after_kill == run_before, "readers keep the old marts"
    assert outcome["tables"]["election_crises"] == 15
    assert not tmp.exists(), "the next publish removes the stale file"
    assert published_run(work.marts) == "after-killed-publish"
    assert marts_digest(work.marts) == baseline.marts
