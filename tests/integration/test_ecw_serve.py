"""`ecw serve` as a user runs it: a real subprocess on a free port, real HTTP on 127.0.0.1.

The data directory is made here: a SYNTHETIC report page, a quality run page written by
ingestion/quality_page.py from a synthetic gate.json, and secret files beside and above the
served folders that a traversal must not reach.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.quality_page import publish_run_page
from tests.support.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT_PAGE = "<!doctype html><title>synthetic report</title><p>SYNTHETIC report page</p>"



def _get(port: int, path: str) -> tuple[int, str]:
    """GET with the path sent as written (http.client does not normalise `..`)."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.request("GET", path)
        response = con.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        con.close()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    (data / "report").mkdir(parents=True)
    (data / "report" / "index.html").write_text(REPORT_PAGE, encoding="utf-8")
    run = data / "quality" / "run-synthetic"
    run.mkdir(parents=True)
    (run / "gate.json").write_text(json.dumps({
        "success": True, "warehouse": "synthetic.duckdb", "published_baseline": None,
        "suites": ["syn.t"], "failures": [], "docs": None}), encoding="utf-8")
    publish_run_page(run)
    (data / "secret.txt").write_text("SECRET-IN-DATA", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET-ABOVE-DATA", encoding="utf-8")
    return data


@pytest.fixture
def airflow_listener():
    """Something listening where the index looks for Airflow (as `make airflow` would)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock
    sock.close()


@pytest.fixture
def server(data_dir, airflow_listener):
    port = free_port()
    airflow = f"http://127.0.0.1:{airflow_listener.getsockname()[1]}/"
    process = subprocess.Popen([sys.executable, "-m", "ingestion.cli", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
                               env={**os.environ, "ECW_DATA_DIR": str(data_dir),
                                    "ECW_AIRFLOW_PORT": str(airflow_listener.getsockname()[1]),
                                    "ECW_SUPERSET_PORT": str(free_port())})  # nothing listens there
    try:
        assert f"serving http://127.0.0.1:{port}/" in process.stdout.readline()
        yield port, airflow, airflow_listener
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Traceback" not in process.stderr.read()


def test_index_links_what_is_built_and_serves_the_report_and_quality_page(server):
    port, airflow, listener = server
    status, index = _get(port, "/")
    assert status == 200
    assert 'href="report/index.html"' in index and 'href="quality/latest/index.html"' in index
    assert "run-synthetic" in index
    assert "dbt docs: not built yet" in index, "no data/docs: no link"
    assert f'href="{airflow}"' in index, "Airflow listens: linked"
    assert "Superset: not running: start it with `make superset`" in index, "Superset does not listen: no link"
    assert _get(port, "/report/index.html") == (200, REPORT_PAGE)
    assert _get(port, "/report/") == (200, REPORT_PAGE)
    status, quality = _get(port, "/quality/latest/index.html")
    assert status == 200 and "Quality gate, run run-synthetic" in quality and "syn.t" in quality
    listener.close()
    assert "Airflow: not running" in _get(port, "/")[1]


@pytest.mark.parametrize("path", [
    "/report/../secret.txt", "/report/../../secret.txt", "/report/%2e%2e/secret.txt",
    "/report/%2E%2E%2F%2E%2E%2Fsecret.txt", "/quality/latest/../../secret.txt", "/secret.txt",
    "/../secret.txt", "/report//etc/passwd", "/report/..%5csecret.txt", "/marts.duckdb",
])
def test_paths_outside_the_served_folders_are_refused(server, path):
    port, _, _ = server
    status, body = _get(port, path)
    assert status in (403, 404)
    assert "SECRET" not in body


def test_binds_127_0_0_1_only(server):
    port, _, _ = server
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:] + Path("/proc/net/tcp6").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"], f"listening addresses for port {port}: {listening}"


def test_a_busy_port_is_one_line(data_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "ingestion.cli", "serve", "--port", str(port)],
                              capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
                              env={**os.environ, "ECW_DATA_DIR": str(data_dir)})
    assert done.returncode == 7
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"ecw serve: port {port} on 127.0.0.1 is in use by process {os.getpid()}")
    assert line.endswith("choose another port with --port")
