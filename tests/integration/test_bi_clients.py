"""The published marts as real BI clients see them: an older DuckDB from PyPI, SQLAlchemy's
inspector through duckdb_engine, a pooled engine, a long-lived DuckDB process and DuckDB's Node
client (npm, bi/node) across a publish, and the Parquet catalog.

The marts here are synthetic (generated below, labelled SYNTHETIC); publish() is the real one,
writing real DuckDB and Parquet files. The old-client venv is built with pip from the registry
(cached by pip); without a reachable registry that test is skipped and says so.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
import warnings
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

import ingestion.marts_sqlalchemy  # noqa: F401  (registers duckdb+ecw_marts)
from ingestion.publish import CATALOG, CURRENT, KEEP_VERSIONS, PUBLISHED_STORAGE_VERSION, publish
from ingestion.registry import load_registry
from ingestion.settings import Paths

OLD_CLIENTS = {"1.5.5": ["duckdb==1.5.5"], "1.0.0": ["duckdb==1.0.0", "pytz==2025.2"]}  # pinned
RUN_ID = "synthetic-night-1"
SYNTHETIC_MARTS = """
create schema marts;
create table marts.election_crises as
select 'SYN-' || (2000 + i) || '-PARL' as election_key, i % 2 = 0 as annulled, i * 3 as deaths_latest,
       timestamptz '2020-10-06 12:00+06' + to_days(i) as casualties_as_of, 5.0 + i / 10 as threshold_pct
from range(15) t(i);
create table marts.fct_casualty_reports as
select 'SYN-' || (2000 + i % 15) || '-PARL' as election_key, 'injured' as metric, i as value
from range(40) t(i);
"""
SYNTHETIC_MANIFEST = {  # what dbt's manifest.json says of these two marts, reduced to what publish reads
    "nodes": {
        "model.election_crises.election_crises": {
            "resource_type": "model", "name": "election_crises", "alias": "election_crises", "schema": "marts",
            "description": "SYNTHETIC front page.",
            "columns": {"election_key": {"description": "SYNTHETIC election key."},
                        "deaths_latest": {"description": "SYNTHETIC latest death toll."}},
            "depends_on": {"nodes": ["model.election_crises.fct_casualty_reports", "source.election_crises.raw.elections"]},
        },
        "model.election_crises.fct_casualty_reports": {
            "resource_type": "model", "name": "fct_casualty_reports", "alias": "fct_casualty_reports",
            "schema": "marts", "description": "SYNTHETIC reports.", "columns": {},
            "depends_on": {"nodes": ["source.election_crises.raw.casualty_bulletins"]},
        },
    },
    "sources": {
        "source.election_crises.raw.elections": {"name": "elections", "identifier": "elections"},
        "source.election_crises.raw.casualty_bulletins": {"name": "casualty_bulletins",
                                                          "identifier": "casualty_bulletins"},
    },
}


def make_data_dir(root: Path) -> Paths:
    paths = Paths(root)
    root.mkdir(parents=True)
    con = duckdb.connect(str(paths.warehouse))
    con.execute(SYNTHETIC_MARTS)
    con.close()
    (root / "dbt" / "target").mkdir(parents=True)
    (root / "dbt" / "target" / "manifest.json").write_text(json.dumps(SYNTHETIC_MANIFEST), encoding="utf-8")
    return paths


def republish(paths: Paths, run_id: str, deaths_offset: int) -> None:
    """The next night: the warehouse's marts change, then the real publish runs."""
    con = duckdb.connect(str(paths.warehouse))
    con.execute("update marts.election_crises set deaths_latest = deaths_latest + ?", [deaths_offset])
    con.close()
    publish(paths, run_id)


@pytest.fixture
def published(tmp_path) -> Paths:
    paths = make_data_dir(tmp_path / "data")
    publish(paths, RUN_ID)
    return paths


def run_id_of(con) -> str:
    return con.execute("select run_id from _publication").fetchone()[0]


