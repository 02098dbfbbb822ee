"""The bundled snapshot must say what the shared reference says: same figures, same source URLs, own wording.

The reference (../shared/reference) is read at run time and never copied into the repo, so these tests
are the only link between the snapshot and the research it transcribes. `python scripts/check_snapshot.py`
runs them (also on another snapshot or reference folder: ECW_CHECK_SNAPSHOT, ECW_CHECK_REFERENCE), and
every failure names the file, the election or record, the field and how to write it.

An election the reference has and the snapshot does not yet have is reported ("not yet transcribed"),
not a failure: the research may run ahead of the transcription.
"""
from __future__ import annotations

import csv
import json
import os
import re
import warnings
from pathlib import Path

import pytest

from ingestion.parsers.common import DATE_FORMS
from ingestion.parsers.casualty_text import extract_figures
from ingestion.parsers.election_commission import parse_decisions, parse_elections, parse_party_results
from ingestion.parsers.health_ministry import parse_bulletins
from ingestion.parsers.observer_mission import parse_statements
from tests.support.reference_sums import sum_parts

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(os.environ.get("ECW_CHECK_REFERENCE") or REPO.parent / "shared" / "reference")
SNAPSHOT = Path(os.environ.get("ECW_CHECK_SNAPSHOT") or REPO / "snapshot")

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(),
                                reason=f"{REFERENCE} is absent: the shared reference folder is not beside the repo")

# Figures the bulletins spell out in words instead of digits.
NUMBER_WORDS = {1: {"one", "один", "un", "una", "um", "uma"}}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
_URL = re.compile(r"https?://[^\s;]+")
_QUOTED = re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])")
# a cell that is one count of lists: "16", "12 parties + 5 independent candidates" (12 lists)
_LIST_COUNT = re.compile(r"^(\d+)(?: (?:parties|party lists|lists))?(?=\s*\+|\s*\(|\s*$)")
_LEADING_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)")
APPROXIMATE = re.compile(r"\b(date|day) approximate\b", re.I)
TRANSLATION = "[researcher translation]"

# How to write a field the parsers refused (the parsers' own reason says what was wrong).
HINTS = {
    "whole number": "write one whole number (e.g. 12); a breakdown such as '12 parties + 5 independent "
                    "candidates' goes in `note`: lists_contesting counts party lists, candidates_contesting "
                    "candidates (presidential elections)",
    "must be a number": "write a plain number such as 56.5 (no % sign, no words); caveats go in `note`",
    "is not a date": "keep the reference's precision (month 2019-06, year 2019) and mark a date the "
                     "reference calls approximate with `<field>_is_approximate: true`",
    "is not a real date": "check the month and day against the reference",
    "http(s) URL": "copy the full URL from the reference cell, including a closing parenthesis",
    "election_key": "use <ISO3>-<YYYY>-<PARL|PRES|GEN|REF>[-R<n>], e.g. KGZ-2020-PARL",
    "unknown country": "see the country steps in snapshot/README.md",
    "no casualty figure could be read": "write one plain sentence per figure with the figure in digits, and "
                                        "check it with `echo \"<text>\" | python -m ingestion.cli extract-casualties`",
    "published_at": "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time), at the reference's precision",
}


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


def _clean_url(url: str) -> str:
    """A URL as the reference cell has it, without the punctuation around it.

    A closing parenthesis belongs to the URL when it closes one opened in the URL
    (https://en.wikipedia.org/wiki/Foo_(bar)); otherwise it closes the cell's own parenthesis.
    """
    url = url.rstrip(",.")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(",.")
    return url


def _urls(cell: str) -> list[str]:
    return [_clean_url(u) for u in _URL.findall(cell or "")]


def _snapshot_texts() -> dict[str, str]:
    return {str(p.relative_to(SNAPSHOT)): p.read_text(encoding="utf-8") for p in sorted(SNAPSHOT.rglob("*")) if p.is_file()}


def _transcribed() -> set[str]:
    return {e["election_key"] for e in _json("election_commission", "elections.json")["elections"]}


def _researched() -> set[str]:
    return {r["election_key"] for r in _rows("crises_facts.csv")} | {r["election_key"] for r in _rows("election_totals.csv")}


