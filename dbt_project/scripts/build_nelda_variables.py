"""Regenerate `seeds/nelda_variables.csv` and the staging doc blocks from the NELDA codebook look-up.

Reads `../shared/data/nelda/nelda_look_up.csv` (nelda_code, description, description_clean) in place
and checks that each variable staging reads still asks what we think it asks. The codebook's own
questions are other people's sentences and are not copied: the seed keeps the code, our short
column name and our own label for the variables staging reads (stg_nelda__elections); the other
codebook variables keep only their code. Read the NELDA codebook for the questions as coded.

It also writes `models/staging/_nelda_variables.md`, one `{% docs nelda_<column> %}` block per
staged variable, which the staging and mart ymls use as column descriptions, and
`macros/nelda_variables.sql`, the staged variables' codes and names the staging SQL loops over: the
seed, the docs and the SQL come from this one list.

Usage: python dbt_project/scripts/build_nelda_variables.py [path/to/nelda_look_up.csv]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SEED = PROJECT / "seeds" / "nelda_variables.csv"
DOCS = PROJECT / "models" / "staging" / "_nelda_variables.md"
MACRO = PROJECT / "macros" / "nelda_variables.sql"
DEFAULT_LOOK_UP = PROJECT.parents[1] / "shared" / "data" / "nelda" / "nelda_look_up.csv"

# Our names for the crisis variables staging reads. Each is checked against the codebook's label
# below: a renumbered codebook stops the build of the seed instead of misnaming a flag.
STAGED = {
    "nelda29": ("post_election_riots", r"riots and protests after the election"),
    "nelda30": ("protests_alleged_fraud", r"allegations of vote fraud"),
    "nelda31": ("government_violence_against_protesters", r"violence against demonstrators"),
    "nelda32": ("unfavourable_results_cancelled", r"did not favor the incumbent canceled"),
    "nelda33": ("civilian_deaths", r"violence involving civilian deaths"),
    "nelda34": ("favourable_results_cancelled", r"favorable to the incumbent canceled"),
    "nelda35": ("cancellation_after_protests", r"result of wide-spread protests"),
    "nelda36": ("cancellation_after_outside_pressure", r"result of outside pressure"),
    "nelda37": ("new_election_after_cancellation", r"was a new election held"),
    "nelda38": ("new_election_changed_winner", r"victory go to a different party"),
    "nelda45": ("international_monitors_present", r"international monitors present"),
    "nelda46": ("western_monitors_present", r"Western monitors present\?$"),
    "nelda47": ("western_monitors_alleged_fraud", r"allegations by Western monitors of significant vote-fraud"),
}
# our own words for what each staged answer says (yes = TRUE)
OUR_LABELS = {
    "post_election_riots": "riots or protests followed the election",
    "protests_alleged_fraud": "those protests alleged vote fraud",
    "government_violence_against_protesters": "the government used violence against the protesters",
    "unfavourable_results_cancelled": "results unfavourable to the incumbent were cancelled",
    "civilian_deaths": "violence around the election killed civilians",
    "favourable_results_cancelled": "results favourable to the incumbent were cancelled",
    "cancellation_after_protests": "that cancellation followed widespread protests",
    "cancellation_after_outside_pressure": "that cancellation followed pressure from abroad",
    "new_election_after_cancellation": "a new election was held after the cancellation",
    "new_election_changed_winner": "the new election had a different winner",
    "international_monitors_present": "international monitors observed the election",
    "western_monitors_present": "Western monitors were among them",
    "western_monitors_alleged_fraud": "Western monitors alleged significant vote fraud",
}
CODE = re.compile(r"nelda\d{1,2}")


def seed_rows(look_up: Path) -> list[dict[str, str]]:
    """One row per codebook variable, in the codebook's order."""
    with look_up.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    missing = {"nelda_code", "description_clean"} - set(records[0] if records else {})
    if missing:
        raise SystemExit(f"{look_up}: no column(s) {sorted(missing)}; expected the NELDA look-up layout")
    rows, seen = [], set()
    for line, record in enumerate(records, start=2):
        code, label = record["nelda_code"].strip(), " ".join(record["description_clean"].split())
        if not CODE.fullmatch(code) or code in seen or not label:
            raise SystemExit(f"{look_up} line {line}: code {code!r} is malformed, repeated or has no label")
        seen.add(code)
        name, expected = STAGED.get(code, ("", ""))
        if expected and not re.search(expected, label, re.IGNORECASE):
            raise SystemExit(f"{look_up} line {line}: {code} no longer reads like {name} ({label!r}); "
                             f"fix STAGED in {Path(__file__).name}")
        rows.append({"nelda_code": code, "column_name": name, "label": OUR_LABELS.get(name, "")})
    absent = sorted(set(STAGED) - seen, key=lambda c: int(c[5:]))
    if absent:
        raise SystemExit(f"{look_up}: staged variable(s) {absent} are not in the codebook")
    return rows


def doc_blocks(rows: list[dict[str, str]]) -> str:
    blocks = ["{#- Generated by dbt_project/scripts/build_nelda_variables.py from the NELDA codebook look-up;",
              "    regenerate there, never edit by hand. -#}", ""]
    for row in rows:
        if row["column_name"]:
            blocks += [f"{{% docs nelda_{row['column_name']} %}}",
                       f"NELDA {row['nelda_code']} ({row['label']}; the codebook has the question as coded): TRUE for yes, FALSE for no,",
                       f"NULL otherwise (the answer's status column says unclear, n/a, missing or unknown).",
                       "{% enddocs %}", ""]
    return "\n".join(blocks)


def staged_macro(rows: list[dict[str, str]]) -> str:
    pairs = ",\n".join(f"        ('{row['nelda_code']}', '{row['column_name']}')" for row in rows if row["column_name"])
    return ("{#- Generated by dbt_project/scripts/build_nelda_variables.py; regenerate there, never edit by hand.\n"
            "    The NELDA variables staging reads: (raw column, our column name). -#}\n"
            "{% macro nelda_staged_variables() -%}\n"
            f"    {{{{ return([\n{pairs},\n    ]) }}}}\n"
            "{%- endmacro %}\n")


def main(argv: list[str]) -> None:
    look_up = Path(argv[1]) if len(argv) > 1 else DEFAULT_LOOK_UP
    if not look_up.exists():
        raise SystemExit(f"{look_up} is absent: pass the path of nelda_look_up.csv")
    rows = seed_rows(look_up)
    with SEED.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["nelda_code", "column_name", "label"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    DOCS.write_text(doc_blocks(rows), encoding="utf-8")
    MACRO.write_text(staged_macro(rows), encoding="utf-8")
    staged = sum(1 for r in rows if r["column_name"])
    print(f"wrote {len(rows)} variables ({staged} staged) to {SEED}, {DOCS} and {MACRO}")


if __name__ == "__main__":
    main(sys.argv)
