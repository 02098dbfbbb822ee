"""The nightly pipeline's stages as plain functions: the Airflow DAG and `ecw run` call these.

extract (parallel, one per source) → load → derive → transform → gate → publish. Everything
after extract writes or reads the warehouse file and must run one at a time.

Each stage imports what it runs inside its function: the Airflow DAG imports this module at
every parse, and the gate alone (Great Expectations) takes seconds to import.
"""
from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import asdict
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterator

from ingestion.registry import RegistryError, active_sources, get_source, load_registry
from ingestion.run_status import record_extract, record_stage
from ingestion.settings import EXPECTATIONS_DIR, Paths

if TYPE_CHECKING:
    from pathlib import Path

    from ingestion.derive import Extractor

log = logging.getLogger(__name__)
SNAPSHOT_ENV = "ECW_SNAPSHOT_BASE_URL"


class GateFailed(RuntimeError):
    """The quality gate failed: nothing was published, the previous marts stay in place."""


def new_run_id() -> str:
    return "manual__" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


def extract_one(source_id: str, logical_date: str, paths: Paths | None = None) -> dict:
    """Extract one source. A failure is recorded for `ecw status` and re-raised for the task."""
    from ingestion.extract import extract_source
    from ingestion.http_client import FetchError

    paths = paths or Paths.from_env()
    try:
        outcome = extract_source(get_source(source_id), paths, logical_date)
    except (FetchError, RegistryError) as exc:
        record_extract(paths, source_id, "failed", last_error=str(exc), logical_date=logical_date)
        raise
    record_extract(paths, source_id, "ok", logical_date=logical_date, http_status=outcome.http_status,
                   sha256=outcome.sha256, new_payload=outcome.new_payload, attempts=outcome.attempts)
    return asdict(outcome)


def load_stage(run_id: str, paths: Paths | None = None) -> dict:
    from ingestion.loader import load_new_payloads

    paths = paths or Paths.from_env()
    outcomes = load_new_payloads(load_registry(), paths)
    summary = {o.source: asdict(o) for o in outcomes}
    errors = [e for o in outcomes for e in o.errors]
    record_stage(paths, run_id, "load", "failed" if errors else "ok", sources=summary, errors=errors)
    return summary


def derive_stage(run_id: str, paths: Paths | None = None, extract: "Extractor | None" = None,
                 version: str | None = None) -> dict:
    """Casualty figures for every bulletin copy not yet read by this extractor version (default: the real one)."""
    from ingestion.derive import DeriveError, derive_figures

    paths = paths or Paths.from_env()
    try:
        outcome = derive_figures(paths, **({"extract": extract, "version": version} if extract else {}))
    except DeriveError as exc:
        record_stage(paths, run_id, "derive", "failed", error=str(exc))
        raise
    summary = asdict(outcome)
    record_stage(paths, run_id, "derive", "ok", **summary)
    return summary


def transform_stage(run_id: str, paths: Paths | None = None, echo: Callable[[str], None] = print) -> dict:
    from ingestion.transform import TransformError, build

    paths = paths or Paths.from_env()
    try:
        build(paths, echo=echo)
    except TransformError as exc:
        record_stage(paths, run_id, "transform", "failed", error=str(exc))
        raise
    record_stage(paths, run_id, "transform", "ok")
    return {"status": "ok"}


def _quality_page(results_dir: "Path") -> None:
    """The offline page of this gate run, quality/latest and pruning (ingestion/quality_page.py).
    It reports on the verdict and never changes it: a failure to write it is a warning."""
    from ingestion.quality_page import publish_run_page

    try:
        publish_run_page(results_dir)
    except Exception as exc:  # noqa: BLE001 - the gate's verdict stands; the page is a convenience
        log.warning("quality page for %s not written: %s: %s", results_dir, type(exc).__name__, exc)


