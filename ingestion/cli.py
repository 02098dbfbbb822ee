"""`ecw`: the command line. The same functions as the Airflow DAG, without a scheduler."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import date
from pathlib import Path

import duckdb

from ingestion.query import DEFAULT_LIMIT as DEFAULT_QUERY_LIMIT
from ingestion.settings import Paths


def _print_table(columns: list[str], rows: list[tuple], out=None) -> None:
    out = out or sys.stdout
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    clip = lambda text, w: text if len(text) <= w else text[: w - 1] + "…"  # noqa: E731
    out.write(" | ".join(clip(c, w).ljust(w) for c, w in zip(columns, widths)) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(" | ".join(clip(v, w).ljust(w) for v, w in zip(row, widths)) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


# Read-only protects the marts, not the machine: without these a query could `copy ... to` a
# file, read local files (read_text, read_csv, attach) or load extensions. Locking the
# configuration stops a query from turning access back on with `set`.
READER_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def open_marts(paths: Paths) -> duckdb.DuckDBPyConnection:
    """Readers only ever see the published marts: read-only, no files or network beyond them."""
    if not paths.marts.exists():
        raise SystemExit(f"ecw: no published marts at {paths.marts} yet; run `make run` or `ecw run` first")
    return duckdb.connect(str(paths.marts), read_only=True, config=dict(READER_CONFIG))


def cmd_query(args) -> int:
    from ingestion.query import QueryRefused, print_query

    paths = Paths.from_env()
    con = open_marts(paths)
    try:
        print_query(con, args.sql, args.format, None if args.no_limit else args.limit)
    except QueryRefused as exc:
        print(f"ecw query: {exc}", file=sys.stderr)
        return 2
    except duckdb.PermissionException as exc:
        print("ecw query: queries may read the published marts only; reading or writing other files, "
              f"attaching databases and loading extensions are refused ({exc})", file=sys.stderr)
        return 2
    except duckdb.InvalidInputException as exc:
        if "read-only" in str(exc).lower():
            print(f"ecw query: the published marts are read-only; write statements are refused ({exc})", file=sys.stderr)
            return 2
        if "configuration has been locked" in str(exc):
            print(f"ecw query: settings cannot be changed on the published marts ({exc})", file=sys.stderr)
            return 2
        print(f"ecw query: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException:
        raise  # a lock or an unreadable file: the guard in main() names it
    except duckdb.Error as exc:
        print(f"ecw query: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def cmd_export(args) -> int:
    """Every published mart to CSV files or one Excel workbook, read as `ecw query` reads them."""
    from ingestion.query import QueryRefused, export

    paths = Paths.from_env()
    out_dir = Path(args.out) if args.out else paths.data_dir / "export"
    con = open_marts(paths)
    try:
        written = export(con, args.format, out_dir)
    except QueryRefused as exc:
        print(f"ecw export: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    files = sorted({str(f) for _, f, _ in written})
    where = files[0] if len(files) == 1 else f"{out_dir}/ ({len(files)} files)"
    print(f"exported {len(written)} marts, {sum(n for *_, n in written):,} rows, to {where}")
    return 0


def cmd_crisis(args) -> int:
    from ingestion.crisis import show_crisis

    paths = Paths.from_env()
    con = open_marts(paths)
    try:
        return show_crisis(con, args.election_key, colour=args.colour)
    finally:
        con.close()


# `ecw watch`: the crisis watch as the last run built it (its reference day is the build's day)
WATCH_COLUMNS = ["crisis_rank", "crisis_score", "election_key", "election_date", "days_since_election",
                 "deaths_most_reported", "acled_protest_events", "acled_riot_events", "acled_fatalities",
                 "ucdp_events", "ucdp_deaths_best", "casualty_deaths_reported", "annulment_decisions",
                 "recount_decisions", "observer_negative_statements", "signal_sources"]


def cmd_watch(args) -> int:
    paths = Paths.from_env()
    con = open_marts(paths)
    try:
        present = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'crisis_watch'").fetchall()}
        if not present:
            raise SystemExit("ecw: the published marts have no crisis_watch yet; run `ecw run` first")
        columns = [c for c in WATCH_COLUMNS if c in present]  # an older mart without a column loses that column
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(f"select {quoted} from crisis_watch order by crisis_rank limit ?", [args.limit]).fetchall()
        as_of = con.execute("select max(as_of_date) from crisis_watch").fetchone()[0] if "as_of_date" in present else None
        # ACLED's terms: its figures are shown with its attribution, as the mart carries it
        attribution = con.execute("select max(acled_attribution) from crisis_watch").fetchone()[0] \
            if "acled_attribution" in present else None
        total = con.execute("select count(*) from crisis_watch").fetchone()[0]
    finally:
        con.close()
    print(f"Crisis watch as of {as_of or 'the last build'}: {total} election(s) in the window, most crisis first "
          "(rank rule: docs/crisis_watch.md)")
    _print_table(columns, [tuple(", ".join(v) if isinstance(v, list) else v for v in row) for row in rows])
    if attribution:
        print(f"ACLED figures: {attribution}")
    return 0


def _warehouse_free(paths: Paths) -> None:
    """Fail before fetching anything when another process holds the warehouse (the guard names it)."""
    if paths.warehouse.exists():
        duckdb.connect(str(paths.warehouse)).close()


def cmd_run(args) -> int:
    from ingestion.derive import DeriveError
    from ingestion.pipeline import GateFailed, run_all
    from ingestion.transform import TransformError

    _warehouse_free(Paths.from_env())
    try:
        result = run_all(args.logical_date)
    except DeriveError as exc:
        print(f"ecw run: derive failed, nothing published: {exc}", file=sys.stderr)
        return 5
    except GateFailed as exc:
        print(f"ecw run: {exc}", file=sys.stderr)
        return 3
    except TransformError as exc:
        print(f"ecw run: transform failed, nothing published:\n{exc}", file=sys.stderr)
        return 4
    print(f"published: {result['publish']['path']}")
    return 0


def cmd_status(args) -> int:
    from ingestion.run_status import last_run, source_states

    paths = Paths.from_env()
    run = last_run(paths)
    if not run:
        print("no run recorded yet")
    else:
        print(f"last run {run['run_id']} (updated {run.get('updated_at')})")
        for stage, info in run.get("stages", {}).items():
            print(f"  {stage:<10} {info['status']:<8} at {info['at']}")
            if stage == "derive" and "bulletins_derived" in info:
                print(f"      extractor {info['extractor_version']}: {info['bulletins_derived']} bulletin(s)"
                      f"{' re-derived' if info.get('rederivation') else ''}, {info['figures']} figure(s), "
                      f"{info['quarantined']} quarantined (no figure read: derived.derivation_issues)")
                if info.get("reports_derived") or info.get("reports_quarantined"):
                    print(f"      ReliefWeb: {info['reports_derived']} report(s), {info['report_figures']} figure(s) "
                          f"(machine-read, secondary), {info['reports_quarantined']} quarantined "
                          f"(derived.reliefweb_derivation_issues)")
            if info.get("error"):
                print(f"      ✗ {info['error'][:300]}")
            for failure in info.get("failures") or []:
                print(f"      ✗ {failure['suite']}: {failure['expectation']} on {failure['table']}"
                      f"{'.' + failure['column'] if failure.get('column') else ''}: {failure['unexpected_count']} row(s)")
            for error in info.get("errors") or []:
                print(f"      ✗ {error}")
    print("\nsources (freshness of the last good data):")
    rows = [(s["source"], s.get("last_status"), s.get("last_success_at") or "never", s.get("last_attempt_at"),
             (s.get("last_error") or "")[:90]) for s in source_states(paths)]
    _print_table(["source", "last attempt", "last success", "attempted at", "error"], rows)
    print("\nquarantined records:")
    try:
        con = duckdb.connect(str(paths.warehouse), read_only=True)
    except duckdb.Error as exc:
        print(f"  (warehouse not readable now: {exc})")
        return 0
    try:
        rows = con.execute("select source, reason, count(*) as records, max(quarantined_at) as last_seen "
                           "from raw.quarantine group by all order by records desc, source limit 30").fetchall()
        _print_table(["source", "reason", "records", "last seen"], rows)
    except duckdb.Error:
        print("  (none: the warehouse has no quarantine table yet)")
    try:
        rows = con.execute("select extractor_version, bulletin_id, reason from derived.derivation_issues "
                           "order by recorded_at desc, bulletin_id limit 30").fetchall()
        print("\nbulletins the derive stage could not read (derived.derivation_issues):")
        _print_table(["extractor", "bulletin", "reason"], rows)
        rows = con.execute("select extractor_version, report_id, reason from derived.reliefweb_derivation_issues "
                           "order by recorded_at desc, report_id limit 30").fetchall()
        if rows:
            print("\nReliefWeb reports the derive stage could not read (derived.reliefweb_derivation_issues):")
            _print_table(["extractor", "report", "reason"], rows)
    except duckdb.Error:
        pass  # no derive has run on this warehouse yet (or none since reports were derived)
    finally:
        con.close()
    if paths.marts.exists():
        con = duckdb.connect(str(paths.marts), read_only=True)
        try:
            published = con.execute("select published_at, run_id from _publication").fetchone()
            print(f"\npublished marts: {paths.marts} (published {published[0]}, run {published[1]})")
        except duckdb.Error:
            print(f"\npublished marts: {paths.marts}")
        try:
            rows = con.execute("select source, data_fetched_at, latest_payload_in_use, rows_loaded, rows_quarantined "
                               "from source_freshness order by data_fetched_at, source").fetchall()
            print("\ndata in the published marts, oldest first (a failing source keeps its last good payload):")
            _print_table(["source", "data fetched at", "latest payload in use", "rows", "quarantined"], rows)
        except duckdb.Error:
            pass  # marts published before source_freshness existed
        finally:
            con.close()
    return 0


def _age(moment) -> str:
    from datetime import datetime, timezone

    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    hours = (datetime.now(timezone.utc) - moment).total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def cmd_sources(args) -> int:
    """Every registry source: licence, last fetch, rows in the published marts and how old they are."""
    from ingestion.registry import load_registry
    from ingestion.run_status import source_states

    paths = Paths.from_env()
    states = {s["source"]: s for s in source_states(paths)}
    published: dict[str, tuple] = {}
    if paths.marts.exists():
        con = open_marts(paths)
        try:
            published = {r[0]: r[1:] for r in con.execute(
                "select source, data_fetched_at, rows_loaded, rows_quarantined from source_freshness").fetchall()}
        except duckdb.Error:
            pass  # marts published before source_freshness existed
        finally:
            con.close()
    rows = []
    for source in load_registry():
        state = states.get(source.id, {})
        fetched_at, loaded, quarantined = published.get(source.id, (None, None, None))
        if not source.is_active:
            freshness = "disabled (see schedule notes)"
        elif fetched_at is None:
            freshness = "never loaded"
        else:
            freshness = f"data {_age(fetched_at)} old"
            if state.get("last_status") == "failed":
                freshness += ", last fetch failed"
        rows.append((source.id, source.family, source.licence, state.get("last_success_at") or "never",
                     loaded, quarantined, freshness))
    _print_table(["source", "family", "licence", "last good fetch", "rows", "quarantined", "freshness"], rows)
    if args.verbose:
        for source in load_registry():
            print(f"\n{source.id}: {source.publisher}\n  citation: {source.citation}\n  licence: {source.licence}"
                  f"\n  url: {source.url_template}" + (f"\n  publisher's file: {source.download_url}" if source.download_url else "")
                  + (f"\n  notes: {source.schedule_notes}" if source.schedule_notes else ""))
    return 0


def cmd_extract_casualties(args) -> int:
    from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage, figures_as_json_lines

    text = sys.stdin.read()
    try:
        lines = list(figures_as_json_lines(text, reported_at=args.reported_at, language=args.language,
                                           explain=args.explain))
    except UnsupportedLanguage as exc:
        print(f"ecw extract-casualties: stdin: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    if args.explain:
        print(f"extractor {EXTRACTOR_VERSION}: {len(lines)} figure(s); cues name the words that made each one",
              file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    """The static HTML report (data/report/) from the published marts."""
    from ingestion.report.build import build_report
    from ingestion.report.marts import NoPublishedMarts

    paths = Paths.from_env()
    try:
        outcome = build_report(paths, Path(args.out) if args.out else None)
    except NoPublishedMarts as exc:
        print(f"ecw report: {exc}", file=sys.stderr)
        return 2
    print(f"report: {outcome.directory / 'index.html'} ({len(outcome.pages)} pages, {outcome.charts} charts, "
          f"{outcome.seconds:.1f} s)")
    for note in outcome.notes:
        print(f"  skipped: {note}")
    return 0


def _ctrl_c_stops() -> None:
    """Ctrl-C raises KeyboardInterrupt even when this process was started with SIGINT ignored
    (as a shell without job control starts background commands, and so their children): Python
    then installs no handler of its own, and the server would never stop on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def cmd_serve_snapshot(args) -> int:
    from ingestion.snapshot_server import serve_forever

    _ctrl_c_stops()
    try:
        serve_forever(port=args.port)
    except KeyboardInterrupt:  # Ctrl-C is how this server is meant to stop
        print("stopped", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    """One local page on 127.0.0.1 linking the report, dbt docs, quality page, Airflow (ingestion/serve.py)."""
    from ingestion.serve import make_server

    paths = Paths.from_env()
    server = make_server(paths, args.port)
    print(f"serving http://127.0.0.1:{server.server_address[1]}/ from {paths.data_dir} (Ctrl-C stops)", flush=True)
    _ctrl_c_stops()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecw", description="Election crises warehouse")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the nightly pipeline once, without a scheduler")
    run.add_argument("--logical-date", default=date.today().isoformat())
    run.set_defaults(func=cmd_run)
    query = sub.add_parser("query", help="read-only SQL on the published marts")
    query.add_argument("sql", help="one or more statements separated by ';', run in order")
    query.add_argument("--format", choices=["table", "csv", "json", "jsonl"], default="table",
                       help="table (default), csv, json (one array of objects) or jsonl (one object per line)")
    limit = query.add_mutually_exclusive_group()
    limit.add_argument("--limit", type=_positive, default=DEFAULT_QUERY_LIMIT, metavar="N",
                       help=f"fetch at most N rows per statement (default {DEFAULT_QUERY_LIMIT}); a cut result says so")
    limit.add_argument("--no-limit", action="store_true", help="fetch every row")
    query.set_defaults(func=cmd_query)
    export = sub.add_parser("export", help="write every published mart to CSV files or one Excel workbook")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", default=None, help="directory to write to (default: data/export/)")
    export.set_defaults(func=cmd_export)
    crisis = sub.add_parser("crisis", help="one election on one screen: annulment, threshold, casualties, observers")
    crisis.add_argument("election_key", help="e.g. KGZ-2020-PARL (ecw query \"select election_key from election_crises\")")
    crisis.add_argument("--colour", "--color", choices=["auto", "always", "never"], default="auto",
                        help="auto: colour on a terminal unless NO_COLOR is set")
    crisis.set_defaults(func=cmd_crisis)
    watch = sub.add_parser("watch", help="the crisis watch: elections of the last 90 / next 30 days, most crisis first")
    watch.add_argument("--limit", type=_positive, default=50, help="print at most this many elections (default 50)")
    watch.set_defaults(func=cmd_watch)
    status = sub.add_parser("status", help="last run, source freshness, gate result, quarantine")
    status.set_defaults(func=cmd_status)
    sources = sub.add_parser("sources", help="every source: licence, last fetch, rows, freshness")
    sources.add_argument("-v", "--verbose", action="store_true", help="also print each source's citation and URLs")
    sources.set_defaults(func=cmd_sources)
    extract = sub.add_parser("extract-casualties", help="read bulletin text on stdin, print one JSON figure per line")
    extract.add_argument("--reported-at", default=None)
    extract.add_argument("--language", default=None,
                         help="ISO 639-1 code of the text (en, es, pt, fr, ru, pl, sk); detected per sentence if omitted")
    extract.add_argument("--explain", action="store_true",
                         help="add to each figure the words that made it (number, metric cue, qualifier, negation, scope)")
    extract.set_defaults(func=cmd_extract_casualties)
    report = sub.add_parser("report", help="build the offline HTML report from the published marts into data/report/")
    report.add_argument("--out", default=None, help="output directory (default: <data dir>/report)")
    report.set_defaults(func=cmd_report)
    serve = sub.add_parser("serve-snapshot", help="serve the bundled snapshot on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=cmd_serve_snapshot)
    home = sub.add_parser("serve", help="one local page on 127.0.0.1 linking the report, dbt docs, quality gate and Airflow")
    home.add_argument("--port", type=int, default=8780)
    home.set_defaults(func=cmd_serve)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value} (--no-limit lifts the limit)")
    return value


def main(argv: list[str] | None = None) -> int:
    """Every command runs inside the guard: an ordinary mistake is one line and an exit code
    (ingestion/cli_guard.py; ECW_DEBUG=1 shows tracebacks)."""
    from ingestion.cli_guard import guarded

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return guarded(f"ecw {args.command}", lambda: args.func(args), port=getattr(args, "port", None))


if __name__ == "__main__":
    sys.exit(main())
