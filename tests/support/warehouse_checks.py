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


def raw_counts(paths: Paths) -> dict[str, int]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw' order by 1").fetchall()]
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()