@pytest.fixture(scope="session")
def old_client(tmp_path_factory, request):
    """A venv with an older DuckDB from PyPI (as BI tools and the CLI ship it), built once per version."""
    def build(version: str) -> Path:
        target = tmp_path_factory.getbasetemp() / f"duckdb-{version}-venv"
        python = target / "bin" / "python"
        if not python.exists():
            venv.create(target, with_pip=True)
            installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                        *OLD_CLIENTS[version]], capture_output=True, text=True, timeout=300)
            if installed.returncode != 0:
                pytest.skip(f"cannot install {OLD_CLIENTS[version]} from the package registry "
                            f"(unreachable?): {installed.stderr.strip()[-300:]}")
        return python
    return build


OLD_CLIENT_SCRIPT = textwrap.dedent("""
    import json, sys, duckdb
    marts, parquet_dir = sys.argv[1], sys.argv[2]
    con = duckdb.connect(marts, read_only=True)
    out = {"version": duckdb.__version__,
           "crises": con.execute("select count(*), sum(deaths_latest) from election_crises").fetchone(),
           "run_id": con.execute("select run_id from _publication").fetchone()[0],
           "parquet": con.execute(f"select count(*) from read_parquet('{parquet_dir}/election_crises.parquet')").fetchone()[0]}
    print(json.dumps(out))
""")


