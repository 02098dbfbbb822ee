"""Load a research dataset's file (CSV or tab-separated) into raw, with DuckDB's own CSV reader.

Raw keeps every cell as the publisher wrote it (VARCHAR, sentinels such as `-99` and `NA`
included, an empty cell as ''): typing and decoding belong to dbt staging. What is refused goes to raw.quarantine with
its reason, in the same transaction as the rows:
- a header without a column the layout requires rejects the payload, naming the column;
- a line the CSV reader cannot split into the header's fields (DuckDB's reject table);
- an exact duplicate of an earlier row (naming the first copy);
- a row whose country code resolves to no country in the resolver's seed for its year.
Columns a publisher adds are kept: the raw table grows by that column.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import duckdb

from ingestion.countries import CODES_FILE
from ingestion.parsers.common import PayloadError
from ingestion.parsers.research import FORMATS, Layout, TabularFormat
from ingestion.registry import check_identifier

META = ("_source", "_payload_sha256", "_fetched_at", "_record_locator", "_loaded_at")
META_TYPES = {"_fetched_at": "TIMESTAMPTZ", "_loaded_at": "TIMESTAMPTZ"}
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


def column_names(header: list[str]) -> list[str]:
    """The raw column for each header cell: lower case, other characters as `_`.

    Two cells that differ only in case (PEI has `LAWS`, an empty section marker, and `laws`, the
    index) cannot both be DuckDB columns: the one written in lower case keeps the name, the others
    get `_2`, `_3` in header order.
    """
    names = [_NOT_NAME.sub("_", cell.strip().lower()).strip("_") or f"column_{i + 1}" for i, cell in enumerate(header)]
    names = [name if name[0].isalpha() else f"c_{name}" for name in names]
    taken: dict[str, int] = {}
    result = [""] * len(names)
    # cells already written as their column name first, then the others in header order
    for i in sorted(range(len(names)), key=lambda i: (header[i].strip() != names[i], i)):
        taken[names[i]] = taken.get(names[i], 0) + 1
        result[i] = names[i] if taken[names[i]] == 1 else f"{names[i]}_{taken[names[i]]}"
    return result


def file_encoding(body: bytes, fmt: TabularFormat) -> str:
    """UTF-8 when the whole file decodes as UTF-8, else the dataset's declared encoding.

    Publishers re-save files: PEI 7.0 is documented as latin-1 but the release here is UTF-8,
    NELDA's files are latin-1. Reading UTF-8 as latin-1 would silently garble every accent.
    """
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return fmt.encoding


def read_header(body: bytes, fmt: TabularFormat, encoding: str | None = None) -> list[str]:
    """The first record of the file, decoded as the file is encoded."""
    encoding = encoding or file_encoding(body, fmt)
    text = body[:200_000].decode(encoding.replace("latin-1", "latin_1"), errors="replace").lstrip("\ufeff")
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=fmt.delimiter))
    except (StopIteration, csv.Error) as exc:
        raise PayloadError(f"no header row ({exc or 'empty file'})") from None
    if not any(cell.strip() for cell in header):
        raise PayloadError("the first row is empty: expected the header")
    return header


def choose_layout(fmt: TabularFormat, columns: list[str]) -> Layout:
    """The published layout this header is: the one with most of its required columns present."""
    present = set(columns)
    best = max(fmt.layouts, key=lambda layout: layout.identify(present))
    missing = [c for c in best.required if c not in present]
    if missing:
        known = ", ".join(layout.name for layout in fmt.layouts)
        raise PayloadError(
            f"header lacks column(s) {', '.join(missing)} of layout {best.name} (closest of: {known}); "
            f"a renamed or dropped column is not guessed: map it in ingestion/parsers/research.py if the "
            f"publisher changed its layout")
    return best


@dataclass
class TabularLoad:
    table: str
    layout: str
    rows_loaded: int
    quarantined: list[tuple[str, str, str]]  # (locator, reason, record as JSON text)
    added_columns: list[str]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_table(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    """Create raw.<table> with these VARCHAR columns plus the bookkeeping ones; add any new column."""
    check_identifier(table, "raw table")
    for name in columns:
        check_identifier(name, "raw column")
    spec = ", ".join([f"{_quote(c)} VARCHAR" for c in columns] + [f"{m} {META_TYPES.get(m, 'VARCHAR')}" for m in META])
    con.execute(f"create table if not exists raw.{table} ({spec})")
    for name in columns:
        con.execute(f"alter table raw.{table} add column if not exists {_quote(name)} VARCHAR")


def ensure_tables(con: duckdb.DuckDBPyConnection, parser: str) -> None:
    """Every layout's table exists, with its required and optional columns, before dbt reads it."""
    for layout in FORMATS[parser].layouts:
        ensure_table(con, layout.table, list(layout.required) + list(layout.optional))


def _locator(layout: Layout, alias: str = "t") -> str:
    parts = " || '; ' || ".join(f"'{k}=' || coalesce({alias}.{_quote(k)}, '')" for k in layout.key)
    return f"'row ' || ({alias}._row + 1) || ' (' || {parts} || ')'"


