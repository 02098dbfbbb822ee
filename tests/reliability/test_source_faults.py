"""Flaky publishers: each fault ends in a retry that succeeds or a clear failure of that source
alone; a full run then builds the marts from the failing source's last good data and says so.

Faults are served by a real HTTP server on 127.0.0.1 (tests/support/fault_server.py) to the
real extract task (`pipeline.extract_one`, as the DAG calls it), then the real loader runs.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import datetime
from dataclasses import dataclass, field
from typing import Callable

import pytest

from ingestion.cli import main as ecw
from ingestion.http_client import FetchError
from ingestion.landing import last_good_fetch, read_manifest
from ingestion.pipeline import extract_one, load_stage
from ingestion.run_status import source_states
from ingestion.settings import Paths
from tests.reliability.conftest import NIGHT_DATE
from tests.reliability.harness import (FILES, SNAPSHOT_DIR, accounting, landed, marts_digest, query, raw_counts,
                                       snapshot_records, write_registry)
from tests.reliability.long_night import FAILING, HEALTHY
from tests.support.fault_server import FaultServer, Reply
from tests.support.warehouse_checks import facts_only

pytestmark = pytest.mark.reliability

SOURCE = "cec_elections"
FEED = "/elections.json"
JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
              b"<body><h1>The service is temporarily unavailable</h1></body></html>")


def new_payload() -> bytes:
    """The snapshot's elections in new bytes (same facts), so a successful fetch lands a new payload."""
    document = json.loads((SNAPSHOT_DIR / FILES[SOURCE][0]).read_text(encoding="utf-8"))
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


@dataclass
class Fault:
    name: str
    replies: Callable[[bytes], list[Reply]] | None  # None: nothing listens on the port
    error: str | None = None  # regex of the clear failure; None: the fetch must succeed
    attempts: int = 1
    min_seconds: float = 0.0
    registry: dict = field(default_factory=dict)
    path: str = FEED
    fresh: bool = False  # start from an empty data directory instead of the baseline


def ok(body: bytes) -> Reply:
    return Reply(200, body, headers=JSON)


