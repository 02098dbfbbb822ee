"""Casualty bulletins: keep every bulletin as the publisher sent it; its figures are derived later.

The loader stores bulletins verbatim (raw holds what publishers sent); `ingestion/derive.py`
reads the figures and the report interval from them, versioned, so an extractor fix reaches every
bulletin ever loaded without fetching it again.

A bulletin's time is kept at the precision it was published with: a report known only by its
date becomes the interval of that day, not midnight. `reported_to` is the latest moment the
report can have appeared, which is what "as of" questions compare against.
"""
from __future__ import annotations

import calendar
import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingestion.parsers.common import (Column, Parsed, RecordError, as_choice, as_election_key, as_flag, as_text,
                                      as_url, extras, load_json_list, require_fields, today)

PARTS_OF_DAY = {"night": (time(0, 0), time(5, 59, 59)), "morning": (time(5, 0), time(12, 0)),
                "afternoon": (time(12, 0), time(18, 0)), "evening": (time(17, 0), time(23, 59, 59))}

BULLETIN_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("election_key", "VARCHAR"), Column("authority", "VARCHAR"),
    Column("published_at", "VARCHAR"), Column("time_of_day", "VARCHAR"), Column("timezone", "VARCHAR"),
    Column("language", "VARCHAR"), Column("text", "VARCHAR"), Column("coverage", "VARCHAR"),
    Column("coverage_note", "VARCHAR"), Column("source_url", "VARCHAR"),
    Column("published_at_is_approximate", "BOOLEAN"), Column("_extra", "JSON"),
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


def _as_sent(value):
    """A field's value as the publisher sent it (text stays text, verbatim); only non-text scalars become text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def parse_bulletins(body: bytes, source_id: str) -> Parsed:
    """Bulletins as sent, after the bulletin-level checks; figures are read later, by the derive stage."""
    bulletins = Parsed("casualty_bulletins", BULLETIN_COLUMNS)
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
            if not as_text(record["text"]):
                raise RecordError("text is empty")
            if not as_text(record["authority"]):
                raise RecordError("authority is empty")
            as_election_key(record["election_key"])
            as_url(record["source_url"])
            as_choice(record.get("coverage"), "coverage", COVERAGES)
            approximate = as_flag(record.get("published_at_is_approximate"), "published_at_is_approximate")
            # checked here so a bad date or zone is refused at load; the interval itself is derived
            report_interval(as_text(record.get("published_at")),
                            as_choice(record.get("time_of_day"), "time_of_day", set(PARTS_OF_DAY)),
                            as_text(record["timezone"]) or "")
        except RecordError as exc:
            bulletins.reject(locator, str(exc), record)
            continue
        seen.add(bulletin_id)
        row = {name: _as_sent(record.get(name)) for name in known}
        row["published_at_is_approximate"] = approximate if "published_at_is_approximate" in record else None
        row["_extra"] = extras(record, known)
        bulletins.accept(locator, row)
    return bulletins
