"""Read the published marts for the report: one night's version, read-only, as plain rows.

`current` is resolved once, so a publish during the build cannot mix two nights in one report.
A mart that is not published (yet) is not an error: the page says which mart it would come from.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.settings import Paths

# The same lock-down as `ecw query` (ingestion/cli.py READER_CONFIG): no files, no settings.
READER_CONFIG = {"enable_external_access": False, "lock_configuration": True}


class NoPublishedMarts(RuntimeError):
    """There is nothing published to report on yet."""


@dataclass
class Marts:
    """A read-only connection to one published version plus what it holds."""

    path: Path
    con: duckdb.DuckDBPyConnection
    tables: dict[str, list[str]] = field(default_factory=dict)  # table -> its columns
    published_at: str | None = None
    run_id: str | None = None

    @classmethod
    def open(cls, paths: Paths) -> "Marts":
        if not paths.marts.exists():
            raise NoPublishedMarts(f"no published marts at {paths.marts} yet; run `make run` or `ecw run` first")
        resolved = Path(os.path.realpath(paths.marts))  # pin this night's version
        con = duckdb.connect(str(resolved), read_only=True, config=dict(READER_CONFIG))
        tables: dict[str, list[str]] = {}
        for table, column in con.execute(
                "select table_name, column_name from duckdb_columns() where database_name = current_database() "
                "and schema_name = 'main' order by table_name, column_index").fetchall():
            tables.setdefault(table, []).append(column)
        marts = cls(resolved, con, tables)
        if "_publication" in tables:
            published_at, run_id = con.execute("select published_at, run_id from _publication").fetchone()
            marts.published_at, marts.run_id = str(published_at), run_id
        return marts

    def close(self) -> None:
        self.con.close()

    def has(self, table: str, *columns: str) -> bool:
        """True when the mart is published with every named column (a newer/older layout is skipped)."""
        return table in self.tables and all(c in self.tables[table] for c in columns)

    def missing_note(self, table: str, *columns: str) -> str:
        if table not in self.tables:
            return f"not in these marts: {table} is not published yet"
        absent = [c for c in columns if c not in self.tables[table]]
        return f"not in these marts: {table} has no column {', '.join(absent)}"

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
