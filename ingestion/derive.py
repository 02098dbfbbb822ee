"""Derive: casualty figures read from raw documents' text, versioned by the extractor that read them.

Raw keeps each document as the publisher sent it; its figures are our reading of the prose, and
that reading improves. Two kinds are read (ingestion/derived_documents.py): a ministry's casualty
bulletins (derived.casualty_figures) and ReliefWeb reports (derived.reliefweb_casualty_figures,
figures machine-read from a secondary source). Every raw copy of a document (its id,
_payload_sha256) is derived once per extractor version: when EXTRACTOR_VERSION changes, the next
run re-reads every document ever loaded, from the warehouse (no landing file is read, nothing is
fetched), and every figure says which version produced it. A document the extractor cannot read
(a language it does not read, no text; for a bulletin also no figure) is recorded, with the reason
and the fix, in its kind's issues table. All of it happens in one writer transaction: a derive
killed half-way leaves the previous derivation in place.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

import duckdb

from ingestion.derived_documents import (BULLETINS, DERIVATION_COLUMNS, FIGURE_COLUMNS, ISSUE_COLUMNS, KINDS,
                                         REPORTS, Documents)
from ingestion.loader import connect_warehouse, insert_rows
from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage, extract_figures
from ingestion.parsers.common import RecordError, as_text
from ingestion.settings import Paths

SCHEMA = "derived"
Extractor = Callable[[str, "str | None"], Sequence]
EXTRACTOR_FILE = "ingestion/parsers/casualty_text.py"
__all__ = ["DERIVATION_COLUMNS", "FIGURE_COLUMNS", "ISSUE_COLUMNS", "DeriveError", "DeriveOutcome", "Extractor",
           "derive_figures", "ensure_tables"]


class DeriveError(RuntimeError):
    """The extractor failed on a document (a bug, not bad input): nothing of this derive was kept."""


@dataclass
class DeriveOutcome:
    extractor_version: str
    bulletins_derived: int = 0  # raw bulletin copies read by the extractor in this run
    figures: int = 0            # figures those bulletins gave
    issues: int = 0             # of those bulletins, the ones that gave no figure (derived.derivation_issues)
    quarantined: int = 0        # all bulletins with an issue at this version, this run's and earlier ones
    reused: int = 0             # copies identical to one this version already read: its figures copied, no extraction
    rederived: int = 0          # bulletins derived before by another extractor version
    rederivation: bool = False  # True when this run replaced figures of another version (bulletins or reports)
    reports_derived: int = 0    # the same for ReliefWeb report copies (derived.reliefweb_*)
    report_figures: int = 0
    report_issues: int = 0      # reports with no text or in a language not read (derived.reliefweb_derivation_issues)
    reports_quarantined: int = 0
    reports_reused: int = 0
    reports_rederived: int = 0
    seconds: float = 0.0


@dataclass
class _Counts:
    derived: int = 0
    figures: int = 0
    issues: int = 0
    reused: int = 0
    rederived: int = 0


def _table(kind: Documents, role: str) -> str:
    return f"{SCHEMA}.{kind.tables[role]}"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The derived tables of every document kind (empty until derived), so dbt's sources always exist."""
    con.execute(f"create schema if not exists {SCHEMA}")
    for kind in KINDS:
        for role in kind.tables:
            key = f"{kind.key}, _payload_sha256" + (", figure_index" if role == "figures" else "")
            spec = ", ".join(f"{c.name} {c.sql_type}" for c in kind.columns(role))
            con.execute(f"create table if not exists {_table(kind, role)} ({spec}, primary key ({key}))")


def _has_raw(con: duckdb.DuckDBPyConnection, kind: Documents) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = ?",
                            [kind.raw]).fetchone()[0])


def _copies(kind: Documents) -> str:
    return ", ".join(f"any_value(b.{name}) as {name}" for name in kind.fields)


def _pending(kind: Documents) -> str:
    return f"""
create temp table pending_copies as
select b.{kind.key}, b._payload_sha256, {_copies(kind)}, any_value(d.extractor_version) as previous_version
from raw.{kind.raw} as b
left join {_table(kind, 'derivations')} as d
    on d.{kind.key} = b.{kind.key} and d._payload_sha256 = b._payload_sha256
where d.extractor_version is distinct from $version
group by b.{kind.key}, b._payload_sha256
"""


