"""Parsers for feed pages: one page (kind, body) -> Parsed raw rows, plus drift warnings.

Raw keeps what the provider sent, as text (ACLED sends every value as a string; UCDP's and
Parline's scalars are kept as their JSON text); typing happens in dbt staging. Checked here, per
record, with the reason kept in raw.quarantine:
- a category value we do not know (ACLED event_type, UCDP type_of_violence, ReliefWeb source
  type): new codes are mapped by a person, not guessed;
- a country code the one resolver does not know (ACLED once coded sea areas as countries);
- a date out of the provider's coverage or in the future (ACLED once served year 0025).
UCDP's keyless bulk files (a release's CSV, zipped for stable releases) are read as a stream
(ingestion/feeds/bulk_csv.py) into the same raw table as its API pages, `delivered_by` saying which.
Per page: a field we model that no record carries is a dropped or renamed field and rejects the
pull (PayloadError, naming it); a field we do not model is kept in `_extra` and reported as a
warning that fails the source's load visibly while its rows still load.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

from ingestion.countries import resolve_code
from ingestion.feeds import bulk_csv
from ingestion.feeds.acled import FIELDS as ACLED_FIELDS
from ingestion.parsers.common import Column, Parsed, PayloadError, RecordError, today

ACLED_EVENT_TYPES = {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots", "Protests",
                     "Strategic developments"}
ACLED_FIRST_YEAR = 1997  # ACLED's earliest coverage
UCDP_FIRST_YEAR = 1989  # GED's earliest coverage
UCDP_VIOLENCE_TYPES = {"1", "2", "3"}  # state-based, non-state, one-sided
UCDP_FIELDS = ("id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
               "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
               "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
               "source_article", "source_office", "source_date", "source_headline", "source_original",
               "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
               "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
               "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
               "high", "low", "gwnoa", "gwnob")
UCDP_REQUIRED = ("id", "type_of_violence", "country_id", "date_start", "date_end", "best", "low", "high")
RELIEFWEB_SOURCE_TYPES = {"Academic and Research Institution", "Government", "International Organization",
                          "Media", "Non-governmental Organization", "Other", "Red Cross/Red Crescent Movement"}
RELIEFWEB_FIELDS = {"id", "title", "url", "body-html", "date", "source", "country", "primary_country", "format",
                    "language"}
RELIEFWEB_FIRST_YEAR = 1996  # ReliefWeb went online in 1996
PARLINE_CODE = re.compile(r"^[A-Z]{2}-[A-Z]{2}\d{2}-E\d{8}$")


def _varchar(names) -> list[Column]:
    return [Column(name, "VARCHAR") for name in names]


ACLED_EVENT_COLUMNS = _varchar(ACLED_FIELDS) + [Column("_extra", "JSON")]
ACLED_DELETION_COLUMNS = _varchar(("event_id_cnty", "deleted_timestamp"))
# delivered_by: which path brought the row, `api` (the token API) or `bulk` (the keyless release file)
UCDP_COLUMNS = _varchar(UCDP_FIELDS) + [Column("ucdp_version", "VARCHAR"), Column("delivered_by", "VARCHAR"),
                                        Column("_extra", "JSON")]
RELIEFWEB_COLUMNS = _varchar(("report_id", "title", "url", "date_created", "date_changed", "date_original")) + [
    Column("source_names", "JSON"), Column("source_shortnames", "JSON"), Column("source_types", "JSON"),
    Column("country_iso3s", "JSON"), Column("primary_country_iso3", "VARCHAR"), Column("format_names", "JSON"),
    Column("language_codes", "JSON"), Column("body_html", "VARCHAR"), Column("body_text", "VARCHAR"),
    Column("_extra", "JSON")]
PARLINE_COLUMNS = _varchar(("election_code", "chamber_code", "election_date_from", "election_date_to")) + [
    Column("attributes", "JSON")]

# parser -> raw table -> columns (the loader creates every table, even on a night with no page)
TABLES: dict[str, dict[str, list[Column]]] = {
    "feeds.acled": {"acled_events": ACLED_EVENT_COLUMNS, "acled_deletions": ACLED_DELETION_COLUMNS},
    "feeds.ucdp": {"ucdp_events": UCDP_COLUMNS},
    "feeds.reliefweb": {"reliefweb_reports": RELIEFWEB_COLUMNS},
    "feeds.parline": {"parline_elections": PARLINE_COLUMNS},
}


@dataclass
class Page:
    parsed: list[Parsed]
    warnings: list[str] = field(default_factory=list)


def _document(body: bytes, source_id: str, key: str, what: str) -> list:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError(f"source {source_id}: {what} page is not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise PayloadError(f"source {source_id}: {what} page has no list under {key!r}")
    return document[key]


def _text(value) -> str | None:
    """A scalar as the provider wrote it (strings as sent, numbers and booleans as JSON text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _check_fields(source_id: str, what: str, records: list[dict], modelled, required) -> list[str]:
    """Dropped fields reject the page; added ones are a warning (kept in _extra)."""
    if not records:
        return []
    absent = [name for name in required if not any(name in r for r in records)]
    if absent:
        raise PayloadError(f"source {source_id}: {what}: field(s) {', '.join(absent)} missing from all "
                           f"{len(records)} records (dropped or renamed upstream?); the pull is not loaded and the "
                           f"last good data stays; map the new name in ingestion/feeds/parsers.py")
    added = sorted({k for r in records for k in r} - set(modelled))
    if added:
        return [f"source {source_id}: {what}: field(s) {', '.join(added)} added upstream, kept in _extra; "
                "model them in ingestion/feeds/parsers.py"]
    return []


def _date(value, name: str, first_year: int, allow_future: bool = False) -> date:
    text = str(value or "").strip()
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise RecordError(f"{name} {value!r} is not a date YYYY-MM-DD") from None
    if day.year < first_year:
        raise RecordError(f"{name} {text} is before the provider's coverage (from {first_year}): a corrupt date "
                          "(e.g. year 0025); ask the provider or wait for its correction")
    if not allow_future and day > today() + timedelta(days=1):
        raise RecordError(f"{name} {text} is in the future")
    return day


def _whole(value, name: str) -> int:
    text = str(value).strip() if value is not None else ""
    if not re.fullmatch(r"\d+", text):
        raise RecordError(f"{name} {value!r} is not a whole number >= 0")
    return int(text)


def parse_acled(body: bytes, source_id: str, kind: str) -> Page:
    if kind == "deletions":
        parsed = Parsed("acled_deletions", ACLED_DELETION_COLUMNS)
        for i, record in enumerate(_document(body, source_id, "data", "deletions")):
            locator = f"deletions.data[{i}]"
            try:
                if not isinstance(record, dict) or not record.get("event_id_cnty"):
                    raise RecordError("a deletion without event_id_cnty")
                _whole(record.get("deleted_timestamp"), "deleted_timestamp")
                parsed.accept(locator, {"event_id_cnty": str(record["event_id_cnty"]).strip(),
                                        "deleted_timestamp": _text(record["deleted_timestamp"])})
            except RecordError as exc:
                parsed.reject(locator, str(exc), record)
        return Page([parsed])
    records = _document(body, source_id, "data", "events")
    objects = [r for r in records if isinstance(r, dict)]
    warnings = _check_fields(source_id, "events", objects, ACLED_FIELDS, ACLED_FIELDS)
    parsed = Parsed("acled_events", ACLED_EVENT_COLUMNS)
    for i, record in enumerate(records):
        locator = f"events.data[{i}]"
        try:
            if not isinstance(record, dict) or not str(record.get("event_id_cnty") or "").strip():
                raise RecordError("an event without event_id_cnty")
            event_type = record.get("event_type")
            if event_type not in ACLED_EVENT_TYPES:
                raise RecordError(f"event_type {event_type!r} is a category we do not know (known: "
                                  f"{', '.join(sorted(ACLED_EVENT_TYPES))}); map it in ingestion/feeds/parsers.py")
            day = _date(record.get("event_date"), "event_date", ACLED_FIRST_YEAR)
            if resolve_code("iso_numeric", record.get("iso"), day.year) is None:
                raise RecordError(f"country {record.get('country')!r} (iso {record.get('iso')!r}) is not a country the "
                                  "resolver knows (ACLED has coded sea areas as countries); not counted for any "
                                  "country until mapped in the country seeds")
            _whole(record.get("fatalities"), "fatalities")
            _whole(record.get("timestamp"), "timestamp")
            row = {name: _text(record.get(name)) for name in ACLED_FIELDS}
            row["event_id_cnty"] = row["event_id_cnty"].strip()
            extra = {k: v for k, v in record.items() if k not in ACLED_FIELDS}
            row["_extra"] = extra or None
            parsed.accept(locator, row)
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return Page([parsed], warnings)


def _ucdp_row(record, version: str | None, delivered_by: str) -> dict:
    """One GED event, from an API page or a bulk file's row, checked and as raw keeps it."""
    if not isinstance(record, dict) or record.get("id") in (None, ""):
        raise RecordError("an event without id")
    violence = _text(record.get("type_of_violence"))
    if violence not in UCDP_VIOLENCE_TYPES:
        raise RecordError(f"type_of_violence {violence!r} is a category we do not know (known: 1, 2, 3)")
    start = _date(record.get("date_start"), "date_start", UCDP_FIRST_YEAR)
    _date(record.get("date_end"), "date_end", UCDP_FIRST_YEAR)
    if resolve_code("gw", record.get("country_id"), start.year) is None:
        raise RecordError(f"country_id {record.get('country_id')!r} ({record.get('country')!r}) is not a "
                          f"Gleditsch-Ward code the resolver knows for {start.year}")
    low, best, high = (_whole(record.get(k), k) for k in ("low", "best", "high"))
    if not low <= best <= high:
        raise RecordError(f"deaths low {low} <= best {best} <= high {high} does not hold")
    row = {name: _text(record.get(name)) for name in UCDP_FIELDS}
    row["ucdp_version"] = version
    row["delivered_by"] = delivered_by
    extra = {k: v for k, v in record.items() if k not in UCDP_FIELDS}
    row["_extra"] = extra or None
    return row


def parse_ucdp(body: bytes, source_id: str, kind: str, note: dict | None = None) -> Page:
    """An API page (kind `gedevents/<version>`) or a release's bulk file (kind `bulk/<version>`,
    with its page's manifest note naming the filter the API would have applied)."""
    if kind.startswith("bulk/"):
        return _parse_ucdp_bulk(body, source_id, kind, note or {})
    version = kind.split("/", 1)[1] if "/" in kind else None
    records = _document(body, source_id, "Result", f"GED {version}")
    objects = [r for r in records if isinstance(r, dict)]
    warnings = _check_fields(source_id, f"GED {version}", objects, UCDP_FIELDS, UCDP_REQUIRED)
    parsed = Parsed("ucdp_events", UCDP_COLUMNS)
    for i, record in enumerate(records):
        locator = f"{kind}.Result[{i}]"
        try:
            parsed.accept(locator, _ucdp_row(record, version, "api"))
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return Page([parsed], warnings)


def _ucdp_header(row: list[str] | None, what: str, name: str) -> tuple[list[str], list[str]]:
    """The bulk file's column names, checked against the GED layout; (names, drift warnings).
    A missing modelled column, a file without a header row, or duplicate or blank names reject
    the pull; a column we do not model is kept in `_extra` with a warning, as on the API path."""
    fix = ("nothing of this pull is loaded and the last good data stays; map the new names in "
           "ingestion/feeds/parsers.py (UCDP_FIELDS) or point params.bulk_urls at a file in the GED layout")
    if not row:
        raise PayloadError(f"{what}: {name} is empty (no header row); {fix}")
    header = [cell.strip() for cell in row]
    if "id" not in header and header[0].isdigit():
        raise PayloadError(f"{what}: {name} has no header row (its first line is a record: {header[0]}, ...); "
                           f"{fix}")
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled or "" in header:
        raise PayloadError(f"{what}: {name} has an unexpected header (duplicate or blank column names: "
                           f"{', '.join(repr(c) for c in doubled or [''])}); {fix}")
    missing = [c for c in UCDP_FIELDS if c not in header]
    if missing:
        raise PayloadError(f"{what}: {name} lacks column(s) {', '.join(missing)} of the GED layout (dropped or "
                           f"renamed upstream?); {fix}")
    added = [c for c in header if c not in UCDP_FIELDS]
    return header, ([f"{what}: {name}: column(s) {', '.join(added)} added upstream, kept in _extra; "
                     "model them in ingestion/feeds/parsers.py"] if added else [])


def _parse_ucdp_bulk(body: bytes, source_id: str, kind: str, note: dict) -> Page:
    """Streams the release's CSV and keeps the rows the pull asked for: the countries (GW codes,
    `country_id`) and the date window on `date_start`, as the API's Country, StartDate and EndDate
    would. A row of a wanted country whose date cannot be read is quarantined, not skipped. Empty
    cells are kept as NULL, as the API sends null."""
    version = kind.split("/", 1)[1]
    file_name = str(note.get("file") or "bulk file")
    what = f"source {source_id}: UCDP GED release {version} bulk file"
    countries = {str(int(c)) if str(c).isdigit() else str(c) for c in note.get("countries") or []}
    start, end = str(note.get("start") or "0000-00-00"), str(note.get("end") or "9999-99-99")
    parsed = Parsed("ucdp_events", UCDP_COLUMNS)
    with bulk_csv.csv_rows(body, what, file_name) as (name, rows):
        header, warnings = _ucdp_header(next(rows, None), what, name)
        width = len(header)
        for number, cells in enumerate(rows, start=2):  # the line's number in the file, header = 1
            if not cells:
                continue
            locator = f"{kind} {name} line {number}"
            if len(cells) != width:
                parsed.reject(locator, f"the row has {len(cells)} cells, the header {width}; a broken row in the "
                              "file (report it to UCDP)", {"cells": cells[:width + 5]})
                continue
            record = {column: (cell if cell != "" else None) for column, cell in zip(header, cells)}
            country = (record.get("country_id") or "").strip()
            if countries and (str(int(country)) if country.isdigit() else country) not in countries:
                continue
            day = (record.get("date_start") or "")[:10]
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and not start <= day <= end:
                continue
            try:
                parsed.accept(locator, _ucdp_row(record, version, "bulk"))
            except RecordError as exc:
                parsed.reject(locator, str(exc), record)
    return Page([parsed], warnings)


class _Text(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str | None) -> str | None:
    """The report's HTML body as plain text: paragraphs on their own lines, markup and scripts gone."""
    if not html:
        return None
    reader = _Text()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text or None


def _names(items, key: str) -> list | None:
    if not isinstance(items, list):
        return None
    values = [item.get(key) if isinstance(item, dict) else None for item in items]
    return [v for v in values if v is not None] or None


def parse_reliefweb(body: bytes, source_id: str, kind: str) -> Page:
    records = _document(body, source_id, "data", "reports")
    fields = [r.get("fields") for r in records if isinstance(r, dict) and isinstance(r.get("fields"), dict)]
    warnings = _check_fields(source_id, "reports", fields, RELIEFWEB_FIELDS, ("id", "title", "date", "source"))
    parsed = Parsed("reliefweb_reports", RELIEFWEB_COLUMNS)
    for i, record in enumerate(records):
        locator = f"reports.data[{i}]"
        try:
            item = record.get("fields") if isinstance(record, dict) else None
            if not isinstance(item, dict) or item.get("id") in (None, ""):
                raise RecordError("a report without fields.id")
            dates = item.get("date") if isinstance(item.get("date"), dict) else {}
            _date(dates.get("created"), "date.created", RELIEFWEB_FIRST_YEAR)
            types = sorted({t for s in item.get("source") or [] if isinstance(s, dict)
                            for t in [(s.get("type") or {}).get("name")] if t})
            unknown = [t for t in types if t not in RELIEFWEB_SOURCE_TYPES]
            if unknown:
                raise RecordError(f"source type(s) {', '.join(map(repr, unknown))} are categories we do not know "
                                  f"(known: {', '.join(sorted(RELIEFWEB_SOURCE_TYPES))})")
            url = item.get("url")
            if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
                raise RecordError(f"url {url!r} is not an http(s) URL")
            primary = item.get("primary_country")
            html = item.get("body-html")
            parsed.accept(locator, {
                "report_id": _text(item["id"]), "title": _text(item.get("title")), "url": url,
                "date_created": dates.get("created"), "date_changed": dates.get("changed"),
                "date_original": dates.get("original"),
                "source_names": _names(item.get("source"), "name"),
                "source_shortnames": _names(item.get("source"), "shortname"),
                "source_types": types or None, "country_iso3s": _names(item.get("country"), "iso3"),
                "primary_country_iso3": primary.get("iso3") if isinstance(primary, dict) else None,
                "format_names": _names(item.get("format"), "name"),
                "language_codes": _names(item.get("language"), "code"),
                "body_html": html if isinstance(html, str) else None,
                "body_text": html_to_text(html if isinstance(html, str) else None),
                "_extra": {k: v for k, v in item.items() if k not in RELIEFWEB_FIELDS} or None,
            })
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return Page([parsed], warnings)


def _value(attributes: dict, name: str):
    entry = attributes.get(name)
    if isinstance(entry, list):  # a history of values: the latest is last
        entry = entry[-1] if entry else None
    return entry.get("value") if isinstance(entry, dict) else None


def parse_parline(body: bytes, source_id: str, kind: str) -> Page:
    records = _document(body, source_id, "data", "elections")
    attrs = [r.get("attributes") for r in records if isinstance(r, dict) and isinstance(r.get("attributes"), dict)]
    _check_fields(source_id, "elections", attrs, (), ("chamber", "election_date"))
    parsed = Parsed("parline_elections", PARLINE_COLUMNS)
    for i, record in enumerate(records):
        locator = f"elections.data[{i}]"
        try:
            if not isinstance(record, dict) or not isinstance(record.get("attributes"), dict):
                raise RecordError("an election without attributes")
            code = str(record.get("id") or "")
            if not PARLINE_CODE.match(code):
                raise RecordError(f"election id {code!r} is not an election_code <CC>-<chamber>-E<yyyymmdd>")
            attributes = record["attributes"]
            when = _value(attributes, "election_date")
            start = when.get("from") if isinstance(when, dict) else when
            end = when.get("to") if isinstance(when, dict) else None
            _date(start, "election_date.from", 1800, allow_future=True)  # a calendar holds scheduled elections
            parsed.accept(locator, {"election_code": code, "chamber_code": _text(_value(attributes, "chamber")),
                                    "election_date_from": _text(start), "election_date_to": _text(end),
                                    "attributes": attributes})
        except RecordError as exc:
            parsed.reject(locator, str(exc), record)
    return Page([parsed])


PAGE_PARSERS = {"feeds.acled": parse_acled, "feeds.ucdp": parse_ucdp, "feeds.reliefweb": parse_reliefweb,
                "feeds.parline": parse_parline}
