"""Election-commission payloads: election totals, list results (CSV) and decisions."""
from __future__ import annotations

import csv
import io
from collections import defaultdict

from ingestion.countries import resolve_country, unresolved_reason
from ingestion.parsers.common import (Column, Parsed, PayloadError, RecordError, as_choice, as_election_key,
                                      as_flag, as_float, as_int, as_partial_date, as_text, as_url, extras,
                                      load_json_list, period_start, require_fields)

ELECTION_TYPES = {"parliamentary", "presidential", "general", "referendum"}
# What a commission, court or officeholder decided, and what came of the election (docs/contracts.md).
DECISION_TYPES = {
    "annulment", "partial_annulment", "annulment_disputed", "precinct_cancellation", "round_cancelled",
    "rerun_scheduled", "rerun_postponed", "early_election_called", "recount", "result_declared", "certification",
    "complaint_rejected", "result_rejected", "boycott", "resignation", "acting_officeholder", "inauguration",
    "power_sharing_agreement", "rule_change", "state_of_emergency", "protest_event", "other",
}
BODY_TYPES = {"election_commission", "court", "parliament", "other"}
SCOPES = {"full", "partial"}
ANNULLING = {"annulment", "partial_annulment", "annulment_disputed"}  # these must name who decided
SHARE_SUM_LIMIT = 101.0  # shares of one election may round a little above 100, never far above

ELECTION_COLUMNS = [
    Column("election_key", "VARCHAR"), Column("country", "VARCHAR"), Column("country_iso3", "VARCHAR"),
    Column("election_type", "VARCHAR"), Column("chamber", "VARCHAR"), Column("round", "INTEGER"),
    Column("election_date", "VARCHAR"), Column("election_date_is_approximate", "BOOLEAN"),
    Column("registered_voters", "BIGINT"), Column("votes_cast", "BIGINT"),
    Column("valid_votes", "BIGINT"), Column("turnout_pct", "DOUBLE"), Column("threshold_pct", "DOUBLE"),
    Column("lists_contesting", "INTEGER"), Column("candidates_contesting", "INTEGER"),
    Column("seats_total", "INTEGER"), Column("protest_start_date", "VARCHAR"),
    Column("protest_start_date_is_approximate", "BOOLEAN"), Column("result_stage", "VARCHAR"),
    Column("next_election_key", "VARCHAR"), Column("source_url", "VARCHAR"), Column("field_sources", "JSON"),
    Column("_extra", "JSON"),
]
RESULT_COLUMNS = [
    Column("election_key", "VARCHAR"), Column("list_name", "VARCHAR"), Column("list_name_english", "VARCHAR"),
    Column("votes", "BIGINT"), Column("vote_share_pct", "DOUBLE"), Column("seats", "INTEGER"),
    Column("declared_passed", "VARCHAR"), Column("result_stage", "VARCHAR"), Column("source_url", "VARCHAR"),
    Column("english_name_is_researcher_translation", "BOOLEAN"), Column("_extra", "JSON"),
]
DECISION_COLUMNS = [
    Column("decision_id", "VARCHAR"), Column("election_key", "VARCHAR"), Column("decision_type", "VARCHAR"),
    Column("decided_on", "VARCHAR"), Column("decided_on_is_approximate", "BOOLEAN"),
    Column("decided_by", "VARCHAR"), Column("body_type", "VARCHAR"),
    Column("scope", "VARCHAR"), Column("text", "VARCHAR"), Column("legal_basis", "VARCHAR"),
    Column("rerun_date", "VARCHAR"), Column("rerun_date_is_approximate", "BOOLEAN"),
    Column("rerun_election_key", "VARCHAR"), Column("early_election_date", "VARCHAR"),
    Column("early_election_date_is_approximate", "BOOLEAN"), Column("source_url", "VARCHAR"),
    Column("_extra", "JSON"),
]
RESULT_HEADER = ["election_key", "list_name", "list_name_english", "votes", "vote_share_pct", "seats",
                 "declared_passed", "result_stage", "source_url"]
RESULT_OPTIONAL = ["english_name_is_researcher_translation"]  # read when present, else false


