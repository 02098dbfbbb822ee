"""One HTTP call of a feed adapter: the same limits as ingestion/http_client.py, any method.

Retries connection faults, 429 and 5xx with backoff, honouring Retry-After; reads the body under
the source's size cap; never follows a redirect (an API that redirects is answered with a clear
error naming the target host). Every attempt, failed ones included, is reported to `on_attempt`
first: that is where a request budget counts and refuses. Other statuses (401, 403, 404...) are
returned to the adapter, which knows what they mean in its protocol. Secrets are scrubbed from
every message.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Callable
from urllib.parse import urlsplit

import requests

from ingestion.http_client import (RETRY_STATUSES, USER_AGENT, FetchError, RetryPolicy, _read_capped,
                                   _retry_after_seconds, scrub)
from ingestion.registry import Source, check_url_allowed, redact_url


class _HideQueries(logging.Filter):
    """urllib3 logs each request line with its query at DEBUG; a query may carry a credential
    (ReliefWeb's appname), so its query strings are cut before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a.split("?", 1)[0] + "?<redacted>" if isinstance(a, str) and "?" in a else a
                                for a in record.args)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_HideQueries())


@dataclass(frozen=True)
class Response:
    status: int
    url: str
    body: bytes
    headers: dict
    attempts: int

    def json(self, source: Source):
        import json
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            head = self.body[:80].decode("utf-8", "replace")
            raise FetchError(f"source {source.id}: {redact_url(self.url)} answered HTTP {self.status} with a body "
                             f"that is not JSON ({exc}; starts {head!r})") from None


def call(source: Source, method: str, url: str, *, secrets: list[str], params: dict | None = None,
         headers: dict | None = None, data: dict | None = None, json_body: dict | None = None,
         session: requests.Session, policy: RetryPolicy, on_attempt: Callable[[], None],
         sleep: Callable[[float], None] = time.sleep, max_bytes: int | None = None) -> Response:
    """`max_bytes` replaces the source's cap for this call (a bulk file is larger than an API page)."""
    check_url_allowed(source, url)
    capped = replace(source, max_bytes=max_bytes) if max_bytes else source
    all_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": "application/json"}
    all_headers.update(headers or {})
    timeout = (min(10.0, source.timeout_seconds), source.timeout_seconds)
    where = redact_url(url)
    last_problem = "no attempt made"
    for attempt in range(1, policy.max_attempts + 1):
        wait = min(policy.backoff_max, policy.backoff_base * 2 ** (attempt - 1))
        on_attempt()
        try:
            response = session.request(method, url, params=params, headers=all_headers, data=data, json=json_body,
                                       timeout=timeout, stream=True, allow_redirects=False, verify=True)
            with response:
                if response.is_redirect:
                    target = urlsplit(response.headers.get("Location", "")).hostname or "?"
                    raise FetchError(f"source {source.id}: {where} redirects to host {target}; point the registry "
                                     f"URL at the API itself (redirects are not followed for feeds)")
                if response.status_code in RETRY_STATUSES:
                    after = _retry_after_seconds(response.headers.get("Retry-After"))
                    last_problem = f"HTTP {response.status_code}"
                    if after is not None and after > policy.retry_after_max:
                        raise FetchError(f"source {source.id}: HTTP {response.status_code} from {where} asks to retry "
                                         f"after {after:.0f} s, longer than the {policy.retry_after_max:.0f} s one "
                                         f"pull waits; the pull resumes from this page on the next try")
                    if attempt < policy.max_attempts:
                        sleep(after if after is not None else wait)
                        continue
                    break
                body = _read_capped(response, capped)
                return Response(response.status_code, response.url or url, body, dict(response.headers), attempt)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            last_problem = f"{type(exc).__name__}: {scrub(str(exc), secrets)}"
            if attempt < policy.max_attempts:
                sleep(wait)
                continue
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"source {source.id}: request to {where} failed: {scrub(str(exc), secrets)}") from None
    raise FetchError(f"source {source.id}: giving up on {where} after {policy.max_attempts} attempts ({last_problem})")
