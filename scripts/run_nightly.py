"""`make run`: one nightly run through Airflow (dag.test) on the bundled snapshot, told as it goes.

The terminal gets one line per stage with its time and counts, a progress line while dbt builds,
the published marts' path and the table of crises. Everything the frameworks print (Airflow,
its task logs, dbt's console, GX) goes to data/logs/make-run.log for the whole run: file
descriptors 1 and 2 point there, and this script writes to a copy of the terminal it kept. The
counts come from what the stages record (data/status/last_run.json, dbt's run_results.json, the
gate's per-suite results), read by a watcher thread while the DAG runs. On failure the first
thing printed is why (the failed stage's own message), then the tail of the log that shows it.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import IO, Iterator

from ingestion.cli import main as ecw
from ingestion.pipeline import snapshot_publisher
from ingestion.run_status import last_run, source_states
from ingestion.settings import Paths

STAGES = ("load", "derive", "transform", "gate", "publish")
TAIL_LINES = 25
POLL_SECONDS = 0.3
QUIET_PROGRESS_SECONDS = 15  # without a terminal, a progress line at most this often


def run_dag() -> str:
    sys.path.insert(0, "dags")
    from election_crises_nightly import election_crises_nightly  # noqa: E402 (after sys.path)

    dag = election_crises_nightly()
    run = dag.test()
    return str(getattr(run, "state", "unknown"))


@contextlib.contextmanager
def output_to(log_file: Path) -> Iterator[IO[str]]:
    """Point this process's stdout and stderr (fds 1 and 2: Airflow, dbt, GX, task logs) at
    `log_file`; yield a stream on the terminal they pointed at before."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    with open(log_file, "w", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            terminal.close()


def failure_report(paths: Paths) -> str:
    """Why the last run failed, from its status file: each failed stage's own message."""
    from ingestion.gate import failure_message

    run = last_run(paths) or {}
    lines = []
    for stage, info in (run.get("stages") or {}).items():
        if info.get("status") not in ("failed", "error"):
            continue
        lines.append(f"[{stage}] failed")
        if info.get("error"):
            lines.append(str(info["error"]))
        lines.extend(f"  ✗ {failure_message(f)}" for f in (info.get("failures") or [])[:10])
        if info.get("results"):
            lines.append(f"  full results: {info['results']}")
        lines.extend(f"  ✗ {e}" for e in (info.get("errors") or [])[:10])
    return "\n".join(lines) or "no stage recorded a failure: the task that failed is in the Airflow log"


# ---- what each stage did, in one line --------------------------------------------------------


def _n(value: int, word: str) -> str:
    return f"{value:,} {word}{'' if value == 1 else 's'}"