# A pending copy identical to a copy this version already derived (same document and the same
# fields its reading is a function of; a republished file or a re-read feed page repeats most of
# its documents) takes that copy's figures instead of being read again.
def _twins(kind: Documents) -> str:
    same = " and ".join(f"c.{name} is not distinct from p.{name}" for name in kind.fields)
    return f"""
create temp table twin_copies as
with derived_copies as (
    select b.{kind.key}, b._payload_sha256, {_copies(kind)}
    from raw.{kind.raw} as b
    inner join {_table(kind, 'derivations')} as d
        on d.{kind.key} = b.{kind.key} and d._payload_sha256 = b._payload_sha256 and d.extractor_version = $version
    where b.{kind.key} in (select {kind.key} from pending_copies)
    group by b.{kind.key}, b._payload_sha256
)
select p.{kind.key}, p._payload_sha256, min(c._payload_sha256) as twin_sha256
from pending_copies as p
inner join derived_copies as c
    on c.{kind.key} = p.{kind.key} and {same}
group by p.{kind.key}, p._payload_sha256
"""


def _copy_twins(kind: Documents) -> list[str]:
    """The twin's rows under the pending copy's key; an issue's reason names the copy it is about."""
    key = kind.key
    values = ", ".join(f"f.{c.name}" for c in kind.columns("figures")
                       if c.name not in (key, "_payload_sha256", "derived_at"))
    return [
        f"""insert into {_table(kind, 'figures')}
        select t.{key}, t._payload_sha256, {values}, $now
        from twin_copies as t inner join {_table(kind, 'figures')} as f
            on f.{key} = t.{key} and f._payload_sha256 = t.twin_sha256""",
        f"""insert into {_table(kind, 'derivations')}
        select t.{key}, t._payload_sha256, d.extractor_version, d.status, d.figures, $now
        from twin_copies as t inner join {_table(kind, 'derivations')} as d
            on d.{key} = t.{key} and d._payload_sha256 = t.twin_sha256""",
        f"""insert into {_table(kind, 'issues')}
        select t.{key}, t._payload_sha256, i.extractor_version, i.language,
            replace(i.reason, left(t.twin_sha256, 12), left(t._payload_sha256, 12)), $now
        from twin_copies as t inner join {_table(kind, 'issues')} as i
            on i.{key} = t.{key} and i._payload_sha256 = t.twin_sha256""",
    ]


def _read(extract: Extractor, version: str, kind: Documents, doc_id: str, sha: str, text: str, language) -> list:
    try:
        return list(extract(text, language))
    except UnsupportedLanguage as exc:
        raise RecordError(
            f"{kind.noun} {doc_id!r} (payload {sha[:12]}, declared language {language or 'none'}): extractor "
            f"{version} does not read it: {exc}; fix: teach {EXTRACTOR_FILE} the language and bump "
            f"EXTRACTOR_VERSION (the next run re-derives it), or correct the {kind.noun}'s language at its "
            f"publisher") from None
    except Exception as exc:
        raise DeriveError(f"extractor {version} failed on {kind.noun} {doc_id!r} (payload {sha[:12]}): "
                          f"{type(exc).__name__}: {exc}; nothing was derived, fix the extractor") from exc


def _figure_row(key: str, doc_id: str, sha: str, n: int, figure, version: str, interval: tuple, now: str) -> dict:
    return {
        key: doc_id, "_payload_sha256": sha, "figure_index": n, "extractor_version": version,
        "metric": figure.metric, "value": figure.value, "value_high": figure.value_high,
        "qualifier": figure.qualifier, "evidence": figure.evidence,
        "counted": getattr(figure, "counted", "all"), "scope": getattr(figure, "scope", "total"),
        "part_of": getattr(figure, "part_of", None), "language": getattr(figure, "language", None),
        "evidence_start": getattr(figure, "start", None), "evidence_end": getattr(figure, "end", None),
        "cues": getattr(figure, "cues", None) or None,
        "reported_from": interval[0], "reported_to": interval[1], "reported_precision": interval[2],
        "derived_at": now,
    }


