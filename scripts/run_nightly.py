"""`make run`: one nightly run through Airflow (dag.test) on the bundled snapshot, then a summary.

Airflow's own console output goes to data/logs/make-run-airflow.log; on failure the first thing
printed is why: the failed stage's error (dbt's failing nodes and rows, the gate's failures with
their keys and fixes), then `ecw status`.
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Iterator

from ingestion.cli import main as ecw
from ingestion.pipeline import snapshot_publisher
from ingestion.run_status import last_run
from ingestion.settings import Paths


def run_dag() -> str:
    sys.path.insert(0, "dags")
    from election_crises_nightly import election_crises_nightly  # noqa: E402 (after sys.path)

    dag = election_crises_nightly()
    run = dag.test()
    return str(getattr(run, "state", "unknown"))


@contextlib.contextmanager
def output_to(log_file: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (Airflow's task logs included) to `log_file`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_file, "w", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def failure_report(paths: Paths) -> str:
    """Why the last run failed, from its status file: each failed stage's own message."""
    from ingestion.gate import failure_message

    run = last_run(paths) or {}
    lines = []
    for stage, info in (run.get("stages") or {}).items():
        if info.get("status") not in ("failed", "error"):
            continue
        lines.append(f"[{stage}] failed")
        if info.get("error"):
            lines.append(str(info["error"]))
        lines.extend(f"  ✗ {failure_message(f)}" for f in (info.get("failures") or [])[:10])
        if info.get("results"):
            lines.append(f"  full results: {info['results']}")
        lines.extend(f"  ✗ {e}" for e in (info.get("errors") or [])[:10])
    return "\n".join(lines) or "no stage recorded a failure: the task that failed is in the Airflow log"


if __name__ == "__main__":
    paths = Paths.from_env()
    airflow_log = paths.data_dir / "logs" / "make-run-airflow.log"
    with snapshot_publisher() as base_url:
        print(f"snapshot served at {base_url}; Airflow's log: {airflow_log}", flush=True)
        with output_to(airflow_log):
            state = run_dag()
    print(f"\nDAG run state: {state}")
    if state != "success":
        print(f"\n{failure_report(paths)}\n\nAirflow's full log: {airflow_log}\n")
        ecw(["status"])
        sys.exit(1)
    print(f"\nPublished marts: {paths.marts} (Parquet copies in {paths.marts_parquet}/)")
    sys.exit(ecw(["query", "select election_key, annulled, annulled_on, threshold_pct, parties_passed, "
                           "deaths_latest, injured_latest, hospitalized_latest, vote_buying_alleged "
                           "from election_crises order by election_date"]))
