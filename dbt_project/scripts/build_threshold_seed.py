"""Regenerate `seeds/legal_thresholds.csv` from the researched threshold rules, so no figure is retyped.

Reads `../shared/reference/thresholds.csv` in place and keeps its structured facts only: country,
chamber, period, threshold, scope, coalition threshold, minority exemption, alternative route and
the main source URL. The reference's paraphrases (`rule_text`) and research notes (`note`) are
other people's words and are not copied; the note is only read for its NEVER APPLIED / NOT YET
APPLIED marks, which become the `never_applied` flag.

Usage: python dbt_project/scripts/build_threshold_seed.py [path/to/thresholds.csv]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "legal_thresholds.csv"
DEFAULT_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "thresholds.csv"

COLUMNS = [
    "rule_id", "country_iso3", "chamber", "valid_from", "valid_to", "threshold_pct", "threshold_scope",
    "coalition_threshold_pct", "minority_exemption", "alternative_route", "never_applied", "source_url",
]
# "NEVER APPLIED", "Probably NEVER APPLIED", "NOT YET APPLIED", "never applied to an election",
# "Not applied to June 2021 snap election ... no national election under it found yet".
NEVER_APPLIED = re.compile(r"\b(never|not yet|not) applied\b", re.IGNORECASE)


def first_url(cell: str, where: str) -> str:
    url = cell.split("|")[0].strip()
    if not url.startswith(("http://", "https://")):
        raise SystemExit(f"{where}: source_url should start with an http(s) URL, found {cell!r}")
    return url


def seed_rows(reference: Path) -> list[dict[str, str]]:
    """One seed row per reference row, in the reference's order; rule_id numbers a country's rules."""
    with reference.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    rows, counts = [], {}
    for line, record in enumerate(records, start=2):
        iso3 = record["iso3"].strip()
        counts[iso3] = counts.get(iso3, 0) + 1
        where = f"{reference} line {line} ({iso3})"
        threshold = record["threshold_pct"].strip()
        if threshold:
            float(threshold)
        rows.append({
            "rule_id": f"{iso3}-{counts[iso3]:02d}",
            "country_iso3": iso3,
            "chamber": record["chamber"].strip(),
            "valid_from": record["valid_from"].strip(),
            "valid_to": record["valid_to"].strip(),
            "threshold_pct": threshold,
            "threshold_scope": record["threshold_scope"].strip(),
            "coalition_threshold_pct": record["coalition_threshold_pct"].strip(),
            "minority_exemption": record["minority_exemption"].strip(),
            "alternative_route": record["alternative_route"].strip(),
            "never_applied": "true" if NEVER_APPLIED.search(record["note"]) else "false",
            "source_url": first_url(record["source_url"], where),
        })
    return rows


def main(argv: list[str]) -> None:
    rows = seed_rows(Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE)
    with SEED.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv)
