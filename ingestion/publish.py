"""Publish: copy the marts into a new file and atomically rename it to data/marts.duckdb.

Readers hold the old file open until they reconnect; a crash before the rename leaves the last
good marts untouched, and a stale temporary file is simply cleaned up by the next publish.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion.fault_hooks import pause_here
from ingestion.registry import check_identifier
from ingestion.settings import EXPECTATIONS_DIR, Paths

log = logging.getLogger(__name__)
MARTS_SCHEMA = "marts"


class MissingSuite(RuntimeError):
    """A mart without a quality suite: the gate never checked it, so it is not published."""


def check_suites(tables: list[str], suites_dir: Path = EXPECTATIONS_DIR) -> None:
    """Refuse to publish any mart that has no `expectations/marts.<table>.json`."""
    missing = [t for t in tables if not (suites_dir / f"{MARTS_SCHEMA}.{t}.json").is_file()]
    if missing:
        raise MissingSuite(
            "refusing to publish: " + ", ".join(f"{MARTS_SCHEMA}.{t}" for t in missing)
            + f" {'has' if len(missing) == 1 else 'have'} no quality suite. Fix: add "
            + ", ".join(str(suites_dir / f"{MARTS_SCHEMA}.{t}.json") for t in missing)
            + " (format in ingestion/gate.py: key, relative.inputs, relative.max_drop_vs_published, expectations)")


@dataclass(frozen=True)
class PublishOutcome:
    path: str
    tables: dict[str, int]
    published_at: str


def _fsync_dir(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(paths: Paths, run_id: str = "manual", suites_dir: Path = EXPECTATIONS_DIR) -> PublishOutcome:
    paths.marts.parent.mkdir(parents=True, exist_ok=True)
    for stale in [*paths.data_dir.glob(".marts.*.tmp.duckdb*"), *paths.marts_parquet.glob(".*.tmp.parquet")]:
        stale.unlink()  # left by a publish killed half-way
    stamp = datetime.now(timezone.utc)
    tmp = paths.data_dir / f".marts.{os.getpid()}.{stamp:%Y%m%dT%H%M%S%f}.tmp.duckdb"
    tables: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        con.execute("attach ? as wh (read_only)", [str(paths.warehouse)])
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' and schema_name = ? order by 1",
            [MARTS_SCHEMA]).fetchall()]
        if not names:
            raise RuntimeError(f"nothing to publish: schema {MARTS_SCHEMA} in {paths.warehouse} has no tables")
        check_suites(names, suites_dir)
        for name in names:
            check_identifier(name, "mart table")
            con.execute(f"create table main.{name} as select * from wh.{MARTS_SCHEMA}.{name}")
            tables[name] = con.execute(f"select count(*) from main.{name}").fetchone()[0]
        con.execute("create table main._publication as select ?::timestamptz as published_at, ? as run_id",
                    [stamp.isoformat(), run_id])
        con.execute("detach wh")
        con.execute("checkpoint")
    except MissingSuite:
        con.close()
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink()
        raise
    finally:
        con.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    pause_here("ECW_TEST_PAUSE_BEFORE_RENAME", str(tmp.name))
    os.replace(tmp, paths.marts)
    _fsync_dir(paths.data_dir)
    _write_parquet(paths, list(tables))
    log.info("published %d marts to %s", len(tables), paths.marts)
    return PublishOutcome(str(paths.marts), tables, stamp.isoformat())


def _write_parquet(paths: Paths, tables: list[str]) -> None:
    """A Parquet copy of each mart for tools that prefer files; each file replaced atomically."""
    paths.marts_parquet.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.marts), read_only=True)
    try:
        for name in tables:
            tmp = paths.marts_parquet / f".{name}.{os.getpid()}.tmp.parquet"
            con.execute(f"copy main.{name} to '{tmp}' (format parquet)")
            os.replace(tmp, paths.marts_parquet / f"{name}.parquet")
    finally:
        con.close()
