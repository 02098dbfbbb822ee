"""Dates at the precision the source gives: parsed as sent, refused with the accepted forms, loadable."""
from __future__ import annotations

import json

import duckdb
import pytest

from ingestion.loader import _ensure_table
from ingestion.parsers.common import RecordError, as_partial_date, date_precision, period_start
from ingestion.parsers.election_commission import ELECTION_COLUMNS, parse_decisions, parse_elections


@pytest.mark.parametrize("sent, precision", [("2019-06-20", "day"), ("2019-06", "month"), ("2019", "year")])
def test_day_month_and_year_are_kept_as_sent(sent, precision):
    assert as_partial_date(sent, "protest_start_date") == sent
    assert date_precision(sent) == precision
    assert period_start(sent) == {"day": "2019-06-20", "month": "2019-06-01", "year": "2019-01-01"}[precision]


@pytest.mark.parametrize("sent", ["Dec 2019", "2019-13", "2019-02-30", "20-06-2019", "2019/06"])
def test_other_forms_are_refused_naming_the_field_and_the_forms(sent):
    with pytest.raises(RecordError) as error:
        as_partial_date(sent, "decided_on")
    assert "decided_on" in str(error.value) and "YYYY-MM-DD" in str(error.value) and "YYYY-MM" in str(error.value)


def test_a_month_in_the_future_is_refused_unless_allowed():
    with pytest.raises(RecordError, match="in the future"):
        as_partial_date("2999-01", "published_on")
    assert as_partial_date("2999-01", "rerun_date", allow_future=True) == "2999-01"


def _election(**fields):
    record = {"election_key": "KGZ-2019-PARL", "country": "Kyrgyzstan", "election_date": "2019-10-04",
              "source_url": "https://example.org/synthetic"}
    record.update(fields)
    return json.dumps({"elections": [record]}).encode()


def test_a_protest_known_to_the_year_of_the_election_is_not_before_it():
    parsed = parse_elections(_election(protest_start_date="2019", protest_start_date_is_approximate="yes"), "synthetic")
    assert not parsed.rejected and parsed.records[0]["protest_start_date"] == "2019"
    assert parsed.records[0]["protest_start_date_is_approximate"] is True


def test_an_undated_annulment_is_a_valid_record():
    body = json.dumps({"decisions": [{"decision_id": "synthetic-1", "election_key": "KGZ-2019-PARL",
                                      "decision_type": "annulment", "decided_on": None, "decided_by": "Synthetic Court",
                                      "body_type": "court", "source_url": "https://example.org/synthetic"}]}).encode()
    parsed = parse_decisions(body, "synthetic")
    assert not parsed.rejected and parsed.records[0]["decided_on"] is None


def test_a_raw_table_typed_date_before_is_widened_to_keep_a_month():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.elections (election_key varchar, election_date date, protest_start_date date)")
    con.execute("insert into raw.elections values ('KGZ-2018-PARL', '2018-10-04', null)")
    _ensure_table(con, "elections", ELECTION_COLUMNS)
    con.execute("insert into raw.elections (election_key, election_date, protest_start_date) "
                "values ('KGZ-2019-PARL', '2019-10-04', '2019-06')")
    assert con.execute("select election_date, protest_start_date from raw.elections order by 1").fetchall() == [
        ("2018-10-04", None), ("2019-10-04", "2019-06")]
