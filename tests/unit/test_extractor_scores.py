"""The extractor's scores on the dev and held-out corpora stay above the issue's floors (fast: < 10 s).

A corpus file's part is its _meta.part, not its name: dev is dev.jsonl + dev_b.jsonl + dev_c.jsonl + dev_d.jsonl (dev_b and
dev_c, once heldout2.jsonl, were held-back parts until they were measured and reported). The held-out corpus is
whatever file has _meta.part "heldout": written by another engineer, never tuned on and kept out of the tuning
checkout; only its aggregate scores are read here, and its tests skip, saying so, where there is none. Issue target: precision >= 0.97 and recall >= 0.95 on held-out for every full-strength
language (en, ru, es, fr, pt).
"""
from __future__ import annotations

import functools
import json
import importlib.util
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("eval_extractor", REPO_ROOT / "scripts" / "eval_extractor.py")
eval_extractor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_extractor)

FULL_STRENGTH = eval_extractor.FULL_STRENGTH
DEV_FLOOR = {"precision": 0.97, "recall": 0.95}
# The held-back part's latest measurement minus 0.02 (rounded down), a guard against regressions. The
# part is every file marked heldout: heldout3.jsonl (432 items, written blind) and heldout4.jsonl (458,
# written blind to sample layouts: flattened tables, headlines, timelines, comparisons, several places).
# At EXTRACTOR_VERSION 2.5.0 (first measurement): en 0.827/0.758, ru 0.861/0.789, es 0.785/0.775,
# fr 0.791/0.772, pt 0.796/0.772. At 2.6.0 (the layouts round, tuned on dev_d.jsonl, which its writer
# wrote from the class list heldout4 was asked to sample, never from heldout4): en 0.874/0.827,
# ru 0.873/0.821, es 0.793/0.800, fr 0.815/0.822, pt 0.808/0.797. The issue's target, precision 0.97 /
# recall 0.95 for every full-strength language, is not reached. They apply to whichever files are
# marked heldout (none on a tuning checkout: the tests skip).
HELDOUT_FLOOR = {
    "en": {"precision": 0.85, "recall": 0.80}, "ru": {"precision": 0.85, "recall": 0.80},
    "es": {"precision": 0.77, "recall": 0.78}, "fr": {"precision": 0.79, "recall": 0.80},
    "pt": {"precision": 0.78, "recall": 0.77},
}


def _scores(part: str) -> dict:
    """Scores of every corpus file whose _meta.part is `part` (dev: dev.jsonl + dev_b.jsonl)."""
    if not eval_extractor.corpus_files(part):
        what = ("no held-back corpus file here (held-back files are written and kept apart from the tuning "
                "checkout; the floors apply once one is present)") if part == "heldout" else "no dev corpus file here"
        pytest.skip(f"{what}: no {eval_extractor.CORPUS_DIR}/*.jsonl has _meta.part {part!r}")
    return _scored(part)


@functools.cache
def _scored(part: str) -> dict:
    return eval_extractor.score_set(eval_extractor.load_part(part))["scores"]


@pytest.mark.parametrize("language", FULL_STRENGTH)
def test_dev_scores_reach_the_floor(language):
    score = _scores("dev")[f"language:{language}"]
    assert score["precision"] >= DEV_FLOOR["precision"] and score["recall"] >= DEV_FLOOR["recall"], (
        f"dev {language}: {score} is below {DEV_FLOOR}")


