"""Derive: casualty figures read from the raw bulletins, versioned by the extractor that read them.

Raw keeps each bulletin as the publisher sent it; its figures are our reading of the prose, and
that reading improves. Every raw copy of a bulletin (bulletin_id, _payload_sha256) is derived once
per extractor version: when EXTRACTOR_VERSION changes, the next run re-reads every bulletin ever
loaded, from the warehouse (no landing file is read, nothing is fetched), and every figure says
which version produced it. A bulletin the extractor cannot read is recorded, with the reason and
the fix, in derived.derivation_issues. All of it happens in one writer transaction: a derive
killed half-way leaves the previous derivation in place.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

import duckdb

from ingestion.loader import connect_warehouse, insert_rows
from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage, extract_figures
from ingestion.parsers.common import Column, RecordError, as_text
from ingestion.parsers.health_ministry import PARTS_OF_DAY, report_interval
from ingestion.settings import Paths

SCHEMA = "derived"
Extractor = Callable[[str, "str | None"], Sequence]

FIGURE_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("figure_index", "INTEGER"),
    Column("extractor_version", "VARCHAR"), Column("metric", "VARCHAR"), Column("value", "BIGINT"),
    Column("value_high", "BIGINT"), Column("qualifier", "VARCHAR"), Column("evidence", "VARCHAR"),
    Column("counted", "VARCHAR"), Column("scope", "VARCHAR"), Column("part_of", "INTEGER"),
    Column("language", "VARCHAR"), Column("evidence_start", "INTEGER"), Column("evidence_end", "INTEGER"),
    Column("cues", "JSON"), Column("reported_from", "TIMESTAMPTZ"), Column("reported_to", "TIMESTAMPTZ"),
    Column("reported_precision", "VARCHAR"), Column("derived_at", "TIMESTAMPTZ"),
]
DERIVATION_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("extractor_version", "VARCHAR"),
    Column("status", "VARCHAR"), Column("figures", "INTEGER"), Column("derived_at", "TIMESTAMPTZ"),
]
ISSUE_COLUMNS = [
    Column("bulletin_id", "VARCHAR"), Column("_payload_sha256", "VARCHAR"), Column("extractor_version", "VARCHAR"),
    Column("language", "VARCHAR"), Column("reason", "VARCHAR"), Column("recorded_at", "TIMESTAMPTZ"),
]
KEYS = {"casualty_figures": "bulletin_id, _payload_sha256, figure_index",
        "derivations": "bulletin_id, _payload_sha256", "derivation_issues": "bulletin_id, _payload_sha256"}
TABLES = {"casualty_figures": FIGURE_COLUMNS, "derivations": DERIVATION_COLUMNS, "derivation_issues": ISSUE_COLUMNS}
EXTRACTOR_FILE = "ingestion/parsers/casualty_text.py"


class DeriveError(RuntimeError):
    """The extractor failed on a bulletin (a bug, not bad input): nothing of this derive was kept."""


@dataclass
class DeriveOutcome:
    extractor_version: str
    bulletins_derived: int = 0  # raw bulletin copies read by the extractor in this run
    figures: int = 0            # figures those bulletins gave
    issues: int = 0             # of those bulletins, the ones that gave no figure (derived.derivation_issues)
    quarantined: int = 0        # all bulletins with an issue at this version, this run's and earlier ones
    reused: int = 0             # copies identical to one this version already read: its figures copied, no extraction
    rederived: int = 0          # bulletins derived before by another extractor version
    rederivation: bool = False  # True when this run replaced figures of another version
    seconds: float = 0.0


def _ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    for table, columns in TABLES.items():
        spec = ", ".join(f"{c.name} {c.sql_type}" for c in columns)
        con.execute(f"create table if not exists {SCHEMA}.{table} ({spec}, primary key ({KEYS[table]}))")


def _has_bulletins(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                            "and table_name = 'casualty_bulletins'").fetchone()[0])


PENDING = f"""
create temp table pending_copies as
select
    b.bulletin_id, b._payload_sha256, any_value(b.text) as text, any_value(b.language) as language,
    any_value(b.published_at) as published_at, any_value(b.time_of_day) as time_of_day,
    any_value(b.timezone) as timezone, any_value(d.extractor_version) as previous_version
from raw.casualty_bulletins as b
left join {SCHEMA}.derivations as d
    on d.bulletin_id = b.bulletin_id and d._payload_sha256 = b._payload_sha256
