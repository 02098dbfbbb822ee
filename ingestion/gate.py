"""Quality gate: run the Great Expectations suites in `expectations/` against DuckDB tables.

The validation queries run inside DuckDB through GX's SQL execution engine; no table is pulled
into pandas. The gate fails closed: a suite file that does not parse, a missing table, a GX
exception, an expectation that raised, failed or returned no result all make it unsuccessful.

Suite file format (one JSON file per validated table; the suite name is the file stem):
    {"table": "election_crises", "schema": "main",            # schema is optional, default main
     "expectations": [{"type": "expect_column_values_to_not_be_null",
                       "kwargs": {"column": "election_key"}, "meta": {...}}]}   # meta optional
`type` is the GX expectation type name (snake case), `kwargs` the arguments of its class.

GX 1.x has no DuckDB dialect module, so its regex and type expectations raise
NotImplementedError on DuckDB (and so fail the gate). Write a regex contract as an
`unexpected_rows_expectation` with DuckDB SQL, e.g. `select * from {batch} where not
regexp_matches(source_url, '^https?://')`, and name the column in `meta.column` for the report.
GX formats that query with str.format: a literal brace in it must be doubled (`{{3}}`).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb_engine
import great_expectations as gx
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from sqlalchemy.dialects import registry
from sqlalchemy.engine import cursor as sa_cursor

# GX logs every metric's reflection fallback at INFO; the gate reports what matters itself.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

DIALECT_DRIVER = "gx_buffered"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DOCS_SITE = "gate"
RESULT_FORMAT = "SUMMARY"


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
    connection. GX's metric queries are single-row aggregates and its unexpected-value lists
    are limited in the SUMMARY result format, so buffering costs little memory.
    """

    def post_exec(self) -> None:
        super().post_exec()
        if self.cursor.description is not None:
            self.cursor_fetch_strategy = sa_cursor.FullyBufferedCursorFetchStrategy(
                self.cursor, self.cursor.description, self.cursor.fetchall()
            )


class BufferedDuckDBDialect(duckdb_engine.Dialect):
    """duckdb_engine's dialect with buffered results; URL scheme `duckdb+gx_buffered://`.

    Also takes a `schema` connect argument, the connection's default schema. GX 1.x deprecates
    a table asset's `schema_name` in favour of the datasource's connection, and it needs the
    default schema to be the table's: duckdb_engine's column reflection fails on SQLAlchemy 2.1
    (it queries pg_catalog.pg_collation, which DuckDB lacks), and GX's fallback then reads the
    columns with an unqualified `SELECT * FROM <table> LIMIT 1`.
    """

    execution_ctx_cls = BufferedDuckDBExecutionContext
    supports_statement_cache = False

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        schema = cparams.pop("schema", None)
        connection = super().connect(*cargs, **cparams)
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


@dataclass
class GateResult:
    success: bool
    failures: list[ExpectationFailure]
    results_path: Path
    docs_path: Path | None


@dataclass
class SuiteFile:
    name: str
    schema: str
    table: str
    expectations: list[gx.expectations.Expectation]

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"


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
    entries = spec.get("expectations")
    if not isinstance(entries, list) or not entries:
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
    return SuiteFile(path.stem, schema, table, expectations)


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


def _failures_of(suite: SuiteFile, validation: Any) -> list[ExpectationFailure]:
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
        unexpected = stats.get("unexpected_count")
        if unexpected is None and config.type == "unexpected_rows_expectation":
            unexpected = stats.get("observed_value")
        if raised is not None:
            detail = f"GX raised: {raised}"
        else:
            shown = {
                key: stats[key]
                for key in ("observed_value", "unexpected_count", "partial_unexpected_list")
                if key in stats
            }
            description = getattr(config, "description", None) or kwargs.get("description")
            detail = (f"{description}; got {shown}" if description else f"expected {kwargs}, got {shown}")
        failures.append(
            ExpectationFailure(
                suite.name, suite.qualified_table, config.type, _column_of(kwargs, config.meta),
                int(unexpected) if isinstance(unexpected, (int, float)) else None, detail,
            )
        )
    wanted = Counter(e.expectation_type for e in suite.expectations)
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


def _validate(context: Any, datasource: Any, suite: SuiteFile, results_dir: Path) -> list[ExpectationFailure]:
    def failure(expectation: str, detail: str) -> list[ExpectationFailure]:
        return [ExpectationFailure(suite.name, suite.qualified_table, expectation, None, None, detail)]

    try:
        asset = datasource.add_table_asset(name=suite.name, table_name=suite.table)
    except Exception as exc:
        return failure("(table)", f"table {suite.qualified_table} cannot be read: {exc}")
    try:
        batch = asset.add_batch_definition_whole_table(name=suite.name)
        gx_suite = context.suites.add(
            gx.ExpectationSuite(name=suite.name, expectations=suite.expectations)
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        validation = definition.run(result_format=RESULT_FORMAT)
    except Exception as exc:
        return failure("(suite)", f"GX failed to validate: {type(exc).__name__}: {exc}")
    (results_dir / f"{suite.name}.json").write_text(
        json.dumps(validation.to_json_dict(), indent=2, sort_keys=True), encoding="utf-8"
    )
    return _failures_of(suite, validation)


def _release(datasource: Any) -> None:
    """Close the datasource's engine and its execution engine's own one.

    DuckDB refuses a read-write connection in this process while a read-only one to the same
    file is open, so a pooled connection left behind would block the publish step.
    """
    datasource.get_execution_engine().close()
    datasource.get_engine().dispose()


def run_gate(warehouse: Path, suites_dir: Path, results_dir: Path) -> GateResult:
    """Validate the tables of `warehouse` (opened read-only) with every suite in `suites_dir`.

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
            failures.append(ExpectationFailure(path.stem, exc.table, exc.expectation, None, None, str(exc)))

    docs_path: Path | None = None
    if not warehouse.is_file():
        failures.extend(
            ExpectationFailure(s.name, s.qualified_table, "(table)", None, None, f"warehouse {warehouse} does not exist")
            for s in suites
        )
    elif suites:
        datasources: list[Any] = []
        try:
            context = _gx_context(docs_dir)
            for schema in sorted({s.schema for s in suites}):
                datasource = context.data_sources.add_sql(
                    name=f"warehouse_{schema}",
                    connection_string=f"duckdb+{DIALECT_DRIVER}:///{warehouse.resolve()}",
                    kwargs={"connect_args": {"read_only": True, "schema": schema}},
                )
                datasources.append(datasource)
                for suite in (s for s in suites if s.schema == schema):
                    failures.extend(_validate(context, datasource, suite, results_dir))
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
        "suites": [s.name for s in suites],
        "failures": [asdict(f) for f in failures],
        "docs": str(docs_path) if docs_path else None,
    }
    summary_path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return GateResult(not failures, failures, summary_path, docs_path)
