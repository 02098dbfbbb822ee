"""Research datasets through the real path: HTTP on 127.0.0.1 → landing → DuckDB's CSV reader → raw.

The files here are synthetic, written by the tests in each publisher's format (labelled so in
their first data row where the format allows); the real files are read from ../shared/data.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.extract import extract_source
from ingestion.loader import load_new_payloads
from ingestion.parsers.research import DECO, NELDA, PARLGOV
from ingestion.registry import get_source
from ingestion.settings import Paths
from ingestion.snapshot_server import serve_snapshot
from ingestion.tabular import column_names
from tests.conftest import shared_file

FILES = {"deco": "research/deco/DECO_v.1.0.csv", "parlgov": "research/parlgov/view_election_2024.csv",
         "pei": "research/pei/PEI_7.0_election_level.tab", "nelda": "research/nelda/nelda.csv"}


def _csv(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def deco_row(event_id: str, **values: str) -> list[str]:
    """A synthetic DECO event in v1.0's column order (Kenya, G-W 501, 2007)."""
    base = {c: "" for c in DECO.layouts[0].required + DECO.layouts[0].optional}
    base.update(id=event_id, type_of_violence="3", country_id="501", country="Kenya", region="Africa", year="2007",
                date_start="12/30/2007", date_end="12/30/2007", best="2", high="3", low="2", side_a="synthetic",
                electoral_vio="1", electoral_timing="3", electoral_type="1,3", electoral_targets="-99",
                electoral_purpose="NA", source_article="synthetic test row")
    base.update(values)
    return [base[c] for c in DECO_HEADER]


DECO_HEADER = list(DECO.layouts[0].required[:10]) + ["source_article"] + list(DECO.layouts[0].required[10:])


def load(tmp_path: Path, files: dict[str, bytes], sources=("deco", "parlgov", "pei", "nelda"), day="2026-12-01"):
    """Serve `files` (source id → body) over HTTP, extract and load them into tmp_path's warehouse."""
    root = tmp_path / "snapshot"
    for source_id, body in files.items():
        target = root / FILES[source_id]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    paths = Paths(tmp_path / "data")
    with serve_snapshot(root) as base:
        os.environ["ECW_SNAPSHOT_BASE_URL"] = base
        os.environ["ECW_NELDA_URL"] = base + "/" + FILES["nelda"]
        try:
            for source_id in files:
                extract_source(get_source(source_id), paths, day)
        finally:
            os.environ.pop("ECW_NELDA_URL", None)
            os.environ.pop("ECW_SNAPSHOT_BASE_URL", None)
    outcomes = {o.source: o for o in load_new_payloads([get_source(s) for s in sources], paths)}
    return paths, outcomes


def query(paths: Paths, sql: str, *params):
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_header_names_keep_the_lower_case_cell_when_two_differ_only_in_case():
    # PEI 7.0 has LAWS (an empty section marker) before laws (the index)
    assert column_names(["LAWS", "laws", "Refno", "P1 Name"]) == ["laws_2", "laws", "refno", "p1_name"]


def test_every_research_table_exists_before_any_file_arrives(tmp_path):
    paths, _ = load(tmp_path, {})
    tables = {r[0] for r in query(paths, "select table_name from duckdb_tables() where schema_name = 'raw'")}
    assert {"deco_events", "parlgov_election_classic", "parlgov_election_2024", "pei_elections",
            "nelda_elections"} <= tables


def test_deco_traps_are_kept_as_sent_or_quarantined_with_a_reason(tmp_path):
    rows = [deco_row("1"), deco_row("2", best="-99", high="NA", low=""), deco_row("1"),  # row 3 repeats row 1
            deco_row("3", country_id="999"), deco_row("4", year="1989", country_id="501")]
    body = _csv(DECO_HEADER, rows).encode()
    body += b'"5","3","1"\n'  # a line cut short
    paths, outcomes = load(tmp_path, {"deco": body}, sources=("deco",))
    assert outcomes["deco"].errors == []
    loaded = query(paths, "select id, best, high, low from raw.deco_events order by id")
    assert loaded == [("1", "2", "3", "2"), ("2", "-99", "NA", ""), ("4", "2", "3", "2")]
    reasons = dict(query(paths, "select record_locator, reason from raw.quarantine where source = 'deco'"))
    assert reasons["row 3"] == "exact duplicate of row 1"
    unresolved = [r for r in reasons.values() if "resolves to no country" in r]
    assert len(unresolved) == 1 and "'999'" in unresolved[0] and "gw code in year" in unresolved[0]
    assert any(r.startswith("unreadable line") for r in reasons.values()), reasons
    # the quarantined record is kept whole, as JSON, so nothing is lost
    record = query(paths, "select record from raw.quarantine where reason like '%999%'")[0][0]
    assert json.loads(record)["id"] == "3"


def test_parlgov_layout_is_read_from_the_header(tmp_path):
    classic = _csv(list(PARLGOV.layouts[0].required),
                   [["DEU", "Germany", "parliament", "2021-09-26", "25.7", "206", "736", "SPD", "Sozialdemokratische Partei Deutschlands",
                     "Social Democratic Party of Germany", "54", "2001", "558"]])
    paths, outcomes = load(tmp_path, {"parlgov": classic.encode()}, sources=("parlgov",))
    assert outcomes["parlgov"].errors == []
    assert query(paths, "select count(*) from raw.parlgov_election_classic")[0][0] == 1
    new_layout = _csv(list(PARLGOV.layouts[1].required) + ["description"],
                      [["DEU", "2021-09-26", "parliament", "SPD", "206", "25.7", "11955434", "2001", "558", "synthetic"]])
    paths2, outcomes = load(tmp_path / "second", {"parlgov": new_layout.encode()}, sources=("parlgov",))
    assert outcomes["parlgov"].errors == []
    assert query(paths2, "select country, votes from raw.parlgov_election_2024") == [("DEU", "11955434")]
    assert query(paths2, "select count(*) from raw.parlgov_election_classic")[0][0] == 0


