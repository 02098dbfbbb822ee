"""The quality gate's checks as hand-written DuckDB SQL: one query per validated table (issue 11, comparison 3).

Reads the same suite files as ingestion/gate.py (expectations/*.json) without Great Expectations
and computes, for every check the real gate runs, its unexpected count and pass/fail:
- column expectations become aggregates in ONE pass over the table
  (`count(*) filter (where <value is unexpected>)`, GX's rules: NULLs are not checked except by
  not_null; `mostly` is honoured);
- a suite's `unexpected_rows_expectation` is a scalar `(select count(*) from (<query>))` in that
  same query (GX's own success rule: the query returns no row);
- the `relative` rules the gate derives (ingestion/gate.py relative_expectations, same order:
  referenced_keys_exist per column, not_empty_when_inputs_are_not, every_input_record_in_the_mart
  per complete input, drop_vs_published) are written here as counts with the same conditions.
Nothing but the per-check counts leaves DuckDB: peak RSS shows no table is pulled into Python.

Run alone (a fresh process, so its peak RSS is the SQL pass's own):
    python -m bench.handwritten.gate <warehouse.duckdb> [--published marts.duckdb] [--suites DIR]
prints {"seconds", "peak_rss_bytes", "rss_before_bytes", "checks": [...]} as JSON.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
MARTS_SCHEMA = "marts"
PUBLISHED = "published"


class NotCovered(ValueError):
    """An expectation type this translation does not implement: reported, never counted as agreeing."""


@dataclass
class Check:
    suite: str
    index: int  # position in the gate's expectation list of the suite (own first, then relative)
    type: str
    rule: str | None
    column: str | None
    unexpected: str  # SQL: the unexpected count, evaluated in the table's one query
    success: str  # SQL: pass/fail from that count (and the table's counts for `mostly`)
    identity: str = ""  # what names the same check in the real gate's results (compare.py)
    result_unexpected: int | None = None
    result_success: bool | None = None


@dataclass
class Suite:
    name: str
    schema: str
    table: str
    checks: list[Check] = field(default_factory=list)
    not_covered: list[str] = field(default_factory=list)
    ctes: list[str] = field(default_factory=list)  # the relative rules' inputs, each read once


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _mostly(unexpected: str, checked: str, mostly) -> str:
    """GX's success: all checked values expected, or at least `mostly` of them (none checked: pass)."""
    if mostly is None or float(mostly) >= 1:
        return f"({unexpected}) = 0"
    return f"coalesce(1 - ({unexpected})::double / nullif({checked}, 0) >= {float(mostly)!r}, true)"


def column_check(kind: str, kwargs: dict) -> tuple[str, str, str]:
    """(unexpected count, success, column) SQL for a GX column expectation over the batch `batch`."""
    mostly = kwargs.get("mostly")
    if kind == "expect_column_values_to_not_be_null":
        col = _ident(kwargs["column"])
        unexpected = f"count(*) filter (where {col} is null)"
        return unexpected, _mostly(unexpected, "count(*)", mostly), kwargs["column"]
    if kind == "expect_column_values_to_be_between":
        col = _ident(kwargs["column"])
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is None and high is None:
            raise NotCovered(f"{kind} without min_value and max_value")
        inside = []
        if low is not None:
            inside.append(f"{col} {'>' if kwargs.get('strict_min') else '>='} {_literal(low)}")
        if high is not None:
            inside.append(f"{col} {'<' if kwargs.get('strict_max') else '<='} {_literal(high)}")
        unexpected = f"count(*) filter (where {col} is not null and not ({' and '.join(inside)}))"
        return unexpected, _mostly(unexpected, f"count({col})", mostly), kwargs["column"]
    if kind in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        col = _ident(kwargs["column"])
        values = ", ".join(_literal(v) for v in kwargs["value_set"]) or "null"
        test = "not in" if kind.endswith("_to_be_in_set") else "in"
        unexpected = f"count(*) filter (where {col} is not null and {col} {test} ({values}))"
        return unexpected, _mostly(unexpected, f"count({col})", mostly), kwargs["column"]
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _ident(kwargs["column_A"]), _ident(kwargs["column_B"])
        ignore = kwargs.get("ignore_row_if", "both_values_are_missing")
        skipped = {"both_values_are_missing": f"{a} is null and {b} is null",
                   "either_value_is_missing": f"({a} is null or {b} is null)",
                   "neither": "false"}.get(ignore)
        if skipped is None:
            raise NotCovered(f"{kind} with ignore_row_if={ignore!r}")
        op = ">=" if kwargs.get("or_equal") else ">"
        unexpected = f"count(*) filter (where not ({skipped}) and not coalesce({a} {op} {b}, false))"
        checked = f"count(*) filter (where not ({skipped}))"
        return unexpected, _mostly(unexpected, checked, mostly), f"{kwargs['column_A']},{kwargs['column_B']}"
    raise NotCovered(f"expectation type {kind} is not translated")


