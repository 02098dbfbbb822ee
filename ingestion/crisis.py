"""`ecw crisis <election_key>`: one election on one screen, from the published marts only.

Annulment, threshold outcome, the latest casualty figures (who was counted, by which authority,
as of when in the publisher's local time), the observers' verdicts and every source URL behind
them. Columns are read by name from `select *`, so a mart that gains a column changes nothing
here and one that loses a column loses a line, not the command. Text from the marts is never
parsed as rich markup (a `[` in a party name stays a `[`).
"""
from __future__ import annotations

import difflib
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

METRIC_ORDER = ["dead", "injured", "hospitalized", "icu", "discharged", "detained"]
VERDICT_STYLE = {"positive": "green", "mixed": "yellow", "negative": "bold red"}
LABEL = 12  # width of the section labels
QUALIFIER = {"at_least": "≥", "more_than": ">", "about": "~", "up_to": "≤"}


def _rows(con: duckdb.DuckDBPyConnection, table: str, key: str, order: str = "") -> list[dict]:
    try:
        cursor = con.execute(f"select * from {table} where election_key = ? {order}", [key])
    except duckdb.CatalogException:
        return []  # a mart this publication does not have
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def election_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select election_key from dim_election order by 1").fetchall()]


def suggestions(key: str, keys: list[str]) -> list[str]:
    """Close keys: same country and year first, then by spelling (difflib)."""
    upper = key.upper()
    close = difflib.get_close_matches(upper, keys, n=5, cutoff=0.6)
    same_prefix = [k for k in keys if upper[:8] and k.startswith(upper[:8]) and k not in close]
    return (close + same_prefix)[:5]


def _day(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return "" if value is None else str(value)


def _dated(value, precision: str | None) -> str:
    """A date at its precision: 2020-10-06, Oct 2020, 2020."""
    if value is None:
        return "date unknown"
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%b %Y}"
    return _day(value)


def _as_of(start, until, zone: str | None) -> str:
    """When a figure was published, in the publisher's local time: a whole local day as its date."""
    if start is None:
        return "undated"
    try:
        tz = ZoneInfo(zone) if zone else None
    except Exception:  # noqa: BLE001 - an unknown zone name: show UTC
        tz = None
    local = (lambda m: m.astimezone(tz)) if tz else (lambda m: m)
    begin, end = local(start), local(until) if until else None
    label = zone or "UTC"
    if end is not None and begin.time().isoformat() == "00:00:00" and end - begin >= timedelta(hours=23, minutes=59) \
            and end - begin < timedelta(days=1):
        return f"{begin:%Y-%m-%d} ({label})"
    if end is None or end == begin:
        return f"{begin:%Y-%m-%d %H:%M} ({label})"
    return f"{begin:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({label})"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}" if isinstance(value, (int, float)) else str(value)


def _line(label: str, *parts) -> tuple[str, Text]:
    """One row of the screen: a section label (or "") and its text, kept indented when it wraps."""
    text = Text()
    for part in parts:
        text.append(part) if isinstance(part, (str, Text)) else text.append(*part)
    return label, text


def _more(*parts) -> tuple[str, Text]:
    return _line("", *parts)


