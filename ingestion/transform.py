"""Transform: `dbt build` (models and their tests) as a subprocess.

A subprocess, not in-process dbt: it releases the DuckDB file when it exits, so the gate and
publish steps that follow can open it (DuckDB allows one read-write process per file).

On failure the error is short: each failing node with its test or error, the first offending
rows (the failed test's compiled SQL re-run with a LIMIT against the warehouse, read-only), the
fix, and where dbt's full log is. It reads dbt's run_results.json and manifest.json rather than
the console, whose noise (skips, "No tasks to run") buries the cause.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb

from ingestion.settings import DBT_PROJECT_DIR, Paths

log = logging.getLogger(__name__)
FIRST_ROWS = 5
SHOWN_NODES = 8
FAILED = {"error", "fail", "runtime error"}


class TransformError(RuntimeError):
    """dbt build failed; the message names the failing nodes, their first offending rows and the fix."""


DBT_EXECUTABLE_ENV = "ECW_DBT_EXECUTABLE"
DBT_TIMEOUT_ENV = "ECW_DBT_TIMEOUT_SECONDS"
DEFAULT_DBT_TIMEOUT_SECONDS = 45 * 60  # a full build takes about a minute; a hung one must not hold the writer pool
KILL_GRACE_SECONDS = 10


def dbt_executable() -> str:
    if os.environ.get(DBT_EXECUTABLE_ENV):
        return os.environ[DBT_EXECUTABLE_ENV]
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_timeout_seconds() -> float:
    return float(os.environ.get(DBT_TIMEOUT_ENV) or DEFAULT_DBT_TIMEOUT_SECONDS)


def _kill_group(process: subprocess.Popen) -> None:
    """Stop dbt and everything it started (its own process group): TERM, then KILL after a grace period."""
    for sig, grace in ((signal.SIGTERM, KILL_GRACE_SECONDS), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def target_dir(paths: Paths) -> Path:
    return paths.data_dir / "dbt" / "target"


def log_dir(paths: Paths) -> Path:
    return paths.data_dir / "dbt" / "logs"


def dbt_env(paths: Paths) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "ECW_WAREHOUSE": str(paths.warehouse),
        "DBT_TARGET_PATH": str(target_dir(paths)),
        "DBT_LOG_PATH": str(log_dir(paths)),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    })
    # Partial parsing (dbt's default): a night after the first re-parses only changed files, from
    # data/dbt/target/partial_parse.msgpack (measured: parse 11.5 s -> 4.5 s). DBT_PARTIAL_PARSE=False
    # in the environment turns it off.
    env.setdefault("DBT_PARTIAL_PARSE", "True")
    return env


def _value(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _first_rows(warehouse: Path, sql: str) -> list[dict]:
    """The first rows of a failed test's query, inside DuckDB (read-only, LIMIT)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(f"select * from ({sql}) as failing limit {FIRST_ROWS}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def _telling_columns(row: dict, most: int = 8) -> list[tuple[str, object]]:
    """The columns that name a record first (keys, ids, its source URL), then the others, at most `most`."""
    naming = [(k, v) for k, v in row.items() if k.endswith(("_key", "_id")) or k in ("source_url", "record_key")]
    others = [(k, v) for k, v in row.items() if (k, v) not in naming]
    return (naming + others)[:most]


def _tested_relation(node: dict, manifest: dict) -> tuple[str | None, str | None]:
    """The relation a test reads and the file that defines it (model .sql or source .yml)."""
    for parent in node.get("depends_on", {}).get("nodes", []):
        target = manifest.get("nodes", {}).get(parent) or manifest.get("sources", {}).get(parent)
        if target and target.get("resource_type") in ("model", "source", "seed", "snapshot"):
            return target.get("relation_name"), target.get("original_file_path")
    return None, None


def _failing_rows(node: dict, result: dict, manifest: dict, warehouse: Path) -> list[dict]:
    """Rows that show the failure: for not_null the whole failing records, else the test's own rows."""
    metadata = node.get("test_metadata") or {}
    column = metadata.get("kwargs", {}).get("column_name")
    relation, _ = _tested_relation(node, manifest)
    if metadata.get("name") == "not_null" and column and relation:
        return _first_rows(warehouse, f"select * from {relation} where {column} is null")
    return _first_rows(warehouse, result["compiled_code"]) if result.get("compiled_code") else []


