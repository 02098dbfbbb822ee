"""A publisher that goes back to an earlier file: that file is the newest data again."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import duckdb

from ingestion.landing import ManifestRow, append_manifest, write_payload
from ingestion.loader import load_new_payloads
from ingestion.registry import Source
from ingestion.settings import Paths

SOURCE = Source(id="cec_elections", family="election_commission", publisher="synthetic", url_template="",
                format="json", parser="election_commission.elections")
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def land(paths: Paths, turnout: float, minutes: int) -> str:
    """Land a synthetic elections payload fetched `minutes` after START."""
    body = json.dumps({"elections": [{
        "election_key": "KGZ-2020-PARL", "country": "Kyrgyzstan", "election_type": "parliamentary",
        "election_date": "2020-10-04", "turnout_pct": turnout, "source_url": "https://example.org/synthetic"}]}).encode()
    sha, path = write_payload(paths.landing, SOURCE.id, "2026-01-01", body, "json")
    append_manifest(paths.landing, ManifestRow(
        source=SOURCE.id, url="https://example.org/synthetic", fetched_at=(START + timedelta(minutes=minutes)).isoformat(),
        logical_date="2026-01-01", http_status=200, etag=None, last_modified=None, sha256=sha,
        bytes=len(body), path=str(path.relative_to(paths.landing))))
    return sha


def newest_turnout(paths: Paths) -> float:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return con.execute("select turnout_pct from raw.elections order by _fetched_at desc limit 1").fetchone()[0]
    finally:
        con.close()


def raw_rows(paths: Paths) -> int:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        return con.execute("select count(*) from raw.elections").fetchone()[0]
    finally:
        con.close()


def test_reverted_payload_is_loaded_again_and_old_history_is_not(tmp_path):
    paths = Paths(tmp_path)
    land(paths, 56.5, 0)
    land(paths, 99.0, 10)  # a bad correction
    load_new_payloads([SOURCE], paths)
    assert newest_turnout(paths) == 99.0 and raw_rows(paths) == 2

    land(paths, 56.5, 20)  # the publisher goes back to the first file
    (outcome,) = load_new_payloads([SOURCE], paths)
    assert outcome.payloads_loaded == 1
    assert newest_turnout(paths) == 56.5 and raw_rows(paths) == 3

    # nothing new: a re-run loads nothing, and old manifest rows never reload an older file
    (outcome,) = load_new_payloads([SOURCE], paths)
    assert outcome.payloads_loaded == 0 and raw_rows(paths) == 3
    assert newest_turnout(paths) == 56.5