def gate_stage(run_id: str, paths: Paths | None = None) -> dict:
    """Validate the warehouse against the suites and the last published marts; raise GateFailed."""
    from ingestion.gate import run_gate

    paths = paths or Paths.from_env()
    results_dir = paths.quality / run_id.replace(":", "-").replace("+", "_")
    result = run_gate(paths.warehouse, EXPECTATIONS_DIR, results_dir, published=paths.marts)
    _quality_page(results_dir)
    failures = [asdict(f) for f in result.failures]
    record_stage(paths, run_id, "gate", "passed" if result.success else "failed", failures=failures,
                 results=str(result.results_path), docs=str(result.docs_path) if result.docs_path else None)
    if not result.success:
        raise GateFailed(f"quality gate failed ({len(failures)} failure(s)), nothing published; the previous "
                         f"marts stay in place:\n{result.summary()}")
    return {"status": "passed", "results": str(result.results_path)}


def publish_stage(run_id: str, paths: Paths | None = None) -> dict:
    from ingestion.publish import publish

    paths = paths or Paths.from_env()
    outcome = publish(paths, run_id)
    record_stage(paths, run_id, "publish", "ok", path=outcome.path, tables=outcome.tables)
    return asdict(outcome)


@contextlib.contextmanager
def snapshot_publisher() -> Iterator[str | None]:
    """Serve the bundled snapshot on 127.0.0.1 unless the registry's base URL is already set."""
    from ingestion.snapshot_server import serve_snapshot

    if os.environ.get(SNAPSHOT_ENV):
        yield os.environ[SNAPSHOT_ENV]
        return
    with serve_snapshot() as base_url:
        os.environ[SNAPSHOT_ENV] = base_url
        try:
            yield base_url
        finally:
            os.environ.pop(SNAPSHOT_ENV, None)


def run_all(logical_date: str | None = None, paths: Paths | None = None,
            echo: Callable[[str], None] = print) -> dict:
    """The whole nightly run without a scheduler. Source failures do not stop the others."""
    from ingestion.http_client import FetchError

    paths = paths or Paths.from_env()
    logical_date = logical_date or date.today().isoformat()
    run_id = new_run_id()
    extract_results: dict[str, dict] = {}
    with snapshot_publisher():
        sources = active_sources()
        for n, source in enumerate(sources, start=1):
            echo(f"[extract {n}/{len(sources)}] {source.id}")
            try:
                extract_results[source.id] = extract_one(source.id, logical_date, paths)
            except (FetchError, RegistryError) as exc:
                echo(f"  ! {exc}")
                extract_results[source.id] = {"error": str(exc)}
    record_stage(paths, run_id, "extract", "failed" if any("error" in r for r in extract_results.values()) else "ok",
                 sources=extract_results)
    echo("[load] parsing new payloads into raw tables")
    loads = load_stage(run_id, paths)
    for source_id, outcome in loads.items():
        echo(f"  {source_id}: {outcome['payloads_loaded']} payload(s), {outcome['rows_loaded']} rows, "
             f"{outcome['rows_quarantined']} quarantined")
    echo("[derive] casualty figures from the raw bulletins and reports")
    derived = derive_stage(run_id, paths)
    reused = f" (+{derived['reused']} unchanged, figures reused)" if derived.get("reused") else ""
    echo(f"  extractor {derived['extractor_version']}: {derived['bulletins_derived']} bulletin(s)"
         f"{' re-derived' if derived['rederivation'] else ''}{reused}, {derived['figures']} figures, "
         f"{derived['quarantined']} quarantined (derived.derivation_issues)")
    if derived["reports_derived"] or derived["reports_quarantined"]:
        echo(f"  ReliefWeb: {derived['reports_derived']} report(s), {derived['report_figures']} figures "
             f"(machine-read, secondary source), {derived['reports_quarantined']} quarantined "
             f"(derived.reliefweb_derivation_issues)")
    echo("[transform] dbt build")
    transform_stage(run_id, paths, echo=echo)
    echo("[gate] Great Expectations suites")
    gate_stage(run_id, paths)
    echo("[publish] marts")
    published = publish_stage(run_id, paths)
    return {"run_id": run_id, "extract": extract_results, "load": loads, "derive": derived, "publish": published}