def _derive_kind(con: duckdb.DuckDBPyConnection, kind: Documents, extract: Extractor, version: str,
                 now: str) -> _Counts:
    """Every raw copy of `kind` lacking a derivation by `version`: read (or copied from its twin), rows replaced."""
    counts = _Counts()
    key = kind.key
    con.execute(_pending(kind), {"version": version})
    con.execute(_twins(kind), {"version": version})
    counts.reused = con.execute("select count(*) from twin_copies").fetchone()[0]
    figures, derivations, issues = [], [], []
    cursor = con.execute(f"select * from pending_copies anti join twin_copies using ({key}, _payload_sha256) "
                         f"order by {key}, _payload_sha256")
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        doc_id, sha = row[key], row["_payload_sha256"]
        counts.derived += 1
        counts.rederived += row["previous_version"] is not None
        language = None
        try:
            text, language, interval = kind.read(doc_id, sha, row)
            read = _read(extract, version, kind, doc_id, sha, text, language)
            if not read and kind.no_figure_is_issue:
                raise RecordError(
                    f"{kind.noun} {doc_id!r} (payload {sha[:12]}, declared language {language or 'none'}): no "
                    f"casualty figure could be read from the text by extractor {version}; fix: check the text at "
                    f"its publisher, or teach {EXTRACTOR_FILE} the wording and bump EXTRACTOR_VERSION")
        except RecordError as exc:
            issues.append({key: doc_id, "_payload_sha256": sha, "extractor_version": version,
                           "language": language or as_text(row.get("language")), "reason": str(exc),
                           "recorded_at": now})
            derivations.append({key: doc_id, "_payload_sha256": sha, "extractor_version": version,
                                "status": "issue", "figures": 0, "derived_at": now})
            continue
        figures.extend(_figure_row(key, doc_id, sha, n, f, version, interval, now) for n, f in enumerate(read))
        derivations.append({key: doc_id, "_payload_sha256": sha, "extractor_version": version,
                            "status": "derived" if read else "no_figure", "figures": len(read), "derived_at": now})
    for role in kind.tables:
        con.execute(f"delete from {_table(kind, role)} as t using pending_copies as p "
                    f"where t.{key} = p.{key} and t._payload_sha256 = p._payload_sha256")
    for role, rows in (("figures", figures), ("derivations", derivations), ("issues", issues)):
        insert_rows(con, kind.tables[role], kind.columns(role), rows, schema=SCHEMA)
    for statement in _copy_twins(kind):
        con.execute(statement, {"now": now})
    twins = f"semi join twin_copies using ({key}, _payload_sha256)"
    twin_figures, twin_issues = con.execute(f"select (select count(*) from {_table(kind, 'figures')} {twins}), "
                                            f"(select count(*) from {_table(kind, 'issues')} {twins})").fetchone()
    con.execute("drop table pending_copies")
    con.execute("drop table twin_copies")
    counts.figures, counts.issues = len(figures) + twin_figures, len(issues) + twin_issues
    return counts


def derive_figures(paths: Paths, extract: Extractor = extract_figures,
                   version: str = EXTRACTOR_VERSION) -> DeriveOutcome:
    """Derive every raw bulletin and report copy lacking a derivation by `version` of `extract`; replace its rows."""
    started = time.perf_counter()
    outcome = DeriveOutcome(extractor_version=version)
    now = datetime.now(timezone.utc).isoformat()
    con = connect_warehouse(paths.warehouse)
    try:
        con.execute("begin transaction")
        try:
            ensure_tables(con)
            done = {kind.key: _derive_kind(con, kind, extract, version, now) if _has_raw(con, kind) else _Counts()
                    for kind in KINDS}
            quarantined = {kind.key: con.execute(f"select count(*) from {_table(kind, 'issues')} "
                                                 "where extractor_version = ?", [version]).fetchone()[0]
                           for kind in KINDS}
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    bulletins, reports = done[BULLETINS.key], done[REPORTS.key]
    outcome.bulletins_derived, outcome.figures, outcome.issues = bulletins.derived, bulletins.figures, bulletins.issues
    outcome.reused, outcome.rederived = bulletins.reused, bulletins.rederived
    outcome.quarantined = quarantined[BULLETINS.key]
    outcome.reports_derived, outcome.report_figures = reports.derived, reports.figures
    outcome.report_issues, outcome.reports_reused = reports.issues, reports.reused
    outcome.reports_rederived, outcome.reports_quarantined = reports.rederived, quarantined[REPORTS.key]
    outcome.rederivation = outcome.rederived + outcome.reports_rederived > 0
    outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome
