"""The one interface every feed adapter implements, and what they share.

An adapter gets the registry Source, the landing Paths and the logical date. It authenticates,
pages, keeps an incremental cursor, asks for deletions and respects a request budget; each
response it keeps is landed as an immutable payload with a manifest row naming its pull, kind
and page. The pages of one pull are loaded together or not at all: the loader takes a pull only
once its `complete` marker row is in the manifest (ingestion/feeds/load.py).

State (cursor, the pull in progress and its position, requests per day) lives beside the landing
zone in `<landing>/<source>/feed_state.json`, replaced atomically after every landed page. A pull
killed half-way resumes at the page after the last one saved, with the same pull id and the same
query, so nothing is asked twice and nothing is counted twice; a page landed but not yet saved in
the state is fetched again and replaces its earlier copy in the pull (same kind and page number).
The cursor moves only when a pull completes.

Credentials come from the environment variables the registry names. Tokens are kept in memory
only, never in the state file, a payload, a manifest row, a log line or an error message.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests

from ingestion.extract import ExtractOutcome
from ingestion.feeds.http import Response, call
from ingestion.http_client import FetchError, RetryPolicy, secret_values
from ingestion.landing import ManifestRow, append_manifest, source_dir, write_payload
from ingestion.registry import Source, redact_url
from ingestion.settings import Paths

log = logging.getLogger(__name__)
STATE_FILE = "feed_state.json"


class FeedError(FetchError):
    """A feed could not be pulled; the message names the source, the step and the fix."""


class BudgetExhausted(FeedError):
    """The day's request budget is spent; the pull resumes where it stopped on the next day."""


def state_path(paths: Paths, source_id: str) -> Path:
    return source_dir(paths.landing, source_id) / STATE_FILE


def read_state(paths: Paths, source_id: str) -> dict:
    path = state_path(paths, source_id)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise FeedError(f"source {source_id}: feed state {path} is unreadable ({exc}); move it aside to start "
                        "a full pull (the landed pages stay)") from None


