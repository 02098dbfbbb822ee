"""The offline page of a gate run (ingestion/quality_page.py), on results written by the real gate.

The warehouses are tiny SYNTHETIC DuckDB files made here (codes AAA/bb are made up); the gate
is the real run_gate with real GX, and gate_stage's hook is exercised on a failing run.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import duckdb
import pytest

from ingestion.gate import run_gate
from ingestion.pipeline import GateFailed, gate_stage
from ingestion.quality_page import KEEP_RUNS_ENV, prune, publish_run_page
from ingestion.settings import Paths

FIX = "synthetic fix: upper-case the code in the seed"


def _warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table main.dim_code as select * from (values ('AAA'), ('bb'), ('cc')) v(code)")
        con.execute("create table main.counts as select * from range(3) r(n)")
    return path


def _suites(directory: Path) -> Path:
    directory.mkdir()
    (directory / "syn.dim_code.json").write_text(json.dumps({
        "table": "dim_code", "key": ["code"],
        "expectations": [{"type": "unexpected_rows_expectation",
                          "kwargs": {"unexpected_rows_query": "select * from {batch} where code <> upper(code)",
                                     "description": "codes are upper case"},
                          "meta": {"column": "code", "fix": FIX}}]}))
    (directory / "syn.counts.json").write_text(json.dumps({
        "table": "counts",
        "expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}}]}))
    return directory


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory):
    """One real gate run with a passing and a failing suite; its folder is data/quality/<run>."""
    work = tmp_path_factory.mktemp("quality_page")
    quality = work / "quality"
    results = quality / "run-2000-01-01"
    result = run_gate(_warehouse(work / "w.duckdb"), _suites(work / "suites"), results)
    assert not result.success
    return result, results


def test_page_lists_every_suite_failure_key_and_fix_with_nothing_remote(gate_run):
    result, results = gate_run
    outcome = publish_run_page(results)
    page = outcome.page.read_text(encoding="utf-8")

    assert outcome.page == results / "index.html"
    for suite in ("syn.dim_code", "syn.counts"):
        assert f'id="suite-{suite}"' in page
    assert re.search(r'id="suite-syn.counts">\s*<h2>syn.counts <span class="pass">pass', page)
    assert re.search(r'id="suite-syn.dim_code">\s*<h2>syn.dim_code <span class="fail">fail', page)
    assert "expect_table_row_count_to_equal" in page and "unexpected_rows_expectation" in page
    (failure,) = result.failures
    assert failure.keys == ["bb", "cc"]
    assert "<code>bb</code>" in page and "<code>cc</code>" in page and FIX in page
    assert "Failed:" in page and "2 suite(s), 1 failure(s)" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "nothing may be fetched from a network"
    assert "<script" not in page
    # GX's own Data Docs stay beside it
    assert (results / "docs" / "index.html").is_file()


def test_latest_points_at_the_newest_run_and_pruning_keeps_the_policy(gate_run, tmp_path, monkeypatch):
    _, template = gate_run
    quality = tmp_path / "quality"
    quality.mkdir()
    now = time.time()
    day = 86400
    # 25 old runs (30+ days), 3 within the last week; gate.json's mtime orders them
    ages = {f"old-{i:02d}": (30 + i) * day for i in range(25)} | {f"recent-{i}": i * day + 60 for i in range(3)}
    for name, age in ages.items():
        run = quality / name
        run.mkdir()
        (run / "gate.json").write_text((template / "gate.json").read_text())
        os.utime(run / "gate.json", (now - age, now - age))
    (quality / "not-a-run").mkdir()  # no gate.json: never touched

    monkeypatch.setenv(KEEP_RUNS_ENV, "5")
    deleted = prune(quality, now=now)
    kept = {p.name for p in quality.iterdir()}
    # newest 5 = recent-0..2 + old-00, old-01; every run of the last 7 days is kept anyway
    assert kept == {"recent-0", "recent-1", "recent-2", "old-00", "old-01", "not-a-run"}
    assert len(deleted) == 23

    monkeypatch.delenv(KEEP_RUNS_ENV)
    assert prune(quality, now=now) == [], "the default N=20 keeps all that is left"

    # a new run: latest moves to it, by symlink and redirect page
    newest = quality / "run-new"
    newest.mkdir()
    for item in template.iterdir():
        if item.is_file():
            (newest / item.name).write_bytes(item.read_bytes())
    publish_run_page(newest)
    assert (quality / "latest").is_symlink() and (quality / "latest").resolve() == newest.resolve()
    assert (quality / "latest" / "index.html").is_file()
    assert 'url=run-new/index.html' in (quality / "latest.html").read_text()
    publish_run_page(quality / "recent-0")
    assert (quality / "latest").resolve().name == "recent-0"


def test_gate_stage_writes_the_page_and_latest_when_the_gate_fails(tmp_path):
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()  # no warehouse: the gate fails closed on every suite
    with pytest.raises(GateFailed):
        gate_stage("manual__2000-01-01T00:00:00+00:00", paths)
    (run,) = [p for p in paths.quality.iterdir() if p.is_dir() and not p.is_symlink()]
    page = (run / "index.html").read_text(encoding="utf-8")
    assert "Failed:" in page and "does not exist" in page
    assert (paths.quality / "latest").resolve() == run.resolve()
