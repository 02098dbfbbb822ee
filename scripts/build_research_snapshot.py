"""Write the bundled research snapshot: reduced copies of the research datasets in ../shared/data.

`python scripts/build_research_snapshot.py [--data DIR] [--out DIR] [dataset ...]`

Each dataset's file is copied to snapshot/research/<source>/ without its free-text columns (other
people's sentences: article headlines, source notes), which the repository must not carry. Every
other byte is kept: the header order, each field exactly as written (quoted or not, '-99', 'NA',
empty, trailing spaces), the line endings. A field is cut out of the raw text, never re-written, so
the copy reads back through the loader as the original would, minus the dropped columns. Python's
csv module checks both the original and the copy: the kept values must read back identical.

Datasets (licence and citation per dataset; the lead confirms licences before a release):

- deco: UCDP Deadly Electoral Conflict dataset (DECO) v1.0, Uppsala Conflict Data Program, published
  at https://ucdp.uu.se/downloads/deco/DECO_v.1.0.csv (index https://ucdp.uu.se/downloads/index.html#deco).
  Cite: Fjelde, Hanne and Kristine Höglund (2022). Introducing the Deadly Electoral Conflict Dataset
  (DECO). Journal of Conflict Resolution 66(1): 162-185. https://doi.org/10.1177/00220027211021620
  Licence: UCDP data are free of charge; UCDP GED is catalogued as CC BY 4.0 (Our World in Data's
  UCDP snapshots), DECO's own licence text was not found - see snapshot/research/README.md.
  Dropped: source_article (news headlines), electoral_vio_source (source notes, some whole articles).
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "snapshot" / "research"


@dataclass(frozen=True)
class Dataset:
    input: str                 # under ../shared/data
    output: str                # under snapshot/research
    drop: tuple[str, ...]      # free-text columns, by header name
    encoding: str = "utf-8"
    delimiter: str = ","


DATASETS: dict[str, Dataset] = {
    "deco": Dataset("deco/DECO_v.1.0.csv", "deco/DECO_v.1.0.csv",
                    drop=("source_article", "electoral_vio_source")),
    # the 2024 layout (ParlGov Release 2024, to 2023) without its free-text description and comment
    # and the coders' data_json notes
    "parlgov": Dataset("parlgov/view_election_2024.csv", "parlgov/view_election_2024.csv",
                       drop=("description", "comment", "data_json")),
    # no free text: ids, dates, numbers and names, copied byte for byte
    "pei": Dataset("pei/PEI_7.0_election_level.tab", "pei/PEI_7.0_election_level.tab", drop=(),
                   encoding="latin-1", delimiter="\t"),
}


class SnapshotError(ValueError):
    """The input does not read as the dataset's layout; the message names the file, the record and the fix."""


def _field_pattern(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    # a quoted field (doubled quotes inside), or an unquoted run up to the delimiter or line end
    return re.compile(rf'"(?:[^"]|"")*"|[^{d}"\r\n]*')


def raw_records(text: str, delimiter: str, name: str) -> list[tuple[list[str], str]]:
    """The file as records of raw field texts, each with the line ending that closed it."""
    pattern = _field_pattern(delimiter)
    records: list[tuple[list[str], str]] = []
    pos, fields = 0, []
    while pos < len(text):
        match = pattern.match(text, pos)
        fields.append(match.group(0))
        pos = match.end()
        if text.startswith(delimiter, pos):
            pos += len(delimiter)
            continue
        for ending in ("\r\n", "\n", "\r"):
            if text.startswith(ending, pos):
                records.append((fields, ending))
                pos, fields = pos + len(ending), []
                break
        else:
            if pos < len(text):
                raise SnapshotError(
                    f"{name}: record {len(records) + 1} has a stray quote at character {pos} "
                    f"({text[max(0, pos - 30):pos + 30]!r}); the file is not the dataset's CSV layout")
    if fields:
        records.append((fields, ""))
    return records


def reduce_text(text: str, spec: Dataset, name: str) -> str:
    """The file's text without the spec's columns, every kept field as written."""
    records = raw_records(text, spec.delimiter, name)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=spec.delimiter))
    missing = [column for column in spec.drop if column not in header]
    if missing:
        raise SnapshotError(f"{name}: column(s) {missing} to drop are not in the header {header}; "
                            f"update DATASETS in {Path(__file__).name} to the file's layout")
    keep = [i for i, column in enumerate(header) if column not in spec.drop]
    out = io.StringIO()
    for number, (fields, ending) in enumerate(records):
        if len(fields) != len(header):
            raise SnapshotError(f"{name}: record {number} has {len(fields)} fields, the header {len(header)}; "
                                "fix the file (a field with an unbalanced quote?) before building the snapshot")
        out.write(spec.delimiter.join(fields[i] for i in keep) + ending)
    reduced = out.getvalue()
    _check(text, reduced, keep, spec, name)
    return reduced


def _check(original: str, reduced: str, keep: list[int], spec: Dataset, name: str) -> None:
    """Python's csv reads the copy as the original minus the dropped columns, value for value."""
    before = list(csv.reader(io.StringIO(original, newline=""), delimiter=spec.delimiter))
    after = list(csv.reader(io.StringIO(reduced, newline=""), delimiter=spec.delimiter))
    if len(before) != len(after):
        raise SnapshotError(f"{name}: the copy has {len(after)} records, the original {len(before)}")
    for number, (row, copy) in enumerate(zip(before, after)):
        if [row[i] for i in keep] != copy:
            raise SnapshotError(f"{name}: record {number} reads back differently in the copy")


def build(names: list[str], data: Path, out: Path) -> list[tuple[str, Path, int]]:
    written = []
    for name in names:
        spec = DATASETS[name]
        source = data / spec.input
        if not source.exists():
            raise SnapshotError(f"{name}: {source} is absent; put the published file there (../shared/data)")
        raw = source.read_bytes()
        target = out / spec.output
        target.parent.mkdir(parents=True, exist_ok=True)
        if not spec.drop:  # nothing to cut: the publisher's bytes (PEI's \" escapes included)
            target.write_bytes(raw)
            written.append((name, target, raw.count(b"\n")))
            continue
        text = raw.decode(spec.encoding)
        reduced = reduce_text(text, spec, name)
        target.write_bytes(reduced.encode(spec.encoding))
        written.append((name, target, reduced.count("\n")))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", choices=[[], *DATASETS], default=[],
                        help="datasets to write (default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the published files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="snapshot/research folder")
    args = parser.parse_args(argv)
    try:
        written = build(args.datasets or list(DATASETS), args.data, args.out)
    except SnapshotError as error:
        print(f"build-research-snapshot: {error}", file=sys.stderr)
        return 1
    for name, target, lines in written:
        print(f"{name}: wrote {target} ({lines} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
