"""Quality gate: run the Great Expectations suites in `expectations/` against DuckDB tables.

The gate is the last check before analysts see data, so it checks what dbt's tests cannot: row
counts relative to a mart's inputs and to the last published marts, reconciliation across marts,
and that every mart has a suite. It does not repeat a dbt test on the same column.

The validation queries run inside DuckDB through GX's SQL execution engine; no table is pulled
into pandas. The gate fails closed: a suite file that does not parse, a missing table, a mart
without a suite, a GX exception, an expectation that raised, failed or returned no result all
make it unsuccessful. A failure names the suite, rule, table and column, the first offending
keys (the suite's `key` columns, or the first rows of a rule's query, read with a LIMIT inside
DuckDB) and the fix.

Suite file format (one JSON file per validated table; the suite name is the file stem,
`<schema>.<table>`):
    {"table": "fct_annulments", "schema": "marts",            # schema is optional, default main
     "key": ["decision_id"],                                  # names offending records in failures
     "relative": {                                            # required for schema marts
        "inputs": [{"table": "staging.stg_election_commission__decisions",
                    "where": "input.decision_type in ('annulment', 'partial_annulment')",
                    "key": "decision_id", "complete": true}],
        "max_drop_vs_published": 0.5, "drop_keys": ["election_key"]},
     "expectations": [{"type": "unexpected_rows_expectation",
                       "kwargs": {"unexpected_rows_query": "select ... from {batch} ...",
                                  "description": "..."}, "meta": {"column": "...", "fix": "..."}}]}
`type` is the GX expectation type name (snake case), `kwargs` the arguments of its class;
`meta.fix` (optional) is the fix a failure prints.

`relative` becomes GX `unexpected_rows_expectation`s at run time (relative_expectations), so a
new mart gets these rules by adding its suite:
- not_empty_when_inputs_are_not: the mart has rows whenever an input (`where` filters it, the
  input's rows are aliased `input`) has rows; the failure names the input's count and first keys.
- every_input_record_in_the_mart (`complete: true`): every input record, by `key`, is in the mart
  (by `mart_key`, default `key`); reported only while the mart is not empty.
- drop_vs_published: against the last published marts (run_gate's `published`, attached
  read-only as `published`), the mart keeps at least 1 - max_drop_vs_published of its rows and of
  the distinct values of each `drop_keys` column; the failure names both counts and the first
  vanished keys. Skipped on the first run and for a mart or column the published file lacks.
- referenced_keys_exist (`referenced_by_marts: ["election_key"]`, on a dimension's suite): every
  value of that column in any other mart of the warehouse is in the dimension, so a new mart is
  covered without listing it; the failure names the mart and the first missing keys.
`inputs: []` says a mart has no input that implies rows (state it, do not omit it). Inputs may be
views (staging, intermediate), other marts, seeds or raw tables.

GX 1.x has no DuckDB dialect module, so its regex and type expectations raise
NotImplementedError on DuckDB (and so fail the gate). Write a regex contract as an
`unexpected_rows_expectation` with DuckDB SQL, e.g. `select * from {batch} where not
regexp_matches(source_url, '^https?://')`, and name the column in `meta.column` for the report.
GX formats that query with str.format: a literal brace in it must be doubled (`{{3}}`); in
`relative.inputs[].where` write braces once (the gate doubles them).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import duckdb
import duckdb_engine
import great_expectations as gx
import sqlalchemy as sa
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from sqlalchemy.dialects import registry
from sqlalchemy.engine import cursor as sa_cursor

from ingestion.settings import DBT_PROJECT_DIR, REPO_ROOT

# GX logs every metric's reflection fallback at INFO; the gate reports what matters itself.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

DIALECT_DRIVER = "gx_buffered"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DOCS_SITE = "gate"
RESULT_FORMAT = "SUMMARY"
MARTS_SCHEMA = "marts"
PUBLISHED = "published"  # the alias of the last published marts, attached read-only
FIRST_KEYS = 5  # offending keys a failure names
BUFFER_LIMIT = 10_000  # rows one query may return into the gate's memory


class ResultTooLarge(RuntimeError):
    """A query of the gate returned more rows than it may hold in memory."""


class BufferedDuckDBExecutionContext(duckdb_engine.Dialect.execution_ctx_cls):
    """Fetch every row-returning DuckDB result right after it executes.

    GX's SqlAlchemyExecutionEngine.execute_query runs a query in `with engine.connect()` and
    calls fetchall() only after that block has closed the connection. Closing a SQLAlchemy
    connection ends its autobegun transaction with a ROLLBACK. duckdb_engine's cursor is the
    DuckDB connection itself, so that ROLLBACK replaces the pending result and GX reads zero
    rows: every metric resolves to an error (GX issues #10738, #11579). The pool's reset on
    return is not the cause (`pool_reset_on_return=None` and StaticPool leave the result empty),
    and handing out independent DuckDB cursors would run queries outside SQLAlchemy's
    transactions. Buffering, as SQLAlchemy's own MSSQL and Oracle dialects do for RETURNING,
    gives GX what it assumes of client-side drivers such as psycopg2: rows that survive the
    connection. GX's metric queries are single-row aggregates, its unexpected-value lists are
    limited in the SUMMARY result format and the gate's own rules return one row per input,
    measure or mart, so buffering costs little memory. A result above BUFFER_LIMIT rows (a
    hand-written rule that returns whole tables) raises instead of being pulled into memory:
    the expectation then fails closed, naming the limit.
    """

    def post_exec(self) -> None:
        super().post_exec()
        if self.cursor.description is not None:
            rows = self.cursor.fetchmany(BUFFER_LIMIT + 1)
            if len(rows) > BUFFER_LIMIT:
                raise ResultTooLarge(
                    f"a gate query returned more than {BUFFER_LIMIT} rows; write the rule so that it returns "
                    f"few rows (aggregate, or list the first keys): {self.statement[:300]}")
            self.cursor_fetch_strategy = sa_cursor.FullyBufferedCursorFetchStrategy(
                self.cursor, self.cursor.description, rows
            )


class BufferedDuckDBDialect(duckdb_engine.Dialect):
    """duckdb_engine's dialect with buffered results; URL scheme `duckdb+gx_buffered://`.

    Takes an `attach` connect argument ({alias: path}): other DuckDB files attached read-only to
    every connection, so a rule's SQL can compare the warehouse with the last published marts
    without leaving DuckDB. Also takes a `schema` connect argument, the connection's default schema. GX 1.x deprecates
    a table asset's `schema_name` in favour of the datasource's connection, and it needs the
    default schema to be the table's: duckdb_engine's column reflection fails on SQLAlchemy 2.1
    (it queries pg_catalog.pg_collation, which DuckDB lacks), and GX's fallback then reads the
    columns with an unqualified `SELECT * FROM <table> LIMIT 1`.
    """

    execution_ctx_cls = BufferedDuckDBExecutionContext
    supports_statement_cache = False

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        schema = cparams.pop("schema", None)
        attach = cparams.pop("attach", None) or {}
        connection = super().connect(*cargs, **cparams)
        for alias, path in attach.items():
            quoted = str(path).replace("'", "''")
            connection.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS {check_identifier(alias, 'alias')} (READ_ONLY)")
        if schema is not None:
            connection.execute(f"SET schema = '{check_identifier(schema, 'schema')}'")
        return connection


registry.register(f"duckdb.{DIALECT_DRIVER}", __name__, "BufferedDuckDBDialect")


@dataclass
class ExpectationFailure:
    suite: str
    table: str
    expectation: str
    column: str | None
    unexpected_count: int | None
    detail: str
    keys: list[str] = field(default_factory=list)  # the first offending records (key values)
    fix: str = ""
    rule: str | None = None  # a generated relative rule's name; None for a suite's own expectation

    def message(self) -> str:
        """One line: where, what, the first keys and the fix."""
        where = self.table + (f".{self.column}" if self.column else "")
        what = self.rule or self.expectation
        count = f" {self.unexpected_count} row(s):" if self.unexpected_count and not self.rule else ""
        keys = f" First: {', '.join(self.keys[:FIRST_KEYS])}." if self.keys else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{self.suite}: {what} on {where}:{count} {self.detail}.{keys}{fix}".replace("..", ".")


def failure_message(recorded: dict) -> str:
    """ExpectationFailure.message() of a failure as recorded in gate.json or the run status."""
    names = {f.name for f in fields(ExpectationFailure)}
    values = {name: recorded.get(name) for name in names}
    values.update(keys=recorded.get("keys") or [], fix=recorded.get("fix") or "", detail=recorded.get("detail") or "")
    return ExpectationFailure(**values).message()


@dataclass
class GateResult:
    success: bool
    failures: list[ExpectationFailure]
    results_path: Path
    docs_path: Path | None

    def summary(self, limit: int = 10) -> str:
        """The failures as short lines, the first `limit` of them, and where the full results are."""
        lines = [f"  ✗ {f.message()}" for f in self.failures[:limit]]
        if len(self.failures) > limit:
            lines.append(f"  … and {len(self.failures) - limit} more")
        docs = f", Data Docs: {self.docs_path}" if self.docs_path else ""
        lines.append(f"  full results: {self.results_path}{docs}")
        return "\n".join(lines)


@dataclass(frozen=True)
class InputSpec:
    """An input of a mart (`relative.inputs[]`): the mart may not be empty while it has rows."""

    table: str  # schema.table (or database.schema.table) in the warehouse
    where: str  # DuckDB condition on the input's rows, alias `input`
    key: tuple[str, ...]  # columns that name an input record in a failure
    mart_key: tuple[str, ...]  # the same record's columns in the mart (default: key)
    complete: bool  # every input record (by key) must be in the mart
    label: str


@dataclass(frozen=True)
class RelativeRules:
    inputs: tuple[InputSpec, ...]
    max_drop_vs_published: float | None
    drop_keys: tuple[str, ...]  # distinct counts compared with the published marts, besides rows
    referenced_by_marts: tuple[str, ...] = ()  # key columns every other mart may only reference from here


@dataclass
class SuiteFile:
    name: str
    schema: str
    table: str
    expectations: list[gx.expectations.Expectation]
    key: tuple[str, ...] = ()
    relative: RelativeRules | None = None

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class Baseline:
    """The last published marts: their file and each table's columns (metadata only)."""

    path: Path
    columns: dict[str, set[str]]


class SuiteFileError(ValueError):
    """A suite file that cannot become a GX ExpectationSuite."""

    def __init__(self, message: str, table: str = "?", expectation: str = "(suite file)"):
        super().__init__(message)
        self.table = table
        self.expectation = expectation


def check_identifier(name: str, what: str) -> str:
    """Schema and table names are spliced into SQL by GX's fallbacks: plain identifiers only."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"{what} {name!r} is not a plain identifier ({IDENTIFIER.pattern})")
    return name


def expectation_classes() -> dict[str, type[gx.expectations.Expectation]]:
    """GX's own expectation classes by type name, e.g. `expect_column_values_to_not_be_null`."""
    classes = {}
    for value in vars(gx.expectations).values():
        if isinstance(value, type) and issubclass(value, gx.expectations.Expectation):
            if value.expectation_type:
                classes[value.expectation_type] = value
    return classes


def _identifiers(value: Any, where: str, what: str, qualified: str) -> tuple[str, ...]:
    """A column name or list of them, each a plain identifier."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and IDENTIFIER.match(n) for n in names):
        raise SuiteFileError(f"{where}: expected `{what}` to be a column name or a list of them, got {value!r}",
                             qualified)
    return tuple(names)


def _relative_rules(spec: Any, where: str, qualified: str) -> RelativeRules:
    if not isinstance(spec, dict):
        raise SuiteFileError(f"{where}: expected an object with `inputs` and `max_drop_vs_published`", qualified)
    unknown = set(spec) - {"inputs", "max_drop_vs_published", "drop_keys", "referenced_by_marts"}
    if unknown:
        raise SuiteFileError(f"{where}: unknown key(s) {sorted(unknown)}", qualified)
    inputs = []
    entries = spec.get("inputs", [])
    if not isinstance(entries, list):
        raise SuiteFileError(f"{where}.inputs: expected a list", qualified)
    for index, entry in enumerate(entries):
        at = f"{where}.inputs[{index}]"
        if isinstance(entry, str):
            entry = {"table": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("table"), str):
            raise SuiteFileError(f"{at}: expected a table name or an object with `table`", qualified)
        parts = entry["table"].split(".")
        if len(parts) not in (2, 3) or not all(IDENTIFIER.match(part) for part in parts):
            raise SuiteFileError(f"{at}: expected `table` as schema.table, got {entry['table']!r}", qualified)
        key = _identifiers(entry["key"], at, "key", qualified) if "key" in entry else ()
        mart_key = _identifiers(entry["mart_key"], at, "mart_key", qualified) if "mart_key" in entry else key
        complete = entry.get("complete", False)
        if complete is not False and (complete is not True or not key or len(mart_key) != len(key)):
            raise SuiteFileError(f"{at}: `complete` needs `key` (and `mart_key` of the same length)", qualified)
        where_sql = entry.get("where", "true")
        if not isinstance(where_sql, str) or not where_sql.strip():
            raise SuiteFileError(f"{at}: expected `where` to be a SQL condition", qualified)
        label = entry.get("label") or entry["table"] + (f" where {where_sql}" if "where" in entry else "")
        inputs.append(InputSpec(entry["table"], where_sql, key, mart_key, complete, label))
    drop = spec.get("max_drop_vs_published")
    if drop is not None and (not isinstance(drop, (int, float)) or isinstance(drop, bool) or not 0 <= drop < 1):
        raise SuiteFileError(f"{where}.max_drop_vs_published: expected a fraction in [0, 1), got {drop!r}", qualified)
    drop_keys = _identifiers(spec.get("drop_keys", []), where, "drop_keys", qualified)
    referenced = _identifiers(spec.get("referenced_by_marts", []), where, "referenced_by_marts", qualified)
    return RelativeRules(tuple(inputs), drop, drop_keys, referenced)


def load_suite_file(path: Path) -> SuiteFile:
    """Parse one suite file into GX expectation objects; raise SuiteFileError naming what is wrong."""
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SuiteFileError(f"{path}: not readable JSON: {exc}") from exc
    if not isinstance(spec, dict):
        raise SuiteFileError(f"{path}: expected a JSON object, got {type(spec).__name__}")
    table, schema = spec.get("table"), spec.get("schema", "main")
    for what, name in (("table", table), ("schema", schema)):
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            raise SuiteFileError(
                f"{path}: expected `{what}` to be a plain identifier ({IDENTIFIER.pattern}), got {name!r}"
            )
    qualified = f"{schema}.{table}"
    relative = _relative_rules(spec["relative"], f"{path}: relative", qualified) if "relative" in spec else None
    if schema == MARTS_SCHEMA and relative is None:
        raise SuiteFileError(
            f"{path}: a mart's suite needs a `relative` section (its inputs and max_drop_vs_published; "
            f"see ingestion/gate.py)", qualified)
    key = _identifiers(spec["key"], str(path), "key", qualified) if "key" in spec else ()
    entries = spec.get("expectations", [])
    if not isinstance(entries, list) or (not entries and relative is None):
        raise SuiteFileError(f"{path}: expected a non-empty list `expectations`", qualified)
    classes = expectation_classes()
    expectations = []
    for index, entry in enumerate(entries):
        where = f"{path}: expectations[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("kwargs", {}), dict):
            raise SuiteFileError(f"{where}: expected an object with `type` and `kwargs`", qualified)
        kind = entry.get("type")
        if kind not in classes:
            raise SuiteFileError(f"{where}: unknown GX expectation type {kind!r}", qualified, str(kind))
        try:
            expectations.append(classes[kind](**entry.get("kwargs", {}), meta=entry.get("meta")))
        except Exception as exc:
            raise SuiteFileError(f"{where}: invalid kwargs for {kind}: {exc}", qualified, kind) from exc
    return SuiteFile(path.stem, schema, table, expectations, key, relative)


def _braces(sql: str) -> str:
    """GX formats a rule's SQL with str.format: a literal brace from a suite must be doubled."""
    return sql.replace("{", "{{").replace("}", "}}")


def _joined(alias: str, columns: tuple[str, ...]) -> str:
    """One varchar naming a record by its key columns, e.g. `KGZ-2020-PARL / Ata Meken`."""
    return "concat_ws(' / ', " + ", ".join(f"{alias}.{c}::varchar" for c in columns) + ")"


def _rule(rule: str, query: str, description: str, column: str | None = None) -> gx.expectations.Expectation:
    meta = {"rule": rule, **({"column": column} if column else {})}
    return gx.expectations.UnexpectedRowsExpectation(unexpected_rows_query=query, description=description,
                                                     meta=meta)


def relative_expectations(suite: SuiteFile, baseline: Baseline | None,
                          marts: dict[str, set[str]] | None = None) -> list[gx.expectations.Expectation]:
    """The GX expectations a suite's `relative` section stands for (see the module docstring).

    `marts` maps each table of the warehouse's marts schema to its columns (for referenced_by_marts).
    """
    rules = suite.relative
    if rules is None:
        return []
    generated = []
    for column in rules.referenced_by_marts:
        referring = sorted(t for t, columns in (marts or {}).items() if column in columns and t != suite.table)
        if referring:
            union = " union all ".join(f"select '{MARTS_SCHEMA}.{t}' as mart, {column}::varchar as k "
                                       f"from {MARTS_SCHEMA}.{t}" for t in referring)
            generated.append(_rule(
                "referenced_keys_exist",
                f"select mart, count(*) as records, list_sort(list_distinct(list(k)))[1:{FIRST_KEYS}] as first_missing "
                f"from ({union}) as refs where k is not null and not exists (select 1 from (select * from {{batch}}) "
                f"as dim where dim.{column}::varchar = refs.k) group by mart order by mart",
                f"every {column} of any mart ({len(referring)} of them) is in {suite.qualified_table}", column))
    if rules.inputs:
        selects = []
        for spec in rules.inputs:
            first = (f"(select list(k) from (select distinct {_joined('input', spec.key)} as k from {spec.table} "
                     f"as input where {_braces(spec.where)} order by k limit {FIRST_KEYS}))"
                     if spec.key else "null::varchar[]")
            selects.append(f"select '{_braces(spec.label).replace(chr(39), chr(39) * 2)}' as input, "
                           f"count(*) as input_rows, {first} as first_input_keys "
                           f"from {spec.table} as input where {_braces(spec.where)}")
        generated.append(_rule(
            "not_empty_when_inputs_are_not",
            "select * from (" + " union all ".join(selects) + ") as inputs "
            "where input_rows > 0 and not exists (select 1 from {batch})",
            f"{suite.qualified_table} has rows whenever one of its inputs has rows"))
    for spec in (s for s in rules.inputs if s.complete):
        match = " and ".join(f"mart.{m} = input.{k}" for m, k in zip(spec.mart_key, spec.key))
        generated.append(_rule(
            "every_input_record_in_the_mart",
            f"select count(*) as missing_records, list_sort(list_distinct(list(missing_key)))[1:{FIRST_KEYS}] "
            f"as first_missing "
            f"from (select {_joined('input', spec.key)} as missing_key from {spec.table} as input "
            f"where ({_braces(spec.where)}) and not exists (select 1 from (select * from {{batch}}) as mart "
            f"where {match}) and exists (select 1 from {{batch}})) as missing having count(*) > 0",
            f"every record of {spec.label} (by {', '.join(spec.key)}) is in {suite.qualified_table}",
            ",".join(spec.mart_key)))
    published = baseline.columns.get(suite.table) if baseline and suite.schema == MARTS_SCHEMA else None
    if rules.max_drop_vs_published is not None and published is not None:
        source = f"{PUBLISHED}.main.{suite.table}"
        measures = ["select 'rows' as measure, (select count(*) from " + source + ") as published, "
                    "(select count(*) from {batch}) as current, null::varchar[] as first_missing"]
        for column in (c for c in rules.drop_keys if c in published):
            missing = (f"(select list(k) from (select k from (select {column}::varchar as k from {source} "
                       f"except select {column}::varchar from {{batch}}) order by k limit {FIRST_KEYS}))")
            measures.append(f"select 'distinct {column}', (select count(distinct {column}) from {source}), "
                            f"(select count(distinct {column}) from {{batch}}), {missing}")
        allowed = 1 - rules.max_drop_vs_published
        generated.append(_rule(
            "drop_vs_published",
            "select * from (" + " union all ".join(measures) + f") as measures where current < published * {allowed}",
            f"{suite.qualified_table} keeps at least {allowed:.0%} of the rows (and of each of "
            f"{', '.join(('rows',) + rules.drop_keys)}) of the last published marts"))
    return generated


def _gx_context(docs_dir: Path) -> Any:
    """An ephemeral GX context whose only Data Docs site is a folder under the results."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _raised(exception_info: Any) -> str | None:
    """The exception message if GX recorded one, at top level or per metric."""
    if not isinstance(exception_info, dict):
        return None
    if exception_info.get("raised_exception"):
        return str(exception_info.get("exception_message") or "exception without message")
    for value in exception_info.values():
        message = _raised(value)
        if message:
            return message
    return None


def _column_of(kwargs: dict, meta: dict | None) -> str | None:
    if meta and isinstance(meta.get("column"), str):
        return meta["column"]
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if "column_list" in kwargs:
        return ",".join(kwargs["column_list"])
    return None


def model_file(table: str) -> str:
    """The dbt model that builds `table`, as a repo path, for a failure's fix."""
    found = sorted(DBT_PROJECT_DIR.glob(f"models/**/{table}.sql"))
    return str(found[0].relative_to(REPO_ROOT)) if found else f"the dbt model of {table}"


def _default_fix(suite: SuiteFile, rule: str | None) -> str:
    model = model_file(suite.table)
    if rule == "not_empty_when_inputs_are_not":
        return f"the model {model} dropped every row: check its joins and filters against the input rows named."
    if rule == "referenced_keys_exist":
        return (f"a mart references keys that {suite.qualified_table} lacks: check the marts named (their "
                f"filter on {suite.table}) or the model {model}.")
    if rule == "every_input_record_in_the_mart":
        return f"the model {model} lost the records named: check the join or filter that drops them."
    if rule == "drop_vs_published":
        return (f"check this run's source payloads (`ecw status`, raw tables) and the model {model}; if the "
                f"source really withdrew these records, raise relative.max_drop_vs_published in "
                f"expectations/{suite.name}.json for one run.")
    return f"check the source record(s) named (raw tables, `ecw status`) or the model {model}."


def _first_rows(engine: Any, query: str, table: str) -> list[dict]:
    """The first few rows of a failed rule's query, read with a LIMIT inside DuckDB."""
    sql = f"select * from ({query.format(batch=table)}) as unexpected limit {FIRST_KEYS}"
    return [dict(row._mapping) for row in engine.execute_query(sa.text(sql)).fetchall()]


def _describe_rule(rule: str | None, rows: list[dict], suite: SuiteFile) -> tuple[str, list[str], int | None]:
    """What a failed unexpected-rows rule found, in words, the keys it names and its record count."""
    if rule == "not_empty_when_inputs_are_not":
        inputs = "; ".join(f"{r['input']} has {r['input_rows']} row(s)" for r in rows)
        keys = [k for r in rows for k in r["first_input_keys"] or []]
        return f"is empty while its inputs are not ({inputs})", keys, None
    if rule == "every_input_record_in_the_mart":
        (row,) = rows
        return f"{row['missing_records']} input record(s) missing from the mart", row["first_missing"], \
            row["missing_records"]
    if rule == "referenced_keys_exist":
        parts = [f"{r['mart']} has {r['records']} record(s) with keys missing from the dimension" for r in rows]
        return "; ".join(parts), [k for r in rows for k in r["first_missing"]], sum(r["records"] for r in rows)
    if rule == "drop_vs_published":
        allowed = suite.relative.max_drop_vs_published if suite.relative else 0
        parts = [f"{r['measure']}: {r['published']} in the published marts, {r['current']} now "
                 f"(-{1 - r['current'] / r['published']:.0%}, more than the {allowed:.0%} allowed)" for r in rows]
        return "; ".join(parts), [k for r in rows for k in r["first_missing"] or []], None
    keys = [" / ".join(str(r[k]) for k in suite.key) if suite.key and all(k in r for k in suite.key)
            else str(next(iter(r.values()), None)) for r in rows]
    shown = "; ".join(", ".join(f"{k}={v}" for k, v in r.items()) for r in rows[:3])
    return f"first rows: {shown}", keys, None


def _failures_of(suite: SuiteFile, expectations: list, validation: Any, engine: Any) -> list[ExpectationFailure]:
    """One failure per expectation that failed, raised, or is missing from the results."""
    failures = []
    seen: Counter[str] = Counter()
    for result in validation.results:
        config = result.expectation_config
        seen[config.type] += 1
        kwargs = {key: value for key, value in config.kwargs.items() if key != "batch_id"}
        stats = result.result or {}
        raised = _raised(result.exception_info)
        if result.success is True and raised is None:
            continue
        meta = config.meta or {}
        rule = meta.get("rule")
        unexpected = stats.get("unexpected_count")
        if unexpected is None and config.type == "unexpected_rows_expectation":
            unexpected = stats.get("observed_value")
        description = getattr(config, "description", None) or kwargs.get("description")
        keys: list[str] = []
        if raised is not None:
            detail = f"GX raised: {raised}"
        elif config.type == "unexpected_rows_expectation":
            try:
                found, keys, records = _describe_rule(
                    rule, _first_rows(engine, kwargs["unexpected_rows_query"], suite.table), suite)
                unexpected = records if rule else unexpected
            except Exception as exc:
                found = f"(the first rows could not be read: {type(exc).__name__}: {exc})"
            detail = found if rule else f"{description or 'unexpected rows'}; {found}"
        else:
            shown = {key: stats[key] for key in ("observed_value", "partial_unexpected_list") if key in stats}
            detail = f"{description}; got {shown}" if description else f"expected {kwargs}, got {shown}"
            keys = [" / ".join(str(entry.get(k)) for k in suite.key)
                    for entry in stats.get("partial_unexpected_index_list") or [] if isinstance(entry, dict)]
        failures.append(
            ExpectationFailure(
                suite.name, suite.qualified_table, config.type, _column_of(kwargs, meta),
                int(unexpected) if isinstance(unexpected, (int, float)) else None, detail,
                keys[:FIRST_KEYS], meta.get("fix") or _default_fix(suite, rule), rule,
            )
        )
    wanted = Counter(e.expectation_type for e in expectations)
    for kind, count in (wanted - seen).items():
        failures.append(
            ExpectationFailure(
                suite.name, suite.qualified_table, kind, None, None,
                f"{count} expectation(s) of this type returned no result",
            )
        )
    if not failures and validation.success is not True:
        failures.append(
            ExpectationFailure(
                suite.name, suite.qualified_table, "(suite)", None, None,
                f"GX reported success={validation.success!r} with no failed expectation",
            )
        )
    return failures


def _validate(context: Any, datasource: Any, suite: SuiteFile, baseline: Baseline | None,
              marts: dict[str, set[str]], results_dir: Path) -> list[ExpectationFailure]:
    def failure(expectation: str, detail: str) -> list[ExpectationFailure]:
        return [ExpectationFailure(suite.name, suite.qualified_table, expectation, None, None, detail)]

    try:
        asset = datasource.add_table_asset(name=suite.name, table_name=suite.table)
    except Exception as exc:
        return failure("(table)", f"table {suite.qualified_table} cannot be read: {exc}")
    expectations = [*suite.expectations, *relative_expectations(suite, baseline, marts)]
    result_format: dict[str, Any] = {"result_format": RESULT_FORMAT}
    if suite.key:
        result_format.update(unexpected_index_column_names=list(suite.key), partial_unexpected_count=FIRST_KEYS)
    try:
        batch = asset.add_batch_definition_whole_table(name=suite.name)
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        validation = definition.run(result_format=result_format)
    except Exception as exc:
        return failure("(suite)", f"GX failed to validate: {type(exc).__name__}: {exc}")
    (results_dir / f"{suite.name}.json").write_text(
        json.dumps(validation.to_json_dict(), indent=2, sort_keys=True), encoding="utf-8"
    )
    return _failures_of(suite, expectations, validation, datasource.get_execution_engine())


def _release(datasource: Any) -> None:
    """Close the datasource's engine and its execution engine's own one.

    DuckDB refuses a read-write connection in this process while a read-only one to the same
    file is open, so a pooled connection left behind would block the publish step.
    """
    datasource.get_execution_engine().close()
    datasource.get_engine().dispose()


def _table_columns(path: Path, schema: str) -> dict[str, set[str]]:
    """Each table of `schema` in the DuckDB file with its column names (catalog only, no rows)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select table_name, column_name from duckdb_columns() "
                           "where schema_name = ? and database_name = current_database()", [schema]).fetchall()
    finally:
        con.close()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def marts_without_suite(tables: set[str], suites: list[SuiteFile]) -> list[str]:
    """Marts that no suite validates: the gate and publish refuse them."""
    return sorted(tables - {s.table for s in suites if s.schema == MARTS_SCHEMA})


def run_gate(warehouse: Path, suites_dir: Path, results_dir: Path, published: Path | None = None) -> GateResult:
    """Validate the tables of `warehouse` (opened read-only) with every suite in `suites_dir`.

    `published` is the last published marts file (data/marts.duckdb), attached read-only for the
    drop rules; absent (the first run), those rules are skipped and gate.json says so.
    Writes `<suite>.json` (the GX validation result) per validated suite, `gate.json` (the
    verdict and failures; returned as results_path) and Data Docs under `results_dir/docs/`.
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    docs_dir = results_dir / "docs"
    failures: list[ExpectationFailure] = []
    suites: list[SuiteFile] = []
    suite_paths = sorted(suites_dir.glob("*.json"))
    if not suite_paths:
        failures.append(
            ExpectationFailure("(none)", "?", "(suite file)", None, None, f"no *.json suite in {suites_dir}")
        )
    for path in suite_paths:
        try:
            suites.append(load_suite_file(path))
        except SuiteFileError as exc:
            failures.append(ExpectationFailure(path.stem, exc.table, exc.expectation, None, None, str(exc),
                                               fix=f"correct {path} (format in ingestion/gate.py)"))

    baseline: Baseline | None = None
    if published is not None and published.is_file():
        try:
            baseline = Baseline(published, _table_columns(published, "main"))
        except Exception as exc:
            failures.append(ExpectationFailure(
                "(gate)", str(published), "(published marts)", None, None,
                f"the last published marts cannot be read for the drop rules: {type(exc).__name__}: {exc}",
                fix=f"if {published} is damaged, move it aside and rerun (that run publishes without a baseline)"))

    docs_path: Path | None = None
    if not warehouse.is_file():
        failures.extend(
            ExpectationFailure(s.name, s.qualified_table, "(table)", None, None, f"warehouse {warehouse} does not exist")
            for s in suites
        )
    elif suites:
        marts = _table_columns(warehouse, MARTS_SCHEMA)
        for table in marts_without_suite(set(marts), suites):
            failures.append(ExpectationFailure(
                f"{MARTS_SCHEMA}.{table}", f"{MARTS_SCHEMA}.{table}", "(suite file)", None, None,
                f"mart {MARTS_SCHEMA}.{table} has no quality suite",
                fix=f"add {suites_dir / f'{MARTS_SCHEMA}.{table}.json'} (format in ingestion/gate.py: key, "
                    f"relative.inputs, relative.max_drop_vs_published, expectations)"))
        datasources: list[Any] = []
        attach = {PUBLISHED: str(baseline.path.resolve())} if baseline else {}
        try:
            context = _gx_context(docs_dir)
            for schema in sorted({s.schema for s in suites}):
                datasource = context.data_sources.add_sql(
                    name=f"warehouse_{schema}",
                    connection_string=f"duckdb+{DIALECT_DRIVER}:///{warehouse.resolve()}",
                    kwargs={"connect_args": {"read_only": True, "schema": schema, "attach": attach}},
                )
                datasources.append(datasource)
                for suite in (s for s in suites if s.schema == schema):
                    failures.extend(_validate(context, datasource, suite, baseline, marts, results_dir))
            context.build_data_docs(site_names=[DOCS_SITE])
            docs_path = docs_dir / "index.html"
            if not docs_path.is_file():
                raise FileNotFoundError(f"GX built no Data Docs index at {docs_path}")
        except Exception as exc:
            docs_path = None
            failures.append(
                ExpectationFailure("(gate)", str(warehouse), "(gx)", None, None, f"{type(exc).__name__}: {exc}")
            )
        finally:
            for datasource in datasources:
                try:
                    _release(datasource)
                except Exception as exc:
                    failures.append(
                        ExpectationFailure("(gate)", str(warehouse), "(release)", None, None, f"{type(exc).__name__}: {exc}")
                    )

    summary_path = results_dir / "gate.json"
    summary = {
        "success": not failures,
        "warehouse": str(warehouse),
        "published_baseline": str(baseline.path) if baseline else None,
        "suites": [s.name for s in suites],
        "failures": [asdict(f) for f in failures],
        "docs": str(docs_path) if docs_path else None,
    }
    summary_path.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    return GateResult(not failures, failures, summary_path, docs_path)
