"""Comparisons of warehouse and marts files shared by the e2e and reliability tests."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from ingestion.settings import Paths


def marts_digest(path: Path, exclude: tuple[str, ...] = ("_publication",)) -> dict[str, str]:
    """Content hash per published table, row order ignored."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall()]
        digests = {}
        for table in tables:
            if table in exclude:
                continue
            rows = sorted(repr(r) for r in con.execute(f"select * from {table}").fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


# Marts that describe payloads rather than facts: a publisher re-issuing the same facts in new bytes
# changes them (which payload is in use, when each record was last seen) and nothing else.
PAYLOAD_MARTS = ("source_freshness", "fct_record_history")


def facts_only(digest: dict[str, str]) -> dict[str, str]:
    """A marts_digest without the payload bookkeeping marts: equal when the published facts are."""
    return {table: value for table, value in digest.items() if table not in PAYLOAD_MARTS}


def raw_counts(paths: Paths) -> dict[str, int]:
    """Rows per raw table (by name) and per derived table (as `derived.<name>`): what load and derive keep.

    Casualty figures are derived, not raw: `derived.casualty_figures` is where a figure read twice
    or lost would show.
    """
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where schema_name in ('raw', 'derived') order by 1, 2").fetchall()
        return {(t if schema == "raw" else f"{schema}.{t}"): con.execute(f"select count(*) from {schema}.{t}").fetchone()[0]
                for schema, t in tables}
    finally:
        con.close()
