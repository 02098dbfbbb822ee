"""`make airflow`: Airflow's UI, scheduler, DAG processor and triggerer, with the bundled snapshot
served, on 127.0.0.1 only; Ctrl-C stops every process it started.

Not `airflow standalone`: that binds the UI to 0.0.0.0 and starts the scheduler's and triggerer's
log servers on every interface (their host is not configurable). Here each component is started
with its host set or its log server skipped (the UI reads the task logs from the local files),
each in its own process group, so stopping a group stops the workers it forked too. The umask
keeps what Airflow writes, its generated admin password file included, readable by its owner
only. New DAGs start unpaused; the DAG has no start_date, so unpausing it schedules the next
02:30 UTC run instead of catching up on the last one.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ingestion.settings import REPO_ROOT, Paths
from ingestion.snapshot_server import serve_snapshot

HOST = "127.0.0.1"
UI_PORT = int(os.environ.get("ECW_AIRFLOW_PORT", "8080"))
SNAPSHOT_PORT = int(os.environ.get("ECW_SNAPSHOT_PORT", "8765"))
STOP_GRACE_SECONDS = 30
READY_TIMEOUT_SECONDS = 180
COMPONENTS = {
    "api-server": ["api-server", "--host", HOST, "--port", str(UI_PORT)],
    "scheduler": ["scheduler", "--skip-serve-logs"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer", "--skip-serve-logs"],
}


class Stop(Exception):
    """SIGTERM or SIGHUP: stop like Ctrl-C."""


def _raise_stop(signum, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is no holder
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def environment(snapshot_url: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "ECW_SNAPSHOT_BASE_URL": snapshot_url,
            "AIRFLOW__API__HOST": HOST,
            "AIRFLOW__API__PORT": str(UI_PORT),
            "AIRFLOW__API__BASE_URL": f"http://{HOST}:{UI_PORT}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{HOST}:{UI_PORT}/execution/",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "8",  # task slots: the 8 extracts at once; Airflow's 32 idle workers would be waste
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False"}


def _die_with_parent() -> None:
    """In each component: SIGTERM when this script dies, even by SIGKILL (Linux PR_SET_PDEATHSIG),
    so a killed `make airflow` leaves no orphaned scheduler behind."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl-C and SIGTERM still stop everything through stop()


def start(env: dict[str, str], log_dir: Path) -> dict[str, subprocess.Popen]:
    processes = {}
    for name, args in COMPONENTS.items():
        log = open(log_dir / f"airflow-{name}.log", "ab")
        processes[name] = subprocess.Popen([str(Path(sys.executable).with_name("airflow")), *args], env=env,
                                           stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                           start_new_session=True, cwd=REPO_ROOT, preexec_fn=_die_with_parent)
        log.close()
    return processes


def stop(processes: dict[str, subprocess.Popen]) -> list[str]:
    """TERM the scheduler, triggerer and DAG processor first and the API server last (a task still
    running reports its end through the API server), KILL what is left after the grace period;
    names the groups killed."""
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    last = [name for name in processes if name == "api-server"]
    for wave in ([name for name in processes if name not in last], last):
        for name in wave:
            try:
                os.killpg(processes[name].pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for name in wave:
            try:
                processes[name].wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    killed = []
    for name, process in processes.items():
        try:
            os.killpg(process.pid, signal.SIGKILL)  # also the group's children after their leader exited
            killed.append(name) if process.poll() is None else None
        except ProcessLookupError:
            pass
        process.wait()
    return killed


def ready(processes: dict[str, subprocess.Popen]) -> str | None:
    """None once the UI answers; the name of a component that exited first, if one did."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                return name
        try:
            with urllib.request.urlopen(f"http://{HOST}:{UI_PORT}/api/v2/monitor/health", timeout=2):
                return None
        except OSError:
            time.sleep(1)
    return "api-server (no answer)"


def paused_note(home: Path) -> str:
    """A line when the DAG is paused in Airflow's default SQLite database (an earlier `make airflow`
    created it paused, or someone paused it): new DAGs start unpaused, an existing one keeps its state."""
    import sqlite3

    db = home / "airflow.db"
    if not db.exists():
        return ""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        row = con.execute("select is_paused from dag where dag_id = 'election_crises_nightly'").fetchone()
        con.close()
    except sqlite3.Error:
        return ""
    return ("\nthe DAG is paused, so it will not run at 02:30: airflow dags unpause election_crises_nightly"
            if row and row[0] else "")


def main() -> int:
    os.umask(0o077)
    paths = Paths.from_env()
    log_dir = paths.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    for port, what in ((UI_PORT, "the Airflow UI (ECW_AIRFLOW_PORT)"), (SNAPSHOT_PORT, "the snapshot (ECW_SNAPSHOT_PORT)")):
        if not port_free(port):
            print(f"make airflow: port {port} on {HOST} is in use, wanted for {what}; stop what holds it "
                  f"(`ecw serve-snapshot --port {port}` names it) or set the variable", file=sys.stderr)
            return 7
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C stops it even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    processes: dict[str, subprocess.Popen] = {}
    try:
        with serve_snapshot(port=SNAPSHOT_PORT) as snapshot_url:
            processes = start(environment(snapshot_url), log_dir)
            print(f"starting Airflow (api-server, scheduler, dag-processor, triggerer) on {HOST}; "
                  f"logs in {log_dir}/airflow-*.log", flush=True)
            failed = ready(processes)
            if failed:
                name = failed.split()[0]
                print(f"make airflow: the {failed} stopped before the UI was up; last lines of "
                      f"{log_dir / f'airflow-{name}.log'}:", file=sys.stderr)
                lines = (log_dir / f"airflow-{name}.log").read_text(errors="replace").splitlines()[-20:]
                print("\n".join("  | " + line[:200] for line in lines), file=sys.stderr)
                return 1
            home = Path(os.environ.get("AIRFLOW_HOME", REPO_ROOT / "airflow_home"))
            password_file = home / "simple_auth_manager_passwords.json.generated"
            mode = f"mode {password_file.stat().st_mode & 0o777:o}" if password_file.exists() else "not written yet"
            print(f"Airflow UI: http://{HOST}:{UI_PORT}  (user admin, password in {password_file}, {mode})\n"
                  f"snapshot:   {snapshot_url}\nDAG election_crises_nightly runs at 02:30 UTC; Ctrl-C stops everything"
                  + paused_note(home), flush=True)
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        print(f"make airflow: the {name} exited ({process.returncode}); stopping the others; "
                              f"see {log_dir / f'airflow-{name}.log'}", file=sys.stderr)
                        return 1
                time.sleep(1)
    except (KeyboardInterrupt, Stop):
        print("\nstopping Airflow…", file=sys.stderr, flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stopping short
        if processes:
            killed = stop(processes)
            print(f"stopped {len(processes)} components" + (f" ({', '.join(killed)} killed after "
                  f"{STOP_GRACE_SECONDS} s)" if killed else "") + " and the snapshot server", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
