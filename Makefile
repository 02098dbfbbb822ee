# The front door: `make run` and `make test`. Both set up .venv from the pinned lock file first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export AIRFLOW_HOME := $(CURDIR)/airflow_home
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__UNIT_TEST_MODE := False
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False

.PHONY: setup run test reliability eval-extractor airflow docs lint clean report bench superset

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	@echo "Setting up $(VENV) from requirements.lock (a few minutes the first time; log in $(VENV)/install.log)"
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --disable-pip-version-check -r requirements.lock > $(VENV)/install.log 2>&1 \
		|| (tail -40 $(VENV)/install.log; echo "pip install failed: see $(VENV)/install.log"; exit 1)
	@$(BIN)/pip install --disable-pip-version-check --no-deps --no-build-isolation -e . >> $(VENV)/install.log 2>&1 \
		|| (tail -40 $(VENV)/install.log; echo "installing the project failed: see $(VENV)/install.log"; exit 1)
	@touch $(STAMP)

setup: $(STAMP)

$(AIRFLOW_HOME)/.initialised: $(STAMP)
	@mkdir -p $(AIRFLOW_HOME)
	@echo "Setting up Airflow's database in $(AIRFLOW_HOME) (log in $(AIRFLOW_HOME)/db-migrate.log)"
	@$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (tail -20 $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	@$(BIN)/airflow pools set duckdb_writer 1 "One DuckDB writer at a time" >> $(AIRFLOW_HOME)/db-migrate.log 2>&1 \
		|| (tail -20 $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	@touch $@

## Run the nightly pipeline once, through Airflow, on the bundled snapshot: one line per stage;
## the frameworks' output goes to data/logs/make-run.log (scripts/run_nightly.py).
run: $(AIRFLOW_HOME)/.initialised
	@$(BIN)/python scripts/run_nightly.py

## Every test: unit, integration (HTTP, DuckDB, dbt, GX), the DAG run, reliability.
test: $(AIRFLOW_HOME)/.initialised
	@bash scripts/install_chromium.sh  # the report's browser test (skips, saying why, where it cannot install)
	$(BIN)/python -m pytest -q

## The fault-injection suite and its table of figures.
reliability: $(AIRFLOW_HOME)/.initialised
	$(BIN)/python -m pytest -q -m reliability -p no:randomly
	$(BIN)/python scripts/reliability_report.py

## Casualty extractor: precision/recall/F1 per language, trap and file on dev (every _meta.part dev file), heldout (if any) and the reference quotes.
eval-extractor: $(STAMP)
	$(BIN)/python scripts/eval_extractor.py

## Airflow UI, scheduler, DAG processor and triggerer on http://127.0.0.1:8080, the snapshot on
## 127.0.0.1:8765; Ctrl-C stops all of them (scripts/run_airflow.py).
airflow: $(AIRFLOW_HOME)/.initialised
	@$(BIN)/python scripts/run_airflow.py

## The offline HTML report (index + one page per crisis, SVG charts) from the published marts into data/report/.
report: $(STAMP)
	$(BIN)/ecw report

## Apache Superset on http://127.0.0.1:8088 over the published marts (its own venv from bi/superset/requirements.lock,
## the marts as a database, election_crises as a dataset, a chart); Ctrl-C stops it (scripts/superset.py).
superset: $(STAMP)
	@$(BIN)/python scripts/superset.py serve

## dbt docs (lineage graph included) into data/docs/.
docs: $(STAMP)
	$(BIN)/python scripts/build_docs.py

## sqlfluff (dbt templater) on the models; compiles against a scratch DuckDB file.
lint: $(STAMP)
	@mkdir -p data/lint
	cd dbt_project && ECW_WAREHOUSE=$(CURDIR)/data/lint/lint.duckdb DBT_TARGET_PATH=$(CURDIR)/data/lint/target \
		DBT_LOG_PATH=$(CURDIR)/data/lint/logs ../$(BIN)/sqlfluff lint models --processes 0  # every core: 90 s -> 72 s on two

## Issue 11's benchmark over SYNTHETIC payloads at scale factor SF (default 1): per-stage times,
## memory and the comparisons, into bench/results/<date>-sf<SF>.json and .md (bench/README.md).
SF ?= 1
bench: $(STAMP)
	$(BIN)/python -m bench.run --sf $(SF)
	$(BIN)/python -m bench.plot

clean:
	rm -rf data airflow_home dbt_project/target dbt_project/logs
