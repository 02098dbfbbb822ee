"""UCDP GED and Candidate Events: token header, NextPageUrl paging, a daily request budget.

Protocol (UCDP API documentation, as the issue gives it): `GET <base>/api/gedevents/<version>
?pagesize=&page=&Country=&StartDate=&EndDate=` with header `x-ucdp-access-token`; the envelope is
TotalCount, TotalPages, PreviousPageUrl, NextPageUrl, Result[]; follow NextPageUrl until it is
empty. UCDP allows 5,000 requests a day and counts errors: every attempt is counted before it is
sent (feed_state.json), and a spent budget stops the pull, which resumes at its next page the
next day.

Versions: the stable yearly release (e.g. `25.1`) and monthly candidate releases (`26.0.<month>`)
are pulled as versions of the same events (kind `gedevents/<version>`); staging keeps one row per
event id, the stable copy over a candidate one (a revision, never a duplicate).

Registry params: versions (list, required), countries (Gleditsch-Ward codes; absent = all),
lookback_days (120), page_size (1000), daily_request_budget (5000). A release does not change
once published, so each version is asked only for the days after those already pulled.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from ingestion.feeds.base import Adapter, FeedError, Pull

STABLE = re.compile(r"^\d+\.1$")
CANDIDATE = re.compile(r"^\d+\.0\.\d+$")


def version_kind(version: str) -> str:
    if STABLE.match(version):
        return "stable"
    if CANDIDATE.match(version):
        return "candidate"
    raise FeedError(f"UCDP version {version!r} is neither a stable release (<yy>.1) nor a candidate "
                    f"release (<yy>.0.<n>); fix `params.versions` in sources.yml")


class UcdpAdapter(Adapter):
    name = "ucdp"
    default_budget = 5000

    def plan(self, cursor: dict) -> dict:
        versions = self.params.get("versions")
        if not versions:
            raise FeedError(f"source {self.source.id}: params.versions is empty: name the GED releases to pull "
                            "(e.g. the stable 25.1 and the candidate 26.0.1)")
        for version in versions:
            version_kind(version)
        start, end = self.window()
        steps = []
        for version in versions:
            done = cursor.get("pulled_through", {}).get(version)
            first = (date.fromisoformat(done) + timedelta(days=1)).isoformat() if done else start
            if first <= end:
                steps.append({"version": version, "start": max(first, start) if not done else first, "end": end})
        return {"steps": steps, "countries": [str(c) for c in self.params.get("countries", [])],
                "page_size": int(self.params.get("page_size", 1000))}

    def run_pull(self, pull: Pull) -> None:
        token = self.source.secret()
        header = self.source.auth_header or "x-ucdp-access-token"
        base_host = urlsplit(self.base_url).hostname
        progress = pull.progress
        steps = pull.plan["steps"]
        while progress.get("step", 0) < len(steps):
            step = steps[progress.get("step", 0)]
            page = progress.get("page", 0)
            url = progress.get("next_url")
            params = None
            if not url:
                url = f"{self.base_url}/api/gedevents/{step['version']}"
                params = {"pagesize": pull.plan["page_size"], "page": page, "StartDate": step["start"],
                          "EndDate": step["end"]}
                if pull.plan["countries"]:
                    params["Country"] = ",".join(pull.plan["countries"])
            response = self.request("GET", url, params=params, headers={header: token})
            if response.status in (401, 403):
                raise self.fail(response, f"GED {step['version']} refused the access token",
                                f"check {self.source.auth_env} (UCDP issues tokens on request)")
            if response.status == 404:
                raise self.fail(response, f"GED version {step['version']} not found",
                                "the release may not be published yet; fix params.versions")
            if response.status != 200:
                raise self.fail(response, f"GED {step['version']} page {page} failed")
            document = response.json(self.source)
            if not isinstance(document, dict) or not isinstance(document.get("Result"), list):
                raise self.fail(response, f"GED {step['version']} page {page}: expected TotalCount, NextPageUrl "
                                          "and a Result list")
            next_url = document.get("NextPageUrl") or None
            if next_url and urlsplit(next_url).hostname != base_host:
                raise FeedError(f"source {self.source.id}: NextPageUrl points at host {urlsplit(next_url).hostname}, "
                                f"not {base_host}; refusing to send the token there")
            if next_url:
                progress.update(page=page + 1, next_url=next_url)
            else:
                progress.update(step=progress.get("step", 0) + 1, page=0, next_url=None)
            counts = pull.summary.get("total_count", {})
            counts[step["version"]] = document.get("TotalCount")
            self.land(f"gedevents/{step['version']}", page, response, total_count=counts)

    def next_cursor(self, pull: Pull, cursor: dict) -> dict:
        through = dict(cursor.get("pulled_through", {}))
        for step in pull.plan["steps"]:
            through[step["version"]] = step["end"]
        return {"pulled_through": through}
