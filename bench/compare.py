"""Comparisons 1 and 5 of issue 11, over the same generated files the pipeline loaded.

1. `plain_duckdb_load`: the fastest plain DuckDB load of each file set, one
   `CREATE TABLE AS SELECT ... FROM read_json/read_csv` per set into a scratch DuckDB file (JSON
   documents unnested to one row per record, as the loader stores them; no checks, no quarantine,
   no bookkeeping). Our load stage does all of that too, so the ratio is the price of those checks.
5. `pandas_pipeline`: what an analyst would write instead, with pandas: read the files, type and
   clean the columns, and compute four results that our warehouse also holds:
   - `acled_country_day`: ACLED events and fatalities per country, day and event type (our
     int_acled__election_window_aggregates), after dropping deleted events and keeping the
     latest copy (highest `timestamp`) of each event id;
   - `acled_election_window`: ACLED events and fatalities in the 30 days either side of each
     election, in its country (from the same aggregates joined to our elections);
   - `list_results`: per election, the lists, their votes and how many reached the threshold
     (`vote_share_pct >= threshold_pct`) (from our typed staging tables);
   - `casualty_latest`: per election, the dead and injured of its latest bulletin, read with a
     regular expression fitted to the generated text (our extractor's figures of that bulletin).
   `check_pandas` computes the same four from the warehouse in SQL and says whether they are identical.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.countries import CODES_FILE

BIG = 2_000_000_000  # read_json's maximum_object_size: a whole document is one object


def _files(payloads: Path) -> dict[str, tuple[str, object]]:
    acled = sorted(str(p) for p in (payloads / "feeds" / "acled" / "events").glob("page-*.json"))
    ucdp = sorted(str(p) for p in (payloads / "feeds" / "ucdp").glob("*/page-*.json"))
    ec = payloads / "election_commission"
    return {
        "elections": ("elections", str(ec / "elections.json")),
        "party_results": ("csv", str(ec / "results.csv")),
        "decisions": ("decisions", str(ec / "decisions.json")),
        "casualty_bulletins": ("bulletins", str(payloads / "health_ministry" / "bulletins.json")),
        "observer_statements": ("statements", str(payloads / "observer_mission" / "statements.json")),
        "deco_events": ("csv", str(payloads / "research" / "deco" / "DECO_v.1.0.synthetic.csv")),
        "parlgov_election_2024": ("csv", str(payloads / "research" / "parlgov" / "view_election_2024.synthetic.csv")),
        "acled_events": ("data", acled),
        "ucdp_events": ("Result", ucdp),
    }


def plain_duckdb_load(payloads: Path, scratch: Path) -> dict:
    """Seconds and rows of one CREATE TABLE AS per file set."""
    if scratch.exists():
        scratch.unlink()
    con = duckdb.connect(str(scratch))
    out: dict[str, dict] = {}
    try:
        for table, (key, files) in _files(payloads).items():
            if key == "csv":
                sql = f"create table {table} as select * from read_csv(?, header = true, all_varchar = true)"
            else:
                sql = (f"create table {table} as select unnest({key}, recursive := true) from "
                       f"read_json(?, maximum_object_size = {BIG})")
            started = time.perf_counter()
            con.execute(sql, [files])
            seconds = time.perf_counter() - started
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            out[table] = {"seconds": round(seconds, 3), "rows": rows}
    finally:
        con.close()
        scratch.unlink(missing_ok=True)
    return {"tables": out, "seconds": round(sum(t["seconds"] for t in out.values()), 3),
            "rows": sum(t["rows"] for t in out.values())}


# ---- the pandas pipeline ----------------------------------------------------------------------
def _document(path: Path, key: str) -> pd.DataFrame:
    return pd.DataFrame(json.loads(path.read_bytes())[key])


def pandas_pipeline(payloads: Path, deleted: list[str] | None = None) -> tuple[dict[str, pd.DataFrame], float]:
    started = time.perf_counter()
    ec = payloads / "election_commission"
    elections = _document(ec / "elections.json", "elections")
    elections["election_date"] = pd.to_datetime(elections["election_date"])
    codes = pd.read_csv(CODES_FILE, dtype=str)
    elections["country_iso3"] = elections["election_key"].str[:3]  # the key's prefix is the ISO3

    results = pd.read_csv(ec / "results.csv", dtype={"list_name": str})
    results["vote_share_pct"] = pd.to_numeric(results["vote_share_pct"])
    merged = results.merge(elections[["election_key", "threshold_pct"]], on="election_key", how="left")
    merged["passed"] = merged["vote_share_pct"] >= merged["threshold_pct"]
    list_results = merged.groupby("election_key").agg(lists=("list_name", "size"), votes=("votes", "sum"),
                                                      lists_passing=("passed", "sum")).reset_index()

    pages = sorted((payloads / "feeds" / "acled" / "events").glob("page-*.json"))
    acled = pd.concat([pd.DataFrame(json.loads(p.read_bytes())["data"],
                                    columns=["event_id_cnty", "event_date", "event_type", "iso", "fatalities",
                                             "timestamp"]) for p in pages], ignore_index=True)
    acled["timestamp"] = acled["timestamp"].astype("int64")
    acled = acled.sort_values("timestamp").drop_duplicates("event_id_cnty", keep="last")
    if deleted:
        acled = acled[~acled["event_id_cnty"].isin(set(deleted))]
    acled["fatalities"] = acled["fatalities"].astype("int64")
    acled["event_date"] = pd.to_datetime(acled["event_date"])
    numeric = codes[codes["system"] == "iso_numeric"][["code", "country_iso3"]]
    acled["code"] = acled["iso"].str.zfill(3)
    acled = acled.merge(numeric, on="code", how="inner")
    country_day = acled.groupby(["country_iso3", "event_date", "event_type"]).agg(
        events=("event_id_cnty", "size"), fatalities=("fatalities", "sum")).reset_index()

    windows = elections[["election_key", "country_iso3", "election_date"]].merge(
        country_day, on="country_iso3", how="inner")
    windows = windows[(windows["event_date"] - windows["election_date"]).abs() <= pd.Timedelta(days=30)]
    window = windows.groupby("election_key").agg(events=("events", "sum"), fatalities=("fatalities", "sum")).reset_index()

    bulletins = _document(payloads / "health_ministry" / "bulletins.json", "bulletins")
    figures = bulletins["text"].str.extract(r"(\d+) people were killed and (\d+) injured")
    bulletins["dead"], bulletins["injured"] = figures[0].astype("int64"), figures[1].astype("int64")
    latest = bulletins.sort_values(["election_key", "published_at", "bulletin_id"]).drop_duplicates(
        "election_key", keep="last")[["election_key", "bulletin_id", "dead", "injured"]]
    seconds = time.perf_counter() - started
    return {"acled_country_day": country_day, "acled_election_window": window, "list_results": list_results,
            "casualty_latest": latest}, seconds


def _table(con, name: str) -> str:
    row = con.execute("select schema_name from duckdb_tables() where table_name = ? union all "
                      "select schema_name from duckdb_views() where view_name = ? limit 1", [name, name]).fetchone()
    if not row:
        raise LookupError(f"no table or view {name} in the warehouse")
    return f"{row[0]}.{name}"


def warehouse_results(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The same four results from our warehouse (after the pipeline ran)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        agg = _table(con, "int_acled__election_window_aggregates")
        elections = _table(con, "stg_election_commission__elections")
        results = _table(con, "stg_election_commission__party_results")
        out = {
            "acled_country_day": con.execute(
                f"select country_iso3, cast(event_date as timestamp) as event_date, event_type, "
                f"cast(events as bigint) as events, cast(fatalities as bigint) as fatalities from {agg}").df(),
            "acled_election_window": con.execute(
                f"select e.election_key, sum(a.events)::bigint as events, sum(a.fatalities)::bigint as fatalities "
                f"from (select distinct election_key, left(election_key, 3) as country_iso3, election_date as d from {elections}) e "
                f"join {agg} a on a.country_iso3 = e.country_iso3 and abs(date_diff('day', e.d, a.event_date)) <= 30 "
                f"group by 1").df(),
            "list_results": con.execute(
                f"select r.election_key, count(*)::bigint as lists, sum(r.votes)::bigint as votes, "
                f"sum(case when r.vote_share_pct >= e.threshold_pct then 1 else 0 end)::bigint as lists_passing "
                f"from {results} r left join (select distinct election_key, threshold_pct from {elections}) e "
                f"using (election_key) group by 1").df(),
            "casualty_latest": con.execute(
                "with b as (select bulletin_id, election_key, published_at, _payload_sha256 from raw.casualty_bulletins "
                "where _payload_sha256 = (select payload_sha256 from raw.loaded_payloads where source = 'moh_bulletins' "
                "and status = 'loaded' order by fetched_at desc limit 1)), "
                "latest as (select * from b qualify row_number() over (partition by election_key "
                "order by published_at desc, bulletin_id desc) = 1) "
                "select l.election_key, l.bulletin_id, "
                "max(case when f.metric = 'dead' then f.value end)::bigint as dead, "
                "max(case when f.metric = 'injured' then f.value end)::bigint as injured "
                "from latest l join derived.casualty_figures f on f.bulletin_id = l.bulletin_id "
                "and f._payload_sha256 = l._payload_sha256 group by 1, 2").df(),
        }
    finally:
        con.close()
    return out


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if len(a) != len(b) or set(a.columns) != set(b.columns):
        return False
    columns = sorted(a.columns)
    left = a[columns].astype(str).sort_values(columns).reset_index(drop=True)
    right = b[columns].astype(str).sort_values(columns).reset_index(drop=True)
    return left.equals(right)


def check_pandas(ours: dict[str, pd.DataFrame], theirs: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Per result: rows on each side and whether they are identical."""
    out = {}
    for name, frame in theirs.items():
        mine = ours[name].copy()
        frame = frame.copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
                mine[column] = pd.to_datetime(mine[column]).dt.strftime("%Y-%m-%d")
            elif pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
                frame[column] = frame[column].astype("int64")
                mine[column] = mine[column].astype("int64")
        out[name] = {"pandas_rows": len(frame), "warehouse_rows": len(mine), "identical": _same(frame, mine)}
    return out
