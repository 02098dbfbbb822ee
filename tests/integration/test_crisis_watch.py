"""crisis_watch on a real warehouse: the bundled snapshot (real sourced facts about Kyrgyzstan's
October 2020 election) plus SYNTHETIC elections and SYNTHETIC feed rows pulled from the local
protocol servers, built with a real `dbt build --select +crisis_watch` as of a fixed day.

The synthetic elections reuse real country codes with made-up days and example.org URLs; every
synthetic record says so. The first build runs with the feeds empty (as on the bundled snapshot).
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from ingestion.derive import derive_figures
from ingestion.extract import extract_source
from ingestion.feeds import acled as acled_module
from ingestion.feeds.load import ensure_feed_tables
from ingestion.gate import run_gate
from ingestion.cli import main as ecw
from ingestion.loader import connect_warehouse, load_new_payloads, load_payload
from ingestion.registry import get_source
from ingestion.settings import Paths
from ingestion.transform import run_dbt
from tests.integration.feeds_helpers import FAST, feed_registry, query
from tests.support.feeds_servers import FeedServer, acled_event, parline_election, ucdp_event

REPO_ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO_ROOT / "snapshot"
URL = "https://example.org/synthetic"
FETCHED_AT = "2020-10-21 00:00:00+00"
AS_OF = "2020-10-20"  # window: 2020-07-22 .. 2020-11-19

pytestmark = pytest.mark.slow
FEEDS = ("acled_events", "ucdp_ged", "reliefweb_reports", "parline_elections")

SNAPSHOT_PAYLOADS = [
    ("cec_elections", "election_commission/elections.json"), ("cec_party_results", "election_commission/results.csv"),
    ("cec_decisions", "election_commission/decisions.json"), ("moh_bulletins", "health_ministry/bulletins.json"),
    ("observer_statements", "observer_mission/statements.json"),
]
# (key, country as the commission names it, day): two inside the window, two outside it
SYNTHETIC_ELECTIONS = [
    ("MNG-2020-PRES", "Mongolia", "2020-10-11"),   # inside: ACLED protests (synthetic) -> score 1
    ("ECU-2020-PARL", "Ecuador", "2020-11-10"),    # inside, ahead of the reference day -> score 0
    ("ECU-2020-PRES", "Ecuador", "2020-06-01"),    # 141 days before: outside
    ("CIV-2020-PRES", "Côte d’Ivoire", "2020-12-25"),  # 66 days ahead: outside
]


def _with_synthetic(file: str, key: str, records: list[dict]) -> bytes:
    document = json.loads((SNAPSHOT / file).read_text(encoding="utf-8"))
    document[key] = document[key] + records
    return json.dumps(document, ensure_ascii=False).encode()


def _synthetic_elections() -> bytes:
    return _with_synthetic("election_commission/elections.json", "elections", [
        {"election_key": key, "country": country, "election_type": key.split("-")[2] == "PRES" and "presidential"
         or "parliamentary", "election_date": day, "source_url": f"{URL}/{key}"}
        for key, country, day in SYNTHETIC_ELECTIONS])


# after the first full build, only what the feeds change needs rebuilding (keeps the test short)
FEED_MODELS = ["stg_acled__events", "int_acled__election_window_aggregates", "stg_ucdp__events",
               "stg_reliefweb__reports", "stg_parline__elections", "int_crisis_watch__signals", "crisis_watch"]


def _build(paths: Paths, as_of: str, select: list[str] = ("+crisis_watch",)) -> None:
    run_dbt(paths, "build", "--select", *select, "--vars", json.dumps({"crisis_watch_as_of": as_of}),
            "--indirect-selection", "cautious", echo=None)


def _rows(paths: Paths) -> list[dict]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        cursor = con.execute("select * from marts.crisis_watch order by crisis_rank")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One warehouse, two builds: first with every feed empty, then with the synthetic feed pulls."""
    work = tmp_path_factory.mktemp("crisis_watch")
    paths = Paths(work / "data")
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = connect_warehouse(paths.warehouse)
    try:
        for source_id, file in SNAPSHOT_PAYLOADS:
            body = _synthetic_elections() if source_id == "cec_elections" else (SNAPSHOT / file).read_bytes()
            load_payload(con, get_source(source_id), f"snapshot-{source_id}", FETCHED_AT, body)
        for feed in FEEDS:  # as the nightly load does for every registry entry, enabled or not
            ensure_feed_tables(con, get_source(feed))
    finally:
        con.close()
    derive_figures(paths)
    started = time.perf_counter()
    _build(paths, AS_OF)
    empty_feeds = _rows(paths)
    empty_seconds = time.perf_counter() - started

    monkeypatch = pytest.MonkeyPatch()
    acled_module._TOKENS.clear()
    now = int(time.time())
    events = [acled_event(1, day="2020-10-05", timestamp=now - 10, event_type="Riots", fatalities=1),
              acled_event(2, day="2020-10-06", timestamp=now - 9, fatalities=0),
              acled_event(3, day="2020-10-06", timestamp=now - 8, fatalities=0),
              acled_event(4, day="2020-10-03", timestamp=now - 7, fatalities=0),  # before election day: not counted
              acled_event(5, day="2020-10-12", timestamp=now - 6, country="Mongolia", iso="496"),
              acled_event(6, day="2020-10-13", timestamp=now - 5, country="Mongolia", iso="496"),
              acled_event(7, day="2020-10-19", timestamp=now - 4, event_type="Violence against civilians",
                          country="Mongolia", iso="496", fatalities=3)]  # not a protest or riot
    server = FeedServer(
        acled_events=events,
        ucdp_versions={"25.1": [ucdp_event(11, day="2020-10-06", best=1, low=1, high=2)],
                       "26.0.1": [ucdp_event(12, day="2020-10-07", best=2, low=1, high=4)]},
        reports=[],
        elections=[parline_election("KG-LC01", "2020-10-04"), parline_election("GE-LC01", "2020-10-31"),
                   parline_election("FR-LC01", "2022-06-12")])
    try:
        with server:
            sources = feed_registry(work, monkeypatch, server)
            for source in sources.values():
                extract_source(source, paths, AS_OF, FAST)
            load_new_payloads(list(sources.values()), paths)
        acled_module._TOKENS.clear()
        _build(paths, AS_OF, FEED_MODELS)
    finally:
        monkeypatch.undo()
    yield {"paths": paths, "empty_feeds": empty_feeds, "empty_seconds": empty_seconds, "rows": _rows(paths)}


