"""What the reliability tests share: copies of a good data directory, served snapshots, tmp
registries, and the measurements (content hashes, raw counts, records in versus records kept).
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import duckdb
import yaml

from ingestion.landing import read_manifest
from ingestion.pipeline import SNAPSHOT_ENV
from ingestion.registry import active_sources
from ingestion.settings import REPO_ROOT, SNAPSHOT_DIR, Paths
from ingestion.snapshot_server import serve_snapshot
from tests.support.environ import env  # noqa: F401 (re-exported)
from tests.support.published import SNAPSHOT_NIGHT_DATE as BASE_DATE  # noqa: F401 (re-exported)
from tests.support.warehouse_checks import marts_digest, raw_counts  # noqa: F401 (re-exported)

FILES = {  # registry id → snapshot file, raw table of its records, JSON list key (None: CSV)
    "cec_elections": ("election_commission/elections.json", "elections", "elections"),
    "cec_party_results": ("election_commission/results.csv", "party_results", None),
    "cec_decisions": ("election_commission/decisions.json", "decisions", "decisions"),
    "moh_bulletins": ("health_ministry/bulletins.json", "casualty_bulletins", "bulletins"),
    "observer_statements": ("observer_mission/statements.json", "observer_statements", "statements"),
}
# every source a night fetches with the repo's registry: the five above and the bundled research files
ACTIVE = tuple(source.id for source in active_sources())


def quiet(_line: str) -> None:
    return None


@contextlib.contextmanager
def served(snapshot: Path = SNAPSHOT_DIR) -> Iterator[str]:
    """Serve a snapshot folder on 127.0.0.1 and point the registry's base URL at it."""
    with serve_snapshot(snapshot) as base_url, env(**{SNAPSHOT_ENV: base_url}):
        yield base_url


def copy_data(source: Paths, target: Path) -> Paths:
    shutil.copytree(source.data_dir, target)
    return Paths(target)


def reissue(snapshot: Path, source_id: str, variant: int) -> None:
    """The publisher re-issues its file: the same facts in new bytes (JSON indented `variant`
    spaces; CSV with CRLF for odd variants and every field quoted from variant 2), so it lands
    as a new payload. Each variant gives different bytes from the original and from the others."""
    path = snapshot / FILES[source_id][0]
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(document, indent=variant, ensure_ascii=False), encoding="utf-8")
        return
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if variant % 2 else "\n",
               quoting=csv.QUOTE_ALL if variant >= 2 else csv.QUOTE_MINIMAL).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def snapshot_copy(target: Path, reserialize: tuple[str, ...] = ()) -> Path:
    """A copy of the bundled snapshot, with the sources in `reserialize` re-issued (variant 1)."""
    shutil.copytree(SNAPSHOT_DIR, target)
    for source_id in reserialize:
        reissue(target, source_id, 1)
    return target


def snapshot_records(source_id: str) -> list:
    """The records of one snapshot JSON file, to build injected payloads from."""
    path, _, key = FILES[source_id]
    return json.loads((SNAPSHOT_DIR / path).read_text(encoding="utf-8"))[key]


def write_registry(path: Path, overrides: dict[str, dict]) -> Path:
    """The repo's sources.yml with some entries changed (a value of None removes the key)."""
    document = yaml.safe_load((REPO_ROOT / "sources.yml").read_text(encoding="utf-8"))
    for entry in document["sources"]:
        for key, value in overrides.get(entry["id"], {}).items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def published_run(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select run_id from _publication").fetchone()[0]
    finally:
        con.close()


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def duplicate_raw_rows(paths: Paths) -> dict[str, int]:
    """Rows a second load of the same payload would add: same payload hash and record locator twice."""
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_columns() where schema_name = 'raw' and column_name = '_record_locator'"
        ).fetchall()]
        return {t: con.execute(f"select count(*) - count(distinct (_payload_sha256, _record_locator)) "
                               f"from raw.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def records_in(source_id: str, body: bytes) -> int | None:
    """How many records a payload holds, or None when it does not parse at all."""
    key = FILES[source_id][2]
    try:
        if key is None:
            return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), strict=True)) - 1
        return len(json.loads(body.decode("utf-8"))[key])
    except (ValueError, KeyError, TypeError, csv.Error):
        return None


