"""UCDP's keyless bulk files: the fallback when the token API cannot be used.

UCDP publishes every GED release as a download that needs no token (the stable release as a zip
holding one CSV, e.g. `ged251-csv.zip` with `GEDEvent_v25_1.csv`; the monthly candidate releases
as plain CSVs, e.g. `candidateged/GEDEvent_v26_0_7.csv`). `params.bulk_urls` maps each release to
its file. A release's file does not change once published, so it is downloaded once: later pulls
send a conditional GET (If-None-Match / If-Modified-Since from the manifest row of the copy
already landed); a 304 makes that copy a page of the new pull, read again with the new pull's
filter (ingestion/feeds/parsers.py), and costs one cheap request. These downloads are not API
calls and are not counted in the API's daily budget; they never carry the token.
"""
from __future__ import annotations

import json
import logging
from typing import Callable
from urllib.parse import urlsplit

from ingestion.feeds.bulk_csv import is_zip
from ingestion.feeds.http import call
from ingestion.landing import ManifestRow, read_manifest
from ingestion.registry import RegistryError, check_url_allowed, redact_url

log = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 200_000_000  # the stable GED zip is about 30 MB; held in memory while landed


def bulk_urls(adapter) -> dict[str, str]:
    """`params.bulk_urls` checked: a mapping of release -> URL the entry's schemes allow."""
    urls = adapter.params.get("bulk_urls") or {}
    if not isinstance(urls, dict):
        raise RegistryError(f"source {adapter.source.id}: params.bulk_urls must map each release to its file's URL "
                            f"(e.g. {{'25.1': 'https://ucdp.uu.se/downloads/ged/ged251-csv.zip'}})")
    checked = {}
    for version, url in urls.items():
        if not isinstance(url, str) or not urlsplit(url).path.strip("/"):
            raise RegistryError(f"source {adapter.source.id}: params.bulk_urls[{version!r}] is not a file URL")
        check_url_allowed(adapter.source, url)
        checked[str(version)] = url
    return checked


def _landed_copy(adapter, kind: str, url: str) -> ManifestRow | None:
    """The newest landed copy of this release's file from this URL, if its payload is still there."""
    for row in reversed(read_manifest(adapter.paths.landing, adapter.source.id)):
        if row.kind == kind and row.url == redact_url(url) and row.sha256 and row.path and \
                (adapter.paths.landing / row.path).exists():
            return row
    return None


def fetch_release(adapter, step: dict, countries: list[str], advance: Callable[[], None]) -> dict:
    """Land (or re-use) the bulk file of `step`'s release as page 0 of kind `bulk/<version>`;
    `advance` moves the pull past the step once the file is in hand (before it is landed and the
    position saved, as for an API page). Returns what the pull's summary records about the file."""
    version = step["version"]
    url = bulk_urls(adapter)[version]
    kind = f"bulk/{version}"
    file_name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    note = json.dumps({"file": file_name, "countries": countries, "start": step["start"], "end": step["end"]},
                      sort_keys=True)
    previous = _landed_copy(adapter, kind, url)
    headers = {"Accept": "*/*"}
    if previous and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    response = call(adapter.source, "GET", url, secrets=adapter.secret_texts(), session=adapter.session,
                    policy=adapter.policy, on_attempt=adapter.count_bulk_request, headers=headers,
                    max_bytes=int(adapter.params.get("bulk_max_bytes", DEFAULT_MAX_BYTES)))
    if response.status == 304 and previous:
        advance()
        adapter.reference(kind, 0, response, previous, note)
        log.info("%s: release %s bulk file %s unchanged (304), the copy landed on %s is read again",
                 adapter.source.id, version, file_name, previous.logical_date)
        return {"file": file_name, "sha256": previous.sha256, "downloaded": False}
    if response.status == 404:
        raise adapter.fail(response, f"bulk file of release {version} not found",
                           f"fix params.bulk_urls[{version!r}] (UCDP's downloads page lists each release's file)")
    if response.status != 200:
        raise adapter.fail(response, f"bulk file of release {version} failed")
    advance()
    digest = adapter.land(kind, 0, response, extension="zip" if is_zip(response.body) else "csv", note=note)
    log.info("%s: release %s bulk file %s downloaded (%d bytes)", adapter.source.id, version, file_name,
             len(response.body))
    return {"file": file_name, "sha256": digest, "downloaded": True}
