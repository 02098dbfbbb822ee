"""What `make run` prints (scripts/run_nightly.py): framework output to the log file, one line per
stage with its counts from the files the stages really write, dbt's progress, the failure first.
The DAG itself runs in tests/e2e; here the stages' records are written by the real run_status
functions into a temporary data directory (synthetic counts)."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import time

import pytest

from ingestion.run_status import record_extract, record_stage
from ingestion.settings import Paths
from ingestion.transform import log_dir, target_dir
from tests.conftest import REPO_ROOT


def run_nightly_module():
    spec = importlib.util.spec_from_file_location("run_nightly", REPO_ROOT / "scripts" / "run_nightly.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_framework_output_goes_to_the_log_and_ours_to_the_terminal(tmp_path):
    log = tmp_path / "logs" / "make-run.log"
    code = (f"import os, sys, logging\nsys.path.insert(0, {str(REPO_ROOT)!r})\n"
            "import importlib.util\n"
            f"spec = importlib.util.spec_from_file_location('rn', {str(REPO_ROOT / 'scripts' / 'run_nightly.py')!r})\n"
            "rn = importlib.util.module_from_spec(spec); spec.loader.exec_module(rn)\n"
            "from pathlib import Path\n"
            f"with rn.output_to(Path({str(log)!r})) as terminal:\n"
            "    print('a framework print'); os.write(2, b'a C library on stderr\\n')\n"
            "    logging.getLogger('airflow').warning('a framework log')\n"
            "    terminal.write('our line\\n')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "our line\n" and done.stderr == ""
    text = log.read_text(encoding="utf-8")
    assert "a framework print" in text and "a C library on stderr" in text and "a framework log" in text


def _dbt_results(paths: Paths) -> None:
    target_dir(paths).mkdir(parents=True, exist_ok=True)
    results = ([{"unique_id": f"model.p.m{i}", "status": "success"} for i in range(3)]
               + [{"unique_id": "seed.p.s", "status": "success"}]
               + [{"unique_id": f"test.p.t{i}", "status": "pass"} for i in range(5)]
               + [{"unique_id": "test.p.w", "status": "warn"}, {"unique_id": "test.p.f", "status": "fail"}])
    (target_dir(paths) / "run_results.json").write_text(json.dumps({"results": results}), encoding="utf-8")


def _gate_results(paths: Paths) -> str:
    folder = paths.quality / "run-1"
    folder.mkdir(parents=True)
    for name, evaluated, passed in (("marts.a", 4, 4), ("marts.b", 3, 2)):
        (folder / f"{name}.json").write_text(json.dumps({"statistics": {
            "evaluated_expectations": evaluated, "successful_expectations": passed}}), encoding="utf-8")
    (folder / "gate.json").write_text(json.dumps({"success": False}), encoding="utf-8")
    return str(folder / "gate.json")


def test_each_stage_is_one_line_with_its_counts_and_dbt_shows_progress(tmp_path):
    rn = run_nightly_module()
    paths = Paths(tmp_path / "data")
    terminal = io.StringIO()
    watcher = rn.Watcher(paths, terminal, ["syn_a", "syn_b"])
    watcher.start()
    record_extract(paths, "syn_a", "ok", new_payload=True)
    time.sleep(0.8)
    assert "extract" not in terminal.getvalue()  # one source still to come
    record_extract(paths, "syn_b", "ok", new_payload=False)
    record_stage(paths, "run-1", "load", "ok", errors=[], sources={
        "syn_a": {"payloads_loaded": 1, "rows_loaded": 1200, "rows_quarantined": 3},
        "syn_b": {"payloads_loaded": 0, "rows_loaded": 0, "rows_quarantined": 0}})
    record_stage(paths, "run-1", "derive", "ok", extractor_version="9.9.9", bulletins_derived=4, figures=7,
                 quarantined=1, rederivation=False)
    log_dir(paths).mkdir(parents=True, exist_ok=True)
    (log_dir(paths) / "dbt.log").write_text("12:00:01 [info ] 7 of 40 OK created sql view model main.x\n",
                                            encoding="utf-8")
    time.sleep(1.0)
    _dbt_results(paths)
    record_stage(paths, "run-1", "transform", "ok")
    record_stage(paths, "run-1", "gate", "failed", results=_gate_results(paths), failures=[{"suite": "marts.b"}])
    watcher.finish()
    lines = terminal.getvalue().splitlines()
    assert lines[0].startswith("✓ extract") and "2 of 2 sources fetched, 1 new payload(s)" in lines[0]
    assert lines[1].startswith("✓ load") and "1 payload, 1,200 rows loaded, 3 quarantined" in lines[1]
    assert lines[2].startswith("✓ derive") and "extractor 9.9.9: 4 bulletins, 7 figures, 1 quarantined" in lines[2]
    assert "… transform  dbt 7/40 nodes" in lines[3]  # progress, not a terminal: a line of its own
    assert lines[4].startswith("✓ transform") and "3 models built, 1 seed, 7 tests: 5 passed, 1 warned, 1 failed" in lines[4]
    assert lines[5].startswith("✗ gate") and "GX: 2 suites, 6 of 7 expectations passed, 1 failure" in lines[5]
    assert all(" s  " in line for line in lines if not line.startswith("  …"))  # each stage says its time


def test_a_failed_extract_waits_for_its_retries_and_is_named(tmp_path):
    rn = run_nightly_module()
    paths = Paths(tmp_path / "data")
    terminal = io.StringIO()
    watcher = rn.Watcher(paths, terminal, ["syn_a", "syn_b"])
    watcher.start()
    record_extract(paths, "syn_a", "ok", new_payload=True)
    record_extract(paths, "syn_b", "failed", last_error="HTTP 503")
    time.sleep(0.8)
    assert terminal.getvalue() == ""  # syn_b may still succeed on a retry
    record_stage(paths, "run-1", "load", "ok", errors=[], sources={})
    watcher.finish()
    first = terminal.getvalue().splitlines()[0]
    assert first.startswith("✗ extract") and "failed: syn_b (their last good data is kept)" in first


@pytest.mark.parametrize("name", ["dbt.log", "make-run.log"])
def test_the_tail_of_a_log_skips_debug_records_and_starts_at_this_run(tmp_path, name):
    rn = run_nightly_module()
    log = tmp_path / name
    earlier = "old run error\n"
    log.write_text(earlier + "10:00 [debug] noise\n10:01 [error] Encountered an error:\nCompilation Error\n",
                   encoding="utf-8")
    text = rn.tail(log, start=len(earlier))
    assert text.splitlines() == ["  | 10:01 [error] Encountered an error:", "  | Compilation Error"]
    assert os.path.getsize(log) > 0
