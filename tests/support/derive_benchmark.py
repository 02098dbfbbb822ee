"""Timings of the derive stage: the snapshot's bulletins, then the same multiplied (SYNTHETIC copies).

Test-only: `python -m tests.support.derive_benchmark [factor]` loads the snapshot bulletins through
the real loader into a throw-away warehouse (x1, then x`factor` with ids `synthetic-x<k>-<id>`),
and times (wall clock and CPU) a first derive, a re-run with the same extractor (nothing to do) and a re-derivation
by a second extractor version (the real extractor with one reading changed).
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

from ingestion.derive import derive_figures
from ingestion.loader import connect_warehouse, load_payload
from ingestion.parsers.casualty_text import extract_figures
from ingestion.registry import get_source
from ingestion.settings import SNAPSHOT_DIR, Paths


def second_extractor(text: str, language: str | None = None):
    return [dataclasses.replace(f, qualifier="at_least") if f.metric == "dead" and f.qualifier == "exact" else f
            for f in extract_figures(text, language)]


def bulletins_payload(factor: int) -> bytes:
    real = json.loads((SNAPSHOT_DIR / "health_ministry" / "bulletins.json").read_text(encoding="utf-8"))["bulletins"]
    if factor == 1:
        records = real
    else:
        records = [dict(r, bulletin_id=f"synthetic-x{k}-{r['bulletin_id']}") for k in range(factor) for r in real]
    return json.dumps({"publisher": "synthetic benchmark", "bulletins": records}, ensure_ascii=False).encode()


def measure(factor: int, root: Path) -> dict:
    paths = Paths(root / f"x{factor}")
    body = bulletins_payload(factor)
    con = connect_warehouse(paths.warehouse)
    started = time.perf_counter()
    loaded, quarantined, rejected = load_payload(con, get_source("moh_bulletins"), f"synthetic-x{factor}",
                                                 "2026-01-01T00:00:00+00:00", body)
    load_seconds = time.perf_counter() - started
    con.close()
    assert rejected is None and quarantined == 0, (quarantined, rejected)
    timings = {"bulletins": loaded, "load_s": round(load_seconds, 2)}
    for label, kwargs in (("first", {}), ("unchanged", {}),
                          ("second_version", {"extract": second_extractor, "version": "test-2"})):
        started, cpu = time.perf_counter(), time.process_time()
        outcome = derive_figures(paths, **kwargs)
        timings[f"{label}_s"] = round(time.perf_counter() - started, 2)
        timings[f"{label}_cpu_s"] = round(time.process_time() - cpu, 2)  # this process; DuckDB threads included
        timings[f"{label}_derived"] = outcome.bulletins_derived
        timings[f"{label}_figures"] = outcome.figures
    return timings


def main(argv: list[str]) -> int:
    factor = int(argv[1]) if len(argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1, factor):
            print(json.dumps({"factor": n, **measure(n, Path(tmp))}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