# Every dev file on its own, per full-strength language: tuning on one file must not cost another
# (2.3.0, 2.4.0 and 2.5.0: dev.jsonl and dev_b.jsonl both at 1.000 / 1.000 for every full-strength language).
DEV_FILE_FLOOR = {"precision": 0.99, "recall": 0.99}
# dev_c.jsonl (heldout2 until 2.3.0 was measured on it) is tuned on from 2.4.0: 2.4.0 left 27 of its items missed
# (docs/extractor.md), 2.5.0 fixed them by class and scores 1.000 / 1.000 on it with its 36 items 95N. Its floor is
# its 2.5.0 score minus 0.02, per language (it was its 2.4.0 score minus 0.02).
# dev_d.jsonl (layouts: flattened tables, headlines, timelines, several places, abbreviations; 138 items written before
# 2.6.0's fixes, 2.5.0 scored 0.809 / 0.729 on them, and 8 items 9NN added while tuning) scores 1.000 / 1.000 at 2.6.0:
# its floor is that minus 0.02.
DEV_FILE_FLOOR_BY_FILE = {"dev_c.jsonl": {
    "en": {"precision": 0.98, "recall": 0.98},
    "ru": {"precision": 0.98, "recall": 0.98},
    "es": {"precision": 0.98, "recall": 0.98},
    "fr": {"precision": 0.98, "recall": 0.98},
    "pt": {"precision": 0.98, "recall": 0.98}},
    "dev_d.jsonl": {
    "en": {"precision": 0.98, "recall": 0.98},
    "ru": {"precision": 0.98, "recall": 0.98},
    "es": {"precision": 0.98, "recall": 0.98},
    "fr": {"precision": 0.98, "recall": 0.98},
    "pt": {"precision": 0.98, "recall": 0.98}}}


def _file_floor(name: str, language: str) -> dict:
    return DEV_FILE_FLOOR_BY_FILE.get(name, {}).get(language, DEV_FILE_FLOOR)


@pytest.mark.parametrize("language", FULL_STRENGTH)
def test_each_dev_file_stays_tuned(language):
    scores = _scores("dev")
    files = sorted({g.split(":")[1] for g in scores if g.startswith("file:")})
    assert {"dev.jsonl", "dev_b.jsonl"} <= set(files), f"expected dev.jsonl and dev_b.jsonl scored per file, got {files}"
    low = {name: scores[f"file:{name}:language:{language}"] for name in files
           if f"file:{name}:language:{language}" in scores and
           (scores[f"file:{name}:language:{language}"]["precision"] < _file_floor(name, language)["precision"] or
            scores[f"file:{name}:language:{language}"]["recall"] < _file_floor(name, language)["recall"])}
    assert not low, f"dev {language} below its floor ({DEV_FILE_FLOOR} unless DEV_FILE_FLOOR_BY_FILE says) in {low}"


@pytest.mark.parametrize("language", FULL_STRENGTH)
def test_heldout_scores_do_not_slide_back(language):
    score = _scores("heldout")[f"language:{language}"]
    floor = HELDOUT_FLOOR[language]
    assert score["precision"] >= floor["precision"] and score["recall"] >= floor["recall"], (
        f"heldout {language}: precision {score['precision']} recall {score['recall']} is below {floor} "
        "(issue target 0.97 / 0.95)")


def test_unsupported_languages_are_refused():
    assert _scores("dev")["language:unsupported"]["recall"] == 1.0


def test_matching_counts_every_field():
    item = {"id": "t", "language": "en", "text": "45 people were injured, 5 of them seriously.", "traps": [],
            "expected": [{"metric": "injured", "value": 45, "value_high": None, "qualifier": "exact", "counted": "all",
                          "scope": "total"},
                         {"metric": "injured", "value": 5, "value_high": None, "qualifier": "exact", "counted": "all",
                          "scope": "total"}]}
    assert eval_extractor.score_item(item)[("tp")] == 1  # the 5 is a part, not a total


def test_parts_are_read_from_meta_not_from_file_names(tmp_path):
    item = {"id": "x-1", "language": "en", "register": "news", "text": "Two people died.", "traps": [], "expected": []}
    for name, part in (("dev.jsonl", "dev"), ("retired.jsonl", "dev"), ("heldout_like.jsonl", "heldout")):
        meta = {"_meta": {"synthetic": True, "part": part, "description": "t", "written": "2026-12-02"}}
        (tmp_path / name).write_text(json.dumps(meta) + "\n" + json.dumps({**item, "id": name}) + "\n", encoding="utf-8")
    assert [p.name for p in eval_extractor.corpus_files("dev", tmp_path)] == ["dev.jsonl", "retired.jsonl"]
    assert [i["file"] for i in eval_extractor.load_part("heldout", tmp_path)] == ["heldout_like.jsonl"]
    assert eval_extractor.load_part("nothing", tmp_path) == []
