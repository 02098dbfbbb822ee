"""The long night: everything that can go wrong after a good baseline, step by step, each step's
aftermath recorded for the tests (one sequence, so the suite pays for as few dbt builds as it can).

1. Every publisher re-issues its file (same facts, new bytes); the payloads land.
2. The load is SIGKILLed inside its second payload's transaction (ECW_TEST_PAUSE_IN_LOAD).
3. The next run loads them, and its dbt is SIGKILLed half-way, right after rebuilding a mart.
4. The run after that completes while two publishers fail (cec_decisions answers 503 to every
   attempt; observer_statements refuses connections and its URL carries the fake secret as a
   query token), three re-issue their files again (moh_bulletins and cec_decisions send the fake
   secret as an Authorization header), three reader processes query the published marts, and
   the marts are republished a few more times. All output of this run is captured.
5. The same logical date runs again, publishers as in step 4.
6. The publishers recover, moh_bulletins re-issues its file once more, and an earlier logical
   date is backfilled.

A clean load and derive of step 1's payloads, on a copy taken before step 2, is the reference for
raw and derived counts.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from ingestion.pipeline import derive_stage, extract_one, load_stage, publish_stage, run_all
from ingestion.run_status import last_run, source_states
from ingestion.settings import REPO_ROOT, Paths
from ingestion.transform import TransformError
from tests.reliability.harness import (FILES, capture_everything, copy_data, duplicate_raw_rows, env, marts_digest,
                                       published_run, query, quiet, raw_counts, reissue, served, snapshot_copy,
                                       write_registry)
from tests.reliability.marts_reader import read_published, read_until
from tests.support.fault_server import FaultServer, Reply

READERS = 3
REPUBLISH = 4
FAILING = {"cec_decisions": "HTTP 503 on every attempt", "observer_statements": "connection refused"}
HEALTHY = ("cec_elections", "cec_party_results", "moh_bulletins")


def start_stage(code: str, paths: Paths, **hooks: str) -> subprocess.Popen:
    environment = {**os.environ, "ECW_DATA_DIR": str(paths.data_dir), "PYTHONPATH": str(REPO_ROOT), **hooks}
    return subprocess.Popen([sys.executable, "-c", code], env=environment, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def kill_at_pause(process: subprocess.Popen, nth: int) -> list[list[str]]:
    """Read the child's stderr until its nth test pause, SIGKILL it there; returns the pauses seen."""
    pauses = []
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("ECW_TEST_PAUSE "):
            pauses.append(line.split()[1:])
            if len(pauses) == nth:
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=60)
    return pauses


def _payload_tables(paths: Paths) -> list[str]:
    return [r[0] for r in query(paths.warehouse, "select table_name from duckdb_columns() where schema_name = 'raw' "
                                                 "and column_name = '_payload_sha256'")]


def unaccounted_rows(paths: Paths) -> dict[str, int]:
    """Raw rows whose payload is not recorded as loaded: the trace a partial load would leave."""
    return {t: query(paths.warehouse, f"select count(*) from raw.{t} where _payload_sha256 not in "
                                      "(select payload_sha256 from raw.loaded_payloads)")[0][0]
            for t in _payload_tables(paths)}


def miscounted_payloads(paths: Paths) -> list[tuple]:
    """Payloads whose recorded row count differs from the rows actually in raw."""
    union = " union all ".join(f"select _payload_sha256 as sha from raw.{t}" for t in _payload_tables(paths))
    return query(paths.warehouse, f"select p.source, p.payload_sha256, p.rows_loaded, count(r.sha) from "
                                  f"raw.loaded_payloads p left join ({union}) r on r.sha = p.payload_sha256 "
                                  "group by all having p.rows_loaded <> count(r.sha)")


def kill_dbt_half_way(line: str) -> None:
    """An echo callback: at the first mart dbt reports rebuilt past half its nodes, SIGKILL dbt."""
    progress = re.search(r"(\d+) of (\d+) OK created .* marts\.", line)
    if progress and int(progress.group(1)) * 2 >= int(progress.group(2)):
        for child in psutil.Process().children(recursive=True):
            try:
                if any("dbt" in part for part in child.cmdline()[:2]):
                    child.send_signal(signal.SIGKILL)
            except psutil.Error:
                continue  # a child that ended meanwhile


def landing_files(paths: Paths) -> dict[str, bytes]:
    return {str(p.relative_to(paths.landing)): p.read_bytes() for p in sorted(paths.landing.rglob("*")) if p.is_file()}