def test_an_empty_feed_build_passes_and_lists_the_window(built):
    rows = {r["election_key"]: r for r in built["empty_feeds"]}
    assert set(rows) == {"KGZ-2020-PARL", "MNG-2020-PRES", "ECU-2020-PARL", "BLR-2020-PRES"}
    assert all(r["acled_protest_events"] == 0 and r["ucdp_events"] == 0 for r in rows.values())
    assert rows["KGZ-2020-PARL"]["annulment_decisions"] == 1
    assert built["empty_feeds"][0]["election_key"] == "KGZ-2020-PARL"


def test_elections_in_the_window_with_their_signals(built):
    rows = {r["election_key"]: r for r in built["rows"]}
    # BLR-2020-PRES (2020-08-09) is real and inside the window; GEO-2020-PARL is Parline's only
    assert set(rows) == {"KGZ-2020-PARL", "MNG-2020-PRES", "ECU-2020-PARL", "BLR-2020-PRES", "GEO-2020-PARL"}
    kgz = rows["KGZ-2020-PARL"]
    assert (kgz["acled_riot_events"], kgz["acled_protest_events"], kgz["acled_fatalities"]) == (1, 2, 1)
    assert kgz["acled_attribution"].startswith("Armed Conflict Location & Event Data")
    assert (kgz["ucdp_events"], kgz["ucdp_deaths_low"], kgz["ucdp_deaths_best"], kgz["ucdp_deaths_high"]) == (2, 2, 3, 6)
    assert kgz["annulment_decisions"] == 1 and kgz["listed_by"] == "registry"
    assert {"acled_riots", "acled_protests", "ucdp_events", "annulment"} <= set(kgz["signal_kinds"])
    assert {"acled", "ucdp_ged"} <= set(kgz["signal_sources"])
    mng = rows["MNG-2020-PRES"]
    assert (mng["acled_protest_events"], mng["acled_fatalities"], mng["crisis_score"]) == (2, 0, 1)
    assert rows["ECU-2020-PARL"]["days_since_election"] == -21 and rows["ECU-2020-PARL"]["crisis_score"] == 0
    assert rows["GEO-2020-PARL"]["listed_by"] == "parline"

    signals = query(built["paths"], "select signal_kind, source, signal_date::varchar, events from "
                                    "intermediate.int_crisis_watch__signals where election_key = 'KGZ-2020-PARL' "
                                    "and source in ('acled', 'ucdp_ged') order by 3, 1")
    assert signals == [("acled_riots", "acled", "2020-10-05", 1), ("acled_protests", "acled", "2020-10-06", 2),
                       ("ucdp_events", "ucdp_ged", "2020-10-06", 1), ("ucdp_events", "ucdp_ged", "2020-10-07", 1)]


