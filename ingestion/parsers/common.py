"""Shared record checks for the payload parsers: typed fields, clear reasons, nothing silently dropped."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Collection, Sequence

ELECTION_KEY = re.compile(r"^[A-Z]{3}-\d{4}-(PARL|PRES|GEN|REF)(-R\d+)?$")


class PayloadError(ValueError):
    """The whole payload is unusable (not JSON, a required column missing...)."""


class RecordError(ValueError):
    """One record is unusable; it goes to quarantine with this message as the reason."""


@dataclass
class Column:
    name: str
    sql_type: str  # DuckDB type of the raw column
    required: bool = False
    check: Callable[[Any], Any] | None = None  # converts/validates; raises RecordError


@dataclass
class Rejected:
    locator: str
    reason: str
    record: Any


@dataclass
class Parsed:
    table: str
    columns: list[Column]
    records: list[dict] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def accept(self, locator: str, record: dict) -> None:
        self.records.append(record)
        self.locators.append(locator)

    def reject(self, locator: str, reason: str, record: Any) -> None:
        self.rejected.append(Rejected(locator, reason, record))


def today() -> date:
    return datetime.now(timezone.utc).date()


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_int(value: Any, name: str, minimum: int | None = 0) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RecordError(f"{name} must be a whole number, got {value!r}")
    try:
        number = int(str(value).replace(",", "").strip()) if not isinstance(value, int) else value
    except ValueError:
        raise RecordError(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise RecordError(f"{name} must be >= {minimum}, got {number}")
    return number


def as_float(value: Any, name: str, low: float | None = None, high: float | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".").strip()) if isinstance(value, str) else float(value)
    except ValueError:
        raise RecordError(f"{name} must be a number, got {value!r}") from None
    if low is not None and number < low:
        raise RecordError(f"{name} must be >= {low}, got {number}")
    if high is not None and number > high:
        raise RecordError(f"{name} must be <= {high}, got {number}")
    return number


def as_date(value: Any, name: str, allow_future: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        parsed = date.fromisoformat(str(value).strip())
    except ValueError:
        raise RecordError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None
    if not allow_future and parsed > today():
        raise RecordError(f"{name} {parsed} is in the future")
    return parsed.isoformat()


PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = {1: "year", 2: "month", 3: "day"}
DATE_FORMS = "YYYY-MM-DD, or YYYY-MM when only the month is known, or YYYY when only the year is"


def as_partial_date(value: Any, name: str, allow_future: bool = False) -> str | None:
    """A date at the precision the source gives (day, month or year), kept as the string sent.

    Sources date some facts only to the month ("protests began in June 2019"); dropping them or
    padding them to a day would both misstate the source.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    match = PARTIAL_DATE.match(text)
    if not match:
        raise RecordError(f"{name} {value!r} is not a date: write {DATE_FORMS}")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        first = date(year, month or 1, day or 1)
    except ValueError:
        raise RecordError(f"{name} {value!r} is not a real date: write {DATE_FORMS}") from None
    if not allow_future and first > today():
        raise RecordError(f"{name} {text} is in the future")
    return text


def date_precision(text: str | None) -> str | None:
    """day, month or year for a string accepted by as_partial_date."""
    return PRECISIONS[len(text.split("-"))] if text else None


def period_start(text: str) -> str:
    """The first day of a partial date's period, YYYY-MM-DD (for comparisons)."""
    parts = text.split("-") + ["01", "01"]
    return "-".join(parts[:3])


def as_flag(value: Any, name: str) -> bool:
    """A yes/no caveat such as `<date>_is_approximate`; absent or null means false."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise RecordError(f"{name} must be true or false, got {value!r}")


def as_choice(value: Any, name: str, choices: set[str], nullable: bool = True) -> str | None:
    text = as_text(value)
    if text is None:
        if nullable:
            return None
        raise RecordError(f"{name} is missing (expected one of {sorted(choices)})")
    if text not in choices:
        raise RecordError(f"{name} {text!r} is not one of {sorted(choices)}")
    return text


def as_election_key(value: Any) -> str:
    text = as_text(value)
    if text is None or not ELECTION_KEY.match(text):
        raise RecordError(f"election_key {value!r} does not match <ISO3>-<YYYY>-<PARL|PRES|GEN|REF>[-R<n>]")
    return text


def as_url(value: Any, name: str = "source_url") -> str:
    text = as_text(value)
    if text is None or not re.match(r"^https?://\S+$", text):
        raise RecordError(f"{name} {value!r} is not an http(s) URL")
    return text


def require_fields(record: Any, required: list[str]) -> None:
    if not isinstance(record, dict):
        raise RecordError(f"expected an object, got {type(record).__name__}")
    missing = [name for name in required if name not in record]
    if missing:
        raise RecordError(f"missing field(s): {', '.join(missing)}")


def load_json_list(body: bytes, key: str, source_id: str, required: Sequence[str] = (),
                   known: Collection[str] = frozenset()) -> list:
    """A JSON document whose list of records sits under `key`; anything else is a payload error.

    A required field that no record has is schema drift (the publisher dropped or renamed it),
    not a bad record: the whole payload fails with the field's name, and any field present in
    every record that we do not know is named as the likely new name.
    """
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"source {source_id}: payload is not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise PayloadError(f"source {source_id}: expected a JSON object with a list under {key!r}")
    objects = [record for record in document[key] if isinstance(record, dict)]
    absent = [name for name in required if objects and not any(name in record for record in objects)]
    if absent:
        common = set.intersection(*(set(record) for record in objects)) - set(known)
        hint = f"; unknown field(s) in every record: {', '.join(sorted(common))}" if common else ""
        raise PayloadError(f"source {source_id}: required field(s) {', '.join(absent)} missing from all "
                           f"{len(objects)} records under {key!r} (dropped or renamed?){hint}")
    return document[key]


def extras(record: dict, known: set[str]) -> dict | None:
    """Fields a publisher added that we do not model yet: kept in raw as JSON, never dropped."""
    unknown = {k: v for k, v in record.items() if k not in known}
    return unknown or None
