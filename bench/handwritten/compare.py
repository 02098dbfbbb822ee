"""Issue 11's comparisons (2) and (3): dbt build and the GX gate against hand-written DuckDB SQL.

run(warehouse, marts) -> {"dbt_equivalent": ..., "gate_equivalent": ...}
- dbt_equivalent: marts.sql (written by build_sql.write_script for the models as they are) run in ONE DuckDB connection over a copy of the
  warehouse (the original is never written); each published mart is then compared with its
  hand-built twin hand.<mart> against dbt's marts.<mart> in that copy (what was published is a
  copy of it), EXCEPT ALL both ways over the same columns (set operations treat NULLs as equal;
  no rounding: the same SQL gives the same doubles). A mart the script does not build is reported with
  "covered": false and never counted as identical.
- gate_equivalent: bench/handwritten/gate.py in a fresh process (its peak RSS is the SQL pass's
  own) and the real gate (ingestion.gate.run_gate) on the same warehouse copy, suites and
  published baseline; "identical" when every check passes or fails alike in both.

    python -m bench.handwritten.compare <warehouse.duckdb> <marts.duckdb>   # prints the JSON
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.handwritten import build_sql

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
HAND_SCHEMA = "hand"
DBT_SCHEMA = "marts"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def copy_warehouse(warehouse: Path, target: Path) -> Path:
    """A private copy (and its WAL, if the last writer left one) to run on."""
    shutil.copyfile(warehouse, target)
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run_script(copy: Path, script: Path) -> float:
    """marts.sql in one connection; its wall time in seconds (connect and checkpoint included)."""
    sql = script.read_text(encoding="utf-8")
    started = time.perf_counter()
    con = duckdb.connect(str(copy))
    try:
        con.execute(sql)
        con.execute("checkpoint")
    finally:
        con.close()
    return time.perf_counter() - started


def compare_marts(copy: Path, marts: Path) -> dict[str, dict]:
    """Per published mart: rows, whether hand.<mart> exists ("covered") and equals dbt's marts.<mart>."""
    con = duckdb.connect(str(copy), read_only=True)
    try:
        con.execute(f"attach {_quote(marts)} as pub (read_only)")
        published = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'pub' and schema_name = 'main' "
            "and not starts_with(table_name, '_') order by 1").fetchall()]
        tables: dict[str, dict] = {}
        for name in published:
            def columns(database: str, schema: str) -> list[tuple[str, str]]:
                return con.execute("select column_name, data_type from duckdb_columns() where database_name = ? "
                                   "and schema_name = ? and table_name = ? order by column_index",
                                   [database, schema, name]).fetchall()
            current = con.execute("select current_database()").fetchone()[0]
            theirs, ours = columns(current, DBT_SCHEMA), columns(current, HAND_SCHEMA)
            dbt = f"{current}.{DBT_SCHEMA}.{_ident(name)}"
            rows = con.execute(f"select count(*) from {dbt}").fetchone()[0]
            entry: dict = {"rows": rows, "covered": bool(ours), "identical": False}
            tables[name] = entry
            if not ours:
                continue
            entry["hand_rows"] = con.execute(f"select count(*) from {HAND_SCHEMA}.{_ident(name)}").fetchone()[0]
            if dict(theirs) != dict(ours):
                entry["column_difference"] = {"dbt_only": sorted(set(theirs) - set(ours)),
                                              "hand_only": sorted(set(ours) - set(theirs))}
                continue
            cols = ", ".join(_ident(c) for c, _ in theirs)
            hand = f"{current}.{HAND_SCHEMA}.{_ident(name)}"
            only_dbt = con.execute(f"select count(*) from (select {cols} from {dbt} except all "
                                   f"select {cols} from {hand})").fetchone()[0]
            only_hand = con.execute(f"select count(*) from (select {cols} from {hand} except all "
                                    f"select {cols} from {dbt})").fetchone()[0]
            entry.update(only_dbt=only_dbt, only_hand=only_hand,
                         identical=only_dbt == 0 and only_hand == 0 and rows == entry["hand_rows"])
        return tables
    finally:
        con.close()