def _aftermath(paths: Paths, result: dict) -> dict:
    return {"result": result, "marts": marts_digest(paths.marts), "raw": raw_counts(paths),
            "duplicates": duplicate_raw_rows(paths), "landing": landing_files(paths)}


def long_night(baseline: Paths, root: Path, night: str, backfill_date: str, secret: str) -> tuple[Paths, dict]:
    paths = copy_data(baseline, root / "data")
    snapshot = snapshot_copy(root / "snapshot", reserialize=tuple(FILES))
    seen: dict = {"marts_before": marts_digest(paths.marts), "run_before": published_run(paths.marts)}
    with served(snapshot), env(ECW_REGISTRY=None):
        for source in FILES:  # step 1
            extract_one(source, night, paths)
        clean = copy_data(paths, root / "clean")
        load_stage("clean-load", clean)
        derive_stage("clean-load", clean)
        seen["clean_raw"] = raw_counts(clean)

        process = start_stage("from ingestion.pipeline import load_stage; load_stage('killed-load')", paths,
                              ECW_TEST_PAUSE_IN_LOAD="3")  # step 2
        seen["load_pauses"] = kill_at_pause(process, nth=2)
        seen["load_exit"] = process.returncode
        seen["after_load_kill"] = {
            "unaccounted": unaccounted_rows(paths), "miscounted": miscounted_payloads(paths),
            "loaded": [r[0] for r in query(paths.warehouse, "select payload_sha256 from raw.loaded_payloads")],
            "marts": marts_digest(paths.marts)}

        try:  # step 3
            run_all(night, paths, echo=kill_dbt_half_way)
            seen["dbt_error"] = None
        except TransformError as exc:
            seen["dbt_error"] = str(exc)
        seen["after_dbt_kill"] = {"raw": raw_counts(paths), "marts": marts_digest(paths.marts),
                                  "run": published_run(paths.marts), "status": last_run(paths)}
        seen["last_success"] = {s["source"]: s["last_success_at"] for s in source_states(paths)}

    for source in HEALTHY:  # step 4
        reissue(snapshot, source, 2)
    seen["versions"] = {read_published(str(paths.marts))}
    with FaultServer() as gone:
        closed = gone.base_url
    auth = {"header": "Authorization", "env": "ECW_TEST_SECRET"}
    with FaultServer() as server, served(snapshot):
        registry = write_registry(root / "sources.yml", {
            "cec_decisions": {"url": server.script("/decisions.json", Reply(503, headers={"Retry-After": "0"})),
                              "auth": auth},
            "observer_statements": {"url": closed + "/statements.json?token=${ECW_TEST_SECRET}"},
            "moh_bulletins": {"auth": auth},
        })
        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        readers = [context.Process(target=read_until, args=(str(paths.marts), stop, results))
                   for _ in range(READERS)]
        for reader in readers:
            reader.start()
        with env(ECW_REGISTRY=str(registry), ECW_TEST_SECRET=secret), capture_everything() as captured:
            try:
                completed = run_all(night, paths, echo=captured.echo)
                seen["versions"].add(read_published(str(paths.marts)))
                seen["faulty"] = copy_data(paths, root / "after-faulty-run")  # as `ecw status` saw it then
                for n in range(REPUBLISH):
                    publish_stage(f"republish-{n}", paths)
                    seen["versions"].add(read_published(str(paths.marts)))
            finally:
                stop.set()
                seen["readers"] = [results.get(timeout=120) for _ in readers]
                for reader in readers:
                    reader.join(timeout=60)
        seen["completed"] = _aftermath(paths, completed)
        seen["captured"] = captured
        seen["secret_sent"] = [h.get("Authorization") for h in server.request_headers]

        with env(ECW_REGISTRY=str(registry), ECW_TEST_SECRET=secret), capture_everything() as again_captured:
            again = run_all(night, paths, echo=again_captured.echo)  # step 5
        seen["again"] = _aftermath(paths, again)
        seen["again_captured"] = again_captured

    reissue(snapshot, "moh_bulletins", 3)  # step 6
    with served(snapshot), env(ECW_REGISTRY=None):
        backfill = run_all(backfill_date, paths, echo=quiet)
    seen["backfill"] = {**_aftermath(paths, backfill), "states": source_states(paths),
                        "in_use": dict(query(paths.marts, "select source, payload_sha256 from source_freshness"))}
    return paths, seen
