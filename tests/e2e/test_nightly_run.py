"""The whole nightly run on the bundled snapshot: the marts analysts open, and what reruns do."""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from datetime import date, datetime, timezone

import duckdb
import pytest
import yaml

from ingestion.pipeline import SNAPSHOT_ENV, GateFailed, run_all
from ingestion.run_status import last_run, source_states
from ingestion.settings import Paths
from ingestion.snapshot_server import serve_snapshot
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import copy_snapshot
from tests.support.warehouse_checks import marts_digest, raw_counts

pytestmark = pytest.mark.slow


def test_dag_run_succeeds_and_publishes(nightly):
    paths, state = nightly
    assert state == "success"
    assert paths.marts.exists()
    for table in ("dim_country", "dim_election", "fct_annulments", "fct_threshold_results",
                  "fct_casualty_reports", "fct_observer_findings", "election_crises"):
        assert (paths.marts_parquet / f"{table}.parquet").exists(), table


def test_fifteen_crises(marts):
    keys = [r[0] for r in marts.execute("select election_key from election_crises order by 1").fetchall()]
    assert len(keys) == 15
    assert "KGZ-2020-PARL" in keys and "KGZ-2021-PARL" not in keys


def test_kyrgyzstan_2020_front_page(marts):
    row = marts.execute("""
        select annulled, annulled_on, annulled_by, threshold_pct, parties_contesting, parties_passed,
               deaths_latest, injured_latest, hospitalized_latest, vote_buying_alleged
        from election_crises where election_key = 'KGZ-2020-PARL'""").fetchone()
    annulled, on, by, threshold, contesting, passed, dead, injured, hospitalized, vote_buying = row
    assert annulled is True and on == date(2020, 10, 6)
    assert "Central Election Commission" in by
    assert threshold == 7 and contesting == 16 and passed == 4
    assert (dead, injured, hospitalized) == (1, 1218, 228)
    assert vote_buying is True


def test_kyrgyzstan_2020_annulment(marts):
    rows = marts.execute("""select decided_on, decided_by, body_type, scope from fct_annulments
                            where election_key = 'KGZ-2020-PARL'""").fetchall()
    assert len(rows) == 1
    decided_on, decided_by, body_type, scope = rows[0]
    assert decided_on == date(2020, 10, 6) and body_type == "election_commission" and scope == "full"


def test_kyrgyzstan_2020_casualty_revisions(marts):
    def series(metric):
        return [r[0] for r in marts.execute("""
            select value from fct_casualty_reports
            where election_key = 'KGZ-2020-PARL' and metric = ? and authority ilike '%health%'
              and coverage = 'overall'
            order by reported_at, value""", [metric]).fetchall()]

    injured = series("injured")
    assert injured[0] == 121 and injured[-1] == 1218
    assert [v for v in injured if v in (121, 590, 686, 911, 1218)] == [121, 590, 686, 911, 1218]
    hospitalized = series("hospitalized")
    assert [v for v in hospitalized if v in (150, 164, 205, 228)] == [150, 164, 205, 228]
    assert set(series("dead")) == {1}
    about = marts.execute("""select qualifier from fct_casualty_reports where election_key = 'KGZ-2020-PARL'
                             and metric = 'hospitalized' and value = 150""").fetchone()
    assert about == ("about",)


def test_kyrgyzstan_2020_observers(marts):
    rows = marts.execute("""select organization, head_of_mission, allegations, source_url from fct_observer_findings
                            where election_key = 'KGZ-2020-PARL'""").fetchall()
    odihr = [r for r in rows if "ODIHR" in r[0]]
    assert odihr and odihr[0][1] == "Thomas Boserup"
    assert "vote_buying" in odihr[0][2]
    assert all(r[3].startswith("http") for r in rows)


def test_every_casualty_figure_has_a_source(marts):
    missing = marts.execute("""select count(*) from fct_casualty_reports
                               where source_url is null or evidence is null""").fetchone()[0]
    assert missing == 0


def test_second_run_changes_nothing(nightly):
    paths, state = nightly
    assert state == "success"
    before_marts = marts_digest(paths.marts)
    before_raw = raw_counts(paths)
    with serve_snapshot() as base_url:
        os.environ["ECW_SNAPSHOT_BASE_URL"] = base_url
        try:
            result = run_all(paths=paths, echo=lambda _: None)
        finally:
            os.environ.pop("ECW_SNAPSHOT_BASE_URL", None)
    assert all(r.get("http_status") == 304 for r in result["extract"].values()), result["extract"]
    assert raw_counts(paths) == before_raw
    assert marts_digest(paths.marts) == before_marts


