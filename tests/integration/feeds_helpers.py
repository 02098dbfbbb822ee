"""Shared set-up for the feed tests: registry entries pointing at the local protocol server."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import yaml

from ingestion.http_client import RetryPolicy
from ingestion.registry import load_registry
from ingestion.settings import DBT_PROJECT_DIR
from ingestion.transform import dbt_env, dbt_executable

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_max=0.05, retry_after_max=1.0)

ENTRIES = {
    "acled_events": {"family": "event_feed", "parser": "feeds.acled", "adapter": "acled", "complete": False,
                     "auth": {"user_env": "ECW_ACLED_USERNAME", "env": "ECW_ACLED_PASSWORD"},
                     "params": {"lookback_days": 120, "page_size": 3, "full_reconcile_days": 7}},
    "ucdp_ged": {"family": "event_feed", "parser": "feeds.ucdp", "adapter": "ucdp", "complete": False,
                 "auth": {"header": "x-ucdp-access-token", "env": "ECW_UCDP_TOKEN"},
                 "params": {"versions": ["25.1", "26.0.1"], "page_size": 2, "daily_request_budget": 5000}},
    "reliefweb_reports": {"family": "report_feed", "parser": "feeds.reliefweb", "adapter": "reliefweb",
                          "complete": False, "auth": {"env": "ECW_RELIEFWEB_APPNAME"},
                          "params": {"lookback_days": 30, "page_size": 2}},
    "parline_elections": {"family": "election_calendar", "parser": "feeds.parline", "adapter": "parline",
                          "params": {"page_size": 2}},
}


def feed_registry(tmp_path, monkeypatch, server, overrides: dict | None = None) -> dict:
    """Write a registry of the four feeds at `server`, set their credentials, return id -> Source."""
    sources = []
    for source_id, entry in ENTRIES.items():
        entry = {**entry, **(overrides or {}).get(source_id, {})}
        sources.append({"id": source_id, "publisher": "synthetic test server", "url": server.base, "format": "json",
                        "allowed_schemes": ["https", "http"], "timeout_seconds": 5.0, **entry})
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    monkeypatch.setenv("ECW_REGISTRY", str(path))
    monkeypatch.setenv("ECW_ACLED_USERNAME", server.acled_user)
    monkeypatch.setenv("ECW_ACLED_PASSWORD", server.acled_password)
    monkeypatch.setenv("ECW_UCDP_TOKEN", server.ucdp_token)
    monkeypatch.setenv("ECW_RELIEFWEB_APPNAME", server.appname)
    return {s.id: s for s in load_registry(path)}


def query(paths, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def models_only_project(tmp_path, models: list[str]) -> Path:
    """A copy of the dbt project holding only `models` (with the project's macros, seeds and sources):
    the feeds' models build and test on their own, whatever state the rest of the project is in."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    keep = {*models, "__sources"}
    for path in (project / "models").rglob("*"):
        if path.is_file() and path.stem not in keep:
            path.unlink()
    for folder in ("tests", "analyses"):
        shutil.rmtree(project / folder, ignore_errors=True)
    return project


def dbt_build(project: Path, paths, models: list[str]) -> None:
    """A real `dbt build` of `models` (and their tests) against the warehouse at `paths`."""
    done = subprocess.run([dbt_executable(), "build", "--select", *models, "--indirect-selection", "cautious",
                           "--profiles-dir", str(project)],
                          cwd=project, env=dbt_env(paths), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]


def dbt_build_models(tmp_path, paths, models: list[str]) -> None:
    """dbt build of `models` in a copy of the project holding only them, against the warehouse at `paths`."""
    dbt_build(models_only_project(tmp_path, models), paths, models)
