"""Follow snapshot/README.md "Adding a new election" on a temporary copy, then run its check command.

Everything added here is SYNTHETIC (labelled so, URLs on example.org) and lives only in the test's
temporary copy of the snapshot and the reference; the real folders are never written.
"""
from __future__ import annotations

import csv
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"
KEY = "KGZ-2015-PARL"  # a key the real reference does not use; the election itself is made up
# a correctly copied URL that ends in ")" (as Wikipedia URLs with a parenthesis do)
URL = "https://example.org/synthetic/wiki/Synthetic_election_(2015)"
BULLETIN_URL = "https://example.org/synthetic/bulletin-1"

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason=f"{REFERENCE} is absent")


def _writable_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return target


def _append_csv(path: Path, rows: list[dict]) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})


def _edit_json(path: Path, key: str, records: list[dict]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document[key].extend(records)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _check(snapshot: Path, reference: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "check_snapshot.py"), "--snapshot", str(snapshot),
                           "--reference", str(reference)], capture_output=True, text=True, timeout=300)


@pytest.fixture()
def added(tmp_path):
    """A snapshot and reference copy with one synthetic election added step by step as the guide says."""
    reference = _writable_copy(REFERENCE, tmp_path / "reference")
    snapshot = _writable_copy(REPO / "snapshot", tmp_path / "snapshot")
    # 1. Research first: the reference rows (synthetic), each value with its URL.
    _append_csv(reference / "crises_facts.csv", [{
        "election_key": KEY, "country": "Kyrgyzstan", "iso3": "KGZ", "election_type": "parliamentary",
        "election_date": "2015-10-04", "turnout_pct": "50.5",
        "parties_or_lists_contesting": "12 parties + 5 independent candidates",
        "annulled": "no", "protest_start_date": "2015-10 (synthetic: month only)",
        "outcome": "synthetic: an early election after a deadlock", "sources": f"{URL}; {BULLETIN_URL}"}])
    _append_csv(reference / "casualty_reports.csv", [
        {"election_key": KEY, "report_date": "2015-10-06", "reporting_authority": "Synthetic Ministry of Health",
         "metric": "injured", "value": "7", "qualifier": "3 police + 4 civilians", "source_url": BULLETIN_URL,
         "quoted_sentence": "Synthetic quoted sentence that the snapshot must never copy word for word."},
        {"election_key": KEY, "report_date": "2015-10-06", "reporting_authority": "Synthetic Ministry of Health",
         "metric": "dead", "value": "1", "qualifier": "date approximate", "source_url": BULLETIN_URL,
         "quoted_sentence": "Another synthetic quoted sentence of the made-up ministry."}])
    # 2. elections.json: one record, each figure with its field_sources URL.
    _edit_json(snapshot / "election_commission" / "elections.json", "elections", [{
        "election_key": KEY, "country": "Kyrgyzstan", "election_type": "parliamentary", "chamber": None,
        "round": None, "election_date": "2015-10-04", "registered_voters": None, "votes_cast": None,
        "valid_votes": None, "turnout_pct": 50.5, "threshold_pct": None, "lists_contesting": 12,
        "candidates_contesting": None, "seats_total": None, "protest_start_date": "2015-10",
        "result_stage": None, "next_election_key": None, "source_url": URL,
        "field_sources": {"turnout_pct": URL, "lists_contesting": URL},
        "note": "SYNTHETIC election added by tests/unit/test_adding_an_election.py."}])
    # 4. decisions.json: not annulled, so no annulling decision; 5. one bulletin per source and authority.
    _edit_json(snapshot / "health_ministry" / "bulletins.json", "bulletins", [{
        "bulletin_id": "synthetic-kgz-2015-moh", "election_key": KEY, "authority": "Synthetic Ministry of Health",
        "published_at": "2015-10-06", "published_at_is_approximate": True, "time_of_day": None,
        "timezone": "Asia/Bishkek", "language": "en",
        "text": "The synthetic ministry says 3 police officers were injured. 4 civilians were also injured. "
                "One person died.",
        "source_url": BULLETIN_URL, "coverage": "overall", "coverage_note": None}])
    # 6. statements.json: one statement, in plain phrases the allegation taxonomy reads.
    _edit_json(snapshot / "observer_mission" / "statements.json", "statements", [{
        "statement_id": "synthetic-kgz-2015-mission", "election_key": KEY, "organization": "Synthetic Mission",
        "mission_type": "international", "head_of_mission": None, "statement_type": "final_report",
        "published_on": "2015-11", "assessment": "Synthetic: the vote was competitive but marred by vote buying.",
        "text": "Synthetic findings: observers saw vote buying and pressure on voters.", "source_url": URL}])
    return snapshot, reference


def _edit_last(path, key: str, field: str, value) -> None:
    """Set `field` of the last record under `key` in a snapshot JSON file (the record the test added)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document[key][-1][field] = value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_an_election_added_as_the_guide_says_passes_the_check(added):
    snapshot, reference = added
    done = _check(snapshot, reference)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "agrees with" in done.stdout


def test_a_sum_written_in_the_authoritys_mouth_is_refused(added):
    snapshot, reference = added
    _edit_last(snapshot / "health_ministry" / "bulletins.json", "bulletins", "text",
               "The synthetic ministry says 7 people were injured. one person died.")
    done = _check(snapshot, reference)
    assert done.returncode != 0
    assert "researcher's sum of [3, 4]" in done.stdout, done.stdout


def test_a_compound_count_gets_a_message_naming_file_election_field_and_how(added):
    snapshot, reference = added
    _edit_last(snapshot / "election_commission" / "elections.json", "elections", "lists_contesting",
               "12 parties + 5 independent candidates")
    done = _check(snapshot, reference)
    assert done.returncode != 0
    line = next((l for l in done.stdout.splitlines() if "lists_contesting" in l and KEY in l), "")
    assert "snapshot/election_commission/elections.json" in line and "How to write it: write one whole number" in line, \
        done.stdout


def test_a_reference_election_not_yet_in_the_snapshot_is_reported_not_failed(added):
    snapshot, reference = added
    _append_csv(reference / "crises_facts.csv", [{
        "election_key": "KGZ-2016-REF", "country": "Kyrgyzstan", "iso3": "KGZ", "election_type": "referendum",
        "election_date": "2016-12-11", "annulled": "no", "sources": "https://example.org/synthetic/referendum"}])
    done = _check(snapshot, reference)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not yet transcribed" in done.stdout and "KGZ-2016-REF" in done.stdout, done.stdout
