"""Test hooks: hold a process at a dangerous moment so the reliability suite can kill it there.

Off unless the variable is set. tests/reliability/ sets one in a subprocess, waits for the line
`ECW_TEST_PAUSE <variable> <detail>` on its stderr, and sends SIGKILL during the pause:
- ECW_TEST_PAUSE_IN_LOAD=<seconds>: the loader pauses after inserting a payload's rows and
  before recording the payload as loaded, inside the payload's transaction.
- ECW_TEST_PAUSE_BEFORE_RENAME=<seconds>: publish pauses after writing the new marts file and
  before renaming it over data/marts.duckdb.
"""
from __future__ import annotations

import os
import sys
import time


def pause_here(variable: str, detail: str) -> None:
    value = os.environ.get(variable)
    if not value:
        return
    sys.stderr.write(f"ECW_TEST_PAUSE {variable} {detail}\n")
    sys.stderr.flush()
    time.sleep(float(value))
