"""`ecw query` and `ecw export`: SQL on the published marts, printed or written to files.

A query's statements are split by DuckDB's own parser and run in order on one read-only
connection (so `create temp table t as ...; select * from t` works). Table output prints every
statement's result; csv, json and jsonl print one document, so there at most one statement may
return rows, and a query with more is refused before anything runs.

Rows are fetched in batches up to the limit (default DEFAULT_LIMIT) and then no further: DuckDB
streams a plain query's result, so a runaway cross join stops at the limit instead of being
computed whole (an aggregate or ORDER BY still reads its whole input). Cut output says so.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterator

import duckdb

DEFAULT_LIMIT = 1000
BATCH = 1000
# Statement types that answer with rows. CREATE ... AS reports a count and SET nothing: they run
# silently. MULTI is PIVOT, which DuckDB rewrites into several statements ending in a select.
ROW_TYPES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN, duckdb.StatementType.PRAGMA,
             duckdb.StatementType.CALL, duckdb.StatementType.MULTI, duckdb.StatementType.EXECUTE,
             duckdb.StatementType.RELATION}
EXCEL_MAX_ROWS = 1_048_576 - 1  # a worksheet's rows, less the header
EXCEL_SHEET_NAME = 31


class QueryRefused(Exception):
    """A query ecw will not run as given; the message says why and what to do (exit 2)."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]
    cut: bool  # more rows existed past the limit and were not fetched


def statements(sql: str) -> list[duckdb.Statement]:
    """The query's statements, by DuckDB's parser; an empty or comment-only query is refused."""
    found = duckdb.extract_statements(sql)
    if not found:
        raise QueryRefused("the query has no SQL statement (it is empty or only comments); "
                           "e.g. ecw query \"select * from election_crises\"")
    return found


def check_formats(found: list[duckdb.Statement], fmt: str) -> None:
    """csv/json/jsonl are one document: refuse a query with more than one row-returning statement."""
    answering = [n for n, s in enumerate(found, start=1) if s.type in ROW_TYPES]
    if fmt != "table" and len(answering) > 1:
        raise QueryRefused(f"--format {fmt} prints one result, and statements {', '.join(map(str, answering))} "
                           f"of {len(found)} return rows; run them one at a time, or use --format table "
                           "to see each result")


def fetch(cursor: duckdb.DuckDBPyConnection, limit: int | None) -> Iterator[list[tuple]]:
    """Batches of rows up to `limit` (None: all), then one probe row past it to tell a cut."""
    taken = 0
    while limit is None or taken < limit:
        batch = cursor.fetchmany(BATCH if limit is None else min(BATCH, limit - taken))
        if not batch:
            return
        taken += len(batch)
        yield batch


def run(con: duckdb.DuckDBPyConnection, sql: str, limit: int | None) -> Iterator[tuple[duckdb.Statement, Result | None]]:
    """Each statement in order with its result (None for one that returns no rows)."""
    for statement in statements(sql):
        cursor = con.execute(statement.query)
        if cursor.description is None or statement.type not in ROW_TYPES:
            yield statement, None
            continue
        columns = [d[0] for d in cursor.description]
        rows = [row for batch in fetch(cursor, limit) for row in batch]
        cut = limit is not None and len(rows) == limit and bool(cursor.fetchmany(1))
        yield statement, Result(columns, rows, cut)


