"""Nightly election-crises pipeline: extract (parallel) → load → derive → transform → gate → publish.

The logic lives in `ingestion/`; this file only wires it. Every task that opens the DuckDB
warehouse runs in the one-slot `duckdb_writer` pool: DuckDB allows one writer process per file.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, get_current_context, task

from ingestion import pipeline
from ingestion.registry import load_registry

WRITER_POOL = "duckdb_writer"  # one slot: load, derive, dbt, gate and publish never overlap
EXTRACT_RETRIES = dict(retries=3, retry_delay=timedelta(seconds=30), retry_exponential_backoff=True,
                       max_retry_delay=timedelta(minutes=10))
DOC = """
### Election crises, nightly
Pulls election-commission results and decisions, casualty bulletins and observer statements
(one extract task per source in `sources.yml`), loads new payloads into `data/warehouse.duckdb`,
derives casualty figures from the bulletins (again for all of them when the extractor changed),
builds the dbt marts, validates them with Great Expectations and, only if the gate passes,
publishes `data/marts.duckdb` atomically. A failed source keeps its last good data.
"""


def _run_id() -> str:
    return get_current_context()["run_id"]


def _logical_date() -> str:
    context = get_current_context()
    moment = context.get("logical_date") or context["dag_run"].run_after
    return moment.date().isoformat()


@dag(
    dag_id="election_crises_nightly",
    schedule="30 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["election-crises", "duckdb", "dbt", "great-expectations"],
    doc_md=DOC,
    default_args={"owner": "election-crises", "retries": 1, "retry_delay": timedelta(minutes=1)},
)
def election_crises_nightly():
    extracts = []
    for source in load_registry():
        @task(task_id=f"extract_{source.id}", **EXTRACT_RETRIES, doc_md=f"Fetch {source.publisher}.")
        def extract(source_id: str = source.id) -> dict:
            return pipeline.extract_one(source_id, _logical_date())

        extracts.append(extract())

    @task(pool=WRITER_POOL, trigger_rule="all_done", retries=1)
    def load() -> dict:
        """Runs even when a source failed: the others load, the failed one keeps its last good data."""
        return pipeline.load_stage(_run_id())

    @task(pool=WRITER_POOL, retries=1)
    def derive() -> dict:
        return pipeline.derive_stage(_run_id())

    @task(pool=WRITER_POOL, retries=1)
    def transform() -> dict:
        return pipeline.transform_stage(_run_id())

    @task(pool=WRITER_POOL, retries=0)
    def gate() -> dict:
        return pipeline.gate_stage(_run_id())

    @task(pool=WRITER_POOL, retries=1)
    def publish() -> dict:
        return pipeline.publish_stage(_run_id())

    loaded = load()
    extracts >> loaded
    loaded >> derive() >> transform() >> gate() >> publish()


election_crises_nightly()
