"""ParlGov's two file layouts through staging, the election model and the threshold marts.

The real files (../shared/data/parlgov) are loaded as raw tables per CONTRACT.md, the real
loader loads the commission snapshot beside them, and a real `dbt build` runs. Expected counts
are computed here from the files with the csv module and from the legal-thresholds seed in
Python, independently of the SQL.

`load_raw_layout` loads a file through the real loader (ingestion/tabular.py).
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from ingestion.loader import connect_warehouse, load_payload
from ingestion.registry import get_source
from tests.conftest import shared_file

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
SNAPSHOT = REPO_ROOT / "snapshot"
SEED = DBT_PROJECT / "seeds" / "legal_thresholds.csv"
FETCHED_AT = "2026-01-01 00:00:00+00"
LAYOUTS = {"classic": "view_election_classic.csv", "2024": "view_election_2024.csv"}
TABLES = {"classic": "parlgov_election_classic", "2024": "parlgov_election_2024"}
COMMISSION_PAYLOADS = [
    ("cec_elections", "election_commission/elections.json"), ("cec_party_results", "election_commission/results.csv"),
    ("cec_decisions", "election_commission/decisions.json"),
]
MODELS = "+fct_threshold_outcomes +fct_threshold_results +dim_party int_parlgov__elections"
META = ("_source varchar, _payload_sha256 varchar, _fetched_at timestamptz, _record_locator varchar, "
        "_loaded_at timestamptz")
NO_NULL_STRING = "\u0001"  # read_csv's nullstr: an empty cell stays '' as the contract says


# ---- raw tables -------------------------------------------------------------

def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _column(name: str) -> str:
    """The contract's raw column name: lower-cased, other than [a-z0-9_] becomes `_`."""
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def create_raw_table(con: duckdb.DuckDBPyConnection, layout: str, header: list[str]) -> None:
    columns = ", ".join(f'"{_column(name)}" varchar' for name in header)
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists raw.{TABLES[layout]} ({columns}, {META})")


def load_raw_layout(con: duckdb.DuckDBPyConnection, layout: str, path: Path, sha: str,
                    fetched_at: str = FETCHED_AT) -> int:
    """One payload (a whole file) through the real loader (ingestion/tabular.py); it picks the layout."""
    from ingestion.loader import load_payload
    from ingestion.registry import get_source

    loaded, _quarantined, rejected = load_payload(con, get_source("parlgov"), sha, fetched_at, path.read_bytes(), path)
    assert rejected is None, rejected
    return con.execute(f"select count(*) from raw.{TABLES[layout]} where _payload_sha256 = ?", [sha]).fetchone()[0]


def create_empty_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Both raw tables exist (empty) even when a layout never arrived, as the contract says."""
    for layout, file in LAYOUTS.items():
        create_raw_table(con, layout, _header(shared_file("data", "parlgov", file)))


# ---- synthetic fixtures (for the lead's loader tests too) -----------------------------------

SYNTHETIC_CLASSIC_ROWS = [
    # SYNTHETIC rows: made-up parties and figures (NLD only so that the country resolves)
    {"country_name_short": "NLD", "country_name": "Synthetic", "election_type": "parliament",
     "election_date": "2099-03-01", "vote_share": "12.5", "seats": "20", "seats_total": "150",
     "party_name_short": "SYN-A", "party_name": "Synthetic A", "party_name_english": "Synthetic A",
     "left_right": "", "country_id": "1", "election_id": "990001", "previous_parliament_election_id": "",
     "previous_cabinet_id": "", "party_id": "990101"},
    {"country_name_short": "NLD", "country_name": "Synthetic", "election_type": "parliament",
     "election_date": "2099-03-01", "vote_share": "", "seats": "1", "seats_total": "150",
     "party_name_short": "SYN-B", "party_name": "Synthetic B", "party_name_english": "Synthetic B",
     "left_right": "", "country_id": "1", "election_id": "990001", "previous_parliament_election_id": "",
     "previous_cabinet_id": "", "party_id": "990102"},
    {"country_name_short": "NLD", "country_name": "Synthetic", "election_type": "parliament",
     "election_date": "2099-03-01", "vote_share": "n/a", "seats": "0", "seats_total": "150",
     "party_name_short": "SYN-C", "party_name": "Synthetic C", "party_name_english": "Synthetic C",
     "left_right": "", "country_id": "1", "election_id": "990001", "previous_parliament_election_id": "",
     "previous_cabinet_id": "", "party_id": "990103"},
]


def synthetic_layout_file(directory: Path, variant: str) -> Path:
    """A SYNTHETIC classic-layout file (generated here, never real data) for one class of input:
    `renamed` (vote_share renamed to share_of_vote: the loader must reject the payload naming
    the column), `added` (an extra column the raw table keeps) or `empty_vote_share` (one empty
    and one non-numeric vote_share cell)."""
    header = list(SYNTHETIC_CLASSIC_ROWS[0])
    rows = [dict(row) for row in SYNTHETIC_CLASSIC_ROWS]
    if variant == "renamed":
        header = ["share_of_vote" if name == "vote_share" else name for name in header]
        rows = [{("share_of_vote" if k == "vote_share" else k): v for k, v in row.items()} for row in rows]
    elif variant == "added":
        header.append("synthetic_extra")
        for number, row in enumerate(rows):
            row["synthetic_extra"] = f"extra {number}"
    elif variant != "empty_vote_share":
        raise ValueError(f"unknown synthetic variant {variant!r}")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = directory / f"synthetic_parlgov_classic_{variant}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# ---- expectations from the files, independently of the SQL ----------------------------------

def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def elections_of(layout: str, rows: list[dict[str, str]]) -> dict[str, tuple[str, str, str]]:
    """election_id -> (country code, date, type) as the file writes them."""
    names = ("country_name_short", "election_date", "election_type") if layout == "classic" else \
        ("country", "date", "type")
    return {row["election_id"]: tuple(row[name] for name in names) for row in rows}


def _bound(text: str, side: str) -> dt.date | None:
    match = re.match(r"^\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
    if not match:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    if side == "start":
        return dt.date(year, int(month or 1), int(day or 1))
    if day:
        return dt.date(year, int(month), int(day))
    if month:
        return dt.date(year, int(month), calendar.monthrange(year, int(month))[1])
    return dt.date(year, 12, 31)


def expected_threshold_elections(layout: str, rows: list[dict[str, str]]) -> set[str]:
    """ParlGov parliament elections whose latest-starting applied rule has a numeric threshold
    and that have at least one list (not a technical party) with a vote share."""
    rules = [r for r in read_rows(SEED) if r["never_applied"] != "true"]
    short = "country_name_short" if layout == "classic" else "country"
    party = "party_name_short" if layout == "classic" else "party"
    with_lists = {r["election_id"] for r in rows if r[party] not in ("none", "etc") and r["vote_share"]}
    found = set()
    for election_id, (country, day, kind) in elections_of(layout, rows).items():
        if kind != "parliament" or election_id not in with_lists:
            continue
        date = dt.date.fromisoformat(day)
        fitting = [r for r in rules if r["country_iso3"] == country
                   and (_bound(r["valid_from"], "start") or dt.date.min) <= date <= (_bound(r["valid_to"], "end") or dt.date.max)]
        if fitting:
            best = max(fitting, key=lambda r: (_bound(r["valid_from"], "start") or dt.date.min, r["rule_id"]))
            if best["threshold_pct"]:
                found.add(election_id)
    return found


# ---- warehouses -----------------------------------------------------------------------------

def dbt(warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("dbt")
    env = dict(os.environ, ECW_WAREHOUSE=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    return subprocess.run(
        [str(executable), *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse"],
        env=env, capture_output=True, text=True, timeout=1200)


def build(warehouse: Path, work: Path, select: str = MODELS) -> None:
    # cautious: only tests whose every parent is selected (a seed's tests reach models not built here)
    result = dbt(warehouse, work, "build", "--indirect-selection", "cautious", "--select", *select.split())
    problems = [line for line in result.stdout.splitlines() if any(m in line for m in ("ERROR", "FAIL", "Error"))]
    assert result.returncode == 0, "dbt build failed:\n" + "\n".join(problems)[-6000:] + result.stdout[-3000:]


def commission_warehouse(work: Path) -> Path:
    """The commission snapshot through the real loader, and empty parlgov raw tables."""
    path = work / "warehouse.duckdb"
    con = connect_warehouse(path)
    try:
        for source_id, file in COMMISSION_PAYLOADS:
            load_payload(con, get_source(source_id), f"snapshot-{source_id}", FETCHED_AT, (SNAPSHOT / file).read_bytes())
        create_empty_raw_tables(con)
    finally:
        con.close()
    return path


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


COMMISSION_RESULTS = ("select election_key, list_name_original, party_name, votes, vote_share_pct, threshold_pct, "
                      "passed_threshold, margin_pp, seats, party_key from marts.fct_threshold_results "
                      "where result_source = 'commission' order by all")
COMMISSION_OUTCOMES = ("select election_key, threshold_pct, lists_with_results, lists_passed, wasted_vote_pct, "
                       "nearest_miss_party, enp_votes, gallagher_index from marts.fct_threshold_outcomes "
                       "where result_source = 'commission' order by all")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Warehouse per layout: `classic` first built with no ParlGov rows (the baseline of the
    commission's rows), then with the classic file; `2024` with the 2024 file."""
    files = {layout: shared_file("data", "parlgov", file) for layout, file in LAYOUTS.items()}
    out = {}
    for layout, path in files.items():
        work = tmp_path_factory.mktemp(f"parlgov_{layout}")
        warehouse = commission_warehouse(work)
        if layout == "classic":
            build(warehouse, work)
            out["baseline"] = {"results": query(warehouse, COMMISSION_RESULTS),
                               "outcomes": query(warehouse, COMMISSION_OUTCOMES),
                               "parlgov_rows": query(warehouse, "select count(*) from marts.fct_threshold_results "
                                                                "where result_source = 'parlgov'")[0][0]}
        with duckdb.connect(str(warehouse)) as con:
            loaded = load_raw_layout(con, layout, path, f"real-{layout}")
        build(warehouse, work)
        out[layout] = {"warehouse": warehouse, "rows": read_rows(path), "loaded": loaded}
    return out