def render(con: duckdb.DuckDBPyConnection, key: str) -> list:
    """The renderables of one election's screen (Text lines and one Table)."""
    election = (_rows(con, "dim_election", key) or [{}])[0]
    crisis = (_rows(con, "election_crises", key) or [None])[0]
    row = crisis or election
    try:
        name = con.execute("select country_name from dim_country where country_iso3 = ?",
                           [row.get("country_iso3")]).fetchone()
    except duckdb.Error:
        name = None
    out: list = []  # (label, renderable) rows
    head = Text(key, style="bold")
    facts = [name[0] if name else row.get("country_iso3"),
             " ".join(p for p in [election.get("election_type"), f"({election['chamber']})" if election.get("chamber") else ""] if p),
             (f"round {election['round']}" if election.get("round") and election.get("election_type") == "presidential" else ""),
             _dated(row.get("election_date"), row.get("election_date_precision"))]
    head.append("  " + " · ".join(f for f in facts if f))
    out.append(("", head))
    scale = [f"turnout {_number(election.get('turnout_pct'))}%" if election.get("turnout_pct") is not None else "",
             f"{_number(election.get('registered_voters'))} registered" if election.get("registered_voters") else "",
             f"{_number(election.get('seats_total'))} seats" if election.get("seats_total") else "",
             f"{_number(election.get('lists_contesting'))} lists" if election.get("lists_contesting") else "",
             f"{_number(election.get('candidates_contesting'))} candidates" if election.get("candidates_contesting") else ""]
    if any(scale):
        out.append(("", Text(" · ".join(s for s in scale if s), style="dim")))
    if crisis is None:
        out.append(("", Text("not among the crisis elections (election_crises); what the marts hold on it:",
                             style="yellow")))
    out.append(("", Text("")))

    # annulment
    annulments = _rows(con, "fct_annulments", key, "order by decided_on nulls last, decision_id")
    annulled = row.get("annulled")
    if annulled:
        verdict = Text("ANNULLED", style="bold red")
        if row.get("annulment_scope"):
            verdict.append(f" ({row['annulment_scope']})", style="red")
    elif annulled is False:
        verdict = Text("not annulled", style="green")
    elif annulments:
        verdict = Text("annulment reported, its effect unclear (disputed)", style="yellow")
    else:
        verdict = Text("no annulment decision in the sources", style="dim")
    out.append(_line("Annulment", verdict))
    for decision in annulments[:3]:
        when = _dated(decision.get("decided_on"), decision.get("decided_on_precision"))
        days = decision.get("days_to_decision")
        out.append(_more(f"{decision.get('decision_id')}: {when} by {decision.get('decided_by') or 'unknown body'}"
                         + (f" ({decision['body_type'].replace('_', ' ')})" if decision.get("body_type") else "")
                         + (f", {days} days after election day" if days is not None else "")
                         + (" · disputed" if decision.get("disputed") else "")))
        if decision.get("legal_basis"):
            out.append(_more(("legal basis: ", "dim"), str(decision["legal_basis"])))
    follow = [f"protests from {_dated(row['protest_start_date'], row.get('protest_start_date_precision'))}"
              + (" (approx.)" if row.get("protest_start_date_is_approximate") else "")
              if row.get("protest_start_date") else "",
              f"re-run {str(row.get('rerun_status')).replace('_', ' ')}" + (f" ({_dated(row['rerun_date'], row.get('rerun_date_precision'))})"
                                                    if row.get("rerun_date") else "") if row.get("rerun_status") else "",
              f"re-run election {row['rerun_election_key']}" if row.get("rerun_election_key") else "",
              ("the re-run changed the leading list" if row.get("rerun_changed_winner")
               else "same leading list in the re-run" if row.get("rerun_changed_winner") is False else ""),
              f"next election {row['next_election_key']}" if row.get("next_election_key") else ""]
    if any(follow):
        out.append(_more(" · ".join(f for f in follow if f)))

    # threshold
    outcome = (_rows(con, "fct_threshold_outcomes", key) or [None])[0]
    threshold = row.get("threshold_pct")
    if outcome:
        passed = Text(f"{_number(outcome.get('lists_passed'))} of {_number(outcome.get('lists_with_results'))} lists passed")
        wasted = outcome.get("wasted_vote_pct")
        out.append(_line("Threshold", (f"{_number(threshold)}%", "bold"),
                         f" ({election.get('threshold_origin') or 'source'}"
                         + (f"; {outcome['threshold_scope']}" if outcome.get("threshold_scope") else "") + "): ",
                         passed,
                         (f", {_number(wasted)}% of the vote wasted" + (" (at least)" if outcome.get("wasted_vote_is_lower_bound") else ""),
                          "bold red" if wasted and wasted >= 10 else "") if wasted is not None else ""))
        if outcome.get("nearest_miss_party"):
            out.append(_more(f"nearest miss {outcome['nearest_miss_party']} ({_number(outcome.get('nearest_miss_margin_pp'))} pp)"
                             + (f" · ENP {outcome['enp_votes']:.2f}" if outcome.get("enp_votes") is not None else "")
                             + (f" · Gallagher {outcome['gallagher_index']:.2f}" if outcome.get("gallagher_index") is not None else "")))
    elif threshold is not None:
        out.append(_line("Threshold", f"{_number(threshold)}% ({election.get('threshold_origin') or 'source'}); "
                         "no list results in the sources"))
    else:
        out.append(_line("Threshold", ("no legal threshold known for this election", "dim")))

    # casualties
    figures = _rows(con, "fct_casualty_summary", key)
    figures.sort(key=lambda f: (METRIC_ORDER.index(f["metric"]) if f.get("metric") in METRIC_ORDER else 99,
                                f.get("counted") != "all", not f.get("is_primary_authority"),
                                str(f.get("authority_family"))))
    zones = {f.get("timezone") for f in figures}
    one_zone = next(iter(zones)) if len(zones) == 1 else None
    if figures:
        out.append(_line("Casualties", "latest figure of each authority by who was counted; ★ the one "
                         "election_crises shows; as of: " + (f"local time, {one_zone}" if one_zone else "local time") + "; "
                         "≥ at least, > more than, ~ about"))
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False, pad_edge=False)
        table.add_column("figure", max_width=22)
        table.add_column("latest", justify="right", no_wrap=True)
        table.add_column("authority", min_width=20, ratio=1)
        table.add_column("as of", no_wrap=True)
        table.add_column("rev.", justify="right", no_wrap=True)
        for f in figures:
            value = Text(_number(f.get("latest_value")))
            if f.get("latest_qualifier") not in (None, "exact"):
                value = Text(QUALIFIER.get(f["latest_qualifier"], f"{f['latest_qualifier']} ")) + value
            if f.get("metric") == "dead" and f.get("latest_value"):
                value.stylize("bold red")
            revised = Text(str(f.get("revisions") or 0))
            if f.get("has_drop"):
                revised.append(" ↓", style="yellow")
            figure = str(f.get("metric")) + ("" if f.get("counted") in (None, "all")
                                             else f" ({str(f['counted']).replace('_', ' ')})")
            as_of = _as_of(f.get("latest_reported_at"), f.get("latest_reported_until"), f.get("timezone"))
            if one_zone:
                as_of = as_of.replace(f" ({one_zone})", "")
            table.add_row(figure, value, Text(("★ " if f.get("is_primary_authority") else "") + str(f.get("authority_family"))),
                          as_of, revised)
        out.append(("", table))
        if any(f.get("has_drop") for f in figures):
            out.append(_more(("↓ a later figure was lower than an earlier one (a revision down, or a count of people "
                              "still in hospital)", "dim")))
    else:
        out.append(_line("Casualties", ("no casualty figures in the sources", "dim")))

    # observers
    findings = _rows(con, "fct_observer_findings", key, "order by published_on nulls last, statement_id")
    if findings:
        for n, finding in enumerate(findings):
            category = finding.get("assessment_category")
            parts = [(f"{finding.get('organization')}", "bold"),
                     f" ({finding['statement_type'].replace('_', ' ')}" if finding.get("statement_type") else "",
                     (f", {_dated(finding['published_on'], finding.get('published_on_precision'))}" if finding.get("published_on") else ""),
                     ")" if finding.get("statement_type") else "",
                     ": ", (category or "unclassified", VERDICT_STYLE.get(category, "dim"))]
            out.append(_line("Observers" if n == 0 else "", *parts))
            if finding.get("assessment"):
                out.append(_more(("“" + str(finding["assessment"]) + "”", "italic")))
            if finding.get("allegations"):
                out.append(_more(("allegations: ", "dim"), ", ".join(a.replace("_", " ") for a in finding["allegations"])))
    else:
        out.append(_line("Observers", ("no observer statement in the sources", "dim")))

    # sources
    urls: list[tuple[str, str]] = []
    for label, url in ([("election", election.get("source_url")), ("threshold", election.get("threshold_source_url"))]
                       + [("annulment decision", d.get("source_url")) for d in annulments]
                       + [(f"{f.get('metric')}, {f.get('authority_family')}", f.get("latest_source_url")) for f in figures]
                       + [(f"observer {f.get('organization')}", f.get("source_url")) for f in findings]):
        if url and url not in [u for _, u in urls]:
            urls.append((label, url))
    registry = election.get("sources")
    if registry:
        out.append(_line("Sources", ("registry sources: " + ", ".join(registry), "dim")))
    listing = Table.grid(padding=(0, 1))
    listing.add_column(style="dim", max_width=20)
    listing.add_column(ratio=1, overflow="fold")  # a URL is folded when too long, never cut
    for label, url in urls:
        listing.add_row(label, Text(url, style=f"link {url}", overflow="fold"))
    if urls:
        out.append(("" if registry else "Sources", listing))
    return out


