"""`make reliability`: print the fault-injection suite's figures as a table.

Reads the rows the tests in tests/reliability/ recorded (data/reliability/results.json, or
$ECW_RELIABILITY_REPORT) and prints, per fault: how many times it was injected, whether the run
survived it, records lost, records quarantined and whether the published marts stayed
consistent. Exits 1 if anything did not survive, lost a record or left the marts inconsistent.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ["source fault", "bad record", "schema drift", "gate", "process fault", "readers", "rerun", "security"]
COLUMNS = ["category", "fault", "injected", "survived", "records lost", "quarantined", "marts consistent"]


def results_path() -> Path:
    return Path(os.environ.get("ECW_RELIABILITY_REPORT") or REPO_ROOT / "data" / "reliability" / "results.json")


def aggregate(rows: list[dict]) -> list[dict]:
    """One line per (category, fault): injections and counts summed, every run must have survived."""
    merged: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["category"], row["fault"])
        line = merged.setdefault(key, {"category": key[0], "fault": key[1], "injected": 0, "survived": True,
                                       "lost": 0, "quarantined": 0, "consistent": None})
        line["injected"] += row["injected"]
        line["survived"] = line["survived"] and row["survived"]
        line["lost"] += row["records_lost"]
        line["quarantined"] += row["records_quarantined"]
        if row["marts_consistent"] is not None:
            line["consistent"] = bool(row["marts_consistent"]) and line["consistent"] is not False
    order = {category: n for n, category in enumerate(CATEGORIES)}
    return sorted(merged.values(), key=lambda line: order.get(line["category"], len(order)))


def render(lines: list[dict]) -> str:
    cells = [[l["category"], l["fault"], str(l["injected"]), "yes" if l["survived"] else "NO", str(l["lost"]),
              str(l["quarantined"]), {True: "yes", False: "NO", None: "n/a"}[l["consistent"]]] for l in lines]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(COLUMNS)]
    numeric = {2, 4, 5}

    def fmt(row: list[str]) -> str:
        return "| " + " | ".join(v.rjust(w) if i in numeric else v.ljust(w)
                                 for i, (v, w) in enumerate(zip(row, widths))) + " |"

    out = [fmt(COLUMNS), "|" + "|".join(("-" * (w + 1) + ":") if i in numeric else "-" * (w + 2)
                                        for i, w in enumerate(widths)) + "|"]
    out += [fmt(r) for r in cells]
    return "\n".join(out)


def main() -> int:
    path = results_path()
    if not path.exists():
        print(f"no reliability results at {path}: run `make reliability` (pytest -m reliability) first",
              file=sys.stderr)
        return 2
    document = json.loads(path.read_text(encoding="utf-8"))
    lines = aggregate(document["rows"])
    print(render(lines))
    bad = [l for l in lines if not l["survived"] or l["lost"] or l["consistent"] is False]
    inconsistent = any(l["consistent"] is False for l in lines)
    print(f"\n{len(lines)} faults, {sum(l['injected'] for l in lines)} injections (run {document['generated_at']}): "
          f"{'all survived' if not bad else f'{len(bad)} NOT survived'}; "
          f"{sum(l['lost'] for l in lines)} records lost, {sum(l['quarantined'] for l in lines)} quarantined; "
          f"published marts {'inconsistent somewhere' if inconsistent else 'consistent wherever checked'}.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
