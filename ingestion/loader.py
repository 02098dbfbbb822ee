"""Load: the only writer of data/warehouse.duckdb's raw schema.

Raw holds what publishers sent: records pass their checks and are stored as sent, nothing is
read out of them here (casualty figures are derived later, versioned, by ingestion/derive.py).

Each new landed payload is parsed and loaded in one transaction (rows, quarantined records and
the bookkeeping row together), so a load killed half-way leaves nothing behind and a re-run
loads nothing twice. Rows go in through DuckDB's own JSON reader, not row-by-row INSERTs.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from ingestion.fault_hooks import pause_here
from ingestion.feeds.load import ensure_feed_tables, load_pulls
from ingestion.landing import read_manifest
from ingestion.parsers.common import Column, Parsed, PayloadError, RecordError
from ingestion.parsers.election_commission import (DECISION_COLUMNS, ELECTION_COLUMNS, RESULT_COLUMNS,
                                                   parse_decisions, parse_elections, parse_party_results)
from ingestion.parsers.health_ministry import BULLETIN_COLUMNS, parse_bulletins
from ingestion.parsers.observer_mission import STATEMENT_COLUMNS, parse_statements
from ingestion.registry import PARSERS as REGISTRY_PARSERS
from ingestion.registry import Source, check_identifier
from ingestion.parsers.research import FORMATS as TABULAR_FORMATS
from ingestion.tabular import ensure_tables, load_tabular
from ingestion.settings import Paths

log = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[bytes, str], Parsed | list[Parsed]]] = {
    "election_commission.elections": parse_elections,
    "election_commission.party_results": parse_party_results,
    "election_commission.decisions": parse_decisions,
    "health_ministry.bulletins": parse_bulletins,
    "observer_mission.statements": parse_statements,
}
# Each parser's raw columns: every load brings the raw tables up to the code that reads them, so a
# column a newer parser added exists before dbt reads it, even on a night with no new payload.
RAW_COLUMNS: dict[str, list[Column]] = {
    "election_commission.elections": ELECTION_COLUMNS,
    "election_commission.party_results": RESULT_COLUMNS,
    "election_commission.decisions": DECISION_COLUMNS,
    "health_ministry.bulletins": BULLETIN_COLUMNS,
    "observer_mission.statements": STATEMENT_COLUMNS,
}
META_COLUMNS = [Column("_source", "VARCHAR"), Column("_payload_sha256", "VARCHAR"),
                Column("_fetched_at", "TIMESTAMPTZ"), Column("_record_locator", "VARCHAR"),
                Column("_loaded_at", "TIMESTAMPTZ")]
QUARANTINE_DDL = """
create table if not exists raw.quarantine (
    source varchar, payload_sha256 varchar, record_locator varchar, reason varchar,
    record json, quarantined_at timestamptz
)"""
LOADED_DDL = """
create table if not exists raw.loaded_payloads (
    source varchar, payload_sha256 varchar, fetched_at timestamptz, loaded_at timestamptz,
    status varchar, rows_loaded integer, rows_quarantined integer, message varchar,
    primary key (source, payload_sha256)
)"""


@dataclass
class SourceLoad:
    source: str
    payloads_loaded: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    errors: list[str] = field(default_factory=list)


def connect_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw")
    con.execute(QUARANTINE_DDL)
    con.execute(LOADED_DDL)
    # every parser's raw table exists before any payload of its source: dbt reads them all
    for parser in TABULAR_FORMATS:
        ensure_tables(con, parser)
    for parser, columns in RAW_COLUMNS.items():
        _ensure_table(con, REGISTRY_PARSERS[parser], columns)
    from ingestion.feeds.load import PULL_COLUMNS, PULLS_DDL
    from ingestion.feeds.parsers import TABLES as FEED_TABLES

    con.execute(PULLS_DDL)
    for tables in FEED_TABLES.values():
        for table, feed_columns in tables.items():
            _ensure_table(con, table, feed_columns + PULL_COLUMNS)
    return con


def _ensure_table(con: duckdb.DuckDBPyConnection, table: str, columns: list[Column]) -> None:
    """Create the raw table, or add columns a newer parser knows (raw only ever grows)."""
    table = check_identifier(table, "raw table")
    all_columns = columns + META_COLUMNS
    for column in all_columns:
        check_identifier(column.name.lstrip("_"), "raw column")
    spec = ", ".join(f"{c.name} {c.sql_type}" for c in all_columns)
    con.execute(f"create table if not exists raw.{table} ({spec})")
    for column in all_columns:
        con.execute(f"alter table raw.{table} add column if not exists {column.name} {column.sql_type}")
    typed = dict(con.execute("select column_name, data_type from duckdb_columns() "
                             "where schema_name = 'raw' and table_name = ?", [table]).fetchall())
    for column in all_columns:
        # a date the parser now keeps as sent (YYYY-MM, YYYY): widen; stored days read back as YYYY-MM-DD
        if column.sql_type == "VARCHAR" and typed.get(column.name) == "DATE":
            con.execute(f"alter table raw.{table} alter column {column.name} type varchar")


QUARANTINE_COLUMNS = [Column("source", "VARCHAR"), Column("payload_sha256", "VARCHAR"),
                      Column("record_locator", "VARCHAR"), Column("reason", "VARCHAR"), Column("record", "JSON"),
                      Column("quarantined_at", "TIMESTAMPTZ")]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[Column], rows: list[dict],
                schema: str = "raw") -> None:
    """Bulk insert through DuckDB's JSON reader (typed columns), not row-by-row INSERTs."""
    if not rows:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        tmp = handle.name
    try:
        names = ", ".join(c.name for c in columns)
        types = "{" + ", ".join(f"'{c.name}': '{c.sql_type}'" for c in columns) + "}"
        con.execute(
            f"insert into {schema}.{table} ({names}) select {names} from "
            f"read_json(?, format='newline_delimited', columns={types})",
            [tmp],
        )
    finally:
        os.unlink(tmp)


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[Column], rows: list[dict]) -> None:
    insert_rows(con, table, columns + META_COLUMNS, rows)