def _columns_of(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _joined_keys(alias: str, columns: list[str]) -> str:
    return ", ".join(f"{alias}.{c}" for c in columns)


def input_label(entry: dict) -> str:
    """An input's label as ingestion/gate.py words it (its every_input rule's description names it)."""
    return entry.get("label") or entry["table"] + (f" where {entry['where']}" if "where" in entry else "")


def own_identity(kind: str, kwargs: dict) -> str:
    """A suite's own expectation by its arguments: the query (whitespace folded) or the kwargs."""
    kwargs = {k: v for k, v in kwargs.items() if k not in ("batch_id", "description")}
    if kind == "unexpected_rows_expectation":
        return " ".join(kwargs["unexpected_rows_query"].rstrip("; \t\r\n").split())
    return json.dumps({k: (float(v) if isinstance(v, int) and not isinstance(v, bool) else v)
                       for k, v in kwargs.items()}, sort_keys=True)


def relative_checks(spec: dict, suite: Suite, batch: str, marts: dict[str, set[str]],
                    published: dict[str, set[str]] | None, start: int) -> list[Check]:
    """The gate's relative rules (its order) as counts; `batch` is the validated table."""
    checks: list[Check] = []

    def add(rule: str, unexpected: str, column: str | None = None, identity: str = "") -> None:
        checks.append(Check(suite.name, start + len(checks), "unexpected_rows_expectation", rule, column,
                            unexpected, f"({unexpected}) = 0", identity))

    for column in _columns_of(spec.get("referenced_by_marts", [])):
        referring = sorted(t for t, cols in marts.items() if column in cols and t != suite.table)
        if referring:
            refs = " union all ".join(f"select '{t}' as mart, {column}::varchar as k from {MARTS_SCHEMA}.{t}"
                                      for t in referring)
            add("referenced_keys_exist",
                f"(select count(distinct mart) from ({refs}) as refs where k is not null and not exists "
                f"(select 1 from {batch} as dim where dim.{column}::varchar = refs.k))", column, column)
    inputs = [{"table": e} if isinstance(e, str) else e for e in spec.get("inputs", [])]
    for j, entry in enumerate(inputs):  # each input's rows once per query (inputs are often views)
        suite.ctes.append(f"input{j} as materialized (select * from {entry['table']} as input "
                          f"where ({entry.get('where', 'true')}))")
    if inputs:
        nonempty = " + ".join(f"(exists (select 1 from input{j}))::int" for j in range(len(inputs)))
        add("not_empty_when_inputs_are_not", f"(case when count(*) = 0 then {nonempty} else 0 end)")
    for j, entry in enumerate(inputs):
        if not entry.get("complete"):
            continue
        key = _columns_of(entry["key"])
        mart_key = _columns_of(entry.get("mart_key", key))
        match = " and ".join(f"mart.{m} = input.{k}" for m, k in zip(mart_key, key))
        add("every_input_record_in_the_mart",
            f"(case when count(*) = 0 then 0 else (select count(*) from input{j} as input "
            f"where not exists (select 1 from {batch} as mart where {match})) end)",
            ",".join(mart_key), input_label(entry))
    columns = published.get(suite.table) if published is not None and suite.schema == MARTS_SCHEMA else None
    drop = spec.get("max_drop_vs_published")
    if drop is not None and columns is not None:
        allowed = 1 - drop
        source = f"{PUBLISHED}.main.{suite.table}"
        measures = [f"(count(*) < (select count(*) from {source}) * {allowed!r})::int"]
        for column in (c for c in _columns_of(spec.get("drop_keys", [])) if c in columns):
            measures.append(f"(count(distinct {column}) < (select count(distinct {column}) from {source}) * {allowed!r})::int")
        add("drop_vs_published", "(" + " + ".join(measures) + ")")
    return checks


def load_suites(suites_dir: Path, marts: dict[str, set[str]], published: dict[str, set[str]] | None) -> list[Suite]:
    suites = []
    for path in sorted(suites_dir.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        suite = Suite(path.stem, spec.get("schema", "main"), spec["table"])
        batch = f"{suite.schema}.{suite.table}"
        for index, entry in enumerate(spec.get("expectations", [])):
            kind, kwargs = entry["type"], entry.get("kwargs", {})
            meta = entry.get("meta") or {}
            if kind == "unexpected_rows_expectation":
                query = kwargs["unexpected_rows_query"].format(batch=batch)
                unexpected = f"(select count(*) from ({query}) as unexpected_rows)"
                suite.checks.append(Check(suite.name, index, kind, None, meta.get("column"), unexpected,
                                          f"({unexpected}) = 0", own_identity(kind, kwargs)))
                continue
            try:
                unexpected, success, column = column_check(kind, kwargs)
            except NotCovered as exc:
                suite.not_covered.append(f"{suite.name}[{index}]: {exc}")
                continue
            suite.checks.append(Check(suite.name, index, kind, None, meta.get("column") or column, unexpected, success,
                                      own_identity(kind, kwargs)))
        if "relative" in spec:
            suite.checks += relative_checks(spec["relative"], suite, batch, marts, published,
                                            len(spec.get("expectations", [])))
        suites.append(suite)
    return suites


def _table_columns(con: duckdb.DuckDBPyConnection, database: str, schema: str) -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from duckdb_columns() "
                                     "where database_name = ? and schema_name = ?", [database, schema]).fetchall():
        columns.setdefault(table, set()).add(column)
    return columns


def run_checks(warehouse: Path, published: Path | None = None, suites_dir: Path = EXPECTATIONS_DIR) -> dict:
    """Every check of every suite, one query per table; the warehouse is opened read-only."""
    started = time.perf_counter()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        database = con.execute("select current_database()").fetchone()[0]
        marts = _table_columns(con, database, MARTS_SCHEMA)
        baseline = None
        if published is not None and Path(published).is_file():
            con.execute(f"attach '{str(published).replace(chr(39), chr(39) * 2)}' as {PUBLISHED} (read_only)")
            baseline = _table_columns(con, PUBLISHED, "main")
        suites = load_suites(suites_dir, marts, baseline)
        queries = 0
        for suite in suites:
            if not suite.checks:
                continue
            con.execute(f"set schema = '{suite.schema}'")  # a suite's query may name tables of its schema unqualified
            select = ", ".join(f"{c.unexpected} as n{i}, {c.success} as ok{i}" for i, c in enumerate(suite.checks))
            with_ = f"with {', '.join(suite.ctes)} " if suite.ctes else ""
            row = con.execute(f"{with_}select {select} from {suite.schema}.{suite.table} as batch").fetchone()
            queries += 1
            for i, check in enumerate(suite.checks):
                check.result_unexpected, check.result_success = int(row[2 * i]), bool(row[2 * i + 1])
    finally:
        con.close()
    return {
        "seconds": time.perf_counter() - started,
        "queries": queries,
        "checks": [{k: v for k, v in asdict(c).items() if k not in ("unexpected", "success")}
                   for s in suites for c in s.checks],
        "not_covered": [n for s in suites for n in s.not_covered],
    }


def peak_rss_bytes() -> int:
    """This process's peak resident set (VmHWM). Not getrusage's ru_maxrss: Linux carries that
    over execve, so a child started from a large parent reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: the best there is


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--published", type=Path)
    parser.add_argument("--suites", type=Path, default=EXPECTATIONS_DIR)
    args = parser.parse_args(argv)
    rss_before = peak_rss_bytes()  # python and duckdb imported, nothing read yet
    result = run_checks(args.warehouse, args.published, args.suites)
    result["peak_rss_bytes"] = peak_rss_bytes()
    result["rss_before_bytes"] = rss_before
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
