"""Transform: `dbt build` (models and their tests) as a subprocess.

A subprocess, not in-process dbt: it releases the DuckDB file when it exits, so the gate and
publish steps that follow can open it (DuckDB allows one read-write process per file).
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from ingestion.settings import DBT_PROJECT_DIR, Paths

log = logging.getLogger(__name__)


class TransformError(RuntimeError):
    """dbt build failed; the message carries dbt's own summary of what failed."""


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


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


def run_dbt(paths: Paths, *args: str, echo=print) -> str:
    """Run one dbt command on our project, streaming its progress lines; raises TransformError on failure."""
    command = [dbt_executable(), "--no-use-colors", *args, "--project-dir", str(DBT_PROJECT_DIR),
               "--profiles-dir", str(DBT_PROJECT_DIR)]
    process = subprocess.Popen(command, env=dbt_env(paths), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, cwd=DBT_PROJECT_DIR)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        # progress: one line per model built, every problem, and the closing summary
        if echo and any(mark in line for mark in (" OK created", "ERROR", "FAIL ", "WARN ", "Done. PASS")):
            echo("  dbt | " + line.rstrip()[-160:])
    code = process.wait()
    output = "\n".join(lines)
    if code != 0:
        failures = [l for l in lines if "ERROR" in l or "FAIL" in l or "Failure" in l or "Error" in l]
        raise TransformError(f"dbt {' '.join(args)} failed (exit {code}):\n" + "\n".join(failures[-30:] or lines[-30:]))
    return output


def build(paths: Paths, echo=print) -> str:
    return run_dbt(paths, "build", echo=echo)
