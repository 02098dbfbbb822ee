"""A night of bad input: the payloads each source serves, and which bad records they carry.

Every injected record is synthetic (ids `synthetic-*`, years 1901-1906 or 2099, URLs on the
reserved `.invalid` domain) or a verbatim duplicate of a snapshot record. One value is bad in a
way the loader cannot see and the gate must: the Kyrgyz 2020 annulment republished without its
date (`GATE_CATCH`). Sources serve their broken and drifted payloads first and the main one last.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from tests.reliability.harness import FILES, SNAPSHOT_DIR, snapshot_records

SYN = "https://synthetic.invalid/reliability"
JSON_TYPE, CSV_TYPE = "application/json", "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Bad:
    kind: str
    source: str
    reason: str  # regex the quarantine reason must match
    locate: dict  # fields that identify the quarantined record ({} for a whole payload)
    payload: str = "main"  # which payload of the source carries it
    records: int = 1  # how many quarantined records it makes
    kept_in: str = "raw.quarantine"  # or derived.derivation_issues: loaded as sent, but no figure derived


@dataclass
class Payload:
    label: str
    body: bytes
    content_type: str
    bad: list[Bad] = field(default_factory=list)


def _json(key: str, records: list) -> bytes:
    return json.dumps({"publisher": "synthetic test publisher", key: records}, ensure_ascii=False).encode("utf-8")


def _csv(rows: list[dict], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _election(key: str, country: str, date: str, **facts) -> dict:
    return {"election_key": key, "country": country, "election_type": "parliamentary", "election_date": date,
            "source_url": f"{SYN}/elections/{key}", **facts}


def elections() -> list[Payload]:
    real = snapshot_records("cec_elections")
    kgz = next(r for r in real if r["election_key"] == "KGZ-2020-PARL")
    country = kgz["country"]
    cases = [
        (Bad("unknown country", "cec_elections", r"unknown country 'Atlantis'", {"election_key": "ATL-1901-PARL"}),
         _election("ATL-1901-PARL", "Atlantis", "1901-03-01")),
        (Bad("negative count", "cec_elections", r"registered_voters must be >= 0", {"election_key": "KGZ-1901-PARL"}),
         _election("KGZ-1901-PARL", country, "1901-03-01", registered_voters=-1000)),
        (Bad("percentage over 100", "cec_elections", r"turnout_pct must be <= 100", {"election_key": "KGZ-1902-PARL"}),
         _election("KGZ-1902-PARL", country, "1902-03-01", turnout_pct=130.0)),
        (Bad("date in the future", "cec_elections", r"election_date 2099-03-01 is in the future",
             {"election_key": "KGZ-2099-PARL"}), _election("KGZ-2099-PARL", country, "2099-03-01")),
        (Bad("date before the election it describes", "cec_elections",
             r"protest_start_date 1902-12-01 is before the election year", {"election_key": "KGZ-1903-PARL"}),
         _election("KGZ-1903-PARL", country, "1903-03-01", protest_start_date="1902-12-01")),
        (Bad("duplicated report", "cec_elections", r"duplicate election_key 'KGZ-2020-PARL' in the same payload",
             {"election_key": "KGZ-2020-PARL"}), dict(kgz)),
        (Bad("missing required field", "cec_elections", r"missing field\(s\): country",
             {"election_key": "KGZ-1904-PARL"}),
         {k: v for k, v in _election("KGZ-1904-PARL", country, "1904-03-01").items() if k != "country"}),
    ]
    added = [dict(r, publisher_note="synthetic extra field") for r in real]  # schema drift: a new column
    renamed = [{("date_of_election" if k == "election_date" else k): v for k, v in r.items()} for r in real]
    broken = _json("elections", real)
    return [
        Payload("broken", broken[: len(broken) // 2], JSON_TYPE,
                [Bad("broken JSON", "cec_elections", r"payload is not valid JSON", {}, "broken")]),
        Payload("renamed", _json("elections", renamed), JSON_TYPE,
                [Bad("renamed required column", "cec_elections",
                     rf"required field\(s\) election_date missing from all {len(real)} records .*date_of_election", {},
                     "renamed")]),
        Payload("main", _json("elections", added + [record for _, record in cases]), JSON_TYPE,
                [bad for bad, _ in cases]),
    ]


def party_results() -> list[Payload]:
    text = (SNAPSHOT_DIR / FILES["cec_party_results"][0]).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header, real = list(reader.fieldnames), list(reader)
    template = dict(real[0], list_name_english="", seats="", declared_passed="", result_stage="",
                    source_url=f"{SYN}/results")

    def row(key: str, name: str, votes: str, share: str) -> dict:
        return dict(template, election_key=key, list_name=name, votes=votes, vote_share_pct=share)

    cases = [
        (Bad("negative count", "cec_party_results", r"votes must be >= 0", {"list_name": "Synthetic List N"}),
         [row("KGZ-1901-PARL", "Synthetic List N", "-5", "1.0")]),
        (Bad("vote share over 100", "cec_party_results", r"vote_share_pct must be <= 100",
             {"list_name": "Synthetic List O"}), [row("KGZ-1902-PARL", "Synthetic List O", "10", "130")]),
        (Bad("vote shares summing far above 100", "cec_party_results",
             r"vote shares of KGZ-1905-PARL sum to 150\.00%, far above 100", {"election_key": "KGZ-1905-PARL"},
             records=2),
         [row("KGZ-1905-PARL", "Synthetic List P", "80", "80"), row("KGZ-1905-PARL", "Synthetic List Q", "70", "70")]),
        (Bad("duplicated report", "cec_party_results", r"duplicate list .* for KGZ-2020-PARL",
             {"list_name": real[0]["list_name"]}), [dict(real[0])]),
    ]
    extra = header + ["notes"]
    main = _csv([dict(r, notes="synthetic extra column") for r in real]
                + [dict(r, notes="") for _, rows in cases for r in rows], extra)
    main += b"KGZ-1906-PARL,Synthetic List R,too few fields\n"
    cases.append((Bad("row with a wrong number of fields", "cec_party_results",
                      r"different number of fields than the header", {"list_name": "Synthetic List R"}), []))
    return [
        Payload("broken", text.encode("utf-8") + b'KGZ-2020-PARL,"Synthetic"List,1,1,0,no,,\n', CSV_TYPE,
                [Bad("broken CSV", "cec_party_results", r"CSV is malformed", {}, "broken")]),
        Payload("dropped", _csv(real, [h for h in header if h != "seats"]), CSV_TYPE,
                [Bad("dropped required column", "cec_party_results", r"missing required column\(s\) seats", {},
                     "dropped")]),
        Payload("renamed", _csv([{("vote_count" if k == "votes" else k): v for k, v in r.items()} for r in real],
                                ["vote_count" if h == "votes" else h for h in header]), CSV_TYPE,
                [Bad("renamed required column", "cec_party_results", r"missing required column\(s\) votes", {},
                     "renamed")]),
        Payload("main", main, CSV_TYPE, [bad for bad, _ in cases]),
    ]


GATE_CATCH = ("cec_decisions", "kgz-2020-parl-annulment", "decided_on")  # source, record id, field set to null


def decisions() -> list[Payload]:
    real = snapshot_records("cec_decisions")
    annulment = next(r for r in real if r["decision_id"] == GATE_CATCH[1])
    other = next(r for r in real if r["decision_id"] == "ken-2017-pres-annulment")
    undated = [dict(r, **{GATE_CATCH[2]: None}) if r is annulment else r for r in real]
    cases = [
        (Bad("date before the election it describes", "cec_decisions",
             r"decided_on 2020-09-01 is before the election it describes \(KGZ-2020-PARL on 2020-10-04\)",
             {"decision_id": "synthetic-decided-before-election"}),
         dict(annulment, decision_id="synthetic-decided-before-election", decided_on="2020-09-01", source_url=SYN)),
        (Bad("date in the future", "cec_decisions", r"decided_on 2099-01-01 is in the future",
             {"decision_id": "synthetic-decided-in-2099"}),
         dict(annulment, decision_id="synthetic-decided-in-2099", decided_on="2099-01-01", source_url=SYN)),
        (Bad("duplicated report", "cec_decisions", r"duplicate decision_id 'ken-2017-pres-annulment'",
             {"decision_id": "ken-2017-pres-annulment"}), dict(other)),
        (Bad("missing required field", "cec_decisions", r"missing field\(s\): decision_type",
             {"decision_id": "synthetic-without-type"}),
         {k: v for k, v in dict(annulment, decision_id="synthetic-without-type").items() if k != "decision_type"}),
        (Bad("value outside its set", "cec_decisions", r"body_type 'junta' is not one of",
             {"decision_id": "synthetic-junta"}),
         dict(annulment, decision_id="synthetic-junta", body_type="junta", source_url=SYN)),
    ]
    return [Payload("main", _json("decisions", undated + [r for _, r in cases]), JSON_TYPE, [b for b, _ in cases])]


def bulletins() -> list[Payload]:
    real = snapshot_records("moh_bulletins")
    first = next(r for r in real if r["election_key"] == "KGZ-2020-PARL")
    cases = [
        (Bad("date in the future", "moh_bulletins", r"published_at 2099-01-01 is in the future",
             {"bulletin_id": "synthetic-bulletin-2099"}),
         dict(first, bulletin_id="synthetic-bulletin-2099", published_at="2099-01-01", source_url=SYN)),
        (Bad("date before the election it describes", "moh_bulletins",
             r"published_at 2020-09-01 is before the election it describes",
             {"bulletin_id": "synthetic-bulletin-before"}),
         dict(first, bulletin_id="synthetic-bulletin-before", published_at="2020-09-01", source_url=SYN)),
        (Bad("duplicated report", "moh_bulletins", r"duplicate bulletin_id '" + re.escape(first["bulletin_id"]),
             {"bulletin_id": first["bulletin_id"]}), dict(first)),
        (Bad("bulletin without a readable figure", "moh_bulletins", r"no casualty figure could be read",
             {"bulletin_id": "synthetic-bulletin-no-figure"}, kept_in="derived.derivation_issues"),
         dict(first, bulletin_id="synthetic-bulletin-no-figure", language="en", source_url=SYN,
              text="Synthetic bulletin: the ministry will publish figures later.")),
    ]
    return [Payload("main", _json("bulletins", real + [r for _, r in cases]), JSON_TYPE, [b for b, _ in cases])]


def statements() -> list[Payload]:
    real = snapshot_records("observer_statements")
    first = next(r for r in real if r["election_key"] == "KGZ-2020-PARL")
    cases = [
        (Bad("date before the election it describes", "observer_statements",
             r"published_on 2020-09-01 is before the election it describes",
             {"statement_id": "synthetic-statement-before"}),
         dict(first, statement_id="synthetic-statement-before", published_on="2020-09-01", source_url=SYN)),
        (Bad("date in the future", "observer_statements", r"published_on 2099-01-01 is in the future",
             {"statement_id": "synthetic-statement-2099"}),
         dict(first, statement_id="synthetic-statement-2099", published_on="2099-01-01", source_url=SYN)),
        (Bad("duplicated report", "observer_statements", r"empty or duplicated",
             {"statement_id": first["statement_id"]}), dict(first)),
    ]
    dropped = [{k: v for k, v in r.items() if k != "organization"} for r in real]
    return [
        Payload("broken", b'{"statements": [{"statement_id": "synthetic-', JSON_TYPE,
                [Bad("broken JSON", "observer_statements", r"payload is not valid JSON", {}, "broken")]),
        Payload("dropped", _json("statements", dropped), JSON_TYPE,
                [Bad("dropped required column", "observer_statements",
                     rf"required field\(s\) organization missing from all {len(real)} records", {}, "dropped")]),
        Payload("main", _json("statements", real + [r for _, r in cases]), JSON_TYPE, [b for b, _ in cases]),
    ]


BUILDERS = {"cec_elections": elections, "cec_party_results": party_results, "cec_decisions": decisions,
            "moh_bulletins": bulletins, "observer_statements": statements}
PAYLOADS = {source: build() for source, build in BUILDERS.items()}
BAD = [bad for payloads in PAYLOADS.values() for payload in payloads for bad in payload.bad]


def sha_of(source: str, label: str) -> str:
    return hashlib.sha256(next(p.body for p in PAYLOADS[source] if p.label == label)).hexdigest()


