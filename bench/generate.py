"""Seeded generator of SYNTHETIC source payloads in the formats our connectors parse.

`python -m bench.generate --sf 0.1 --seed 1 --out bench/work/sf0.1/payloads` writes, at scale
factor SF (SF1 = 10,000 elections, ~300,000 list results, 100,000 casualty bulletins, 20,000
observer statements, 1,000 decisions, ~40,000 DECO events, ParlGov 2024-layout rows mirroring
the list results, 2,000,000 ACLED events in API envelope pages and 500,000 UCDP GED events in
API envelope pages):

    election_commission/{elections.json, results.csv, decisions.json}
    health_ministry/bulletins.json
    observer_mission/statements.json
    research/deco/DECO_v.1.0.synthetic.csv
    research/parlgov/view_election_2024.synthetic.csv
    feeds/acled/events/page-NNNNN.json   (the envelope of GET /api/acled/read, `page_size` events each)
    feeds/ucdp/25.1/page-NNNNN.json      (the envelope of GET /api/gedevents/25.1)
    feeds/index.json                     (per page: rows, timestamp and date range, for bench/server.py)
    manifest.json, README.md             (what this is: synthetic, seed, counts, sha256 per file)

Every figure, name and URL here is invented (lists are "Synthetic list 7", URLs under
https://example.org/synthetic/), and every payload says so: JSON documents carry
"_synthetic": true and records a "synthetic" field (kept by the loaders in `_extra`); CSV rows
say it in a column the layout already has (ParlGov `data_source`, DECO `source_article`) or in
an extra `synthetic` column (results.csv, kept in `_extra`); ACLED and UCDP pages carry
"_synthetic": true in the envelope (a field added to their records would be drift). Country codes
are real ones the loader resolves (dbt_project/seeds/country_codes.csv), so no row is
quarantined. Same seed and SF, same bytes. Never write into snapshot/.

`--increment-of DIR` writes the nightly 1% instead: the base payloads with 1% new elections
(with their lists, bulletins and statements), 1% of bulletins revised (same id, new text), and
new ACLED pages (1% new events plus 0.2% revised ones, later timestamps) and UCDP events dated
the nightly logical date; research files are unchanged (versioned releases).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ingestion.countries import _read, code_candidates, countries, resolve_country
from ingestion.countries import CODES_FILE
from ingestion.feeds.acled import FIELDS as ACLED_FIELDS
from ingestion.feeds.parsers import ACLED_EVENT_TYPES, UCDP_FIELDS
from ingestion.settings import SNAPSHOT_DIR

SF1 = {"elections": 10_000, "lists_per_election": 30, "bulletins": 100_000, "statements": 20_000,
       "decisions": 1_000, "deco": 40_000, "acled": 2_000_000, "ucdp": 500_000}
ACLED_PAGE = 5000  # the registry's params.page_size for ACLED
UCDP_PAGE = 1000   # and for UCDP
UCDP_VERSION = "25.1"
FULL_DATE = date(2026, 11, 30)  # the logical date of the full run: nothing is dated after it
NIGHTLY_DATE = FULL_DATE + timedelta(days=1)
URL = "https://example.org/synthetic"
EPOCH = np.datetime64("1970-01-01")
TYPES = {"PARL": "parliamentary", "PRES": "presidential", "GEN": "general", "REF": "referendum"}
DECO_CODES = ("type_of_violence", "region", "electoral_vio", "electoral_vio_uncertainty", "electoral_purpose",
              "electoral_side_a", "electoral_side_a_2", "electoral_side_a_inc", "electoral_side_b",
              "electoral_side_b_2", "electoral_side_b_inc", "electoral_perpetrator", "electoral_targets",
              "electoral_type", "electoral_timing")
DECO_HEADER = ["id", "type_of_violence", "conflict_new_id", "conflict_name", "dyad_new_id", "side_a_new_id", "side_a",
               "side_b_new_id", "side_b", "country_id", "country", "region", "year", "date_start", "date_end",
               "deaths_a", "deaths_b", "civilian_deaths", "unknown", "best", "high", "low", "latitude", "longitude",
               *DECO_CODES[2:], "relid", "ucdp_ged", "source_article"]
PARLGOV_HEADER = ["country", "date", "type", "party", "id", "created_at", "updated_at", "party_id_source", "seats",
                  "vote_share", "votes", "data_source", "election_id", "party_id", "alliance_id"]
RESULT_HEADER = ["election_key", "list_name", "list_name_english", "english_name_is_researcher_translation", "votes",
                 "vote_share_pct", "seats", "declared_passed", "result_stage", "source_url", "synthetic"]


def scaled(sf: float, name: str) -> int:
    return max(1, int(round(SF1[name] * sf)))


# ---- countries the loaders resolve --------------------------------------------------------------
def country_pool() -> list[dict]:
    """Current countries with a name that resolves to them alone and timeless ISO numeric and G-W codes."""
    timeless: dict[tuple[str, str], list[str]] = {}
    for row in _read(CODES_FILE):
        if not row["valid_from"] and not row["valid_to"]:
            timeless.setdefault((row["country_iso3"], row["system"]), []).append(row["code"])
    pool = []
    for iso3, country in sorted(countries().items()):
        if country.is_former_state or resolve_country(country.name) != iso3:
            continue
        numeric = [c for c in timeless.get((iso3, "iso_numeric"), []) if code_candidates("iso_numeric", c) == (iso3,)]
        gw = [c for c in timeless.get((iso3, "gw"), []) if code_candidates("gw", c) == (iso3,)]
        if numeric and gw:
            pool.append({"iso3": iso3, "name": country.name, "numeric": numeric[0], "gw": gw[0]})
    return pool


def deco_code_values() -> dict[str, list[str]]:
    """The code values DECO v1.0 uses in each coded column (read from the bundled file's cells)."""
    path = SNAPSHOT_DIR / "research" / "deco" / "DECO_v.1.0.csv"
    values: dict[str, set[str]] = {c: set() for c in DECO_CODES}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in DECO_CODES:
                values[column].add(row[column])
    return {c: sorted(v) for c, v in values.items()}


# ---- helpers ------------------------------------------------------------------------------------
def iso_days(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 -> 'YYYY-MM-DD' strings."""
    return (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[D]").astype(str)


def day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def write_bytes(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)


def write_csv(path: Path, header: list[str], rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def json_document(key: str, records: list[dict], what: str) -> bytes:
    return json.dumps({"publisher": f"SYNTHETIC benchmark data ({what}), bench/generate.py", "_synthetic": True,
                       key: records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---- elections and everything keyed by them -----------------------------------------------------
def elections(rng: np.random.Generator, n: int, pool: list[dict], first_id: int = 0,
              taken: set[str] | None = None, taken_days: set[tuple[str, str, int]] | None = None
              ) -> dict[str, np.ndarray]:
    """n distinct election keys <ISO3>-<YYYY>-<TYPE>-R<n>, dated 1946 to two months before FULL_DATE."""
    types = np.array(list(TYPES))
    out_keys: list[str] = []
    picked = []
    taken = set(taken or ())
    while len(out_keys) < n:
        want = (n - len(out_keys)) * 2
        c = rng.integers(0, len(pool), want)
        y = rng.integers(1946, 2027, want)
        t = (rng.random(want) < 0.2).astype(np.int64)  # 80% parliamentary (with lists), 20% presidential
        r = rng.integers(1, 6, want)
        for ci, yi, ti, ri in zip(c, y, t, r):
            key = f"{pool[ci]['iso3']}-{yi}-{types[ti]}-R{ri}"
            if key in taken:
                continue
            taken.add(key)
            out_keys.append(key)
            picked.append((ci, yi, ti, ri))
            if len(out_keys) == n:
                break
    c, y, t, r = (np.array(v) for v in zip(*picked))
    start = np.array([day_number(date(int(v), 1, 1)) for v in y])
    last = np.minimum(start + 364, day_number(FULL_DATE - timedelta(days=61)))
    day = start + (rng.random(n) * (last - start + 1)).astype(np.int64)
    # one election per country, type and day, as in the real sources: two of them on one day would be
    # one election to our key (dbt_project/macros/election_key.sql); move a clash to a free day
    used = set(taken_days or ())  # (ISO3, type, day number)
    for i in range(n):
        while (pool[c[i]]["iso3"], types[t[i]], int(day[i])) in used:
            day[i] = start[i] + (day[i] - start[i] + 1) % (last[i] - start[i] + 1)
        used.add((pool[c[i]]["iso3"], types[t[i]], int(day[i])))
    registered = rng.integers(200_000, 60_000_000, n)
    turnout = rng.uniform(0.35, 0.9, n)
    cast = (registered * turnout).astype(np.int64)
    valid = (cast * rng.uniform(0.95, 0.995, n)).astype(np.int64)
    return {"key": np.array(out_keys), "country": c, "year": y, "type": t, "round": r, "day": day,
            "registered": registered, "cast": cast, "valid": valid,
            "threshold": np.where(t == 0, rng.choice([3.0, 4.0, 5.0, 7.0], n), np.nan),
            "seats": np.where(t == 0, rng.integers(50, 600, n), 1),
            "lists": rng.integers(10, 66, n), "id": np.arange(first_id, first_id + n)}


def election_records(e: dict, pool: list[dict]) -> list[dict]:
    dates = iso_days(e["day"])
    records = []
    for i in range(len(e["key"])):
        parliamentary = e["type"][i] == 0
        records.append({
            "election_key": str(e["key"][i]), "country": pool[e["country"][i]]["name"],
            "election_type": "parliamentary" if parliamentary else "presidential", "chamber": None,
            "round": int(e["round"][i]), "election_date": str(dates[i]),
            "registered_voters": int(e["registered"][i]), "votes_cast": int(e["cast"][i]),
            "valid_votes": int(e["valid"][i]), "turnout_pct": round(100 * e["cast"][i] / e["registered"][i], 2),
            "threshold_pct": float(e["threshold"][i]) if parliamentary else None,
            "lists_contesting": int(e["lists"][i]) if parliamentary else None,
            "candidates_contesting": None if parliamentary else int(e["lists"][i]),
            "seats_total": int(e["seats"][i]) if parliamentary else None,
            "protest_start_date": None, "result_stage": "final (synthetic)",
            "source_url": f"{URL}/elections/{e['key'][i]}", "synthetic": True})
    return records


def list_results(rng: np.random.Generator, e: dict) -> dict[str, np.ndarray]:
    """Lists of every parliamentary election (presidential ones have none): votes sum to valid
    votes, shares to ~100, seats to the seat total."""
    chosen = np.flatnonzero(e["type"] == 0)
    counts = e["lists"][chosen]
    local = np.repeat(np.arange(len(counts)), counts)
    owner = chosen[local]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    weight = rng.gamma(0.6, 1.0, len(owner))
    share = weight / np.add.reduceat(weight, starts)[local]
    votes = np.floor(share * e["valid"][owner]).astype(np.int64)
    pct = np.floor(10000 * votes / e["valid"][owner]) / 100  # shares cut, not rounded: they never sum above 100
    passed = pct >= e["threshold"][owner]
    passing_votes = np.add.reduceat(np.where(passed, votes, 0), starts)
    seats = np.where(passed, np.floor(e["seats"][owner] * votes / np.maximum(passing_votes[local], 1)), 0).astype(np.int64)
    left = e["seats"][chosen] - np.add.reduceat(seats, starts)
    # the remainder goes to the list with the most votes (the first in each election after sorting)
    winner = np.lexsort((-votes, local))[starts]
    seats[winner] += left
    position = np.arange(len(owner))
    number = position - starts[local] + 1
    return {"owner": owner, "number": number, "votes": votes, "pct": pct, "seats": seats, "passed": passed}


def result_rows(e: dict, lists: dict):
    keys = e["key"]
    parliamentary = e["type"] == 0
    for i in range(len(lists["owner"])):
        o = lists["owner"][i]
        n = lists["number"][i]
        passed = "yes" if lists["passed"][i] else "no"
        yield (keys[o], f"Synthetic list {n}", f"Synthetic list {n}", "false", int(lists["votes"][i]),
               f"{lists['pct'][i]:.2f}", int(lists["seats"][i]) if parliamentary[o] else "",
               passed if parliamentary[o] else "", "final (synthetic)", f"{URL}/results/{keys[o]}", "true")


def bulletins(rng: np.random.Generator, e: dict, n: int, first_id: int = 0) -> list[dict]:
    owner = np.sort(rng.integers(0, len(e["key"]), n))
    offset = rng.integers(0, 31, n)
    order = np.lexsort((offset, owner))
    owner, offset = owner[order], offset[order]
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    dead_step, injured_step = rng.integers(0, 6, n), rng.integers(0, 20, n)
    # running totals within an election: a later bulletin never reports fewer
    dead = np.cumsum(dead_step) - np.repeat(np.r_[0, np.cumsum(dead_step)[starts[1:] - 1]], np.diff(np.r_[starts, n]))
    injured = np.cumsum(injured_step) - np.repeat(np.r_[0, np.cumsum(injured_step)[starts[1:] - 1]],
                                                  np.diff(np.r_[starts, n]))
    days = iso_days(e["day"][owner] + offset)
    records = []
    for i in range(n):
        bid = first_id + i
        records.append({
            "bulletin_id": f"syn-b-{bid}", "election_key": str(e["key"][owner[i]]),
            "authority": "Ministry of Health (synthetic)", "published_at": str(days[i]),
            "published_at_is_approximate": False, "time_of_day": None, "timezone": "UTC", "language": "en",
            "text": f"Synthetic bulletin {bid}: {int(dead[i])} people were killed and {int(injured[i])} injured "
                    f"in clashes.",
            "source_url": f"{URL}/bulletins/{bid}", "coverage": "overall", "coverage_note": None, "synthetic": True})
    return records


def statements(rng: np.random.Generator, e: dict, n: int, first_id: int = 0) -> list[dict]:
    owner = rng.integers(0, len(e["key"]), n)
    final = rng.random(n) < 0.5
    days = iso_days(e["day"][owner] + np.where(final, 60, 1))
    organization = rng.integers(1, 6, n)
    return [{"statement_id": f"syn-s-{first_id + i}", "election_key": str(e["key"][owner[i]]),
             "organization": f"Synthetic Observer Mission {organization[i]}",
             "mission_type": "Election Observation Mission (synthetic)", "head_of_mission": None,
             "statement_type": "final_report" if final[i] else "preliminary", "published_on": str(days[i]),
             "assessment": "Synthetic assessment text.", "text": "Synthetic findings text.",
             "source_url": f"{URL}/statements/{first_id + i}", "synthetic": True} for i in range(n)]


def decisions(rng: np.random.Generator, e: dict, n: int, first_id: int = 0) -> list[dict]:
    owner = rng.integers(0, len(e["key"]), n)
    kinds = np.array(["certification", "result_declared", "recount", "complaint_rejected"])
    kind = kinds[rng.integers(0, len(kinds), n)]
    days = iso_days(e["day"][owner] + rng.integers(1, 40, n))
    return [{"decision_id": f"syn-d-{first_id + i}", "election_key": str(e["key"][owner[i]]),
             "decision_type": str(kind[i]), "decided_on": str(days[i]), "decided_by": "Synthetic Commission",
             "body_type": "election_commission", "scope": "full", "text": "Synthetic decision text.",
             "legal_basis": None, "rerun_date": None, "rerun_election_key": None, "early_election_date": None,
             "source_url": f"{URL}/decisions/{first_id + i}", "synthetic": True} for i in range(n)]


def parlgov_rows(e: dict, lists: dict, pool: list[dict]):
    """ParlGov's 2024 view of the same parliamentary elections (its own ids)."""
    dates = iso_days(e["day"])
    for i in range(len(lists["owner"])):
        o = lists["owner"][i]
        if e["type"][o] != 0:
            continue
        n = int(lists["number"][i])
        yield (pool[e["country"][o]]["iso3"], dates[o], "parliament", f"SYN{n}", 10_000_000 + i,
               "2024-08-15 00:00:00.000000", "2024-08-15 00:00:00.000000", f"SYN{n}", int(lists["seats"][i]),
               f"{np.floor(lists['pct'][i] * 10) / 10:.1f}", int(lists["votes"][i]), "synthetic", 100_000 + int(e["id"][o]),
               500_000 + n, "")


def deco_rows(rng: np.random.Generator, n: int, e: dict, pool: list[dict], codes: dict[str, list[str]]):
    """DECO-layout events (1989-2017, DECO v1.0's span), near elections of those years."""
    eligible = np.flatnonzero((e["year"] >= 1989) & (e["year"] <= 2017))
    owner = eligible[rng.integers(0, len(eligible), n)]
    day = np.clip(e["day"][owner] + rng.integers(-60, 61, n), day_number(date(1989, 1, 1)),
                  day_number(date(2017, 12, 31)))
    dates = EPOCH + day.astype("timedelta64[D]")
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    months = dates.astype("datetime64[M]").astype(int) % 12 + 1
    days_of_month = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    deaths = rng.integers(0, 4, (n, 4))
    picks = {c: rng.integers(0, len(codes[c]), n) for c in DECO_CODES}
    lat, lon = rng.uniform(-40, 60, n), rng.uniform(-100, 140, n)
    for i in range(n):
        country = pool[e["country"][owner[i]]]
        best = int(deaths[i].sum())
        when = f"{months[i]}/{days_of_month[i]}/{years[i]}"
        yield (i + 1, codes["type_of_violence"][picks["type_of_violence"][i]], 9000 + i % 50, "Synthetic conflict",
               20000 + i % 500, 30000 + i % 40, "Synthetic side A", 40000 + i % 40, "Synthetic side B",
               country["gw"], country["name"], codes["region"][picks["region"][i]], int(years[i]), when, when,
               *(int(v) for v in deaths[i]), best, best + int(deaths[i][0]), best, f"{lat[i]:.6f}", f"{lon[i]:.6f}",
               *(codes[c][picks[c][i]] for c in DECO_CODES[2:]), f"SYN-{years[i]}-{i + 1}", 0, "synthetic")


# ---- feeds: envelope pages ----------------------------------------------------------------------
_ACLED_TEMPLATE = "{" + ",".join(f'"{name}":"%s"' for name in ACLED_FIELDS) + "}"


def acled_events(rng: np.random.Generator, n: int, e: dict, pool: list[dict], first_id: int, first_stamp: int,
                 fixed_day: int | None = None, ids: np.ndarray | None = None) -> tuple[list[str], dict]:
    """ACLED events as JSON object texts (every value a string, as ACLED sends), near elections since 1997."""
    eligible = np.flatnonzero(e["day"] >= day_number(date(1997, 3, 1)))
    owner = eligible[rng.integers(0, len(eligible), n)]
    if fixed_day is None:
        day = np.clip(e["day"][owner] + rng.integers(-60, 61, n), day_number(date(1997, 1, 1)), day_number(FULL_DATE))
    else:
        day = np.full(n, fixed_day)
    dates = iso_days(day)
    kinds = np.array(sorted(ACLED_EVENT_TYPES))
    kind = kinds[rng.integers(0, len(kinds), n)]
    fatalities = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 20, n))
    lat, lon = rng.uniform(-40, 60, n), rng.uniform(-100, 140, n)
    ids = ids if ids is not None else np.arange(first_id, first_id + n)
    texts = []
    for i in range(n):
        country = pool[e["country"][owner[i]]]
        d = dates[i]
        values = {"event_id_cnty": f"SYN{ids[i]}", "event_date": d, "year": d[:4], "time_precision": "1",
                  "disorder_type": "Political violence", "event_type": kind[i], "sub_event_type": "Synthetic",
                  "actor1": "Synthetic actor 1", "actor2": "", "interaction": "10", "civilian_targeting": "",
                  "iso": country["numeric"], "region": "Synthetic region", "country": country["name"],
                  "admin1": "", "admin2": "", "location": "Synthetic town", "latitude": f"{lat[i]:.4f}",
                  "longitude": f"{lon[i]:.4f}", "geo_precision": "1", "source": "synthetic",
                  "source_scale": "National", "notes": "synthetic", "fatalities": str(fatalities[i]), "tags": "",
                  "timestamp": str(first_stamp + i)}
        texts.append(_ACLED_TEMPLATE % tuple(json.dumps(values[f])[1:-1] for f in ACLED_FIELDS))
    return texts, {"day": day, "owner": owner}


def ucdp_events(rng: np.random.Generator, n: int, e: dict, pool: list[dict], first_id: int,
                fixed_day: int | None = None) -> list[str]:
    eligible = np.flatnonzero(e["day"] >= day_number(date(1989, 3, 1)))
    owner = eligible[rng.integers(0, len(eligible), n)]
    day = (np.full(n, fixed_day) if fixed_day is not None else
           np.clip(e["day"][owner] + rng.integers(-60, 61, n), day_number(date(1989, 1, 1)), day_number(FULL_DATE)))
    dates = iso_days(day)
    violence = rng.integers(1, 4, n)
    deaths = rng.integers(0, 5, (n, 4))
    lat, lon = rng.uniform(-40, 60, n), rng.uniform(-100, 140, n)
    texts = []
    for i in range(n):
        country = pool[e["country"][owner[i]]]
        best = int(deaths[i].sum())
        record = {"id": first_id + i, "relid": f"SYN-{first_id + i}", "year": int(dates[i][:4]), "active_year": True,
                  "code_status": "Clear", "type_of_violence": int(violence[i]), "conflict_dset_id": "1",
                  "conflict_new_id": 1, "conflict_name": "Synthetic conflict", "dyad_dset_id": "1", "dyad_new_id": 1,
                  "dyad_name": "Synthetic dyad", "side_a_dset_id": "1", "side_a_new_id": 1, "side_a": "Synthetic A",
                  "side_b_dset_id": "2", "side_b_new_id": 2, "side_b": "Synthetic B", "number_of_sources": 1,
                  "source_article": "synthetic", "source_office": "", "source_date": "", "source_headline": "",
                  "source_original": "", "where_prec": 1, "where_coordinates": "Synthetic town",
                  "where_description": "synthetic", "adm_1": None, "adm_2": None, "latitude": round(lat[i], 4),
                  "longitude": round(lon[i], 4), "geom_wkt": "", "priogrid_gid": 1, "country": country["name"],
                  "country_id": int(country["gw"]), "region": "Synthetic", "event_clarity": 1, "date_prec": 1,
                  "date_start": f"{dates[i]}T00:00:00", "date_end": f"{dates[i]}T00:00:00",
                  "deaths_a": int(deaths[i][0]), "deaths_b": int(deaths[i][1]), "deaths_civilians": int(deaths[i][2]),
                  "deaths_unknown": int(deaths[i][3]), "best": best, "low": best, "high": best + int(deaths[i][0]),
                  "gwnoa": str(country["gw"]), "gwnob": None}
        texts.append(json.dumps(record, separators=(",", ":")))
    return texts


