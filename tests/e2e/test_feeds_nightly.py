"""Two nightly runs (ingestion.pipeline.run_all, as `ecw run` and the DAG's tasks call it) with all four
feeds enabled against their protocol servers on 127.0.0.1 (SYNTHETIC data), after the session's
night on the bundled snapshot: the first pulls each feed, the second asks only for what changed
(counted in requests), a deletion is reconciled, `crisis_watch` is published, and no ACLED row
reaches the published marts (DuckDB file and Parquet)."""
from __future__ import annotations

import time
from datetime import date, timedelta

import duckdb
import pytest

from ingestion.feeds import acled as acled_module
from ingestion.pipeline import run_all
from ingestion.settings import Paths
from tests.reliability.harness import copy_data, env, write_registry
from tests.support.feeds_servers import FeedServer, acled_event, parline_election, reliefweb_report, ucdp_event

pytestmark = pytest.mark.slow
FEEDS = ("acled_events", "ucdp_ged", "reliefweb_reports", "parline_elections")
PATHS = {"acled_events": "/api/", "ucdp_ged": "/api/gedevents", "reliefweb_reports": "/v2/reports",
         "parline_elections": "/v1/elections"}


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def _requests(server: FeedServer) -> dict[str, int]:
    counts = {feed: sum(1 for _, path, _ in server.hits if path.startswith(prefix) and
                        not (feed == "acled_events" and path.startswith("/api/gedevents")))
              for feed, prefix in PATHS.items()}
    counts["acled_events"] += server.count("/oauth/token")
    return counts


def _watch(paths: Paths) -> dict:
    con = duckdb.connect(str(paths.marts), read_only=True)
    try:
        cursor = con.execute("select * from crisis_watch where country_iso3 = 'KGZ' and listed_by like '%parline%'")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    assert len(rows) == 1, f"the synthetic Parline election is not in crisis_watch: {rows}"
    return rows[0]


def _acled_ids_in_published(paths: Paths, ids: set[str]) -> list[str]:
    found = []
    con = duckdb.connect(str(paths.marts), read_only=True)
    try:
        columns = con.execute("select table_name, column_name from information_schema.columns "
                              "where table_schema = 'main'").fetchall()
        pattern = "|".join(sorted(ids))
        for table, column in columns:
            if con.execute(f'select count(*) from "{table}" where regexp_matches(cast("{column}" as varchar), ?)',
                           [pattern]).fetchone()[0]:
                found.append(f"{table}.{column}")
        for parquet in paths.marts_parquet.rglob("*.parquet"):
            if con.execute("select count(*) from read_parquet(?) as p where regexp_matches(cast(p as varchar), ?)",
                           [str(parquet), pattern]).fetchone()[0]:
                found.append(str(parquet))
    finally:
        con.close()
    return found


def test_two_nights_with_every_feed(snapshot_night, tmp_path):
    paths = copy_data(snapshot_night.paths, tmp_path / "data")
    now = int(time.time())
    election = _day(20)
    server = FeedServer(
        acled_events=[acled_event(1, day=_day(18), timestamp=now - 30, event_type="Riots", fatalities=2),
                      acled_event(2, day=_day(17), timestamp=now - 20),
                      acled_event(3, day=_day(25), timestamp=now - 10)],  # before election day: not a signal
        ucdp_versions={"25.1": [ucdp_event(11, day=_day(16), best=1, low=1, high=2, country_id=703)]},
        reports=[reliefweb_report(901, changed=f"{_day(15)}T08:00:00+00:00", original=f"{_day(15)}T00:00:00+00:00",
                                  html="<p>Synthetic report. The ministry said 14 people were injured in the "
                                       "clashes outside the electoral commission.</p>")],
        elections=[parline_election("KG-LC01", election)])
    feeds = {feed: {"enabled": True, "allowed_schemes": ["https", "http"], "timeout_seconds": 5.0} for feed in FEEDS}
    registry = write_registry(tmp_path / "sources.yml", feeds)
    acled_module._TOKENS.clear()
    with server, env(ECW_REGISTRY=str(registry), ECW_DATA_DIR=None, ECW_ACLED_BASE_URL=server.base,
                     ECW_UCDP_BASE_URL=server.base, ECW_RELIEFWEB_BASE_URL=server.base,
                     ECW_PARLINE_BASE_URL=server.base, ECW_ACLED_USERNAME=server.acled_user,
                     ECW_ACLED_PASSWORD=server.acled_password, ECW_UCDP_TOKEN=server.ucdp_token,
                     ECW_RELIEFWEB_APPNAME=server.appname):
        first = run_all(date.today().isoformat(), paths, echo=lambda _: None)
        night1 = _requests(server)
        watch1 = _watch(paths)

        server.hits.clear()
        server.acled_events.append(acled_event(4, day=_day(2), timestamp=int(time.time()) + 5, fatalities=1))
        server.acled_deletions.append({"event_id_cnty": "SYN00002", "deleted_timestamp": str(int(time.time()) + 6)})
        second = run_all(date.today().isoformat(), paths, echo=lambda _: None)
        night2 = _requests(server)
        watch2 = _watch(paths)
    acled_module._TOKENS.clear()

    assert first["run_id"] != second["run_id"]
    assert all(night1[feed] >= 1 for feed in FEEDS), night1
    # the second night: ACLED one page of changes and one of deletions (the token is reused), UCDP only
    # the days after those pulled, ReliefWeb one page since its cursor, Parline the whole calendar again
    assert night2["acled_events"] == 2 and night2["reliefweb_reports"] == 1, night2
    assert night2["ucdp_ged"] <= 1 and night2["parline_elections"] == night1["parline_elections"], night2
    assert sum(night2.values()) < sum(night1.values()), (night1, night2)

    assert watch1["election_date"].isoformat() == election
    assert (watch1["acled_riot_events"], watch1["acled_protest_events"], watch1["acled_fatalities"]) == (1, 1, 2)
    assert watch1["ucdp_events"] == 1 and watch1["casualty_injured_reported"] == 14
    # event 2 deleted, event 4 added: one protest still, fatalities 2 + 1
    assert (watch2["acled_riot_events"], watch2["acled_protest_events"], watch2["acled_fatalities"]) == (1, 1, 3)
    assert watch2["acled_attribution"] and "ACLED" in watch2["acled_attribution"]
    assert _acled_ids_in_published(paths, {f"SYN{n:05d}" for n in range(1, 5)}) == []