def test_every_snapshot_record_parses_with_a_message_saying_how_to_write_it():
    files = [("election_commission/elections.json", parse_elections, "elections"),
             ("election_commission/decisions.json", parse_decisions, "decisions"),
             ("election_commission/results.csv", parse_party_results, None),
             ("health_ministry/bulletins.json", parse_bulletins, "bulletins"),
             ("observer_mission/statements.json", parse_statements, "statements")]
    problems = []
    for name, parse, _ in files:
        result = parse((SNAPSHOT / name).read_bytes(), f"snapshot/{name}")
        rejections = [r for parsed in (result if isinstance(result, list) else [result]) for r in parsed.rejected]
        for rejected in rejections:
            record = rejected.record if isinstance(rejected.record, dict) else {}
            election = record.get("election_key", "?")
            ident = (record.get("decision_id") or record.get("statement_id") or record.get("bulletin_id")
                     or record.get("list_name") or "")
            field = rejected.reason.split()[0]
            hint = next((h for cue, h in HINTS.items() if cue in rejected.reason), "see docs/contracts.md")
            problems.append(f"snapshot/{name} {rejected.locator} (election {election}{', ' + ident if ident else ''}), "
                            f"field {field}: {rejected.reason}. How to write it: {hint}")
    assert not problems, "\n".join(problems)


def test_reference_elections_not_yet_transcribed_are_reported():
    snapshot, reference = _transcribed(), _researched()
    unknown = sorted(snapshot - reference)
    assert not unknown, (f"snapshot/election_commission/elections.json has {unknown}, which the reference does not "
                         "have: research first (snapshot/README.md, step 1), then transcribe")
    missing = sorted(reference - snapshot)
    if missing:
        warnings.warn(f"not yet transcribed (in the reference, not in the snapshot): {', '.join(missing)}", stacklevel=1)


def test_every_casualty_report_is_carried_by_a_bulletin_with_its_source():
    bulletins = _json("health_ministry", "bulletins.json")["bulletins"]
    transcribed = _transcribed()
    for i, row in enumerate(_rows("casualty_reports.csv"), start=2):
        if row["election_key"] not in transcribed:
            continue
        value = int(row["value"])
        where = f"casualty_reports.csv line {i} ({row['election_key']}, {row['metric']} {value})"
        matches = [b for b in bulletins if b["election_key"] == row["election_key"]
                   and b["source_url"] == row["source_url"] and b["authority"] == row["reporting_authority"]]
        assert matches, (f"{where}: no bulletin in snapshot/health_ministry/bulletins.json with election_key "
                         f"{row['election_key']}, authority {row['reporting_authority']!r} and source_url {row['source_url']}")
        parts = sum_parts(row)
        if parts:
            assert any(all(_says(b["text"], part) for part in parts) for b in matches), (
                f"{where}: the reference records {value} as a researcher's sum of {parts}; a bulletin of "
                f"{[b['bulletin_id'] for b in matches]} must state each part as the authority published it")
            assert not any(value not in parts and _says(b["text"], value) for b in matches), (
                f"{where}: {value} is the researcher's sum of {parts}: a bulletin must not attribute it to "
                f"{row['reporting_authority']!r}")
        else:
            assert any(_says(b["text"], value) for b in matches), (
                f"{where}: {value} is in no bulletin text of {[b['bulletin_id'] for b in matches]}: write it in digits")
        for b in matches:
            expected = row["report_date"] or None
            assert (b["published_at"] or "").startswith(expected or "") and bool(b["published_at"]) == bool(expected), (
                f"bulletin {b['bulletin_id']}: published_at {b['published_at']!r}, reference report_date {expected!r}")


def test_the_extractor_reads_every_reference_figure_from_its_bulletin():
    """What the pipeline will derive: each figure (or each part of a researcher's sum) with its metric."""
    bulletins = _json("health_ministry", "bulletins.json")["bulletins"]
    transcribed = _transcribed()
    for i, row in enumerate(_rows("casualty_reports.csv"), start=2):
        if row["election_key"] not in transcribed:
            continue
        matches = [b for b in bulletins if b["election_key"] == row["election_key"]
                   and b["source_url"] == row["source_url"] and b["authority"] == row["reporting_authority"]]
        read = {(f.metric, f.value) for b in matches for f in extract_figures(b["text"], b.get("language"))}
        wanted = sum_parts(row) or [int(row["value"])]
        unread = [value for value in wanted if (row["metric"], value) not in read]
        assert not unread, (
            f"casualty_reports.csv line {i} ({row['election_key']}): the extractor reads no {row['metric']} "
            f"{unread} from bulletin(s) {[b['bulletin_id'] for b in matches]} (it reads {sorted(read)}): rephrase as "
            "one plain sentence per figure and check with `echo \"<text>\" | python -m ingestion.cli extract-casualties`")