def parse_elections(body: bytes, source_id: str) -> Parsed:
    parsed = Parsed("elections", ELECTION_COLUMNS)
    known = {c.name for c in ELECTION_COLUMNS} - {"country_iso3", "_extra"}
    required = ["election_key", "country", "election_date", "source_url"]
    seen: set[str] = set()
    for i, record in enumerate(load_json_list(body, "elections", source_id, required, known)):
        locator = f"elections[{i}]"
        try:
            require_fields(record, required)
            key = as_election_key(record["election_key"])
            if key in seen:
                # two versions of one election in one payload: staging could not tell which is current
                raise RecordError(f"duplicate election_key {key!r} in the same payload")
            iso3 = resolve_country(record.get("country"))
            if iso3 is None:
                raise RecordError(unresolved_reason(record.get("country")))
            if iso3 != key[:3]:
                raise RecordError(f"country {record['country']!r} is {iso3}, but election_key {key} says {key[:3]}")
            election_date = as_partial_date(record["election_date"], "election_date")
            if election_date is None:
                raise RecordError("election_date is missing")
            if election_date[:4] != key[4:8]:
                raise RecordError(f"election_date {election_date} does not fall in the year of {key}")
            sources = record.get("field_sources") or {}
            if not isinstance(sources, dict):
                raise RecordError("field_sources must be an object field → URL")
            for name, url in sources.items():
                as_url(url, f"field_sources.{name}")
            row = {
                "election_key": key, "country": as_text(record["country"]), "country_iso3": iso3,
                "election_type": as_choice(record.get("election_type"), "election_type", ELECTION_TYPES),
                "chamber": as_text(record.get("chamber")),
                "round": as_int(record.get("round"), "round", minimum=1),
                "election_date": election_date,
                "election_date_is_approximate": as_flag(record.get("election_date_is_approximate"),
                                                        "election_date_is_approximate"),
                "registered_voters": as_int(record.get("registered_voters"), "registered_voters"),
                "votes_cast": as_int(record.get("votes_cast"), "votes_cast"),
                "valid_votes": as_int(record.get("valid_votes"), "valid_votes"),
                "turnout_pct": as_float(record.get("turnout_pct"), "turnout_pct", 0, 100),
                "threshold_pct": as_float(record.get("threshold_pct"), "threshold_pct", 0, 100),
                "lists_contesting": as_int(record.get("lists_contesting"), "lists_contesting"),
                "candidates_contesting": as_int(record.get("candidates_contesting"), "candidates_contesting"),
                "seats_total": as_int(record.get("seats_total"), "seats_total"),
                "protest_start_date": as_partial_date(record.get("protest_start_date"), "protest_start_date"),
                "protest_start_date_is_approximate": as_flag(record.get("protest_start_date_is_approximate"),
                                                             "protest_start_date_is_approximate"),
                "result_stage": as_text(record.get("result_stage")),
                "next_election_key": (as_election_key(record["next_election_key"])
                                      if record.get("next_election_key") else None),
                "source_url": as_url(record["source_url"]),
                "field_sources": sources or None,
                "_extra": extras(record, known),
            }
            if row["protest_start_date"] and period_start(row["protest_start_date"]) < election_date[:4] + "-01-01":
                raise RecordError(f"protest_start_date {row['protest_start_date']} is before the election year")
            seen.add(key)
            parsed.accept(locator, row)
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return parsed


