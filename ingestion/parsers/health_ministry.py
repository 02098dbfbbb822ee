"""Casualty bulletins: keep every bulletin as published, and extract its figures from the prose.

A bulletin's time is kept at the precision it was published with: a report known only by its
date becomes the interval of that day, not midnight. `reported_to` is the latest moment the
report can have appeared, which is what "as of" questions compare against.
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingestion.parsers.casualty_text import extract_figures
from ingestion.parsers.common import (Column, Parsed, RecordError, as_choice, as_election_key, as_text,
                                      as_url, extras, load_json_list, require_fields, today)

PARTS_OF_DAY = {"night": (time(0, 0), time(5, 59, 59)), "morning": (time(5, 0), time(12, 0)),
                "afternoon": (time(12, 0), time(18, 0)), "evening": (time(17, 0), time(23, 59, 59))}

BULLETIN_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("election_key", "VARCHAR"), Column("authority", "VARCHAR"),
    Column("published_at", "VARCHAR"), Column("time_of_day", "VARCHAR"), Column("timezone", "VARCHAR"),
    Column("language", "VARCHAR"), Column("text", "VARCHAR"), Column("coverage", "VARCHAR"),
    Column("coverage_note", "VARCHAR"), Column("source_url", "VARCHAR"), Column("_extra", "JSON"),
]
FIGURE_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("figure_index", "INTEGER"), Column("election_key", "VARCHAR"),
    Column("authority", "VARCHAR"), Column("metric", "VARCHAR"), Column("value", "BIGINT"),
    Column("value_high", "BIGINT"), Column("qualifier", "VARCHAR"), Column("evidence", "VARCHAR"),
    Column("reported_from", "TIMESTAMPTZ"), Column("reported_to", "TIMESTAMPTZ"),
    Column("reported_precision", "VARCHAR"), Column("timezone", "VARCHAR"), Column("coverage", "VARCHAR"),
    Column("source_url", "VARCHAR"),
]
COVERAGES = {"overall", "partial"}  # partial: one hospital, one incident, one week... never a running total
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2}))?)?)?$")


def report_interval(published_at: str | None, time_of_day: str | None, zone: str) -> tuple[str | None, str | None, str]:
    """(reported_from, reported_to, precision) as ISO strings with offsets, in the bulletin's own zone."""
    if not published_at:
        return None, None, "unknown"
    match = _PUBLISHED.match(published_at.strip())
    if not match:
        raise RecordError(f"published_at {published_at!r} is not YYYY[-MM[-DD[THH:MM]]]")
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecordError(f"timezone {zone!r} is not an IANA time zone") from None
    year, month, day, hour, minute = match.groups()
    try:
        if hour is not None:
            start = end = datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=tz)
            precision = "minute"
        elif day is not None:
            base = datetime(int(year), int(month), int(day))
            if time_of_day:
                if time_of_day not in PARTS_OF_DAY:
                    raise RecordError(f"time_of_day {time_of_day!r} is not one of {sorted(PARTS_OF_DAY)}")
                first, last = PARTS_OF_DAY[time_of_day]
                start = datetime.combine(base.date(), first, tz)
                end = datetime.combine(base.date(), last, tz)
                precision = "part_of_day"
            else:
                start = datetime.combine(base.date(), time(0, 0), tz)
                end = datetime.combine(base.date(), time(23, 59, 59), tz)
                precision = "day"
        elif month is not None:
            last_day = calendar.monthrange(int(year), int(month))[1]
            start = datetime(int(year), int(month), 1, tzinfo=tz)
            end = datetime(int(year), int(month), last_day, 23, 59, 59, tzinfo=tz)
            precision = "month"
        else:
            start = datetime(int(year), 1, 1, tzinfo=tz)
            end = datetime(int(year), 12, 31, 23, 59, 59, tzinfo=tz)
            precision = "year"
    except ValueError as exc:
        raise RecordError(f"published_at {published_at!r} is not a real date ({exc})") from None
    if start.date() > today() + timedelta(days=1):
        raise RecordError(f"published_at {published_at} is in the future")
    return start.isoformat(), end.isoformat(), precision


def parse_bulletins(body: bytes, source_id: str) -> list[Parsed]:
    bulletins = Parsed("casualty_bulletins", BULLETIN_COLUMNS)
    figures = Parsed("casualty_figures", FIGURE_COLUMNS)
    known = {c.name for c in BULLETIN_COLUMNS} - {"_extra"}
    seen: set[str] = set()
    required = ["bulletin_id", "election_key", "authority", "text", "source_url", "timezone"]
    for i, record in enumerate(load_json_list(body, "bulletins", source_id, required, known)):
        locator = f"bulletins[{i}]"
        try:
            require_fields(record, required)
            bulletin_id = as_text(record["bulletin_id"])
            if not bulletin_id:
                raise RecordError("bulletin_id is empty")
            if bulletin_id in seen:
                raise RecordError(f"duplicate bulletin_id {bulletin_id!r} in the same payload")
            text = as_text(record["text"])
            if not text:
                raise RecordError("text is empty")
            zone = as_text(record["timezone"]) or ""
            start, end, precision = report_interval(as_text(record.get("published_at")),
                                                    as_choice(record.get("time_of_day"), "time_of_day", set(PARTS_OF_DAY)),
                                                    zone)
            extracted = extract_figures(text, as_text(record.get("language")))
            if not extracted:
                raise RecordError("no casualty figure could be read from the bulletin text")
            row = {
                "bulletin_id": bulletin_id, "election_key": as_election_key(record["election_key"]),
                "authority": as_text(record["authority"]), "published_at": as_text(record.get("published_at")),
                "time_of_day": as_text(record.get("time_of_day")), "timezone": zone,
                "language": as_text(record.get("language")), "text": text,
                "coverage": as_choice(record.get("coverage"), "coverage", COVERAGES) or "overall",
                "coverage_note": as_text(record.get("coverage_note")),
                "source_url": as_url(record["source_url"]), "_extra": extras(record, known),
            }
            if not row["authority"]:
                raise RecordError("authority is empty")
        except RecordError as exc:
            bulletins.reject(locator, str(exc), record)
            continue
        seen.add(bulletin_id)
        bulletins.accept(locator, row)
        for n, figure in enumerate(extracted):
            figures.accept(f"{locator}.figures[{n}]", {
                "bulletin_id": bulletin_id, "figure_index": n, "election_key": row["election_key"],
                "authority": row["authority"], "metric": figure.metric, "value": figure.value,
                "value_high": figure.value_high, "qualifier": figure.qualifier, "evidence": figure.evidence,
                "reported_from": start, "reported_to": end, "reported_precision": precision,
                "timezone": zone, "coverage": row["coverage"], "source_url": row["source_url"],
            })
    return [bulletins, figures]
