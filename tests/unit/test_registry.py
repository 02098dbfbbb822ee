"""The source registry refuses identifiers and URLs that could escape into paths or SQL."""
from __future__ import annotations

import pytest

from ingestion.registry import RegistryError, check_identifier, load_registry, redact_url

GOOD_ENTRY = """
sources:
  - id: {id}
    family: election_commission
    publisher: test
    url: "{url}"
    format: json
    parser: election_commission.elections
    allowed_schemes: [https, http]
"""


def write(tmp_path, **values):
    path = tmp_path / "sources.yml"
    path.write_text(GOOD_ENTRY.format(**{"id": "cec_test", "url": "https://example.org/x.json", **values}))
    return path


@pytest.mark.parametrize("bad", ["../../etc", "x; drop table", "Upper", "a", "1abc", "a-b", "a/b", ""])
def test_bad_source_ids_are_rejected(tmp_path, bad):
    with pytest.raises(RegistryError, match="not a valid identifier|missing id"):
        load_registry(write(tmp_path, id=f"'{bad}'"))


def test_check_identifier_message_names_the_value():
    with pytest.raises(RegistryError, match=r"source id '\.\./\.\./etc'"):
        check_identifier("../../etc", "source id")


def test_repo_registry_is_valid_and_has_all_three_families():
    sources = load_registry()
    assert {s.family for s in sources} >= {"election_commission", "health_ministry", "observer_mission"}
    assert len({s.id for s in sources}) == len(sources)


def test_plain_http_only_for_loopback(tmp_path, monkeypatch):
    (source,) = load_registry(write(tmp_path, url="http://example.org/x.json"))
    with pytest.raises(RegistryError, match="plain http is only allowed for a loopback"):
        _ = source.url
    (source,) = load_registry(write(tmp_path, url="ftp://127.0.0.1/x.json"))
    with pytest.raises(RegistryError, match="scheme 'ftp'"):
        _ = source.url


def test_unset_url_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ECW_NOT_SET", raising=False)
    (source,) = load_registry(write(tmp_path, url="${ECW_NOT_SET}/x.json"))
    with pytest.raises(RegistryError, match="ECW_NOT_SET"):
        _ = source.url


def test_redact_url_drops_credentials_and_query():
    assert redact_url("https://user:pw@api.example.org:8443/v1/events?key=SECRET") == "https://api.example.org:8443/v1/events"


@pytest.mark.parametrize("typo, meant", [("max_byte: 4096", "max_bytes"), ("timeout: 5", "timeout_seconds"),
                                         ("allowed_scheme: [https]", "allowed_schemes"),
                                         ("redirect_host: [example.org]", "redirect_hosts")])
def test_misspelt_key_is_refused_with_the_likely_key(tmp_path, typo, meant):
    path = write(tmp_path)
    path.write_text(path.read_text() + f"    {typo}\n")
    key = typo.split(":")[0]
    with pytest.raises(RegistryError) as refused:
        load_registry(path)
    assert str(refused.value) == f"source cec_test: unknown key {key!r} (did you mean {meant!r}?)"


def test_unknown_key_without_a_near_match_lists_the_known_keys(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text() + "    colour: blue\n")
    with pytest.raises(RegistryError, match=r"source cec_test: unknown key 'colour' \(known keys: .*max_bytes"):
        load_registry(path)


def test_misspelt_auth_key_is_refused(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text() + "    auth: {header: Authorization, envv: ECW_TOKEN}\n")
    with pytest.raises(RegistryError, match=r"unknown key 'auth\.envv' \(did you mean 'env'\?\)"):
        load_registry(path)


@pytest.mark.parametrize("line, message", [
    ("max_bytes: 10MB", "max_bytes: expected a valid integer, got '10MB' (str)"),
    ("max_bytes: true", "max_bytes: expected a valid integer, got True (bool)"),
    ("max_bytes: 0", "max_bytes: expected greater than 0, got 0 (int)"),
    ("timeout_seconds: fast", "timeout_seconds: expected a valid number, got 'fast' (str)"),
    ("allowed_schemes: https", "allowed_schemes: expected a valid list, got 'https' (str)"),
    ("complete: 'no'", "complete: expected a valid boolean, got 'no' (str)"),
    ("licence: null", "licence: expected a valid string, got None (NoneType)"),
])
def test_wrong_type_names_the_field_and_the_expected_type(tmp_path, line, message):
    path = tmp_path / "sources.yml"
    path.write_text(GOOD_ENTRY.format(id="cec_test", url="https://example.org/x.json") + f"    {line}\n")
    with pytest.raises(RegistryError) as refused:
        load_registry(path)
    assert str(refused.value) == f"source cec_test: {message}"


def test_every_problem_of_an_entry_is_reported_at_once(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text() + "    max_byte: 1\n    timeout_seconds: soon\n")
    with pytest.raises(RegistryError) as refused:
        load_registry(path)
    assert "unknown key 'max_byte'" in str(refused.value) and "timeout_seconds: expected" in str(refused.value)


def test_values_and_defaults_reach_the_source(tmp_path):
    (default,) = load_registry(write(tmp_path))
    assert (default.max_bytes, default.timeout_seconds, default.complete, default.redirect_hosts) == \
        (10_000_000, 30.0, True, ())
    assert default.allowed_schemes == ("https", "http") and default.raw_table == "elections"
    path = write(tmp_path)
    path.write_text(path.read_text() + "    max_bytes: 4096\n    timeout_seconds: 2\n    complete: false\n"
                    "    auth: {header: Authorization, env: ECW_TOKEN}\n")
    (source,) = load_registry(path)
    assert (source.max_bytes, source.timeout_seconds, source.complete) == (4096, 2.0, False)
    assert isinstance(source.timeout_seconds, float)
    assert (source.auth_header, source.auth_env) == ("Authorization", "ECW_TOKEN")


def test_misspelt_required_key_is_named_with_the_missing_one(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text().replace("    parser:", "    parsr:"))
    with pytest.raises(RegistryError) as refused:
        load_registry(path)
    assert str(refused.value) == "sources[0] (cec_test): missing parser; unknown key 'parsr' (did you mean 'parser'?)"
