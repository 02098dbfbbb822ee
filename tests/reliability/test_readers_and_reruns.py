"""Readers during the nightly, the same logical date run twice, and a backfill of an earlier date
(steps 4 to 6 of tests/reliability/long_night.py).

Three reader processes open data/marts.duckdb read-only in a loop while a run loads new
payloads, rebuilds and publishes, and while the marts are republished a few more times. Each
read takes counts and the publication id in one connection; every one must match a version
that was actually published, and none may fail. In the same loop each reader reads the Parquet
catalog (catalog.json, then every Parquet file of the version it names, with DuckDB and with
pyarrow when installed): the files, the catalog and the DuckDB file beside them must be of one
run, and that run must be one that was published.
"""
from __future__ import annotations

import pytest

from tests.reliability.conftest import BACKFILL_DATE, NIGHT_DATE
from tests.reliability.harness import ACTIVE, FILES, snapshot_records
from tests.reliability.long_night import FAILING, READERS, REPUBLISH
from tests.support.warehouse_checks import facts_only

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_readers_never_fail_and_never_see_a_partial_state(night, reliability):
    _, seen = night
    reads = sum(r["reads"] for r in seen["readers"])
    errors = [e for r in seen["readers"] for e in r["errors"]]
    observed = {v for r in seen["readers"] for v in r["seen"]}
    strangers = observed - seen["versions"]
    reliability("readers", f"{READERS} reader processes, {reads} read-only reads, while {1 + REPUBLISH} publishes "
                "renamed the marts", injected=1 + REPUBLISH, survived=not errors and not strangers,
                consistent=not strangers,
                detail=f"{reads} reads, {len(errors)} errors, {len(observed)} of {len(seen['versions'])} "
                       "published versions seen")
    assert errors == [], errors[:5]
    assert strangers == set(), f"reads matching no published version: {strangers}"
    assert reads >= 20 * READERS, f"only {reads} reads: the readers did not run during the night"
    assert len(observed) >= 2, "the readers saw the old marts and then the new ones"
    # old marts: one payload per source; new: two or three for each of FILES (8 more), research files unchanged
    assert {v[2] for v in observed} == {len(ACTIVE), len(ACTIVE) + 8}


def test_parquet_catalog_readers_never_see_two_nights(night, reliability):
    _, seen = night
    reads = sum(r["catalog_reads"] for r in seen["readers"])
    errors = [e for r in seen["readers"] for e in r["catalog_errors"]]
    observed = {v for r in seen["readers"] for v in r["catalog_seen"]}
    published = {(v[3], v[0], v[1]) for v in seen["versions"]}  # (run id, crises, reports)
    strangers = observed - published
    engines = "DuckDB and pyarrow" if all(r["pyarrow"] for r in seen["readers"]) else "DuckDB read_parquet"
    reliability("readers", f"{READERS} Parquet-catalog readers ({engines}), {reads} reads, while {1 + REPUBLISH} "
                "publishes switched the set", injected=1 + REPUBLISH, survived=not errors and not strangers,
                consistent=not strangers and not errors,
                detail=f"{reads} reads, {len(errors)} errors or mismatches, {len(observed)} runs seen")
    assert errors == [], errors[:5]
    assert strangers == set(), f"catalog reads matching no published run: {strangers}"
    assert reads >= 20 * READERS, f"only {reads} catalog reads: the readers did not run during the night"
    assert len(observed) >= 2, "the readers saw the old set and then new ones"


def test_same_logical_date_twice_gives_identical_marts_and_no_duplicate_rows(night, reliability):
    _, seen = night
    first, again = seen["completed"], seen["again"]
    statuses = {s: r.get("http_status", "failed") for s, r in again["result"]["extract"].items()}
    survived = (again["marts"] == first["marts"] and again["raw"] == first["raw"]
                and not any(again["duplicates"].values()))
    reliability("rerun", "same logical date run twice", survived=survived, consistent=again["marts"] == first["marts"],
                detail=f"second run: {statuses}")
    assert statuses == {s: "failed" if s in FAILING else 304 for s in ACTIVE}, "nothing new, two still down"
    assert again["marts"] == first["marts"], "content hashes of every published table"
    assert again["raw"] == first["raw"] and not any(again["duplicates"].values())


def test_backfill_of_an_earlier_date_works_and_leaves_later_data_alone(night, baseline, reliability):
    _, seen = night
    first, backfill = seen["completed"], seen["backfill"]
    later = {k: v for k, v in first["landing"].items() if f"/{NIGHT_DATE}/" in k}
    still = {k: v for k, v in backfill["landing"].items() if f"/{NIGHT_DATE}/" in k}
    new_files = sorted(k for k in set(backfill["landing"]) - set(first["landing"]))
    added_raw = {t: backfill["raw"][t] - first["raw"][t] for t in first["raw"]}
    marts = facts_only(backfill["marts"])
    expected = facts_only(baseline.marts)
    reissued = backfill["result"]["extract"]["moh_bulletins"]["sha256"]
    survived = (backfill["result"]["publish"]["tables"]["election_crises"] == 15 and still == later
                and marts == expected and not any(backfill["duplicates"].values()))
    reliability("rerun", "backfill of an earlier logical date", survived=survived, consistent=marts == expected,
                detail=f"new payloads: {new_files}")
    assert still == later, "the later night's landed payloads are untouched"
    assert new_files == [f"moh_bulletins/{BACKFILL_DATE}/{reissued}.json"]
    assert added_raw["casualty_bulletins"] == len(snapshot_records("moh_bulletins")), added_raw
    assert added_raw["elections"] == 0, added_raw
    assert not any(backfill["duplicates"].values())
    assert marts == expected, "the same facts, whichever night fetched them"
    assert backfill["in_use"]["moh_bulletins"] == reissued, "staging keeps the latest fetch, whatever its date"
    assert {s["source"]: s["logical_date"] for s in backfill["states"]} == {s: BACKFILL_DATE for s in ACTIVE}
