"""The derive stage on the real snapshot: raw keeps bulletins as sent, figures are versioned.

One real run of extract (HTTP on 127.0.0.1), load and derive on the bundled snapshot plus one
SYNTHETIC bulletin in a language the extractor does not read, then dbt build; then a second
extractor version (the real extractor with one reading changed, "test-2") re-derives every
figure with the landing zone moved away and no publisher running, and dbt build again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil

import duckdb
import pytest

from ingestion.cli import main
from ingestion.loader import connect_warehouse, load_payload
from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage, extract_figures
from ingestion.pipeline import SNAPSHOT_ENV, derive_stage, extract_one, load_stage, transform_stage
from ingestion.registry import active_sources, get_source, load_registry
from ingestion.run_status import last_run
from ingestion.settings import Paths
from ingestion.snapshot_server import serve_snapshot
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

UNREAD = {  # synthetic: a bulletin in German, a language the extractor does not read
    "bulletin_id": "synthetic-de-1", "election_key": "KGZ-2020-PARL", "authority": "Synthetic Ministry",
    "published_at": "2020-10-06", "time_of_day": None, "timezone": "Asia/Bishkek", "language": "de",
    "text": "Synthetisch: Nach den Protesten wurden 12 Menschen verletzt.", "coverage": "overall",
    "coverage_note": None, "source_url": "https://example.org/synthetic/de-1",
}


def second_extractor(text: str, language: str | None = None):
    """The real extractor with one reading changed: every exact figure of the dead becomes 'at_least'."""
    return [dataclasses.replace(f, qualifier="at_least") if f.metric == "dead" and f.qualifier == "exact" else f
            for f in extract_figures(text, language)]


def tree_digest(folder) -> str:
    """Names and contents of every file below `folder` (the landing zone: payloads and manifests)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def query(paths: Paths, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Every step's outcome, in order, on one data directory."""
    root = tmp_path_factory.mktemp("derive")
    snapshot = root / "snapshot"
    shutil.copytree(REPO_ROOT / "snapshot", snapshot)
    bulletins_file = snapshot / "health_ministry" / "bulletins.json"
    document = json.loads(bulletins_file.read_text(encoding="utf-8"))
    document["bulletins"].append(UNREAD)
    bulletins_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    paths = Paths(root / "data")
    seen: dict = {"paths": paths, "sent": document["bulletins"]}
    with serve_snapshot(snapshot) as base_url:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(SNAPSHOT_ENV, base_url)
            for source in active_sources():
                extract_one(source.id, "2026-01-01", paths)
    seen["load"] = load_stage("derive-1", paths)
    seen["first"] = derive_stage("derive-1", paths)
    transform_stage("derive-1", paths, echo=None)
    seen["marts_v1"] = query(paths, "select casualty_report_id, metric, value, qualifier, extractor_version "
                                    "from marts.fct_casualty_reports order by 1")
    seen["derived_v1"] = query(paths, "select * exclude (derived_at) from derived.casualty_figures order by all")
    seen["issues_v1"] = query(paths, "select bulletin_id, extractor_version, language, reason "
                                     "from derived.derivation_issues")
    seen["again"] = derive_stage("derive-2", paths)
    seen["derived_again"] = query(paths, "select * exclude (derived_at) from derived.casualty_figures order by all")
    # the second version: no publisher is running and the landing zone is not where it was
    landing_before = tree_digest(paths.landing)
    parked = root / "landing-parked"
    paths.landing.rename(parked)
    try:
        seen["second"] = derive_stage("derive-3", paths, extract=second_extractor, version="test-2")
    finally:
        parked.rename(paths.landing)
    seen["landing_unchanged"] = tree_digest(paths.landing) == landing_before
    transform_stage("derive-3", paths, echo=None)
    seen["marts_v2"] = query(paths, "select casualty_report_id, metric, value, qualifier, extractor_version "
                                    "from marts.fct_casualty_reports order by 1")
    return seen


def test_raw_bulletins_are_the_records_as_sent(run):
    paths, sent = run["paths"], run["sent"]
    fields = sorted({k for record in sent for k in record})
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        cursor = con.execute(f"select {', '.join(fields)}, _extra, _record_locator from raw.casualty_bulletins")
        names = [d[0] for d in cursor.description]
        stored = {row["_record_locator"]: row for row in (dict(zip(names, r)) for r in cursor.fetchall())}
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()}
    finally:
        con.close()
    assert len(stored) == len(sent) == 75
    for i, record in enumerate(sent):
        row = stored[f"bulletins[{i}]"]
        assert {k: row[k] for k in record} == record, f"bulletins[{i}] is not stored as sent"
        assert all(row[k] is None for k in fields if k not in record), f"bulletins[{i}]: a field it lacks is not NULL"
        assert row["_extra"] is None
    assert "casualty_figures" not in tables, "load no longer reads figures into raw"


