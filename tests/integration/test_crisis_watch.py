"""crisis_watch on a real warehouse: the bundled snapshot (real sourced facts about Kyrgyzstan's
October 2020 election) plus SYNTHETIC elections and SYNTHETIC feed rows pulled from the local
protocol servers, built with a real `dbt build --select +crisis_watch` as of a fixed day.

The synthetic elections reuse real country codes with made-up days and example.org URLs; every
synthetic record says so. The first build runs with the feeds empty (as on the bundled snapshot).
The ReliefWeb reports are SYNTHETIC bodies in our own invented wording: the derive stage reads
their figures (machine-read, secondary source) into the casualty reports chain.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from ingestion.derive import derive_figures
from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, extract_figures
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
from tests.support.feeds_servers import FeedServer, acled_event, parline_election, reliefweb_report, ucdp_event

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
    ("MNG-2020-PRES", "Mongolia", "2020-10-11"),   # inside: ACLED protests, ReliefWeb deaths (synthetic) -> 1 + 3
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
FEED_MODELS = ["stg_acled__event_status", "stg_acled__events", "int_acled__election_window_aggregates",
               "stg_ucdp__events", "stg_reliefweb__reports", "stg_parline__elections", "int_parline__elections",
               "int_elections__source_matches", "int_elections__registry", "dim_election", "int_elections__national",
               "stg_reliefweb__casualty_figures",
               "int_casualty_reports__figures", "int_casualty_reports__authorities", "int_casualty_reports__ranked",
               "fct_casualty_reports", "election_crises", "int_crisis_watch__signals", "crisis_watch"]


def _report(n: int, day: str, html: str | None, *, source: str = "Synthetic Relief Agency",
            source_type: str = "International Organization", iso3: str = "kgz", language: str = "en") -> dict:
    return reliefweb_report(n, changed=f"{day}T08:00:00+00:00", original=f"{day}T00:00:00+00:00", html=html,
                            source=source, source_type=source_type, iso3=iso3, language=language)


# SYNTHETIC ReliefWeb reports, our own wording; ids 901.. (day, what the test expects of each)
REPORTS = [
    _report(901, "2020-10-08", "<p>Synthetic test report.</p><p>According to the agency's own count, 6 people were "
                               "killed and 52 were injured in the clashes in the capital.</p>"),  # KGZ: dead and injured
    _report(902, "2020-10-09", "<p>Rapport synthétique de test.</p><p>Selon le réseau, 14 personnes ont été blessées "
                               "lors des manifestations devant le siège de la commission électorale.</p>",
            source="Synthetic Humanitarian Network", source_type="Non-governmental Organization", language="fr"),
    _report(903, "2020-10-10", "<p>تقرير اصطناعي للاختبار: أصيب 9 أشخاص خلال الاحتجاجات.</p>", language="ar"),  # not read
    _report(904, "2020-10-11", None),  # no body: nothing to read
    _report(905, "2020-10-12", "<p>Synthetic test report: the electoral commission announced a recount in two "
                               "districts.</p>"),  # read, nothing to count
    _report(906, "2020-10-15", "<p>Synthetic test report.</p><p>The ministry said that 30 people had died since "
                               "election day.</p>",
            source="Synthetic Ministry of Health", source_type="Government"),  # later than the bulletins, same type
    _report(907, "2020-10-14", "<p>Synthetic test report: 3 people were killed in clashes in the capital.</p>",
            iso3="mng"),  # MNG: no bulletin at all
    _report(908, "2020-10-13", "<p>Informe sintético de prueba.</p><p>Según la red, 11 personas resultaron heridas "
                               "durante las protestas frente a la comisión electoral.</p>",
            iso3="ecu", language="es"),  # ECU: no election in the 90 days before it
]


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
    _build(paths, AS_OF, ("+crisis_watch", "+election_crises"))
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
        reports=REPORTS,
        elections=[parline_election("KG-LC01", "2020-10-04"), parline_election("GE-LC01", "2020-10-31"),
                   parline_election("FR-LC01", "2022-06-12")])
    try:
        with server:
            sources = feed_registry(work, monkeypatch, server)
            for source in sources.values():
                extract_source(source, paths, AS_OF, FAST)
            load_new_payloads(list(sources.values()), paths)
            report_requests = server.count("/v2/reports")
        acled_module._TOKENS.clear()
        derived = dataclasses.asdict(derive_figures(paths))  # the nightly derive: the reports just loaded go through the extractor
        _build(paths, AS_OF, FEED_MODELS)
    finally:
        monkeypatch.undo()
    yield {"paths": paths, "empty_feeds": empty_feeds, "empty_seconds": empty_seconds, "rows": _rows(paths),
           "derived": derived, "report_requests": report_requests, "work": work}


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
    # ACLED protests 1 + the dead a ReliefWeb report (synthetic) gives 3
    assert (mng["acled_protest_events"], mng["acled_fatalities"], mng["casualty_deaths_reported"]) == (2, 0, 3)
    assert mng["crisis_score"] == 4
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


# ---- ReliefWeb reports: the casualty extractor over their text -------------------------------
def _fct(paths: Paths, where: str) -> list[dict]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        cursor = con.execute(f"select * from marts.fct_casualty_reports where {where} order by casualty_report_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_a_report_s_figures_become_casualty_reports_flagged_machine_read_secondary(built):
    paths = built["paths"]
    derived = built["derived"]
    assert (derived["reports_derived"], derived["report_figures"], derived["report_issues"]) == (8, 6, 2), derived
    rows = {r["casualty_report_id"]: r for r in _fct(paths, "document_kind = 'reliefweb_report'")}
    sentence = "According to the agency's own count, 6 people were killed and 52 were injured in the clashes in the capital."
    for n, metric, value in ((1, "dead", 6), (2, "injured", 52)):
        row = rows[f"reliefweb:901#{n}"]
        assert (row["metric"], row["value"], row["evidence"]) == (metric, value, sentence)
        assert (row["authority"], row["authority_family"], row["authority_type"]) == (
            "Synthetic Relief Agency", "Synthetic Relief Agency via ReliefWeb", "international_organisation")
        assert row["source_url"] == "https://reliefweb.int/report/synthetic/901"
        assert row["is_secondary_source"] is True and row["election_key"] == "KGZ-2020-PARL"
        assert row["reported_at"].date().isoformat() == "2020-10-08" and row["reported_precision"] == "day"
        assert row["extractor_version"] == EXTRACTOR_VERSION
    # French: read in French, its NGO typed by its ReliefWeb source type (no name pattern matches it)
    french = rows["reliefweb:902#1"]
    assert (french["metric"], french["value"], french["authority_type"]) == ("injured", 14, "ngo")
    assert french["evidence"].startswith("Selon le réseau, 14 personnes ont été blessées")
    assert query(paths, "select language from staging.stg_reliefweb__casualty_figures "
                        "where casualty_report_id = 'reliefweb:902#1'") == [("fr",)]
    # Mongolia: its synthetic election of 2020-10-11, four days before the report
    assert (rows["reliefweb:907#1"]["election_key"], rows["reliefweb:907#1"]["value"]) == ("MNG-2020-PRES", 3)
    # Spanish, read, but Ecuador has no registry election in the 90 days before 2020-10-13: no casualty report
    assert query(paths, "select metric, value, language from staging.stg_reliefweb__casualty_figures "
                        "where report_id = '908'") == [("injured", 11, "es")]
    assert "reliefweb:908#1" not in rows
    assert set(rows) == {"reliefweb:901#1", "reliefweb:901#2", "reliefweb:902#1", "reliefweb:906#1", "reliefweb:907#1"}
    # the bulletins are primary: every figure of the snapshot keeps is_secondary_source false
    assert query(paths, "select distinct is_secondary_source from marts.fct_casualty_reports "
                        "where document_kind = 'bulletin'") == [(False,)]


def test_a_report_in_a_language_not_read_or_without_text_is_an_issue_with_its_reason(built):
    paths = built["paths"]
    issues = dict(query(paths, "select report_id, reason from derived.reliefweb_derivation_issues "
                               "where extractor_version = ?", [EXTRACTOR_VERSION]))
    assert set(issues) == {"903", "904"}
    assert "'903'" in issues["903"] and "'ar'" in issues["903"] and "fix" in issues["903"], issues["903"]
    assert "EXTRACTOR_VERSION" in issues["903"]
    assert "'904'" in issues["904"] and "no text" in issues["904"] and "fix" in issues["904"], issues["904"]
    statuses = dict(query(paths, "select report_id, status from derived.reliefweb_derivations"))
    assert statuses == {"901": "derived", "902": "derived", "903": "issue", "904": "issue", "905": "no_figure",
                        "906": "derived", "907": "derived", "908": "derived"}
    assert not _fct(paths, "bulletin_id in ('reliefweb:903', 'reliefweb:904', 'reliefweb:905')")
    assert built["derived"]["reports_quarantined"] == 2 and built["derived"]["quarantined"] == 0


def test_a_primary_figure_of_the_same_type_beats_a_later_secondary_one(built):
    paths = built["paths"]
    # Kyrgyzstan: a (synthetic) health ministry's report on ReliefWeb is later and higher than the
    # ministry's own bulletins (the snapshot), and of the same type: the bulletin stays the front page's
    later = _fct(paths, "casualty_report_id = 'reliefweb:906#1'")[0]
    assert (later["authority_type"], later["value"], later["is_primary_authority"]) == ("health_ministry", 30, False)
    bulletins = _fct(paths, "election_key = 'KGZ-2020-PARL' and metric = 'dead' and counted = 'all' "
                            "and document_kind = 'bulletin' and is_primary_authority")
    assert bulletins and max(b["reported_until"] for b in bulletins) < later["reported_at"]
    crises = {r[0]: r[1:] for r in query(paths, "select election_key, deaths_latest, deaths_latest_authority, "
                                                "deaths_latest_is_secondary from marts.election_crises "
                                                "where election_key in ('KGZ-2020-PARL', 'MNG-2020-PRES')")}
    assert crises["KGZ-2020-PARL"][1:] == ("Ministry of Health", False)
    assert crises["KGZ-2020-PARL"][0] != 30
    # Mongolia has no primary figure at all: the secondary one is shown, and says so
    assert crises["MNG-2020-PRES"] == (3, "Synthetic Relief Agency", True)


def test_crisis_watch_reads_the_reports_figures(built):
    signals = query(built["paths"], "select source, signal_date::varchar, deaths, injured, detail, source_url "
                                    "from intermediate.int_crisis_watch__signals where signal_kind = 'casualty_reports' "
                                    "and source like '%via ReliefWeb' order by 2, 1")
    assert ("Synthetic Relief Agency via ReliefWeb", "2020-10-08", 6, 52,
            "international_organisation (machine-read from ReliefWeb)",
            "https://reliefweb.int/report/synthetic/901") in signals
    assert ("Synthetic Humanitarian Network via ReliefWeb", "2020-10-09", None, 14,
            "ngo (machine-read from ReliefWeb)", "https://reliefweb.int/report/synthetic/902") in signals
    mng = next(r for r in built["rows"] if r["election_key"] == "MNG-2020-PRES")
    assert "Synthetic Relief Agency via ReliefWeb" in mng["signal_sources"]


def test_status_lists_the_reports_the_derive_stage_could_not_read(built, capsys, monkeypatch):
    monkeypatch.setenv("ECW_DATA_DIR", str(built["paths"].data_dir))
    assert ecw(["status"]) == 0
    out = capsys.readouterr().out
    assert "ReliefWeb reports the derive stage could not read" in out and "903" in out and "904" in out, out


def second_extractor(text: str, language: str | None = None):
    """The real extractor with one reading changed: every exact figure becomes 'about'."""
    return [dataclasses.replace(f, qualifier="about") if f.qualifier == "exact" else f
            for f in extract_figures(text, language)]


def test_a_new_extractor_version_re_reads_every_report_from_the_warehouse_alone(built, tmp_path):
    """A copy of the warehouse with no landing zone and no server running: the reports are read again."""
    paths = Paths(tmp_path / "data")
    paths.warehouse.parent.mkdir(parents=True)
    shutil.copy(built["paths"].warehouse, paths.warehouse)
    assert not paths.landing.exists()
    again = derive_figures(paths)
    assert (again.reports_derived, again.report_figures, again.rederivation) == (0, 0, False)
    second = derive_figures(paths, extract=second_extractor, version="test-2")
    assert (second.reports_derived, second.reports_rederived, second.rederivation) == (8, 8, True)
    assert (second.report_figures, second.report_issues) == (6, 2)
    copies = query(paths, "select count(*) from (select distinct bulletin_id, _payload_sha256 from raw.casualty_bulletins)")
    assert second.bulletins_derived == copies[0][0] > 0, "the bulletins are re-read too"
    assert query(paths, "select extractor_version, qualifier, count(*) from derived.reliefweb_casualty_figures "
                        "group by all") == [("test-2", "about", 6)]
    assert query(paths, "select count(*) from derived.reliefweb_derivation_issues "
                        "where extractor_version = 'test-2'") == [(2,)]
    assert built["report_requests"] > 0 and not paths.landing.exists(), "nothing was fetched"
