"""What a publisher withdraws leaves the marts, and fct_record_history says when.

Synthetic payloads (ids `synthetic-*`, lists "Synthetic List *", URLs on example.org) go through
the real loader into a real DuckDB file, then a real `dbt build`. Payload A of every source is
fetched first; the newer payload B drops a bulletin, a decision, a result row and a statement,
renames a decision, changes a statement and serves a bulletin that is quarantined. Then the
publishers revert to A, and the observer mission then serves an empty file (withdraws nothing).
No `make clean` or any other reset happens between the steps.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from ingestion.landing import ManifestRow, append_manifest, write_payload
from ingestion.derive import derive_figures
from ingestion.loader import load_new_payloads
from ingestion.registry import Source
from ingestion.settings import Paths
from ingestion.transform import build

pytestmark = pytest.mark.slow

URL = "https://example.org/synthetic"
KEY = "KGZ-2020-PARL"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
A_AT, B_AT, REVERT_AT, EMPTY_AT = (START + timedelta(hours=h) for h in (0, 24, 48, 49))
SOURCES = {parser: Source(id=source_id, family=parser.split(".")[0], publisher="synthetic", url_template="",
                          format=fmt, parser=parser)
           for source_id, parser, fmt in (
               ("cec_elections", "election_commission.elections", "json"),
               ("cec_party_results", "election_commission.party_results", "csv"),
               ("cec_decisions", "election_commission.decisions", "json"),
               ("moh_bulletins", "health_ministry.bulletins", "json"),
               ("observer_statements", "observer_mission.statements", "json"))}


def _elections() -> bytes:
    return json.dumps({"elections": [{"election_key": KEY, "country": "Kyrgyzstan", "election_type": "parliamentary",
                                      "election_date": "2020-10-04", "source_url": URL}]}).encode()


def _results(lists: list[tuple[str, float]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["election_key", "list_name", "list_name_english", "votes", "vote_share_pct", "seats",
                     "declared_passed", "result_stage", "source_url"])
    for name, share in lists:
        writer.writerow([KEY, name, "", int(share * 100), share, "", "", "final", URL])
    return out.getvalue().encode()


def _decision(decision_id: str) -> dict:
    return {"decision_id": decision_id, "election_key": KEY, "decision_type": "annulment", "decided_on": "2020-10-06",
            "decided_by": "Synthetic Commission", "body_type": "election_commission", "scope": "full",
            "text": "Synthetic decision.", "source_url": URL}


def _bulletin(bulletin_id: str, text: str, published_at: str = "2020-10-06") -> dict:
    return {"bulletin_id": bulletin_id, "election_key": KEY, "authority": "Synthetic Ministry",
            "published_at": published_at, "timezone": "Asia/Bishkek", "language": "en", "text": text,
            "source_url": URL}


def _statement(statement_id: str, assessment: str) -> dict:
    return {"statement_id": statement_id, "election_key": KEY, "organization": "Synthetic Mission",
            "mission_type": "international", "statement_type": "preliminary", "published_on": "2020-10-05",
            "assessment": assessment, "text": "Synthetic findings.", "source_url": URL}


def payload_a() -> dict[str, bytes]:
    return {
        "election_commission.elections": _elections(),
        "election_commission.party_results": _results([("Synthetic List Kept", 40.0),
                                                       ("Synthetic List Withdrawn", 30.0)]),
        "election_commission.decisions": json.dumps({"decisions": [
            _decision("synthetic-decision-kept"), _decision("synthetic-decision-withdrawn"),
            _decision("synthetic-decision-old-id")]}).encode(),
        "health_ministry.bulletins": json.dumps({"bulletins": [
            _bulletin("synthetic-bulletin-kept", "Synthetic bulletin: 3 people died and 40 were injured."),
            _bulletin("synthetic-bulletin-withdrawn", "Synthetic bulletin: 5 people died."),
            _bulletin("synthetic-bulletin-quarantined", "Synthetic bulletin: 7 people were injured.")]}).encode(),
        "observer_mission.statements": json.dumps({"statements": [
            _statement("synthetic-statement-kept", "Synthetic verdict, first wording."),
            _statement("synthetic-statement-withdrawn", "Synthetic verdict.")]}).encode(),
    }


def payload_b() -> dict[str, bytes]:
    return {
        "election_commission.elections": _elections() + b"\n",  # new bytes, same facts
        "election_commission.party_results": _results([("Synthetic List Kept", 40.0)]),
        "election_commission.decisions": json.dumps({"decisions": [
            _decision("synthetic-decision-kept"), _decision("synthetic-decision-new-id")]}).encode(),
        "health_ministry.bulletins": json.dumps({"bulletins": [
            _bulletin("synthetic-bulletin-kept", "Synthetic bulletin: 3 people died and 40 were injured."),
            _bulletin("synthetic-bulletin-quarantined", "Synthetic bulletin: 9 people were injured.",
                      published_at="2099-01-01")]}).encode(),
        "observer_mission.statements": json.dumps({"statements": [
            _statement("synthetic-statement-kept", "Synthetic verdict, second wording.")]}).encode(),
    }


def land(paths: Paths, bodies: dict[str, bytes], fetched_at: datetime) -> dict[str, str]:
    """Land one payload per source as the extract task would; returns the sha per source id."""
    shas = {}
    for parser, body in bodies.items():
        source = SOURCES[parser]
        sha, path = write_payload(paths.landing, source.id, fetched_at.date().isoformat(), body, source.format)
        append_manifest(paths.landing, ManifestRow(
            source=source.id, url=URL, fetched_at=fetched_at.isoformat(), logical_date=fetched_at.date().isoformat(),
            http_status=200, etag=None, last_modified=None, sha256=sha, bytes=len(body),
            path=str(path.relative_to(paths.landing))))
        shas[source.id] = sha
    return shas


def load_and_build(paths: Paths) -> None:
    outcomes = load_new_payloads(list(SOURCES.values()), paths)
    assert all(o.payloads_loaded >= 1 and not o.errors for o in outcomes), outcomes
    derive_figures(paths)
    build(paths, echo=None)


def column(paths: Paths, sql: str) -> set:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return {r[0] for r in con.execute(sql).fetchall()}
    finally:
        con.close()


def history(paths: Paths) -> dict[tuple[str, str], dict]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        cursor = con.execute("select * from marts.fct_record_history")
        names = [d[0] for d in cursor.description]
        return {(r["entity"], r["record_key"]): r for r in (dict(zip(names, row)) for row in cursor.fetchall())}
    finally:
        con.close()


def current_marts(paths: Paths) -> dict[str, set]:
    return {
        "bulletins": column(paths, "select bulletin_id from marts.fct_casualty_reports"),
        "decisions": column(paths, "select decision_id from marts.fct_annulments"),
        "lists": column(paths, "select list_name_original from marts.fct_threshold_results"),
        "statements": column(paths, "select statement_id from marts.fct_observer_findings"),
    }


WITHDRAWN_IN_B = [("casualty_bulletins", "synthetic-bulletin-withdrawn"), ("decisions", "synthetic-decision-withdrawn"),
                  ("decisions", "synthetic-decision-old-id"), ("party_results", f"{KEY} | Synthetic List Withdrawn"),
                  ("observer_statements", "synthetic-statement-withdrawn")]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """A and B loaded and built, then the revert to A loaded and built: each step's marts."""
    paths = Paths(tmp_path_factory.mktemp("withdraw") / "data")
    shas_a = land(paths, payload_a(), A_AT)
    load_and_build(paths)
    shas_b = land(paths, payload_b(), B_AT)
    load_and_build(paths)
    after_b = {"marts": current_marts(paths), "history": history(paths),
               "figures": column(paths, "select evidence from marts.fct_casualty_reports"),
               "assessment": column(paths, "select assessment from marts.fct_observer_findings")}
    land(paths, payload_a(), REVERT_AT)
    land(paths, {"observer_mission.statements": b'{"statements": []}'}, EMPTY_AT)
    load_and_build(paths)
    reverted = {"marts": current_marts(paths), "history": history(paths)}
    return {"a": shas_a, "b": shas_b, "after_b": after_b, "reverted": reverted}


