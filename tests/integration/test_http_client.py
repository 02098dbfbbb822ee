"""The HTTP client against a real server on 127.0.0.1: retries, 304, size cap, refusals."""
from __future__ import annotations

import json

import pytest

from ingestion.http_client import FetchError, RetryPolicy, fetch
from ingestion.registry import Source
from tests.support.fault_server import FaultServer, Reply

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_max=0.05, retry_after_max=0.2)
BODY = json.dumps({"elections": []}).encode()


def make_source(url: str, **overrides) -> Source:
    fields = dict(id="test_source", family="election_commission", publisher="test", url_template=url,
                  format="json", parser="election_commission.elections", allowed_schemes=("https", "http"),
                  timeout_seconds=2.0)
    fields.update(overrides)
    return Source(**fields)


@pytest.fixture
def server():
    with FaultServer() as srv:
        yield srv


def test_retries_503_then_succeeds_and_honours_retry_after(server):
    sleeps: list[float] = []
    url = server.script("/feed", Reply(503, headers={"Retry-After": "0"}), Reply(200, BODY))
    result = fetch(make_source(url), policy=FAST, sleep=sleeps.append)
    assert result.status == 200 and result.body == BODY
    assert result.attempts == 2
    assert sleeps == [0.0]  # Retry-After: 0 was honoured instead of the backoff


def test_429_and_500_are_retried_with_backoff(server):
    sleeps: list[float] = []
    url = server.script("/feed", Reply(429), Reply(500), Reply(200, BODY))
    result = fetch(make_source(url), policy=FAST, sleep=sleeps.append)
    assert result.attempts == 3
    assert sleeps == [0.01, 0.02]  # exponential


def test_gives_up_after_max_attempts_with_clear_message(server):
    url = server.script("/feed", Reply(503))
    with pytest.raises(FetchError, match=r"test_source: giving up .* after 3 attempts \(HTTP 503\)"):
        fetch(make_source(url), policy=FAST, sleep=lambda s: None)
    assert server.hits["/feed"] == 3


def test_conditional_get_returns_304(server):
    url = server.script("/feed", Reply(304, headers={"ETag": '"abc"'}))
    result = fetch(make_source(url), etag='"abc"', policy=FAST)
    assert result.status == 304 and result.body is None
    assert server.request_headers[-1].get("If-None-Match") == '"abc"'


def test_size_cap_refuses_large_body(server):
    url = server.script("/feed", Reply(200, b"x" * 5000))
    with pytest.raises(FetchError, match="exceeds the cap of 1000 bytes"):
        fetch(make_source(url, max_bytes=1000), policy=FAST)


def test_size_cap_applies_while_streaming_without_content_length(server):
    url = server.script("/feed", Reply(200, b"y" * 5000, chunked=True))
    with pytest.raises(FetchError, match="exceeds the cap of 1000 bytes"):
        fetch(make_source(url, max_bytes=1000), policy=FAST, sleep=lambda s: None)


def test_truncated_body_is_retried(server):
    url = server.script("/feed", Reply(200, BODY, truncate_to=5), Reply(200, BODY))
    result = fetch(make_source(url), policy=FAST, sleep=lambda s: None)
    assert result.body == BODY and result.attempts == 2


def test_connection_reset_is_retried(server):
    url = server.script("/feed", Reply(200, BODY, reset=True), Reply(200, BODY))
    result = fetch(make_source(url), policy=FAST, sleep=lambda s: None)
    assert result.body == BODY and result.attempts == 2


def test_read_timeout_is_retried(server):
    url = server.script("/feed", Reply(200, BODY, delay=1.5), Reply(200, BODY))
    result = fetch(make_source(url, timeout_seconds=0.5), policy=FAST, sleep=lambda s: None)
    assert result.body == BODY and result.attempts == 2


def test_connection_refused_fails_clearly():
    with FaultServer() as srv:
        url = srv.base_url + "/feed"
    with pytest.raises(FetchError, match="giving up .*ConnectionError"):
        fetch(make_source(url), policy=FAST, sleep=lambda s: None)


def test_redirect_loop_is_refused(server):
    url = server.script("/a", Reply(302, headers={"Location": "/b"}))
    server.script("/b", Reply(302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(make_source(url), policy=FAST)


def test_redirect_to_other_host_or_scheme_is_refused(server):
    url = server.script("/a", Reply(302, headers={"Location": "http://localhost:1/elsewhere"}))
    with pytest.raises(FetchError, match="outside the registry entry's allowance"):
        fetch(make_source(url), policy=FAST)
    url = server.script("/b", Reply(302, headers={"Location": "ftp://127.0.0.1/file"}))
    with pytest.raises(FetchError, match="refused redirect to scheme 'ftp'"):
        fetch(make_source(url), policy=FAST)


def test_secret_goes_in_header_only(server, monkeypatch):
    monkeypatch.setenv("ECW_TEST_TOKEN", "s3cret-token-value")
    url = server.script("/feed", Reply(200, BODY))
    fetch(make_source(url, auth_header="Authorization", auth_env="ECW_TEST_TOKEN"), policy=FAST)
    assert server.request_headers[-1]["Authorization"] == "s3cret-token-value"
