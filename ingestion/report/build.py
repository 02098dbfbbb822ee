"""Build the static report: data/report/index.html plus one page per crisis, from the published marts.

Everything a page needs is inside it (SVG, CSS, JS inline), so it opens from disk with no
server and nothing fetched. The output directory is replaced in one rename, so a reader never
sees half a report.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ingestion.report import charts, collect
from ingestion.report.marts import Marts
from ingestion.settings import Paths

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ReportOutcome:
    directory: Path
    pages: list[str]
    charts: int
    seconds: float
    notes: list[str]


def page_name(election_key: str) -> str:
    """File name of a crisis page: the election key, reduced to characters safe in a URL and a path."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", election_key) + ".html"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,}" if isinstance(v, int) else f"{v:,.2f}".rstrip("0").rstrip("."))
    env.filters["raw"] = lambda v: "" if v is None else str(v)
    env.filters["page"] = page_name
    env.globals["css"] = (HERE / "static" / "report.css").read_text(encoding="utf-8")
    env.globals["js"] = (HERE / "static" / "report.js").read_text(encoding="utf-8")
    return env


def _crisis_page(marts: Marts, crisis: dict) -> tuple[dict, int]:
    key = crisis["election_key"]
    slug = page_name(key)[:-5]
    casualties = collect.casualty_series(marts, key)
    timelines = [{"metric": metric, "svg": charts.casualty_timeline(f"casualties-{metric}-{slug}", metric,
                                                                     casualties["series"], crisis["election_date"])}
                 for metric in casualties["metrics"] if any(k[0] == metric for k in casualties["series"])]
    threshold = collect.threshold(marts, key)
    events = collect.sequence(marts, crisis)
    context = {
        "crisis": crisis, "casualties": casualties, "timelines": timelines, "threshold": threshold,
        "threshold_svg": charts.threshold_bars(f"threshold-{slug}", threshold) if threshold else None,
        "events": events, "sequence_svg": charts.sequence_axis(f"sequence-{slug}", events),
        "observers": collect.observers(marts, key), "research": collect.research(marts, key),
    }
    return context, len(timelines) + 1 + (1 if threshold else 0)


def _deaths_columns(marts: Marts, crisis_keys: list[str]) -> tuple[list[str], list[tuple[str, dict]], dict]:
    data = collect.deaths_by_source(marts)
    primary: dict[str, int] = {}
    other: dict[str, int] = {}
    for row in data["ours"]:
        if row["counted"] != "all" or row["latest_value"] is None:
            continue
        target = primary if row["is_primary_authority"] else other
        target[row["election_key"]] = max(target.get(row["election_key"], 0), row["latest_value"])
    columns = [("primary authority, latest", primary), ("highest other authority, latest", other)]
    if data["deco"] is not None:
        columns.append(("DECO (UCDP), best estimate",
                        {k: int(v["deaths_best"]) for k, v in data["deco"].items() if v["deaths_best"] is not None}))
    elections = [k for k in crisis_keys if any(values.get(k) for _, values in columns)]
    return elections, columns, data


def build_report(paths: Paths | None = None, out_dir: Path | None = None) -> ReportOutcome:
    started = time.monotonic()
    paths = paths or Paths.from_env()
    out_dir = out_dir or paths.data_dir / "report"
    marts = Marts.open(paths)
    env = _environment()
    staging = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        crises = collect.crises(marts)
        meta = {"published_at": marts.published_at, "run_id": marts.run_id, "marts_file": marts.path.name,
                "version": marts.path.parent.name}
        pages, chart_count, notes = [], 0, []
        for crisis in crises:
            context, n = _crisis_page(marts, crisis)
            chart_count += n
            notes.extend(context["research"]["notes"])
            (staging / page_name(crisis["election_key"])).write_text(
                env.get_template("crisis.html.j2").render(meta=meta, title=crisis["election_key"], **context),
                encoding="utf-8")
            pages.append(page_name(crisis["election_key"]))
        speed = collect.annulment_speed(marts)
        wasted = collect.wasted_votes(marts)
        elections, columns, deaths = _deaths_columns(marts, [c["election_key"] for c in crises])
        overview = {
            "crises": crises, "speed": speed, "wasted": wasted, "deaths_elections": elections,
            "deaths_columns": columns, "deaths": deaths, "pages": {c["election_key"] for c in crises},
            "speed_svg": charts.annulment_days("overview-annulment-days", speed) if speed else None,
            "wasted_svg": charts.wasted_vs_threshold("overview-wasted-vote", wasted) if wasted else None,
            "deaths_svg": charts.deaths_side_by_side("overview-deaths", elections, columns) if elections else None,
        }
        chart_count += sum(1 for k in ("speed_svg", "wasted_svg", "deaths_svg") if overview[k])
        if deaths["note"]:
            notes.append(deaths["note"])
        (staging / "index.html").write_text(
            env.get_template("index.html.j2").render(meta=meta, title="Election crises", **overview), encoding="utf-8")
        pages.insert(0, "index.html")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        marts.close()
    screenshots = out_dir / "screenshots"
    if screenshots.is_dir():  # the browser test's last screenshots stay until it writes new ones
        shutil.move(str(screenshots), staging / "screenshots")
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.old")
        os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old)
    else:
        os.replace(staging, out_dir)
    return ReportOutcome(out_dir, pages, chart_count, time.monotonic() - started, sorted(set(notes)))
