"""SQLAlchemy dialect for BI tools reading the published marts: `duckdb+ecw_marts:////abs/data/marts.duckdb`.

duckdb_engine's own dialect has two defects for a reader of a file replaced every night:
- DuckDB shares one database per file path per process, so while any pooled connection is
  open a new connection gets the old file again (measured); a pooled engine serves yesterday's
  marts until restarted, and pool_pre_ping only proves the stale connection alive. Here every
  DBAPI connection is its own in-memory DuckDB that ATTACHes the file read-only (ATTACH opens
  the file now at the path), and a checkout whose file is no longer the published one is
  replaced (SQLAlchemy's pessimistic-disconnect hook): the next checkout sees the new night.
- Column reflection fails on SQLAlchemy 2.1 (it queries pg_catalog.pg_collation, which DuckDB
  lacks, duckdb_engine issues #1379/#1391; constraint reflection casts to REGCLASS). Here
  reflection reads DuckDB's own duckdb_columns() and duckdb_tables(), comments included.

Needs only duckdb, duckdb_engine and SQLAlchemy, 2.x or 1.4 (Apache Superset 6 still pins 1.4).
Registered by the `sqlalchemy.dialects` entry point in pyproject.toml and on import of this module.
"""
from __future__ import annotations

import os
import re
from typing import Any

import duckdb
import duckdb_engine
from sqlalchemy import event, exc, text
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import registry
from sqlalchemy.engine.default import DefaultDialect

DRIVER = "ecw_marts"
ALIAS = "marts"
_SIMPLE_TYPES = {
    "BOOLEAN": sqltypes.Boolean, "TINYINT": sqltypes.SmallInteger, "SMALLINT": sqltypes.SmallInteger,
    "INTEGER": sqltypes.Integer, "BIGINT": sqltypes.BigInteger, "HUGEINT": sqltypes.BigInteger,
    "UTINYINT": sqltypes.SmallInteger, "USMALLINT": sqltypes.Integer, "UINTEGER": sqltypes.BigInteger,
    "UBIGINT": sqltypes.BigInteger, "FLOAT": sqltypes.Float, "VARCHAR": sqltypes.String,
    "DATE": sqltypes.Date, "TIME": sqltypes.Time, "TIMESTAMP": sqltypes.DateTime, "INTERVAL": sqltypes.Interval,
    "BLOB": sqltypes.LargeBinary, "JSON": sqltypes.JSON,
    # Double and Uuid are SQLAlchemy 2 types; on 1.4 the nearest generic type stands in
    "DOUBLE": getattr(sqltypes, "Double", sqltypes.Float), "UUID": getattr(sqltypes, "Uuid", sqltypes.String),
}


def _file_identity(path: str) -> tuple[int, int]:
    info = os.stat(path)  # follows data/marts.duckdb's symlink to the current night's file
    return info.st_dev, info.st_ino


def reflect_type(data_type: str) -> sqltypes.TypeEngine:
    """A SQLAlchemy type for a DuckDB type name from duckdb_columns().data_type."""
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", data_type)
    if decimal:
        return sqltypes.Numeric(int(decimal.group(1)), int(decimal.group(2)))
    if data_type.startswith("TIMESTAMP"):
        return sqltypes.DateTime(timezone=data_type == "TIMESTAMP WITH TIME ZONE")
    if data_type.endswith("[]"):
        return sqltypes.ARRAY(reflect_type(data_type[:-2]))
    return _SIMPLE_TYPES.get(data_type, sqltypes.NullType)()


class MartsConnection(duckdb_engine.ConnectionWrapper):
    """An in-memory DuckDB with the published file attached read-only, remembering which file."""

    def __init__(self, path: str) -> None:
        self.identity = _file_identity(path)  # before ATTACH: a swap in between only means a spare reconnect
        self.path = path
        connection = duckdb.connect(":memory:")
        connection.execute(f"attach '{path.replace(chr(39), chr(39) * 2)}' as {ALIAS} (read_only)")
        connection.execute(f"use {ALIAS}")
        # a reader of the marts reads the marts: no local files, no other databases, and no way back
        connection.execute("set enable_external_access = false")
        connection.execute("set lock_configuration = true")
        super().__init__(connection)

    def is_current(self) -> bool:
        try:
            return _file_identity(self.path) == self.identity
        except OSError:
            return True  # mid-swap or gone: keep what works rather than fail the checkout