@pytest.mark.parametrize("version", sorted(OLD_CLIENTS))
def test_older_duckdb_clients_read_the_published_file(published, old_client, tmp_path, version):
    python = old_client(version)
    result = subprocess.run([str(python), "-c", OLD_CLIENT_SCRIPT, str(published.marts),
                             str(published.marts_parquet / CURRENT)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {"version": version, "crises": [15, 315], "run_id": RUN_ID, "parquet": 15}

    native = tmp_path / "native.duckdb"  # control: the engine's own format is what old clients refuse
    con = duckdb.connect(str(native))
    con.execute("create table election_crises as select 1 as deaths_latest")
    con.close()
    refused = subprocess.run([str(python), "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)",
                              str(native)], capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "version number" in refused.stderr, refused.stderr[-300:]


def test_published_file_is_in_the_older_storage_format(published):
    con = duckdb.connect(str(published.marts), read_only=True)
    tags = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchone()[0]
    con.close()
    assert tags.get("storage_version", "").startswith(PUBLISHED_STORAGE_VERSION), tags


def test_sqlalchemy_inspector_lists_tables_and_columns(published):
    """What a BI tool does first; duckdb_engine's own reflection fails on the pinned SQLAlchemy."""
    plain = sa.create_engine(f"duckdb:///{published.marts}?access_mode=read_only")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(sa.exc.ProgrammingError, match="pg_collation"):
            sa.inspect(plain).get_columns("election_crises")  # if this passes, duckdb_engine fixed it upstream
    plain.dispose()

    engine = sa.create_engine(f"duckdb+ecw_marts:///{published.marts}")
    try:
        inspector = sa.inspect(engine)
        assert {"election_crises", "fct_casualty_reports"} <= set(inspector.get_table_names())
        assert inspector.get_schema_names() == ["main"]
        columns = {c["name"]: c for c in inspector.get_columns("election_crises")}
        assert list(columns) == ["election_key", "annulled", "deaths_latest", "casualties_as_of", "threshold_pct"]
        assert isinstance(columns["deaths_latest"]["type"], sa.BigInteger)
        assert isinstance(columns["annulled"]["type"], sa.Boolean)
        assert columns["casualties_as_of"]["type"].timezone is True
        assert columns["deaths_latest"]["comment"] == "SYNTHETIC latest death toll."
        assert inspector.get_table_comment("election_crises")["text"] == "SYNTHETIC front page."
        assert inspector.get_pk_constraint("election_crises")["constrained_columns"] == []
        table = sa.Table("election_crises", sa.MetaData(), autoload_with=engine)
        with engine.connect() as con:
            assert con.execute(sa.select(sa.func.sum(table.c.deaths_latest))).scalar() == 315
            with pytest.raises(sa.exc.DBAPIError, match="read-only|read only"):
                con.execute(sa.text("create table intruder as select 1"))
    finally:
        engine.dispose()


def test_marts_dialect_keeps_readers_off_the_machine(published, tmp_path):
    """A BI connection reads the marts and nothing else: no file written, no local file read, no way back."""
    written, local = tmp_path / "copied.csv", tmp_path / "local.csv"
    local.write_text("a\n1\n", encoding="utf-8")
    engine = sa.create_engine(f"duckdb+ecw_marts:///{published.marts}")
    try:
        for statement in (f"copy (select 1) to '{written}'", f"select * from read_csv('{local}')",
                          "set enable_external_access = true"):
            with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="Permission|disabled|locked"):
                con.execute(sa.text(statement))
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from election_crises")).scalar() == 15
    finally:
        engine.dispose()
    assert not written.exists()


def test_pooled_engines_see_the_next_publish(published):
    """Superset-style pooled engines across a publish: which ones serve the new night without a restart."""
    query = sa.text("select run_id from _publication")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engines = {
            "ecw_marts": sa.create_engine(f"duckdb+ecw_marts:///{published.marts}"),
            "plain_nullpool": sa.create_engine(f"duckdb:///{published.marts}?access_mode=read_only",
                                               poolclass=NullPool),
            "plain_pooled_pre_ping": sa.create_engine(f"duckdb:///{published.marts}?access_mode=read_only",
                                                      pool_pre_ping=True),
        }
        held = {}
        try:
            for name, engine in engines.items():
                first, second = engine.connect(), engine.connect()  # two dashboards at once fill the pool
                assert first.execute(query).scalar() == second.execute(query).scalar() == RUN_ID
                second.close()
                held[name] = first  # one request still running during the publish
            republish(published, "synthetic-night-2", 100)
            seen = {}
            for name, engine in engines.items():
                with engine.connect() as con:
                    seen[name] = (con.execute(query).scalar(),
                                  con.execute(sa.text("select sum(deaths_latest) from election_crises")).scalar())
                assert held[name].execute(query).scalar() == RUN_ID, "a running request keeps its night"
        finally:
            for con in held.values():
                con.close()
            for engine in engines.values():
                engine.dispose()
    assert seen["ecw_marts"] == ("synthetic-night-2", 1815)
    assert seen["plain_nullpool"] == ("synthetic-night-2", 1815)
    assert seen["plain_pooled_pre_ping"] == (RUN_ID, 315), "documented: a plain pool keeps yesterday's file"


LONG_LIVED = textwrap.dedent("""
    import sys, duckdb
    path = sys.argv[1]
    held = duckdb.connect(path, read_only=True)
    for line in sys.stdin:
        fresh = duckdb.connect(path, read_only=True)
        attached = duckdb.connect()
        attached.execute(f"attach '{path}' as marts (read_only)")
        print(held.execute("select run_id from _publication").fetchone()[0],
              fresh.execute("select run_id from _publication").fetchone()[0],
              attached.execute("select run_id from marts._publication").fetchone()[0], flush=True)
        fresh.close()
        attached.close()
""")


def test_long_lived_duckdb_process_reconnects_to_the_next_publish(published):
    """A process that keeps one connection open: a new connection (or ATTACH) sees the new night."""
    process = subprocess.Popen([sys.executable, "-c", LONG_LIVED, str(published.marts)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        process.stdin.write("read\n")
        process.stdin.flush()
        before = process.stdout.readline().split()
        republish(published, "synthetic-night-2", 1)
        process.stdin.write("read\n")
        process.stdin.flush()
        after = process.stdout.readline().split()
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert before == [RUN_ID] * 3
    assert after == [RUN_ID, "synthetic-night-2", "synthetic-night-2"], "held: old night; reconnect: new one"


NODE_READER = Path(__file__).resolve().parents[2] / "bi" / "node"


@pytest.fixture(scope="session")
def node_reader(tmp_path_factory) -> Path:
    """DuckDB's Node client of the current stable line, `npm ci` from bi/node's lock file."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("no node/npm here: DuckDB's Node client cannot be tried (install Node.js 20 or newer)")
    target = tmp_path_factory.getbasetemp() / "node-reader"
    shutil.copytree(NODE_READER, target, ignore=shutil.ignore_patterns("node_modules"))
    installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=target, capture_output=True, text=True,
                               timeout=300)
    if installed.returncode != 0:
        pytest.skip(f"npm ci of @duckdb/node-api failed (registry unreachable?): {installed.stderr.strip()[-300:]}")
    return target


def test_node_client_reads_the_marts_and_reconnects_to_the_next_night(published, node_reader):
    process = subprocess.Popen(["node", "read_marts.mjs", str(published.marts)], cwd=node_reader, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = json.loads(process.stdout.readline() or "{}")
        republish(published, "synthetic-night-2", 1)
        process.stdin.write("read\n")
        process.stdin.flush()
        held, reconnected = (json.loads(process.stdout.readline() or "{}") for _ in range(2))
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0, process.stderr.read()[-500:]
    # the Node client gives BIGINTs as strings in JSON rows
    assert first == {"via": "first", "run_id": RUN_ID, "crises": "15", "deaths": "315"}
    assert held == {"via": "held", "run_id": RUN_ID, "crises": "15", "deaths": "315"}, "held: its own night"
    assert reconnected == {"via": "reconnected", "run_id": "synthetic-night-2", "crises": "15", "deaths": "330"}


def test_catalog_describes_the_parquet_set_of_the_same_night(published):
    current = published.marts_parquet / CURRENT
    catalog = json.loads((current / CATALOG).read_text(encoding="utf-8"))
    con = duckdb.connect(str(published.marts), read_only=True)
    publication = con.execute("select run_id, published_at from _publication").fetchone()
    con.close()
    assert catalog["run_id"] == publication[0] == RUN_ID
    assert Path(os.path.realpath(published.marts)).parent == Path(os.path.realpath(current)), "one directory"
    assert catalog["version"] == Path(os.path.realpath(current)).name
    crises = catalog["tables"]["election_crises"]
    assert crises["rows"] == 15 and crises["description"] == "SYNTHETIC front page."
    assert {c["name"]: c["description"] for c in crises["columns"]}["deaths_latest"] == "SYNTHETIC latest death toll."
    registry = {s.id: s for s in load_registry()}
    by_table = {s.raw_table: s.id for s in registry.values()}
    assert crises["sources"] == sorted({by_table["elections"], by_table["casualty_bulletins"]})
    assert catalog["tables"]["fct_casualty_reports"]["sources"] == [by_table["casualty_bulletins"]]
    assert catalog["sources"][by_table["elections"]]["licence"] == registry[by_table["elections"]].licence
    reader = duckdb.connect()
    for name, entry in catalog["tables"].items():
        counted = reader.execute(f"select count(*) from read_parquet('{current / entry['file']}')").fetchone()[0]
        assert counted == entry["rows"], name
        flat = published.marts_parquet / f"{name}.parquet"
        assert os.path.realpath(flat) == os.path.realpath(current / entry["file"]), "flat path follows current"


def test_versions_switch_together_and_old_ones_are_pruned(published):
    first = Path(os.path.realpath(published.marts_parquet / CURRENT))
    for night in range(2, KEEP_VERSIONS + 2):
        republish(published, f"synthetic-night-{night}", 1)
        if night == 2:
            assert first.exists(), "the previous night stays for readers that resolved it"
            assert json.loads((first / CATALOG).read_text())["run_id"] == RUN_ID, "versions are immutable"
    versions = sorted(p.name for p in published.marts_parquet.glob("v*"))
    assert len(versions) == KEEP_VERSIONS and first.name not in versions
    current = Path(os.path.realpath(published.marts_parquet / CURRENT))
    assert current.name == versions[-1]
    assert json.loads((current / CATALOG).read_text())["run_id"] == f"synthetic-night-{KEEP_VERSIONS + 1}"
    con = duckdb.connect(str(published.marts), read_only=True)
    assert run_id_of(con) == f"synthetic-night-{KEEP_VERSIONS + 1}"
    con.close()


def test_a_data_dir_copied_without_symlinks_still_publishes(published, tmp_path):
    """Backups and test copies (shutil.copytree) turn the links into files; the next publish restores them."""
    import shutil

    copy = Paths(tmp_path / "copy")
    shutil.copytree(published.data_dir, copy.data_dir)
    assert not (copy.marts_parquet / CURRENT).is_symlink()
    republish(copy, "after-copy", 1)
    assert (copy.marts_parquet / CURRENT).is_symlink() and copy.marts.is_symlink()
    con = duckdb.connect(str(copy.marts), read_only=True)
    assert run_id_of(con) == "after-copy"
    con.close()
