"""BI-style readers for the readers-during-the-nightly test, run in their own processes.

Kept apart from the tests so a spawned process imports only DuckDB (and pyarrow if installed),
not the pipeline. Each loop reads the DuckDB file and, like a file-based tool, the Parquet
catalog: read data/marts/current/catalog.json, then the Parquet files of the version directory
it names (data/marts/<version>/, never rewritten).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

try:
    import pyarrow.parquet as pq
except ImportError:  # not in the pinned venv: DuckDB's read_parquet alone then
    pq = None

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


def read_catalog(path: str) -> tuple[tuple, list[str]]:
    """One look at the Parquet catalog: (run id, crises, reports) and every disagreement found
    between catalog.json, the Parquet files and the DuckDB file of the same version directory."""
    parquet_dir = Path(path).parent / "marts"
    catalog = json.loads((parquet_dir / "current" / "catalog.json").read_text(encoding="utf-8"))
    version = parquet_dir / catalog["version"]
    problems = []
    con = duckdb.connect()
    try:
        counts = {}
        for table, entry in catalog["tables"].items():
            file = str(version / entry["file"]).replace("'", "''")
            counts[table] = con.execute(f"select count(*) from read_parquet('{file}')").fetchone()[0]
            if pq is not None and pq.read_table(version / entry["file"]).num_rows != counts[table]:
                problems.append(f"{version.name}/{entry['file']}: pyarrow and DuckDB disagree")
            if counts[table] != entry["rows"]:
                problems.append(f"{version.name}/{entry['file']}: {counts[table]} rows, catalog says {entry['rows']}")
    finally:
        con.close()
    published = duckdb.connect(str(version / catalog["duckdb_file"]), read_only=True)
    try:
        run_id = published.execute("select run_id from _publication").fetchone()[0]
    finally:
        published.close()
    if run_id != catalog["run_id"]:
        problems.append(f"{version.name}: catalog of run {catalog['run_id']} beside marts of run {run_id}")
    return (catalog["run_id"], counts["election_crises"], counts["fct_casualty_reports"]), problems


def read_until(path: str, stop, results, pause: float = 0.05) -> None:
    """Read the marts and the Parquet catalog in a loop until `stop` is set; report reads and errors."""
    reads, errors, seen = 0, [], {}
    catalog_reads, catalog_errors, catalog_seen = 0, [], {}
    while not stop.is_set():
        try:
            observed = read_published(path)
            seen[observed] = seen.get(observed, 0) + 1
            reads += 1
        except Exception as exc:  # every failure counts: the test asserts there are none
            errors.append(f"{type(exc).__name__}: {exc}")
        try:
            observed, problems = read_catalog(path)
            catalog_seen[observed] = catalog_seen.get(observed, 0) + 1
            catalog_errors.extend(problems)
            catalog_reads += 1
        except Exception as exc:
            catalog_errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(pause)
    results.put({"reads": reads, "errors": errors, "seen": seen, "catalog_reads": catalog_reads,
                 "catalog_errors": catalog_errors, "catalog_seen": catalog_seen, "pyarrow": pq is not None})
