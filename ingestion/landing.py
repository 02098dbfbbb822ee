"""The landing zone: immutable payloads plus an append-only manifest per source.

Extract tasks of different sources run in parallel, so each source has its own manifest file
and nothing here ever touches DuckDB.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ingestion.registry import check_identifier


@dataclass(frozen=True)
class ManifestRow:
    source: str
    url: str
    fetched_at: str  # ISO 8601 UTC
    logical_date: str  # YYYY-MM-DD of the run that fetched it
    http_status: int
    etag: str | None
    last_modified: str | None
    sha256: str | None
    bytes: int | None
    path: str | None  # relative to the landing root
    content_type: str | None = None
    # feeds (ingestion/feeds/): the pull a page belongs to, its kind (events, deletions...) and number;
    # a row of kind `complete` (no payload) says every page of the pull is landed
    pull_id: str | None = None
    kind: str | None = None
    page: int | None = None
    note: str | None = None


_FEED_FIELDS = {"pull_id", "kind", "page", "note"}  # written only when set: other sources' rows stay as they were


def source_dir(landing: Path, source_id: str) -> Path:
    return landing / check_identifier(source_id, "source id")


def write_payload(landing: Path, source_id: str, logical_date: str, body: bytes, extension: str) -> tuple[str, Path]:
    """Store the body under its hash; an existing file is never rewritten (payloads are immutable)."""
    digest = hashlib.sha256(body).hexdigest()
    folder = source_dir(landing, source_id) / logical_date
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.{check_identifier(extension, 'extension')}"
    if not target.exists():
        tmp = folder / f".{digest}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    return digest, target


def append_manifest(landing: Path, row: ManifestRow) -> None:
    """One JSON line per fetch, written with a single O_APPEND write so concurrent writers never interleave."""
    path = source_dir(landing, row.source) / "manifest.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {k: v for k, v in asdict(row).items() if v is not None or k not in _FEED_FIELDS}
    line = (json.dumps(fields, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(landing: Path, source_id: str) -> list[ManifestRow]:
    path = source_dir(landing, source_id) / "manifest.jsonl"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(ManifestRow(**json.loads(line)))
            except (json.JSONDecodeError, TypeError):
                continue  # a torn last line from a killed writer; the payload file is still there
    return rows


def last_good_fetch(landing: Path, source_id: str) -> ManifestRow | None:
    """The newest fetch that produced a payload, used for conditional GET."""
    for row in reversed(read_manifest(landing, source_id)):
        if row.http_status == 200 and row.sha256:
            return row
    return None