def dbt_counts(paths: Paths) -> dict[str, dict[str, int]]:
    """{resource type: {status: count}} from dbt's run_results.json (models, tests, seeds)."""
    from ingestion.transform import target_dir

    try:
        results = json.loads((target_dir(paths) / "run_results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return {}
    counts: dict[str, dict[str, int]] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        status = str(result.get("status")).lower()
        counts.setdefault(kind, {}).setdefault(status, 0)
        counts[kind][status] += 1
    return counts


def gate_counts(results: str | None) -> tuple[int, int, int]:
    """(suites, expectations evaluated, expectations passed) from the gate's per-suite results."""
    if not results:
        return 0, 0, 0
    suites = evaluated = passed = 0
    for path in Path(results).parent.glob("*.json"):
        if path.name == "gate.json":
            continue
        try:
            statistics = json.loads(path.read_text(encoding="utf-8"))["statistics"]
        except (OSError, ValueError, KeyError):
            continue
        suites += 1
        evaluated += int(statistics.get("evaluated_expectations") or 0)
        passed += int(statistics.get("successful_expectations") or 0)
    return suites, evaluated, passed


def stage_summary(stage: str, info: dict, paths: Paths) -> str:
    if stage == "load":
        sources = (info.get("sources") or {}).values()
        text = (f"{_n(sum(s.get('payloads_loaded', 0) for s in sources), 'payload')}, "
                f"{_n(sum(s.get('rows_loaded', 0) for s in sources), 'row')} loaded, "
                f"{sum(s.get('rows_quarantined', 0) for s in sources):,} quarantined")
        return text + (f", {_n(len(info['errors']), 'error')}" if info.get("errors") else "")
    if stage == "derive":
        if "bulletins_derived" not in info:
            return str(info.get("error") or "")[:120]
        reports = (f"; ReliefWeb {_n(info['reports_derived'], 'report')}, {_n(info.get('report_figures', 0), 'figure')}"
                   f", {info.get('reports_quarantined', 0):,} quarantined") if info.get("reports_derived") else ""
        return (f"extractor {info.get('extractor_version')}: {_n(info['bulletins_derived'], 'bulletin')}"
                f"{' re-derived' if info.get('rederivation') else ''}, {_n(info.get('figures', 0), 'figure')}, "
                f"{info.get('quarantined', 0):,} quarantined{reports}")
    if stage == "transform":
        counts = dbt_counts(paths)
        if not counts:
            return "dbt build"
        built = lambda kind: sum(v for s, v in counts.get(kind, {}).items() if s in ("success", "pass"))  # noqa: E731
        failed = sum(v for kind in counts.values() for s, v in kind.items() if s in ("error", "fail"))
        warned = sum(kind.get("warn", 0) for kind in counts.values())
        tests = counts.get("test", {})
        return (f"dbt: {_n(built('model'), 'model')} built, {_n(built('seed'), 'seed')}, "
                f"{sum(tests.values()) - tests.get('skipped', 0):,} tests: {tests.get('pass', 0):,} passed"
                + (f", {warned:,} warned" if warned else "") + (f", {failed:,} failed" if failed else ""))
    if stage == "gate":
        suites, evaluated, passed = gate_counts(info.get("results"))
        failures = len(info.get("failures") or [])
        return (f"GX: {_n(suites, 'suite')}, {passed:,} of {evaluated:,} expectations passed"
                + (f", {_n(failures, 'failure')}" if failures else ""))
    if stage == "publish":
        tables = info.get("tables") or {}
        return f"{_n(len(tables), 'mart')}, {sum(tables.values()):,} rows"
    return ""


class Watcher(threading.Thread):
    """Prints each stage's line when its status appears, and dbt's progress while it builds."""

    def __init__(self, paths: Paths, terminal: IO[str], sources: list[str]) -> None:
        super().__init__(name="make-run-watcher", daemon=True)
        self.paths, self.terminal, self.sources = paths, terminal, sources
        self.started = time.monotonic()
        self.started_wall = time.time()
        self.previous_run = (last_run(paths) or {}).get("run_id")
        self.done = threading.Event()
        self.printed: set[str] = set()
        self.mark = self.started
        self.tty = terminal.isatty()
        self.progress_shown = 0.0
        self.progress_line = False
        from ingestion.transform import log_dir

        self.dbt_log = log_dir(paths) / "dbt.log"
        self.dbt_log_start = self.dbt_log.stat().st_size if self.dbt_log.exists() else 0

    def say(self, text: str) -> None:
        if self.progress_line:  # overwrite the progress line on a terminal
            self.terminal.write("\r\x1b[2K")
            self.progress_line = False
        self.terminal.write(text + "\n")
        self.terminal.flush()

    def line(self, stage: str, status: str, text: str) -> None:
        now = time.monotonic()
        mark = "✓" if status in ("ok", "passed", "success") else "✗"
        self.say(f"{mark} {stage:<10} {now - self.mark:6.1f} s  {text}")
        self.mark = now
        self.printed.add(stage)

    def extract_line(self, force: bool) -> None:
        attempts = [s for s in source_states(self.paths) if s.get("source") in self.sources
                    and _epoch(s.get("last_attempt_at")) >= self.started_wall - 1]
        if not force and len(attempts) < len(self.sources):
            return
        failed = [s["source"] for s in attempts if s.get("last_status") != "ok"]
        if not force and failed:
            return  # a failed fetch is retried: wait for the load to say how it ended
        new = sum(1 for s in attempts if s.get("new_payload"))
        text = (f"{len(attempts) - len(failed)} of {_n(len(self.sources), 'source')} fetched, {new} new payload(s)"
                + (f"; failed: {', '.join(failed)} (their last good data is kept)" if failed else ""))
        self.line("extract", "failed" if failed or len(attempts) < len(self.sources) else "ok", text)

    def dbt_progress(self) -> None:
        try:
            with open(self.dbt_log, encoding="utf-8", errors="replace") as handle:
                handle.seek(self.dbt_log_start)
                text = handle.read()
        except OSError:
            return
        done = re.findall(r"\b(\d+) of (\d+) (?:OK|PASS|ERROR|FAIL|WARN|SKIP)", text)
        if not done:
            return
        n, total = max(int(a) for a, _ in done), int(done[-1][1])
        now = time.monotonic()
        message = f"  … transform  dbt {n}/{total} nodes ({now - self.mark:.0f} s)"
        if self.tty:
            self.terminal.write("\r\x1b[2K" + message)
            self.terminal.flush()
            self.progress_line = True
        elif now - self.progress_shown >= QUIET_PROGRESS_SECONDS:
            self.say(message)
            self.progress_shown = now

    def poll(self) -> None:
        run = last_run(self.paths) or {}
        stages = run.get("stages") or {} if run.get("run_id") != self.previous_run else {}
        if "extract" not in self.printed:
            self.extract_line(force="load" in stages)
        for stage in STAGES:
            if stage in stages and stage not in self.printed:
                if "extract" not in self.printed:
                    self.extract_line(force=True)
                info = stages[stage]
                self.line(stage, info.get("status", "?"), stage_summary(stage, info, self.paths))
        if "derive" in stages and "transform" not in stages:
            self.dbt_progress()

    def run(self) -> None:
        while not self.done.wait(POLL_SECONDS):
            try:
                self.poll()
            except Exception as exc:  # noqa: BLE001 - the display must never stop the run
                self.say(f"  (progress display stopped: {type(exc).__name__}: {exc})")
                return

    def finish(self) -> None:
        self.done.set()
        self.join(timeout=5)
        self.poll()


def _epoch(iso: str | None) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp() if iso else 0.0
    except ValueError:
        return 0.0


def tail(path: Path, lines: int = TAIL_LINES, start: int = 0) -> str:
    """The last lines of a log from byte `start` on, without dbt's [debug] records."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            handle.seek(start)
            text = [line for line in handle.read().splitlines() if line.strip() and " [debug] " not in line]
    except OSError:
        return f"  ({path} not readable)"
    return "\n".join("  | " + line[:240] for line in text[-lines:])


def main() -> int:
    from ingestion.registry import active_sources
    from ingestion.transform import log_dir

    paths = Paths.from_env()
    log_file = paths.data_dir / "logs" / "make-run.log"
    dbt_log = log_dir(paths) / "dbt.log"
    sources = [s.id for s in active_sources()]
    started = time.monotonic()
    # The frameworks' output stays in the log until the end (their atexit handlers too), and
    # what this script says goes to the terminal it kept.
    with snapshot_publisher() as base_url, output_to(log_file) as terminal:
        say = lambda text="": terminal.write(text + "\n")  # noqa: E731
        say(f"nightly run through Airflow on the bundled snapshot ({base_url}), {_n(len(sources), 'source')}")
        watcher = Watcher(paths, terminal, sources)
        watcher.start()
        try:
            state = run_dag()
        except Exception as exc:  # Airflow itself failed (its database, the DAG file): say so first
            watcher.finish()
            sys.stdout.flush()
            sys.stderr.flush()
            say(f"\n✗ Airflow stopped the run: {type(exc).__name__}: {' '.join(str(exc).split())[:400]}")
            say(f"\nlast lines of {log_file}:\n{tail(log_file)}")
            say("\nif Airflow's database is missing or old: make run migrates it (airflow db migrate)")
            return 1
        watcher.finish()
        total = time.monotonic() - started
        run = last_run(paths) or {}
        logs = f"logs: Airflow and its tasks {log_file} · dbt {dbt_log}"
        gate = (run.get("stages") or {}).get("gate") or {}
        if gate.get("results"):
            logs += f" · gate results {gate['results']}"
        if state != "success":
            failure = failure_report(paths)
            sys.stdout.flush()
            sys.stderr.flush()
            say(f"\n✗ run {state} after {total:.0f} s\n\n{failure}\n")
            failed = [s for s, i in (run.get("stages") or {}).items() if i.get("status") in ("failed", "error")]
            relevant, start = (dbt_log, watcher.dbt_log_start) if failed == ["transform"] else (log_file, 0)
            say(f"last lines of {relevant}:\n{tail(relevant, start=start)}\n")
            say(logs + "\n`ecw status` shows each source's last success and the quarantine")
            return 1
        say(f"\n✓ run succeeded in {total:.0f} s; published marts: {paths.marts} "
            f"(Parquet copies in {paths.marts_parquet}/)\n")
        with contextlib.redirect_stdout(terminal), contextlib.redirect_stderr(terminal):
            code = ecw(["query", "select election_key, annulled, annulled_on, threshold_pct, parties_passed, "
                                 "deaths_latest, injured_latest, hospitalized_latest, vote_buying_alleged "
                                 "from election_crises order by election_date"])
        say(f"\n{logs}\nnext: ecw crisis <election_key> for one election, ecw query \"...\" for SQL, "
            "ecw export for CSV or Excel")
        return code


if __name__ == "__main__":
    sys.exit(main())
