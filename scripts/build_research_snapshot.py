"""Write the bundled snapshot's copies of the research datasets, reduced to facts.

    python scripts/build_research_snapshot.py [--shared ../shared]

Reads the real files in ../shared/data and writes snapshot/research/<source>/<file> in the
publisher's own format (same header names, delimiter and encoding) without the free-text columns
(article headlines, source citations): codes, numbers, dates and names only. Only datasets whose
licence allows redistribution are written (see LICENCES and snapshot/research/README.md).
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Reduction:
    source: str
    path: str  # under ../shared/data
    drop: tuple[str, ...]  # free-text columns
    delimiter: str = ","
    encoding: str = "utf-8"
    escape: str | None = None  # PEI writes \" inside quoted fields


REDUCTIONS = (
    Reduction("deco", "deco/DECO_v.1.0.csv", drop=("source_article", "electoral_vio_source")),
    # the classic layout holds no free text: ids, dates, numbers and party names
    Reduction("parlgov", "parlgov/view_election_classic.csv", drop=()),
    Reduction("pei", "pei/PEI_7.0_election_level.tab", drop=(), delimiter="\t", encoding="latin-1", escape="\\"),
)


def _options(reduction: Reduction) -> dict:
    options: dict = dict(delimiter=reduction.delimiter)
    if reduction.escape:
        options.update(escapechar=reduction.escape, doublequote=False)
    return options


def reduce(reduction: Reduction, shared: Path, out_root: Path) -> tuple[Path, int]:
    source_file = shared / "data" / reduction.path
    target = out_root / reduction.source / source_file.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not reduction.drop:  # nothing to drop: the publisher's bytes as they are
        data = source_file.read_bytes()
        target.write_bytes(data)
        with open(source_file, encoding=reduction.encoding, newline="") as handle:
            return target, sum(1 for _ in csv.reader(handle, **_options(reduction))) - 1
    options = _options(reduction)
    with open(source_file, encoding=reduction.encoding, newline="") as handle:
        rows = csv.reader(handle, **options)
        header = next(rows)
        keep = [i for i, name in enumerate(header) if name not in reduction.drop]
        missing = [name for name in reduction.drop if name not in header]
        if missing:
            raise SystemExit(f"{source_file}: columns to drop not in the header: {', '.join(missing)}")
        count = 0
        with open(target, "w", encoding=reduction.encoding, newline="") as out:
            writer = csv.writer(out, lineterminator="\n", **options)
            writer.writerow([header[i] for i in keep])
            for row in rows:
                writer.writerow([row[i] for i in keep])
                count += 1
    return target, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "snapshot" / "research")
    args = parser.parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"no {args.shared / 'data'}: the real files are needed to build the reduced copies", file=sys.stderr)
        return 2
    for reduction in REDUCTIONS:
        target, count = reduce(reduction, args.shared, args.out)
        print(f"{reduction.source}: {count} rows -> {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
