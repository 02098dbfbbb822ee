"""Elections in countries the old 52-country crosswalk did not know reach the marts with no seed edit.

The real loader loads the bundled snapshot plus a SYNTHETIC elections payload (Mongolia in
Cyrillic, Ecuador, Côte d’Ivoire with a curly apostrophe, Yugoslavia as a former state, and two
names it must refuse), then a real `dbt build` runs. Every raw election must end in dim_election
or in raw.quarantine with a reason; an election the seed lacks, written past the loader, stops
the build with a message naming it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.derive import derive_figures
from ingestion.loader import connect_warehouse, load_payload
from ingestion.settings import Paths
from ingestion.registry import get_source

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
SNAPSHOT = REPO_ROOT / "snapshot"
URL = "https://example.org/synthetic"
FETCHED_AT = "2026-01-01 00:00:00+00"

pytestmark = pytest.mark.slow

NEW_ELECTIONS = [
    ("MNG-2000-PARL", "Монгол Улс"), ("ECU-2000-PRES", "Ecuador"), ("CIV-2000-PRES", "Côte d’Ivoire"),
    ("YUG-1990-PARL", "Yugoslavia"),
]
REFUSED = [("COG-2000-PARL", "Kongo"), ("ATL-2000-PARL", "Synthetic Atlantis")]
SNAPSHOT_PAYLOADS = [
    ("cec_elections", "election_commission/elections.json"), ("cec_party_results", "election_commission/results.csv"),
    ("cec_decisions", "election_commission/decisions.json"), ("moh_bulletins", "health_ministry/bulletins.json"),
    ("observer_statements", "observer_mission/statements.json"),
]


def _with_synthetic(file: str, key: str, records: list[dict]) -> bytes:
    """The snapshot payload with synthetic records added: each payload is its source's whole record
    set (a second payload of the source would withdraw the first one's records)."""
    document = json.loads((SNAPSHOT / file).read_text(encoding="utf-8"))
    document[key] = document[key] + records
    return json.dumps(document, ensure_ascii=False).encode()


def _synthetic_elections() -> bytes:
    elections = [{"election_key": key, "country": country, "election_type": "parliamentary",
                  "election_date": f"{key[4:8]}-03-01", "source_url": f"{URL}/{key}"}
                 for key, country in NEW_ELECTIONS + REFUSED]
    return _with_synthetic("election_commission/elections.json", "elections", elections)


def _synthetic_decisions() -> bytes:
    return _with_synthetic("election_commission/decisions.json", "decisions", [{
        "decision_id": "SYN-MNG-1", "election_key": "MNG-2000-PARL", "decision_type": "annulment",
        "decided_on": "2000-03-10", "decided_by": "Synthetic Court", "body_type": "court", "scope": "full",
        "text": "Synthetic: the court annulled the vote.", "source_url": f"{URL}/SYN-MNG-1"}])


def _dbt(warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).with_name("dbt")
    env = dict(os.environ, ECW_WAREHOUSE=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    return subprocess.run(
        [str(dbt), *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse"],
        env=env, capture_output=True, text=True, timeout=900)


def _load(path: Path, payloads: list[tuple[str, str, bytes]]) -> None:
    con = connect_warehouse(path)
    try:
        for source_id, sha, body in payloads:
            load_payload(con, get_source(source_id), sha, FETCHED_AT, body)
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    work = tmp_path_factory.mktemp("countries_dbt")
    path = work / "warehouse.duckdb"
    synthetic = {"cec_elections": _synthetic_elections(), "cec_decisions": _synthetic_decisions()}
    payloads = [(source_id, f"snapshot-{source_id}", synthetic.get(source_id) or (SNAPSHOT / file).read_bytes())
                for source_id, file in SNAPSHOT_PAYLOADS]
    _load(path, payloads)
    derive_figures(Paths(work))  # the pipeline's derive stage: figures from the bulletins just loaded
    result = _dbt(path, work, "build")
    problems = [line for line in result.stdout.splitlines() if "ERROR" in line or "FAIL" in line or "Error" in line]
    assert result.returncode == 0, "dbt build failed:\n" + "\n".join(problems)[-6000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_new_country_elections_reach_dim_election_and_the_crisis_marts(warehouse):
    found = dict(warehouse.execute("select election_key, country_iso3 from marts.dim_election").fetchall())
    for key, _ in NEW_ELECTIONS:
        assert found.get(key) == key[:3], f"{key} should be in dim_election as {key[:3]}, found {found.get(key)}"
    crises = dict(warehouse.execute("select election_key, annulled from marts.election_crises").fetchall())
    assert {key for key, _ in NEW_ELECTIONS} <= set(crises)
    assert crises["MNG-2000-PARL"] is True
    annulments = {r[0] for r in warehouse.execute("select election_key from marts.fct_annulments").fetchall()}
    assert "MNG-2000-PARL" in annulments


def test_dim_country_covers_the_world(warehouse):
    total, former = warehouse.execute(
        "select count(*), count(*) filter (where is_former_state) from marts.dim_country").fetchone()
    assert total >= 257 and former >= 7
    names = dict(warehouse.execute("select country_iso3, country_name from marts.dim_country").fetchall())
    assert {"MNG", "ECU", "CIV", "SUN", "YUG", "CSK", "DDR", "YMD", "SCG", "XKX"} <= set(names)


def test_no_raw_election_is_lost(warehouse):
    raw = {r[0] for r in warehouse.execute("select distinct election_key from raw.elections").fetchall()}
    marts = {r[0] for r in warehouse.execute("select election_key from marts.dim_election").fetchall()}
    quarantined = dict(warehouse.execute(
        "select json_extract_string(record, '$.election_key'), reason from raw.quarantine "
        "where source = 'cec_elections'").fetchall())
    lost = raw - marts - {key for key, reason in quarantined.items() if reason}
    assert not lost, f"elections loaded into raw.elections but in neither dim_election nor quarantine: {sorted(lost)}"
    assert len(raw) >= 16 + len(NEW_ELECTIONS)
    assert "COD" in quarantined["COG-2000-PARL"] and "COG" in quarantined["COG-2000-PARL"]
    assert "unknown country 'Synthetic Atlantis'" in quarantined["ATL-2000-PARL"]
    assert not {key for key, _ in REFUSED} & (raw | marts)


def test_an_election_the_seed_lacks_stops_the_build_naming_it(tmp_path):
    """Written past the loader (which would have quarantined it), the election is not silently dropped."""
    path = tmp_path / "warehouse.duckdb"
    _load(path, [(source_id, f"snapshot-{source_id}", (SNAPSHOT / file).read_bytes())
                 for source_id, file in SNAPSHOT_PAYLOADS])
    with duckdb.connect(str(path)) as con:
        con.execute("insert into raw.elections (election_key, country, election_date, source_url, _source, "
                    "_payload_sha256, _fetched_at, _record_locator) values ('QQQ-2000-PARL', 'Synthetic Nowhere', "
                    "'2000-03-01', ?, 'cec_elections', 'synthetic', ?, 'elections[0]')", [f"{URL}/QQQ", FETCHED_AT])
    result = _dbt(path, tmp_path, "build", "--select", "+dim_election")
    assert result.returncode != 0
    assert "QQQ-2000-PARL" in result.stdout and "Synthetic Nowhere" in result.stdout, result.stdout[-3000:]
    assert "build_country_seeds.py" in result.stdout