where d.extractor_version is distinct from $version
group by b.bulletin_id, b._payload_sha256
"""


# A pending copy identical to a copy this version already derived (same bulletin, text, language
# and report time; a republished file repeats most of its bulletins) takes that copy's figures
# instead of being read again: the reading is a function of exactly these fields.
TWINS = f"""
create temp table twin_copies as
with derived_copies as (
    select b.bulletin_id, b._payload_sha256, any_value(b.text) as text, any_value(b.language) as language,
        any_value(b.published_at) as published_at, any_value(b.time_of_day) as time_of_day,
        any_value(b.timezone) as timezone
    from raw.casualty_bulletins as b
    inner join {SCHEMA}.derivations as d
        on d.bulletin_id = b.bulletin_id and d._payload_sha256 = b._payload_sha256 and d.extractor_version = $version
    where b.bulletin_id in (select bulletin_id from pending_copies)
    group by b.bulletin_id, b._payload_sha256
)
select p.bulletin_id, p._payload_sha256, min(c._payload_sha256) as twin_sha256
from pending_copies as p
inner join derived_copies as c
    on c.bulletin_id = p.bulletin_id and c.text is not distinct from p.text
    and c.language is not distinct from p.language and c.published_at is not distinct from p.published_at
    and c.time_of_day is not distinct from p.time_of_day and c.timezone is not distinct from p.timezone
group by p.bulletin_id, p._payload_sha256
"""
_FIGURE_VALUES = ", ".join(f"f.{c.name}" for c in FIGURE_COLUMNS
                           if c.name not in ("bulletin_id", "_payload_sha256", "derived_at"))
COPY_TWINS = {  # the twin's rows under the pending copy's key; an issue's reason names the copy it is about
    "casualty_figures": f"""
        insert into {SCHEMA}.casualty_figures
        select t.bulletin_id, t._payload_sha256, {_FIGURE_VALUES}, $now
        from twin_copies as t inner join {SCHEMA}.casualty_figures as f
            on f.bulletin_id = t.bulletin_id and f._payload_sha256 = t.twin_sha256""",
    "derivations": f"""
        insert into {SCHEMA}.derivations
        select t.bulletin_id, t._payload_sha256, d.extractor_version, d.status, d.figures, $now
        from twin_copies as t inner join {SCHEMA}.derivations as d
            on d.bulletin_id = t.bulletin_id and d._payload_sha256 = t.twin_sha256""",
    "derivation_issues": f"""
        insert into {SCHEMA}.derivation_issues
        select t.bulletin_id, t._payload_sha256, i.extractor_version, i.language,
            replace(i.reason, left(t.twin_sha256, 12), left(t._payload_sha256, 12)), $now
        from twin_copies as t inner join {SCHEMA}.derivation_issues as i
            on i.bulletin_id = t.bulletin_id and i._payload_sha256 = t.twin_sha256""",
}


def _interval(bulletin_id: str, sha: str, published_at, time_of_day, zone) -> tuple:
    """The bulletin's report interval, or a RecordError naming the bulletin (one loaded before a check existed)."""
    try:
        if time_of_day is not None and as_text(time_of_day) not in PARTS_OF_DAY:
            raise RecordError(f"time_of_day {time_of_day!r} is not one of {sorted(PARTS_OF_DAY)}")
        return report_interval(as_text(published_at), as_text(time_of_day), as_text(zone) or "")
    except RecordError as exc:
        raise RecordError(f"bulletin {bulletin_id!r} (payload {sha[:12]}): {exc}; fix the record at its "
                          f"publisher, the next load and derive take the corrected copy") from None


def _read(extract: Extractor, version: str, bulletin_id: str, sha: str, text: str, language) -> list:
    try:
        return list(extract(text, as_text(language)))
    except UnsupportedLanguage as exc:
        raise RecordError(
            f"bulletin {bulletin_id!r} (payload {sha[:12]}, declared language {language or 'none'}): extractor "
            f"{version} does not read it: {exc}; fix: teach {EXTRACTOR_FILE} the language and bump "
            f"EXTRACTOR_VERSION (the next run re-derives it), or correct the bulletin's language at its "
            f"publisher") from None
    except Exception as exc:
        raise DeriveError(f"extractor {version} failed on bulletin {bulletin_id!r} (payload {sha[:12]}): "
                          f"{type(exc).__name__}: {exc}; nothing was derived, fix the extractor") from exc


