"""The report's charts: matplotlib figures rendered to SVG text at build time, inlined in the page.

No pyplot (no global state, no GUI backend): each chart is its own Figure on the SVG canvas.
Text stays text (svg.fonttype none) so pages are small and searchable; each chart gets its
own hash salt so the ids matplotlib writes (clip paths) do not collide when several SVGs share a
page. Every report point is a link to its source (matplotlib writes <a> around a point of a
collection whose urls are set).
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ingestion.report.collect import comparable

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
           "#aec7e8", "#ffbb78", "#98df8a"]
DROP = "#d62728"
PASS, FAIL, MISS = "#2ca02c", "#bbbbbb", "#d62728"
EVENT_STYLE = {"election": ("#1f77b4", "o"), "protests": ("#ff7f0e", "^"), "annulment": ("#d62728", "X"),
               "rerun": ("#2ca02c", "s"), "observers": ("#7f7f7f", "D")}
RC = {"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
      "font.family": ["DejaVu Sans", "sans-serif"]}


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasSVG(fig)
    return fig


def to_svg(fig: Figure, chart_id: str, title: str) -> str:
    """The figure as an inline <svg> element (no XML prolog), identified for the page and the tests."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**RC, "svg.hashsalt": chart_id}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<svg ", f'<svg id="{chart_id}" class="chart" role="img" aria-label="{_attr(title)}" ',
                  text, count=1)
    # a fixed pixel size would overflow small screens: keep the viewBox, let CSS size it
    text = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", text, count=1)
    return text


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _name_bars(bars, prefix: str) -> None:
    """Give each bar an id (matplotlib writes it on the bar's <g>), for the page's tests."""
    for i, patch in enumerate(bars.patches):
        patch.set_gid(f"{prefix}-{i}")


def _date_axis(ax) -> None:
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def casualty_timeline(chart_id: str, metric: str, series: dict, election_day: date | None) -> str:
    """One metric: each (authority, who was counted) a line; every report a point linked to its source."""
    with matplotlib.rc_context(RC):
        fig = _figure(10, 3.6)
        ax = fig.add_subplot()
        handles = []
        for i, ((_, family, counted), points) in enumerate(sorted(
                ((k, v) for k, v in series.items() if k[0] == metric), key=lambda kv: (kv[0][1], kv[0][2]))):
            colour = PALETTE[i % len(PALETTE)]
            label = family if counted == "all" else f"{family} — {counted.replace('_', ' ')}"
            totals = [p for p in points if comparable(p)]
            if len(totals) > 1:
                ax.plot([p["local_at"] for p in totals], [p["value"] for p in totals], color=colour, lw=1.4,
                        drawstyle="steps-post", alpha=0.8)
            for p in points:
                if p["value_high"] is not None and p["value_high"] != p["value"]:
                    ax.vlines(p["local_at"], p["value"], p["value_high"], color=colour, lw=3, alpha=0.35)
            dots = ax.scatter([p["local_at"] for p in points], [p["value"] for p in points], s=30,
                              color=[colour if comparable(p) else "white" for p in points],
                              edgecolors=[("white" if comparable(p) else colour) for p in points], linewidths=1.0,
                              zorder=3)
            dots.set_urls([p["source_url"] for p in points])
            dots.set_gid(f"{chart_id}-series-{i}")
            drops = [p for p in points if p["revised_down"]]
            if drops:
                marks = ax.scatter([p["local_at"] for p in drops], [p["value"] for p in drops], s=90, marker="v",
                                   color=DROP, zorder=4)
                marks.set_urls([p["source_url"] for p in drops])
                marks.set_gid(f"{chart_id}-drops-{i}")
                for p in drops:
                    ax.annotate(p["drop_kind"], (p["local_at"], p["value"]), xytext=(6, -12),
                                textcoords="offset points", color=DROP, fontsize=8)
            handles.append(Line2D([], [], color=colour, marker="o", lw=1.4, label=label))
        if election_day:
            ax.axvline(datetime.combine(election_day, datetime.min.time()), color="#444", ls=":", lw=1)
            ax.annotate("election day", (datetime.combine(election_day, datetime.min.time()), 1), xycoords=("data", "axes fraction"),
                        xytext=(3, -10), textcoords="offset points", fontsize=8, color="#444")
        if any(not comparable(p) for k, v in series.items() if k[0] == metric for p in v):
            handles.append(Line2D([], [], color="#555", marker="o", markerfacecolor="white", lw=0,
                                  label="partial count or part of a total (not joined)"))
        if any(p["revised_down"] for k, v in series.items() if k[0] == metric for p in v):
            handles.append(Line2D([], [], color=DROP, marker="v", lw=0, markersize=8, label="lower than the previous report"))
        ax.set_ylabel(metric)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#eee")
        _date_axis(ax)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        return to_svg(fig, chart_id, f"{metric} as reported over time, one line per authority")


def threshold_bars(chart_id: str, data: dict) -> str:
    """Vote share per list against the legal threshold; the nearest miss marked."""
    results, outcome = data["results"], data["outcome"] or {}
    threshold_pct = outcome.get("threshold_pct") or results[0]["threshold_pct"]
    miss = outcome.get("nearest_miss_party")
    with matplotlib.rc_context(RC):
        fig = _figure(10, max(2.2, 0.22 * len(results) + 0.9))
        ax = fig.add_subplot()
        names = [r["party_name"] for r in results][::-1]
        shares = [r["vote_share_pct"] for r in results][::-1]
        colours = [MISS if r["party_name"] == miss else PASS if r["passed_threshold"] else FAIL for r in results][::-1]
        bars = ax.barh(names, shares, color=colours)
        _name_bars(bars, f"{chart_id}-bar")
        if threshold_pct is not None:
            ax.axvline(threshold_pct, color="#222", lw=1.2, ls="--")
            ax.annotate(f"threshold {threshold_pct:g}%", (threshold_pct, 1), xycoords=("data", "axes fraction"),
                        xytext=(4, -2), textcoords="offset points", fontsize=8, va="top")
        for name, share in zip(names, shares):
            ax.annotate(f"{share:g}%", (share, name), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
        if miss in names:
            row = names.index(miss)
            margin = outcome.get("nearest_miss_margin_pp")
            ax.annotate(f"nearest miss ({margin:+g} pp)" if margin is not None else "nearest miss",
                        (shares[row], row), xytext=(32, 0), textcoords="offset points", va="center", color=MISS,
                        fontsize=8, fontweight="bold")
        ax.set_xlabel("share of the vote, %")
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="x", color="#eee")
        ax.set_axisbelow(True)
        return to_svg(fig, chart_id, "list results against the threshold")


def _label_levels(days: list[datetime], min_gap: timedelta) -> list[int]:
    """Put each label on the first level (+1, -1, +2, -2, ...) whose previous label is far enough left."""
    last: dict[int, datetime] = {}
    levels = []
    for day in days:
        for level in (1, -1, 2, -2, 3, -3, 4, -4):
            if level not in last or day - last[level] >= min_gap:
                break
        last[level] = day
        levels.append(level)
    return levels


def sequence_axis(chart_id: str, events: list[dict]) -> str:
    """Election, protests, annulment, re-run and observer statements on one time axis."""
    days = [datetime.combine(e["date"], datetime.min.time()) for e in events]
    span = max(days) - min(days) if len(days) > 1 else timedelta(days=10)
    levels = _label_levels(days, max(span * 0.16, timedelta(days=1)))
    depth = max(abs(v) for v in levels)
    with matplotlib.rc_context(RC):
        fig = _figure(10, 0.9 + 0.75 * depth)
        ax = fig.add_subplot()
        ax.axhline(0, color="#999", lw=1)
        for i, (event, day, level) in enumerate(zip(events, days, levels)):
            colour, marker = EVENT_STYLE.get(event["what"], ("#333", "o"))
            approximate = event.get("precision") not in (None, "day")
            dot = ax.scatter([day], [0], s=70, marker=marker, color="white" if approximate else colour,
                             edgecolors=colour, linewidths=1.5, zorder=3)
            dot.set_gid(f"{chart_id}-event-{i}")
            if event.get("url"):
                dot.set_urls([event["url"]])
            offset = (abs(level) - 1) * 26 + 10
            ax.annotate(f"{event['label']}\n{event['date']:%d %b %Y}{' (approx.)' if approximate else ''}",
                        (day, 0), xytext=(0, offset if level > 0 else -offset), textcoords="offset points",
                        ha="center", va="bottom" if level > 0 else "top", fontsize=8, color=colour,
                        arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6})
        pad = max(span * 0.12, timedelta(days=3))
        ax.set_xlim(min(days) - pad, max(days) + pad)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        _date_axis(ax)
        return to_svg(fig, chart_id, "election, protests, annulment and re-run on one time axis")


