"""Mapping an Airflow connection's fields onto a registry entry's variables (ingestion/feeds/credentials.py)."""
from __future__ import annotations

import os

from ingestion.feeds.credentials import connection_env, connection_id, filled_env
from ingestion.registry import Source


def _source(url: str = "${ECW_ACLED_BASE_URL}", user_env: str | None = "ECW_ACLED_USERNAME") -> Source:
    return Source(id="acled_events", family="event_feed", publisher="synthetic", url_template=url, format="json",
                  parser="feeds.acled", auth_env="ECW_ACLED_PASSWORD", auth_user_env=user_env)


def test_host_login_and_password_fill_the_entrys_variables():
    assert connection_id(_source()) == "ecw_acled_events"
    assert connection_env(_source(), host="acleddata.com", login="me", password="pw") == {
        "ECW_ACLED_BASE_URL": "https://acleddata.com", "ECW_ACLED_USERNAME": "me", "ECW_ACLED_PASSWORD": "pw"}
    assert connection_env(_source(), host="127.0.0.1", schema="http", port=8080) == {
        "ECW_ACLED_BASE_URL": "http://127.0.0.1:8080"}
    assert connection_env(_source(), host="http://127.0.0.1:9/") == {"ECW_ACLED_BASE_URL": "http://127.0.0.1:9"}


def test_a_url_with_a_fixed_host_or_no_account_variable_takes_only_what_it_names():
    assert connection_env(_source(url="https://api.example.org/v2", user_env=None), host="x.org", login="me",
                          password="pw") == {"ECW_ACLED_PASSWORD": "pw"}


def test_variables_already_set_win_and_the_filled_ones_are_removed_after(monkeypatch):
    monkeypatch.setenv("ECW_ACLED_USERNAME", "from-env")
    monkeypatch.delenv("ECW_ACLED_PASSWORD", raising=False)
    with filled_env({"ECW_ACLED_USERNAME": "from-conn", "ECW_ACLED_PASSWORD": "pw"}) as added:
        assert added == ["ECW_ACLED_PASSWORD"]
        assert os.environ["ECW_ACLED_USERNAME"] == "from-env" and os.environ["ECW_ACLED_PASSWORD"] == "pw"
    assert "ECW_ACLED_PASSWORD" not in os.environ and os.environ["ECW_ACLED_USERNAME"] == "from-env"