def test_approximate_report_dates_are_flagged():
    bulletins = _json("health_ministry", "bulletins.json")["bulletins"]
    reports = _rows("casualty_reports.csv")
    for b in bulletins:
        rows = [r for r in reports if r["election_key"] == b["election_key"] and r["source_url"] == b["source_url"]
                and r["reporting_authority"] == b["authority"]]
        approximate = any(APPROXIMATE.search(r["qualifier"] or "") for r in rows)
        assert bool(b.get("published_at_is_approximate")) == approximate, (
            f"snapshot/health_ministry/bulletins.json {b['bulletin_id']}: published_at_is_approximate should be "
            f"{str(approximate).lower()} (the reference qualifier {'says' if approximate else 'does not say'} "
            "'date approximate')")


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
    transcribed = _transcribed()
    reference = [r for r in _rows("party_results.csv") if r["election_key"] in transcribed]
    extra = set(results) - {(r["election_key"], r["list_name"]) for r in reference}
    assert not extra, f"results.csv has lists the reference does not have: {sorted(extra)}"
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
        translated = TRANSLATION in row["list_name_english"]
        assert ours.get("english_name_is_researcher_translation", "") == ("true" if translated else "false"), (
            f"results.csv {row['election_key']} {row['list_name']!r}: english_name_is_researcher_translation must be "
            f"{'true' if translated else 'false'} (the reference {'marks' if translated else 'does not mark'} "
            f"the English name {TRANSLATION})")


TOTALS_FIELDS = {"registered_voters": ("registered_voters", "registered_voters_source_url"),
                 "votes_cast": ("total_votes_cast", "total_votes_cast_source_url"),
                 "valid_votes": ("valid_votes", "valid_votes_source_url"),
                 "turnout_pct": ("turnout_pct", "turnout_source_url"),
                 "threshold_pct": ("threshold_pct", "threshold_source_url"),
                 "lists_contesting": ("lists_contesting", "lists_contesting_source_url")}
FIGURES = ["registered_voters", "votes_cast", "valid_votes", "turnout_pct", "threshold_pct", "lists_contesting",
           "candidates_contesting", "seats_total"]


def _figure(cell: str, where: str) -> float | None:
    if not cell.strip():
        return None
    try:
        return float(cell)
    except ValueError:
        pytest.fail(f"{where}: reference cell {cell!r} is not one number, so no snapshot figure can be checked "
                    "against it; leave the snapshot field null and the detail in `note`")


