"""Extract: fetch one registry source and land the payload. Never opens DuckDB."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ingestion.http_client import FetchError, RetryPolicy, fetch
from ingestion.landing import ManifestRow, append_manifest, last_good_fetch, write_payload
from ingestion.registry import Source, redact_url
from ingestion.settings import Paths

log = logging.getLogger(__name__)

JSON_TYPES = ("application/json", "text/json", "application/geo+json", "text/plain")
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel",
             "text/tab-separated-values", "application/octet-stream")


@dataclass(frozen=True)
class ExtractOutcome:
    source: str
    http_status: int
    sha256: str | None
    bytes: int | None
    new_payload: bool
    attempts: int


def _check_body(source: Source, body: bytes, content_type: str | None) -> None:
    """Catch the classic government-website failure: an HTML error page served with status 200."""
    media = (content_type or "").split(";")[0].strip().lower()
    head = body[:512].lstrip().lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        raise FetchError(f"source {source.id}: got an HTML page instead of {source.format} (status 200, {media or 'no content type'})")
    allowed = JSON_TYPES if source.format == "json" else CSV_TYPES
    if media and media not in allowed:
        raise FetchError(f"source {source.id}: unexpected content type {media!r} for a {source.format} feed")
    if not body.strip():
        raise FetchError(f"source {source.id}: empty body")


def extract_source(source: Source, paths: Paths, logical_date: str, policy: RetryPolicy = RetryPolicy()) -> ExtractOutcome:
    """Fetch with conditional GET and land the payload with a manifest row. Raises FetchError on failure.

    A source whose registry entry names an `adapter` is pulled by that protocol adapter instead
    (ingestion/feeds/): paging, cursor, deletions and budget are the adapter's business.
    """
    if source.adapter:
        from ingestion.feeds import adapter_for

        return adapter_for(source, paths, logical_date, policy).extract()
    previous = last_good_fetch(paths.landing, source.id)
    result = fetch(source, etag=previous.etag if previous else None,
                   last_modified=previous.last_modified if previous else None, policy=policy)
    fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if result.status == 304:
        append_manifest(paths.landing, ManifestRow(
            source=source.id, url=redact_url(result.url), fetched_at=fetched_at, logical_date=logical_date,
            http_status=304, etag=result.etag, last_modified=result.last_modified,
            sha256=previous.sha256 if previous else None, bytes=None, path=previous.path if previous else None,
            content_type=result.content_type))
        log.info("%s: not modified (304), keeping payload %s", source.id, previous.sha256[:12] if previous else "-")
        return ExtractOutcome(source.id, 304, previous.sha256 if previous else None, None, False, result.attempts)
    assert result.body is not None
    _check_body(source, result.body, result.content_type)
    digest, target = write_payload(paths.landing, source.id, logical_date, result.body, source.extension)
    append_manifest(paths.landing, ManifestRow(
        source=source.id, url=redact_url(result.url), fetched_at=fetched_at, logical_date=logical_date,
        http_status=200, etag=result.etag, last_modified=result.last_modified, sha256=digest,
        bytes=len(result.body), path=str(target.relative_to(paths.landing)), content_type=result.content_type))
    is_new = previous is None or previous.sha256 != digest
    log.info("%s: landed %d bytes as %s (%s)", source.id, len(result.body), digest[:12], "new" if is_new else "unchanged")
    return ExtractOutcome(source.id, 200, digest, len(result.body), is_new, result.attempts)