def test_first_derive_reads_every_bulletin_and_records_the_unreadable_one(run):
    first = run["first"]
    assert run["load"]["moh_bulletins"]["rows_quarantined"] == 0, "an unreadable bulletin still loads as sent"
    assert (first["bulletins_derived"], first["issues"], first["quarantined"]) == (75, 1, 1), first
    assert first["figures"] == len(run["derived_v1"]) == len(run["marts_v1"]) > 74
    assert first["rederivation"] is False and first["extractor_version"] == EXTRACTOR_VERSION
    assert {r[4] for r in run["marts_v1"]} == {EXTRACTOR_VERSION}
    issues = run["issues_v1"]
    assert len(issues) == 1
    bulletin_id, version, language, reason = issues[0]
    assert (bulletin_id, version, language) == ("synthetic-de-1", EXTRACTOR_VERSION, "de")
    assert "synthetic-de-1" in reason and "de" in reason and "fix" in reason, reason
    assert not any(r[0].startswith("synthetic-de-1") for r in run["marts_v1"]), "no figure of it reaches the marts"
    assert last_run(run["paths"])["stages"]["derive"]["quarantined"] >= 1


def test_status_shows_the_quarantined_count(run, capsys, monkeypatch):
    monkeypatch.setenv("ECW_DATA_DIR", str(run["paths"].data_dir))
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "derive" in out and "1 quarantined" in out, out
    assert "synthetic-de-1" in out, out


def test_rerun_with_the_same_extractor_derives_nothing(run):
    again = run["again"]
    assert (again["bulletins_derived"], again["figures"], again["rederivation"]) == (0, 0, False), again
    assert again["quarantined"] == 1, "the issue is still counted"
    assert run["derived_again"] == run["derived_v1"]


def test_second_extractor_version_rederives_every_figure_without_fetching(run):
    second = run["second"]
    assert (second["bulletins_derived"], second["rederived"], second["rederivation"]) == (75, 75, True), second
    assert second["figures"] == run["first"]["figures"]
    assert run["landing_unchanged"], "the landing zone (payloads and manifests) is untouched"
    versions = query(run["paths"], "select extractor_version, count(*) from derived.casualty_figures group by 1")
    assert versions == [("test-2", second["figures"])], "no figure of version 1 is left"
    assert query(run["paths"], "select count(*) from derived.derivation_issues where extractor_version = 'test-2'") == [(1,)]


def test_marts_say_which_version_read_each_figure(run):
    before, after = run["marts_v1"], run["marts_v2"]
    assert [r[0] for r in after] == [r[0] for r in before]
    assert {r[4] for r in after} == {"test-2"}
    changed = [(b[0], b[3], a[3]) for b, a in zip(before, after) if b[3] != a[3]]
    expected = [(b[0], "exact", "at_least") for b in before if b[1] == "dead" and b[3] == "exact"]
    assert changed == expected and changed, "exactly the changed reading reaches fct_casualty_reports"


def test_an_old_warehouse_keeps_its_raw_figures_unused(tmp_path):
    """A warehouse loaded before the derive stage keeps raw.casualty_figures; derive neither reads nor drops it."""
    paths = Paths(tmp_path)
    con = connect_warehouse(paths.warehouse)
    con.execute("create table raw.casualty_figures (bulletin_id varchar, value bigint)")
    con.execute("insert into raw.casualty_figures values ('old', 1)")
    con.close()
    outcome = derive_stage("old-warehouse", paths)
    assert (outcome["bulletins_derived"], outcome["figures"]) == (0, 0)
    assert query(paths, "select * from raw.casualty_figures") == [("old", 1)]
    assert query(paths, "select count(*) from derived.casualty_figures") == [(0,)]


@dataclasses.dataclass(frozen=True)
class RichFigure:
    """A figure with every field of the shared CasualtyFigure interface (who was counted, scope, offsets...)."""
    metric: str
    value: int
    value_high: int | None
    qualifier: str
    evidence: str
    counted: str
    scope: str
    part_of: int | None
    language: str
    start: int
    end: int
    cues: dict


