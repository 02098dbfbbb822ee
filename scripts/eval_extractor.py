"""Score the casualty extractor: precision/recall/F1 per language and per trap, on three sets.

- dev: every tests/extractor_corpus/*.jsonl whose _meta.part is "dev" (tuned on: dev.jsonl, dev_b.jsonl);
- heldout: every corpus file whose _meta.part is "heldout" (never tuned on: only its aggregate scores are
  printed; a checkout may have none, then the set is skipped and says so);
- reference: every quoted sentence of ../shared/reference/casualty_reports.csv, its rows being the
  expected figures (the reference lists the figures researchers kept, not every figure a sentence
  states, so its precision is a floor).

A predicted figure matches an expected one when metric, value, value_high, qualifier, counted and scope
are equal (multiset matching per item). An item marked unsupported is right when UnsupportedLanguage
is raised. Writes data/eval/extractor_scores.json and data/eval/extractor_scores.md.

    python scripts/eval_extractor.py [--failures]   # --failures lists the dev items that miss (with their file)
    python scripts/eval_extractor.py --parts dev,reference   # score only these sets (tuning never scores heldout)
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage, detect_language, extract_figures  # noqa: E402

CORPUS_DIR = REPO_ROOT / "tests" / "extractor_corpus"
REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "casualty_reports.csv"
OUT_DIR = REPO_ROOT / "data" / "eval"
FULL_STRENGTH = ("en", "ru", "es", "fr", "pt")
KEY = ("metric", "value", "value_high", "qualifier", "counted", "scope")

# How the reference's free-text qualifier notes are read (first match wins).
_NOTE_QUALIFIERS = [("at least", "at_least"), ("more than", "more_than"), ("'over'", "more_than"), ("over ", "more_than"),
                    ("about", "about"), ("approx", "about"), ("'some'", "about"), ("'as high as'", "up_to"),
                    ("upper bound", "up_to")]
_NOTE_COUNTED = [("law-enforcement", "security_forces"), ("police officer", "security_forces"),
                 ("policemen", "security_forces"), ("officers", "security_forces"), ("protester", "protesters"),
                 ("journalist", "journalists"), ("detainee", "detainees")]


def load_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if "_meta" not in row]


def corpus_part(path: Path) -> str | None:
    """The _meta.part of a corpus file (its first line), or None when the line has none."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        return (json.loads(first).get("_meta") or {}).get("part")
    except (json.JSONDecodeError, AttributeError):
        return None


def corpus_files(part: str, corpus_dir: Path | None = None) -> list[Path]:
    """Every corpus file of one part, by its _meta.part rather than its name (a retired held-back file
    becomes dev by changing its _meta, not by being renamed into some convention)."""
    return sorted(p for p in (corpus_dir or CORPUS_DIR).glob("*.jsonl") if corpus_part(p) == part)


def load_part(part: str, corpus_dir: Path | None = None) -> list[dict]:
    """The items of every file of one part; each item remembers its file (for --failures)."""
    items = []
    for path in corpus_files(part, corpus_dir):
        items += [{**item, "file": path.name} for item in load_corpus(path)]
    return items


