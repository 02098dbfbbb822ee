"""`make airflow` (scripts/run_airflow.py) with a real Airflow: it listens on 127.0.0.1 only, its
generated password file is its owner's only, the DAG is created unpaused with its first run in the
future, and Ctrl-C (SIGINT to its process group, as a terminal sends it) leaves no process and no
port behind."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support.ports import free_port

pytestmark = pytest.mark.slow



def listening() -> dict[str, set[str]]:
    """{socket inode: addresses} of every listening TCP socket on the machine."""
    found: dict[str, set[str]] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":
                found.setdefault(fields[9], set()).add(fields[1])
    return found


def _address(hex_address: str) -> str:
    host, port = hex_address.rsplit(":", 1)
    if len(host) == 8:
        host = ".".join(str(int(host[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return f"{host}:{int(port, 16)}"


def descendants_of(sessions: set[int]) -> dict[int, list[str]]:
    """{pid: listening addresses} of the live processes in these sessions."""
    sockets = listening()
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            state, *rest = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(rest[2]) not in sessions or state == "Z":
                continue
            addresses = []
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in sockets:
                    addresses.extend(_address(a) for a in sockets[target[8:-1]])
            found[int(proc.name)] = addresses
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_make_airflow_binds_loopback_keeps_its_password_private_and_stops_on_ctrl_c(tmp_path):
    home = tmp_path / "airflow_home"
    home.mkdir()
    ui, snapshot = free_port(), free_port()
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "ECW_DATA_DIR": str(tmp_path / "data"),
           "ECW_AIRFLOW_PORT": str(ui), "ECW_SNAPSHOT_PORT": str(snapshot)}
    airflow = str(Path(sys.executable).with_name("airflow"))
    migrate = subprocess.run([airflow, "db", "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stdout[-2000:]
    script = subprocess.Popen([sys.executable, str(REPO_ROOT / "scripts" / "run_airflow.py")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                              cwd=REPO_ROOT)
    try:
        banner = [script.stdout.readline() for _ in range(2)]
        assert banner[1].startswith(f"Airflow UI: http://127.0.0.1:{ui}"), banner + [script.stderr.read()]
        components = {int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(script.pid)],
                                                     capture_output=True, text=True).stdout.split()}
        assert len(components) == 4
        sessions = {script.pid, *components}  # each component leads its own session
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the DAG processor registers the DAG after the UI is up
            con = sqlite3.connect(f"file:{home / 'airflow.db'}?mode=ro", uri=True, timeout=10)
            row = con.execute("select is_paused, next_dagrun from dag where dag_id = 'election_crises_nightly'"
                              ).fetchone()
            con.close()
            if row:
                break
            time.sleep(2)
        assert row is not None and row[0] == 0  # unpaused at creation
        assert row[1] > time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())  # first run ahead, no catch-up run
        addresses = [a for found in descendants_of(sessions).values() for a in found]
        assert f"127.0.0.1:{ui}" in addresses and f"127.0.0.1:{snapshot}" in addresses
        assert all(a.startswith("127.0.0.1:") for a in addresses), addresses  # no 0.0.0.0, no [::] log servers
        password_file = home / "simple_auth_manager_passwords.json.generated"
        assert password_file.stat().st_mode & 0o777 == 0o600
        assert script.poll() is None
        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C in the terminal
        assert script.wait(timeout=60) == 0
        deadline = time.monotonic() + 10
        while descendants_of(sessions) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert descendants_of(sessions) == {}
        for port in (ui, snapshot):
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", port))  # free again (as a server binds: closed connections may linger)
        assert "stopped 4 components and the snapshot server" in script.stderr.read()
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGINT)  # its own stop, which stops the components' groups
            try:
                script.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(script.pid, signal.SIGKILL)