def write_state(paths: Paths, source_id: str, state: dict) -> None:
    path = state_path(paths, source_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def utc_today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


@dataclass
class Pull:
    """One pull in progress: its id, its query plan and where it stands (saved after every page)."""

    pull_id: str
    plan: dict
    progress: dict = field(default_factory=dict)
    pages: int = 0
    bytes: int = 0
    summary: dict = field(default_factory=dict)


class Adapter:
    """Subclasses set `name` and implement `plan` (the query for tonight, from the cursor) and
    `run_pull` (fetch every page of the plan, calling `land` for each); `next_cursor` says where
    the next pull starts once this one is complete."""

    name = "base"
    default_budget: int | None = None  # requests per UTC day, errors included; None = unlimited

    def __init__(self, source: Source, paths: Paths, logical_date: str, policy: RetryPolicy = RetryPolicy(),
                 session: requests.Session | None = None) -> None:
        self.source = source
        self.paths = paths
        self.logical_date = logical_date
        self.policy = policy
        self.session = session or requests.Session()
        self.requests = 0
        self.state: dict = {}
        self.pull: Pull | None = None
        self._secrets: list[str] = []

    # ---- what an adapter implements -------------------------------------------------------
    def plan(self, cursor: dict) -> dict:
        raise NotImplementedError

    def run_pull(self, pull: Pull) -> None:
        raise NotImplementedError

    def next_cursor(self, pull: Pull, cursor: dict) -> dict:
        return cursor

    # ---- shared machinery ------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.source.url.rstrip("/")

    @property
    def marker_url(self) -> str:
        """The URL a pull's complete marker names (the API's; an adapter without one says which it used)."""
        return self.base_url

    @property
    def params(self) -> dict:
        return self.source.params

    def secret_texts(self) -> list[str]:
        """Everything that must never be written: credentials and tokens (grows as tokens arrive)."""
        # read without raising: a feed may run without its credential (UCDP falls back to its keyless files)
        found = [os.environ.get(self.source.auth_env) if self.source.auth_env else None,
                 os.environ.get(self.source.auth_user_env) if self.source.auth_user_env else None, *self._secrets]
        return sorted({v for v in found if v}, key=len, reverse=True)

    def keep_secret(self, value: str | None) -> None:
        if value:
            self._secrets.append(value)

    def logical_day(self) -> date:
        return date.fromisoformat(self.logical_date)

    def window(self) -> tuple[str, str]:
        """Event dates asked for: `lookback_days` (default 120) before the logical date, through it."""
        lookback = int(self.params.get("lookback_days", 120))
        end = self.logical_day()
        return (end - timedelta(days=lookback)).isoformat(), end.isoformat()

    def budget_limit(self) -> int | None:
        limit = self.params.get("daily_request_budget", self.default_budget)
        return int(limit) if limit is not None else None

    def _count_request(self) -> None:
        """Before every attempt: refuse when the day's budget is spent, else count it (and save)."""
        day = utc_today()
        budget = self.state.setdefault("budget", {})
        used = int(budget.get(day, 0))
        limit = self.budget_limit()
        if limit is not None and used >= limit:
            raise BudgetExhausted(
                f"source {self.source.id}: the day's request budget of {limit} is spent ({used} requests on {day}, "
                f"errors included); the pull {self.pull.pull_id if self.pull else ''} resumes from where it "
                f"stopped after 00:00 UTC")
        budget.clear()  # only today's count matters
        budget[day] = used + 1
        self.requests += 1
        write_state(self.paths, self.source.id, self.state)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        return call(self.source, method, url, secrets=self.secret_texts(), session=self.session,
                    policy=self.policy, on_attempt=self._count_request, **kwargs)

    def fail(self, response: Response, what: str, fix: str = "") -> FeedError:
        """A clear error for an unexpected status (the body is not quoted: it may echo a credential)."""
        return FeedError(f"source {self.source.id}: {what}: HTTP {response.status} from {redact_url(response.url)}"
                         + (f"; {fix}" if fix else ""))

    def land(self, kind: str, page: int, response: Response, *, extension: str = "json", note: str | None = None,
             **summary: Any) -> str:
        """Write one response as an immutable payload of this pull, save the pull's position, and
        return the payload's sha256.
        `note` goes on the page's manifest row (what the loader needs to read the page, such as the
        filter of a bulk file)."""
        assert self.pull is not None
        body = response.body
        redacted = False
        for secret in self.secret_texts():
            # APIs echo the request (ReliefWeb's `href` carries the appname): never land a credential
            if secret.encode() in body:
                body, redacted = body.replace(secret.encode(), b"<redacted>"), True
        if redacted:
            summary = {**summary, "credential_redacted_from_pages": self.pull.summary.get(
                "credential_redacted_from_pages", 0) + 1}
        digest, target = write_payload(self.paths.landing, self.source.id, self.logical_date, body, extension)
        append_manifest(self.paths.landing, ManifestRow(
            source=self.source.id, url=redact_url(response.url), fetched_at=_now(), logical_date=self.logical_date,
            http_status=response.status, etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"), sha256=digest, bytes=len(body),
            path=str(target.relative_to(self.paths.landing)), content_type=response.headers.get("Content-Type"),
            pull_id=self.pull.pull_id, kind=kind, page=page, note=note))
        self.pull.pages += 1
        self.pull.bytes += len(body)
        for key, value in summary.items():
            self.pull.summary[key] = value
        self.save()
        return digest

    def reference(self, kind: str, page: int, response: Response, previous: ManifestRow,
                  note: str | None = None) -> None:
        """Make an already landed payload a page of this pull without fetching it again (the server
        said 304 Not Modified): a new manifest row naming the same file, so the payload stays one."""
        assert self.pull is not None
        append_manifest(self.paths.landing, ManifestRow(
            source=self.source.id, url=redact_url(response.url), fetched_at=_now(), logical_date=self.logical_date,
            http_status=response.status, etag=previous.etag, last_modified=previous.last_modified,
            sha256=previous.sha256, bytes=previous.bytes, path=previous.path, content_type=previous.content_type,
            pull_id=self.pull.pull_id, kind=kind, page=page, note=note))
        self.pull.pages += 1
        self.save()

    def save(self) -> None:
        if self.pull is not None:
            self.state["pull"] = {"pull_id": self.pull.pull_id, "plan": self.pull.plan, "progress": self.pull.progress,
                                  "pages": self.pull.pages, "bytes": self.pull.bytes, "summary": self.pull.summary}
        write_state(self.paths, self.source.id, self.state)

    def extract(self) -> ExtractOutcome:
        self.state = read_state(self.paths, self.source.id)
        cursor = self.state.get("cursor", {})
        saved = self.state.get("pull")
        if saved:
            self.pull = Pull(saved["pull_id"], saved["plan"], saved.get("progress", {}), saved.get("pages", 0),
                             saved.get("bytes", 0), saved.get("summary", {}))
            log.info("%s: resuming pull %s at %s", self.source.id, self.pull.pull_id, self.pull.progress)
        else:
            pull_id = f"{self.logical_date}-{uuid.uuid4().hex[:12]}"
            self.pull = Pull(pull_id, self.plan(cursor))
            self.save()
        try:
            self.run_pull(self.pull)
        except FetchError as exc:
            self.state.setdefault("failures", []).append({"at": _now(), "pull_id": self.pull.pull_id,
                                                          "error": str(exc)})
            self.state["failures"] = self.state["failures"][-10:]
            self.save()
            raise
        pull = self.pull
        append_manifest(self.paths.landing, ManifestRow(
            source=self.source.id, url=redact_url(self.marker_url), fetched_at=_now(), logical_date=self.logical_date,
            http_status=200, etag=None, last_modified=None, sha256=None, bytes=pull.bytes, path=None,
            pull_id=pull.pull_id, kind="complete", page=pull.pages,
            note=json.dumps({"plan": pull.plan, **pull.summary}, sort_keys=True)))
        self.state["cursor"] = self.next_cursor(pull, cursor)
        self.state.pop("pull", None)
        self.state["last_pull"] = {"pull_id": pull.pull_id, "completed_at": _now(), "pages": pull.pages,
                                   "requests_this_run": self.requests, **pull.summary}
        self.pull = None
        write_state(self.paths, self.source.id, self.state)
        log.info("%s: pull %s complete, %d page(s), %d request(s)", self.source.id, pull.pull_id, pull.pages,
                 self.requests)
        return ExtractOutcome(self.source.id, 200, None, pull.bytes, pull.pages > 0, self.requests)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