def sql_gate(warehouse: Path, published: Path | None, suites_dir: Path) -> dict:
    """bench/handwritten/gate.py in a fresh Python process: its result, time and peak RSS."""
    command = [sys.executable, "-m", "bench.handwritten.gate", str(warehouse), "--suites", str(suites_dir)]
    if published is not None:
        command += ["--published", str(published)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def real_gate_checks(results_dir: Path) -> dict[str, list[dict]]:
    """Per suite, the real gate's results (GX's validation JSON files), in its expectation order."""
    checks: dict[str, list[dict]] = {}
    for path in sorted(results_dir.glob("*.json")):
        if path.name == "gate.json":
            continue
        validation = json.loads(path.read_text(encoding="utf-8"))
        checks[path.stem] = [{"type": r["expectation_config"]["type"],
                              "rule": (r["expectation_config"].get("meta") or {}).get("rule"),
                              "identity": _identity(r["expectation_config"]),
                              "success": bool(r["success"]),
                              "raised": bool((r.get("exception_info") or {}).get("raised_exception"))}
                             for r in validation["results"]]
    return checks


def _identity(config: dict) -> str:
    """The same identity as bench/handwritten/gate.py gives its check (GX does not keep the order)."""
    from bench.handwritten.gate import own_identity

    meta = config.get("meta") or {}
    rule = meta.get("rule")
    if rule is None:
        return own_identity(config["type"], config["kwargs"])
    if rule == "referenced_keys_exist":
        return meta.get("column") or ""
    if rule == "every_input_record_in_the_mart":
        description = config.get("description") or ""
        return description[len("every record of "):description.rfind(" (by ")]
    return ""


def run_real_gate(warehouse: Path, published: Path | None, suites_dir: Path, results_dir: Path) -> float:
    from ingestion.gate import run_gate

    started = time.perf_counter()
    run_gate(warehouse, suites_dir, results_dir, published=published)
    return time.perf_counter() - started


def agree(sql: dict, real: dict[str, list[dict]]) -> tuple[bool, list[str]]:
    """Every check in both (same suite, type, rule and identity, one to one) with the same pass/fail."""
    problems = list(sql.get("not_covered", []))
    ours: dict[str, list[dict]] = {}
    for check in sql["checks"]:
        ours.setdefault(check["suite"], []).append(check)
    for suite in sorted(set(ours) | set(real)):
        mine = ours.get(suite, [])
        theirs = {(r["type"], r["rule"], r["identity"]): r for r in real.get(suite, [])}
        if len(theirs) != len(real.get(suite, [])) or len(mine) != len(theirs):
            problems.append(f"{suite}: {len(mine)} SQL check(s), {len(real.get(suite, []))} in the real gate "
                            f"({len(theirs)} distinct)")
        for check in mine:
            where = f"{suite}[{check['index']}] {check['type']} {check['rule'] or ''}".rstrip()
            result = theirs.pop((check["type"], check["rule"], check["identity"]), None)
            if result is None:
                problems.append(f"{where}: not found in the real gate's results")
            elif result["raised"]:
                problems.append(f"{where}: the real gate raised")
            elif check["result_success"] != result["success"]:
                problems.append(f"{where}: SQL {'passes' if check['result_success'] else 'fails'}, "
                                f"the real gate {'passes' if result['success'] else 'fails'}")
        problems.extend(f"{suite}: the real gate's {t} {r or ''} {i[:80]!r} has no SQL check"
                        for (t, r, i) in theirs)
    return not problems, problems


def run(warehouse: Path, marts: Path, *, suites_dir: Path = EXPECTATIONS_DIR, real_gate: bool = True,
        workdir: Path | None = None) -> dict:
    """Both comparisons on copies of `warehouse`; `marts` is the published marts file (the mart
    list, the reference for (2) and the gate's published baseline for (3)).
    real_gate=False skips running the real gate (gate_equivalent then has identical=None)."""
    warehouse, marts = Path(warehouse), Path(marts)
    with tempfile.TemporaryDirectory(prefix="ecw-handwritten-", dir=workdir) as tmp:
        tmp = Path(tmp)
        script = build_sql.write_script(warehouse, tmp)  # dbt compile: not part of the timed work
        hand_copy = copy_warehouse(warehouse, tmp / "warehouse_hand.duckdb")
        seconds = run_script(hand_copy, script)
        tables = compare_marts(hand_copy, marts)
        hand_copy.unlink()
        gate_copy = copy_warehouse(warehouse, tmp / "warehouse_gate.duckdb")
        sql = sql_gate(gate_copy, marts, suites_dir)
        gate: dict = {"seconds": sql["seconds"], "peak_rss_bytes": sql["peak_rss_bytes"],
                      "rss_before_bytes": sql["rss_before_bytes"], "checks": len(sql["checks"]),
                      "queries": sql["queries"], "failed_checks": sum(not c["result_success"] for c in sql["checks"]),
                      "identical": None}
        if real_gate:
            gate["real_gate_seconds"] = run_real_gate(gate_copy, marts, suites_dir, tmp / "quality")
            gate["identical"], gate["differences"] = agree(sql, real_gate_checks(tmp / "quality"))
    covered = [t for t in tables.values() if t["covered"]]
    return {
        "dbt_equivalent": {
            "seconds": seconds,
            "identical": bool(covered) and all(t["identical"] for t in tables.values()),
            "covered": len(covered),
            "not_covered": sorted(name for name, t in tables.items() if not t["covered"]),
            "tables": tables,
        },
        "gate_equivalent": gate,
    }


def main(argv: list[str]) -> int:
    result = run(Path(argv[1]), Path(argv[2]))
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0 if result["dbt_equivalent"]["identical"] and result["gate_equivalent"]["identical"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
