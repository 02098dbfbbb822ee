"""ACLED: OAuth password grant, paged reads until a short page, incremental by `timestamp`,
a scheduled full reconcile, and deletions from the deleted endpoint.

Protocol (ACLED API documentation, as the issue gives it): `POST <base>/oauth/token` with form
fields username, password, grant_type=password, client_id=acled answers access_token (about
24 h), refresh_token and expires_in; requests carry `Authorization: Bearer`. `GET
<base>/api/acled/read?_format=json` with country, event_date + event_date_where=BETWEEN, fields,
limit, page, and `timestamp` + `timestamp_where=>=` for what was added or changed since; the
envelope is status, success, last_update, count, messages, data[], filename, every value a
string. `GET <base>/api/deleted/read?_format=json` with deleted_timestamp + _where=>= lists
event_id_cnty and deleted_timestamp of withdrawn events. A 403 is an account without API access.

Registry params: countries (ACLED country names; absent = all), lookback_days (120),
page_size (5000), full_reconcile_days (7: a full pull of the window at most this many days after
the last one, so an event deleted without a deletion record still leaves; the rules are in
dbt_project/models/staging/stg_acled__event_status.sql).
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from ingestion.feeds.base import Adapter, FeedError, Pull
from ingestion.feeds.http import Response

CLIENT_ID = "acled"
# the fields we ask for: the parser checks that exactly these come back (a dropped or added one is drift)
FIELDS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
          "actor1", "actor2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
          "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
          "tags", "timestamp")
REFRESH_MARGIN = 300  # seconds before expiry that a token is refreshed
_TOKENS: dict[str, dict] = {}  # source id -> access/refresh token and expiry; memory only, never written


class AcledAdapter(Adapter):
    name = "acled"

    # ---- authentication ------------------------------------------------------------------
    def _token_request(self, form: dict) -> Response:
        return self.request("POST", f"{self.base_url}/oauth/token", data=form)

    def _take_token(self, response: Response) -> str:
        document = response.json(self.source)
        access = document.get("access_token") if isinstance(document, dict) else None
        if not access:
            raise self.fail(response, "the token endpoint answered without an access_token")
        self.keep_secret(access)
        self.keep_secret(document.get("refresh_token"))
        try:
            lifetime = float(document.get("expires_in", 0))
        except (TypeError, ValueError):
            lifetime = 0.0
        _TOKENS[self.source.id] = {"access": access, "refresh": document.get("refresh_token"),
                                   "expires_at": time.time() + lifetime}
        return access

    def _password_grant(self) -> str:
        form = {"username": self.source.user(), "password": self.source.secret(), "grant_type": "password",
                "client_id": CLIENT_ID}
        response = self._token_request(form)
        if response.status in (400, 401):
            raise self.fail(response, "the token endpoint refused the account",
                            f"check {self.source.auth_user_env} and {self.source.auth_env}")
        if response.status == 403:
            raise self.fail(response, "the account may not use the API (403)",
                            "ACLED grants API access per account: ask ACLED to enable it")
        if response.status != 200:
            raise self.fail(response, "token request failed")
        return self._take_token(response)

    def token(self, force: bool = False) -> str:
        cached = _TOKENS.get(self.source.id)
        if cached:
            self.keep_secret(cached["access"])
            self.keep_secret(cached.get("refresh"))
        if cached and not force and cached["expires_at"] - REFRESH_MARGIN > time.time():
            return cached["access"]
        if cached and cached.get("refresh"):
            response = self._token_request({"refresh_token": cached["refresh"], "grant_type": "refresh_token",
                                            "client_id": CLIENT_ID})
            if response.status == 200:
                return self._take_token(response)
            # a refused refresh (expired or revoked refresh token): authenticate again
            _TOKENS.pop(self.source.id, None)
        return self._password_grant()

    def get(self, path: str, params: dict) -> Response:
        response = self.request("GET", f"{self.base_url}{path}", params=params,
                                headers={"Authorization": f"Bearer {self.token()}"})
        if response.status == 401:  # the token died early: one new token, one retry
            response = self.request("GET", f"{self.base_url}{path}", params=params,
                                    headers={"Authorization": f"Bearer {self.token(force=True)}"})
        if response.status == 403:
            raise self.fail(response, f"{path} refused (403): the account has no API access to this data",
                            "this is not an empty result; ask ACLED to enable API access for the account")
        if response.status != 200:
            raise self.fail(response, f"{path} failed")
        return response

    # ---- the pull --------------------------------------------------------------------------
    def plan(self, cursor: dict) -> dict:
        start, end = self.window()
        reconcile = int(self.params.get("full_reconcile_days", 7))
        last_full = cursor.get("last_full")
        full = cursor.get("timestamp") is None or last_full is None or \
            (self.logical_day() - datetime.fromisoformat(last_full).date()).days >= reconcile
        return {"mode": "full" if full else "incremental", "event_date_from": start, "event_date_to": end,
                "timestamp_from": None if full else cursor["timestamp"],
                "deleted_from": cursor.get("deleted_timestamp"), "started_unix": int(time.time()),
                "countries": list(self.params.get("countries", [])), "limit": int(self.params.get("page_size", 5000))}

    def _envelope(self, response: Response, what: str) -> list:
        document = response.json(self.source)
        if not isinstance(document, dict) or not isinstance(document.get("data"), list):
            raise self.fail(response, f"{what}: expected the ACLED envelope with a data list")
        if document.get("success") is False or str(document.get("success")).lower() == "false":
            raise self.fail(response, f"{what}: the API answered success=false",
                            "the request was refused; see ACLED's messages in its own interface")
        return document["data"]

    def run_pull(self, pull: Pull) -> None:
        plan, progress = pull.plan, pull.progress
        limit = plan["limit"]
        if progress.get("step", "events") == "events":
            page = progress.get("page", 1)
            while True:
                params = {"_format": "json", "event_date": f"{plan['event_date_from']}|{plan['event_date_to']}",
                          "event_date_where": "BETWEEN", "fields": "|".join(FIELDS), "limit": limit, "page": page}
                if plan["countries"]:
                    params["country"] = ":OR:".join(plan["countries"])
                if plan["timestamp_from"] is not None:
                    params["timestamp"] = plan["timestamp_from"]
                    params["timestamp_where"] = ">="
                response = self.get("/api/acled/read", params)
                rows = self._envelope(response, f"events page {page}")
                stamps = [int(r["timestamp"]) for r in rows if isinstance(r, dict) and str(r.get("timestamp", "")).isdigit()]
                progress["max_timestamp"] = max([progress.get("max_timestamp") or 0, *stamps]) or None
                progress["events"] = progress.get("events", 0) + len(rows)
                progress["page"] = page + 1
                if len(rows) < limit:
                    progress["step"] = "deletions"
                    progress["page"] = 1
                self.land("events", page, response, events=progress["events"])
                if len(rows) < limit:
                    break
                page += 1
        if progress.get("step") == "deletions" and plan["deleted_from"] is not None:
            page = progress.get("page", 1)
            while True:
                params = {"_format": "json", "deleted_timestamp": plan["deleted_from"],
                          "deleted_timestamp_where": ">=", "limit": limit, "page": page}
                response = self.get("/api/deleted/read", params)
                rows = self._envelope(response, f"deletions page {page}")
                stamps = [int(r["deleted_timestamp"]) for r in rows
                          if isinstance(r, dict) and str(r.get("deleted_timestamp", "")).isdigit()]
                progress["max_deleted"] = max([progress.get("max_deleted") or 0, *stamps]) or None
                progress["deletions"] = progress.get("deletions", 0) + len(rows)
                progress["page"] = page + 1
                if len(rows) < limit:
                    progress["step"] = "done"
                self.land("deletions", page, response, deletions=progress["deletions"])
                if len(rows) < limit:
                    break
                page += 1
        progress["step"] = "done"

    def next_cursor(self, pull: Pull, cursor: dict) -> dict:
        progress, plan = pull.progress, pull.plan
        stamps = [s for s in (cursor.get("timestamp"), progress.get("max_timestamp")) if s is not None]
        deleted = [s for s in (cursor.get("deleted_timestamp"), progress.get("max_deleted")) if s is not None]
        return {"timestamp": max(stamps) if stamps else plan["started_unix"],
                # the first pull asks for no deletions: it holds no event that could have been withdrawn
                "deleted_timestamp": max(deleted) if deleted else plan["started_unix"],
                "last_full": self.logical_date if plan["mode"] == "full" else cursor.get("last_full"),
                "last_pull_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