def _quarantine(con, source: str, sha: str, entries: list[tuple[str, str, object]], now: str) -> None:
    rows = [{"source": source, "payload_sha256": sha, "record_locator": locator, "reason": reason,
             "record": record, "quarantined_at": now} for locator, reason, record in entries]
    insert_rows(con, "quarantine", QUARANTINE_COLUMNS, rows)


def _election_dates(con) -> dict[str, str]:
    # look the table up rather than catch the error: an error would abort the open transaction
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                         "and table_name = 'elections'").fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute("select election_key, max(election_date)::varchar from raw.elections group by 1").fetchall())


def _reject_before_election(parsed_list: list[Parsed], dates: dict[str, str]) -> None:
    """A decision, bulletin or statement dated before the election it describes is a bad record."""
    date_field = {"decisions": "decided_on", "casualty_bulletins": "published_at",
                  "observer_statements": "published_on"}
    for parsed in parsed_list:
        name = date_field.get(parsed.table)
        if not name:
            continue
        keep_records, keep_locators = [], []
        for locator, record in zip(parsed.locators, parsed.records):
            when = record.get(name)
            election = dates.get(record.get("election_key"))
            # compare at the precision given: a month-only date is before only if its whole month is
            if when and election and str(when) < election[: len(str(when))]:
                parsed.reject(locator, f"{name} {when} is before the election it describes ({record['election_key']} on {election})", record)
                continue
            keep_records.append(record)
            keep_locators.append(locator)
        parsed.records, parsed.locators = keep_records, keep_locators


def _load_tabular(con, source: Source, sha: str, fetched_at: str, body: bytes, path: Path | None,
                  now: str) -> tuple[int, int]:
    """A research dataset's file through DuckDB's CSV reader (ingestion/tabular.py)."""
    tmp = None
    if path is None:
        with tempfile.NamedTemporaryFile("wb", suffix=f".{source.extension}", delete=False) as handle:
            handle.write(body)
            tmp = path = Path(handle.name)
    try:
        outcome = load_tabular(con, source.parser, str(path), body, source.id, sha, fetched_at, now)
    finally:
        if tmp:
            os.unlink(tmp)
    if outcome.added_columns:
        log.warning("%s: payload %s has column(s) the layout does not know, kept in raw.%s: %s",
                    source.id, sha[:12], outcome.table, ", ".join(outcome.added_columns))
    rows = [{"source": source.id, "payload_sha256": sha, "record_locator": locator, "reason": reason,
             "record": record, "quarantined_at": now} for locator, reason, record in outcome.quarantined]
    # records arrive as JSON text from DuckDB: store them as JSON, not as a JSON string
    for row in rows:
        try:
            row["record"] = json.loads(row["record"])
        except (TypeError, ValueError):
            pass
    insert_rows(con, "quarantine", QUARANTINE_COLUMNS, rows)
    return outcome.rows_loaded, len(outcome.quarantined)


