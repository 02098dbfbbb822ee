"""A BI-style reader for the readers-during-the-nightly test, run in its own process.

Kept apart from the tests so a spawned process imports only DuckDB, not the pipeline.
"""
from __future__ import annotations

import time

import duckdb

SNAPSHOT_QUERY = """
select (select count(*) from election_crises), (select count(*) from fct_casualty_reports),
       (select sum(payloads_loaded) from source_freshness), (select run_id from _publication)
"""


def read_published(path: str) -> tuple:
    """One consistent look at the published marts: counts and publication, in one connection."""
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(SNAPSHOT_QUERY).fetchone()
    finally:
        con.close()


def read_until(path: str, stop, results, pause: float = 0.05) -> None:
    """Open, read and close the marts in a loop until `stop` is set; report reads and errors."""
    reads, errors, seen = 0, [], {}
    while not stop.is_set():
        try:
            observed = read_published(path)
            seen[observed] = seen.get(observed, 0) + 1
            reads += 1
        except Exception as exc:  # every failure counts: the test asserts there are none
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(pause)
    results.put({"reads": reads, "errors": errors, "seen": seen})
