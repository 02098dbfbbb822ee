"""Apache Superset over the published marts: `make superset` (python scripts/superset.py serve).

Superset runs in its own venv (data/bi/superset/venv, from bi/superset/requirements.lock): it pins
SQLAlchemy 1.4 and Flask packages that Airflow 3 cannot share. Our package goes on top with
--no-deps, for its `duckdb+ecw_marts` dialect, the one a long-lived pooled reader needs to see the
next night (README, "Connect a BI tool"). Everything is set up through Superset's own
CLI and REST API, as an analyst's clicks would: the marts as a database, `election_crises` as a
dataset, and a bar chart of the latest death toll per crisis. tests/bi/test_superset.py drives
the same functions and a headless browser.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from ingestion.serve import SUPERSET_PORT_ENV, superset_url

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "bi" / "superset" / "requirements.lock"
CONFIG = ROOT / "bi" / "superset" / "superset_config.py"
DATABASE_NAME = "Election crises marts"
CHART_NAME = "Latest death toll per crisis"
ADMIN = "admin"


class SupersetError(RuntimeError):
    """Superset could not be set up or answered unexpectedly; the message names the log to read."""


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Superset:
    home: Path  # data/bi/superset: the metadata database, the secret key, the logs
    venv_dir: Path | None = None  # default <home>/venv; tests share one venv between throwaway homes

    @property
    def venv(self) -> Path:
        return self.venv_dir or self.home / "venv"

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "superset"

    @property
    def password_file(self) -> Path:
        return self.home / "admin_password"

    def env(self) -> dict:
        return {**os.environ, "SUPERSET_CONFIG_PATH": str(CONFIG), "ECW_SUPERSET_HOME": str(self.home),
                "SUPERSET_HOME": str(self.home), "FLASK_APP": "superset", "PYTHONWARNINGS": "ignore"}

    # ---- set-up -------------------------------------------------------------------------------
    def _pip(self, args: list[str], log: Path) -> None:
        with log.open("a", encoding="utf-8") as out:
            done = subprocess.run([str(self.venv / "bin" / "python"), "-m", "pip", "install",
                                   "--disable-pip-version-check", *args], stdout=out, stderr=subprocess.STDOUT)
        if done.returncode:
            raise SupersetError(f"pip install {' '.join(args)} failed in {self.venv} (is the package registry "
                                f"reachable?); see {log}:\n{_tail(log)}")

    def ensure_venv(self) -> bool:
        """Build the venv from the lock unless it was built from this lock and this pyproject: True if built."""
        wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
        stamp = self.venv / ".installed"
        if stamp.exists() and stamp.read_text().strip() == wanted:
            return False
        shutil.rmtree(self.venv, ignore_errors=True)
        self.venv.parent.mkdir(parents=True, exist_ok=True)
        log = self.venv.parent / "install.log"
        log.write_text("", encoding="utf-8")
        venv.create(self.venv, with_pip=True)
        self._pip(["-r", str(LOCK)], log)
        self._pip(["--no-deps", "--no-build-isolation", "-e", str(ROOT)], log)
        stamp.write_text(wanted)
        return True

    def _cli(self, *args: str) -> None:
        log = self.home / "setup.log"
        with log.open("a", encoding="utf-8") as out:
            done = subprocess.run([str(self.executable), *args], env=self.env(), stdout=out,
                                  stderr=subprocess.STDOUT)
        if done.returncode:
            raise SupersetError(f"`superset {args[0]}` failed; see {log}:\n{_tail(log)}")

    def ensure_metadata(self) -> None:
        """Superset's own database, an admin with a generated password (a file only its owner reads)."""
        self.home.mkdir(parents=True, exist_ok=True)
        for secret in (self.home / "secret_key", self.password_file):
            if not secret.exists():
                secret.touch(mode=0o600)
                secret.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        marker = self.home / ".initialised"
        if marker.exists():
            return
        self._cli("db", "upgrade")
        self._cli("fab", "create-admin", "--username", ADMIN, "--firstname", "Election", "--lastname", "Analyst",
                  "--email", "analyst@localhost.invalid", "--password", self.password())
        self._cli("init")
        marker.touch()

    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    # ---- the server ----------------------------------------------------------------------------
    def start(self, port: int, timeout: float = 180) -> subprocess.Popen:
        """Superset's web server on 127.0.0.1:port, answering /health (else the log's tail in the error)."""
        log = self.home / "server.log"
        out = log.open("w", encoding="utf-8")
        process = subprocess.Popen([str(self.executable), "run", "-h", "127.0.0.1", "-p", str(port),
                                    "--with-threads"], env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SupersetError(f"Superset exited with {process.returncode} while starting; see {log}:\n"
                                    f"{_tail(log)}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).text.strip() == "OK":
                    return process
            except requests.RequestException:
                pass
            time.sleep(0.5)
        stop(process)
        raise SupersetError(f"Superset did not answer /health on 127.0.0.1:{port} within {timeout:.0f} s; "
                            f"see {log}:\n{_tail(log)}")


def stop(process: subprocess.Popen) -> None:
    """Superset and whatever it started (its session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Client:
    """Superset's REST API as an analyst's browser uses it, with a bearer token."""

    def __init__(self, base: str, password: str, user: str = ADMIN):
        self.base = base.rstrip("/")
        self.http = requests.Session()
        answer = self.http.post(f"{self.base}/api/v1/security/login", timeout=30,
                                json={"username": user, "password": password, "provider": "db"})
        if answer.status_code != 200:
            raise SupersetError(f"Superset refused the login of {user!r} ({answer.status_code})")
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs) -> dict:
        answer = self.http.request(method, f"{self.base}{path}", timeout=120, **kwargs)
        if answer.status_code >= 300:
            raise SupersetError(f"Superset {method} {path} answered {answer.status_code}: {answer.text[:400]}")
        return answer.json()

    def _find(self, kind: str, matches) -> dict | None:
        listing = self.call("GET", f"/api/v1/{kind}/", params={"q": "(page_size:100)"})
        return next((row for row in listing["result"] if matches(row)), None)

    def ensure_database(self, marts: Path, name: str = DATABASE_NAME) -> int:
        # the link itself, not what it points to tonight: the dialect follows data/marts/current
        uri = f"duckdb+ecw_marts:///{os.path.abspath(marts)}"
        self.call("POST", "/api/v1/database/test_connection/", json={"database_name": name, "sqlalchemy_uri": uri})
        body = {"database_name": name, "sqlalchemy_uri": uri, "expose_in_sqllab": True}
        found = self._find("database", lambda row: row["database_name"] == name)
        if found:
            self.call("PUT", f"/api/v1/database/{found['id']}", json=body)
            return found["id"]
        return self.call("POST", "/api/v1/database/", json=body)["id"]

    def tables(self, database: int, schema: str = "main") -> list[str]:
        answer = self.call("GET", f"/api/v1/database/{database}/tables/", params={"q": f"(schema_name:{schema})"})
        return [row["value"] for row in answer["result"]]

    def columns(self, database: int, table: str, schema: str = "main") -> list[dict]:
        return self.call("GET", f"/api/v1/database/{database}/table_metadata/",
                         params={"name": table, "schema": schema})["columns"]

    def ensure_dataset(self, database: int, table: str, schema: str = "main") -> int:
        found = self._find("dataset", lambda row: row["table_name"] == table and row["database"]["id"] == database)
        if found:
            return found["id"]
        return self.call("POST", "/api/v1/dataset/", json={"database": database, "schema": schema,
                                                          "table_name": table})["id"]

    def sql(self, database: int, query: str) -> list[dict]:
        """A query through SQL Lab, as an analyst types it."""
        answer = self.call("POST", "/api/v1/sqllab/execute/", json={
            "database_id": database, "sql": query, "schema": "main", "runAsync": False})
        return answer["data"]

    def chart_data(self, chart: int) -> list[dict]:
        return self.call("GET", f"/api/v1/chart/{chart}/data/", params={"force": "true"})["result"][0]["data"]

    def ensure_deaths_chart(self, dataset: int) -> int:
        """A bar chart of election_crises.deaths_latest per election, largest first."""
        metric = {"expressionType": "SIMPLE", "column": {"column_name": "deaths_latest"}, "aggregate": "MAX",
                  "label": "deaths (latest, all persons)"}
        params = {"datasource": f"{dataset}__table", "viz_type": "echarts_timeseries_bar",
                  "x_axis": "election_key", "metrics": [metric], "groupby": [], "row_limit": 1000,
                  "adhoc_filters": [{"clause": "WHERE", "expressionType": "SIMPLE", "subject": "deaths_latest",
                                     "operator": "IS NOT NULL"}],
                  "orientation": "horizontal", "x_axis_sort": metric["label"], "x_axis_sort_asc": True,
                  "show_legend": False, "show_value": True, "y_axis_format": "SMART_NUMBER"}
        query = {"datasource": {"id": dataset, "type": "table"}, "force": True, "form_data": params,
                 "queries": [{"columns": ["election_key"], "metrics": [metric], "row_limit": 1000,
                              "filters": [{"col": "deaths_latest", "op": "IS NOT NULL"}],
                              "orderby": [[metric, False]]}],
                 "result_format": "json", "result_type": "full"}
        body = {"slice_name": CHART_NAME, "viz_type": params["viz_type"], "datasource_id": dataset,
                "datasource_type": "table", "params": json.dumps(params), "query_context": json.dumps(query),
                "description": "election_crises.deaths_latest: the latest all-persons death toll by the "
                               "ranking rule of the README; elections with no figure are left out."}
        found = self._find("chart", lambda row: row["slice_name"] == CHART_NAME)
        if found:
            self.call("PUT", f"/api/v1/chart/{found['id']}", json=body)
            return found["id"]
        return self.call("POST", "/api/v1/chart/", json=body)["id"]


def register_marts(client: Client, marts: Path) -> dict:
    """The marts as a Superset database, election_crises as a dataset, the deaths chart: their ids."""
    database = client.ensure_database(marts)
    dataset = client.ensure_dataset(database, "election_crises")
    return {"database": database, "dataset": dataset, "chart": client.ensure_deaths_chart(dataset)}


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works from a background shell too
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["setup", "serve"])
    parser.add_argument("--port", type=int, default=urlsplit(superset_url()).port,
                        help=f"default ${SUPERSET_PORT_ENV} or 8088 (where `ecw serve` looks for it)")
    parser.add_argument("--home", type=Path, default=ROOT / "data" / "bi" / "superset")
    parser.add_argument("--marts", type=Path, default=ROOT / "data" / "marts.duckdb")
    args = parser.parse_args(argv)
    superset = Superset(args.home.resolve())
    try:
        if superset.ensure_venv():
            print(f"Superset installed in {superset.venv} from {LOCK.relative_to(ROOT)}")
        superset.ensure_metadata()
        if args.command == "setup":
            return 0
        if not args.marts.exists():
            print(f"no published marts at {args.marts}: run `make run` first", file=sys.stderr)
            return 2
        process = superset.start(args.port)
    except SupersetError as error:
        print(f"superset: {error}", file=sys.stderr)
        return 1
    try:
        ids = register_marts(Client(f"http://127.0.0.1:{args.port}", superset.password()), args.marts)
        print(f"Superset on http://127.0.0.1:{args.port}/explore/?slice_id={ids['chart']} "
              f"(user {ADMIN}, password in {superset.password_file}); Ctrl-C stops it")
        process.wait()
    except SupersetError as error:
        print(f"superset: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
