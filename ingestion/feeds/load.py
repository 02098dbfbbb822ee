"""Loading feed pulls: every page of a complete pull in one transaction, or nothing.

A pull is loadable once its `complete` marker row is in the source's manifest. Its pages (the
last landed copy of each kind and page number, so a page fetched again after a killed pull
counts once) are parsed and inserted together with their quarantined records, one
raw.loaded_payloads row per page and one raw.loaded_pulls row for the pull. A page that fails as
a whole (not JSON, a modelled field dropped upstream) rejects the pull: nothing of it loads, the
reason is in raw.quarantine and raw.loaded_pulls, and the source's last good rows stay in use.
A page's manifest note, when it has one, is handed to its parser (UCDP's bulk file: the countries
and days the pull asked for).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import duckdb

from ingestion.landing import ManifestRow, read_manifest
from ingestion.parsers.common import Column, PayloadError
from ingestion.registry import Source
from ingestion.settings import Paths

log = logging.getLogger(__name__)
PULL_COLUMNS = [Column("_pull_id", "VARCHAR"), Column("_page_kind", "VARCHAR"), Column("_page", "INTEGER")]
PULLS_DDL = """
create table if not exists raw.loaded_pulls (
    source varchar, pull_id varchar, logical_date varchar, completed_at timestamptz, loaded_at timestamptz,
    status varchar, pages integer, rows_loaded integer, rows_quarantined integer, plan json, summary json,
    message varchar, primary key (source, pull_id)
)"""


def ensure_feed_tables(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    from ingestion.feeds.parsers import TABLES
    from ingestion.loader import _ensure_table

    con.execute(PULLS_DDL)
    for table, columns in TABLES[source.parser].items():
        _ensure_table(con, table, columns + PULL_COLUMNS)


def complete_pulls(rows: list[ManifestRow]) -> list[tuple[ManifestRow, list[ManifestRow]]]:
    """(marker, pages) of every complete pull, in the order they completed."""
    pages: dict[str, dict[tuple[str, int], ManifestRow]] = {}
    markers: list[ManifestRow] = []
    for row in rows:
        if not row.pull_id:
            continue
        if row.kind == "complete":
            markers.append(row)
        elif row.sha256 and row.path:
            pages.setdefault(row.pull_id, {})[(row.kind or "", row.page or 0)] = row  # the last copy wins
    return [(marker, sorted(pages.get(marker.pull_id, {}).values(), key=lambda r: (r.fetched_at, r.kind, r.page)))
            for marker in markers]


def load_pulls(con: duckdb.DuckDBPyConnection, source: Source, paths: Paths, outcome) -> None:
    from ingestion.feeds.parsers import PAGE_PARSERS
    from ingestion.loader import META_COLUMNS, QUARANTINE_COLUMNS, insert_rows

    done = {r[0] for r in con.execute("select pull_id from raw.loaded_pulls where source = ?", [source.id]).fetchall()}
    parse = PAGE_PARSERS[source.parser]
    for marker, pages in complete_pulls(read_manifest(paths.landing, source.id)):
        if marker.pull_id in done:
            continue
        now = datetime.now(timezone.utc).isoformat()
        note = json.loads(marker.note) if marker.note else {}
        loaded = quarantined = 0
        warnings: list[str] = []
        con.execute("begin transaction")
        try:
            try:
                for entry in pages:
                    body = (paths.landing / entry.path).read_bytes()
                    # a page's manifest note is what its parser needs besides the body (a bulk file's filter)
                    page = parse(body, source.id, entry.kind or "", **({"note": json.loads(entry.note)}
                                                                        if entry.note else {}))
                    warnings.extend(w for w in page.warnings if w not in warnings)
                    for parsed in page.parsed:
                        rows = [{**record, "_source": source.id, "_payload_sha256": entry.sha256,
                                 "_fetched_at": entry.fetched_at, "_record_locator": locator, "_loaded_at": now,
                                 "_pull_id": entry.pull_id, "_page_kind": entry.kind, "_page": entry.page}
                                for locator, record in zip(parsed.locators, parsed.records)]
                        insert_rows(con, parsed.table, parsed.columns + META_COLUMNS + PULL_COLUMNS, rows)
                        insert_rows(con, "quarantine", QUARANTINE_COLUMNS, [
                            {"source": source.id, "payload_sha256": entry.sha256,
                             "record_locator": f"{entry.pull_id} {r.locator}", "reason": r.reason, "record": r.record,
                             "quarantined_at": now} for r in parsed.rejected])
                        loaded += len(rows)
                        quarantined += len(parsed.rejected)
                        con.execute("insert or replace into raw.loaded_payloads values (?, ?, ?, ?, 'loaded', ?, ?, ?)",
                                    [source.id, entry.sha256, entry.fetched_at, now, len(rows), len(parsed.rejected),
                                     f"pull {entry.pull_id} {entry.kind} page {entry.page}"])
            except PayloadError as exc:
                con.execute("rollback")
                con.execute("begin transaction")
                insert_rows(con, "quarantine", QUARANTINE_COLUMNS, [
                    {"source": source.id, "payload_sha256": entry.sha256, "record_locator": f"{marker.pull_id} payload",
                     "reason": str(exc), "record": _excerpt(body, entry), "quarantined_at": now}])
                con.execute("insert into raw.loaded_pulls values (?, ?, ?, ?, ?, 'rejected', ?, 0, 0, ?, ?, ?)",
                            [source.id, marker.pull_id, marker.logical_date, marker.fetched_at, now, len(pages),
                             json.dumps(note.get("plan")), json.dumps(note), str(exc)])
                con.execute("commit")
                outcome.errors.append(f"source {source.id}: pull {marker.pull_id} rejected, nothing of it loaded "
                                      f"(kept in raw.quarantine): {exc}")
                log.error("%s", outcome.errors[-1])
                continue
            con.execute("insert into raw.loaded_pulls values (?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, ?)",
                        [source.id, marker.pull_id, marker.logical_date, marker.fetched_at, now, len(pages), loaded,
                         quarantined, json.dumps(note.get("plan")), json.dumps(note),
                         "; ".join(warnings) or None])
            con.execute("commit")
        except BaseException:
            try:
                con.execute("rollback")
            except duckdb.Error:
                pass
            raise
        outcome.payloads_loaded += len(pages)
        outcome.rows_loaded += loaded
        outcome.rows_quarantined += quarantined
        # drift that loaded (an added field) still fails the source's load visibly
        outcome.errors.extend(warnings)


def _excerpt(body: bytes, entry: ManifestRow) -> str:
    """What raw.quarantine keeps of a rejected page: its start, or where a binary file lies."""
    if body[:4] == b"PK\x03\x04":
        return f"zip archive of {len(body)} bytes, kept at landing/{entry.path}"
    return body[:2000].decode("utf-8", "replace")
