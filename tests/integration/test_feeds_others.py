"""UCDP GED, ReliefWeb and Parline over real HTTP on 127.0.0.1, and one night with all four feeds."""
from __future__ import annotations

import logging

import pytest

from ingestion.derive import derive_figures
from ingestion.extract import extract_source
from ingestion.feeds.base import read_state
from ingestion.http_client import FetchError
from ingestion.loader import load_new_payloads
from ingestion.settings import Paths
from tests.integration.feeds_helpers import FAST, feed_registry, query
from tests.support.feeds_servers import FeedServer, parline_election, reliefweb_report, ucdp_event

DAY = "2025-03-10"


@pytest.fixture
def server():
    stable = [ucdp_event(i, day=f"2025-02-0{1 + i}", best=i, high=i + 2) for i in range(1, 6)]
    # the candidate release holds event 5 again (revised) and one event the stable one lacks
    candidate = [ucdp_event(5, day="2025-02-06", best=7, high=9), ucdp_event(100, day="2025-03-01", best=3)]
    html = "<p>Synthetic report.</p><p>At least <b>3 people</b> died and 12 were injured.</p><script>x()</script>"
    reports = [reliefweb_report(i, changed=f"2025-03-0{i}T10:00:00+00:00", html=html) for i in range(1, 6)]
    elections = [parline_election("KG-LC01", "2025-11-30"), parline_election("KG-LC01", "2021-11-28"),
                 parline_election("GE-LC01", "2024-10-26")]
    with FeedServer(ucdp_versions={"25.1": stable, "26.0.1": candidate}, reports=reports, elections=elections) as srv:
        yield srv


