"""Publish: the marts of one night as one immutable version, switched in by one atomic rename.

Each publish writes data/marts/v<stamp>/ (marts.duckdb, one Parquet file per mart and
catalog.json) under a temporary name, renames it into place, then swaps the symlink
data/marts/current to it with os.replace. data/marts.duckdb and data/marts/<mart>.parquet are
fixed symlinks through `current`, so the DuckDB file, the Parquet set and the catalog always
switch together and a reader that resolves `current` once sees one night only. A crash before
the swap leaves the last good version in place; the next publish removes the leftover.

The DuckDB file is written in an older storage format (PUBLISHED_STORAGE_VERSION) so that
clients on older DuckDB lines (the CLI and drivers on PyPI, BI tools) can open it; the
warehouse itself stays on the engine's own format.
"""
from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion.fault_hooks import pause_here
from ingestion.registry import check_identifier, load_registry
from ingestion.settings import EXPECTATIONS_DIR, Paths

log = logging.getLogger(__name__)
MARTS_SCHEMA = "marts"
# DuckDB >= 1.0 reads this format (file header version 64): measured with the duckdb 1.0.0 and
# 1.5.5 wheels and duckdb-cli 1.5.6; the engine's own 2.0 format (69) is refused by all of them.
PUBLISHED_STORAGE_VERSION = "v1.0.0"
CURRENT = "current"
CATALOG = "catalog.json"
DUCKDB_FILE = "marts.duckdb"
KEEP_VERSIONS = 3  # readers that resolved `current` a night or two ago can finish reading
AT_FDCWD, RENAME_EXCHANGE = -100, 2


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
    version: str = ""


def _fsync_dir(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(paths: Paths, run_id: str = "manual", suites_dir: Path = EXPECTATIONS_DIR) -> PublishOutcome:
    paths.marts.parent.mkdir(parents=True, exist_ok=True)
    for stale in [*paths.data_dir.glob(".marts.*.tmp.duckdb*"), *paths.marts_parquet.glob(".*.tmp.parquet")]:
        stale.unlink()  # left by a publish killed half-way (before versioned publishes)
    stamp = datetime.now(timezone.utc)
    version = f"v{stamp:%Y%m%dT%H%M%S%f}Z"
    staging = _new_staging_dir(paths, version)
    docs = _dbt_docs(paths)
    try:
        tables = _write_duckdb(paths, staging / DUCKDB_FILE, docs, stamp, run_id, suites_dir)
    except MissingSuite:
        shutil.rmtree(staging)
        raise
    _write_parquet(staging, list(tables))
    _write_catalog(staging, version, tables, docs, stamp, run_id)
    for name in os.listdir(staging):
        with open(staging / name, "rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(staging)
    pause_here("ECW_TEST_PAUSE_BEFORE_RENAME", str(staging.relative_to(paths.data_dir)))
    _switch_to(paths, staging, version, list(tables))
    log.info("published %d marts to %s (version %s)", len(tables), paths.marts, version)
    return PublishOutcome(str(paths.marts), tables, stamp.isoformat(), version)


def _new_staging_dir(paths: Paths, version: str) -> Path:
    """A fresh hidden directory for the new version; leftovers of killed publishes are removed."""
    paths.marts_parquet.mkdir(parents=True, exist_ok=True)
    for stale in paths.marts_parquet.glob(".v*.tmp"):
        shutil.rmtree(stale)
    for stale in [*paths.marts_parquet.glob(".*.tmp-link"), *paths.data_dir.glob(".*.tmp-link")]:
        stale.unlink()
    staging = paths.marts_parquet / f".{version}.{os.getpid()}.tmp"
    staging.mkdir()
    return staging


def _write_duckdb(paths: Paths, target: Path, docs: dict[str, dict], stamp: datetime, run_id: str,
                  suites_dir: Path = EXPECTATIONS_DIR) -> dict[str, int]:
    """Copy every mart (with its dbt descriptions as comments) into `target`, older storage format."""
    tables: dict[str, int] = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach {_quote(str(target))} as pub (storage_version '{PUBLISHED_STORAGE_VERSION}')")
        con.execute("attach ? as wh (read_only)", [str(paths.warehouse)])
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' and schema_name = ? order by 1",
            [MARTS_SCHEMA]).fetchall()]
        if not names:
            raise RuntimeError(f"nothing to publish: schema {MARTS_SCHEMA} in {paths.warehouse} has no tables")
        check_suites(names, suites_dir)
        for name in names:
            check_identifier(name, "mart table")
            con.execute(f"create table pub.main.{name} as select * from wh.{MARTS_SCHEMA}.{name}")
            tables[name] = con.execute(f"select count(*) from pub.main.{name}").fetchone()[0]
            _comment(con, name, docs.get(name, {}))
        con.execute("create table pub.main._publication as select ?::timestamptz as published_at, ? as run_id",
                    [stamp.isoformat(), run_id])
        con.execute("detach wh")
        con.execute("detach pub")
    finally:
        con.close()
    return tables


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _comment(con: duckdb.DuckDBPyConnection, table: str, doc: dict) -> None:
    """dbt descriptions as DuckDB comments: BI tools show them beside tables and columns."""
    if doc.get("description"):
        con.execute(f"comment on table pub.main.{table} is {_quote(doc['description'])}")
    columns = {r[0] for r in con.execute(
        "select column_name from duckdb_columns() where database_name = 'pub' and table_name = ?", [table]).fetchall()}
    for column, description in doc.get("columns", {}).items():
        if description and column in columns:
            quoted = '"' + column.replace('"', '""') + '"'
            con.execute(f"comment on column pub.main.{table}.{quoted} is {_quote(description)}")


