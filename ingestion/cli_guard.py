"""What `ecw` says when an ordinary mistake stops it: one line and an exit code, no traceback.

Known errors become one line naming what to do: the warehouse locked by another process (named
by the PID DuckDB reports), a busy port (named by the process that listens on it), a pipe
closed early (`ecw query ... | head`: a quiet exit), Ctrl-C. Anything else is a bug: one line
names the exception and where it was raised, the traceback goes to data/logs/ecw-error.log, and
ECW_DEBUG=1 shows every traceback (known errors too) on the terminal.
"""
from __future__ import annotations

import errno
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Callable

import duckdb

DEBUG_ENV = "ECW_DEBUG"
EXIT_LOCKED = 6  # the warehouse or marts file is held by another process
EXIT_PORT = 7  # the port asked for cannot be bound
EXIT_FILE = 8  # a DuckDB file cannot be opened (damaged, written by a newer DuckDB, permissions)
EXIT_BUG = 70  # EX_SOFTWARE: an error ecw does not expect
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `head` leaves a writer with in a shell

_LOCK = re.compile(r'Could not set lock on file "(?P<path>[^"]+)".*?\(PID (?P<pid>\d+)\)', re.S)


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def describe_process(pid: int) -> str:
    """Who a PID is, in the words a user knows: another ecw run, make run, an Airflow task, dbt."""
    argv = _cmdline(pid)
    if argv is None:
        return f"process {pid} (no longer running: try again)"
    names = [os.path.basename(a) for a in argv]
    words = " ".join(" ".join(argv).split())
    if ("ecw" in names or "ingestion.cli" in argv) and "run" in argv:
        return f"another ecw run (PID {pid})"
    if "run_nightly.py" in words:
        return f"a make run (PID {pid})"
    if "airflow" in words:
        return f"an Airflow process (PID {pid}: the scheduler's task or make airflow)"
    if "dbt" in names:
        return f"a dbt build (PID {pid})"
    if "ecw" in names or "ingestion.cli" in argv:
        return f"another ecw command (PID {pid}: {' '.join(argv[1:])[:80]})"
    return f"process {pid} ({words[:100]})"


def _shown(path: str | Path) -> str:
    """A path relative to the working directory when it is below it (data/warehouse.duckdb)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def lock_message(exc: BaseException) -> str | None:
    """The one line for DuckDB's lock error, else None."""
    match = _LOCK.search(str(exc))
    if not match:
        return None
    pid = int(match["pid"])
    if pid == os.getpid():
        return f"{_shown(match['path'])} is already open read-write in this process (a bug in ecw)"
    return f"{describe_process(pid)} holds {_shown(match['path'])}; wait for it or stop it (kill {pid})"


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])  # state 0A is LISTEN
    return inodes


def port_holder(port: int) -> int | None:
    """The PID of a process listening on `port` (Linux /proc; None where it cannot be seen)."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def port_message(port: int) -> str:
    pid = port_holder(port)
    holder = describe_process(pid) if pid else "another process"
    return f"port {port} on 127.0.0.1 is in use by {holder}; stop it or choose another port with --port"


def _quiet_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _bug(prog: str, exc: BaseException) -> int:
    from ingestion.settings import Paths

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {_shown(frame.filename)}:{frame.lineno}" if frame else ""
    text = "".join(traceback.format_exception(exc))
    log_file = Paths.from_env().data_dir / "logs" / "ecw-error.log"
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(text, encoding="utf-8")
        kept = f"traceback in {_shown(log_file)}"
    except OSError:
        kept = "traceback not kept"
    print(f"{prog}: unexpected error (a bug in ecw): {type(exc).__name__}: {' '.join(str(exc).split())[:300]}{where}; "
          f"{kept}; rerun with {DEBUG_ENV}=1 to see it here", file=sys.stderr)
    return EXIT_BUG


def guarded(prog: str, func: Callable[[], int], port: int | None = None) -> int:
    """Run one command; known errors become one line and an exit code (module docstring)."""
    debug = os.environ.get(DEBUG_ENV, "") not in ("", "0")
    try:
        code = func()
        sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at interpreter exit
        return code
    except SystemExit:
        raise
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"\n{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except duckdb.IOException as exc:
        if debug:
            raise
        message = lock_message(exc)
        if message:
            print(f"{prog}: {message}", file=sys.stderr)
            return EXIT_LOCKED
        print(f"{prog}: {' '.join(str(exc).split())[:400]}", file=sys.stderr)
        return EXIT_FILE
    except OSError as exc:
        if debug:
            raise
        if exc.errno == errno.EADDRINUSE and port is not None:
            print(f"{prog}: {port_message(port)}", file=sys.stderr)
            return EXIT_PORT
        if exc.errno == errno.EACCES and port is not None and port < 1024:
            print(f"{prog}: port {port} needs privileges; choose one above 1023 with --port", file=sys.stderr)
            return EXIT_PORT
        if exc.filename and exc.strerror:  # a path the user gave or a file they can fix
            print(f"{prog}: {exc.strerror}: {_shown(exc.filename)}", file=sys.stderr)
            return EXIT_FILE
        return _bug(prog, exc)
    except Exception as exc:  # noqa: BLE001 - the guard's point: a bug is reported, not hidden
        if debug:
            raise
        return _bug(prog, exc)