def landed(paths: Paths, source_id: str) -> list[tuple[str, bytes]]:
    """(sha256, body) of every payload of the source in the landing zone, in fetch order."""
    seen, out = set(), []
    for row in read_manifest(paths.landing, source_id):
        if row.http_status == 200 and row.sha256 and row.sha256 not in seen:
            seen.add(row.sha256)
            out.append((row.sha256, (paths.landing / row.path).read_bytes()))
    return out


def accounting(paths: Paths, source_id: str, sha: str, body: bytes) -> dict:
    """Records in a payload versus records kept: loaded into raw or quarantined (lost = the rest).

    A payload refused as a whole is kept as one quarantine row pointing at its immutable landing
    file; its records are traced through that row, so none of them is lost.
    """
    table = FILES[source_id][1]
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        exists = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = ?",
                             [table]).fetchone()[0]
        loaded = con.execute(f"select count(*) from raw.{table} where _payload_sha256 = ?", [sha]).fetchone()[0] \
            if exists else 0
        quarantined = con.execute("select count(*) from raw.quarantine where source = ? and payload_sha256 = ?",
                                  [source_id, sha]).fetchone()[0]
        whole = con.execute("select count(*) from raw.quarantine where source = ? and payload_sha256 = ? "
                            "and record_locator = 'payload'", [source_id, sha]).fetchone()[0]
        status = con.execute("select status from raw.loaded_payloads where source = ? and payload_sha256 = ?",
                             [source_id, sha]).fetchone()
    finally:
        con.close()
    count = records_in(source_id, body)
    intact = hashlib.sha256(body).hexdigest() == sha
    if whole:
        lost = 0 if intact and loaded == 0 else (count or 1)
        return {"records_in": count, "loaded": 0, "quarantined": count or 1, "lost": lost,
                "rejected": True, "status": status and status[0]}
    count = count or 0
    return {"records_in": count, "loaded": loaded, "quarantined": quarantined,
            "lost": count - loaded - quarantined, "rejected": False, "status": status and status[0]}


class Captured:
    """Everything a run wrote: its echo lines, log records at every level, stdout and stderr."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.text = ""

    def echo(self, line: str) -> None:
        self.lines.append(line)


@contextlib.contextmanager
def capture_everything() -> Iterator[Captured]:
    """Capture at the file-descriptor level too, so output of child processes is included."""
    import logging
    import sys
    import tempfile

    captured = Captured()
    handler_stream = io.StringIO()
    handler = logging.StreamHandler(handler_stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    fd_file = tempfile.TemporaryFile(mode="w+b")
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds = (os.dup(1), os.dup(2))
    os.dup2(fd_file.fileno(), 1)
    os.dup2(fd_file.fileno(), 2)
    py_out, py_err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(py_out), contextlib.redirect_stderr(py_err):
            yield captured
    finally:
        os.dup2(saved_fds[0], 1)
        os.dup2(saved_fds[1], 2)
        for fd in saved_fds:
            os.close(fd)
        root.removeHandler(handler)
        root.setLevel(old_level)
        fd_file.seek(0)
        captured.text = "\n".join([*captured.lines, handler_stream.getvalue(), py_out.getvalue(),
                                   py_err.getvalue(), fd_file.read().decode("utf-8", "replace")])
        fd_file.close()


def tables_containing(database: Path, schema: str, needle: str) -> list[str]:
    """Tables (and views) of a schema with `needle` in any text or JSON column, case-insensitive."""
    columns: dict[str, list[str]] = {}
    for table, column in query(database, "select table_name, column_name from duckdb_columns() where schema_name = ? "
                                         "and data_type in ('VARCHAR', 'JSON', 'VARCHAR[]')", [schema]):
        columns.setdefault(table, []).append(f'"{column}"::varchar')
    hits = []
    for table, parts in columns.items():
        found = query(database, f"select count(*) from {schema}.{table} where concat_ws(' ', {', '.join(parts)}) "
                                "ilike ?", [f"%{needle}%"])[0][0]
        if found:
            hits.append(f"{database.name}:{schema}.{table}")
    return hits
