"""Credentials from an Airflow connection: the variables a registry entry names, filled for one extract.

The adapters read URLs and credentials from the environment only (ingestion/registry.py). In
Airflow, an operator may keep them in a connection instead (the UI, a secrets backend, or an
AIRFLOW_CONN_ECW_<SOURCE> variable); the DAG looks up `ecw_<source id>` and this module maps its
fields onto the entry's variables: host (with schema and port) onto the URL's ${...} variable,
login onto `auth.user_env`, password onto `auth.env`. A variable already set wins, so `ecw` on the
command line and the DAG read the same values. Nothing is written to a file; the variables are
restored when the extract ends.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator
from urllib.parse import urlsplit

from ingestion.registry import ENV_REF, Source


def connection_id(source: Source) -> str:
    return f"ecw_{source.id}"


def _base_url(host: str | None, schema: str | None, port: int | None) -> str | None:
    if not host:
        return None
    if urlsplit(host).scheme:  # a full URL in the host field
        return host.rstrip("/")
    scheme = schema if schema in ("http", "https") else "https"
    return f"{scheme}://{host}{f':{port}' if port else ''}"


def connection_env(source: Source, *, host: str | None = None, schema: str | None = None, port: int | None = None,
                   login: str | None = None, password: str | None = None) -> dict[str, str]:
    """The entry's variables this connection fills (only the fields it has)."""
    values: dict[str, str] = {}
    url_vars = ENV_REF.findall(source.url_template)
    base = _base_url(host, schema, port)
    if base and len(url_vars) == 1:  # one variable is the base URL; a template with several is left to the env
        values[url_vars[0]] = base
    if login and source.auth_user_env:
        values[source.auth_user_env] = login
    if password and source.auth_env:
        values[source.auth_env] = password
    return values


@contextlib.contextmanager
def filled_env(values: dict[str, str]) -> Iterator[list[str]]:
    """Set the variables not already set for the block (yields their names), then unset them again."""
    added = [name for name in values if not os.environ.get(name)]
    try:
        for name in added:
            os.environ[name] = values[name]
        yield added
    finally:
        for name in added:
            os.environ.pop(name, None)
