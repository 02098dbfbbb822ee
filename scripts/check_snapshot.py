"""Check a snapshot against the shared reference before anything runs: `python scripts/check_snapshot.py`.

Runs tests/unit/test_snapshot_truth.py (figures, URLs, dates, caveats, own wording, and every record
through the real parsers) on the bundled snapshot, or on another folder with --snapshot/--reference.
Each problem names the file, the election or record, the field and how to write it; elections the
reference has but the snapshot does not yet have are listed as "not yet transcribed", not failed.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=REPO / "snapshot", help="snapshot folder to check")
    parser.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference",
                        help="the researched reference folder (crises_facts.csv, casualty_reports.csv, ...)")
    args = parser.parse_args(argv)
    for name, folder in (("snapshot", args.snapshot), ("reference", args.reference)):
        if not folder.is_dir():
            print(f"check-snapshot: {name} folder {folder} does not exist", file=sys.stderr)
            return 2
    env = dict(os.environ, ECW_CHECK_SNAPSHOT=str(args.snapshot.resolve()),
               ECW_CHECK_REFERENCE=str(args.reference.resolve()),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=line", "-W", "always::UserWarning",
         "-rw", str(REPO / "tests" / "unit" / "test_snapshot_truth.py")],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    if done.returncode == 0:
        print(f"check-snapshot: {args.snapshot} agrees with {args.reference}")
    else:
        print(f"check-snapshot: {args.snapshot} does not agree with {args.reference}: fix each line above "
              "(snapshot/README.md explains every field)", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
