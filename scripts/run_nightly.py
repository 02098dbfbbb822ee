"""`make run`: one nightly run through Airflow (dag.test) on the bundled snapshot, then a summary."""
from __future__ import annotations

import sys

from ingestion.cli import main as ecw
from ingestion.pipeline import snapshot_publisher
from ingestion.settings import Paths


def run_dag() -> str:
    sys.path.insert(0, "dags")
    from election_crises_nightly import election_crises_nightly  # noqa: E402 (after sys.path)

    dag = election_crises_nightly()
    run = dag.test()
    return str(getattr(run, "state", "unknown"))


if __name__ == "__main__":
    with snapshot_publisher() as base_url:
        print(f"snapshot served at {base_url}")
        state = run_dag()
    paths = Paths.from_env()
    print(f"\nDAG run state: {state}")
    if state != "success":
        ecw(["status"])
        sys.exit(1)
    print(f"\nPublished marts: {paths.marts} (Parquet copies in {paths.marts_parquet}/)")
    sys.exit(ecw(["query", "select election_key, annulled, annulled_on, threshold_pct, parties_passed, "
                           "deaths_latest, injured_latest, hospitalized_latest, vote_buying_alleged "
                           "from election_crises order by election_date"]))