def test_records_missing_from_the_newer_payload_leave_the_current_marts(nights):
    marts = nights["after_b"]["marts"]
    assert marts["bulletins"] == {"synthetic-bulletin-kept", "synthetic-bulletin-quarantined"}
    assert marts["decisions"] == {"synthetic-decision-kept", "synthetic-decision-new-id"}
    assert marts["lists"] == {"Synthetic List Kept"}
    assert marts["statements"] == {"synthetic-statement-kept"}
    assert nights["after_b"]["assessment"] == {"Synthetic verdict, second wording."}


@pytest.mark.parametrize("entity,key", WITHDRAWN_IN_B, ids=lambda v: str(v))
def test_withdrawn_record_stays_in_history_with_the_newer_payloads_fetch_time(nights, entity, key):
    row = nights["after_b"]["history"][(entity, key)]
    assert row["is_current"] is False
    assert row["withdrawn_at"] == B_AT
    assert row["first_seen_at"] == row["last_seen_at"] == A_AT
    assert row["last_payload_sha256"] == nights["a"][row["source"]]
    assert row["election_key"] == KEY


def test_a_renamed_record_shows_only_the_new_key(nights):
    rows = nights["after_b"]["history"]
    assert rows[("decisions", "synthetic-decision-new-id")]["is_current"] is True
    assert rows[("decisions", "synthetic-decision-new-id")]["first_seen_at"] == B_AT
    assert "synthetic-decision-old-id" not in nights["after_b"]["marts"]["decisions"]


def test_a_record_quarantined_in_the_newer_payload_keeps_its_last_good_copy(nights):
    assert any("7 people were injured" in e for e in nights["after_b"]["figures"])
    assert not any("9 people" in e for e in nights["after_b"]["figures"])
    row = nights["after_b"]["history"][("casualty_bulletins", "synthetic-bulletin-quarantined")]
    assert row["is_current"] is True and row["withdrawn_at"] is None
    assert row["last_held_as"] == "quarantined" and row["last_payload_sha256"] == nights["b"]["moh_bulletins"]
    assert row["last_seen_at"] == B_AT


def test_records_held_by_both_payloads_stay_current(nights):
    rows = nights["after_b"]["history"]
    for entity, key in [("casualty_bulletins", "synthetic-bulletin-kept"), ("elections", KEY),
                        ("party_results", f"{KEY} | Synthetic List Kept"),
                        ("observer_statements", "synthetic-statement-kept")]:
        row = rows[(entity, key)]
        assert (row["is_current"], row["withdrawn_at"], row["last_seen_at"], row["last_held_as"]) == \
            (True, None, B_AT, "loaded"), (entity, key, row)


def test_a_publisher_reverting_to_the_older_payload_brings_the_withdrawn_records_back(nights):
    marts, rows = nights["reverted"]["marts"], nights["reverted"]["history"]
    assert marts["bulletins"] == {"synthetic-bulletin-kept", "synthetic-bulletin-withdrawn",
                                  "synthetic-bulletin-quarantined"}
    assert marts["decisions"] == {"synthetic-decision-kept", "synthetic-decision-withdrawn",
                                  "synthetic-decision-old-id"}
    assert marts["lists"] == {"Synthetic List Kept", "Synthetic List Withdrawn"}
    assert marts["statements"] == {"synthetic-statement-kept", "synthetic-statement-withdrawn"}
    for entity, key in WITHDRAWN_IN_B:
        row = rows[(entity, key)]
        assert (row["is_current"], row["withdrawn_at"], row["last_seen_at"]) == (True, None, REVERT_AT), (entity, key)
    renamed = rows[("decisions", "synthetic-decision-new-id")]
    assert (renamed["is_current"], renamed["withdrawn_at"]) == (False, REVERT_AT)


def test_an_empty_payload_withdraws_nothing(nights):
    """A file with no record at all is a broken export far more often than a retraction of everything."""
    marts, rows = nights["reverted"]["marts"], nights["reverted"]["history"]
    assert marts["statements"] == {"synthetic-statement-kept", "synthetic-statement-withdrawn"}
    row = rows[("observer_statements", "synthetic-statement-kept")]
    assert (row["is_current"], row["withdrawn_at"], row["last_seen_at"]) == (True, None, REVERT_AT)
