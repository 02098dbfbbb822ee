"""The casualty and observer analytics on the marts published by one real nightly run.

Each test queries the published file the way an analyst would (plain SQL on `data/marts.duckdb`)
and checks a figure the reference gives for a real crisis.
"""
from __future__ import annotations

import csv

import pytest

from tests.conftest import shared_file
from tests.support.reference_sums import sum_parts

pytestmark = pytest.mark.slow

AS_OF_QUERY = """
    select metric, value, authority
    from fct_casualty_knowledge_intervals
    where election_key = ? and is_primary_authority and counted = 'all'
      and cast(? as timestamptz) >= known_from
      and (superseded_at is null or cast(? as timestamptz) < superseded_at)
"""


def known_as_of(marts, election_key: str, moment: str) -> dict[str, int]:
    rows = marts.execute(AS_OF_QUERY, [election_key, moment, moment]).fetchall()
    metrics = [r[0] for r in rows]
    assert len(metrics) == len(set(metrics)), f"two current figures of one metric as of {moment}: {rows}"
    return {metric: value for metric, value, _ in rows}


def test_injured_as_of_noon_bishkek_on_6_october(marts):
    known = known_as_of(marts, "KGZ-2020-PARL", "2020-10-06 12:00+06")
    assert known["injured"] == 590, "686 (15:00) and 1,218 (9 Oct) were not yet published at noon"
    assert known_as_of(marts, "KGZ-2020-PARL", "2020-10-06 11:59+06")["injured"] == 121, (
        "590 was published in the morning of 6 Oct: before the morning ends it is not yet known")
    assert known_as_of(marts, "KGZ-2020-PARL", "2020-10-06 12:00 Asia/Bishkek")["injured"] == 590


def test_a_date_only_report_is_known_at_the_end_of_its_day(marts):
    assert known_as_of(marts, "KGZ-2020-PARL", "2020-10-09 12:00+06")["injured"] == 911
    assert known_as_of(marts, "KGZ-2020-PARL", "2020-10-10 00:00+06")["injured"] == 1218


def test_hospitalized_as_of_the_end_of_9_october(marts):
    assert known_as_of(marts, "KGZ-2020-PARL", "2020-10-09 23:59:59+06")["hospitalized"] == 228
    daily = dict(marts.execute("""
        select snapshot_date::varchar, value from fct_casualty_daily
        where election_key = 'KGZ-2020-PARL' and metric = 'hospitalized' and is_primary_authority and counted = 'all'
        order by snapshot_date""").fetchall())
    assert daily["2020-10-09"] == 228
    assert daily["2020-10-08"] == 205 and daily["2020-10-07"] == 205
    assert "2020-10-05" not in daily, "no hospitalized figure was known on 5 Oct"
    stale = marts.execute("""
        select days_since_report from fct_casualty_daily
        where election_key = 'KGZ-2020-PARL' and metric = 'hospitalized' and is_primary_authority and counted = 'all'
          and snapshot_date = date '2020-10-11'""").fetchone()
    assert stale == (2,)


def test_kyrgyzstan_2020_injured_revisions_and_growth(marts):
    row = marts.execute("""
        select first_value, latest_value, peak_value, revisions, growth_first_to_latest, growth_pct,
               has_drop, partial_reports
        from fct_casualty_summary
        where election_key = 'KGZ-2020-PARL' and metric = 'injured' and is_primary_authority and counted = 'all'""").fetchone()
    first, latest, peak, revisions, growth, growth_pct, has_drop, partial = row
    assert (first, latest, peak) == (121, 1218, 1218)
    assert revisions == 4, "590, 686, 911 and 1,218 revised the first 121"
    assert growth == 1097 and growth_pct == pytest.approx(906.6)
    assert has_drop is False
    assert partial == 1, "the one-incident bulletin of 10 Oct is counted beside the series, not in it"


def test_icu_count_falls_and_is_flagged_not_rejected(marts):
    row = marts.execute("""
        select first_value, latest_value, has_drop from fct_casualty_summary
        where election_key = 'KGZ-2020-PARL' and metric = 'icu'""").fetchone()
    assert row == (13, 1, True)


def test_kyrgyzstan_2005_dead_disagreement(marts):
    rows = marts.execute("""
        select authority_family_a, value_a, authority_family_b, value_b, disagree, reported_on::varchar
        from fct_casualty_disagreements
        where election_key = 'KGZ-2005-PARL' and metric = 'dead'""").fetchall()
    pair = [r for r in rows if "Health" in r[0] and r[2] == "RTR television"]
    assert pair == [("Kyrgyz Ministry of Health", 2, "RTR television", 5, True, "2005-03-25")]
    agreeing = [r for r in rows if {r[0], r[2]} == {"RTR television", "Rescuers (4) + ITAR-TASS"}]
    assert agreeing and agreeing[0][4] is False, "5 and 5 agree"


def test_published_series_figures_are_reference_figures(marts):
    with open(shared_file("reference", "casualty_reports.csv"), encoding="utf-8", newline="") as handle:
        reported = [r for r in csv.DictReader(handle) if r["value"].strip().isdigit()]
    # a researcher's sum (qualifier "5 criminal + 293 administrative") is published as its parts
    reference = {(r["election_key"], r["metric"], value, r["source_url"])
                 for r in reported for value in [int(r["value"]), *(sum_parts(r) or [])]}
    rows = marts.execute("""
        select election_key, metric, value, source_url from fct_casualty_knowledge_intervals
        where metric in ('dead', 'injured', 'hospitalized', 'detained')""").fetchall()
    assert rows
    unknown = [r for r in rows if r not in reference]
    assert not unknown, f"figures not in ../shared/reference/casualty_reports.csv: {unknown}"


def test_odihr_kyrgyzstan_2020_alleges_vote_buying_with_evidence(marts):
    rows = marts.execute("""
        select evidence_phrase, evidence_field, source_url from fct_observer_allegations
        where election_key = 'KGZ-2020-PARL' and organization = 'OSCE/ODIHR' and category = 'vote_buying'
    """).fetchall()
    assert len(rows) == 1
    phrase, field, url = rows[0]
    assert "vote buying" in phrase.lower() and field in ("text", "assessment")
    assert url.startswith("http")
    listed = marts.execute("""
        select allegations from fct_observer_findings
        where election_key = 'KGZ-2020-PARL' and organization = 'OSCE/ODIHR'""").fetchone()[0]
    assert "vote_buying" in listed


def test_observer_assessment_categories(marts):
    categories = dict(marts.execute("""
        select election_key || ' ' || organization, assessment_category from fct_observer_findings
        where statement_id in ('ven-2024-pres-carter-center', 'kgz-2020-parl-osce-odihr',
                               'kgz-2020-parl-cis')""").fetchall())
    assert categories == {
        "VEN-2024-PRES Carter Center": "negative",
        "KGZ-2020-PARL OSCE/ODIHR": "mixed",
        "KGZ-2020-PARL CIS": "positive",
    }
    unclassified = marts.execute(
        "select count(*) from fct_observer_findings where assessment_category is null").fetchone()[0]
    assert unclassified == 0