def print_table(columns: list[str], rows: list[tuple], out: IO[str], footer: str | None = None) -> None:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]

    def clip(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    out.write(" | ".join(clip(c, w).ljust(w) for c, w in zip(columns, widths)) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(" | ".join(clip(v, w).ljust(w) for v, w in zip(row, widths)) + "\n")
    out.write((footer or f"({len(rows)} row{'s' if len(rows) != 1 else ''})") + "\n")


def json_value(value: object) -> object:
    """JSON for DuckDB's Python values: decimals as numbers, dates and times in ISO 8601."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _dumps(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, default=json_value)


def cut_note(limit: int) -> str:
    return f"stopped at {limit} rows (the limit); more rows exist: --limit N for more, --no-limit for all"


def print_query(con: duckdb.DuckDBPyConnection, sql: str, fmt: str, limit: int | None,
                out: IO[str] = None, err: IO[str] = None) -> None:
    """Run `sql` and print its results in `fmt` (module docstring)."""
    out, err = out or sys.stdout, err or sys.stderr
    found = statements(sql)
    check_formats(found, fmt)
    several = len(found) > 1
    printed = 0
    for number, (statement, result) in enumerate(run(con, sql, limit), start=1):
        if result is None:
            continue
        if fmt == "table":
            if several:
                first_line = " ".join(statement.query.split())[:70]
                out.write(("\n" if printed else "") + f"-- statement {number} of {len(found)}: {first_line}\n")
            footer = (f"({len(result.rows)} rows shown; {cut_note(limit)})" if result.cut else None)
            print_table(result.columns, result.rows, out, footer)
        elif fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")  # LF: what head, grep and wc expect
            writer.writerow(result.columns)
            writer.writerows(result.rows)
        elif fmt == "json":
            out.write("[" + ",\n ".join(_dumps(dict(zip(result.columns, r))) for r in result.rows) + "]\n")
        elif fmt == "jsonl":
            for row in result.rows:
                out.write(_dumps(dict(zip(result.columns, row))) + "\n")
        printed += 1
        if result.cut and fmt != "table":
            err.write(f"ecw query: {cut_note(limit)}\n")
    if not printed and fmt == "table":
        out.write(f"(no rows: {'the statements return' if several else 'the statement returns'} none)\n")


# ---- export ---------------------------------------------------------------------------------


def published_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts of the published file: its main tables, without the _publication record."""
    return [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'main' and not starts_with(table_name, '_') order by table_name").fetchall()]


def publication(con: duckdb.DuckDBPyConnection) -> tuple[object, object]:
    try:
        return con.execute("select published_at, run_id from _publication").fetchone() or (None, None)
    except duckdb.Error:
        return None, None


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], Iterator[list[tuple]]]:
    cursor = con.execute(f'select * from "{table}"')
    return [d[0] for d in cursor.description], fetch(cursor, None)


def sheet_names(tables: list[str]) -> dict[str, str]:
    """Excel sheet names (at most 31 characters, unique) for the marts."""
    names: dict[str, str] = {}
    for table in tables:
        name, n = table[:EXCEL_SHEET_NAME], 1
        while name in names.values():
            n += 1
            name = f"{table[:EXCEL_SHEET_NAME - len(str(n)) - 1]}~{n}"
        names[table] = name
    return names


def export(con: duckdb.DuckDBPyConnection, fmt: str, out_dir: Path) -> list[tuple[str, Path, int]]:
    """Write every published mart to `out_dir`: one CSV per mart, or one workbook with a sheet
    per mart and a `contents` sheet. Files are written beside their target and renamed into
    place, so an interrupted export leaves no half-written file. Returns (mart, file, rows)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = published_marts(con)
    published_at, run_id = publication(con)
    written: list[tuple[str, Path, int]] = []
    if fmt == "csv":
        for table in tables:
            target = out_dir / f"{table}.csv"
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            columns, batches = _rows(con, table)
            count = 0
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                for batch in batches:
                    writer.writerows(batch)
                    count += len(batch)
            os.replace(tmp, target)
            written.append((table, target, count))
        return written
    import xlsxwriter  # only for xlsx: the CSV path needs nothing beyond the standard library

    target = out_dir / "marts.xlsx"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    names = sheet_names(tables)
    workbook = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_urls": False,
                                              "strings_to_formulas": False, "remove_timezone": True,
                                              "default_date_format": "yyyy-mm-dd"})
    try:
        bold = workbook.add_format({"bold": True})
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        contents = workbook.add_worksheet("contents")
        contents.write_row(0, 0, ["mart", "sheet", "rows"], bold)
        counts = []
        for table in tables:
            sheet = workbook.add_worksheet(names[table])
            columns, batches = _rows(con, table)
            sheet.write_row(0, 0, columns, bold)
            sheet.freeze_panes(1, 0)
            count = 0
            for batch in batches:
                for row in batch:
                    count += 1
                    if count > EXCEL_MAX_ROWS:
                        raise QueryRefused(f"mart {table} has more than {EXCEL_MAX_ROWS} rows, more than an Excel "
                                           "sheet holds; export it with --format csv")
                    for col, value in enumerate(row):
                        _write_cell(sheet, count, col, value, stamp)
            counts.append(count)
        for n, (table, count) in enumerate(zip(tables, counts), start=1):
            contents.write_row(n, 0, [table, names[table], count])
            written.append((table, target, count))
        contents.write_row(len(tables) + 2, 0, ["published_at", str(published_at) if published_at else ""])
        contents.write_row(len(tables) + 3, 0, ["run_id", str(run_id) if run_id else ""])
        contents.write_row(len(tables) + 4, 0, ["timestamps", "in UTC"])
        workbook.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return written


def _write_cell(sheet, row: int, col: int, value: object, stamp) -> None:
    """Numbers as numbers, dates as dates, NULL as an empty cell, lists and the rest as text."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, Decimal)):
        number = float(value)
        if abs(number) < 1e15 or isinstance(value, float):
            sheet.write_number(row, col, number)
        else:  # Excel keeps 15 significant digits: a larger integer (an id) stays exact as text
            sheet.write_string(row, col, str(value))
    elif isinstance(value, datetime):  # an instant in UTC (the contents sheet says so)
        utc = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
        sheet.write_datetime(row, col, utc, stamp)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day))
    elif isinstance(value, (list, tuple, dict)):
        sheet.write_string(row, col, _dumps(value))
    else:
        sheet.write_string(row, col, str(value))
