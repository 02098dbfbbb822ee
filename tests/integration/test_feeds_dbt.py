"""The feeds' staging models on a real warehouse: dbt build over pulls from the local servers."""
from __future__ import annotations

import re
import time

from ingestion.extract import extract_source
from ingestion.feeds import acled as acled_module
from ingestion.loader import load_new_payloads
from ingestion.settings import DBT_PROJECT_DIR, Paths
from tests.integration.feeds_helpers import FAST, dbt_build, feed_registry, models_only_project, query
from tests.support.feeds_servers import FeedServer, acled_event, parline_election, reliefweb_report, ucdp_event

MODELS = ["countries", "country_codes", "stg_acled__event_status", "stg_acled__events",
          "int_acled__election_window_aggregates", "stg_ucdp__events", "stg_reliefweb__reports", "stg_parline__elections"]


def test_staging_keeps_one_current_copy_withdraws_deletions_and_aggregates_acled(tmp_path, monkeypatch):
    acled_module._TOKENS.clear()
    now = int(time.time())
    events = [acled_event(i, day="2025-03-02", timestamp=now - 100 + i, fatalities=1) for i in range(4)]
    events.append(acled_event(10, day="2025-03-03", timestamp=now - 50, event_type="Riots", fatalities=2))
    server = FeedServer(
        acled_events=events,
        ucdp_versions={"25.1": [ucdp_event(5, day="2025-02-06", best=4, high=6)],
                       "26.0.1": [ucdp_event(5, day="2025-02-06", best=7, high=9), ucdp_event(6, day="2025-03-01", best=1)]},
        reports=[reliefweb_report(i, changed=f"2025-03-0{i}T10:00:00+00:00", html="<p>Synthetic.</p>") for i in (1, 2, 3)],
        elections=[parline_election("KG-LC01", "2025-11-30"), parline_election("GE-LC01", "2024-10-26")])
    with server:
        sources = feed_registry(tmp_path, monkeypatch, server)
        paths = Paths(tmp_path / "data")
        for source in sources.values():
            extract_source(source, paths, "2025-03-10", FAST)
        load_new_payloads(list(sources.values()), paths)
        # the next night: one event changed (more fatalities), one deleted
        server.acled_events[1] = {**server.acled_events[1], "fatalities": "5", "timestamp": str(now + 10)}
        server.acled_deletions.append({"event_id_cnty": "SYN00002", "deleted_timestamp": str(now + 20)})
        extract_source(sources["acled_events"], paths, "2025-03-11", FAST)
        load_new_payloads(list(sources.values()), paths)
    acled_module._TOKENS.clear()

    # the feeds' models in a copy of the project holding only them
    dbt_build(models_only_project(tmp_path, MODELS), paths, MODELS)

    aggregates = query(paths, "select country_iso3, event_date::varchar, event_type, events, fatalities "
                              "from intermediate.int_acled__election_window_aggregates order by 2, 3")
    # 4 protests on 03-02, SYN00002 deleted, SYN00001 changed to 5 fatalities: 3 events, 1 + 5 + 1
    assert aggregates == [("KGZ", "2025-03-02", "Protests", 3, 7), ("KGZ", "2025-03-03", "Riots", 1, 2)]
    assert query(paths, "select event_id_cnty, withdrawn_by from staging.stg_acled__event_status "
                        "where withdrawn_by is not null") == [("SYN00002", "deleted_endpoint")]
    ucdp = query(paths, "select ucdp_event_id, ucdp_version, deaths_best, revised_from_candidate "
                        "from staging.stg_ucdp__events order by 1")
    assert ucdp == [(5, "25.1", 4, True), (6, "26.0.1", 1, False)]
    assert query(paths, "select count(*) from staging.stg_reliefweb__reports")[0][0] == 3
    assert query(paths, "select election_code, country_iso2 from staging.stg_parline__elections order by 1") == [
        ("GE-LC01-E20241026", "GE"), ("KG-LC01-E20251130", "KG")]


def test_no_published_model_reads_acled_rows():
    """ACLED's terms: rows stay private. Only the aggregate model may read them; no mart reads the rows."""
    readers = []
    for path in (DBT_PROJECT_DIR / "models").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"ref\(\s*'stg_acled__\w+'\s*\)|source\(\s*'raw'\s*,\s*'acled_", text):
            readers.append(path.stem)
    assert sorted(readers) == ["int_acled__election_window_aggregates", "stg_acled__event_status", "stg_acled__events"]
    marts = [p for p in (DBT_PROJECT_DIR / "models" / "marts").rglob("*.sql")]
    assert marts and not any("stg_acled__" in p.read_text(encoding="utf-8") for p in marts)