def test_every_election_figure_equals_the_reference_and_names_its_source():
    facts = {r["election_key"]: r for r in _rows("crises_facts.csv")}
    totals = {r["election_key"]: r for r in _rows("election_totals.csv")}
    elections = {e["election_key"]: e for e in _json("election_commission", "elections.json")["elections"]}
    reference_text = (REFERENCE / "crises_facts.csv").read_text(encoding="utf-8") + (
        REFERENCE / "election_totals.csv").read_text(encoding="utf-8")
    for key, e in elections.items():
        where = f"snapshot/election_commission/elections.json {key}"
        sources = e.get("field_sources") or {}
        for field in FIGURES:
            if e.get(field) is not None:
                assert str(sources.get(field, "")).startswith("http"), (
                    f"{where}: {field} has no field_sources URL (add \"{field}\": \"<the URL it was read from>\")")
        for field, url in sources.items():
            assert url in reference_text, f"{where}: field_sources.{field} {url} appears nowhere in the reference"
        if e.get("seats_total") is not None:
            rows_text = " ".join(list(facts.get(key, {}).values()) + list(totals.get(key, {}).values()))
            assert re.search(rf"\b{e['seats_total']} (seats|single-member|members)", rows_text), (
                f"{where}: seats_total {e['seats_total']} is not stated in the reference rows")
        if key in totals:
            t = totals[key]
            for field, (col, url_col) in TOTALS_FIELDS.items():
                expected = _figure(t[col], f"election_totals.csv {key} {col}")
                assert e.get(field) == expected, f"{where}: {field} {e.get(field)!r}, reference {t[col]!r}"
                if e.get(field) is not None:
                    assert sources[field] in _urls(t[url_col]), f"{where}: {field} URL not in the reference cell {url_col}"
            continue
        if key not in facts:
            continue
        f = facts[key]
        row_urls = _urls(f["sources"])
        assert e.get("turnout_pct") == _figure(f["turnout_pct"], f"crises_facts.csv {key} turnout_pct"), (
            f"{where}: turnout_pct {e.get('turnout_pct')!r}, reference {f['turnout_pct']!r}")
        assert e.get("threshold_pct") == _figure(f["electoral_threshold_pct"], f"crises_facts.csv {key} electoral_threshold_pct"), (
            f"{where}: threshold_pct {e.get('threshold_pct')!r}, reference {f['electoral_threshold_pct']!r}")
        contesting = f["parties_or_lists_contesting"].strip()
        if e.get("lists_contesting") is not None:
            count = _LIST_COUNT.match(contesting)
            assert count and int(count.group(1)) == e["lists_contesting"], (
                f"{where}: lists_contesting {e['lists_contesting']}, but crises_facts.csv parties_or_lists_contesting "
                f"is {contesting!r}: lists_contesting is the count of lists or parties the cell starts with (12 in "
                "'12 parties + 5 independent candidates'); without one, leave it null and put the detail in `note`")
        if e.get("candidates_contesting") is not None:
            assert re.match(rf"{e['candidates_contesting']} (presidential )?candidates", contesting), (
                f"{where}: {e['candidates_contesting']} candidates, reference {contesting!r}")
        for field in ("registered_voters", "votes_cast"):
            if e.get(field) is not None:
                text = " ".join(f.values())
                assert f"{e[field]:,}" in text or f"{e[field]} " in text, f"{where}: {field} {e[field]} not in reference"
        for field, url in sources.items():
            assert url in row_urls, f"{where}: field_sources.{field} {url} is not among the reference's sources for {key}"


def test_dates_and_annulments_follow_the_reference():
    """Protest start and annulment as crises_facts.csv gives them, at its precision; NULL only where it has none."""
    elections = {e["election_key"]: e for e in _json("election_commission", "elections.json")["elections"]}
    decisions = _json("election_commission", "decisions.json")["decisions"]
    annulling = {"yes": "annulment", "partial": "partial_annulment", "disputed": "annulment_disputed"}
    for f in _rows("crises_facts.csv"):
        key = f["election_key"]
        if key not in elections:
            continue
        where = f"snapshot/election_commission/elections.json {key}"
        protest = elections[key].get("protest_start_date")
        leading = _LEADING_DATE.match(f["protest_start_date"])
        if protest is not None:
            assert leading and protest == leading.group(1), (
                f"{where}: protest_start_date {protest!r}, reference {f['protest_start_date']!r} (write the date at "
                f"the reference's precision: {DATE_FORMS})")
        kinds = {d["decision_type"] for d in decisions if d["election_key"] == key}
        expected = annulling.get(f["annulled"].strip().lower())
        found = kinds & set(annulling.values())
        where = f"snapshot/election_commission/decisions.json {key}"
        assert found == ({expected} if expected else set()), (
            f"{where}: reference annulled={f['annulled']!r} needs decision_type {expected or 'none of ' + str(sorted(annulling.values()))}, "
            f"found {sorted(found)}")
        if expected:
            dated = [d["decided_on"] for d in decisions if d["election_key"] == key and d["decision_type"] == expected]
            date = _LEADING_DATE.match(f["annulment_date"])
            assert dated == [date.group(1) if date else None], (
                f"{where}: {expected} decided_on {dated}, reference annulment_date {f['annulment_date']!r} "
                "(null when the reference gives none)")


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


def test_every_decision_and_statement_cites_one_of_its_elections_reference_sources():
    facts = {r["election_key"]: r for r in _rows("crises_facts.csv")}
    for family, file, key, ident in [("election_commission", "decisions.json", "decisions", "decision_id"),
                                     ("observer_mission", "statements.json", "statements", "statement_id")]:
        for record in _json(family, file)[key]:
            row = facts.get(record["election_key"])
            if row is None:
                continue
            assert record["source_url"] in _urls(row["sources"]), (
                f"snapshot/{family}/{file} {record[ident]} (election {record['election_key']}): source_url "
                f"{record['source_url']} is not among the crises_facts.csv sources of {record['election_key']}: "
                "cite the row's URL the fact was read from, copied whole")
