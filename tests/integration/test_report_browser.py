"""The report in a real headless browser: Debian's chromium over the DevTools Protocol.

Built from real published marts: those of the data directory when `make run` has published
there (ECW_DATA_DIR or data/), otherwise one real run of the pipeline on the bundled snapshot
in a scratch directory. Every page opens from file:// with no console error and no request
leaving the machine, every chart's SVG is drawn, a screenshot of each page lands in
<data dir>/report/screenshots/, and the figures on the pages equal the marts, asked again here.
"""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from ingestion.report.build import build_report, page_name
from ingestion.settings import Paths
from tests.conftest import REPO_ROOT
from tests.support.cdp import Browser, find_chromium

pytestmark = pytest.mark.slow
INSTALL_SCRIPT = REPO_ROOT / "scripts" / "install_chromium.sh"


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None and os.geteuid() == 0 and os.environ.get("ECW_NO_APT") != "1":
        subprocess.run(["bash", str(INSTALL_SCRIPT)], check=False, timeout=900)
        found = find_chromium()
    if found is None:
        pytest.skip("no chromium here and it could not be installed (needs root and Debian's archive: "
                    f"run {INSTALL_SCRIPT.relative_to(REPO_ROOT)} or `apt-get install chromium`)")
    return found


@pytest.fixture(scope="module")
def published(snapshot_night) -> Paths:
    return snapshot_night.paths


@pytest.fixture(scope="module")
def report(published):
    started = time.monotonic()
    outcome = build_report(published)
    print(f"\nreport built: {len(outcome.pages)} pages, {outcome.charts} charts in {time.monotonic() - started:.1f} s")
    return outcome