def load_payload(con, source: Source, sha: str, fetched_at: str, body: bytes,
                 path: Path | None = None) -> tuple[int, int, str | None]:
    """Parse and load one payload in a single transaction.

    Returns (rows loaded, rows quarantined, why the whole payload was rejected or None).
    """
    now = datetime.now(timezone.utc).isoformat()
    con.execute("begin transaction")
    try:
        try:
            if source.is_tabular:
                loaded, quarantined = _load_tabular(con, source, sha, fetched_at, body, path, now)
                pause_here("ECW_TEST_PAUSE_IN_LOAD", f"{source.id} {sha[:12]}")
                con.execute("insert or replace into raw.loaded_payloads values (?, ?, ?, ?, 'loaded', ?, ?, null)",
                            [source.id, sha, fetched_at, now, loaded, quarantined])
                con.execute("commit")
                return loaded, quarantined, None
            result = PARSERS[source.parser](body, source.id)
        except PayloadError as exc:
            _quarantine(con, source.id, sha, [("payload", str(exc), body[:2000].decode("utf-8", "replace"))], now)
            con.execute("insert into raw.loaded_payloads values (?, ?, ?, ?, 'rejected', 0, 1, ?)",
                        [source.id, sha, fetched_at, now, str(exc)])
            con.execute("commit")
            log.error("%s: payload %s rejected: %s", source.id, sha[:12], exc)
            return 0, 1, str(exc)
        parsed_list = result if isinstance(result, list) else [result]
        _reject_before_election(parsed_list, _election_dates(con))
        loaded = quarantined = 0
        for parsed in parsed_list:
            _ensure_table(con, parsed.table, parsed.columns)
            rows = []
            for locator, record in zip(parsed.locators, parsed.records):
                rows.append({**record, "_source": source.id, "_payload_sha256": sha, "_fetched_at": fetched_at,
                             "_record_locator": locator, "_loaded_at": now})
            _bulk_insert(con, parsed.table, parsed.columns, rows)
            _quarantine(con, source.id, sha, [(r.locator, r.reason, r.record) for r in parsed.rejected], now)
            loaded += len(rows)
            quarantined += len(parsed.rejected)
        pause_here("ECW_TEST_PAUSE_IN_LOAD", f"{source.id} {sha[:12]}")
        # "or replace": a publisher that reverts to an earlier file gets that file loaded again
        con.execute("insert or replace into raw.loaded_payloads values (?, ?, ?, ?, 'loaded', ?, ?, null)",
                    [source.id, sha, fetched_at, now, loaded, quarantined])
        con.execute("commit")
        return loaded, quarantined, None
    except BaseException:
        con.execute("rollback")
        raise


def load_new_payloads(sources: list[Source], paths: Paths) -> list[SourceLoad]:
    """Load every landed payload not loaded before, source by source (elections first)."""
    ordered = sorted(sources, key=lambda s: s.parser != "election_commission.elections")
    con = connect_warehouse(paths.warehouse)
    outcomes = []
    try:
        for source in ordered:
            if source.is_feed:
                ensure_feed_tables(con, source)
            elif source.is_tabular:
                ensure_tables(con, source.parser)
            else:
                _ensure_table(con, source.raw_table, RAW_COLUMNS[source.parser])
        for source in ordered:
            outcome = SourceLoad(source.id)
            if source.is_feed:  # pages of pulls, loaded a whole pull at a time (ingestion/feeds/load.py)
                load_pulls(con, source, paths, outcome)
                outcomes.append(outcome)
                continue
            seen = dict(con.execute(
                "select payload_sha256, status from raw.loaded_payloads where source = ?", [source.id]).fetchall())
            latest = con.execute(
                "select payload_sha256, fetched_at from raw.loaded_payloads where source = ? and status = 'loaded' "
                "order by fetched_at desc limit 1", [source.id]).fetchone()
            current, current_at = latest if latest else (None, None)
            for entry in read_manifest(paths.landing, source.id):
                if entry.http_status != 200 or not entry.sha256 or not entry.path or entry.sha256 == current:
                    continue
                # a payload seen before is skipped, unless the publisher went back to it after a later
                # one: then it is the newest data again (e.g. a bad file replaced by the last good one)
                if entry.sha256 in seen and not (
                        seen[entry.sha256] == "loaded" and current_at is not None
                        and datetime.fromisoformat(entry.fetched_at) > current_at):
                    continue
                body = (paths.landing / entry.path).read_bytes()
                try:
                    loaded, quarantined, rejected = load_payload(con, source, entry.sha256, entry.fetched_at, body,
                                                                 paths.landing / entry.path)
                except (RecordError, duckdb.Error, ValueError) as exc:
                    outcome.errors.append(f"source {source.id}: payload {entry.sha256[:12]}: {exc}")
                    log.error("%s", outcome.errors[-1])
                    continue
                if rejected:
                    # schema drift or a broken file fails this source visibly; its last good rows stay in use
                    outcome.errors.append(f"source {source.id}: payload {entry.sha256[:12]} rejected "
                                          f"(kept in raw.quarantine): {rejected}")
                seen[entry.sha256] = "rejected" if rejected else "loaded"
                if not rejected:
                    current, current_at = entry.sha256, datetime.fromisoformat(entry.fetched_at)
                outcome.payloads_loaded += 1
                outcome.rows_loaded += loaded
                outcome.rows_quarantined += quarantined
            outcomes.append(outcome)
    finally:
        con.close()
    return outcomes