def load_tabular(con: duckdb.DuckDBPyConnection, parser: str, path: str, body: bytes, source_id: str,
                 sha: str, fetched_at: str, loaded_at: str) -> TabularLoad:
    """Read one landed file into its raw table. The caller holds the transaction."""
    fmt = FORMATS[parser]
    encoding = file_encoding(body, fmt)
    header = read_header(body, fmt, encoding)
    columns = column_names(header)
    layout = choose_layout(fmt, columns)
    existing = {r[0] for r in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = ?", [layout.table]).fetchall()}
    held_rows = bool(existing) and con.execute(f"select count(*) > 0 from raw.{layout.table}").fetchone()[0]
    ensure_table(con, layout.table, columns)
    # a column the previous file of this layout did not have (the first file defines the layout)
    added = [c for c in columns if c not in existing] if held_rows else []
    con.execute("drop table if exists _incoming")
    con.execute("drop table if exists _rejects")
    con.execute("drop table if exists _rejects_scan")
    types = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    # quote and escape as the CSV standard has them; lines that break it go to DuckDB's reject table
    con.execute(
        f"create temp table _incoming as select * from read_csv(?, header = true, delim = ?, quote = '\"', "
        f"escape = ?, encoding = ?, columns = {types}, auto_detect = false, ignore_errors = true, "
        f"store_rejects = true, rejects_table = '_rejects', rejects_scan = '_rejects_scan', "
        f"null_padding = false, strict_mode = {str(fmt.strict).lower()}, nullstr = chr(0))",
        [path, fmt.delimiter, fmt.escape, encoding])
    con.execute("alter table _incoming add column _row bigint")
    con.execute("update _incoming set _row = rowid - (select min(rowid) from _incoming)")  # 0-based file order
    quarantined: list[tuple[str, str, str]] = [
        (f"line {line}", f"unreadable line ({error_type}): {message}", csv_line or "")
        for line, error_type, message, csv_line in con.execute(
            "select line, error_type, error_message, csv_line from _rejects order by line").fetchall()]

    all_columns = ", ".join(_quote(c) for c in columns)
    # exact duplicates: the first copy is loaded, every later copy is quarantined naming it
    dupes = con.execute(
        f"select _row, first_row, to_json(t) from (select *, min(_row) over (partition by {all_columns}) as first_row "
        f"from _incoming) t where _row > first_row order by _row").fetchall()
    rejected_rows = set()
    for row, first, record in dupes:
        rejected_rows.add(row)
        quarantined.append((f"row {row + 1}", f"exact duplicate of row {first + 1}", record))
    if layout.country:
        check = layout.country
        codes = str(CODES_FILE)
        if check.year_column:
            year = f"try_cast(try_cast(t.{_quote(check.year_column)} as double) as integer)"
            # a row without a readable year is checked against every period of the code
            valid = (f"coalesce(try_cast(c.valid_from as date) <= make_date({year}, 12, 31), true) "
                     f"and coalesce(try_cast(c.valid_to as date) >= make_date({year}, 1, 1), true)")
        else:
            valid = "true"
        # a code written as a number with a decimal point (PEI's 700.0) is the same code
        code_expr = (f"coalesce(cast(try_cast(try_cast(trim(t.{_quote(check.column)}) as double) as integer) as varchar), "
                     f"upper(trim(t.{_quote(check.column)})))")
        unresolved = con.execute(
            f"select t._row, t.{_quote(check.column)}, {_locator(layout)}, to_json(t) from _incoming t "
            f"where not exists (select 1 from read_csv(?, header = true, all_varchar = true) c "
            f"where c.system = ? and c.code = {code_expr} and ({valid})) order by t._row",
            [codes, check.system]).fetchall()
        for row, code, locator, record in unresolved:
            if row in rejected_rows:
                continue
            rejected_rows.add(row)
            when = f" in {check.year_column}" if check.year_column else ""
            quarantined.append((locator, f"{check.column} {code!r} resolves to no country ({check.system} code{when}); "
                                f"fix: add it to {CODES_FILE.name} through dbt_project/scripts/build_country_seeds.py "
                                f"if it is a real code", record))
    con.execute("create temp table _rejected (_row bigint)")
    if rejected_rows:
        con.executemany("insert into _rejected values (?)", [[r] for r in sorted(rejected_rows)])
    con.execute(
        f"insert into raw.{layout.table} ({all_columns}, {', '.join(META)}) "
        f"select {all_columns}, ?, ?, ?, {_locator(layout)}, ? from _incoming t "
        f"where t._row not in (select _row from _rejected) order by t._row",
        [source_id, sha, fetched_at, loaded_at])
    loaded = con.execute("select count(*) from _incoming where _row not in (select _row from _rejected)").fetchone()[0]
    for name in ("_incoming", "_rejected", "_rejects", "_rejects_scan"):
        con.execute(f"drop table if exists {name}")
    return TabularLoad(layout.table, layout.name, loaded, quarantined, added)
