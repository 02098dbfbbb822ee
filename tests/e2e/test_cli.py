"""The `ecw` command on the published marts of the session's nightly run."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest

from ingestion.cli import main
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def published(nightly, monkeypatch):
    paths, state = nightly
    assert state == "success"
    monkeypatch.setenv("ECW_DATA_DIR", str(paths.data_dir))
    return paths


def test_query_lists_the_fifteen_crises(published, capsys):
    assert main(["query", "select election_key, injured_latest from election_crises order by 1"]) == 0
    out = capsys.readouterr().out
    assert "KGZ-2020-PARL" in out and "1218" in out and "(15 rows)" in out


def test_query_csv_and_json(published, capsys):
    assert main(["query", "select election_key, annulled_on from election_crises where annulled order by 1",
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"election_key": "KGZ-2020-PARL", "annulled_on": "2020-10-06"} in rows
    assert main(["query", "select metric, value from fct_casualty_reports where election_key = 'KGZ-2020-PARL' "
                 "and metric = 'injured' order by reported_at limit 1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"metric": "injured", "value": 121}]  # one JSON document
    assert main(["query", "select metric, value from fct_casualty_reports where election_key = 'KGZ-2020-PARL' "
                 "and metric = 'injured' order by reported_at limit 2", "--format", "jsonl"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert json.loads(first) == {"metric": "injured", "value": 121} and json.loads(second)["metric"] == "injured"


def test_crisis_summarises_kyrgyzstan_2020_from_the_marts(published, capsys):
    """`ecw crisis` shows what the marts hold: the numbers are read back from them here."""
    con = duckdb.connect(str(published.marts), read_only=True)
    annulled_by, days, injured, authority = con.execute(
        "select annulled_by, days_to_annulment, injured_latest, injured_latest_authority from election_crises "
        "where election_key = 'KGZ-2020-PARL'").fetchone()
    con.close()
    assert main(["crisis", "KGZ-2020-PARL", "--colour", "never"]) == 0
    out = capsys.readouterr().out
    assert "KGZ-2020-PARL  Kyrgyzstan · parliamentary" in out and "ANNULLED" in out
    assert f"by {annulled_by}" in " ".join(out.split()) and f"{days} days after election day" in " ".join(out.split())
    assert f"{injured:,}" in out and authority.split(" (")[0] in out
    assert "OSCE/ODIHR" in out and "Sources" in out
    assert main(["crisis", "KGZ-2020-PRL"]) == 2
    assert "did you mean KGZ-2020-PARL" in capsys.readouterr().err


def test_write_statement_is_refused_and_changes_nothing(published, capsys):
    assert main(["query", "drop table election_crises"]) == 2
    assert "read-only" in capsys.readouterr().err
    con = duckdb.connect(str(published.marts), read_only=True)
    assert con.execute("select count(*) from election_crises").fetchone()[0] == 15
    con.close()


def test_status_shows_gate_sources_and_quarantine(published, capsys):
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "gate" in out and "passed" in out
    assert "moh_bulletins" in out and "quarantined records" in out


def test_extract_casualties_reads_stdin():
    text = "Более 6 700 человек задержаны. Около 200 человек получили ранения."
    done = subprocess.run([sys.executable, "-m", "ingestion.cli", "extract-casualties", "--reported-at", "2020-08-13"],
                          input=text, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    figures = [json.loads(line) for line in done.stdout.splitlines()]
    assert {"metric": "detained", "value": 6700, "qualifier": "more_than"}.items() <= figures[0].items()
    assert figures[0]["reported_at"] == "2020-08-13"
    assert any(f["metric"] == "injured" and f["value"] == 200 and f["qualifier"] == "about" for f in figures)


def test_extract_casualties_explains_and_takes_a_language():
    text = "Trente personnes ont été blessées, dont cinq grièvement. Aucun mort n'est à déplorer."
    done = subprocess.run([sys.executable, "-m", "ingestion.cli", "extract-casualties", "--language", "fr", "--explain"],
                          input=text, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    whole, part, zero = [json.loads(line) for line in done.stdout.splitlines()]
    assert (whole["metric"], whole["value"], whole["scope"], whole["counted"]) == ("injured", 30, "total", "all")
    assert (part["value"], part["scope"], part["part_of"], part["cues"]["scope"]) == (5, "part", 0, "dont")
    assert (zero["metric"], zero["value"], zero["cues"]["negation"]) == ("dead", 0, "Aucun")
    assert text[part["evidence_start"]:part["evidence_end"]] == part["evidence"]
    assert whole["cues"]["number"] == "Trente" and whole["cues"]["metric"] == "blessées"


def test_extract_casualties_refuses_a_language_it_does_not_read():
    done = subprocess.run([sys.executable, "-m", "ingestion.cli", "extract-casualties"],
                          input="Bei den Protesten wurden 45 Menschen verletzt und 12 festgenommen.",
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert "'de'" in done.stderr and "reads en, es, pt, fr, ru, pl, sk" in done.stderr
    assert "Traceback" not in done.stderr


BI_URL_OPTIONS = "access_mode=read_only&enable_external_access=false&lock_configuration=true"


def test_documented_sqlalchemy_bi_path_is_read_only(published, tmp_path):
    """The README's Superset/SQLAlchemy URL opens the marts read-only and without file access:
    reads work; writes, copies to files, reads of local files and `set` fail."""
    import sqlalchemy as sa

    local = tmp_path / "local.csv"
    local.write_text("a\n1\n", encoding="utf-8")
    written = tmp_path / "copied.csv"
    engine = sa.create_engine(f"duckdb:///{published.marts}?{BI_URL_OPTIONS}")
    refusals = {
        "create table intruder as select 1": "read-only|Cannot execute",
        f"copy (select 1) to '{written}'": "file system operations are disabled",
        f"select * from read_csv('{local}')": "file system operations are disabled",
        "set enable_external_access = true": "configuration has been locked",
    }
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from election_crises")).scalar() == 15
        for statement, refusal in refusals.items():
            with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match=refusal):
                con.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert not written.exists()
    con = duckdb.connect(str(published.marts), read_only=True)
    assert con.execute("select count(*) from duckdb_tables() where table_name = 'intruder'").fetchone()[0] == 0
    con.close()
