"""Transform: `dbt build` (models and their tests) as a subprocess.

A subprocess, not in-process dbt: it releases the DuckDB file when it exits, so the gate and
publish steps that follow can open it (DuckDB allows one read-write process per file).
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from ingestion.settings import DBT_PROJECT_DIR, Paths

log = logging.getLogger(__name__)


class TransformError(RuntimeError):
    """dbt build failed; the message carries dbt's own summary of what failed."""


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


def dbt_env(paths: Paths) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "ECW_WAREHOUSE": str(paths.warehouse),
        "DBT_TARGET_PATH": str(paths.data_dir / "dbt" / "target"),
        "DBT_LOG_PATH": str(paths.data_dir / "dbt" / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DBT_PARTIAL_PARSE": "False",
    })
    return env


def run_dbt(paths: Paths, *args: str, echo=print, timeout: float | None = None) -> str:
    """Run one dbt command on our project, streaming its progress lines; raises TransformError on
    failure, and when it runs longer than `timeout` seconds (default ECW_DBT_TIMEOUT_SECONDS)."""
    timeout = dbt_timeout_seconds() if timeout is None else timeout
    command = [dbt_executable(), "--no-use-colors", *args, "--project-dir", str(DBT_PROJECT_DIR),
               "--profiles-dir", str(DBT_PROJECT_DIR)]
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
        failures = [l for l in lines if "ERROR" in l or "FAIL" in l or "Failure" in l or "Error" in l]
        raise TransformError(f"dbt {' '.join(args)} failed (exit {code}):\n" + "\n".join(failures[-30:] or lines[-30:]))
    return output


def build(paths: Paths, echo=print) -> str:
    return run_dbt(paths, "build", echo=echo)