class MartsDialect(duckdb_engine.Dialect):
    driver = DRIVER
    supports_statement_cache = False

    def connect(self, *cargs: Any, **cparams: Any) -> MartsConnection:
        path = cparams.get("database") or (cargs[0] if cargs else None)
        if not path or path == ":memory:":
            raise exc.ArgumentError(f"{DRIVER}: the URL must name the published marts file, "
                                    "e.g. duckdb+ecw_marts:////abs/path/data/marts.duckdb")
        return MartsConnection(os.path.abspath(path))

    @classmethod
    def engine_created(cls, engine) -> None:
        @event.listens_for(engine, "checkout")
        def _replace_if_republished(dbapi_connection, record, proxy) -> None:
            if isinstance(dbapi_connection, MartsConnection) and not dbapi_connection.is_current():
                raise exc.DisconnectionError("the marts were republished; reconnecting to the new file")

    def _relations(self, connection, schema: str | None, kind: str) -> list[str]:
        table = "duckdb_tables()" if kind == "table" else "duckdb_views()"
        rows = connection.execute(text(
            f"select {kind}_name from {table} where database_name = current_database() "
            "and schema_name = coalesce(:schema, current_schema()) and not internal order by 1"),
            {"schema": schema})
        return [r[0] for r in rows]

    def get_table_names(self, connection, schema=None, **kw):
        return self._relations(connection, schema, "table")

    def get_view_names(self, connection, schema=None, **kw):
        return self._relations(connection, schema, "view")

    def has_table(self, connection, table_name, schema=None, **kw):
        return table_name in self.get_table_names(connection, schema) + self.get_view_names(connection, schema)

    def get_columns(self, connection, table_name, schema=None, **kw):
        rows = connection.execute(text(
            "select column_name, data_type, is_nullable, column_default, comment from duckdb_columns() "
            "where database_name = current_database() and schema_name = coalesce(:schema, current_schema()) "
            "and table_name = :table order by column_index"), {"schema": schema, "table": table_name}).fetchall()
        if not rows:
            raise exc.NoSuchTableError(table_name)
        return [{"name": name, "type": reflect_type(data_type), "nullable": bool(nullable), "default": default,
                 "autoincrement": False, "comment": comment} for name, data_type, nullable, default, comment in rows]

    def get_schema_names(self, connection, **kw):
        rows = connection.execute(text("select schema_name from duckdb_schemas() where database_name = "
                                       "current_database() and schema_name not in ('information_schema', "
                                       "'pg_catalog') order by 1"))
        return [r[0] for r in rows]

    def get_materialized_view_names(self, connection, schema=None, **kw):
        return []

    def get_sequence_names(self, connection, schema=None, **kw):
        return []


    def get_table_comment(self, connection, table_name, schema=None, **kw):
        row = connection.execute(text(
            "select comment from duckdb_tables() where database_name = current_database() "
            "and schema_name = coalesce(:schema, current_schema()) and table_name = :table"),
            {"schema": schema, "table": table_name}).fetchone()
        return {"text": row[0] if row else None}

    def get_pk_constraint(self, connection, table_name, schema=None, **kw):
        return {"constrained_columns": [], "name": None}  # the marts are CREATE TABLE AS copies: no keys

    def get_foreign_keys(self, connection, table_name, schema=None, **kw):
        return []

    def get_unique_constraints(self, connection, table_name, schema=None, **kw):
        return []

    def get_check_constraints(self, connection, table_name, schema=None, **kw):
        return []

    def get_indexes(self, connection, table_name, schema=None, **kw):
        return []

    def get_table_options(self, connection, table_name, schema=None, **kw):
        return {}


# SQLAlchemy 2's generic per-table loops over the methods above, instead of PostgreSQL's pg_catalog
# queries; 1.4 has no get_multi_* and calls the per-table methods itself
for _part in ("columns", "pk_constraint", "foreign_keys", "indexes", "unique_constraints", "check_constraints",
              "table_comment", "table_options"):
    if hasattr(DefaultDialect, f"get_multi_{_part}"):
        setattr(MartsDialect, f"get_multi_{_part}", getattr(DefaultDialect, f"get_multi_{_part}"))

registry.register(f"duckdb.{DRIVER}", __name__, "MartsDialect")
