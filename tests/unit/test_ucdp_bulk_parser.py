"""The UCDP bulk file reader on synthetic files: filter, quarantine and drift rules, without HTTP."""
from __future__ import annotations

import io
import zipfile

import pytest

from ingestion.feeds.parsers import UCDP_FIELDS, parse_ucdp
from ingestion.parsers.common import PayloadError
from tests.support.feeds_servers import _cell, ucdp_bulk_file, ucdp_event

NOTE = {"file": "GEDEvent_v26_0_1.csv", "countries": ["703"], "start": "2025-01-01", "end": "2025-03-10"}


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    return "\r\n".join(",".join(r) for r in [header, *rows]).encode("utf-8") + b"\r\n"


def event_cells(event: dict, header: list[str]) -> list[str]:
    return [_cell(event.get(c)) for c in header]


def test_filter_quarantine_empty_cells_and_an_added_column():
    header = [*UCDP_FIELDS, "new_column"]
    rows = [event_cells({**ucdp_event(1, day="2025-02-02", best=1), "new_column": "x"}, header),
            event_cells(ucdp_event(2, day="2025-02-02", best=1, country_id=365), header),  # not asked for
            event_cells(ucdp_event(3, day="2024-02-02", best=1), header),  # before the window
            event_cells({**ucdp_event(4, day="2025-02-02", best=1), "date_start": "02/02/2025"}, header),
            event_cells(ucdp_event(5, day="2025-02-02", best=1), header)[:10]]  # a broken row
    page = parse_ucdp(csv_bytes(header, rows), "ucdp_ged", "bulk/26.0.1", NOTE)
    [parsed] = page.parsed
    assert [r["id"] for r in parsed.records] == ["1"] and parsed.locators == ["bulk/26.0.1 GEDEvent_v26_0_1.csv line 2"]
    row = parsed.records[0]
    assert row["adm_1"] is None and row["delivered_by"] == "bulk" and row["_extra"] == {"new_column": "x"}
    assert sorted((r.locator.rsplit(" ", 1)[1], r.reason.split(" ")[0]) for r in parsed.rejected) == [
        ("5", "date_start"), ("6", "the")]
    assert "new_column added upstream, kept in _extra" in page.warnings[0]


def test_no_countries_means_every_country():
    header = list(UCDP_FIELDS)
    rows = [event_cells(ucdp_event(2, day="2025-02-02", best=1, country_id=365), header)]
    page = parse_ucdp(csv_bytes(header, rows), "ucdp_ged", "bulk/26.0.1", {**NOTE, "countries": []})
    assert [r["country_id"] for r in page.parsed[0].records] == ["365"]


def test_zip_with_two_csvs_is_rejected_naming_them():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "id\n")
        archive.writestr("b.csv", "id\n")
    with pytest.raises(PayloadError, match=r"ged251-csv.zip: expected one .csv file in the zip, "
                                           r"found 2 \(a.csv, b.csv\)"):
        parse_ucdp(buffer.getvalue(), "ucdp_ged", "bulk/25.1", {**NOTE, "file": "ged251-csv.zip"})


def test_a_file_that_is_not_utf8_is_rejected_naming_it():
    body = ucdp_bulk_file("26.0.1", [ucdp_event(1, day="2025-02-02", best=1)]) + b"\xff\xfe,broken\r\n"
    with pytest.raises(PayloadError, match=r"source ucdp_ged: UCDP GED release 26.0.1 bulk file: "
                                           r"GEDEvent_v26_0_1.csv is unreadable"):
        parse_ucdp(body, "ucdp_ged", "bulk/26.0.1", NOTE)


def test_duplicate_column_names_are_an_unexpected_header():
    header = [*UCDP_FIELDS, "best"]
    with pytest.raises(PayloadError, match=r"unexpected header \(duplicate or blank column names: 'best'\)"):
        parse_ucdp(csv_bytes(header, []), "ucdp_ged", "bulk/26.0.1", NOTE)