def write_acled_pages(folder: Path, texts: list[str], stamps: list[int], days: np.ndarray, start_page: int) -> list[dict]:
    """Envelope pages of ACLED_PAGE events in timestamp order (as the server pages them)."""
    index = []
    for k, first in enumerate(range(0, len(texts), ACLED_PAGE)):
        chunk = texts[first:first + ACLED_PAGE]
        head = ('{"status":200,"success":true,"last_update":0,"count":%d,"messages":[],"_synthetic":true,'
                '"filename":"synthetic","data":[' % len(chunk))
        name = f"page-{start_page + k:05d}.json"
        write_bytes(folder / name, (head + ",".join(chunk) + "]}").encode("utf-8"))
        index.append({"file": name, "rows": len(chunk), "min_timestamp": stamps[first],
                      "max_timestamp": stamps[first + len(chunk) - 1],
                      "min_date": str(iso_days(days[first:first + len(chunk)].min().reshape(1))[0]),
                      "max_date": str(iso_days(days[first:first + len(chunk)].max().reshape(1))[0])})
    return index


def write_ucdp_pages(folder: Path, texts: list[str], dates: list[str], start_page: int) -> list[dict]:
    """Pages of UCDP_PAGE events; the server fills TotalCount, TotalPages and NextPageUrl when serving."""
    index = []
    for k, first in enumerate(range(0, len(texts), UCDP_PAGE)):
        chunk = texts[first:first + UCDP_PAGE]
        name = f"page-{start_page + k:05d}.json"
        write_bytes(folder / name, ('{"_synthetic":true,"Result":[' + ",".join(chunk) + "]}").encode("utf-8"))
        window = dates[first:first + len(chunk)]
        index.append({"file": name, "rows": len(chunk), "min_date": min(window), "max_date": max(window)})
    return index


