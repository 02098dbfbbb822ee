"""Nightly election-crises pipeline: extract (parallel) → load → derive → transform → gate → publish → check_sources.

The logic lives in `ingestion/`; this file only wires it. Every task that opens the DuckDB
warehouse runs in the one-slot `duckdb_writer` pool: DuckDB allows one writer process per file.
Every task has an execution timeout, so nothing hung holds that pool past its limit. The
scheduler parses this file often: `ingestion.pipeline` imports dbt, GX and DuckDB code only
inside the tasks.
"""
from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, CronTriggerTimetable, dag, get_current_context, task

from ingestion import pipeline
from ingestion.registry import active_sources
from ingestion.settings import Paths

WRITER_POOL = "duckdb_writer"  # one slot: load, derive, dbt, gate and publish never overlap
EXTRACT_RETRIES = dict(retries=3, retry_delay=timedelta(seconds=30), retry_exponential_backoff=True,
                       max_retry_delay=timedelta(minutes=10))
# Per attempt. An extract makes at most 4 fetches of at most timeout_seconds each; dbt stops
# itself after 45 min (ECW_DBT_TIMEOUT_SECONDS, ingestion/transform.py), before its task's limit,
# so the log says which command hung.
TIMEOUTS = {"extract": timedelta(minutes=10), "load": timedelta(minutes=30), "derive": timedelta(minutes=30),
            "transform": timedelta(minutes=50),
            "gate": timedelta(minutes=30), "publish": timedelta(minutes=15), "check_sources": timedelta(minutes=5)}
DAGRUN_TIMEOUT = timedelta(hours=6)  # well inside the nightly cadence, so a stuck run cannot block the next night
DOC = """
### Election crises, nightly
Pulls election-commission results and decisions, casualty bulletins and observer statements
(one extract task per source in `sources.yml`), loads new payloads into `data/warehouse.duckdb`,
derives casualty figures from the bulletins (again for all of them when the extractor changed),
builds the dbt marts, validates them with Great Expectations and, only if the gate passes,
publishes `data/marts.duckdb` atomically (an asset: `file://` and its path). A failed source
keeps its last good data while the others publish, and `check_sources` then fails the run so it
does not show green.
"""


def _run_id() -> str:
    return get_current_context()["run_id"]


def _connection_credentials(source_id: str):
    """A feed's URL and credentials from the Airflow connection `ecw_<source id>` when one is defined
    (ingestion/feeds/credentials.py); variables already set win. Other sources: nothing to look up."""
    import contextlib

    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    from ingestion.feeds.credentials import connection_env, connection_id, filled_env
    from ingestion.registry import get_source

    source = get_source(source_id)
    if not source.is_feed:
        return contextlib.nullcontext()
    try:
        conn = BaseHook.get_connection(connection_id(source))
    except AirflowNotFoundException:
        return contextlib.nullcontext()
    return filled_env(connection_env(source, host=conn.host, schema=conn.schema, port=conn.port,
                                     login=conn.login, password=conn.password))


def _logical_date() -> str:
    context = get_current_context()
    moment = context.get("logical_date") or context["dag_run"].run_after
    return moment.date().isoformat()


@dag(
    dag_id="election_crises_nightly",
    # The first run is the next 02:30 UTC, never one that already passed: with no start_date and
    # run_immediately=False, Airflow 3.3 still runs the past 02:30 at once when it is less than a tenth
    # of the period (2.4 h) old; a zero window turns that off (measured: `make airflow` at 04:27).
    schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC", run_immediately=timedelta(0)),
    catchup=False,
    max_active_runs=1,
    tags=["election-crises", "duckdb", "dbt", "great-expectations"],
    doc_md=DOC,
    dagrun_timeout=DAGRUN_TIMEOUT,
    default_args={"owner": "election-crises", "retries": 1, "retry_delay": timedelta(minutes=1)},
)
def election_crises_nightly():
    extracts = []
    sources = active_sources()  # a disabled source (NELDA until its URL is set) has no task
    source_ids = [source.id for source in sources]
    for source in sources:
        @task(task_id=f"extract_{source.id}", **EXTRACT_RETRIES, execution_timeout=TIMEOUTS["extract"],
              doc_md=f"Fetch {source.publisher}.")
        def extract(source_id: str = source.id) -> dict:
            with _connection_credentials(source_id):
                return pipeline.extract_one(source_id, _logical_date())

        extracts.append(extract())

    @task(pool=WRITER_POOL, trigger_rule="all_done", retries=1, execution_timeout=TIMEOUTS["load"])
    def load() -> dict:
        """Runs even when a source failed: the others load, the failed one keeps its last good data."""
        return pipeline.load_stage(_run_id())

    @task(pool=WRITER_POOL, retries=1, execution_timeout=TIMEOUTS["derive"])
    def derive() -> dict:
        return pipeline.derive_stage(_run_id())

    @task(pool=WRITER_POOL, retries=1, execution_timeout=TIMEOUTS["transform"])
    def transform() -> dict:
        return pipeline.transform_stage(_run_id())

    @task(pool=WRITER_POOL, retries=0, execution_timeout=TIMEOUTS["gate"])
    def gate() -> dict:
        return pipeline.gate_stage(_run_id())

    # Named by its URI: Airflow keeps asset names unique, so one fixed name would turn inactive
    # for a data directory elsewhere (a test's, a second checkout's) once the first is registered.
    marts = Asset(Paths.from_env().marts.as_uri())

    @task(pool=WRITER_POOL, retries=1, execution_timeout=TIMEOUTS["publish"], outlets=[marts])
    def publish() -> dict:
        return pipeline.publish_stage(_run_id())

    @task(trigger_rule="all_done", retries=0, execution_timeout=TIMEOUTS["check_sources"])
    def check_sources() -> dict:
        """Last, whatever happened before: fails the run when a source's extract failed (the
        others were still published) or when nothing was published, so such a night is not green."""
        ti = get_current_context()["ti"]
        failed = [s for s in source_ids if ti.xcom_pull(task_ids=f"extract_{s}") is None]
        published = ti.xcom_pull(task_ids="publish")
        problems = []
        if failed:
            problems.append(f"extract failed for {', '.join(failed)}; their last good data stays in the marts "
                            "(`ecw status` shows each source's last success)")
        if published is None:
            problems.append("nothing was published this run: see the load, transform, gate and publish tasks")
        if problems:
            raise RuntimeError("; ".join(problems))
        return {"sources": source_ids, "published": published["path"]}

    loaded = load()
    extracts >> loaded
    loaded >> derive() >> transform() >> gate() >> publish() >> check_sources()


election_crises_nightly()