def test_rank_follows_the_rule(built):
    rows = built["rows"]
    assert [r["crisis_rank"] for r in rows] == list(range(1, len(rows) + 1))
    keys = [r["election_key"] for r in rows]
    assert keys[0] == "KGZ-2020-PARL"
    # annulment 5 + deaths 3 + riots 2 + protests 1 (+1 injured, +1 negative observer where the snapshot has them)
    kgz = rows[0]
    assert kgz["crisis_score"] >= 11 and kgz["deaths_most_reported"] >= 3
    assert keys.index("MNG-2020-PRES") < keys.index("ECU-2020-PARL")
    scores = [(r["crisis_score"], r["deaths_most_reported"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    # equal scores and deaths: the election with the latest signal, then the latest election, first
    zero = [r["election_key"] for r in rows if r["crisis_score"] == 0 and r["last_signal_on"] is None]
    assert zero == sorted(zero, key=lambda k: next(r["election_date"] for r in rows if r["election_key"] == k),
                          reverse=True)


def test_no_acled_row_reaches_a_published_mart(built):
    ids = {f"SYN{n:05d}" for n in range(1, 8)}
    con = duckdb.connect(str(built["paths"].warehouse), read_only=True)
    try:
        columns = con.execute("select table_name, column_name from information_schema.columns "
                              "where table_schema = 'marts'").fetchall()
        assert ("crisis_watch", "acled_attribution") in columns
        for table, column in columns:
            hits = con.execute(f'select count(*) from marts."{table}" where '
                               f'regexp_matches(cast("{column}" as varchar), \'SYN0000[1-7]\')').fetchone()[0]
            assert hits == 0, f"ACLED event id in marts.{table}.{column}"
        # the rows are in the private warehouse (the scan could have found them)
        private = {r[0] for r in con.execute("select event_id_cnty from raw.acled_events").fetchall()}
        assert ids <= private
    finally:
        con.close()


def _mart_copy(built, target: Path, schema: str, where: str = "true", then: str | None = None) -> Path:
    """crisis_watch copied into a file of its own (as the gate and the published marts see it)."""
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{built['paths'].warehouse}' as built (read_only)")
        if schema != "main":
            con.execute(f"create schema {schema}")
        con.execute(f"create table {schema}.crisis_watch as select * from built.marts.crisis_watch where {where}")
        if then:
            con.execute(then)
    finally:
        con.close()
    return target


@pytest.mark.parametrize("case", ["full", "empty", "misranked"])
def test_the_gate_suite_passes_full_and_empty_marts_and_catches_a_misrank(built, tmp_path, case):
    suites = tmp_path / "suites"
    suites.mkdir()
    shutil.copy(REPO_ROOT / "expectations" / "marts.crisis_watch.json", suites)
    then = ("update marts.crisis_watch set crisis_rank = case crisis_rank when 1 then 2 when 2 then 1 end "
            "where crisis_rank in (1, 2)") if case == "misranked" else None
    warehouse = _mart_copy(built, tmp_path / "w.duckdb", "marts", "false" if case == "empty" else "true", then)
    result = run_gate(warehouse, suites, tmp_path / "results")
    if case == "misranked":
        assert not result.success and any("crisis_rank" in f.message() for f in result.failures), result.summary()
    else:
        assert result.success, result.summary()


def test_ecw_watch_prints_the_ranked_watch(built, tmp_path, monkeypatch, capsys):
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    _mart_copy(built, paths.marts, "main")
    monkeypatch.setenv("ECW_DATA_DIR", str(paths.data_dir))
    assert ecw(["watch"]) == 0
    out = capsys.readouterr().out
    assert "Crisis watch as of 2020-10-20: 5 election(s)" in out
    lines = [line for line in out.splitlines() if "-20" in line and " | " in line]
    assert lines[0].split(" | ")[2].strip() == "KGZ-2020-PARL"
    assert [line.split(" | ")[2].strip() for line in lines] == [r["election_key"] for r in built["rows"]]
    assert "ACLED figures: Armed Conflict Location & Event Data (ACLED); acleddata.com" in out
    assert "SYN0000" not in out