def reference_items(path: Path = REFERENCE) -> list[dict]:
    """One item per quoted sentence; its rows are the expected figures."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_sentence: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_sentence[row["quoted_sentence"]].append(row)
    items = []
    for n, (sentence, group) in enumerate(by_sentence.items(), start=1):
        expected = []
        for row in group:
            note = row["qualifier"].strip().lower()
            qualifier = next((q for prefix, q in _NOTE_QUALIFIERS if note.startswith(prefix)), "exact")
            counted = next((c for word, c in _NOTE_COUNTED if word in note), "all")
            scope = "part" if note.startswith("subset") else "total"
            expected.append({"metric": row["metric"], "value": int(row["value"]), "value_high": None,
                             "qualifier": qualifier, "counted": counted, "scope": scope})
        items.append({"id": f"reference-{n:03d}", "language": detect_language(sentence) or "?", "text": sentence,
                      "traps": [], "expected": expected})
    return items


def _key(figure) -> tuple:
    if isinstance(figure, dict):
        return tuple(figure.get(k) for k in KEY)
    return tuple(getattr(figure, k) for k in KEY)


def score_item(item: dict) -> dict:
    """tp/fp/fn of one item, and the predicted keys (for --failures)."""
    if item.get("unsupported"):
        try:
            predicted = extract_figures(item["text"])
        except UnsupportedLanguage:
            return {"tp": 1, "fp": 0, "fn": 0, "predicted": "UnsupportedLanguage"}
        return {"tp": 0, "fp": len(predicted), "fn": 1, "predicted": [_key(f) for f in predicted]}
    try:
        predicted = [_key(f) for f in extract_figures(item["text"])]
    except UnsupportedLanguage as exc:
        return {"tp": 0, "fp": 0, "fn": len(item["expected"]), "predicted": f"UnsupportedLanguage: {exc}"}
    expected = Counter(_key(f) for f in item["expected"])
    got = Counter(predicted)
    tp = sum((expected & got).values())
    return {"tp": tp, "fp": sum(got.values()) - tp, "fn": sum(expected.values()) - tp, "predicted": predicted}


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def score_set(items: list[dict]) -> dict:
    """Scores overall, per language and per trap, and the ids of the items that are not fully right."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    failures = []
    started = time.process_time()  # CPU time: the machine is shared, wall time measures the neighbours
    for item in items:
        result = score_item(item)
        unsupported = bool(item.get("unsupported"))
        groups = ["all", f"language:{'unsupported' if unsupported else item['language']}"]
        groups += [f"trap:{t}" for t in item.get("traps", [])]
        if item.get("file"):
            groups += [f"file:{item['file']}", f"file:{item['file']}:{groups[1]}"]
        for group in groups:
            for i, k in enumerate(("tp", "fp", "fn")):
                totals[group][i] += result[k]
            totals[group][3] += 1
        if result["fp"] or result["fn"]:
            failures.append({"id": item["id"], "file": item.get("file"), "text": item["text"], "expected": item["expected"],
                             "predicted": result["predicted"]})
    elapsed = time.process_time() - started
    scores = {group: {**_prf(*counts[:3]), "items": counts[3]} for group, counts in sorted(totals.items())}
    return {"scores": scores, "items": len(items), "ms_per_item": round(1000 * elapsed / max(1, len(items)), 3),
            "failures": failures}


PARTS = ("dev", "heldout", "reference")


def evaluate(include_reference: bool = True, parts: tuple[str, ...] = PARTS) -> dict:
    for warm_up in ("Five people died.", "Погибли пять человек.", "Murieron cinco personas."):
        detect_language(warm_up)  # load the language models once, outside the timed runs
    sets: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for name in ("dev", "heldout"):
        if name not in parts:
            continue
        items = load_part(name)
        if items:
            sets[name] = score_set(items)
        else:
            what = "no held-back corpus file here" if name == "heldout" else "no dev corpus file here"
            skipped[name] = f"{what} (no {CORPUS_DIR.relative_to(REPO_ROOT)}/*.jsonl has _meta.part {name!r})"
    if include_reference and "reference" in parts:
        if REFERENCE.exists():
            sets["reference"] = score_set(reference_items())
        else:
            skipped["reference"] = f"{REFERENCE} is absent (../shared lives outside the repo)"
    return {"extractor_version": EXTRACTOR_VERSION, "sets": sets, "skipped": skipped}


def markdown(result: dict) -> str:
    names = list(result["sets"])
    groups = sorted({g for s in result["sets"].values() for g in s["scores"]},
                    key=lambda g: (g != "all", not g.startswith("language:"), g.startswith("file:"), g))
    header = "| | " + " | ".join(f"{n} P / R / F1 (n)" for n in names) + " |"
    lines = [f"Extractor {result['extractor_version']}", "", header, "|" + "---|" * (len(names) + 1)]
    for group in groups:
        cells = []
        for name in names:
            s = result["sets"][name]["scores"].get(group)
            cells.append(f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f} ({s['items']})" if s else "")
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    timing = ", ".join(f"{n} {s['ms_per_item']} ms/item" for n, s in result["sets"].items())
    lines += ["", f"CPU time per item (scoring included): {timing}."]
    lines += [f"Skipped {name}: {why}." for name, why in result["skipped"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true",
                        help="list the dev and reference items the extractor gets wrong (never held-back ones)")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="comma-separated sets to score, of dev, heldout, reference (default: all three)")
    args = parser.parse_args(argv)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"--parts: unknown set(s) {', '.join(unknown)}; expected a comma-separated list of {', '.join(PARTS)}")
    result = evaluate(parts=parts)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    public = {"extractor_version": result["extractor_version"], "skipped": result["skipped"],
              "sets": {name: {k: v for k, v in s.items() if k != "failures" or name != "heldout"}
                       for name, s in result["sets"].items()}}
    (OUT_DIR / "extractor_scores.json").write_text(json.dumps(public, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = markdown(result)
    (OUT_DIR / "extractor_scores.md").write_text(table, encoding="utf-8")
    print(table)
    if args.failures:
        for name in ("dev", "reference"):
            for failure in result["sets"].get(name, {}).get("failures", []):
                print(json.dumps({"set": name, **failure}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
