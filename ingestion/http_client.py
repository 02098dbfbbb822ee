"""Fetching one publisher URL the way a flaky government website needs.

Timeouts on every call, retries with exponential backoff on connection faults, 429 and 5xx
(honouring Retry-After), conditional GET, a hard size cap read while streaming, and redirects
followed by hand so that each hop is checked against the source's allowed schemes and hosts.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests

from ingestion.registry import LOOPBACK_HOSTS, Source, redact_url

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
USER_AGENT = "election-crises-warehouse/0.1 (+https://github.com/; nightly research crawler)"


class FetchError(RuntimeError):
    """A source could not be fetched; the message names the source and why."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200 or 304
    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    attempts: int


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds the publisher asks us to wait (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _is_certificate_failure(exc: requests.exceptions.SSLError) -> bool:
    """A certificate that does not verify will not verify on the next attempt either."""
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc)


def secret_values(url: str, secret: str | None) -> list[str]:
    """What must never appear in an error message: the credential, the URL's query and password.

    Tokens often travel in the query string (`?key=...`), and requests/urllib3 put the request
    path with its query into their exception texts, which end up in logs and status files.
    """
    parts = urlsplit(url)
    prepared = urlsplit(requests.Request("GET", url).prepare().url or "")
    values = {secret, parts.query, prepared.query, parts.password}
    return sorted((v for v in values if v), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for value in secrets:
        text = text.replace(value, "<redacted>")
    return text


def _check_redirect(source: Source, origin: str, target: str) -> None:
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in source.allowed_schemes:
        raise FetchError(f"source {source.id}: refused redirect to scheme {scheme!r} ({redact_url(target)})")
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        raise FetchError(f"source {source.id}: refused redirect to plain http on {host}")
    if host != (urlsplit(origin).hostname or "") and host not in source.redirect_hosts:
        raise FetchError(
            f"source {source.id}: refused redirect to host {host!r} outside the registry entry's allowance"
        )


def _read_capped(response: requests.Response, source: Source) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > source.max_bytes:
        raise FetchError(
            f"source {source.id}: response of {declared} bytes exceeds the cap of {source.max_bytes} bytes"
        )
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > source.max_bytes:
            raise FetchError(f"source {source.id}: response exceeds the cap of {source.max_bytes} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    if declared and declared.isdigit() and int(declared) != len(body):
        raise requests.exceptions.ChunkedEncodingError(
            f"truncated body: {len(body)} of {declared} declared bytes"
        )
    return body


def fetch(
    source: Source,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: RetryPolicy = RetryPolicy(),
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """GET the source's URL; returns 200 with the body, or 304 when the publisher says unchanged."""
    url = source.url
    session = session or requests.Session()
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    secret = source.secret()
    secrets = secret_values(url, secret)
    origin_host = urlsplit(url).hostname or ""
    timeout = (min(10.0, source.timeout_seconds), source.timeout_seconds)
    last_problem = "no attempt made"
    for attempt in range(1, policy.max_attempts + 1):
        wait = min(policy.backoff_max, policy.backoff_base * 2 ** (attempt - 1))
        try:
            current, hops = url, 0
            while True:
                hop_headers = dict(headers)
                # like requests' own redirect handling: the credential goes to the registry's host only
                if secret and source.auth_header and (urlsplit(current).hostname or "") == origin_host:
                    hop_headers[source.auth_header] = secret
                response = session.get(current, headers=hop_headers, timeout=timeout, stream=True,
                                       allow_redirects=False, verify=True)
                if response.is_redirect:
                    hops += 1
                    target = urljoin(current, response.headers.get("Location", ""))
                    response.close()
                    if hops > MAX_REDIRECTS:
                        raise FetchError(f"source {source.id}: more than {MAX_REDIRECTS} redirects (redirect loop?)")
                    _check_redirect(source, url, target)
                    current = target
                    continue
                break
            with response:
                if response.status_code == 304:
                    if not (etag or last_modified):
                        raise FetchError(f"source {source.id}: HTTP 304 Not Modified from {redact_url(current)} "
                                         "to a request without If-None-Match or If-Modified-Since: "
                                         "there is no earlier payload to keep")
                    return FetchResult(304, current, None, response.headers.get("ETag", etag),
                                       response.headers.get("Last-Modified", last_modified),
                                       response.headers.get("Content-Type"), attempt)
                if response.status_code in RETRY_STATUSES:
                    after = _retry_after_seconds(response.headers.get("Retry-After"))
                    last_problem = f"HTTP {response.status_code}"
                    if after is not None and after > policy.retry_after_max:
                        # retrying sooner than asked would ignore Retry-After; the task's own retry comes later
                        raise FetchError(
                            f"source {source.id}: HTTP {response.status_code} from {redact_url(current)} asks to "
                            f"retry after {after:.0f} s, longer than the {policy.retry_after_max:.0f} s one fetch "
                            f"waits (attempt {attempt})")
                    if attempt < policy.max_attempts:
                        sleep(after if after is not None else wait)
                        continue
                    break
                if response.status_code != 200:
                    raise FetchError(
                        f"source {source.id}: HTTP {response.status_code} from {redact_url(current)} (not retried)"
                    )
                body = _read_capped(response, source)
                return FetchResult(200, current, body, response.headers.get("ETag"),
                                   response.headers.get("Last-Modified"), response.headers.get("Content-Type"),
                                   attempt)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            if isinstance(exc, requests.exceptions.SSLError) and _is_certificate_failure(exc):
                raise FetchError(
                    f"source {source.id}: TLS certificate of {redact_url(current)} failed verification, "
                    f"not retried ({scrub(str(exc), secrets)})") from None
            last_problem = f"{type(exc).__name__}: {scrub(str(exc), secrets)}"
            if attempt < policy.max_attempts:
                sleep(wait)
                continue
        except requests.exceptions.RequestException as exc:
            # `from None`: a chained traceback would print the unscrubbed exception text
            raise FetchError(
                f"source {source.id}: request to {redact_url(url)} failed: {scrub(str(exc), secrets)}"
            ) from None
    raise FetchError(
        f"source {source.id}: giving up on {redact_url(url)} after {policy.max_attempts} attempts ({last_problem})"
    )