@pytest.fixture(scope="module")
def marts(published):
    con = duckdb.connect(os.path.realpath(published.marts), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def browser(chromium):
    b = Browser(chromium)
    yield b
    b.close()


@pytest.fixture(scope="module")
def visits(report, browser):
    """Every page opened once: (page, problems, requests, charts) — and its screenshot saved."""
    shots = report.directory / "screenshots"
    started = time.monotonic()
    seen = {}
    for page in report.pages:
        browser.open((report.directory / page).as_uri())
        charts = browser.evaluate("""Array.from(document.querySelectorAll('svg.chart')).map(s => {
            const box = s.getBBox();
            return {id: s.id, w: box.width, h: box.height, shapes: s.querySelectorAll('path, rect, use').length,
                    links: Array.from(s.querySelectorAll('a')).map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))};
        })""")
        seen[page] = {"problems": browser.problems(), "requests": browser.requests(), "charts": charts,
                      "shot": browser.screenshot(shots / page.replace(".html", ".png"))}
    print(f"browser: {len(seen)} pages opened and shot in {time.monotonic() - started:.1f} s")
    return seen


def cells(browser, page_dir: Path, page: str, table_id: str) -> list[dict]:
    """Rows of a table as {data-col: data-value} plus the row's own data-* keys."""
    browser.open((page_dir / page).as_uri())
    return browser.evaluate(f"""Array.from(document.querySelectorAll('#{table_id} tbody tr')).map(tr => {{
        const row = Object.assign({{}}, tr.dataset);
        tr.querySelectorAll('td[data-col]').forEach(td => row[td.dataset.col] = td.dataset.value);
        row.down = tr.querySelectorAll('.down').length;
        return row; }})""")


def as_float(text: str):
    return None if text in ("", None) else float(text)


def test_every_crisis_has_a_page(report, marts):
    keys = [r[0] for r in marts.execute("select election_key from election_crises").fetchall()]
    assert len(keys) > 0
    assert sorted(report.pages) == sorted(["index.html"] + [page_name(k) for k in keys])


def test_pages_load_offline_without_errors(visits):
    for page, seen in visits.items():
        assert seen["problems"] == [], f"{page}: {seen['problems']}"
        leaving = [u for u in seen["requests"] if not u.startswith(("file://", "data:"))]
        assert leaving == [], f"{page} made requests off the machine: {leaving}"


def test_every_chart_is_drawn(visits, report):
    assert len(visits["index.html"]["charts"]) >= 2
    total = 0
    for page, seen in visits.items():
        assert seen["charts"], f"{page} has no chart"
        for chart in seen["charts"]:
            assert chart["w"] > 50 and chart["h"] > 20 and chart["shapes"] > 3, f"{page}: empty chart {chart}"
        total += len(seen["charts"])
    assert total == report.charts


def test_a_screenshot_per_page(visits, report):
    for page, seen in visits.items():
        shot = seen["shot"]
        assert shot.parent == report.directory / "screenshots"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot


def test_overview_numbers_equal_the_marts(report, browser, marts, visits):
    rows = {r["key"]: r for r in cells(browser, report.directory, "index.html", "table-crises")}
    expected = marts.execute("select election_key, deaths_latest, injured_latest, days_to_annulment, "
                             "threshold_pct, wasted_vote_pct from election_crises").fetchall()
    assert set(rows) == {e[0] for e in expected}
    for key, deaths, injured, days, threshold, wasted in expected:
        row = rows[key]
        assert (as_float(row["deaths_latest"]), as_float(row["injured_latest"]), as_float(row["days_to_annulment"]),
                as_float(row["threshold_pct"]), as_float(row["wasted_vote_pct"])) == \
            (deaths, injured, days, threshold, wasted), key
    speed = cells(browser, report.directory, "index.html", "table-annulment-speed")
    assert sorted((r["key"], int(r["days_to_decision"])) for r in speed) == sorted(marts.execute(
        "select election_key, days_to_decision from fct_annulments where days_to_decision is not null").fetchall())
    wasted = cells(browser, report.directory, "index.html", "table-wasted-vote")
    assert sorted((r["key"], float(r["wasted_vote_pct"])) for r in wasted) == sorted(marts.execute(
        "select election_key, wasted_vote_pct from fct_threshold_outcomes where wasted_vote_pct is not null").fetchall())


def test_crisis_pages_show_every_report_with_its_link(report, browser, marts, visits):
    for (key,) in marts.execute("select distinct election_key from fct_casualty_reports").fetchall():
        page = page_name(key)
        rows = {r["report"]: r for r in cells(browser, report.directory, page, "table-casualties")}
        expected = marts.execute("select casualty_report_id, value, reported_at is not null, source_url "
                                 "from fct_casualty_reports where election_key = ?", [key]).fetchall()
        assert {r: as_float(v["value"]) for r, v in rows.items()} == {e[0]: e[1] for e in expected}, key
        links = {link for chart in visits[page]["charts"] if chart["id"].startswith("casualties-")
                 for link in chart["links"]}
        assert links == {e[3] for e in expected if e[2] and e[3]}, f"{key}: chart links differ from report URLs"


def test_downward_revisions_are_marked(report, browser, marts):
    """The marks on the page equal an independent count: overall totals lower than the series' previous one."""
    expected = dict(marts.execute("""
        select election_key, count(*) filter (where value < previous) from (
            select election_key, value, lag(value) over (
                partition by election_key, metric, authority_family, counted
                order by reported_at, casualty_report_id) as previous
            from fct_casualty_reports
            where reported_at is not null and scope = 'total' and coverage = 'overall')
        group by election_key""").fetchall())
    assert sum(expected.values()) > 0, "the marts have no downward revision to show"
    for key, drops in expected.items():
        marked = sum(r["down"] for r in cells(browser, report.directory, page_name(key), "table-casualties"))
        assert marked == drops, key


def test_threshold_charts_match_list_results(report, browser, marts):
    keys = [k for (k,) in marts.execute("select distinct election_key from fct_threshold_results "
                                        "where election_key in (select election_key from election_crises)").fetchall()]
    assert keys
    for key in keys:
        rows = cells(browser, report.directory, page_name(key), "table-threshold")
        assert sorted((r["party"], float(r["vote_share_pct"])) for r in rows) == sorted(marts.execute(
            "select party_name, vote_share_pct from fct_threshold_results where election_key = ? "
            "and vote_share_pct is not null", [key]).fetchall()), key
        bars = browser.evaluate(f"document.querySelectorAll('#threshold-{page_name(key)[:-5]} g[id^=threshold-]').length")
        assert bars == len(rows), key


def test_the_crises_table_sorts_and_filters_without_a_server(report, browser, marts):
    browser.open((report.directory / "index.html").as_uri())
    deaths_column = browser.evaluate("Array.from(document.querySelectorAll('#table-crises thead th'))"
                                     ".findIndex(th => th.textContent.startsWith('deaths'))")
    browser.evaluate(f"document.querySelectorAll('#table-crises thead th')[{deaths_column}].click()")
    browser.evaluate(f"document.querySelectorAll('#table-crises thead th')[{deaths_column}].click()")  # descending
    shown = browser.evaluate("Array.from(document.querySelectorAll('#table-crises tbody tr')).map(tr => tr.dataset.key)")
    highest = marts.execute("select election_key from election_crises where deaths_latest is not null "
                            "order by deaths_latest desc limit 1").fetchone()[0]
    assert shown[0] == highest
    browser.evaluate("const box = document.querySelector('input[data-column=annulled]'); box.checked = true; "
                     "box.dispatchEvent(new Event('input', {bubbles: true}))")
    visible = browser.evaluate("Array.from(document.querySelectorAll('#table-crises tbody tr')).filter(tr => !tr.hidden)"
                               ".map(tr => tr.dataset.key)")
    annulled = {k for (k,) in marts.execute("select election_key from election_crises where annulled").fetchall()}
    assert set(visible) == annulled and browser.evaluate("document.querySelector('[data-count]').textContent") == str(len(annulled))
    assert browser.problems() == []
