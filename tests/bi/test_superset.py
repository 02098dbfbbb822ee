"""Apache Superset, installed from PyPI (bi/superset/requirements.lock), over the published marts.

The real Superset server on 127.0.0.1, set up by scripts/superset.py through its own CLI and REST
API: it lists every mart with its dbt descriptions, charts election_crises with the mart's own
numbers, draws the chart in headless chromium (screenshot saved), and its SQL Lab sees the next
night's publish without a restart. Its venv is built once into data/bi/superset/venv (about three
minutes) and reused while the lock is unchanged.
"""
from __future__ import annotations

import json

import duckdb
import pytest
import requests

from ingestion.publish import CATALOG, CURRENT, publish
from scripts.superset import ADMIN, CHART_NAME, Client, Superset, SupersetError, register_marts, stop
from tests.conftest import REPO_ROOT
from tests.integration.test_bi_clients import make_data_dir, republish
from tests.support.cdp import Browser, find_chromium
from tests.support.ports import free_port

pytestmark = pytest.mark.slow
SHARED_VENV = REPO_ROOT / "data" / "bi" / "superset" / "venv"
# the inked pixels of ECharts' canvas, once two looks 500 ms apart agree (its bars grow for a second)
WAIT_FOR_INK = """new Promise(resolve => {
    const started = Date.now();
    let previous = -1;
    const look = () => {
        const canvas = document.querySelector('canvas');
        let inked = 0;
        if (canvas && canvas.width > 0) {
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0) inked++;
        }
        if (inked > 2000 && inked === previous) resolve(inked);
        else if (Date.now() - started > 60000) resolve(0);
        else { previous = inked; setTimeout(look, 500); }
    };
    look();
})"""


def left_the_machine(browser: Browser, base: str) -> list[str]:
    """Requests to anywhere but this server that the browser did send (a CSP refusal sends nothing)."""
    refused = {e["params"]["requestId"] for e in browser.events if e["method"] == "Network.loadingFailed"
               and e["params"].get("blockedReason") == "csp"}
    return [e["params"]["request"]["url"] for e in browser.events
            if e["method"] == "Network.requestWillBeSent" and e["params"]["requestId"] not in refused
            and not e["params"]["request"]["url"].startswith((base, "data:", "blob:"))]


def real_problems(browser: Browser) -> list[str]:
    """The page's errors, but for the CSP refusing 6.1.0's telemetry pixel (bi/superset/superset_config.py)."""
    return [p for p in browser.problems() if not ("scarf.sh/pixel" in p and "Content Security Policy" in p)]



@pytest.fixture(scope="module")
def published(snapshot_night):
    return snapshot_night.paths


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    superset = Superset(tmp_path_factory.mktemp("superset-home"), venv_dir=SHARED_VENV)
    superset.ensure_venv()  # a failure names pip's log: the registry is part of the front door here
    superset.ensure_metadata()
    port = free_port()
    process = superset.start(port)
    yield superset, f"http://127.0.0.1:{port}"
    stop(process)


@pytest.fixture(scope="module")
def client(server):
    superset, base = server
    return Client(base, superset.password())


@pytest.fixture(scope="module")
def registered(client, published):
    return register_marts(client, published.marts)


def test_the_admin_password_is_generated_and_private(server):
    superset, base = server
    assert superset.password_file.stat().st_mode & 0o077 == 0, "only its owner may read the password file"
    with pytest.raises(SupersetError, match="refused the login"):
        Client(base, "not-" + superset.password())


def test_superset_lists_every_mart_with_its_dbt_descriptions(client, registered, published):
    catalog = json.loads((published.marts_parquet / CURRENT / CATALOG).read_text(encoding="utf-8"))
    listed = set(client.tables(registered["database"]))
    assert set(catalog["tables"]) <= listed, f"marts Superset does not list: {set(catalog['tables']) - listed}"
    documented = {c["name"]: c["description"] for c in catalog["tables"]["election_crises"]["columns"]}
    shown = {c["name"]: c.get("comment") for c in client.columns(registered["database"], "election_crises")}
    assert shown.keys() == documented.keys()
    assert shown == documented, "Superset's column comments are not the dbt descriptions"


def test_the_chart_shows_the_marts_numbers(client, registered, published):
    with duckdb.connect(str(published.marts), read_only=True) as con:
        expected = dict(con.execute("select election_key, deaths_latest from election_crises "
                                    "where deaths_latest is not null").fetchall())
    rows = client.chart_data(registered["chart"])
    assert expected, "the snapshot's marts have no death toll to chart"
    assert {r["election_key"]: r["deaths (latest, all persons)"] for r in rows} == expected
    values = [r["deaths (latest, all persons)"] for r in rows]
    assert values == sorted(values, reverse=True), "the chart's query orders the crises by deaths, largest first"


def test_the_chart_renders_in_a_browser(server, client, registered, published):
    executable = find_chromium()
    if executable is None:
        pytest.skip("no chromium here (scripts/install_chromium.sh installs Debian's, as root)")
    superset, base = server
    login = requests.Session()
    login.post(f"{base}/login/", data={"username": ADMIN, "password": superset.password()}, timeout=30)
    assert "session" in login.cookies, "Superset's login form gave no session"
    browser = Browser(executable, width=1200, height=700)
    try:
        for cookie in login.cookies:
            browser.call("Network.setCookie", {"name": cookie.name, "value": cookie.value,
                                               "domain": "127.0.0.1", "path": "/"})
        browser.open(f"{base}/explore/?slice_id={registered['chart']}&standalone=1")
        drawn = browser.evaluate(WAIT_FOR_INK)
        assert drawn > 2000, "the chart's canvas stayed empty (or never stopped changing) for 60 s"
        assert real_problems(browser) == [], f"the page logged errors: {real_problems(browser)[:5]}"
        assert left_the_machine(browser, base) == [], "Superset's chart sent requests off this machine"
        shots = published.data_dir / "report" / "screenshots"
        assert browser.screenshot(shots / "superset-election-crises.png").stat().st_size > 10_000
        # the same chart in Superset's explore view, as an analyst opens it (the README's picture)
        browser.open(f"{base}/explore/?slice_id={registered['chart']}")
        assert browser.evaluate(WAIT_FOR_INK) > 2000, "the explore view drew no chart"
        assert CHART_NAME in browser.evaluate("document.body.innerText")
        assert real_problems(browser) == [], f"the explore view logged errors: {real_problems(browser)[:5]}"
        assert left_the_machine(browser, base) == [], "Superset's explore view sent requests off this machine"
        assert browser.screenshot(shots / "superset-explore.png", max_height=900).stat().st_size > 10_000
    finally:
        browser.close()


def test_sql_lab_sees_the_next_night_without_a_restart(client, tmp_path):
    paths = make_data_dir(tmp_path / "synthetic")
    publish(paths, "synthetic-night-1")
    database = client.ensure_database(paths.marts, name="SYNTHETIC marts (test)")
    query = "select run_id, (select sum(deaths_latest) from election_crises) as deaths from _publication"
    assert client.sql(database, query) == [{"run_id": "synthetic-night-1", "deaths": 315}]
    republish(paths, "synthetic-night-2", deaths_offset=1)
    assert client.sql(database, query) == [{"run_id": "synthetic-night-2", "deaths": 330}], \
        "Superset kept serving the previous night's marts after a publish"
