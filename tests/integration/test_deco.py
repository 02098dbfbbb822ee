"""DECO v1.0 through staging to fct_electoral_violence_events, with a real DuckDB file and `dbt build`.

(a) The real file from ../shared/data/deco (skipped when absent) must come out whole: 4,233 events,
    23,737 best-estimate deaths, every code known to the codebook seed, and the three longitudes DECO
    wrote with a place name glued on flagged, not silently NULL.
(b) SYNTHETIC files, generated below and labelled synthetic, carry the traps a new release could
    bring: -99 / NA / empty sentinels, '1;2,3' mixed separators, an unknown code, an unreadable date,
    a decimal count, a second (older) payload, and events inside, outside and tied in the link window.
    Their elections are the bundled snapshot's plus two SYNTHETIC elections on one day (a tie).

The election tables come through the real loader from the bundled snapshot. raw.deco_events is made
by `load_deco_raw` below, through the real loader (ingestion/tabular.py).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.loader import connect_warehouse, load_payload
from ingestion.registry import get_source
from tests.conftest import shared_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
SNAPSHOT = REPO_ROOT / "snapshot"
FETCHED_AT = "2026-01-01 00:00:00+00"
SELECT = ["+fct_electoral_violence_events", "+int_deco__election_deaths"]

pytestmark = pytest.mark.slow


def load_deco_raw(con: duckdb.DuckDBPyConnection, csv_path: Path, fetched_at: str = FETCHED_AT) -> str:
    """Append one DECO payload to raw.deco_events through the real loader; returns its sha256."""
    body = csv_path.read_bytes()
    sha = hashlib.sha256(body).hexdigest()
    loaded, _quarantined, rejected = load_payload(con, get_source("deco"), sha, fetched_at, body, csv_path)
    assert rejected is None and loaded > 0, rejected
    return sha


def _load_elections(con: duckdb.DuckDBPyConnection, extra_elections: list[dict] | None = None) -> None:
    """The bundled snapshot's elections and decisions through the real loader (dim_election's inputs)."""
    elections = json.loads((SNAPSHOT / "election_commission/elections.json").read_text(encoding="utf-8"))
    elections["elections"] += extra_elections or []
    payloads = [("cec_elections", json.dumps(elections, ensure_ascii=False).encode()),
                ("cec_decisions", (SNAPSHOT / "election_commission/decisions.json").read_bytes())]
    for source_id, body in payloads:
        load_payload(con, get_source(source_id), f"test-{source_id}", FETCHED_AT, body)


def _dbt_build(warehouse: Path, work: Path, *extra: str) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    env = dict(os.environ, ECW_WAREHOUSE=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    result = subprocess.run(
        [str(dbt), "build", "--select", *SELECT, "--indirect-selection", "cautious", *extra,
         "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse"],
        env=env, capture_output=True, text=True, timeout=900)
    problems = [line for line in result.stdout.splitlines() if "ERROR" in line or "FAIL" in line or "Error" in line]
    assert result.returncode == 0, "dbt build failed:\n" + "\n".join(problems)[-6000:] + result.stdout[-3000:]


def rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# --- (a) the real file ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    deco_file = shared_file("data", "deco", "DECO_v.1.0.csv")
    work = tmp_path_factory.mktemp("deco_real")
    path = work / "warehouse.duckdb"
    con = connect_warehouse(path)
    _load_elections(con)
    load_deco_raw(con, deco_file)
    con.close()
    _dbt_build(path, work)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_every_real_event_and_death_reaches_the_mart(real):
    events, deaths = real.execute(
        "select count(*), sum(deaths_best) from marts.fct_electoral_violence_events").fetchone()
    assert (events, deaths) == (4233, 23737)
    assert real.execute("select count(distinct event_id) from marts.fct_electoral_violence_events").fetchone()[0] == 4233


def test_raw_keeps_values_as_sent(real):
    sent = dict(real.execute(
        "select value, count(*) from (select electoral_side_a_inc as value from raw.deco_events) group by 1").fetchall())
    assert sent == {"1": 2296, "0": 1399, "-99": 538}
    assert real.execute("select count(*) from raw.deco_events where electoral_side_a_2 = ''").fetchone()[0] == 3974


def test_real_codes_are_all_in_the_codebook_and_split_on_both_separators(real):
    assert real.execute("select count(*) from marts.fct_electoral_violence_events "
                        "where len(unknown_codes) > 0").fetchone()[0] == 0
    mixed = real.execute("select count(*) from staging.stg_deco__events where electoral_type_codes = ['1', '2', '3']"
                         ).fetchone()[0]
    assert mixed == 75 + 54  # '1;2,3' and '1;2;3' in DECO v1.0
    assert real.execute("select count(*) from marts.fct_electoral_violence_events where target_codes is null"
                        ).fetchone()[0] == 42  # electoral_targets -99
    labelled = dict(real.execute("select type_of_violence, any_value(type_of_violence_label) "
                                 "from marts.fct_electoral_violence_events group by 1").fetchall())
    assert labelled == {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence", 4: None}


def test_unreadable_real_values_are_flagged_not_silently_null(real):
    flagged = rows(real, "select event_id, parse_issues, longitude from marts.fct_electoral_violence_events "
                         "where len(parse_issues) > 0 order by event_id")
    assert [r["event_id"] for r in flagged] == [128172, 128456, 128617]
    assert all(r["longitude"] is None and r["parse_issues"][0].startswith("longitude=") for r in flagged)
    assert real.execute("select count(*) from marts.fct_electoral_violence_events where latitude is null"
                        ).fetchone()[0] == 3  # NA in the file: a sentinel, no issue


def test_real_events_link_to_the_snapshot_elections_within_the_window(real):
    linked = rows(real, "select election_key, count(*) as events, min(election_offset_days) as first, "
                        "max(election_offset_days) as last from marts.fct_electoral_violence_events "
                        "where election_key is not null group by 1")
    by_key = {r["election_key"]: r for r in linked}
    assert "KEN-2007-PRES" in by_key and "KEN-2017-PRES" in by_key
    assert all(-180 <= r["first"] <= r["last"] <= 90 for r in linked)
    reasons = dict(real.execute("select link_reason, count(*) from marts.fct_electoral_violence_events group by 1"
                                ).fetchall())
    assert reasons["no known election within the window"] > 4000  # the snapshot holds 16 elections
    per_election = rows(real, "select * from intermediate.int_deco__election_deaths where election_key = 'KEN-2007-PRES'")
    events, deaths = real.execute("select count(*), sum(deaths_best) from marts.fct_electoral_violence_events "
                                  "where election_key = 'KEN-2007-PRES'").fetchone()
    assert per_election[0]["events"] == events and per_election[0]["deaths_best"] == deaths
    assert per_election[0]["events_before"] + per_election[0]["events_on_election_day"] \
        + per_election[0]["events_after"] == events


# --- (b) synthetic traps --------------------------------------------------------------------------

SYNTHETIC_ELECTIONS = [  # SYNTHETIC: two elections on one day, to make a tie
    {"election_key": key, "country": "South Africa", "election_type": kind, "election_date": "2000-03-01",
     "source_url": f"https://example.org/synthetic/{key}"}
    for key, kind in (("ZAF-2000-PARL", "parliamentary"), ("ZAF-2000-PRES", "presidential"))
]
HEADER = ["id", "type_of_violence", "conflict_new_id", "conflict_name", "dyad_new_id", "side_a_new_id", "side_a",
          "side_b_new_id", "side_b", "country_id", "country", "region", "year", "date_start", "date_end",
          "deaths_a", "deaths_b", "civilian_deaths", "unknown", "best", "high", "low", "latitude", "longitude",
          "electoral_vio", "electoral_vio_uncertainty", "electoral_purpose", "electoral_side_a",
          "electoral_side_a_2", "electoral_side_a_inc", "electoral_side_b", "electoral_side_b_2",
          "electoral_side_b_inc", "electoral_perpetrator", "electoral_targets", "electoral_type",
          "electoral_timing", "relid", "ucdp_ged"]  # the bundled snapshot's layout: no free-text columns


def synthetic_event(event_id: int, **values: str) -> dict[str, str]:
    """A SYNTHETIC Kenyan event: one death on 1/5/2008 (9 days after the snapshot's KEN-2007-PRES)."""
    row = {"id": str(event_id), "type_of_violence": "1", "conflict_new_id": "1", "conflict_name": "Synthetic conflict",
           "dyad_new_id": "1", "side_a_new_id": "1", "side_a": "Synthetic side A", "side_b_new_id": "2",
           "side_b": "Synthetic side B", "country_id": "501", "country": "Kenya", "region": "Africa", "year": "2008",
           "date_start": "1/5/2008", "date_end": "1/5/2008", "deaths_a": "0", "deaths_b": "0",
           "civilian_deaths": "1", "unknown": "0", "best": "1", "high": "1", "low": "1", "latitude": "-1.5",
           "longitude": "36.5", "electoral_vio": "1", "electoral_vio_uncertainty": "0",
           "electoral_purpose": "synthetic purpose", "electoral_side_a": "Security forces", "electoral_side_a_2": "",
           "electoral_side_a_inc": "1", "electoral_side_b": "Civilians", "electoral_side_b_2": "",
           "electoral_side_b_inc": "0", "electoral_perpetrator": "1", "electoral_targets": "3",
           "electoral_type": "1", "electoral_timing": "1", "relid": f"SYN-{event_id}", "ucdp_ged": "1"}
    row.update(values)
    return row


SYNTHETIC_EVENTS = [
    synthetic_event(900001, electoral_targets="-99", electoral_side_a_inc="-99", latitude="NA", longitude="NA"),
    synthetic_event(900002, electoral_type="1;2,3", electoral_targets="6; 7", electoral_purpose="disrupt; spell"),
    synthetic_event(900003, electoral_targets="3;99", type_of_violence="7"),
    synthetic_event(900004, date_start="2/30/2008"),                 # unreadable day: date_end is used
    synthetic_event(900005, civilian_deaths="", best="1.5", electoral_side_b_inc="NA"),
    synthetic_event(900006, date_start="2/20/2008", date_end="2/20/2008"),  # 55 days after: outside 30
    synthetic_event(900007, date_start="9/1/2016", date_end="9/1/2016", year="2016"),  # no election near
    synthetic_event(900008, country_id="560", country="South Africa", year="2000",
                    date_start="2/20/2000", date_end="2/20/2000"),  # 10 days before two elections: a tie
]
OLDER_PAYLOAD_EVENTS = [synthetic_event(900099)]  # withdrawn by the newer payload


def write_csv(path: Path, events: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writeheader()
        writer.writerows(events)
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    work = tmp_path_factory.mktemp("deco_synthetic")
    path = work / "warehouse.duckdb"
    con = connect_warehouse(path)
    _load_elections(con, SYNTHETIC_ELECTIONS)
    load_deco_raw(con, write_csv(work / "older.csv", OLDER_PAYLOAD_EVENTS), fetched_at="2025-06-01 00:00:00+00")
    load_deco_raw(con, write_csv(work / "synthetic_deco.csv", SYNTHETIC_EVENTS))
    con.close()
    _dbt_build(path, work, "--vars", json.dumps({"deco_link_days_before": 60, "deco_link_days_after": 30}))
    con = duckdb.connect(str(path), read_only=True)
    yield {r["event_id"]: r for r in rows(con, "select * from marts.fct_electoral_violence_events")}, con
    con.close()


def test_only_the_current_payload_is_staged(synthetic):
    events, _ = synthetic
    assert sorted(events) == [e for e in range(900001, 900009)]


def test_sentinels_are_null_and_not_issues(synthetic):
    events, _ = synthetic
    missing = events[900001]
    assert missing["target_codes"] is None and missing["target_labels"] is None
    assert missing["side_a_incumbent"] is None and missing["latitude"] is None and missing["longitude"] is None
    assert missing["parse_issues"] == [] and missing["unknown_codes"] == []
    assert missing["place"] == "Kenya"
    empty = events[900005]
    assert empty["deaths_civilians"] is None and empty["side_b_incumbent"] is None


def test_mixed_separators_split_into_codes_and_aligned_labels(synthetic):
    events, _ = synthetic
    mixed = events[900002]
    assert mixed["electoral_type_codes"] == ["1", "2", "3"]
    assert mixed["electoral_type_labels"] == [None, None, None]  # the codebook's labels were not found
    assert mixed["target_codes"] == ["6", "7"]
    assert mixed["purposes"] == ["disrupt", "spell"]


def test_an_unknown_code_is_kept_and_flagged(synthetic):
    events, _ = synthetic
    unknown = events[900003]
    assert unknown["target_codes"] == ["3", "99"]
    assert sorted(unknown["unknown_codes"]) == ["electoral_targets=99", "type_of_violence=7"]
    assert unknown["type_of_violence"] == 7 and unknown["type_of_violence_label"] is None


def test_an_unreadable_date_keeps_its_text_and_the_event_still_links(synthetic):
    events, con = synthetic
    bad = events[900004]
    assert bad["date_start"] is None and "date_start=2/30/2008" in bad["parse_issues"]
    assert con.execute("select date_start_text from staging.stg_deco__events where event_id = 900004"
                       ).fetchone()[0] == "2/30/2008"
    assert bad["election_key"] == "KEN-2007-PRES"  # linked by date_end


def test_a_decimal_count_is_flagged_not_rounded(synthetic):
    events, _ = synthetic
    assert events[900005]["deaths_best"] is None and "best=1.5" in events[900005]["parse_issues"]


def test_the_link_window_is_the_dbt_vars(synthetic):
    events, _ = synthetic
    inside = events[900002]
    assert inside["election_key"] == "KEN-2007-PRES" and inside["election_offset_days"] == 9
    assert inside["link_reason"] == "nearest election within the window"
    assert events[900006]["election_key"] is None  # 55 days after, past the 30-day var
    assert events[900006]["link_reason"] == "no known election within the window"
    assert events[900007]["link_reason"] == "no known election within the window"


def test_equally_near_elections_are_a_tie_and_not_linked(synthetic):
    events, con = synthetic
    tie = events[900008]
    assert tie["election_key"] is None
    assert tie["link_reason"] == "ambiguous: ZAF-2000-PARL, ZAF-2000-PRES"
    deaths = dict(con.execute("select election_key, deaths_best from intermediate.int_deco__election_deaths").fetchall())
    assert "ZAF-2000-PARL" not in deaths
    assert deaths["KEN-2007-PRES"] == 4  # 900001 to 900004; 900005 is linked but its best is unreadable
