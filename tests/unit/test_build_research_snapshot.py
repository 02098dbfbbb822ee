"""scripts/build_research_snapshot.py drops the free-text columns and keeps every other byte."""
from __future__ import annotations

import csv
import importlib.util
import io
import sys

import pytest

from tests.conftest import REPO_ROOT, shared_file

spec = importlib.util.spec_from_file_location("build_research_snapshot",
                                              REPO_ROOT / "scripts" / "build_research_snapshot.py")
snapshot = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = snapshot  # dataclasses look their module up while the class is built
spec.loader.exec_module(snapshot)

# SYNTHETIC: a \r\n header over \n rows (as DECO writes it), a note with a newline, a doubled quote and
# a comma inside, unquoted numbers, an empty field, sentinels and a trailing space
SYNTHETIC = ('"id","note","name","code"\r\n'
             '1,"line one\nline two, with ""quotes""","Side A ",-99\n'
             '2,"short",,"NA"\n'
             '3,"","x","1;2,3"\n')
SPEC = snapshot.Dataset("x.csv", "x.csv", drop=("note",))


def test_free_text_column_is_dropped_and_every_kept_byte_stays():
    reduced = snapshot.reduce_text(SYNTHETIC, SPEC, "synthetic")
    assert reduced == ('"id","name","code"\r\n'
                       '1,"Side A ",-99\n'
                       '2,,"NA"\n'
                       '3,"x","1;2,3"\n')


def test_a_column_to_drop_that_the_header_lacks_is_named():
    with pytest.raises(snapshot.SnapshotError, match=r"\['source_article'\]"):
        snapshot.reduce_text(SYNTHETIC, snapshot.Dataset("x", "x", drop=("source_article",)), "synthetic")


def test_a_record_with_the_wrong_number_of_fields_is_refused():
    with pytest.raises(snapshot.SnapshotError, match="record 2 has 2 fields, the header 4"):
        snapshot.reduce_text(SYNTHETIC.replace('2,"short",,"NA"', '2,"short"'), SPEC, "synthetic")


def test_the_bundled_deco_copy_is_current(tmp_path):
    shared_file("data", "deco", "DECO_v.1.0.csv")
    (_, written, lines), = snapshot.build(["deco"], snapshot.DEFAULT_DATA, tmp_path)
    bundled = REPO_ROOT / "snapshot" / "research" / "deco" / "DECO_v.1.0.csv"
    assert written.read_bytes() == bundled.read_bytes(), "rerun scripts/build_research_snapshot.py"
    header, *events = list(csv.reader(io.StringIO(bundled.read_text(encoding="utf-8"), newline="")))
    assert len(events) == 4233 and lines == 4234
    assert "source_article" not in header and "electoral_vio_source" not in header and len(header) == 39
    assert sum(int(row[header.index("best")]) for row in events) == 23737
