"""`python -m bench.run --sf 1`: the pipeline's stages over SYNTHETIC payloads, timed, with the
comparisons of issue 11, written to bench/results/<date>-sf<N>.json and .md (bench/README.md).

The stages are the functions the DAG calls (ingestion/pipeline.py), in a fresh data directory
bench/work/sf<N>/data, with a registry (ECW_REGISTRY) that points every source at the generated
files served on 127.0.0.1 by bench/server.py; the ACLED and UCDP feeds, disabled by default,
are enabled through ECW_ENABLE_SOURCES. Per stage: wall time, rows in and out, rows per second
and the peak RSS of the whole process tree (dbt runs in this process; any child is counted).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb
import psutil
import yaml

from bench import compare
from bench.generate import FULL_DATE, NIGHTLY_DATE, generate, generate_increment
from bench.measure import TreeRss, timed
from bench.server import ACLED_PASSWORD, ACLED_USER, UCDP_TOKEN, BenchServer
from ingestion.settings import REPO_ROOT, Paths

BENCH = REPO_ROOT / "bench"
RESULTS = BENCH / "results"
GENERATED = {"cec_elections", "cec_party_results", "cec_decisions", "moh_bulletins", "observer_statements",
             "deco", "parlgov", "acled_events", "ucdp_ged"}
TARGETS = {"load_ratio": 1.5, "dbt_ratio": 1.5, "gate_ratio": 2.0, "increment_fraction": 0.15,
           "pandas_ratio": 1.0, "peak_rss_sf10_bytes": 6 * 2**30}


def sf_label(sf: float) -> str:
    return f"{sf:g}"


def write_registry(path: Path) -> Path:
    """The repo's sources.yml with the generated sources pointed at the bench server, the others off."""
    document = yaml.safe_load((REPO_ROOT / "sources.yml").read_text(encoding="utf-8"))
    for entry in document["sources"]:
        if entry["id"] not in GENERATED:
            entry["enabled"] = False
            continue
        entry["max_bytes"] = 8_000_000_000  # whole-file payloads are hundreds of MB at SF1
        entry["timeout_seconds"] = 300.0
        if entry["id"] == "deco":
            entry["url"] = "${ECW_SNAPSHOT_BASE_URL}/research/deco/DECO_v.1.0.synthetic.csv"
        if entry["id"] == "parlgov":
            entry["url"] = "${ECW_SNAPSHOT_BASE_URL}/research/parlgov/view_election_2024.synthetic.csv"
        if entry["id"] == "acled_events":  # the window reaches back to ACLED's first year
            entry["params"] = {"lookback_days": (FULL_DATE - date(1997, 1, 1)).days, "page_size": 5000,
                               "full_reconcile_days": 7}
            entry["allowed_schemes"] = ["https", "http"]
        if entry["id"] == "ucdp_ged":  # and to GED's; a budget that SF10's pages fit in
            entry["params"] = {"versions": ["25.1"], "lookback_days": (FULL_DATE - date(1989, 1, 1)).days,
                               "page_size": 1000, "daily_request_budget": 1_000_000}
            entry["allowed_schemes"] = ["https", "http"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def raw_rows(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()]
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def schema_rows(warehouse: Path, like: str) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() where schema_name like ?",
                             [like]).fetchall()
        return sum(con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables)
    finally:
        con.close()


def _rate(rows: int | None, seconds: float) -> float | None:
    return round(rows / seconds, 1) if rows and seconds > 0 else None