def test_a_renamed_column_fails_the_source_naming_it_and_the_last_good_file_stays(tmp_path):
    header = list(PARLGOV.layouts[0].required)
    row = ["DEU", "Germany", "parliament", "2021-09-26", "25.7", "206", "736", "SPD", "SPD", "SPD", "54", "2001", "558"]
    paths, _ = load(tmp_path, {"parlgov": _csv(header, [row]).encode()}, sources=("parlgov",), day="2026-12-01")
    renamed = [("date_of_election" if c == "election_date" else c) for c in header]
    _, outcomes = load(tmp_path, {"parlgov": _csv(renamed, [row]).encode()}, sources=("parlgov",), day="2026-12-02")
    (error,) = outcomes["parlgov"].errors
    assert "election_date" in error and "parlgov_classic" in error and "research.py" in error
    statuses = [r[0] for r in query(paths, "select status from raw.loaded_payloads where source = 'parlgov' order by fetched_at")]
    assert statuses == ["loaded", "rejected"]
    assert query(paths, "select count(*) from raw.parlgov_election_classic")[0][0] == 1


def test_an_added_column_is_kept(tmp_path):
    header = list(PARLGOV.layouts[0].required)
    row = ["DEU", "Germany", "parliament", "2021-09-26", "25.7", "206", "736", "SPD", "SPD", "SPD", "54", "2001", "558"]
    paths, _ = load(tmp_path, {"parlgov": _csv(header, [row]).encode()}, sources=("parlgov",), day="2026-12-01")
    _, outcomes = load(tmp_path, {"parlgov": _csv(header + ["Vote Count"], [row + ["11955434"]]).encode()},
                       sources=("parlgov",), day="2026-12-02")
    assert outcomes["parlgov"].errors == []
    assert query(paths, "select vote_count from raw.parlgov_election_classic where vote_count is not null") == [("11955434",)]


def test_nelda_latin1_and_unpadded_dates_arrive_as_written(tmp_path):
    header = list(NELDA.layouts[0].required) + ["notes"]
    flags = ["yes" if n == 29 else "N/A" if n == 33 else "unclear" if n == 47 else "no" for n in range(1, 59)]
    rows = [["CIV", "437", "Côte d'Ivoire", "CIV-2010-1", "2010", "1128", "Executive", *flags, "synthetic"],
            ["XXX", "9999", "Nowhere", "XXX-2010-1", "2010", "315", "Legislative/Parliamentary", *flags, "synthetic"]]
    body = _csv(header, rows).encode("latin-1")
    paths, outcomes = load(tmp_path, {"nelda": body}, sources=("nelda",))
    assert outcomes["nelda"].errors == []
    assert query(paths, "select country, mmdd, nelda29, nelda33, nelda47 from raw.nelda_elections") == [
        ("Côte d'Ivoire", "1128", "yes", "N/A", "unclear")]
    reason = query(paths, "select reason from raw.quarantine where source = 'nelda'")[0][0]
    assert "ccode '9999'" in reason and "cow" in reason


def test_the_real_files_load_whole(tmp_path):
    deco = shared_file("data", "deco", "DECO_v.1.0.csv")
    parlgov = shared_file("data", "parlgov", "view_election_2024.csv")
    pei = shared_file("data", "pei", "PEI_7.0_election_level.tab")
    paths, outcomes = load(tmp_path, {"deco": deco.read_bytes(), "parlgov": parlgov.read_bytes(), "pei": pei.read_bytes()},
                           sources=("deco", "parlgov", "pei"))
    assert all(not o.errors for o in outcomes.values()), outcomes
    with open(deco, encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert query(paths, "select count(*), sum(cast(best as integer)) from raw.deco_events")[0] == (
        len(events), sum(int(e["best"]) for e in events))
    with open(parlgov, encoding="utf-8", newline="") as handle:
        results = list(csv.DictReader(handle))
    assert query(paths, "select count(*), count(distinct election_id) from raw.parlgov_election_2024")[0] == (
        len(results), len({r["election_id"] for r in results}))
    with open(pei, encoding="latin-1", newline="") as handle:
        pei_rows = list(csv.reader(handle, delimiter="\t", escapechar="\\", doublequote=False))
    assert query(paths, "select count(*) from raw.pei_elections")[0][0] == len(pei_rows) - 1
    # PEI's backslash-escaped quotes arrive as the quote characters they stand for
    assert query(paths, "select count(*) from raw.pei_elections where p1lead like '%\"Lu-Olo\"%' "
                        "or p2lead like '%\"Lu-Olo\"%'")[0][0] >= 1
    assert query(paths, "select count(*) from raw.quarantine")[0][0] == 0


def test_the_bundled_copies_are_the_real_files_reduced(tmp_path):
    """snapshot/research is what scripts/build_research_snapshot.py makes of ../shared/data."""
    shared_file("data", "deco", "DECO_v.1.0.csv")
    from scripts.build_research_snapshot import main

    out = tmp_path / "research"
    assert main(["--out", str(out)]) == 0
    bundled = Path(__file__).resolve().parents[2] / "snapshot" / "research"
    for made in out.rglob("*.*"):
        assert made.read_bytes() == (bundled / made.relative_to(out)).read_bytes(), made.name
    header = (bundled / "deco" / "DECO_v.1.0.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "source_article" not in header and "electoral_vio_source" not in header
    shutil.rmtree(out)
