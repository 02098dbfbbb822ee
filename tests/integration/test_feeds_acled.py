"""ACLED over real HTTP on 127.0.0.1: OAuth, paging, incremental nights, deletions, faults."""
from __future__ import annotations

import json
import logging
import time

import pytest

from ingestion.extract import extract_source
from ingestion.feeds import acled as acled_module
from ingestion.feeds.base import read_state
from ingestion.http_client import FetchError
from ingestion.loader import load_new_payloads
from ingestion.settings import Paths
from tests.integration.feeds_helpers import FAST, feed_registry, query
from tests.support.feeds_servers import FeedServer, acled_event

DAY = "2025-03-10"


@pytest.fixture(autouse=True)
def no_cached_tokens():
    acled_module._TOKENS.clear()
    yield
    acled_module._TOKENS.clear()


@pytest.fixture
def server():
    now = int(time.time())
    events = [acled_event(i, day=f"2025-03-0{1 + i % 8}", timestamp=now - 1000 + i, fatalities=i % 3)
              for i in range(7)]
    with FeedServer(acled_events=events) as srv:
        yield srv


def night(source, paths):
    outcome = extract_source(source, paths, DAY, FAST)
    loads = load_new_payloads([source], paths)
    return outcome, loads[0]


def test_first_night_pages_until_short_page_and_second_night_asks_only_for_changes(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    outcome, load = night(source, paths)
    # token + 3 event pages (3, 3, 1: the short page ends it); no deletions asked on a first pull
    assert [p for _, p, _ in server.hits] == ["/oauth/token"] + ["/api/acled/read"] * 3
    assert outcome.attempts == 4 and load.rows_loaded == 7 and not load.errors
    first_requests = len(server.hits)

    server.acled_events.append(acled_event(99, day="2025-03-09", timestamp=int(time.time()) + 5))
    server.hits.clear()
    outcome, load = night(source, paths)
    reads = [q for m, p, q in server.hits if p == "/api/acled/read"]
    assert len(reads) == 1 and reads[0]["timestamp_where"] == ">=" and int(reads[0]["timestamp"]) > 0
    assert [p for _, p, _ in server.hits].count("/api/deleted/read") == 1
    assert "/oauth/token" not in [p for _, p, _ in server.hits]  # the token is cached in memory
    assert len(server.hits) == 2 < first_requests
    assert load.rows_loaded == 2  # the new event and the boundary event (same timestamp as the cursor)
    assert query(paths, "select count(distinct event_id_cnty) from raw.acled_events")[0][0] == 8


def test_a_deletion_is_landed_and_loaded_for_staging_to_withdraw(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    night(source, paths)
    server.acled_deletions.append({"event_id_cnty": "SYN00003", "deleted_timestamp": str(int(time.time()) + 1)})
    _, load = night(source, paths)
    assert query(paths, "select event_id_cnty from raw.acled_deletions") == [("SYN00003",)]
    assert query(paths, "select status, pages from raw.loaded_pulls order by loaded_at") == [
        ("loaded", 3), ("loaded", 2)]


def test_expired_token_is_refreshed_and_a_refused_refresh_authenticates_again(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    server.token_lifetime = 1.0  # under the refresh margin: every token is refreshed before use
    night(source, paths)
    assert server.grants[0] == "password" and set(server.grants[1:]) == {"refresh_token"}
    server.refuse_refresh = True
    server.grants.clear()
    _, load = night(source, paths)
    assert server.grants[:2] == ["refresh_token", "password"]  # refused refresh -> authenticate again
    assert not load.errors
    assert read_state(paths, source.id).get("pull") is None


def test_403_is_a_clear_error_not_an_empty_result_and_the_secret_never_leaks(tmp_path, monkeypatch, server, caplog):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    server.acled_forbidden = True
    caplog.set_level(logging.DEBUG)
    with pytest.raises(FetchError, match=r"acled_events: /api/acled/read refused \(403\).*not an empty result") as info:
        extract_source(source, paths, DAY, FAST)
    assert load_new_payloads([source], paths)[0].rows_loaded == 0
    secrets = [server.acled_password, *[t for t in acled_module._TOKENS.get(source.id, {}).values() if isinstance(t, str)]]
    written = b"".join(p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file() and p.suffix != ".duckdb")
    for secret in secrets:
        assert secret not in str(info.value) and secret not in caplog.text
        assert secret.encode() not in written
    assert "acc-synthetic" not in caplog.text and b"acc-synthetic" not in written


def test_wrong_password_names_the_variables_not_their_values(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    monkeypatch.setenv("ECW_ACLED_PASSWORD", "wrong-password-synthetic")
    with pytest.raises(FetchError) as info:
        extract_source(source, Paths(tmp_path / "data"), DAY, FAST)
    assert "ECW_ACLED_PASSWORD" in str(info.value) and "wrong-password-synthetic" not in str(info.value)


def test_429_with_retry_after_is_honoured(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    server.throttle_once.add("/api/acled/read")
    outcome, load = night(source, Paths(tmp_path / "data"))
    assert load.rows_loaded == 7 and outcome.attempts == 5  # one extra attempt, counted


def test_a_killed_pull_resumes_at_its_next_page_and_loads_once(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    original = list(server.acled_events)
    # the first page answers, then the API goes down mid-pull
    calls = {"n": 0}
    real = acled_module.AcledAdapter.get

    def flaky(self, path, params):
        calls["n"] += 1
        if calls["n"] == 2:
            raise FetchError(f"source {self.source.id}: synthetic outage mid-pull")
        return real(self, path, params)

    monkeypatch.setattr(acled_module.AcledAdapter, "get", flaky)
    with pytest.raises(FetchError, match="synthetic outage"):
        extract_source(source, paths, DAY, FAST)
    assert load_new_payloads([source], paths)[0].rows_loaded == 0  # an incomplete pull loads nothing
    state = read_state(paths, source.id)
    assert state["pull"]["progress"]["page"] == 2
    server.hits.clear()
    extract_source(source, paths, DAY, FAST)
    pages = [int(q["page"]) for _, p, q in server.hits if p == "/api/acled/read"]
    assert pages == [2, 3]  # resumed, page 1 not asked again
    load = load_new_payloads([source], paths)[0]
    assert load.rows_loaded == len(original) == query(paths, "select count(*) from raw.acled_events")[0][0]


@pytest.mark.parametrize("fault, reason", [
    ({"event_type": "Sea incidents"}, "category we do not know"),
    ({"country": "Mediterranean Sea", "iso": "1001"}, "sea areas"),
    ({"event_date": "0025-03-01", "year": "0025"}, "before the provider's coverage"),
])
def test_drift_in_a_record_quarantines_it_with_the_reason(tmp_path, monkeypatch, server, fault, reason):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    server.acled_events[2].update(fault)
    _, load = night(source, Paths(tmp_path / "data"))
    assert load.rows_loaded == 6 and load.rows_quarantined == 1
    reasons = query(Paths(tmp_path / "data"), "select reason from raw.quarantine where source = 'acled_events'")
    assert reason in reasons[0][0]


def test_a_dropped_field_rejects_the_pull_and_an_added_one_loads_loudly(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["acled_events"]
    paths = Paths(tmp_path / "data")
    for event in server.acled_events:
        event["new_field"] = "x"
    _, load = night(source, paths)
    assert load.rows_loaded == 7 and any("new_field added upstream" in e for e in load.errors)
    assert query(paths, "select count(*) from raw.acled_events where json_extract_string(_extra, '$.new_field') = 'x'")[0][0] == 7
    for event in server.acled_events:
        event.pop("fatalities")
    server.acled_events.append(acled_event(50, day="2025-03-09", timestamp=int(time.time()) + 9))
    server.acled_events[-1].pop("fatalities")
    _, load = night(source, paths)
    assert load.rows_loaded == 0 and any("fatalities missing from all" in e for e in load.errors)
    assert query(paths, "select status from raw.loaded_pulls order by loaded_at desc limit 1") == [("rejected",)]
