"""A feed's URL and credentials from an Airflow connection (`ecw_<source id>`), through the DAG's own
extract task run by dag.test(): the ACLED protocol server on 127.0.0.1 sees the connection's login,
and the password is written nowhere."""
from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, timedelta

import pytest
import yaml

from ingestion.feeds import acled as acled_module
from ingestion.landing import read_manifest
from ingestion.settings import Paths
from tests.conftest import REPO_ROOT
from tests.support.feeds_servers import FeedServer, acled_event

pytestmark = pytest.mark.slow


def test_the_extract_task_reads_the_feed_credentials_from_an_airflow_connection(tmp_path, monkeypatch):
    today = date.today()
    events = [acled_event(i, day=(today - timedelta(days=3 + i)).isoformat(), timestamp=int(time.time()) - 100 + i)
              for i in range(3)]
    registry = {"sources": [{
        "id": "acled_events", "family": "event_feed", "publisher": "synthetic ACLED protocol server",
        "url": "${ECW_ACLED_BASE_URL}", "format": "json", "parser": "feeds.acled", "adapter": "acled",
        "enabled": True, "complete": False, "allowed_schemes": ["https", "http"], "timeout_seconds": 5.0,
        "auth": {"user_env": "ECW_ACLED_USERNAME", "env": "ECW_ACLED_PASSWORD"},
        "params": {"lookback_days": 30, "page_size": 2}}]}
    (tmp_path / "sources.yml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    paths = Paths(tmp_path / "data")
    monkeypatch.setenv("ECW_REGISTRY", str(tmp_path / "sources.yml"))
    monkeypatch.setenv("ECW_DATA_DIR", str(paths.data_dir))
    for name in ("ECW_ACLED_BASE_URL", "ECW_ACLED_USERNAME", "ECW_ACLED_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    acled_module._TOKENS.clear()
    if str(REPO_ROOT / "dags") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "dags"))
    from election_crises_nightly import election_crises_nightly

    with FeedServer(acled_events=events) as server:
        monkeypatch.setenv("AIRFLOW_CONN_ECW_ACLED_EVENTS", json.dumps({
            "conn_type": "http", "host": server.base, "login": server.acled_user, "password": server.acled_password}))
        dag = election_crises_nightly().partial_subset("extract_acled_events", include_upstream=False)
        dag.get_task("extract_acled_events").retries = 0
        run = dag.test()
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    assert states == {"extract_acled_events": "success"}, states
    assert server.grants[:1] == ["password"] and server.count("/api/acled/read") == 2  # 3 events, pages of 2
    assert all(name not in os.environ for name in ("ECW_ACLED_USERNAME", "ECW_ACLED_PASSWORD")), \
        "the connection's values are set for the extract only"
    rows = read_manifest(paths.landing, "acled_events")
    assert any(r.kind == "complete" for r in rows)
    for path in paths.data_dir.rglob("*"):
        if path.is_file():
            assert server.acled_password.encode() not in path.read_bytes(), f"the password is in {path}"