def rich_extractor(text: str, language: str | None = None):
    """SYNTHETIC readings: a total and its part; German is refused as the real extractor refuses a language."""
    if language == "de":
        raise UnsupportedLanguage("de", ("en", "es", "pt", "fr", "ru", "pl", "sk"))
    sentence = text.split(".")[0] + "."
    return [RichFigure("injured", 40, None, "exact", sentence, "protesters", "total", None, "en", 0, len(sentence),
                       {"metric": "injured"}),
            RichFigure("injured", 5, None, "exact", sentence, "protesters", "part", 0, "en", 0, len(sentence),
                       {"part": "of them"})]


def test_every_field_of_a_figure_is_derived_and_a_refused_language_is_an_issue(tmp_path):
    paths = Paths(tmp_path)
    records = [dict(UNREAD, bulletin_id="synthetic-en-1", language="en",
                    text="Synthetic: 40 protesters were injured, 5 of them seriously."), dict(UNREAD)]
    con = connect_warehouse(paths.warehouse)
    loaded, _, _ = load_payload(con, get_source("moh_bulletins"), "synthetic-sha", "2026-01-01T00:00:00+00:00",
                                json.dumps({"bulletins": records}).encode())
    con.close()
    assert loaded == 2
    outcome = derive_stage("rich", paths, extract=rich_extractor, version="rich-1")
    assert (outcome["bulletins_derived"], outcome["figures"], outcome["issues"]) == (2, 2, 1), outcome
    figures = query(paths, "select figure_index, counted, scope, part_of, language, evidence_start, evidence_end, "
                           "cues->>'part', extractor_version, reported_precision, reported_from::varchar "
                           "from derived.casualty_figures order by figure_index")
    end = len("Synthetic: 40 protesters were injured, 5 of them seriously.")
    assert figures == [(0, "protesters", "total", None, "en", 0, end, None, "rich-1", "day", figures[0][10]),
                       (1, "protesters", "part", 0, "en", 0, end, "of them", "rich-1", "day", figures[0][10])]
    assert figures[0][10].startswith("2020-10-0"), "the report interval is derived from published_at"
    (reason,) = query(paths, "select reason from derived.derivation_issues")[0]
    assert "synthetic-de-1" in reason and "'de'" in reason and "fix" in reason and "EXTRACTOR_VERSION" in reason


def test_a_republished_file_reads_only_the_bulletins_that_changed(tmp_path):
    """A new payload repeating unchanged bulletins copies their figures (and issues) from the copy
    this version read; only a changed or new bulletin goes through the extractor."""
    paths = Paths(tmp_path)
    read: list[str] = []

    def counting(text: str, language: str | None = None):
        read.append(text)
        return rich_extractor(text, language)

    english = dict(UNREAD, bulletin_id="synthetic-en-1", language="en",
                   text="Synthetic: 40 protesters were injured, 5 of them seriously.")
    revised = dict(english, bulletin_id="synthetic-en-2", text="Synthetic: 41 protesters were injured.")
    con = connect_warehouse(paths.warehouse)
    load_payload(con, get_source("moh_bulletins"), "sha-first", "2026-01-01T00:00:00+00:00",
                 json.dumps({"bulletins": [english, dict(UNREAD), dict(revised, text="Synthetic: 39 injured.")]}).encode())
    con.close()
    first = derive_stage("first", paths, extract=counting, version="rich-1")
    assert (len(read), first["reused"]) == (3, 0)

    con = connect_warehouse(paths.warehouse)  # the same file again, one bulletin's text changed, one time changed
    load_payload(con, get_source("moh_bulletins"), "sha-second", "2026-01-02T00:00:00+00:00",
                 json.dumps({"bulletins": [english, dict(UNREAD), revised]}).encode())
    con.close()
    read.clear()
    second = derive_stage("second", paths, extract=counting, version="rich-1")
    assert read == [revised["text"]], "only the changed bulletin is read again"
    assert (second["bulletins_derived"], second["reused"], second["issues"]) == (1, 2, 1), second
    figures = """select figure_index, metric, value, qualifier, evidence, counted, scope, part_of, cues::varchar,
                        reported_from, extractor_version from derived.casualty_figures
                 where bulletin_id = ? and _payload_sha256 = ? order by figure_index"""
    assert query(paths, figures, ["synthetic-en-1", "sha-second"]) == query(paths, figures, ["synthetic-en-1", "sha-first"])
    assert len(query(paths, figures, ["synthetic-en-1", "sha-second"])) == 2
    (reason,) = query(paths, "select reason from derived.derivation_issues where _payload_sha256 = 'sha-second'")[0]
    assert "synthetic-de-1" in reason and "sha-second"[:12] in reason and "sha-first" not in reason
    assert query(paths, "select count(*) from derived.derivations where _payload_sha256 = 'sha-second'") == [(3,)]
