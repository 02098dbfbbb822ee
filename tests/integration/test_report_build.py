"""The report's build without a browser: research marts are used when published and skipped with
a note when not, and the output directory is swapped whole.

The research marts below are SYNTHETIC (made here, values labelled as such in their ids), added to
a copy of real published marts, in the column layout of the breadth issue's models.
"""
from __future__ import annotations

import os
import re
import shutil

import duckdb
import pytest

from ingestion.report.build import build_report, page_name
from ingestion.settings import Paths

SYNTHETIC_RESEARCH = """
create or replace table fct_electoral_violence_events as
select 'SYNTHETIC-EVENT-' || i as event_id, $key as election_key, 10 + i as deaths_best, 5 + i as deaths_low,
       20 + i as deaths_high from range(3) t(i);
create or replace table fct_election_integrity as
select * from (values
    ('pei', 'SYNTHETIC-PEI-1', $key, 41.5, 38.0, 45.0, 4.2, null, null),
    ('nelda', 'SYNTHETIC-NELDA-1', $key, null, null, null, null, 'yes', 'answered')
) t(source, source_election_id, election_key, pei_indexp, pei_indexp_lci, pei_indexp_hci, pei_rating,
    nelda_post_election_riots, nelda_post_election_riots_status);
create or replace table fct_source_agreement as
select $key as election_key, 'SYNTHETIC question' as question, 'disagree' as agreement, 'yes' as commission_answer,
       'no' as nelda_answer;
"""


@pytest.fixture(scope="module")
def published(snapshot_night) -> Paths:
    return snapshot_night.paths


@pytest.fixture
def with_research(published, tmp_path):
    """A copy of the published marts plus SYNTHETIC research marts for one real crisis."""
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    shutil.copyfile(os.path.realpath(published.marts), paths.marts)
    con = duckdb.connect(str(paths.marts))
    key = con.execute("select election_key from election_crises where deaths_latest is not null "
                      "order by election_key limit 1").fetchone()[0]
    con.execute(SYNTHETIC_RESEARCH.replace("$key", f"'{key}'"))
    con.close()
    return paths, key


def test_research_marts_are_shown_when_published(with_research):
    paths, key = with_research
    outcome = build_report(paths)
    assert outcome.notes == []
    page = (outcome.directory / page_name(key)).read_text(encoding="utf-8")
    assert re.search(r'data-col="deaths_best" data-value="33"', page)  # 10 + 11 + 12
    assert re.search(r'data-col="events" data-value="3"', page)
    assert "SYNTHETIC-PEI-1" in page and 'data-value="41.5"' in page
    assert "post election riots: yes" in page
    assert 'id="table-agreement"' in page and "SYNTHETIC question" in page
    index = (outcome.directory / "index.html").read_text(encoding="utf-8")
    assert 'id="overview-deaths-bar-2-0"' in index  # a third column of bars: DECO's
    assert "DECO (UCDP), best estimate" in index


def test_absent_marts_and_columns_are_notes_not_errors(with_research):
    paths, key = with_research
    con = duckdb.connect(str(paths.marts))
    con.execute("drop table fct_electoral_violence_events")
    con.execute("alter table fct_election_integrity drop column source")  # an older layout
    con.close()
    outcome = build_report(paths)
    assert any("fct_electoral_violence_events is not published yet" in n for n in outcome.notes)
    assert any("fct_election_integrity has no column source" in n for n in outcome.notes)
    page = (outcome.directory / page_name(key)).read_text(encoding="utf-8")
    assert "fct_electoral_violence_events is not published yet" in page
    assert 'id="table-agreement"' in page


def test_a_rebuild_replaces_the_report_and_keeps_screenshots(with_research):
    paths, _ = with_research
    first = build_report(paths)
    (first.directory / "screenshots").mkdir()
    (first.directory / "screenshots" / "index.png").write_bytes(b"kept")
    (first.directory / "stale.html").write_text("from an older build", encoding="utf-8")
    second = build_report(paths)
    assert not (second.directory / "stale.html").exists()
    assert (second.directory / "screenshots" / "index.png").read_bytes() == b"kept"
    assert sorted(p.name for p in second.directory.glob("*.html")) == sorted(second.pages)
    assert not list(paths.data_dir.glob(".report.*"))


def test_ecw_report_without_published_marts_says_what_to_do(tmp_path, monkeypatch, capsys):
    from ingestion.cli import main

    monkeypatch.setenv("ECW_DATA_DIR", str(tmp_path))
    assert main(["report"]) == 2
    assert "run `make run` or `ecw run` first" in capsys.readouterr().err


def test_ecw_report_prints_where_and_what_it_skipped(with_research, monkeypatch, capsys):
    from ingestion.cli import main

    paths, _ = with_research
    con = duckdb.connect(str(paths.marts))
    con.execute("drop table fct_source_agreement")
    con.close()
    monkeypatch.setenv("ECW_DATA_DIR", str(paths.data_dir))
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert str(paths.data_dir / "report" / "index.html") in out
    assert "skipped: Source agreement: not in these marts: fct_source_agreement is not published yet" in out
