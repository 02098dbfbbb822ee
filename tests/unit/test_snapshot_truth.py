"""The bundled snapshot must say what the shared reference says: same figures, same source URLs, own wording.

The reference (../shared/reference) is read at run time and never copied into the repo, so these tests
are the only link between the snapshot and the research it transcribes.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"
SNAPSHOT = REPO / "snapshot"

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(),
                                reason=f"{REFERENCE} is absent: the shared reference folder is not beside the repo")

# Figures the bulletins spell out in words instead of digits.
NUMBER_WORDS = {1: {"one", "один", "un", "una", "um", "uma"}}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
_URL = re.compile(r"https?://[^\s;]+")
_QUOTED = re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])")


def _rows(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _json(*parts: str) -> dict:
    return json.loads(SNAPSHOT.joinpath(*parts).read_text(encoding="utf-8"))


def _numbers(text: str) -> set[int]:
    return {int(m.group(0).replace(",", "")) for m in _NUMBER.finditer(text)}


def _says(text: str, value: int) -> bool:
    if value in _numbers(text):
        return True
    words = set(re.findall(r"\w+", text.lower()))
    return bool(words & NUMBER_WORDS.get(value, set()))


def _urls(cell: str) -> list[str]:
    return [u.rstrip(",)") for u in _URL.findall(cell or "")]


def _snapshot_texts() -> dict[str, str]:
    return {str(p.relative_to(SNAPSHOT)): p.read_text(encoding="utf-8") for p in sorted(SNAPSHOT.rglob("*")) if p.is_file()}


def test_every_casualty_report_is_carried_by_a_bulletin_with_its_source():
    bulletins = _json("health_ministry", "bulletins.json")["bulletins"]
    for i, row in enumerate(_rows("casualty_reports.csv"), start=2):
        value = int(row["value"])
        matches = [b for b in bulletins if b["election_key"] == row["election_key"]
                   and b["source_url"] == row["source_url"] and b["authority"] == row["reporting_authority"]]
        assert matches, (f"casualty_reports.csv line {i}: no bulletin for {row['election_key']} from "
                         f"{row['reporting_authority']!r} at {row['source_url']}")
        assert any(_says(b["text"], value) for b in matches), (
            f"casualty_reports.csv line {i}: {row['metric']} {value} ({row['election_key']}) is in no bulletin text "
            f"of {[b['bulletin_id'] for b in matches]}")
        for b in matches:
            expected = row["report_date"] or None
            assert (b["published_at"] or "").startswith(expected or "") and bool(b["published_at"]) == bool(expected), (
                f"bulletin {b['bulletin_id']}: published_at {b['published_at']!r}, reference report_date {expected!r}")


def test_bulletins_write_no_figure_the_reference_does_not_give():
    reports = _rows("casualty_reports.csv")
    for b in _json("health_ministry", "bulletins.json")["bulletins"]:
        rows = [r for r in reports if r["election_key"] == b["election_key"] and r["source_url"] == b["source_url"]
                and r["reporting_authority"] == b["authority"]]
        assert rows, f"bulletin {b['bulletin_id']}: no casualty_reports.csv row has its election, authority and URL"
        sourced = set().union(*(_numbers(f"{r['value']} {r['qualifier']} {r['quoted_sentence']}") for r in rows))
        unsourced = _numbers(b["text"]) - sourced
        assert not unsourced, f"bulletin {b['bulletin_id']}: figures {sorted(unsourced)} are not in its reference rows"


def test_every_party_result_is_transcribed_unchanged():
    with open(SNAPSHOT / "election_commission" / "results.csv", encoding="utf-8", newline="") as handle:
        results = {(r["election_key"], r["list_name"]): r for r in csv.DictReader(handle)}
    reference = _rows("party_results.csv")
    assert len(results) == len(reference), f"results.csv has {len(results)} lists, the reference {len(reference)}"
    for i, row in enumerate(reference, start=2):
        ours = results.get((row["election_key"], row["list_name"]))
        assert ours, f"party_results.csv line {i}: {row['election_key']} {row['list_name']!r} missing from results.csv"
        for ref_col, col in [("votes", "votes"), ("vote_share_pct", "vote_share_pct"), ("seats", "seats")]:
            assert ours[col] == row[ref_col].strip(), (
                f"results.csv {row['election_key']} {row['list_name']!r}: {col} {ours[col]!r}, reference {row[ref_col]!r}")
        passed = "exempt" if row["passed_threshold"].startswith("exempt") else row["passed_threshold"]
        assert ours["declared_passed"] == passed, f"results.csv {row['list_name']!r}: declared_passed {ours['declared_passed']!r}"
        assert ours["source_url"] == _urls(row["source_url"])[0], (
            f"results.csv {row['list_name']!r}: source_url {ours['source_url']!r} is not the reference's first URL")


TOTALS_FIELDS = {"registered_voters": ("registered_voters", "registered_voters_source_url"),
                 "votes_cast": ("total_votes_cast", "total_votes_cast_source_url"),
                 "valid_votes": ("valid_votes", "valid_votes_source_url"),
                 "turnout_pct": ("turnout_pct", "turnout_source_url"),
                 "threshold_pct": ("threshold_pct", "threshold_source_url"),
                 "lists_contesting": ("lists_contesting", "lists_contesting_source_url")}
FIGURES = ["registered_voters", "votes_cast", "valid_votes", "turnout_pct", "threshold_pct", "lists_contesting",
           "candidates_contesting", "seats_total"]


def _figure(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def test_every_election_figure_equals_the_reference_and_names_its_source():
    facts = {r["election_key"]: r for r in _rows("crises_facts.csv")}
    totals = {r["election_key"]: r for r in _rows("election_totals.csv")}
    elections = {e["election_key"]: e for e in _json("election_commission", "elections.json")["elections"]}
    reference_text = (REFERENCE / "crises_facts.csv").read_text(encoding="utf-8") + (
        REFERENCE / "election_totals.csv").read_text(encoding="utf-8")
    assert set(elections) == set(facts) | set(totals), f"elections.json keys differ: {set(elections) ^ (set(facts) | set(totals))}"
    for key, e in elections.items():
        sources = e["field_sources"]
        for field in FIGURES:
            if e[field] is not None:
                assert str(sources.get(field, "")).startswith("http"), f"elections.json {key}: {field} has no field_sources URL"
        for field, url in sources.items():
            assert url in reference_text, f"elections.json {key}: field_sources.{field} {url} appears nowhere in the reference"
        if e["seats_total"] is not None:
            rows_text = " ".join(list(facts.get(key, {}).values()) + list(totals.get(key, {}).values()))
            assert re.search(rf"\b{e['seats_total']} (seats|single-member|members)", rows_text), (
                f"elections.json {key}: seats_total {e['seats_total']} is not stated in the reference rows")
        if key in totals:
            t = totals[key]
            for field, (col, url_col) in TOTALS_FIELDS.items():
                assert e[field] == _figure(t[col]), f"elections.json {key}: {field} {e[field]!r}, reference {t[col]!r}"
                if e[field] is not None:
                    assert sources[field] in _urls(t[url_col]), f"elections.json {key}: {field} URL not in the reference cell"
            continue
        f = facts[key]
        row_urls = [u.strip() for u in f["sources"].split(";")]
        assert e["turnout_pct"] == _figure(f["turnout_pct"]), f"elections.json {key}: turnout {e['turnout_pct']!r}"
        assert e["threshold_pct"] == _figure(f["electoral_threshold_pct"]), f"elections.json {key}: threshold"
        assert e["lists_contesting"] is None, f"elections.json {key}: lists_contesting without a reference figure"
        if e["candidates_contesting"] is not None:
            assert re.match(rf"{e['candidates_contesting']} (presidential )?candidates", f["parties_or_lists_contesting"]), (
                f"elections.json {key}: {e['candidates_contesting']} candidates, reference "
                f"{f['parties_or_lists_contesting']!r}")
        for field in ("registered_voters", "votes_cast"):
            if e[field] is not None:
                text = " ".join(f.values())
                assert f"{e[field]:,}" in text or f"{e[field]} " in text, f"elections.json {key}: {field} {e[field]} not in reference"
        for field, url in sources.items():
            assert url in row_urls, f"elections.json {key}: field_sources.{field} {url} is not among the reference sources"


def test_no_quoted_words_of_the_reference_are_copied():
    texts = _snapshot_texts()
    quotes = [r["quoted_sentence"] for r in _rows("casualty_reports.csv") if len(r["quoted_sentence"]) > 25]
    for r in _rows("crises_facts.csv"):
        for cell in (r["observer_verdict"], r["annulment_reason"]):
            for passage in _QUOTED.findall(cell):
                quotes += [p.strip() for p in re.split(r"\.\.\.|…", passage) if len(p.strip()) >= 12]
    assert len(quotes) > 50, "the reference should yield many quoted passages; the parsing is broken"
    for name, text in texts.items():
        folded = text.lower()
        for quote in quotes:
            assert quote.lower() not in folded, f"snapshot/{name} copies the reference's quoted words: {quote!r}"


def test_every_record_names_an_http_source():
    for family, file, key in [("election_commission", "elections.json", "elections"),
                              ("election_commission", "decisions.json", "decisions"),
                              ("health_ministry", "bulletins.json", "bulletins"),
                              ("observer_mission", "statements.json", "statements")]:
        records = _json(family, file)[key]
        assert records, f"snapshot/{family}/{file} has no {key}"
        for i, record in enumerate(records):
            assert str(record.get("source_url") or "").startswith("http"), f"snapshot/{family}/{file} {key}[{i}] has no http source_url"
            for field, url in (record.get("field_sources") or {}).items():
                assert url.startswith("http"), f"snapshot/{family}/{file} {key}[{i}] field_sources.{field} is not a URL"
    with open(SNAPSHOT / "election_commission" / "results.csv", encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            assert row["source_url"].startswith("http"), f"snapshot/election_commission/results.csv line {line}: no source_url"
