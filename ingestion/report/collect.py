"""What each page shows, gathered from the marts as plain dicts (no rendering here).

Every figure on a page comes from one query below, so the browser test can ask the marts the
same question and compare. Optional marts (the research datasets) are looked for by table and
column; when absent the page carries a note instead of a section.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ingestion.report.marts import Marts

# Metrics where a lower later figure is expected (patients discharged), not a revision.
STOCK_METRICS = {"hospitalized", "icu"}

DECO = ("fct_electoral_violence_events", "election_key", "deaths_best", "deaths_low", "deaths_high")
INTEGRITY = ("fct_election_integrity", "election_key", "source")
PEI_COLUMNS = ("pei_indexp", "pei_indexp_lci", "pei_indexp_hci", "pei_rating")
AGREEMENT = ("fct_source_agreement", "election_key", "question", "agreement")


def local_time(moment: datetime | None, timezone: str | None) -> datetime | None:
    """A report's moment on the election's clock (naive), so day boundaries read as locals saw them."""
    if moment is None:
        return None
    if timezone:
        try:
            moment = moment.astimezone(ZoneInfo(timezone))
        except (KeyError, ValueError):
            pass  # an unknown zone name: keep UTC rather than fail the page
    return moment.replace(tzinfo=None)


def comparable(report: dict) -> bool:
    """Only an overall running total can revise the previous one (partial counts are not lower totals)."""
    return report["scope"] == "total" and report["coverage"] == "overall"


def crises(marts: Marts) -> list[dict]:
    return marts.rows("select * from election_crises order by election_date, election_key")


def casualty_series(marts: Marts, election_key: str) -> dict:
    """Reports grouped in series (metric, authority family, who was counted), drops marked."""
    reports = marts.rows(
        "select casualty_report_id, metric, authority, authority_family, counted, value, value_high, qualifier, "
        "reported_at, reported_precision, timezone, coverage, scope, source_url, is_primary_authority "
        "from fct_casualty_reports where election_key = ? "
        "order by metric, authority_family, counted, reported_at nulls last, casualty_report_id", [election_key])
    series: dict[tuple, list[dict]] = {}
    undated = []
    for report in reports:
        report["local_at"] = local_time(report["reported_at"], report["timezone"])
        report["revised_down"] = False
        if report["local_at"] is None:
            undated.append(report)
            continue
        series.setdefault((report["metric"], report["authority_family"], report["counted"]), []).append(report)
    for (metric, _, _), points in series.items():
        previous = None
        for point in points:
            if not comparable(point):
                continue  # a part, an increment or one hospital's count is no running total
            if previous is not None and point["value"] < previous["value"]:
                point["revised_down"] = True
                point["drop_kind"] = "fewer in hospital" if metric in STOCK_METRICS else "revised down"
            previous = point
    metrics = sorted({key[0] for key in series} | {r["metric"] for r in undated},
                     key=lambda m: (["dead", "injured", "hospitalized", "icu", "detained"] + [m]).index(m))
    return {"reports": reports, "series": series, "undated": undated, "metrics": metrics}


def threshold(marts: Marts, election_key: str) -> dict | None:
    outcome = marts.rows("select * from fct_threshold_outcomes where election_key = ?", [election_key])
    results = marts.rows(
        "select party_name, vote_share_pct, threshold_pct, passed_threshold, margin_pp, seats, source_url "
        "from fct_threshold_results where election_key = ? and vote_share_pct is not null "
        "order by vote_share_pct desc, party_name", [election_key])
    if not results:
        return None
    return {"outcome": outcome[0] if outcome else None, "results": results}


def sequence(marts: Marts, crisis: dict) -> list[dict]:
    """Election → protests → annulment → re-run (and the observers' statements) on one axis."""
    key = crisis["election_key"]
    events = [{"date": crisis["election_date"], "what": "election", "label": "Election day",
               "precision": crisis["election_date_precision"], "url": None}]
    if crisis.get("protest_start_date"):
        events.append({"date": crisis["protest_start_date"], "what": "protests", "label": "Protests begin",
                       "precision": crisis["protest_start_date_precision"], "url": None})
    for row in marts.rows("select decided_on, decided_on_precision, decided_by, scope, source_url, rerun_date, "
                          "rerun_date_precision from fct_annulments where election_key = ? order by decided_on",
                          [key]):
        if row["decided_on"]:
            events.append({"date": row["decided_on"], "what": "annulment",
                           "label": f"Annulled ({row['scope']}) by {row['decided_by']}",
                           "precision": row["decided_on_precision"], "url": row["source_url"]})
    if crisis.get("rerun_date"):
        events.append({"date": crisis["rerun_date"], "what": "rerun",
                       "label": f"Re-run ({crisis['rerun_status'] or 'status unknown'})",
                       "precision": crisis["rerun_date_precision"], "url": None})
    for row in marts.rows("select organization, statement_type, published_on, published_on_precision, source_url "
                          "from fct_observer_findings where election_key = ? and published_on is not null "
                          "order by published_on", [key]):
        events.append({"date": row["published_on"], "what": "observers",
                       "label": f"{row['organization']} {(row['statement_type'] or 'statement').replace('_', ' ')}",
                       "precision": row["published_on_precision"], "url": row["source_url"]})
    return sorted(events, key=lambda e: (e["date"], e["what"]))


def observers(marts: Marts, election_key: str) -> list[dict]:
    findings = marts.rows(
        "select statement_id, organization, mission_type, statement_type, published_on, assessment, "
        "assessment_category, source_url from fct_observer_findings where election_key = ? "
        "order by published_on nulls last, organization, statement_id", [election_key])
    phrases: dict[str, list[dict]] = {}
    for row in marts.rows("select statement_id, category, evidence_phrase from fct_observer_allegations "
                          "where election_key = ? order by category, evidence_phrase", [election_key]):
        phrases.setdefault(row["statement_id"], []).append(row)
    for finding in findings:
        finding["phrases"] = phrases.get(finding["statement_id"], [])
    return findings


def research(marts: Marts, election_key: str) -> dict:
    """The research datasets' view of this election, each present only when its mart is published."""
    out: dict = {"notes": []}
    if marts.has(*DECO):
        row = marts.rows(
            f"select count(*) as events, sum(deaths_best) as deaths_best, sum(deaths_low) as deaths_low, "
            f"sum(deaths_high) as deaths_high from {DECO[0]} where election_key = ?", [election_key])[0]
        out["deco"] = row if row["events"] else None
    else:
        out["notes"].append("DECO (UCDP) deaths: " + marts.missing_note(*DECO))
    if marts.has(*INTEGRITY):
        columns = marts.tables[INTEGRITY[0]]
        pei_cols = [c for c in PEI_COLUMNS if c in columns]
        nelda_cols = [c for c in columns if c.startswith("nelda_") and not c.endswith("_status")]
        out["pei"] = marts.rows(
            f"select source_election_id, {', '.join(pei_cols) or 'null as pei_indexp'} from {INTEGRITY[0]} "
            "where election_key = ? and source = 'pei'", [election_key])
        flags = marts.rows(
            f"select source_election_id{''.join(', ' + c for c in nelda_cols)} from {INTEGRITY[0]} "
            "where election_key = ? and source = 'nelda'", [election_key]) if nelda_cols else []
        out["nelda"] = [{"id": f["source_election_id"],
                         "flags": [(c.removeprefix("nelda_").replace("_", " "), f[c]) for c in nelda_cols]}
                        for f in flags]
    else:
        out["notes"].append("PEI index and NELDA flags: " + marts.missing_note(*INTEGRITY))
    if marts.has(*AGREEMENT):
        out["agreement"] = marts.rows(
            f"select * from {AGREEMENT[0]} where election_key = ? order by question", [election_key])
    else:
        out["notes"].append("Source agreement: " + marts.missing_note(*AGREEMENT))
    return out


def annulment_speed(marts: Marts) -> list[dict]:
    return marts.rows("select election_key, decided_by, body_type, scope, decided_on, decided_on_precision, "
                      "days_to_decision from fct_annulments where days_to_decision is not null "
                      "order by days_to_decision, election_key")


def wasted_votes(marts: Marts) -> list[dict]:
    return marts.rows("select election_key, threshold_pct, wasted_vote_pct, wasted_vote_is_lower_bound, "
                      "lists_with_results, lists_passed, nearest_miss_party, nearest_miss_margin_pp "
                      "from fct_threshold_outcomes where wasted_vote_pct is not null order by election_key")


def deaths_by_source(marts: Marts) -> dict:
    """Latest death toll per election and authority family (all counted), plus DECO's when published."""
    ours = marts.rows("select election_key, authority_family, counted, is_primary_authority, latest_value, "
                      "latest_qualifier, latest_reported_at from fct_casualty_summary where metric = 'dead' "
                      "order by election_key, is_primary_authority desc, latest_value desc, authority_family")
    deco = None
    if marts.has(*DECO):
        deco = {r["election_key"]: r for r in marts.rows(
            f"select election_key, count(*) as events, sum(deaths_best) as deaths_best from {DECO[0]} "
            "where election_key is not null group by election_key")}
    return {"ours": ours, "deco": deco,
            "note": None if deco is not None else "DECO (UCDP) deaths: " + marts.missing_note(*DECO)}
