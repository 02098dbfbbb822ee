"""Bad records and schema drift on the night of bad input (tests/reliability/bad_payloads.py).

Each bad record must land in raw.quarantine with its source, payload hash, record and reason (a
bulletin that loads but gives no figure: in derived.derivation_issues, with the same);
none may reach a mart (neither the marts dbt builds in the warehouse nor the published ones);
records in = records loaded + records quarantined, payload by payload; a dropped or renamed
required column fails its source with a message naming the column, and the run goes on.
"""
from __future__ import annotations

import json
import re

import pytest

from ingestion.run_status import last_run
from tests.reliability.bad_payloads import BAD, PAYLOADS, Bad, sha_of
from tests.reliability.harness import (FILES, SNAPSHOT_DIR, accounting, landed, marts_digest, query, records_in,
                                       snapshot_records, tables_containing)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def _quarantined(paths, bad: Bad) -> list[tuple]:
    if bad.kept_in == "derived.derivation_issues":  # loaded as sent; the derive stage read no figure from it
        rows = query(paths.warehouse, "select i._payload_sha256, b._record_locator, i.reason, "
                                      "json_object('bulletin_id', b.bulletin_id)::varchar "
                                      "from derived.derivation_issues as i join raw.casualty_bulletins as b "
                                      "using (bulletin_id, _payload_sha256) where b._source = ? and i._payload_sha256 = ?",
                     [bad.source, sha_of(bad.source, bad.payload)])
    else:
        rows = query(paths.warehouse, "select payload_sha256, record_locator, reason, record from raw.quarantine "
                                      "where source = ? and payload_sha256 = ?", [bad.source, sha_of(bad.source, bad.payload)])
    found = []
    for sha, locator, reason, record in rows:
        data = json.loads(record) if record else None
        if bad.locate and not (isinstance(data, dict) and all(data.get(k) == v for k, v in bad.locate.items())):
            continue
        if re.search(bad.reason, reason):
            found.append((sha, locator, reason, data))
    return found


@pytest.mark.parametrize("bad", BAD, ids=lambda b: f"{b.source}: {b.kind}")
def test_bad_record_is_quarantined_with_source_payload_record_and_reason(bad, bad_night, baseline, reliability):
    paths = bad_night.paths
    found = _quarantined(paths, bad)
    sha = sha_of(bad.source, bad.payload)
    body = next(p.body for p in PAYLOADS[bad.source] if p.label == bad.payload)
    kept = accounting(paths, bad.source, sha, body)
    consistent = marts_digest(paths.marts) == baseline.marts
    reliability("schema drift" if "column" in bad.kind else "bad record", f"{bad.kind} ({bad.source})", survived=len(found) == bad.records, lost=kept["lost"],
                quarantined=len(found) if bad.locate else kept["quarantined"], consistent=consistent,
                detail=found[0][2] if found else "")
    assert len(found) == bad.records, f"expected {bad.records} quarantined matching {bad.locate} /{bad.reason}/: {found}"
    _, locator, reason, record = found[0]
    assert locator == "payload" if not bad.locate else re.match(r"^(\w+\[\d+\]|line \d+)$", locator), locator
    if not bad.locate:
        assert isinstance(record, str) and body.decode("utf-8", "replace").startswith(record[:200])
    assert kept["lost"] == 0, kept
    assert consistent


def test_records_in_equal_records_loaded_plus_quarantined(bad_night):
    paths = bad_night.paths
    for source in PAYLOADS:
        for sha, body in landed(paths, source):
            kept = accounting(paths, source, sha, body)
            assert kept["lost"] == 0, (source, sha[:12], kept)
            assert kept["status"] == ("rejected" if kept["rejected"] else "loaded"), (source, kept)


def test_no_bad_record_reaches_a_mart(bad_night, baseline):
    paths = bad_night.paths
    stages = last_run(paths)["stages"]
    assert stages["transform"]["status"] == "ok", "dbt built the marts from what the loader kept"
    assert "publish" not in stages, "the gate stopped the publish (tests/reliability/test_gate_injection.py)"
    assert marts_digest(paths.marts) == baseline.marts, "the published marts are the previous ones"
    for database, schema in ((paths.marts, "main"), (paths.warehouse, "marts")):
        hits = tables_containing(database, schema, "synthetic")
        assert [hit for hit in hits if not hit.endswith(".fct_record_history")] == [], "an injected record reached a mart"
    # the history lists what publishers sent: a bulletin with no readable figure loads as sent (its
    # figures never exist, derived.derivation_issues says why); nothing else injected is there
    in_history = {r[0] for r in query(paths.warehouse, "select record_key from marts.fct_record_history "
                                                       "where record_key ilike '%synthetic%'")}
    unreadable = {r[0] for r in query(paths.warehouse, "select bulletin_id from derived.derivation_issues")}
    assert in_history <= unreadable, f"injected records in fct_record_history: {sorted(in_history - unreadable)}"
    assert f"{paths.warehouse.name}:raw.quarantine" in tables_containing(paths.warehouse, "raw", "synthetic"), \
        "the scan finds the injected records where they are"


def test_added_column_is_kept_in_raw(bad_night, reliability):
    paths = bad_night.paths
    elections = query(paths.warehouse, "select count(*), count(*) filter (where _extra->>'publisher_note' = "
                                       "'synthetic extra field') from raw.elections where _payload_sha256 = ?",
                      [sha_of("cec_elections", "main")])
    results = query(paths.warehouse, "select count(*), count(*) filter (where _extra->>'notes' = "
                                     "'synthetic extra column') from raw.party_results where _payload_sha256 = ?",
                    [sha_of("cec_party_results", "main")])
    real_results = records_in("cec_party_results", (SNAPSHOT_DIR / FILES["cec_party_results"][0]).read_bytes())
    expected = [(len(snapshot_records("cec_elections")),) * 2], [(real_results, real_results)]
    reliability("schema drift", "added column, kept in raw _extra (cec_elections, cec_party_results)", injected=2,
                survived=(elections, results) == expected, detail=f"{elections[0][1]} + {results[0][1]} rows keep it")
    assert (elections, results) == expected


DRIFT = [("cec_elections", "renamed", "election_date"), ("cec_party_results", "dropped", "seats"),
         ("cec_party_results", "renamed", "votes"), ("observer_statements", "dropped", "organization")]


@pytest.mark.parametrize("source,label,column", DRIFT, ids=lambda v: str(v))
def test_dropped_or_renamed_required_column_fails_that_source_naming_it(source, label, column, bad_night):
    """Recorded in the table by the quarantine test above; here: the load stage names the failure."""
    paths, load = bad_night.paths, bad_night.load
    sha = sha_of(source, label)
    errors = [e for e in load[source]["errors"] if sha[:12] in e]
    stages = last_run(paths)["stages"]
    assert len(errors) == 1 and errors[0].startswith(f"source {source}: payload {sha[:12]} rejected"), load[source]
    assert re.search(rf"\b{column}\b", errors[0]), errors[0]
    assert stages["load"]["status"] == "failed" and errors[0] in stages["load"]["errors"]
    assert load[source]["rows_loaded"] > 0, "the source's next, well-formed payload still loaded"
    assert stages["transform"]["status"] == "ok", "the run went on with the other sources and the last good data"
