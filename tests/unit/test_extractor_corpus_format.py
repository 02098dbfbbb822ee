"""The extractor evaluation corpora follow tests/extractor_corpus/CONVENTIONS.md, so a scoring run never
silently skips or mis-reads an item whose labels are malformed."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

CORPUS_DIR = Path(__file__).resolve().parents[1] / "extractor_corpus"
CORPORA = sorted(CORPUS_DIR.glob("*.jsonl"))

FULL_LANGUAGES = {"en", "ru", "es", "fr", "pt"}
READ_LANGUAGES = FULL_LANGUAGES | {"pl", "sk"}
MIN_HELDOUT_PER_FULL_LANGUAGE = 25
PARTS = {"dev", "heldout"}
REGISTERS = {"bulletin", "police", "press_release", "ngo", "news"}
TRAPS = {"revision_down", "revision_up", "negation", "denial", "sub_count", "increment", "range",
         "qualifier", "number_words", "metric_verb", "counted_group", "date_noise", "no_figure"}
METRICS = {"dead", "injured", "hospitalized", "icu", "discharged", "detained"}
QUALIFIERS = {"exact", "at_least", "more_than", "about", "up_to"}
COUNTED = {"all", "protesters", "security_forces", "detainees", "journalists"}
SCOPES = {"total", "part", "increment"}
ITEM_KEYS = {"id", "language", "register", "text", "traps", "expected"}
FIGURE_KEYS = {"metric", "value", "value_high", "qualifier", "counted", "scope", "part_of"}


def read_corpus(path: Path) -> tuple[dict, list[tuple[int, dict]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines, f"{path.name}: empty file, expected a _meta line and items"
    parsed = []
    for lineno, line in enumerate(lines, 1):
        try:
            parsed.append((lineno, json.loads(line)))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name}:{lineno}: not valid JSON ({exc}); every line must be one JSON object")
    (_, header), items = parsed[0], parsed[1:]
    return header, items


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_figure(where: str, fig: dict, index: int, figures: list) -> None:
    assert isinstance(fig, dict) and set(fig) == FIGURE_KEYS, \
        f"{where}: figure keys {sorted(fig) if isinstance(fig, dict) else fig!r}, expected {sorted(FIGURE_KEYS)}"
    assert fig["metric"] in METRICS, f"{where}: metric {fig['metric']!r}, expected one of {sorted(METRICS)}"
    assert is_int(fig["value"]) and fig["value"] >= 0, f"{where}: value {fig['value']!r}, expected an integer >= 0"
    high = fig["value_high"]
    assert high is None or (is_int(high) and high > fig["value"]), \
        f"{where}: value_high {high!r}, expected null or an integer above value {fig['value']}"
    assert fig["qualifier"] in QUALIFIERS, f"{where}: qualifier {fig['qualifier']!r}, expected one of {sorted(QUALIFIERS)}"
    assert fig["counted"] in COUNTED, f"{where}: counted {fig['counted']!r}, expected one of {sorted(COUNTED)}"
    assert fig["scope"] in SCOPES, f"{where}: scope {fig['scope']!r}, expected one of {sorted(SCOPES)}"
    part_of = fig["part_of"]
    if fig["scope"] == "part":
        assert is_int(part_of) and 0 <= part_of < len(figures) and part_of != index, \
            f"{where}: part_of {part_of!r}, a part needs the index of another figure in expected"
        assert figures[part_of]["metric"] == fig["metric"], \
            f"{where}: part_of {part_of} is a {figures[part_of]['metric']} figure, a part must point at one of metric {fig['metric']}"
    else:
        assert part_of is None, f"{where}: part_of {part_of!r} on scope {fig['scope']!r}, only a part has part_of"


def check_item(path: Path, lineno: int, item: dict) -> None:
    where = f"{path.name}:{lineno} ({item.get('id', 'no id')})"
    unsupported = item.get("unsupported", False)
    # optional: "unsupported", and "note" (the writer's reading where CONVENTIONS.md is silent)
    allowed = ITEM_KEYS | ({"unsupported"} if "unsupported" in item else set()) | ({"note"} if "note" in item else set())
    assert set(item) == allowed, f"{where}: keys {sorted(item)}, expected {sorted(allowed)}"
    assert isinstance(item["id"], str) and item["id"], f"{where}: id must be a non-empty string"
    assert isinstance(item.get("note", "-"), str) and item.get("note", "-").strip(), f"{where}: a note must be non-empty text"
    assert item["register"] in REGISTERS, f"{where}: register {item['register']!r}, expected one of {sorted(REGISTERS)}"
    assert isinstance(item["text"], str) and item["text"].strip(), f"{where}: text must be a non-empty string"
    assert isinstance(item["traps"], list) and set(item["traps"]) <= TRAPS, \
        f"{where}: traps {item['traps']!r}, expected tags from {sorted(TRAPS)}"
    assert len(set(item["traps"])) == len(item["traps"]), f"{where}: a trap tag is repeated"
    if unsupported:
        assert unsupported is True, f"{where}: unsupported must be true when present"
        assert item["language"] not in READ_LANGUAGES, \
            f"{where}: language {item['language']!r} is read by the extractor, so it cannot be unsupported"
        assert item["expected"] is None, f"{where}: an unsupported item has expected null"
        return
    assert item["language"] in READ_LANGUAGES, \
        f"{where}: language {item['language']!r}, expected one of {sorted(READ_LANGUAGES)} or unsupported: true"
    assert isinstance(item["expected"], list), f"{where}: expected must be a list ([] for no figure)"
    if "no_figure" in item["traps"]:
        assert item["expected"] == [], f"{where}: tagged no_figure but expected lists figures"
    for index, fig in enumerate(item["expected"]):
        check_figure(f"{where} expected[{index}]", fig, index, item["expected"])


def test_corpus_files_exist():
    assert CORPORA, f"no *.jsonl corpus in {CORPUS_DIR}"


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_corpus_file_follows_the_conventions(path):
    header, items = read_corpus(path)
    meta = header.get("_meta")
    assert isinstance(meta, dict), f"{path.name}:1: first line must be {{\"_meta\": {{...}}}}"
    assert meta.get("synthetic") is True, f"{path.name}:1: _meta.synthetic must be true"
    assert meta.get("part") in PARTS, f"{path.name}:1: _meta.part {meta.get('part')!r}, expected one of {sorted(PARTS)}"
    assert meta.get("description") and meta.get("written"), f"{path.name}:1: _meta needs description and written"
    assert items, f"{path.name}: no items after the _meta line"
    for lineno, item in items:
        assert isinstance(item, dict) and "_meta" not in item, f"{path.name}:{lineno}: expected an item object"
        check_item(path, lineno, item)
    ids = Counter(item["id"] for _, item in items)
    assert not [i for i, n in ids.items() if n > 1], f"{path.name}: repeated ids {[i for i, n in ids.items() if n > 1]}"


def test_ids_are_unique_across_corpora():
    seen: dict[str, str] = {}
    for path in CORPORA:
        for _, item in read_corpus(path)[1]:
            assert item["id"] not in seen or seen[item["id"]] == path.name, \
                f"id {item['id']!r} is in both {seen[item['id']]} and {path.name}"
            seen[item["id"]] = path.name


def test_heldout_has_enough_items_per_full_language():
    heldout = [p for p in CORPORA if read_corpus(p)[0].get("_meta", {}).get("part") == "heldout"]
    if not heldout:  # the held-back part is written and kept apart from the tuning checkout
        pytest.skip(f"no held-back corpus file here: no {CORPUS_DIR}/*.jsonl has _meta.part 'heldout'")
    counts = Counter(item["language"] for p in heldout for _, item in read_corpus(p)[1]
                     if not item.get("unsupported"))
    short = {lang: counts[lang] for lang in FULL_LANGUAGES if counts[lang] < MIN_HELDOUT_PER_FULL_LANGUAGE}
    assert not short, f"held-back items per language {short}, expected >= {MIN_HELDOUT_PER_FULL_LANGUAGE} each"