# ---- tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_row_and_election_of_the_file_is_staged(built, layout):
    case = built[layout]
    rows = case["rows"]
    assert case["loaded"] == len(rows)
    staged = query(case["warehouse"], "select count(*), count(distinct source_election_id), count_if(is_malformed), "
                                      "count(vote_share_pct) from staging.stg_parlgov__party_results")[0]
    assert staged[0] == len(rows), f"{layout}: {staged[0]} staged rows, the file holds {len(rows)}"
    assert staged[1] == len(elections_of(layout, rows))
    assert staged[2] == 0, f"{layout}: the real file has no malformed cell"
    assert staged[3] == sum(1 for r in rows if r["vote_share"].strip())
    elections = query(case["warehouse"], "select count(*), count(distinct election_key) from "
                                         "intermediate.int_parlgov__elections")[0]
    assert elections == (len(elections_of(layout, rows)),) * 2
    by_type = dict(query(case["warehouse"], "select election_type, count(*) from intermediate.int_parlgov__elections "
                                            "group by all"))
    file_types = Counter({"parliament": "PARL", "ep": "EP"}[kind] for _, _, kind in elections_of(layout, rows).values())
    assert by_type == dict(file_types)


def test_both_layouts_give_the_same_elections(built):
    sql = ("select source_election_id, country_iso3, cast(election_date as varchar), election_type, election_key "
           "from intermediate.int_parlgov__elections")
    classic = {row[0]: row[1:] for row in query(built["classic"]["warehouse"], sql)}
    newer = {row[0]: row[1:] for row in query(built["2024"]["warehouse"], sql)}
    assert set(classic) <= set(newer), f"elections only in the classic layout: {sorted(set(classic) - set(newer))[:10]}"
    differing = {key: (classic[key], newer[key]) for key in classic if classic[key] != newer[key]}
    assert not differing, f"elections that differ between layouts: {list(differing.items())[:5]}"
    # the 2024 layout only adds elections held after the classic file's last one in their country
    last_classic = defaultdict(str)
    for country, day, _, _ in classic.values():
        last_classic[country] = max(last_classic[country], day)
    added = {key: newer[key] for key in set(newer) - set(classic)}
    assert all(day > last_classic[country] for country, day, _, _ in added.values()), sorted(added.values())
    # and the files agree: the classic's elections, by the file itself
    assert set(classic) == set(elections_of("classic", built["classic"]["rows"]))


def test_election_keys_number_later_elections_of_a_year(built):
    keys = {row[0]: row[1] for row in query(built["2024"]["warehouse"],
            "select cast(election_date as varchar), election_key from intermediate.int_parlgov__elections "
            "where country_iso3 = 'BGR' and election_year = 2021 and election_type = 'PARL'")}
    assert keys == {"2021-04-04": "BGR-2021-PARL", "2021-07-11": "BGR-2021-PARL-2", "2021-11-14": "BGR-2021-PARL-3"}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_threshold_outcomes_for_every_election_with_a_rule(built, layout):
    case = built[layout]
    expected = expected_threshold_elections(layout, case["rows"])
    found = {row[0] for row in query(case["warehouse"],
             "select t.source_election_id from marts.fct_threshold_outcomes o "
             "join intermediate.int_thresholds__by_election t using (election_key) where o.result_source = 'parlgov'")}
    assert found == expected, (f"{layout}: {len(found)} ParlGov elections with threshold outcomes, "
                               f"{len(expected)} expected; missing {sorted(expected - found)[:5]}, "
                               f"extra {sorted(found - expected)[:5]}")
    if layout == "2024":
        assert len(found) >= 300  # measured: 312 (the classic file, ending May 2021: 291)