def parse_party_results(body: bytes, source_id: str) -> Parsed:
    parsed = Parsed("party_results", RESULT_COLUMNS)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"source {source_id}: CSV is not UTF-8 ({exc})") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        missing = [name for name in RESULT_HEADER if name not in header]
        if missing:
            raise PayloadError(f"source {source_id}: CSV is missing required column(s) {', '.join(missing)} "
                               f"(got {', '.join(header) or 'no header'})")
        rows = list(reader)
    except csv.Error as exc:
        raise PayloadError(f"source {source_id}: CSV is malformed ({exc})") from None
    by_election: dict[str, list[tuple[str, dict, dict]]] = defaultdict(list)
    for line, record in enumerate(rows, start=2):
        locator = f"line {line}"
        try:
            if None in record or any(v is None for v in record.values()):
                raise RecordError("row has a different number of fields than the header")
            key = as_election_key(record["election_key"])
            name = as_text(record["list_name"])
            if name is None:
                raise RecordError("list_name is empty")
            row = {
                "election_key": key, "list_name": name, "list_name_english": as_text(record["list_name_english"]),
                "votes": as_int(record["votes"], "votes"),
                "vote_share_pct": as_float(record["vote_share_pct"], "vote_share_pct", 0, 100),
                "seats": as_int(record["seats"], "seats"),
                "declared_passed": as_choice(record["declared_passed"], "declared_passed", {"yes", "no", "exempt"}),
                "result_stage": as_text(record["result_stage"]), "source_url": as_url(record["source_url"]),
                "english_name_is_researcher_translation": as_flag(
                    record.get("english_name_is_researcher_translation"), "english_name_is_researcher_translation"),
                "_extra": extras(record, set(RESULT_HEADER + RESULT_OPTIONAL)),
            }
            by_election[key].append((locator, row, record))
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    for key, entries in by_election.items():
        # duplicates first: a list reported twice must not make the whole election's shares look wrong
        unique, seen = [], set()
        for locator, row, record in entries:
            if row["list_name"] in seen:
                parsed.reject(locator, f"duplicate list {row['list_name']!r} for {key}", record)
                continue
            seen.add(row["list_name"])
            unique.append((locator, row, record))
        total = sum(row["vote_share_pct"] or 0 for _, row, _ in unique)
        if total > SHARE_SUM_LIMIT:
            for locator, _, record in unique:
                parsed.reject(locator, f"vote shares of {key} sum to {total:.2f}%, far above 100", record)
            continue
        for locator, row, _ in unique:
            parsed.accept(locator, row)
    return parsed


def parse_decisions(body: bytes, source_id: str) -> Parsed:
    parsed = Parsed("decisions", DECISION_COLUMNS)
    known = {c.name for c in DECISION_COLUMNS} - {"_extra"}
    seen: set[str] = set()
    required = ["decision_id", "election_key", "decision_type", "source_url"]
    for i, record in enumerate(load_json_list(body, "decisions", source_id, required, known)):
        locator = f"decisions[{i}]"
        try:
            require_fields(record, required)
            decision_id = as_text(record["decision_id"])
            if not decision_id:
                raise RecordError("decision_id is empty")
            if decision_id in seen:
                raise RecordError(f"duplicate decision_id {decision_id!r}")
            row = {
                "decision_id": decision_id, "election_key": as_election_key(record["election_key"]),
                "decision_type": as_choice(record["decision_type"], "decision_type", DECISION_TYPES, nullable=False),
                "decided_on": as_partial_date(record.get("decided_on"), "decided_on"),
                "decided_on_is_approximate": as_flag(record.get("decided_on_is_approximate"),
                                                     "decided_on_is_approximate"),
                "decided_by": as_text(record["decided_by"]),
                "body_type": as_choice(record.get("body_type"), "body_type", BODY_TYPES,
                                       nullable=record.get("decision_type") not in ANNULLING),
                "scope": as_choice(record.get("scope"), "scope", SCOPES),
                "text": as_text(record.get("text")), "legal_basis": as_text(record.get("legal_basis")),
                "rerun_date": as_partial_date(record.get("rerun_date"), "rerun_date", allow_future=True),
                "rerun_date_is_approximate": as_flag(record.get("rerun_date_is_approximate"),
                                                     "rerun_date_is_approximate"),
                "rerun_election_key": as_election_key(record["rerun_election_key"]) if record.get("rerun_election_key") else None,
                "early_election_date": as_partial_date(record.get("early_election_date"), "early_election_date",
                                                       allow_future=True),
                "early_election_date_is_approximate": as_flag(record.get("early_election_date_is_approximate"),
                                                              "early_election_date_is_approximate"),
                "source_url": as_url(record["source_url"]), "_extra": extras(record, known),
            }
            if row["decision_type"] in ANNULLING and not row["decided_by"]:
                raise RecordError(f"{row['decision_type']} without decided_by")
            seen.add(decision_id)
            parsed.accept(locator, row)
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return parsed
