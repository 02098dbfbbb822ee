"""The breadth issue's figures, on one real nightly run (ecw run) over the bundled snapshot.

NELDA is not redistributable, so this run enables it with a SYNTHETIC NELDA file in NELDA's
layout (tests/fixtures/synthetic_nelda.py conventions; every record's notes say synthetic) served
over HTTP on 127.0.0.1 like the real file would be: one record for Kenya's 2007 presidential
election so the test case everyone knows shows every source side by side.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys

import duckdb
import pytest

from ingestion.pipeline import run_all
from ingestion.settings import Paths
from ingestion.snapshot_server import serve_snapshot
from tests.conftest import REPO_ROOT, SHARED
from tests.fixtures import synthetic_nelda

pytestmark = pytest.mark.slow


def kenya_2007_synthetic() -> bytes:
    record = synthetic_nelda.Record(
        "kenya_2007_synthetic", "KEN", "501", "Kenya", "501-2007-1227-P1", "2007", "1227", "Executive",
        {"nelda29": "yes", "nelda33": "yes", "nelda45": "yes", "nelda46": "yes", "nelda47": "yes"})
    rows = [synthetic_nelda.HEADER, record.row()]
    lines = [",".join('"' + v.replace('"', '""') + '"' for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("latin-1")


@pytest.fixture(scope="module")
def breadth(tmp_path_factory):
    data = tmp_path_factory.mktemp("breadth-data")
    nelda_root = tmp_path_factory.mktemp("nelda-publisher")
    (nelda_root / "nelda.csv").write_bytes(kenya_2007_synthetic())
    with pytest.MonkeyPatch.context() as patch, serve_snapshot(nelda_root) as nelda_base:
        patch.setenv("ECW_DATA_DIR", str(data))
        patch.setenv("ECW_ENABLE_SOURCES", "nelda")
        patch.setenv("ECW_NELDA_URL", nelda_base + "/nelda.csv")
        run_all(echo=lambda line: None)
    con = duckdb.connect(str(Paths(data).marts), read_only=True)
    yield Paths(data), con
    con.close()


def one(con, sql: str):
    return con.execute(sql).fetchone()


def test_the_registry_holds_over_a_thousand_elections_of_most_of_the_world(breadth):
    _, con = breadth
    elections, countries = one(con, "select count(*), count(distinct country_iso3) from dim_election")
    assert elections >= 1200 and countries >= 150
    assert one(con, "select count(*) from dim_election where primary_source = 'commission'")[0] == 16
    # each source's election appears once, and every matched one under an existing key
    assert one(con, "select count(*) from fct_election_source_ids where match_status <> 'ambiguous' "
                    "and election_key not in (select election_key from dim_election)")[0] == 0
    assert one(con, "select count(*) from dim_country")[0] >= 250


def test_threshold_outcomes_for_hundreds_of_elections(breadth):
    _, con = breadth
    assert one(con, "select count(*) from fct_threshold_outcomes")[0] >= 300
    assert one(con, "select count(*) from fct_threshold_outcomes where result_source = 'parlgov'")[0] >= 290


def test_deco_events_and_deaths_reproduced_exactly(breadth):
    _, con = breadth
    path = SHARED / "data" / "deco" / "DECO_v.1.0.csv"
    if not path.exists():
        path = REPO_ROOT / "snapshot" / "research" / "deco" / "DECO_v.1.0.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert one(con, "select count(*), sum(deaths_best) from fct_electoral_violence_events") == (
        len(events), sum(int(e["best"]) for e in events))
    # an event no election explains stays, with the reason
    assert one(con, "select count(*) from fct_electoral_violence_events where election_key is null "
                    "and link_reason is null")[0] == 0


def test_pei_elections_are_linked(breadth):
    _, con = breadth
    assert one(con, "select count(*) from fct_election_integrity where source = 'pei' "
                    "and election_key is not null")[0] >= 300


def test_every_election_two_sources_know_is_in_the_agreement_mart(breadth):
    _, con = breadth
    missing = con.execute("select election_key from dim_election where source_count >= 2 "
                          "and election_key not in (select election_key from fct_source_agreement)").fetchall()
    assert missing == []


def test_kenya_2007_side_by_side(breadth):
    _, con = breadth
    rows = {r[0]: r[1:] for r in con.execute(
        "select question, commission_answer, deco_answer, nelda_answer, agreement from fct_source_agreement "
        "where election_key = 'KEN-2007-PRES'").fetchall()}
    commission, deco, nelda, agreement = rows["deaths_reported"]
    assert (commission, deco, nelda, agreement) == ("yes", "yes", "yes", "agree")
    commission, deco, _, agreement = rows["deaths_count"]
    assert commission is not None and deco.startswith("1102") and agreement in ("agree", "disagree")
    assert rows["observers_alleged_fraud"][2] == "yes"
    assert "nelda" in one(con, "select list_sort(sources) from dim_election where election_key = 'KEN-2007-PRES'")[0]
    signals = one(con, "select crisis_signals from election_signals where election_key = 'KEN-2007-PRES'")[0]
    assert signals >= 3


def test_ecw_sources_lists_every_source_with_its_licence(breadth):
    paths, _ = breadth
    result = subprocess.run([sys.executable, "-m", "ingestion.cli", "sources"], capture_output=True, text=True,
                            env={**os.environ, "ECW_DATA_DIR": str(paths.data_dir)}, cwd=REPO_ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    for source in ("deco", "parlgov", "pei", "nelda", "cec_elections"):
        assert source in result.stdout
    assert "TODO" not in result.stdout and "4233" in result.stdout