# ---- the whole set --------------------------------------------------------------------------------
def _finish(out: Path, sf: float, seed: int, counts: dict, kind: str, logical_date: date) -> dict:
    files = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name not in ("manifest.json", "README.md"):
            files[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {"synthetic": True, "generator": "bench/generate.py", "kind": kind, "sf": sf, "seed": seed,
                "logical_date": logical_date.isoformat(), "counts": counts, "quarantine_expected": 0,
                "sha256": files}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / "README.md").write_text(
        "# SYNTHETIC benchmark payloads\n\nWritten by `bench/generate.py` (issue 11) with seed "
        f"{seed} at scale factor {sf} ({kind}). Every figure, name and URL in these files is invented; "
        "they exist only to time the pipeline. Never mix them into `snapshot/` or publish them.\n",
        encoding="utf-8")
    return manifest


def generate(sf: float, seed: int, out: Path) -> dict:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    rng = np.random.default_rng(seed)
    pool = country_pool()
    e = elections(rng, scaled(sf, "elections"), pool)
    lists = list_results(rng, e)
    ec = out / "election_commission"
    write_bytes(ec / "elections.json", json_document("elections", election_records(e, pool), "elections"))
    write_csv(ec / "results.csv", RESULT_HEADER, result_rows(e, lists))
    write_bytes(ec / "decisions.json", json_document("decisions", decisions(rng, e, scaled(sf, "decisions")), "decisions"))
    write_bytes(out / "health_ministry" / "bulletins.json",
                json_document("bulletins", bulletins(rng, e, scaled(sf, "bulletins")), "bulletins"))
    write_bytes(out / "observer_mission" / "statements.json",
                json_document("statements", statements(rng, e, scaled(sf, "statements")), "statements"))
    write_csv(out / "research" / "deco" / "DECO_v.1.0.synthetic.csv", DECO_HEADER,
              deco_rows(rng, scaled(sf, "deco"), e, pool, deco_code_values()))
    parlgov = list(parlgov_rows(e, lists, pool))
    write_csv(out / "research" / "parlgov" / "view_election_2024.synthetic.csv", PARLGOV_HEADER, parlgov)
    index = {"acled": [], "ucdp": {UCDP_VERSION: []}}
    n_acled = scaled(sf, "acled")
    for first in range(0, n_acled, 200_000):  # in slices: bounded memory at SF10
        size = min(200_000, n_acled - first)
        texts, info = acled_events(rng, size, e, pool, first, 1_600_000_000 + first)
        index["acled"] += write_acled_pages(out / "feeds" / "acled" / "events", texts,
                                            list(range(1_600_000_000 + first, 1_600_000_000 + first + size)),
                                            info["day"], len(index["acled"]) + 1)
    n_ucdp = scaled(sf, "ucdp")
    for first in range(0, n_ucdp, 100_000):
        size = min(100_000, n_ucdp - first)
        texts = ucdp_events(rng, size, e, pool, first + 1)
        dates = [t.split('"date_start":"', 1)[1][:10] for t in texts]
        index["ucdp"][UCDP_VERSION] += write_ucdp_pages(out / "feeds" / "ucdp" / UCDP_VERSION, texts, dates,
                                                        len(index["ucdp"][UCDP_VERSION]))
    index["acled_deletions"] = []
    (out / "feeds" / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    counts = {"elections": len(e["key"]), "list_results": len(lists["owner"]), "bulletins": scaled(sf, "bulletins"),
              "statements": scaled(sf, "statements"), "decisions": scaled(sf, "decisions"),
              "deco_events": scaled(sf, "deco"), "parlgov_rows": len(parlgov), "acled_events": n_acled,
              "ucdp_events": n_ucdp}
    return _finish(out, sf, seed, counts, "full", FULL_DATE)


def generate_increment(base: Path, out: Path, fraction: float = 0.01, seed: int = 2) -> dict:
    """The nightly change after `base`: whole-file sources republished with 1% new and revised
    records, new ACLED pages and UCDP events of the nightly date; research files unchanged."""
    base, out = Path(base), Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out, copy_function=os.link)  # unchanged files are the same bytes (hard links)
    base_manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    counts = base_manifest["counts"]
    rng = np.random.default_rng(seed)
    pool = country_pool()
    ec = out / "election_commission"

    def republish(path: Path, key: str, extra: list[dict], revise=None) -> None:
        document = json.loads(path.read_bytes())
        path.unlink()  # a hard link to the base file: write a new file, never through the link
        records = document[key]
        if revise:
            revise(records)
        document[key] = records + extra
        write_bytes(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    old = json.loads((ec / "elections.json").read_bytes())["elections"]
    n_new = max(1, int(round(len(old) * fraction)))
    e = elections(rng, n_new, pool, first_id=len(old), taken={r["election_key"] for r in old},
                  taken_days={(r["election_key"].split("-")[0], r["election_key"].split("-")[2],
                               day_number(date.fromisoformat(r["election_date"]))) for r in old})
    lists = list_results(rng, e)
    republish(ec / "elections.json", "elections", election_records(e, pool))
    results = ec / "results.csv"
    body = results.read_bytes()
    results.unlink()
    write_csv(results, RESULT_HEADER, result_rows(e, lists))
    write_bytes(results, body + results.read_bytes().split(b"\n", 1)[1])
    n_bulletins = max(1, int(round(counts["bulletins"] * fraction)))

    def revise_bulletins(records: list[dict]) -> None:
        for i in rng.choice(len(records), max(1, len(records) // 100), replace=False):
            records[i] = dict(records[i], text=records[i]["text"].replace("in clashes.", "in clashes (revised)."))

    republish(out / "health_ministry" / "bulletins.json", "bulletins",
              bulletins(rng, e, n_bulletins, first_id=counts["bulletins"]), revise_bulletins)
    republish(out / "observer_mission" / "statements.json", "statements",
              statements(rng, e, max(1, int(round(counts["statements"] * fraction))), first_id=counts["statements"]))
    republish(ec / "decisions.json", "decisions",
              decisions(rng, e, max(1, int(round(counts["decisions"] * fraction))), first_id=counts["decisions"]))
    index = json.loads((out / "feeds" / "index.json").read_text(encoding="utf-8"))
    (out / "feeds" / "index.json").unlink()
    base_events = counts["acled_events"]
    new_acled = max(1, int(round(base_events * fraction)))
    revised = rng.choice(base_events, max(1, base_events // 500), replace=False)
    first_stamp = 1_600_000_000 + base_events + 1000
    # new events, then revised copies of existing ones (same id, later timestamp)
    all_e = {k: np.concatenate([v]) for k, v in e.items()}
    texts, info = acled_events(rng, new_acled, all_e, pool, base_events, first_stamp)
    texts2, info2 = acled_events(rng, len(revised), all_e, pool, 0, first_stamp + new_acled, ids=np.sort(revised))
    stamps = list(range(first_stamp, first_stamp + new_acled + len(revised)))
    index["acled"] += write_acled_pages(out / "feeds" / "acled" / "events", texts + texts2, stamps,
                                        np.concatenate([info["day"], info2["day"]]), len(index["acled"]) + 1)
    deleted = rng.choice(base_events, max(1, base_events // 1000), replace=False)
    index["acled_deletions"] = [f"SYN{i}" for i in sorted(deleted.tolist())]
    n_ucdp = max(1, int(round(counts["ucdp_events"] * fraction)))
    texts = ucdp_events(rng, n_ucdp, e, pool, counts["ucdp_events"] + 1, fixed_day=day_number(NIGHTLY_DATE))
    index["ucdp"][UCDP_VERSION] += write_ucdp_pages(out / "feeds" / "ucdp" / UCDP_VERSION, texts,
                                                    [NIGHTLY_DATE.isoformat()] * n_ucdp,
                                                    len(index["ucdp"][UCDP_VERSION]))
    (out / "feeds" / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    (out / "manifest.json").unlink()
    (out / "README.md").unlink()
    new_counts = {"new_elections": n_new, "new_list_results": len(lists["owner"]), "new_bulletins": n_bulletins,
                  "revised_bulletins": max(1, counts["bulletins"] // 100), "new_acled_events": new_acled,
                  "revised_acled_events": len(revised), "deleted_acled_events": len(deleted),
                  "new_ucdp_events": n_ucdp, "base": counts}
    return _finish(out, base_manifest["sf"], seed, new_counts, "nightly increment", NIGHTLY_DATE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--increment-of", type=Path, default=None, help="write the nightly 1%% after this base set")
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(SNAPSHOT_DIR.resolve()):
        parser.error("refusing to write synthetic data into snapshot/")
    manifest = (generate_increment(args.increment_of, args.out, seed=args.seed) if args.increment_of
                else generate(args.sf, args.seed, args.out))
    print(json.dumps(manifest["counts"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