def test_ucdp_follows_next_page_url_pulls_both_versions_and_asks_only_new_days_the_next_night(
        tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["ucdp_ged"]
    paths = Paths(tmp_path / "data")
    outcome = extract_source(source, paths, DAY, FAST)
    gets = [(p, q) for _, p, q in server.hits]
    assert [p for p, _ in gets] == ["/api/gedevents/25.1"] * 3 + ["/api/gedevents/26.0.1"]
    assert gets[1][1]["page"] == "1" and outcome.attempts == 4  # page 2 came from NextPageUrl
    load = load_new_payloads([source], paths)[0]
    assert load.rows_loaded == 7 and not load.errors
    assert query(paths, "select ucdp_version, count(*) from raw.ucdp_events group by 1 order by 1") == [
        ("25.1", 5), ("26.0.1", 2)]
    assert read_state(paths, source.id)["budget"]  # requests counted for today

    server.hits.clear()
    extract_source(source, paths, "2025-03-11", FAST)
    assert [(q["StartDate"], q["EndDate"]) for _, _, q in server.hits] == [("2025-03-11", "2025-03-11")] * 2


def test_ucdp_budget_counts_errors_and_a_spent_budget_stops_then_resumes(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server, {"ucdp_ged": {"params": {
        "versions": ["25.1", "26.0.1"], "page_size": 2, "daily_request_budget": 3}}})["ucdp_ged"]
    paths = Paths(tmp_path / "data")
    server.throttle_once.add("/api/gedevents/25.1")  # an error that counts
    with pytest.raises(FetchError, match=r"request budget of 3 is spent.*resumes"):
        extract_source(source, paths, DAY, FAST)
    assert len(server.hits) == 3
    state = read_state(paths, source.id)
    assert list(state["budget"].values()) == [3] and state["pull"]["progress"]["page"] == 2
    state["budget"] = {}  # a new UTC day
    from ingestion.feeds.base import write_state
    write_state(paths, source.id, state)
    server.hits.clear()
    extract_source(source, paths, DAY, FAST)
    assert [q.get("page") for _, _, q in server.hits] == ["2", "0"]  # resumed at page 3 of 25.1 via its URL
    assert load_new_payloads([source], paths)[0].rows_loaded == 7


def test_ucdp_refused_token_is_a_clear_error_without_the_token(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["ucdp_ged"]
    monkeypatch.setenv("ECW_UCDP_TOKEN", "bad-token-synthetic-777")
    with pytest.raises(FetchError, match=r"refused the access token: HTTP 401 .*; check ECW_UCDP_TOKEN") as info:
        extract_source(source, Paths(tmp_path / "data"), DAY, FAST)
    assert "bad-token-synthetic-777" not in str(info.value)


def test_ucdp_unknown_violence_type_and_gw_code_are_quarantined(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["ucdp_ged"]
    server.ucdp_versions["25.1"][0]["type_of_violence"] = 4
    server.ucdp_versions["25.1"][1]["country_id"] = 9999
    paths = Paths(tmp_path / "data")
    extract_source(source, paths, DAY, FAST)
    load = load_new_payloads([source], paths)[0]
    assert load.rows_quarantined == 2
    reasons = sorted(r for (r,) in query(paths, "select reason from raw.quarantine"))
    assert "Gleditsch-Ward" in reasons[0] and "type_of_violence '4'" in reasons[1]


def test_reliefweb_offsets_duplicates_count_drift_appname_and_html(tmp_path, monkeypatch, server, caplog):
    source = feed_registry(tmp_path, monkeypatch, server)["reliefweb_reports"]
    paths = Paths(tmp_path / "data")
    server.grow_reliefweb_after_first_page = [reliefweb_report(
        50, changed="2025-03-01T09:00:00+00:00", html="<p>Published while paging.</p>")]
    caplog.set_level(logging.DEBUG)
    extract_source(source, paths, DAY, FAST)
    offsets = [q for _, p, q in server.hits]
    assert all(q["appname"] == server.appname for q in offsets)  # appname on every call
    state = read_state(paths, source.id)["last_pull"]
    assert state["count_first"] == 5 and state["count_last"] == 6 and state["count_drifted"]
    # report 50 sorted before the offset: page 2 repeated report 2 and report 50 was skipped
    assert state["duplicates"] == 1 and state["reports"] == 5
    load = load_new_payloads([source], paths)[0]
    assert load.rows_loaded == 6  # every copy kept in raw; staging keeps one per id
    text = query(paths, "select body_text from raw.reliefweb_reports where report_id = '2'")[0][0]
    assert text == "Synthetic report.\nAt least 3 people died and 12 were injured."
    written = b"".join(p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file() and p.suffix != ".duckdb")
    assert server.appname.encode() not in written and server.appname not in caplog.text
    assert b"<redacted>" in written  # the API's echo of the appname in `href`
    first = derive_figures(paths)  # every copy (report 2 is on two pages) read: "At least 3 ... died", "12 ... injured"
    assert (first.reports_derived, first.report_figures, first.reports_reused) == (6, 12, 0), first

    # after the drift the cursor held: the next night reads the span again and finds report 50
    server.hits.clear()
    extract_source(source, paths, "2025-03-11", FAST)
    assert len(server.hits) == 3
    load_new_payloads([source], paths)
    assert query(paths, "select count(distinct report_id) from raw.reliefweb_reports")[0][0] == 6
    # the re-read page repeats report 1 unchanged: its figures are copied from the copy already read,
    # only report 50 (new, nothing to count) goes through the extractor
    second = derive_figures(paths)
    assert (second.reports_derived, second.reports_reused, second.report_figures) == (1, 1, 2), second
    figures = query(paths, "select _payload_sha256, metric, value, qualifier, evidence from "
                           "derived.reliefweb_casualty_figures where report_id = '1' order by all")
    assert len(figures) == 4 and [f[1:] for f in figures[:2]] == [f[1:] for f in figures[2:]]
    assert query(paths, "select status from derived.reliefweb_derivations where report_id = '50'") == [("no_figure",)]
    server.hits.clear()
    extract_source(source, paths, "2025-03-12", FAST)
    assert len(server.hits) == 1  # no drift last time: one page of what changed since the cursor


def test_reliefweb_refused_appname(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["reliefweb_reports"]
    monkeypatch.setenv("ECW_RELIEFWEB_APPNAME", "not-approved-synthetic")
    with pytest.raises(FetchError, match="refused the appname") as info:
        extract_source(source, Paths(tmp_path / "data"), DAY, FAST)
    assert "not-approved-synthetic" not in str(info.value)


def test_parline_pages_by_links_next_and_keeps_scheduled_elections(tmp_path, monkeypatch, server):
    source = feed_registry(tmp_path, monkeypatch, server)["parline_elections"]
    paths = Paths(tmp_path / "data")
    extract_source(source, paths, DAY, FAST)
    assert len(server.hits) == 2
    load_new_payloads([source], paths)
    assert query(paths, "select election_code, election_date_from from raw.parline_elections order by 1") == [
        ("GE-LC01-E20241026", "2024-10-26"), ("KG-LC01-E20211128", "2021-11-28"), ("KG-LC01-E20251130", "2025-11-30")]


def test_one_feed_down_fails_alone_and_the_others_load(tmp_path, monkeypatch, server):
    sources = feed_registry(tmp_path, monkeypatch, server)
    paths = Paths(tmp_path / "data")
    server.always_500.add("/v1/elections")
    errors = {}
    for source_id in ("ucdp_ged", "reliefweb_reports", "parline_elections"):
        try:
            extract_source(sources[source_id], paths, DAY, FAST)
        except FetchError as exc:
            errors[source_id] = str(exc)
    assert list(errors) == ["parline_elections"] and "giving up" in errors["parline_elections"]
    loads = {o.source: o for o in load_new_payloads(list(sources.values()), paths)}
    assert loads["ucdp_ged"].rows_loaded == 7 and loads["reliefweb_reports"].rows_loaded == 5
    assert loads["parline_elections"].rows_loaded == 0 and not loads["parline_elections"].errors
