"""What happened in the last runs, kept as small JSON files that `ecw status` reads without
opening the warehouse (which a running load may hold)."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ingestion.registry import check_identifier
from ingestion.settings import Paths


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def record_stage(paths: Paths, run_id: str, stage: str, status: str, **details: Any) -> None:
    """Merge one stage's outcome into the run's status file (stages of one run run one at a time)."""
    path = paths.status_dir / "last_run.json"
    document = _read_json(path) or {}
    if document.get("run_id") != run_id:
        document = {"run_id": run_id, "started_at": now_iso(), "stages": {}}
    document["stages"][stage] = {"status": status, "at": now_iso(), **details}
    document["updated_at"] = now_iso()
    _write_json(path, document)


def record_extract(paths: Paths, source_id: str, status: str, **details: Any) -> None:
    """Per-source file: extract tasks run in parallel, so each writes only its own."""
    path = paths.status_dir / "sources" / f"{check_identifier(source_id, 'source id')}.json"
    previous = _read_json(path) or {}
    document = {**previous, "source": source_id, "last_attempt_at": now_iso(), "last_status": status, **details}
    if status == "ok":
        document["last_success_at"] = document["last_attempt_at"]
        document.pop("last_error", None)
    _write_json(path, document)


def last_run(paths: Paths) -> dict | None:
    return _read_json(paths.status_dir / "last_run.json")


def source_states(paths: Paths) -> list[dict]:
    folder = paths.status_dir / "sources"
    return [doc for p in sorted(folder.glob("*.json")) if (doc := _read_json(p))] if folder.exists() else []