def _write_parquet(staging: Path, tables: list[str]) -> None:
    """A Parquet copy of each mart, read back from the published DuckDB file itself."""
    con = duckdb.connect(str(staging / DUCKDB_FILE), read_only=True)
    try:
        for name in tables:
            con.execute(f"copy main.{name} to {_quote(str(staging / (name + '.parquet')))} (format parquet)")
    finally:
        con.close()


def _dbt_docs(paths: Paths) -> dict[str, dict]:
    """Per mart: its dbt description, column descriptions and the raw tables it is built from."""
    manifest_path = paths.data_dir / "dbt" / "target" / "manifest.json"
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes, sources = manifest.get("nodes", {}), manifest.get("sources", {})

    def raw_tables(node_id: str, seen: set[str]) -> set[str]:
        if node_id in seen:
            return set()
        seen.add(node_id)
        if node_id in sources:
            return {sources[node_id].get("identifier") or sources[node_id]["name"]}
        found: set[str] = set()
        for parent in nodes.get(node_id, {}).get("depends_on", {}).get("nodes", []):
            found |= raw_tables(parent, seen)
        return found

    docs = {}
    for node_id, node in nodes.items():
        if node.get("resource_type") == "model" and node.get("schema") == MARTS_SCHEMA:
            docs[node.get("alias") or node["name"]] = {
                "description": node.get("description") or None,
                "columns": {c: (v.get("description") or None) for c, v in node.get("columns", {}).items()},
                "raw_tables": sorted(raw_tables(node_id, set())),
            }
    return docs


def _write_catalog(staging: Path, version: str, tables: dict[str, int], docs: dict[str, dict], stamp: datetime,
                   run_id: str) -> None:
    """catalog.json: what a file-based reader needs to trust the set (one night, one run)."""
    registry = load_registry()
    by_raw_table: dict[str, list[str]] = {}
    for source in registry:
        for table in source.raw_tables:
            by_raw_table.setdefault(table, []).append(source.id)
    con = duckdb.connect(str(staging / DUCKDB_FILE), read_only=True)
    try:
        entries = {}
        for name, rows in tables.items():
            doc = docs.get(name, {})
            columns = con.execute("select column_name, data_type from duckdb_columns() where table_name = ? "
                                  "order by column_index", [name]).fetchall()
            entries[name] = {
                "file": f"{name}.parquet", "rows": rows, "description": doc.get("description"),
                "columns": [{"name": c, "type": t, "description": doc.get("columns", {}).get(c)} for c, t in columns],
                "sources": sorted({s for raw in doc.get("raw_tables", []) for s in by_raw_table.get(raw, [])}),
            }
    finally:
        con.close()
    catalog = {
        "version": version, "run_id": run_id, "published_at": stamp.isoformat(), "duckdb_file": DUCKDB_FILE,
        "duckdb_storage_version": PUBLISHED_STORAGE_VERSION, "tables": entries,
        "sources": {s.id: {"publisher": s.publisher, "licence": s.licence, "citation": s.citation, "family": s.family}
                    for s in registry},
    }
    (staging / CATALOG).write_text(json.dumps(catalog, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE): rename(2) cannot put a
    symlink over a directory, and removing the directory first would leave a moment without it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"cannot swap {a} and {b}: {os.strerror(error)}")


def _symlink_atomically(link: Path, target: str) -> None:
    """Point `link` at `target` in one rename. A real directory there (a data dir copied with
    its links followed, as shutil.copytree does) is swapped out in one step and then removed."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp-link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    if link.is_dir() and not link.is_symlink():
        _exchange(tmp, link)
        shutil.rmtree(tmp)
        return
    os.replace(tmp, link)


def _switch_to(paths: Paths, staging: Path, version: str, tables: list[str]) -> None:
    """Rename the staged version into place, swap `current`, then keep the fixed links right."""
    os.replace(staging, paths.marts_parquet / version)
    _fsync_dir(paths.marts_parquet)
    _symlink_atomically(paths.marts_parquet / CURRENT, version)
    _symlink_atomically(paths.marts, f"{paths.marts_parquet.name}/{CURRENT}/{DUCKDB_FILE}")
    for name in tables:
        _symlink_atomically(paths.marts_parquet / f"{name}.parquet", f"{CURRENT}/{name}.parquet")
    for flat in paths.marts_parquet.glob("*.parquet"):
        if flat.stem not in tables:
            flat.unlink()  # a mart that is no longer published
    _fsync_dir(paths.marts_parquet)
    _fsync_dir(paths.data_dir)
    versions = sorted(p for p in paths.marts_parquet.glob("v*") if p.is_dir() and not p.is_symlink())
    for old in versions[:-KEEP_VERSIONS]:
        shutil.rmtree(old)