def test_passing_is_share_against_threshold(built):
    """Germany 2017 (5%, national, CSU 6.2% counted on its own): every listed party against 5%."""
    rows = dict(query(built["classic"]["warehouse"],
                      "select list_name_original, passed_threshold from marts.fct_threshold_results "
                      "where election_key = 'DEU-2017-PARL'"))
    file_rows = [r for r in built["classic"]["rows"] if r["country_name_short"] == "DEU"
                 and r["election_date"] == "2017-09-24" and r["party_name_short"] not in ("none", "etc")]
    assert rows == {r["party_name"]: float(r["vote_share"]) >= 5.0 for r in file_rows}
    outcome = query(built["classic"]["warehouse"], "select lists_passed, threshold_pct, wasted_vote_is_lower_bound "
                                                   "from marts.fct_threshold_outcomes where election_key = 'DEU-2017-PARL'")
    assert outcome == [(7, 5.0, True)]


def test_the_commission_rows_are_unchanged(built):
    classic = built["classic"]["warehouse"]
    assert built["baseline"]["parlgov_rows"] == 0
    assert query(classic, COMMISSION_RESULTS) == built["baseline"]["results"]
    assert query(classic, COMMISSION_OUTCOMES) == built["baseline"]["outcomes"]
    assert {row[0] for row in built["baseline"]["outcomes"]} == {
        "GEO-2003-PARL", "GEO-2024-PARL", "KGZ-2020-PARL", "KGZ-2021-PARL"}


# ---- synthetic classes of input -------------------------------------------------------------

def test_an_added_column_an_empty_and_a_malformed_share(tmp_path):
    shared_file("data", "parlgov", LAYOUTS["classic"])  # the raw tables take the real header
    path = tmp_path / "warehouse.duckdb"
    with connect_warehouse(path) as con:
        # the loader grows the raw table by the added column; the file also holds the empty and
        # the non-numeric vote_share cells
        load_raw_layout(con, "classic", synthetic_layout_file(tmp_path, "added"), "synthetic-added")
        assert "synthetic_extra" in {r[0] for r in con.execute(
            "select column_name from duckdb_columns() where table_name = ?", [TABLES["classic"]]).fetchall()}
    build(path, tmp_path, "+stg_parlgov__party_results countries")
    rows = {row[0]: row[1:] for row in query(path, "select party_name_short, vote_share_pct, malformed_fields, "
                                                   "seats from staging.stg_parlgov__party_results")}
    assert rows == {"SYN-A": (12.5, [], 20), "SYN-B": (None, [], 1), "SYN-C": (None, ["vote_share"], 0)}


def test_a_renamed_column_past_the_loader_stops_staging_naming_it(tmp_path):
    """The loader rejects such a payload; written past it, staging fails instead of reading NULLs."""
    path = tmp_path / "warehouse.duckdb"
    renamed = synthetic_layout_file(tmp_path, "renamed")
    with connect_warehouse(path) as con:
        con.execute(f"drop table raw.{TABLES['classic']}")
        create_raw_table(con, "classic", _header(renamed))  # written past the loader, as it would refuse it
        names = ", ".join(f'"{_column(name)}"' for name in _header(renamed))
        con.execute(f"insert into raw.{TABLES['classic']} ({names}, _source, _payload_sha256, _fetched_at, "
                    f"_record_locator, _loaded_at) select *, 'parlgov', 'synthetic-renamed', "
                    f"cast(? as timestamptz), 'row 1', now() from read_csv(?, all_varchar = true, header = true)",
                    [FETCHED_AT, str(renamed)])
        con.execute("insert into raw.loaded_payloads values ('parlgov', 'synthetic-renamed', ?, now(), 'loaded', 1, 0, null)",
                    [FETCHED_AT])
    result = dbt(path, tmp_path, "build", "--indirect-selection", "cautious", "--select", "+stg_parlgov__party_results")
    assert result.returncode != 0
    assert 'column "vote_share" not found' in result.stdout, result.stdout[-3000:]
