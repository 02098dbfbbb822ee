"""`ecw` at the terminal: no traceback for an ordinary mistake, the query row limit, several
statements, json/jsonl, exports and `ecw crisis`, through the real CLI in a subprocess on real
DuckDB files. The marts file here is synthetic (SYN- keys, written by `synthetic_marts`); the
real marts are read in tests/e2e/test_cli.py."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT

LONG_NAME = "fct_synthetic_knowledge_intervals"  # 33 characters: longer than an Excel sheet name


def synthetic_marts(data_dir: Path) -> Path:
    """A small published-marts file with the columns `ecw crisis` reads (synthetic values)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "marts.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""
        create table dim_country as select 'SYN' as country_iso3, 'Synthetica' as country_name;
        create table dim_election as select * from (values
            ('SYN-2020-PARL', 'SYN', date '2020-10-04', 'day', 'parliamentary', 1, 55.5, 1000000, 100, 12,
             'commission', 'https://example.org/syn/election', 'https://example.org/syn/threshold'),
            ('SYN-2021-PARL', 'SYN', date '2021-01-10', 'day', 'parliamentary', 1, 40.0, 1000000, 100, 10,
             'legal_rule', 'https://example.org/syn/election-2021', null))
            t(election_key, country_iso3, election_date, election_date_precision, election_type, round,
              turnout_pct, registered_voters, seats_total, lists_contesting, threshold_origin, source_url,
              threshold_source_url);
        create table election_crises as select 'SYN-2020-PARL' as election_key, 'SYN' as country_iso3,
            date '2020-10-04' as election_date, 'day' as election_date_precision, true as annulled,
            date '2020-10-06' as annulled_on, 'Synthetic Election Commission' as annulled_by, 'full' as annulment_scope,
            7.0 as threshold_pct, 3 as parties_passed, 2 as days_to_annulment, 'date_set' as rerun_status,
            date '2020-12-20' as rerun_date, 'day' as rerun_date_precision, date '2020-10-05' as protest_start_date,
            'day' as protest_start_date_precision, 41 as deaths_latest;
        create table fct_annulments as select 'SYN-2020-PARL' as election_key, 'syn-d1' as decision_id,
            date '2020-10-06' as decided_on, 'day' as decided_on_precision, 'Synthetic Election Commission' as decided_by,
            'election_commission' as body_type, 2 as days_to_decision, false as disputed,
            'https://example.org/syn/decision' as source_url;
        create table fct_threshold_outcomes as select 'SYN-2020-PARL' as election_key, 7.0 as threshold_pct,
            3 as lists_passed, 12 as lists_with_results, 23.45 as wasted_vote_pct, false as wasted_vote_is_lower_bound,
            '[Syn] List [bold]' as nearest_miss_party, -0.25 as nearest_miss_margin_pp, 4.5 as enp_votes,
            9.75 as gallagher_index;
        create table fct_casualty_summary as select * from (values
            ('SYN-2020-PARL', 'dead', 'Synthetic Ministry', 'all', true, 41, 'exact',
             timestamptz '2020-10-08 18:00:00+00', timestamptz '2020-10-09 17:59:59+00', 3, false, 'Asia/Bishkek',
             'https://example.org/syn/bulletin-3'),
            ('SYN-2020-PARL', 'injured', 'Synthetic Police', 'security_forces', true, 626, 'at_least',
             timestamptz '2020-10-07 06:30:00+00', timestamptz '2020-10-07 06:30:00+00', 0, true, 'Asia/Bishkek',
             'https://example.org/syn/police'))
            t(election_key, metric, authority_family, counted, is_primary_authority, latest_value, latest_qualifier,
              latest_reported_at, latest_reported_until, revisions, has_drop, timezone, latest_source_url);
        create table fct_observer_findings as select 'SYN-2020-PARL' as election_key, 'Synthetic Observers' as organization,
            'preliminary' as statement_type, date '2020-10-05' as published_on, 'day' as published_on_precision,
            'A synthetic verdict.' as assessment, 'negative' as assessment_category,
            ['vote_buying'] as allegations, 'https://example.org/syn/observers' as source_url, 's1' as statement_id;
        create table big as select range as n, range * 1.5 as x, cast(range as decimal(10, 2)) as d from range(2500);
        create table _publication as select timestamptz '2026-01-02 03:04:05+00' as published_at, 'syn-run' as run_id;
    """)
    con.execute(f"create table {LONG_NAME} as select 1 as a")
    con.execute(f"create table {LONG_NAME}_b as select 2 as a")
    con.close()
    return path


@pytest.fixture
def data_dir(tmp_path) -> Path:
    synthetic_marts(tmp_path / "data")
    return tmp_path / "data"


def ecw(data_dir: Path, *args: str, env: dict | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    environment = {**os.environ, "ECW_DATA_DIR": str(data_dir), "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "ingestion.cli", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=environment, timeout=timeout, **kw)


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr


# ---- ordinary mistakes --------------------------------------------------------------------------


@pytest.mark.parametrize("sql", ["", "   ", "-- only a comment", "/* a block */ ;"])
def test_an_empty_or_comment_only_query_is_one_line_and_exit_2(data_dir, sql):
    done = ecw(data_dir, "query", sql)
    assert done.returncode == 2 and done.stdout == ""
    assert "no SQL statement" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    no_traceback(done)


def test_a_pipe_closed_early_exits_quietly(data_dir):
    process = subprocess.Popen([sys.executable, "-m", "ingestion.cli", "query", "select * from range(200000)",
                                "--no-limit", "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=REPO_ROOT, env={**os.environ, "ECW_DATA_DIR": str(data_dir)})
    assert process.stdout.readline() == b"range\n"
    process.stdout.close()  # what `| head -1` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell reports a writer stopped by head
    assert err == ""


def test_a_second_run_while_the_warehouse_is_held_names_the_holder(data_dir, tmp_path):
    """The holder is a script called `ecw` run with `run`, as .venv/bin/ecw run is."""
    warehouse = data_dir / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    script = tmp_path / "bin" / "ecw"
    script.parent.mkdir()
    script.write_text(f"import duckdb, sys, time\ncon = duckdb.connect({str(warehouse)!r})\n"
                      "print('holding', flush=True)\ntime.sleep(60)\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(script), "run"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        done = ecw(data_dir, "run")
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 6, done.stderr
    assert f"another ecw run (PID {holder.pid}) holds" in done.stderr
    assert "warehouse.duckdb; wait for it or stop it" in done.stderr
    assert not (data_dir / "landing").exists()  # refused before fetching anything
    no_traceback(done)


def test_a_busy_port_names_the_process_listening(data_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = ecw(data_dir, "serve-snapshot", "--port", str(port))
    assert done.returncode == 7
    assert f"port {port} on 127.0.0.1 is in use by process {os.getpid()}" in done.stderr
    assert "--port" in done.stderr
    no_traceback(done)


def test_ctrl_c_stops_serve_snapshot_cleanly(data_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "ingestion.cli", "serve-snapshot", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
                              env={**os.environ, "ECW_DATA_DIR": str(data_dir)})
    assert "serving" in server.stdout.readline()
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=30) == 0
    err = server.stderr.read()
    assert "stopped" in err and "Traceback" not in err


def test_an_unexpected_error_is_one_line_and_ecw_debug_shows_its_traceback(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    duckdb.connect(str(data_dir / "marts.duckdb")).close()  # marts without dim_election: not a state ecw expects
    done = ecw(data_dir, "crisis", "SYN-2020-PARL")
    assert done.returncode == 70
    assert "unexpected error (a bug in ecw): CatalogException" in done.stderr
    assert "ECW_DEBUG=1" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" in (data_dir / "logs" / "ecw-error.log").read_text(encoding="utf-8")
    no_traceback(done)
    debug = ecw(data_dir, "crisis", "SYN-2020-PARL", env={"ECW_DEBUG": "1"})
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "dim_election" in debug.stderr


# ---- ecw query ------------------------------------------------------------------------------------


def test_the_default_limit_cuts_at_1000_rows_and_says_so(data_dir):
    table = ecw(data_dir, "query", "select n from big order by n")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert len(lines) == 2 + 1000 + 1 and lines[-2].strip() == "999"
    assert "1000 rows shown; stopped at 1000 rows (the limit)" in lines[-1] and "--no-limit" in lines[-1]
    as_csv = ecw(data_dir, "query", "select n from big", "--format", "csv")
    assert len(as_csv.stdout.splitlines()) == 1001 and "stopped at 1000 rows" in as_csv.stderr
    everything = ecw(data_dir, "query", "select n from big", "--format", "csv", "--no-limit")
    assert len(everything.stdout.splitlines()) == 2501 and everything.stderr == ""
    exact = ecw(data_dir, "query", "select n from big limit 1000", "--format", "csv")
    assert len(exact.stdout.splitlines()) == 1001 and exact.stderr == ""  # exactly the limit is not a cut


def test_the_limit_stops_a_runaway_cross_join_without_computing_it(data_dir):
    started = time.monotonic()
    done = ecw(data_dir, "query", "select * from range(1000000) a, range(1000000) b, range(1000000) c",
               "--limit", "5", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 5 and all(set(row) == {"a", "b", "c"} for row in rows)
    assert "stopped at 5 rows" in done.stderr
    assert time.monotonic() - started < 30  # 10^18 rows: only a streamed, cut result ends at all


def test_several_statements_run_in_order_and_each_result_is_printed(data_dir):
    done = ecw(data_dir, "query", "create temp table t as select 7 as seven; select * from t; "
                                  "select count(*) as rows_in_big from big")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "-- statement 2 of 3: select * from t;" in out and "-- statement 3 of 3" in out
    assert out.index("seven") < out.index("rows_in_big") and "2500" in out
    assert "statement 1 of 3" not in out  # create ... as: nothing to print


def test_machine_formats_refuse_two_results_before_running_anything(data_dir):
    done = ecw(data_dir, "query", "select 1 as a; select 2 as b", "--format", "json")
    assert done.returncode == 2 and done.stdout == ""
    assert "--format json prints one result" in done.stderr and "statements 1, 2 of 2" in done.stderr
    one = ecw(data_dir, "query", "create temp table t as select 1 as a; select * from t", "--format", "json")
    assert one.returncode == 0 and json.loads(one.stdout) == [{"a": 1}]


def test_json_is_one_document_and_jsonl_one_object_per_line(data_dir):
    sql = ("select election_key, annulled_on, threshold_pct, deaths_latest from election_crises "
           "union all select 'SYN-X', null, null, null order by 1")
    as_json = ecw(data_dir, "query", sql, "--format", "json")
    assert json.loads(as_json.stdout) == [
        {"election_key": "SYN-2020-PARL", "annulled_on": "2020-10-06", "threshold_pct": 7.0, "deaths_latest": 41},
        {"election_key": "SYN-X", "annulled_on": None, "threshold_pct": None, "deaths_latest": None}]
    empty = ecw(data_dir, "query", "select * from big where n < 0", "--format", "json")
    assert json.loads(empty.stdout) == []
    as_jsonl = ecw(data_dir, "query", "select n, d from big order by n limit 3", "--format", "jsonl")
    assert [json.loads(line) for line in as_jsonl.stdout.splitlines()] == [
        {"n": 0, "d": 0}, {"n": 1, "d": 1}, {"n": 2, "d": 2}]


# ---- ecw export -----------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_csv_writes_every_mart_read_only(data_dir, tmp_path):
    before = _digest(data_dir / "marts.duckdb")
    done = ecw(data_dir, "export", "--format", "csv", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "big.csv" in files and "election_crises.csv" in files and f"{LONG_NAME}.csv" in files
    assert not any(name.startswith(("_", ".")) for name in files)  # no _publication, no temp file left
    with open(tmp_path / "out" / "big.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2500 and rows[2] == {"n": "2", "x": "3.0", "d": "2.00"}
    assert f"exported {len(files)} marts, " in done.stdout
    assert _digest(data_dir / "marts.duckdb") == before


def _sheet_rows(book: zipfile.ZipFile, sheet_file: str) -> int:
    return len(re.findall(r"<row ", book.read(sheet_file).decode("utf-8")))


def test_export_xlsx_one_workbook_a_sheet_per_mart(data_dir, tmp_path):
    pytest.importorskip("xlsxwriter", reason="xlsxwriter (pinned in requirements.lock) is not installed")
    done = ecw(data_dir, "export", "--format", "xlsx", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "out" / "marts.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        assert names[0] == "contents" and "big" in names and "election_crises" in names
        assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
        assert LONG_NAME[:31] in names and len([n for n in names if n.startswith(LONG_NAME[:25])]) == 2
        big = names.index("big") + 1
        assert _sheet_rows(book, f"xl/worksheets/sheet{big}.xml") == 2501
        cells = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/"))
        assert "[Syn] List [bold]" in cells and "syn-run" in cells


def test_export_to_an_unwritable_place_is_one_line(data_dir):
    done = ecw(data_dir, "export", "--out", "/proc/ecw-cannot-write-here")
    assert done.returncode == 8 and "/proc/ecw-cannot-write-here" in done.stderr
    no_traceback(done)


# ---- ecw crisis -----------------------------------------------------------------------------------


def test_crisis_shows_one_election_on_one_screen(data_dir):
    done = ecw(data_dir, "crisis", "SYN-2020-PARL")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b[" not in out  # NO_COLOR and a pipe: plain text
    assert "SYN-2020-PARL  Synthetica · parliamentary · 4 Oct 2020" in out
    assert "ANNULLED (full)" in out and "2 days after election day" in out and "re-run date set (20 Dec 2020)" in out
    assert "4 of 16" not in out and "3 of 12 lists passed, 23.45% of the vote wasted" in out
    assert "nearest miss [Syn] List [bold] (-0.25 pp)" in out  # data is not read as rich markup
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith(("dead", "injured"))}
    assert "41" in lines["dead"] and "★ Synthetic Ministry" in lines["dead"] and "2020-10-09" in lines["dead"]
    assert "≥626" in lines["injured"] and "2020-10-07 12:30" in lines["injured"] and "↓" in lines["injured"]
    assert "local time, Asia/Bishkek" in out
    assert "Synthetic Observers (preliminary, 5 Oct 2020): negative" in out and "vote buying" in out
    for url in ("election", "threshold", "decision", "bulletin-3", "police", "observers"):
        assert f"https://example.org/syn/{url}" in out
    assert len(out.splitlines()) <= 60


def test_crisis_in_colour_when_asked(data_dir):
    done = ecw(data_dir, "crisis", "syn-2020-parl", "--colour", "always")
    assert done.returncode == 0 and "\x1b[1;31mANNULLED" in done.stdout


def test_crisis_of_an_election_that_is_no_crisis_says_so(data_dir):
    done = ecw(data_dir, "crisis", "SYN-2021-PARL")
    assert done.returncode == 0 and "not among the crisis elections" in done.stdout
    assert "no annulment decision" in done.stdout and "no casualty figures" in done.stdout


def test_an_unknown_election_key_suggests_close_ones(data_dir):
    done = ecw(data_dir, "crisis", "SYN-2020-PRL")
    assert done.returncode == 2 and done.stdout == ""
    assert "no election 'SYN-2020-PRL' in the published marts; did you mean SYN-2020-PARL" in done.stderr
    far = ecw(data_dir, "crisis", "nothing-like-it")
    assert far.returncode == 2 and "keys look like" in far.stderr
    no_traceback(far)
