"""ACLED's full reconcile withdraws what the deleted endpoint missed: real pulls from the local ACLED
server (SYNTHETIC events, labelled so by tests/support/feeds_servers.py), real loads, real dbt builds.

Nights (full_reconcile_days 7): 03-10 full, 03-17 full, 03-24 full but rejected, 03-25 incremental,
03-31 full asking for Kyrgyzstan only.
"""
from __future__ import annotations

import time

from ingestion.extract import extract_source
from ingestion.feeds import acled as acled_module
from ingestion.loader import load_new_payloads
from ingestion.settings import Paths
from tests.integration.feeds_helpers import ENTRIES, FAST, dbt_build, feed_registry, models_only_project, query
from tests.support.feeds_servers import FeedServer, acled_event

MODELS = ["countries", "country_codes", "stg_acled__event_status", "stg_acled__events",
          "int_acled__election_window_aggregates"]
A, B, C, D, K1, K2, OLD = "SYN00001", "SYN00002", "SYN00003", "SYN00004", "SYN00011", "SYN00012", "SYN00020"


def current(paths) -> list[str]:
    return [r[0] for r in query(paths, "select event_id_cnty from staging.stg_acled__events order by 1")]


def withdrawn(paths) -> list[tuple]:
    """(event, why, by which pull) of every withdrawn event; the pull as its logical date."""
    return query(paths, "select event_id_cnty, withdrawn_by, left(withdrawn_by_pull_id, 10) "
                        "from staging.stg_acled__event_status where withdrawn_by is not null order by 1")


def aggregates(paths) -> list[tuple]:
    return query(paths, "select country_iso3, event_date::varchar, event_type, events, fatalities "
                        "from intermediate.int_acled__election_window_aggregates order by 1, 2, 3")


def test_a_full_reconcile_withdraws_events_it_no_longer_sees_and_nothing_else(tmp_path, monkeypatch):
    acled_module._TOKENS.clear()
    now = int(time.time())
    kaz = {"country": "Kazakhstan", "iso": "398"}
    events = [acled_event(1, day="2025-03-02", timestamp=now - 90, fatalities=1),
              acled_event(2, day="2025-03-02", timestamp=now - 80, fatalities=2),
              acled_event(3, day="2025-03-03", timestamp=now - 70, event_type="Riots", fatalities=3),
              acled_event(4, day="2025-03-05", timestamp=now - 60),
              acled_event(11, day="2025-03-04", timestamp=now - 50, fatalities=1, **kaz),
              acled_event(12, day="2025-03-04", timestamp=now - 40, event_type="Riots", **kaz),
              acled_event(20, day="2024-11-15", timestamp=now - 30)]  # in the first window only
    server = FeedServer(acled_events=events)
    paths = Paths(tmp_path / "data")
    project = models_only_project(tmp_path, MODELS)
    by_id = {e["event_id_cnty"]: e for e in events}

    def serve(*ids: str) -> None:
        server.acled_events[:] = [by_id[i] for i in ids]

    def night(day: str, source=None) -> str:
        source = source or feed_registry(tmp_path, monkeypatch, server)["acled_events"]
        extract_source(source, paths, day, FAST)
        load_new_payloads([source], paths)
        return query(paths, "select status || ' ' || json_extract_string(plan, '$.mode') from raw.loaded_pulls "
                            "order by loaded_at desc limit 1")[0][0]

    with server:
        assert night("2025-03-10") == "loaded full"
        dbt_build(project, paths, MODELS)
        assert current(paths) == [A, B, C, D, K1, K2, OLD]
        assert ("KGZ", "2025-03-02", "Protests", 2, 3) in aggregates(paths)

        # 03-17: B gone without a deletion record; Kazakhstan answers nothing (an outage, not 2 deletions);
        # D's record drifts (quarantined, so still seen); OLD is now before the window
        by_id[D] = {**by_id[D], "event_type": "Sea incidents"}
        serve(A, C, D, OLD)
        assert night("2025-03-17") == "loaded full"
        assert query(paths, "select count(*) from raw.quarantine where source = 'acled_events'")[0][0] == 1
        assert server.acled_deletions == []
        dbt_build(project, paths, MODELS)
        assert current(paths) == [A, C, D, K1, K2, OLD]
        assert withdrawn(paths) == [(B, "full_reconcile", "2025-03-17")]
        assert aggregates(paths) == [
            ("KAZ", "2025-03-04", "Protests", 1, 1), ("KAZ", "2025-03-04", "Riots", 1, 0),
            ("KGZ", "2024-11-15", "Protests", 1, 0), ("KGZ", "2025-03-02", "Protests", 1, 1),  # B's 1 event, 2 dead out
            ("KGZ", "2025-03-03", "Riots", 1, 3), ("KGZ", "2025-03-05", "Protests", 1, 0)]

        # 03-24: a full pull without C is rejected (a modelled field dropped upstream): it withdraws nothing
        server.acled_events[:] = [{k: v for k, v in by_id[i].items() if k != "fatalities"} for i in (A, D, K1, K2)]
        assert night("2025-03-24") == "rejected full"

        # 03-25 (incremental): B re-published with a new timestamp comes back, its copy newer than 03-17's pull
        by_id[B] = {**by_id[B], "timestamp": str(now + 100)}
        serve(A, B, D, K1, K2)
        assert night("2025-03-25") == "loaded incremental"
        dbt_build(project, paths, MODELS)
        assert current(paths) == [A, B, C, D, K1, K2, OLD] and withdrawn(paths) == []
        assert ("KGZ", "2025-03-02", "Protests", 2, 3) in aggregates(paths)

        # 03-31: a full pull asking for Kyrgyzstan only withdraws C (absent since 03-24) and no Kazakh event
        server.acled_events.remove(by_id[K1])
        server.hits.clear()
        entry = ENTRIES["acled_events"]
        kyrgyzstan_only = feed_registry(tmp_path, monkeypatch, server, {"acled_events": {
            "params": {**entry["params"], "countries": ["Kyrgyzstan"]}}})["acled_events"]
        assert night("2025-03-31", kyrgyzstan_only) == "loaded full"
        assert {q.get("country") for _, p, q in server.hits if p == "/api/acled/read"} == {"Kyrgyzstan"}
    acled_module._TOKENS.clear()

    dbt_build(project, paths, MODELS)
    assert current(paths) == [A, B, D, K1, K2, OLD]
    assert withdrawn(paths) == [(C, "full_reconcile", "2025-03-31")]
    assert aggregates(paths) == [
        ("KAZ", "2025-03-04", "Protests", 1, 1), ("KAZ", "2025-03-04", "Riots", 1, 0),
        ("KGZ", "2024-11-15", "Protests", 1, 0), ("KGZ", "2025-03-02", "Protests", 2, 3),
        ("KGZ", "2025-03-05", "Protests", 1, 0)]