def show_crisis(con: duckdb.DuckDBPyConnection, key: str, colour: str = "auto") -> int:
    keys = election_keys(con)
    if key not in keys and key.upper() in keys:
        key = key.upper()
    if key not in keys:
        close = suggestions(key, keys)
        hint = (f"did you mean {', '.join(close)}?" if close else
                "keys look like KGZ-2020-PARL (ISO3-year-type); `ecw query \"select election_key from dim_election\"` lists them")
        print(f"ecw crisis: no election {key!r} in the published marts; {hint}", file=sys.stderr)
        return 2
    # --colour always overrides NO_COLOR, as no-color.org asks of a per-invocation flag
    options = ({"force_terminal": True, "no_color": False} if colour == "always" else
               {"color_system": None} if colour == "never" else {})
    console = Console(highlight=False, emoji=False, **options)  # auto: rich's own test (a tty, NO_COLOR, TERM)
    rows = render(con, key)
    casualty_table = next((r for _, r in rows if isinstance(r, Table) and r.columns[0].header == "figure"), None)
    while rows and rows[0][0] == "" and isinstance(rows[0][1], Text):  # the heading, unindented
        console.print(rows.pop(0)[1])
    grid = _grid()
    for label, renderable in rows:
        if renderable is casualty_table:  # the casualty table takes the whole width
            console.print(grid)
            console.print(renderable)
            grid = _grid()
        else:
            grid.add_row(label, renderable)
    console.print(grid)
    return 0


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold cyan", width=LABEL - 1, no_wrap=True)
    grid.add_column(ratio=1)
    return grid