FAULTS = [
    Fault("HTTP 500, then OK", lambda b: [Reply(500), ok(b)], attempts=2),
    Fault("HTTP 503 with Retry-After, then OK", lambda b: [Reply(503, headers={"Retry-After": "1"}), ok(b)],
          attempts=2, min_seconds=1.0),
    Fault("HTTP 503 without Retry-After, then OK", lambda b: [Reply(503), Reply(503), ok(b)], attempts=3),
    Fault("HTTP 503 asking to retry after an hour", lambda b: [Reply(503, headers={"Retry-After": "3600"}), ok(b)],
          error=r"HTTP 503 .* asks to retry after 3600 s"),
    Fault("HTTP 429 with Retry-After, then OK", lambda b: [Reply(429, headers={"Retry-After": "1"}), ok(b)],
          attempts=2, min_seconds=1.0),
    Fault("connection refused", None, error=r"giving up on http://127\.0\.0\.1:\d+/elections\.json after 4 "
          r"attempts \(ConnectionError"),
    Fault("connection reset mid-body, then OK", lambda b: [Reply(200, b, headers=JSON, reset_after=len(b) // 2),
                                                         ok(b)], attempts=2),
    Fault("read timeout, then OK", lambda b: [Reply(200, b, headers=JSON, delay=2.5), ok(b)], attempts=2,
          registry={"timeout_seconds": 1}),
    Fault("truncated body, then OK", lambda b: [Reply(200, b, headers=JSON, truncate_to=len(b) // 3), ok(b)],
          attempts=2),
    Fault("wrong content type", lambda b: [Reply(200, b, headers={"Content-Type": "application/pdf"})],
          error=r"unexpected content type 'application/pdf' for a json feed"),
    Fault("HTML error page with status 200", lambda b: [Reply(200, HTML_ERROR, headers={"Content-Type": "text/html"})],
          error=r"got an HTML page instead of json"),
    Fault("body over the size cap", lambda b: [ok(b)], error=r"response of \d+ bytes exceeds the cap of 4096 bytes",
          registry={"max_bytes": 4096}),
    Fault("redirect loop", lambda b: [Reply(302, headers={"Location": "/elsewhere.json"})],
          error=r"more than 5 redirects \(redirect loop\?\)"),
    Fault("304 Not Modified after an ETag", lambda b: [Reply(304)]),
    Fault("304 Not Modified to an unconditional request", lambda b: [Reply(304)], fresh=True,
          error=r"HTTP 304 Not Modified .* without If-None-Match or If-Modified-Since"),
]


def _source_rows(paths: Paths) -> int:
    return raw_counts(paths).get(FILES[SOURCE][1], 0) if paths.warehouse.exists() else 0


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_source_fault_is_retried_or_fails_that_source_clearly(fault, work, baseline, tmp_path, monkeypatch,
                                                             reliability):
    paths = Paths(tmp_path / "fresh") if fault.fresh else work
    body = new_payload()
    previous = last_good_fetch(paths.landing, SOURCE)
    before_rows = _source_rows(paths)
    with FaultServer() as server:
        if fault.replies is None:
            server.httpd.server_close()  # the port stays ours but nothing accepts on it
            url = server.base_url + FEED
        else:
            url = server.script(FEED, *fault.replies(body))
            server.script("/elsewhere.json", Reply(302, headers={"Location": FEED}))
        registry = write_registry(tmp_path / "sources.yml", {SOURCE: {"url": url, **fault.registry}})
        monkeypatch.setenv("ECW_REGISTRY", str(registry))
        started = time.monotonic()
        try:
            outcome, error = extract_one(SOURCE, NIGHT_DATE, paths), None
        except FetchError as exc:
            outcome, error = None, str(exc)
        elapsed = time.monotonic() - started
        sent = list(server.request_headers)
    load_stage("fault-" + re.sub(r"\W+", "-", fault.name), paths)
    state = next(s for s in source_states(paths) if s["source"] == SOURCE)
    after_rows = _source_rows(paths)

    if fault.error is None and fault.name.startswith("304"):
        survived = (outcome is not None and outcome["http_status"] == 304 and outcome["sha256"] == previous.sha256
                    and sent[-1].get("If-None-Match") == previous.etag and after_rows == before_rows)
        kept = {"records_in": 0, "loaded": 0, "quarantined": 0, "lost": before_rows - after_rows}
    elif fault.error is None:
        kept = accounting(paths, SOURCE, hashlib.sha256(body).hexdigest(), body)
        survived = (outcome is not None and outcome["http_status"] == 200 and outcome["attempts"] == fault.attempts
                    and elapsed >= fault.min_seconds and kept["lost"] == 0 and kept["loaded"] == kept["records_in"])
    else:
        kept = {"records_in": 0, "loaded": 0, "quarantined": 0, "lost": before_rows - after_rows}
        survived = (error is not None and error.startswith(f"source {SOURCE}:") and re.search(fault.error, error)
                    and state["last_status"] == "failed" and state["last_error"] == error)
    consistent = fault.fresh or marts_digest(paths.marts) == baseline.marts
    reliability("source fault", fault.name, survived=bool(survived), lost=kept["lost"],
                quarantined=kept["quarantined"], consistent=consistent, detail=error or "")

    assert consistent, "extract and load must never touch the published marts"
    if fault.error is None:
        assert error is None, error
        if fault.name.startswith("304"):
            assert outcome["http_status"] == 304 and outcome["sha256"] == previous.sha256
            assert sent[-1].get("If-None-Match") == previous.etag, "conditional GET must send the ETag"
            assert after_rows == before_rows
        else:
            assert outcome["http_status"] == 200 and outcome["attempts"] == fault.attempts
            assert elapsed >= fault.min_seconds, f"Retry-After not honoured: retried after {elapsed:.2f} s"
            assert kept["lost"] == 0 and kept["loaded"] == kept["records_in"] == len(snapshot_records(SOURCE)), kept
        assert state["last_status"] == "ok"
    else:
        assert error is not None, f"expected a clear failure, got {outcome}"
        assert error.startswith(f"source {SOURCE}:") and re.search(fault.error, error), error
        assert state["last_status"] == "failed" and state["last_error"] == error
        if not fault.fresh:
            assert state["last_success_at"], "the last success must survive a failure (staleness is shown)"
            assert after_rows == before_rows, "a failed fetch must not touch the source's raw rows"
            assert landed(paths, SOURCE) == landed(work, SOURCE)
        assert not (paths.landing / SOURCE / NIGHT_DATE).exists() or not any(
            p.suffix == ".json" for p in (paths.landing / SOURCE / NIGHT_DATE).iterdir())
    assert survived


def test_failing_sources_fail_alone_and_marts_keep_their_last_good_data(night, baseline, reliability):
    """Step 4 of tests/reliability/long_night.py: two publishers down, three with new payloads."""
    paths, seen = night
    run = seen["completed"]["result"]
    extract = run["extract"]
    faulty = seen["faulty"]
    payloads = dict(query(faulty.warehouse, "select source, count(*) from raw.loaded_payloads group by 1"))
    lost = quarantined = 0
    for source in HEALTHY:
        sha, body = landed(faulty, source)[-1]
        kept = accounting(faulty, source, sha, body)
        lost += kept["lost"]
        quarantined += kept["quarantined"]
    for source in FAILING:
        lost += seen["after_dbt_kill"]["raw"][FILES[source][1]] - seen["completed"]["raw"][FILES[source][1]]
    marts = facts_only(seen["completed"]["marts"])
    consistent = marts == facts_only(baseline.marts)
    for source, fault in FAILING.items():
        reliability("source fault", f"full run: {fault} ({source})", consistent=consistent,
                    survived=payloads[source] == 2 and run["publish"]["tables"]["election_crises"] == 15,
                    lost=lost if source == "cec_decisions" else 0,
                    quarantined=quarantined if source == "cec_decisions" else 0, detail=extract[source]["error"])
    for source in FAILING:
        assert extract[source]["error"].startswith(f"source {source}:"), extract[source]
    for source in HEALTHY:
        assert extract[source]["http_status"] == 200 and extract[source]["new_payload"], extract[source]
    assert {s: payloads[s] for s in HEALTHY} == {s: 3 for s in HEALTHY}, "healthy sources load anew"
    assert {s: payloads[s] for s in FAILING} == {s: 2 for s in FAILING}, "failing ones keep their last payload"
    assert lost == 0
    assert consistent, "the marts are rebuilt from the failing sources' last good data, unchanged"


def test_staleness_is_visible_in_ecw_status(night, capsys, monkeypatch):
    paths, seen = night
    monkeypatch.setenv("ECW_DATA_DIR", str(seen["faulty"].data_dir))
    assert ecw(["status"]) == 0
    out = capsys.readouterr().out
    for source in FAILING:
        line = next(l for l in out.splitlines() if l.startswith(source + " ") and "|" in l)
        cells = [c.strip() for c in line.split("|")]
        assert cells[1] == "failed" and cells[2] == seen["last_success"][source], line
        assert cells[4].startswith(f"source {source}:"), line
    assert re.search(r"extract\s+failed", out)
    data_table = out.split("data in the published marts")[1]
    names = [l.split("|")[0].strip() for l in data_table.splitlines() if "|" in l]
    assert set([n for n in names if n in FILES][:2]) == set(FAILING), f"the stale sources come first:\n{data_table}"


def test_source_freshness_mart_shows_which_data_is_stale(night):
    paths, seen = night
    faulty = seen["faulty"]
    rows = {r[0]: r[1:] for r in query(faulty.marts, "select source, data_fetched_at, payloads_loaded, "
                                                     "latest_payload_in_use, payload_sha256 from source_freshness")}
    for source in FAILING:
        fetch = [m for m in read_manifest(faulty.landing, source) if m.http_status == 200][-1]
        assert rows[source][3] == fetch.sha256 and rows[source][1:3] == (2, True), rows[source]
        assert rows[source][0].isoformat() == datetime.fromisoformat(fetch.fetched_at).isoformat(), \
            "a failing source's data stays as of its last good fetch"
    for source in HEALTHY:
        assert rows[source][1:3] == (3, True)
    assert max(rows[s][0] for s in FAILING) < min(rows[s][0] for s in HEALTHY)
