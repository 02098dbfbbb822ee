"""Observer-mission statements: who observed, when, the verdict, and the findings text."""
from __future__ import annotations

from ingestion.parsers.common import (Column, Parsed, RecordError, as_choice, as_election_key, as_flag,
                                      as_partial_date, as_text, as_url, extras, load_json_list,
                                      require_fields)

STATEMENT_TYPES = {"preliminary", "interim", "final_report", "press_release", "statement"}
STATEMENT_COLUMNS = [
    Column("statement_id", "VARCHAR"), Column("election_key", "VARCHAR"), Column("organization", "VARCHAR"),
    Column("mission_type", "VARCHAR"), Column("head_of_mission", "VARCHAR"), Column("statement_type", "VARCHAR"),
    Column("published_on", "VARCHAR"), Column("published_on_is_approximate", "BOOLEAN"),
    Column("assessment", "VARCHAR"), Column("text", "VARCHAR"),
    Column("source_url", "VARCHAR"), Column("_extra", "JSON"),
]


def parse_statements(body: bytes, source_id: str) -> Parsed:
    parsed = Parsed("observer_statements", STATEMENT_COLUMNS)
    known = {c.name for c in STATEMENT_COLUMNS} - {"_extra"}
    seen: set[str] = set()
    required = ["statement_id", "election_key", "organization", "source_url"]
    for i, record in enumerate(load_json_list(body, "statements", source_id, required, known)):
        locator = f"statements[{i}]"
        try:
            require_fields(record, required)
            statement_id = as_text(record["statement_id"])
            if not statement_id or statement_id in seen:
                raise RecordError(f"statement_id {statement_id!r} is empty or duplicated")
            organization = as_text(record["organization"])
            if not organization:
                raise RecordError("organization is empty")
            row = {
                "statement_id": statement_id, "election_key": as_election_key(record["election_key"]),
                "organization": organization, "mission_type": as_text(record.get("mission_type")),
                "head_of_mission": as_text(record.get("head_of_mission")),
                "statement_type": as_choice(record.get("statement_type"), "statement_type", STATEMENT_TYPES),
                "published_on": as_partial_date(record.get("published_on"), "published_on"),
                "published_on_is_approximate": as_flag(record.get("published_on_is_approximate"),
                                                       "published_on_is_approximate"),
                "assessment": as_text(record.get("assessment")), "text": as_text(record.get("text")),
                "source_url": as_url(record["source_url"]), "_extra": extras(record, known),
            }
            seen.add(statement_id)
            parsed.accept(locator, row)
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return parsed