def annulment_days(chart_id: str, rows: list[dict]) -> str:
    """Days from polling day to the annulment decision, one bar per election, coloured by the deciding body."""
    with matplotlib.rc_context(RC):
        fig = _figure(10, 0.26 * len(rows) + 1.0)
        ax = fig.add_subplot()
        bodies = sorted({r["decided_by"] for r in rows})
        colours = {b: PALETTE[i % len(PALETTE)] for i, b in enumerate(bodies)}
        labels = [r["election_key"] for r in rows][::-1]
        values = [r["days_to_decision"] for r in rows][::-1]
        bars = ax.barh(labels, values, color=[colours[r["decided_by"]] for r in rows][::-1])
        _name_bars(bars, f"{chart_id}-bar")
        for label, value in zip(labels, values):
            ax.annotate(f"{value}", (value, label), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
        ax.legend(handles=[Line2D([], [], color=colours[b], lw=6, label=b) for b in bodies], frameon=False,
                  fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_xlabel("days from election day to the annulment decision")
        ax.grid(axis="x", color="#eee")
        ax.set_axisbelow(True)
        return to_svg(fig, chart_id, "days from election to annulment by deciding body")


def wasted_vs_threshold(chart_id: str, rows: list[dict]) -> str:
    """Share of the vote cast for lists that won no seat against the threshold, per election."""
    with matplotlib.rc_context(RC):
        fig = _figure(10, 3.6)
        ax = fig.add_subplot()
        for i, r in enumerate(rows):
            lower = r["wasted_vote_is_lower_bound"]
            dot = ax.scatter([r["threshold_pct"]], [r["wasted_vote_pct"]], s=60, color="white" if lower else PALETTE[0],
                             edgecolors=PALETTE[0], linewidths=1.5, zorder=3)
            dot.set_gid(f"{chart_id}-point-{i}")
            dot.set_urls([f"{r['election_key']}.html"])
            ax.annotate(r["election_key"] + (" (at least)" if lower else ""), (r["threshold_pct"], r["wasted_vote_pct"]),
                        xytext=(6, 3), textcoords="offset points", fontsize=8)
        ax.set_xlabel("legal threshold, % of the vote")
        ax.set_ylabel("wasted vote, % (lists below the threshold)")
        ax.set_xlim(0, max(r["threshold_pct"] for r in rows) * 1.5)
        ax.set_ylim(0, max(r["wasted_vote_pct"] for r in rows) * 1.2)
        ax.grid(color="#eee")
        return to_svg(fig, chart_id, "wasted vote against the threshold")


def deaths_side_by_side(chart_id: str, elections: list[str], columns: list[tuple[str, dict]]) -> str:
    """Deaths per crisis, one bar per source side by side (log scale: tolls span 1 to 1,000+)."""
    with matplotlib.rc_context(RC):
        fig = _figure(10, 3.6)
        ax = fig.add_subplot()
        width = 0.8 / max(1, len(columns))
        for j, (label, values) in enumerate(columns):
            xs = [i + (j - (len(columns) - 1) / 2) * width for i, e in enumerate(elections) if values.get(e)]
            ys = [values[e] for e in elections if values.get(e)]
            bars = ax.bar(xs, ys, width=width, color=PALETTE[j % len(PALETTE)], label=label)
            _name_bars(bars, f"{chart_id}-bar-{j}")
            for x, y in zip(xs, ys):
                ax.annotate(f"{y:,}", (x, y), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=6)
        ax.set_yscale("log")
        ax.set_xticks(range(len(elections)), elections, rotation=35, ha="right", fontsize=7)
        ax.set_ylabel("deaths (log scale)")
        ax.legend(frameon=False, fontsize=8)
        ax.grid(axis="y", color="#eee")
        ax.set_axisbelow(True)
        return to_svg(fig, chart_id, "deaths per crisis by source")
