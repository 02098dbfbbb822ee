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