def test_gate_failure_keeps_previous_marts(nightly, tmp_path):
    """A new election whose country the resolver does not know is quarantined; its casualty
    bulletin still loads, so the marts would be incomplete: the gate fails, names the
    expectation, and the published marts stay as they were. (The injected records are synthetic.)"""
    paths, state = nightly
    assert state == "success"
    work = Paths(tmp_path / "data")
    shutil.copytree(paths.data_dir, work.data_dir)
    before = marts_digest(work.marts)
    snapshot = copy_snapshot(tmp_path)
    elections_file = snapshot / "election_commission" / "elections.json"
    elections = json.loads(elections_file.read_text())
    elections["elections"].append({
        "election_key": "ATL-2024-PARL", "country": "Atlantis", "election_type": "parliamentary",
        "election_date": "2024-03-01", "source_url": "https://example.org/synthetic/atlantis"})
    elections_file.write_text(json.dumps(elections))
    bulletins_file = snapshot / "health_ministry" / "bulletins.json"
    bulletins = json.loads(bulletins_file.read_text())
    bulletins["bulletins"].append({
        "bulletin_id": "synthetic-atl-1", "election_key": "ATL-2024-PARL", "authority": "Synthetic Ministry",
        "published_at": "2024-03-02", "timezone": "UTC", "language": "en",
        "text": "Synthetic: 12 people were injured.", "source_url": "https://example.org/synthetic/atl-1"})
    bulletins_file.write_text(json.dumps(bulletins))
    with serve_snapshot(snapshot) as base_url:
        os.environ["ECW_SNAPSHOT_BASE_URL"] = base_url
        try:
            with pytest.raises(GateFailed, match="dim_election"):
                run_all(paths=work, echo=lambda _: None)
        finally:
            os.environ.pop("ECW_SNAPSHOT_BASE_URL", None)
    assert marts_digest(work.marts) == before
    status = last_run(work)
    assert status["stages"]["gate"]["status"] == "failed"
    failure = next(f for f in status["stages"]["gate"]["failures"] if f["table"].endswith("dim_election"))
    assert failure["unexpected_count"] == 1 and "casualty figures" in failure["detail"]
    con = duckdb.connect(str(work.warehouse), read_only=True)
    reasons = [r[0] for r in con.execute(
        "select reason from raw.quarantine where source = 'cec_elections'").fetchall()]
    con.close()
    assert any("unknown country 'Atlantis'" in r for r in reasons)


def _dead_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_failed_source_fails_the_run_while_the_others_publish(nightly, tmp_path, monkeypatch):
    """One publisher is down (its URL points at a dead port): load, transform, gate and publish
    still run on the other sources, the down source keeps its last good data, and the DAG run
    ends failed (check_sources) instead of green."""
    paths, state = nightly
    assert state == "success"
    work = Paths(tmp_path / "data")
    shutil.copytree(paths.data_dir, work.data_dir)
    findings_before = duckdb.connect(str(work.marts), read_only=True).execute(
        "select count(*) from fct_observer_findings").fetchone()[0]
    registry = yaml.safe_load((REPO_ROOT / "sources.yml").read_text(encoding="utf-8"))
    for entry in registry["sources"]:
        if entry["id"] == "observer_statements":
            entry["url"] = f"http://127.0.0.1:{_dead_port()}/observer_mission/statements.json"
    (tmp_path / "sources.yml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("ECW_REGISTRY", str(tmp_path / "sources.yml"))
    monkeypatch.setenv("ECW_DATA_DIR", str(work.data_dir))
    if str(REPO_ROOT / "dags") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "dags"))
    from election_crises_nightly import election_crises_nightly

    with serve_snapshot() as base_url:
        monkeypatch.setenv(SNAPSHOT_ENV, base_url)
        dag = election_crises_nightly()
        dag.get_task("extract_observer_statements").retries = 0  # the task's retries wait minutes; one try shows it
        run = dag.test()
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    assert states.pop("extract_observer_statements") == "failed"
    assert states.pop("check_sources") == "failed"
    assert set(states.values()) == {"success"}, states
    assert str(run.state) == "failed", "a night with a failed source is not green"
    con = duckdb.connect(str(work.marts), read_only=True)
    try:
        assert con.execute("select run_id from _publication").fetchone()[0] == run.run_id
        assert con.execute("select count(*) from fct_observer_findings").fetchone()[0] == findings_before > 0
        assert con.execute("select count(*) from election_crises").fetchone()[0] == 15
    finally:
        con.close()
    observer = next(s for s in source_states(work) if s["source"] == "observer_statements")
    assert observer["last_status"] == "failed" and "127.0.0.1" in observer["last_error"]