def describe_failure(result: dict, manifest: dict, warehouse: Path, target: Path) -> str:
    """One failing dbt node: what failed, the first rows or the error, and the fix."""
    unique_id = result["unique_id"]
    node = manifest.get("nodes", {}).get(unique_id, {})
    kind, name = node.get("resource_type", unique_id.split(".")[0]), node.get("name", unique_id)
    defined_in = node.get("original_file_path", "?")
    message = " ".join(str(result.get("message") or result.get("status")).split())
    lines = [f"  ✗ {kind} {name} ({defined_in}): {message[:400]}"]
    if kind == "test":
        try:
            rows = _failing_rows(node, result, manifest, warehouse)
        except Exception as exc:  # the warehouse may be mid-build or locked: report, do not mask dbt's error
            rows, lines = [], lines + [f"      (first rows not readable: {type(exc).__name__}: {exc})"]
        for row in rows:
            lines.append("      " + ", ".join(f"{k}={_value(v)}" for k, v in _telling_columns(row)))
        _, tested_file = _tested_relation(node, manifest)
        where = (f"the source records named (raw tables; `ecw status` for their payloads) and its parser"
                 if tested_file and tested_file.endswith(".yml") else
                 f"the source records named or the model dbt_project/{tested_file or '?'}")
        lines.append(f"      fix: check {where}; the test is defined in dbt_project/{defined_in}")
    else:
        lines.append(f"      fix: correct dbt_project/{defined_in} (its compiled SQL is under {target / 'compiled'})")
    return "\n".join(lines)


def summarize_failure(paths: Paths, command: str, code: int, lines: list[str]) -> str:
    """TransformError's message from run_results.json; dbt's last lines if it wrote none."""
    log_file = log_dir(paths) / "dbt.log"
    target = target_dir(paths)
    try:
        results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        errors = [line for line in lines if line.strip() and "No tasks to run" not in line]
        tail = "\n".join("  " + line.strip()[-200:] for line in errors[-12:])
        return (f"dbt {command} failed (exit {code}) without writing run_results.json (killed, or it failed to "
                f"parse or compile the project); its last lines:\n{tail}\n  full log: {log_file}")
    failed = [r for r in results if str(r.get("status")).lower() in FAILED]
    skipped = sum(1 for r in results if str(r.get("status")).lower() == "skipped")
    head = (f"dbt {command} failed (exit {code}): {len(failed)} node(s) failed, {skipped} skipped because of them")
    body = [describe_failure(r, manifest, paths.warehouse, target) for r in failed[:SHOWN_NODES]]
    if len(failed) > SHOWN_NODES:
        body.append(f"  … and {len(failed) - SHOWN_NODES} more")
    if not failed:
        body = ["  " + line.strip()[-200:] for line in lines[-12:] if line.strip()]
    return "\n".join([head, *body, f"  full log: {log_file}"])


def run_dbt(paths: Paths, *args: str, echo=print, timeout: float | None = None) -> str:
    """Run one dbt command on our project, streaming its progress lines; raises TransformError on
    failure, and when it runs longer than `timeout` seconds (default ECW_DBT_TIMEOUT_SECONDS)."""
    timeout = dbt_timeout_seconds() if timeout is None else timeout
    command = [dbt_executable(), "--no-use-colors", *args, "--project-dir", str(DBT_PROJECT_DIR),
               "--profiles-dir", str(DBT_PROJECT_DIR)]
    (target_dir(paths) / "run_results.json").unlink(missing_ok=True)  # never report an earlier run's results
    process = subprocess.Popen(command, env=dbt_env(paths), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, cwd=DBT_PROJECT_DIR, start_new_session=True)
    lines = []

    def stream() -> None:
        """Drain dbt's output to the end (a full pipe would stall dbt), echoing progress."""
        nonlocal echo
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            # progress: one line per model built, every problem, and the closing summary
            if echo and any(mark in line for mark in (" OK created", "ERROR", "FAIL ", "WARN ", "Done. PASS")):
                try:
                    echo("  dbt | " + line.rstrip()[-160:])
                except Exception:  # noqa: BLE001 - a broken progress display must not stall the build
                    log.exception("dbt progress display failed; the build continues without it")
                    echo = None

    reader = threading.Thread(target=stream, name="dbt-output", daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        reader.join(timeout=KILL_GRACE_SECONDS)
        raise TransformError(f"dbt {' '.join(args)} timed out after {timeout:g} s and was killed "
                             f"(limit: {DBT_TIMEOUT_ENV}); last output:\n" + "\n".join(lines[-30:])) from None
    except BaseException:
        _kill_group(process)  # the task itself timed out or was stopped: leave no dbt holding the warehouse
        raise
    reader.join(timeout=KILL_GRACE_SECONDS)
    if reader.is_alive():  # dbt exited but something it started still holds its output open
        _kill_group(process)
        reader.join()
    output = "\n".join(lines)
    if code != 0:
        raise TransformError(summarize_failure(paths, " ".join(args), code, lines))
    return output


def build(paths: Paths, echo=print) -> str:
    return run_dbt(paths, "build", echo=echo)