def run_pipeline(paths: Paths, logical_date: str, run_id: str, sampler: TreeRss, log) -> dict:
    """Every stage once, timed; a failed stage is recorded and the later stages are skipped."""
    from ingestion import pipeline
    from ingestion.registry import active_sources

    stages: dict[str, dict] = {}
    started = time.perf_counter()
    before = sum(raw_rows(paths.warehouse).values()) if paths.warehouse.exists() else 0
    with timed(sampler, stages.setdefault("extract", {})) as row:
        row["sources"] = {}
        for source in active_sources():
            t0 = time.perf_counter()
            outcome = pipeline.extract_one(source.id, logical_date, paths)
            row["sources"][source.id] = {"seconds": round(time.perf_counter() - t0, 3), "bytes": outcome.get("bytes"),
                                         "new_payload": outcome.get("new_payload"), "requests": outcome.get("attempts")}
        row["bytes_in"] = sum(s["bytes"] or 0 for s in row["sources"].values())
    with timed(sampler, stages.setdefault("load", {})) as row:
        loads = pipeline.load_stage(run_id, paths)
    row["rows_out"] = sum(o["rows_loaded"] for o in loads.values())
    row["rows_in"] = row["rows_out"] + sum(o["rows_quarantined"] for o in loads.values())
    row["rows_quarantined"] = sum(o["rows_quarantined"] for o in loads.values())
    row["errors"] = [e for o in loads.values() for e in o["errors"]]
    row["sources"] = {k: {"rows_loaded": v["rows_loaded"], "rows_quarantined": v["rows_quarantined"]}
                      for k, v in loads.items()}
    with timed(sampler, stages.setdefault("derive", {})) as row:
        derived = pipeline.derive_stage(run_id, paths)
    row["rows_in"], row["rows_out"] = derived["bulletins_derived"], derived["figures"]
    row["rows_quarantined"] = derived["quarantined"]
    raw_total = sum(raw_rows(paths.warehouse).values())
    ok = True
    with timed(sampler, stages.setdefault("transform", {})) as row:
        try:
            pipeline.transform_stage(run_id, paths, echo=log)
        except Exception as exc:  # noqa: BLE001 - measured and reported, not hidden
            row["error"], ok = f"{type(exc).__name__}: {exc}"[:4000], False
    row["rows_in"] = raw_total
    row["rows_out"] = schema_rows(paths.warehouse, "%marts%") if ok else None
    with timed(sampler, stages.setdefault("gate", {})) as row:
        if ok:
            try:
                pipeline.gate_stage(run_id, paths)
            except Exception as exc:  # noqa: BLE001
                row["error"], ok = f"{type(exc).__name__}: {exc}"[:4000], False
        else:
            row["skipped"] = "transform failed"
    row["rows_in"] = stages["transform"]["rows_out"]
    with timed(sampler, stages.setdefault("publish", {})) as row:
        if ok:
            published = pipeline.publish_stage(run_id, paths)
            row["tables"] = len(published["tables"])
        else:
            row["skipped"] = "an earlier stage failed"
    row["rows_in"] = stages["transform"]["rows_out"] if ok else None
    for name, row in stages.items():
        count = row.get("rows_out") or row.get("rows_in")
        row["rows_per_second"] = _rate(count, row["seconds"])
    return {"stages": stages, "seconds": round(time.perf_counter() - started, 3),
            "peak_rss_bytes": max(r["peak_rss_bytes"] for r in stages.values()),
            "raw_rows_added": sum(raw_rows(paths.warehouse).values()) - before, "ok": ok}


def handwritten(paths: Paths, sampler: TreeRss) -> dict:
    try:
        from bench.handwritten.compare import run as hand_run
    except ImportError as exc:
        return {"status": f"not available ({exc})"}
    row: dict = {}
    try:
        with timed(sampler, row):
            row["result"] = hand_run(paths.warehouse, paths.marts)
    except Exception as exc:  # noqa: BLE001
        return {"status": f"failed: {type(exc).__name__}: {exc}"[:2000]}
    return {"status": "ok", **row["result"], "seconds_total": row["seconds"], "peak_rss_bytes_tree": row["peak_rss_bytes"]}