def _figure_row(bulletin_id: str, sha: str, n: int, figure, version: str, interval: tuple, now: str) -> dict:
    return {
        "bulletin_id": bulletin_id, "_payload_sha256": sha, "figure_index": n, "extractor_version": version,
        "metric": figure.metric, "value": figure.value, "value_high": figure.value_high,
        "qualifier": figure.qualifier, "evidence": figure.evidence,
        "counted": getattr(figure, "counted", "all"), "scope": getattr(figure, "scope", "total"),
        "part_of": getattr(figure, "part_of", None), "language": getattr(figure, "language", None),
        "evidence_start": getattr(figure, "start", None), "evidence_end": getattr(figure, "end", None),
        "cues": getattr(figure, "cues", None) or None,
        "reported_from": interval[0], "reported_to": interval[1], "reported_precision": interval[2],
        "derived_at": now,
    }


def derive_figures(paths: Paths, extract: Extractor = extract_figures,
                   version: str = EXTRACTOR_VERSION) -> DeriveOutcome:
    """Derive every raw bulletin copy lacking a derivation by `version` of `extract`; replace its rows."""
    started = time.perf_counter()
    outcome = DeriveOutcome(extractor_version=version)
    now = datetime.now(timezone.utc).isoformat()
    con = connect_warehouse(paths.warehouse)
    try:
        con.execute("begin transaction")
        try:
            _ensure_tables(con)
            if _has_bulletins(con):
                con.execute(PENDING, {"version": version})
                con.execute(TWINS, {"version": version})
                outcome.reused = con.execute("select count(*) from twin_copies").fetchone()[0]
                figures, derivations, issues = [], [], []
                for bulletin_id, sha, text, language, published_at, time_of_day, zone, previous in con.execute(
                        "select * from pending_copies anti join twin_copies using (bulletin_id, _payload_sha256) "
                        "order by bulletin_id, _payload_sha256").fetchall():
                    outcome.bulletins_derived += 1
                    outcome.rederived += previous is not None
                    try:
                        interval = _interval(bulletin_id, sha, published_at, time_of_day, zone)
                        read = _read(extract, version, bulletin_id, sha, text or "", language)
                        if not read:
                            raise RecordError(
                                f"bulletin {bulletin_id!r} (payload {sha[:12]}, declared language "
                                f"{language or 'none'}): no casualty figure could be read from the text by "
                                f"extractor {version}; fix: check the text at its publisher, or teach "
                                f"{EXTRACTOR_FILE} the wording and bump EXTRACTOR_VERSION")
                    except RecordError as exc:
                        issues.append({"bulletin_id": bulletin_id, "_payload_sha256": sha, "extractor_version": version,
                                       "language": as_text(language), "reason": str(exc), "recorded_at": now})
                        derivations.append({"bulletin_id": bulletin_id, "_payload_sha256": sha,
                                            "extractor_version": version, "status": "issue", "figures": 0,
                                            "derived_at": now})
                        continue
                    figures.extend(_figure_row(bulletin_id, sha, n, f, version, interval, now)
                                   for n, f in enumerate(read))
                    derivations.append({"bulletin_id": bulletin_id, "_payload_sha256": sha,
                                        "extractor_version": version, "status": "derived", "figures": len(read),
                                        "derived_at": now})
                for table in TABLES:
                    con.execute(f"delete from {SCHEMA}.{table} as t using pending_copies as p "
                                f"where t.bulletin_id = p.bulletin_id and t._payload_sha256 = p._payload_sha256")
                insert_rows(con, "casualty_figures", FIGURE_COLUMNS, figures, schema=SCHEMA)
                insert_rows(con, "derivations", DERIVATION_COLUMNS, derivations, schema=SCHEMA)
                insert_rows(con, "derivation_issues", ISSUE_COLUMNS, issues, schema=SCHEMA)
                for statement in COPY_TWINS.values():
                    con.execute(statement, {"now": now})
                twin_figures, twin_issues = con.execute(
                    f"select (select count(*) from {SCHEMA}.casualty_figures as f semi join twin_copies as t "
                    f"using (bulletin_id, _payload_sha256)), (select count(*) from {SCHEMA}.derivation_issues "
                    f"as i semi join twin_copies as t using (bulletin_id, _payload_sha256))").fetchone()
                con.execute("drop table pending_copies")
                con.execute("drop table twin_copies")
                outcome.figures, outcome.issues = len(figures) + twin_figures, len(issues) + twin_issues
            outcome.quarantined = con.execute(f"select count(*) from {SCHEMA}.derivation_issues "
                                              "where extractor_version = ?", [version]).fetchone()[0]
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    outcome.rederivation = outcome.rederived > 0
    outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome
