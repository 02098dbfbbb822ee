"""Smoke test of the benchmark's instrument (issue 11) at SF0.01, without the benchmark itself:
the generator is deterministic and writes payloads our real loader accepts with nothing
quarantined, and the comparison scripts run and agree with our pipeline where they claim to
compute the same thing. SYNTHETIC data only; real HTTP on 127.0.0.1, real DuckDB, real dbt (only
the few models the pandas comparison reads, tests excluded)."""
from __future__ import annotations

import json

import duckdb
import pytest

from bench import compare
from bench.generate import FULL_DATE, generate
from bench.run import write_registry
from bench.server import ACLED_PASSWORD, ACLED_USER, UCDP_TOKEN, BenchServer
from ingestion import pipeline
from ingestion.registry import active_sources
from ingestion.settings import Paths
from ingestion.transform import run_dbt

SF = 0.01


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """SF0.01 generated, served, extracted and loaded by the real stages into a fresh warehouse."""
    root = tmp_path_factory.mktemp("bench")
    payloads = root / "payloads"
    manifest = generate(SF, 7, payloads)
    paths = Paths(root / "data")
    with pytest.MonkeyPatch.context() as patch:  # the environment is restored when the module is done
        for name, value in {"ECW_DATA_DIR": str(paths.data_dir),
                            "ECW_REGISTRY": str(write_registry(root / "sources.yml")),
                            "ECW_ENABLE_SOURCES": "acled_events,ucdp_ged", "ECW_ACLED_USERNAME": ACLED_USER,
                            "ECW_ACLED_PASSWORD": ACLED_PASSWORD, "ECW_UCDP_TOKEN": UCDP_TOKEN}.items():
            patch.setenv(name, value)
        with BenchServer(payloads) as server:
            for name in ("ECW_SNAPSHOT_BASE_URL", "ECW_ACLED_BASE_URL", "ECW_UCDP_BASE_URL"):
                patch.setenv(name, server.base)
            extracted = {s.id: pipeline.extract_one(s.id, FULL_DATE.isoformat(), paths) for s in active_sources()}
            loads = pipeline.load_stage("bench_smoke", paths)
            derived = pipeline.derive_stage("bench_smoke", paths)
        yield {"root": root, "payloads": payloads, "manifest": manifest, "paths": paths, "extracted": extracted,
               "loads": loads, "derived": derived}


def test_same_seed_same_bytes_other_seed_other_bytes(loaded, tmp_path):
    again = generate(SF, 7, tmp_path / "again")
    assert again["sha256"] == loaded["manifest"]["sha256"]
    other = generate(SF, 8, tmp_path / "other")
    assert other["sha256"]["health_ministry/bulletins.json"] != loaded["manifest"]["sha256"]["health_ministry/bulletins.json"]


def test_every_payload_is_labelled_synthetic(loaded):
    payloads = loaded["payloads"]
    assert json.loads((payloads / "manifest.json").read_text())["synthetic"] is True
    for name in ("election_commission/elections.json", "health_ministry/bulletins.json",
                 "observer_mission/statements.json", "feeds/acled/events/page-00001.json", "feeds/ucdp/25.1/page-00000.json"):
        assert json.loads((payloads / name).read_bytes())["_synthetic"] is True, name
    assert "synthetic" in (payloads / "research" / "parlgov" / "view_election_2024.synthetic.csv").read_text().splitlines()[1]


def test_the_real_loader_accepts_everything(loaded):
    counts = loaded["manifest"]["counts"]
    assert set(loaded["extracted"]) == {"cec_elections", "cec_party_results", "cec_decisions", "moh_bulletins",
                                        "observer_statements", "deco", "parlgov", "acled_events", "ucdp_ged"}
    loads = loaded["loads"]
    assert {k: v["errors"] for k, v in loads.items() if v["errors"]} == {}
    assert sum(v["rows_quarantined"] for v in loads.values()) == 0
    assert loads["cec_elections"]["rows_loaded"] == counts["elections"]
    assert loads["cec_party_results"]["rows_loaded"] == counts["list_results"]
    assert loads["moh_bulletins"]["rows_loaded"] == counts["bulletins"]
    assert loads["acled_events"]["rows_loaded"] == counts["acled_events"]
    assert loads["ucdp_ged"]["rows_loaded"] == counts["ucdp_events"]
    assert loads["deco"]["rows_loaded"] == counts["deco_events"]
    assert loads["parlgov"]["rows_loaded"] == counts["parlgov_rows"]
    # every bulletin's figures are read by the real extractor
    assert loaded["derived"]["bulletins_derived"] == counts["bulletins"] and loaded["derived"]["quarantined"] == 0


def test_plain_duckdb_load_reads_the_rows_we_loaded(loaded, tmp_path):
    plain = compare.plain_duckdb_load(loaded["payloads"], tmp_path / "plain.duckdb")
    con = duckdb.connect(str(loaded["paths"].warehouse), read_only=True)
    try:
        for table, row in plain["tables"].items():
            assert row["rows"] == con.execute(f"select count(*) from raw.{table}").fetchone()[0], table
    finally:
        con.close()
    assert plain["seconds"] > 0


def test_pandas_pipeline_gives_our_results(loaded):
    paths = loaded["paths"]
    run_dbt(paths, "build", "--select", "+int_acled__election_window_aggregates",
            "+stg_election_commission__party_results", "+stg_election_commission__elections", "--exclude-resource-type", "test", "unit_test", echo=None)
    theirs, seconds = compare.pandas_pipeline(loaded["payloads"])
    checks = compare.check_pandas(compare.warehouse_results(paths.warehouse), theirs)
    assert {name: c["identical"] for name, c in checks.items()} == dict.fromkeys(checks, True), checks
    assert all(c["pandas_rows"] > 0 for c in checks.values()) and seconds > 0