def versions() -> dict:
    out = {"python": platform.python_version()}
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "great_expectations", "pandas", "numpy"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = None
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="issue 11's benchmark over synthetic payloads")
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="default bench/work/sf<N>")
    parser.add_argument("--no-increment", action="store_true")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    label = sf_label(args.sf)
    work = (args.work or BENCH / "work" / f"sf{label}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    log_path = work / "bench.log"
    log_file = open(log_path, "w", encoding="utf-8")

    def log(line: str) -> None:
        log_file.write(line + "\n")
        log_file.flush()

    def say(line: str) -> None:
        print(line, flush=True)
        log(line)

    results: dict = {"sf": args.sf, "seed": args.seed, "date": date.today().isoformat(), "synthetic": True,
                     "machine": {"cores": os.cpu_count(), "ram_bytes": psutil.virtual_memory().total,
                                 "platform": platform.platform(), "versions": versions()}}
    payloads, nightly = work / "payloads", work / "payloads-nightly"
    with TreeRss() as sampler:
        say(f"[generate] SF{label} seed {args.seed} -> {payloads}")
        gen: dict = {}
        with timed(sampler, gen):
            manifest = generate(args.sf, args.seed, payloads)
        gen["counts"] = manifest["counts"]
        gen["bytes"] = sum(p.stat().st_size for p in payloads.rglob("*") if p.is_file())
        results["generate"] = gen
        say(f"  {gen['seconds']} s, {gen['bytes'] / 1e6:.0f} MB: {json.dumps(manifest['counts'])}")

        data = work / "data"
        shutil.rmtree(data, ignore_errors=True)
        paths = Paths(data)
        os.environ.update({
            "ECW_DATA_DIR": str(data), "ECW_REGISTRY": str(write_registry(work / "sources.yml")),
            "ECW_ENABLE_SOURCES": "acled_events,ucdp_ged", "ECW_ACLED_USERNAME": ACLED_USER,
            "ECW_ACLED_PASSWORD": ACLED_PASSWORD, "ECW_UCDP_TOKEN": UCDP_TOKEN})
        with BenchServer(payloads) as server:
            os.environ.update({"ECW_SNAPSHOT_BASE_URL": server.base, "ECW_ACLED_BASE_URL": server.base,
                               "ECW_UCDP_BASE_URL": server.base})
            say("[full run] extract, load, derive, transform, gate, publish")
            full = run_pipeline(paths, FULL_DATE.isoformat(), "bench_full", sampler, log)
            results["full_run"] = full
            for name, row in full["stages"].items():
                say(f"  {name:9s} {row['seconds']:9.1f} s  peak {row['peak_rss_bytes'] / 2**20:7.0f} MiB"
                    f"  {row.get('error', row.get('skipped', ''))[:300]}")

            say("[compare 1] plain DuckDB load of the same files")
            plain = compare.plain_duckdb_load(payloads, work / "plain_load.duckdb")
            load_s = full["stages"]["load"]["seconds"]
            results["plain_load"] = {**plain, "ratio": round(load_s / plain["seconds"], 2) if plain["seconds"] else None}
            say(f"  plain {plain['seconds']} s vs load {load_s} s")

            say("[compare 2, 3] hand-written SQL (bench/handwritten)")
            results["handwritten"] = hand = handwritten(paths, sampler)
            if hand.get("status") == "ok":
                dbt_eq, gate_eq = hand.get("dbt_equivalent", {}), hand.get("gate_equivalent", {})
                if dbt_eq.get("seconds"):
                    hand["dbt_ratio"] = round(full["stages"]["transform"]["seconds"] / dbt_eq["seconds"], 2)
                if gate_eq.get("seconds"):
                    hand["gate_ratio"] = round(full["stages"]["gate"]["seconds"] / gate_eq["seconds"], 2)
            say(f"  {hand.get('status')}")

            say("[compare 5] pandas pipeline")
            pandas_row: dict = {}
            with timed(sampler, pandas_row):
                theirs, pandas_row["compute_seconds"] = compare.pandas_pipeline(payloads)
            try:
                pandas_row["results"] = compare.check_pandas(compare.warehouse_results(paths.warehouse), theirs) \
                    if full["ok"] else "pipeline failed: nothing to compare"
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                pandas_row["results"] = f"check failed: {type(exc).__name__}: {exc}"[:2000]
            pandas_row["ratio"] = round(full["seconds"] / pandas_row["seconds"], 2)
            results["pandas"] = pandas_row
            say(f"  pandas {pandas_row['seconds']} s vs pipeline {full['seconds']} s")

            if not args.no_increment and full["ok"]:
                say("[compare 4] nightly increment (1%)")
                inc_gen: dict = {}
                with timed(sampler, inc_gen):
                    inc_manifest = generate_increment(payloads, nightly)
                inc_gen["counts"] = {k: v for k, v in inc_manifest["counts"].items() if k != "base"}
                server.switch(nightly)
                inc = run_pipeline(paths, NIGHTLY_DATE.isoformat(), "bench_nightly", sampler, log)
                inc["generate"] = inc_gen
                inc["fraction_of_full"] = round(inc["seconds"] / full["seconds"], 3)
                results["increment"] = inc
                for name, row in inc["stages"].items():
                    say(f"  {name:9s} {row['seconds']:9.1f} s  peak {row['peak_rss_bytes'] / 2**20:7.0f} MiB"
                        f"  {row.get('error', row.get('skipped', ''))[:300]}")
                say(f"  increment {inc['seconds']} s = {inc['fraction_of_full']:.1%} of the full run")
    results["targets"] = evaluate(results)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"{results['date']}-sf{label}"
    Path(f"{stem}.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    Path(f"{stem}.md").write_text(markdown(results), encoding="utf-8")
    say(f"[results] {stem}.json, {stem}.md; log {log_path}")
    log_file.close()
    return 0 if full["ok"] else 1


def evaluate(results: dict) -> dict:
    """Each target of the issue: the measured value, the limit and pass/fail (None: not measured here)."""
    full = results["full_run"]
    hand = results.get("handwritten", {})
    inc = results.get("increment")

    def target(value, limit, applies=True):
        if value is None or not applies:
            return {"value": value, "limit": limit, "pass": None}
        return {"value": value, "limit": limit, "pass": value <= limit}

    return {
        "load_within_1.5x_plain_duckdb": target(results["plain_load"].get("ratio"), TARGETS["load_ratio"]),
        "dbt_within_1.5x_handwritten_sql_at_sf1": target(hand.get("dbt_ratio"), TARGETS["dbt_ratio"],
                                                         results["sf"] >= 1),
        "gate_within_2x_handwritten_sql": target(hand.get("gate_ratio"), TARGETS["gate_ratio"]),
        "increment_under_15pct_at_sf1": target(inc["fraction_of_full"] if inc else None, TARGETS["increment_fraction"],
                                               results["sf"] >= 1),
        "pipeline_ahead_of_pandas_at_sf1": target(results["pandas"]["ratio"], TARGETS["pandas_ratio"],
                                                  results["sf"] >= 1),
        "peak_memory_under_6gib_at_sf10": target(full["peak_rss_bytes"], TARGETS["peak_rss_sf10_bytes"],
                                                 results["sf"] >= 10),
        "time_linear_sf1_to_sf10": {"value": None, "limit": "see bench/plot.py over all results", "pass": None},
    }


def markdown(results: dict) -> str:
    full = results["full_run"]
    lines = [f"# Benchmark SF{sf_label(results['sf'])}, {results['date']} (SYNTHETIC data)", "",
             f"{results['machine']['cores']} cores, {results['machine']['ram_bytes'] / 2**30:.0f} GiB; "
             + ", ".join(f"{k} {v}" for k, v in results["machine"]["versions"].items()), "",
             "| stage | seconds | rows in | rows out | rows/s | peak RSS (MiB) | nightly seconds |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    inc = results.get("increment", {}).get("stages", {})
    for name, row in full["stages"].items():
        note = f" ({row['error'][:80]}…)" if row.get("error") else ""
        rows_in = row.get("rows_in") or (f"{row['bytes_in'] / 1e6:.0f} MB" if row.get("bytes_in") else "")
        lines.append(f"| {name}{note} | {row['seconds']:.1f} | {rows_in} | "
                     f"{row.get('rows_out') or ''} | {row.get('rows_per_second') or ''} | "
                     f"{row['peak_rss_bytes'] / 2**20:.0f} | {inc.get(name, {}).get('seconds', '')} |")
    lines.append(f"| **total** | {full['seconds']:.1f} | | | | {full['peak_rss_bytes'] / 2**20:.0f} | "
                 f"{results.get('increment', {}).get('seconds', '')} |")
    lines += ["", "| comparison | ours (s) | reference (s) | ratio | target | pass |", "|---|---:|---:|---:|---:|---|"]
    hand = results.get("handwritten", {})
    rows = [("1 load vs plain DuckDB CTAS", full["stages"]["load"]["seconds"], results["plain_load"]["seconds"],
             results["plain_load"].get("ratio"), "load_within_1.5x_plain_duckdb"),
            ("2 dbt build vs hand-written SQL", full["stages"]["transform"]["seconds"],
             hand.get("dbt_equivalent", {}).get("seconds"), hand.get("dbt_ratio"), "dbt_within_1.5x_handwritten_sql_at_sf1"),
            ("3 gate vs one-pass SQL", full["stages"]["gate"]["seconds"], hand.get("gate_equivalent", {}).get("seconds"),
             hand.get("gate_ratio"), "gate_within_2x_handwritten_sql"),
            ("4 nightly 1% vs full run", results.get("increment", {}).get("seconds"), full["seconds"],
             results.get("increment", {}).get("fraction_of_full"), "increment_under_15pct_at_sf1"),
            ("5 whole pipeline vs pandas", full["seconds"], results["pandas"]["seconds"], results["pandas"]["ratio"],
             "pipeline_ahead_of_pandas_at_sf1")]
    for label, ours, ref, ratio, key in rows:
        t = results["targets"][key]
        verdict = {True: "yes", False: "**no**", None: "n/a"}[t["pass"]]
        def shown(value, digits=1):
            return "" if value is None else f"{value:.{digits}f}"

        lines.append(f"| {label} | {shown(ours)} | {shown(ref)} | {shown(ratio, 2)} | ≤ {t['limit']} | {verdict} |")
    if hand.get("status") != "ok":
        lines += ["", f"Hand-written SQL comparisons: {hand.get('status')}."]
    if isinstance(results["pandas"].get("results"), dict):
        same = ", ".join(f"{k} {'identical' if v['identical'] else 'DIFFERENT'} ({v['pandas_rows']} rows)"
                         for k, v in results["pandas"]["results"].items())
        lines += ["", f"pandas results against the warehouse: {same}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
