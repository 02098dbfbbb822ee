"""The kinds of raw document the derive stage reads, and the derived tables each kind's readings go to.

A ministry's casualty bulletin is the authority's own statement (a primary source); a ReliefWeb
report relays the figures of whoever published it (a secondary source, read by machine). Both go
through the same extractor, once per raw copy and extractor version, but into tables of their
own, so the bulletins' figures, their models and their tests stay as they were and a report's
figure can never be mistaken for a bulletin's.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Callable

from ingestion.parsers.common import Column, RecordError, as_text
from ingestion.parsers.health_ministry import PARTS_OF_DAY, report_interval

FIGURE_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("figure_index", "INTEGER"),
    Column("extractor_version", "VARCHAR"), Column("metric", "VARCHAR"), Column("value", "BIGINT"),
    Column("value_high", "BIGINT"), Column("qualifier", "VARCHAR"), Column("evidence", "VARCHAR"),
    Column("counted", "VARCHAR"), Column("scope", "VARCHAR"), Column("part_of", "INTEGER"),
    Column("language", "VARCHAR"), Column("evidence_start", "INTEGER"), Column("evidence_end", "INTEGER"),
    Column("cues", "JSON"), Column("reported_from", "TIMESTAMPTZ"), Column("reported_to", "TIMESTAMPTZ"),
    Column("reported_precision", "VARCHAR"), Column("derived_at", "TIMESTAMPTZ"),
]
DERIVATION_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("extractor_version", "VARCHAR"),
    Column("status", "VARCHAR"), Column("figures", "INTEGER"), Column("derived_at", "TIMESTAMPTZ"),
]
ISSUE_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("extractor_version", "VARCHAR"),
    Column("language", "VARCHAR"), Column("reason", "VARCHAR"), Column("recorded_at", "TIMESTAMPTZ"),
]
# (text, declared language, (reported_from, reported_to, precision)); raises RecordError naming the document
Reading = Callable[[str, str, dict], "tuple[str, str | None, tuple]"]


@dataclass(frozen=True)
class Documents:
    noun: str                  # how messages name one document: "bulletin", "ReliefWeb report"
    raw: str                   # its raw table
    key: str                   # its id column (raw and derived)
    fields: tuple[str, ...]    # the raw columns its reading is a function of: identical copies share figures
    tables: dict               # role (figures, derivations, issues) -> derived table
    read: Reading
    no_figure_is_issue: bool   # a bulletin exists to give figures; most reports give none, and that is fine

    def columns(self, role: str) -> list[Column]:
        base = {"figures": FIGURE_COLUMNS, "derivations": DERIVATION_COLUMNS, "issues": ISSUE_COLUMNS}[role]
        return [dataclasses.replace(c, name=self.key) if c.name == "bulletin_id" else c for c in base]


def _bulletin(bulletin_id: str, sha: str, row: dict) -> tuple:
    """A bulletin's text, its declared language and its report interval (from its publication time)."""
    time_of_day, published_at, zone = row["time_of_day"], row["published_at"], row["timezone"]
    try:
        if time_of_day is not None and as_text(time_of_day) not in PARTS_OF_DAY:
            raise RecordError(f"time_of_day {time_of_day!r} is not one of {sorted(PARTS_OF_DAY)}")
        interval = report_interval(as_text(published_at), as_text(time_of_day), as_text(zone) or "")
    except RecordError as exc:  # a bulletin loaded before a check existed
        raise RecordError(f"bulletin {bulletin_id!r} (payload {sha[:12]}): {exc}; fix the record at its "
                          f"publisher, the next load and derive take the corrected copy") from None
    return row["text"] or "", as_text(row["language"]), interval


def declared_language(codes) -> str | None:
    """The report's language when ReliefWeb gives exactly one (its "ot", other, says nothing); else detected."""
    try:
        values = json.loads(codes) if isinstance(codes, str) else codes
    except ValueError:
        return None
    values = [v for v in values or [] if isinstance(v, str) and v.strip()]
    if len(values) != 1 or values[0].strip().lower() == "ot":
        return None
    return values[0].strip().lower()


def _report(report_id: str, sha: str, row: dict) -> tuple:
    """A report's plain text, its language and the day its source published it (date.original, else posted)."""
    text = as_text(row["body_text"])
    if not text:
        raise RecordError(f"ReliefWeb report {report_id!r} (payload {sha[:12]}): it has no text to read (body-html "
                          f"empty or absent), so no casualty figure could be derived; fix: none here, the report's "
                          f"next edit at ReliefWeb (a new date.changed) is pulled and derived again")
    day = as_text(row["date_original"]) or as_text(row["date_created"])
    try:
        interval = report_interval(day[:10] if day else None, None, "UTC")
    except RecordError as exc:
        raise RecordError(f"ReliefWeb report {report_id!r} (payload {sha[:12]}): date.original {day!r}: {exc}; "
                          f"fix: none here, a corrected report at ReliefWeb is pulled and derived again") from None
    return text, declared_language(row["language_codes"]), interval


BULLETINS = Documents(
    noun="bulletin", raw="casualty_bulletins", key="bulletin_id",
    fields=("text", "language", "published_at", "time_of_day", "timezone"),
    tables={"figures": "casualty_figures", "derivations": "derivations", "issues": "derivation_issues"},
    read=_bulletin, no_figure_is_issue=True)
REPORTS = Documents(
    noun="ReliefWeb report", raw="reliefweb_reports", key="report_id",
    fields=("body_text", "language_codes", "date_original", "date_created"),
    tables={"figures": "reliefweb_casualty_figures", "derivations": "reliefweb_derivations",
            "issues": "reliefweb_derivation_issues"},
    read=_report, no_figure_is_issue=False)
KINDS = (BULLETINS, REPORTS)
