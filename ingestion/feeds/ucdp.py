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
lookback_days (120), page_size (1000), daily_request_budget (5000), bulk_urls (release -> the
URL of its keyless file) and bulk_max_bytes (200 MB). A release does not change once published,
so each version is asked only for the days after those already pulled.

Fallback (ingestion/feeds/ucdp_bulk.py): when no token is configured, when the API refuses the
token (401/403) or when today's request budget is spent, the rest of the pull reads the releases'
bulk files instead, filtered to the same countries and days, into the same raw table
(`delivered_by` = bulk). The reason is in the pull's summary (`fallback`, hence the complete
marker's note and raw.loaded_pulls) and in a warning; it names the variable, never the token. A
release without a bulk URL keeps the old behaviour (a clear error; a spent budget resumes the
next day).
"""
from __future__ import annotations

import logging
import os
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from ingestion.feeds.base import Adapter, BudgetExhausted, FeedError, Pull
from ingestion.feeds.ucdp_bulk import bulk_urls, fetch_release
from ingestion.registry import RegistryError

log = logging.getLogger(__name__)

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
        stray = sorted(set(bulk_urls(self)) - set(versions))
        if stray:
            raise FeedError(f"source {self.source.id}: params.bulk_urls names release(s) {', '.join(stray)} that "
                            "params.versions does not list; add them there or drop their URLs")
        start, end = self.window()
        steps = []
        for version in versions:
            done = cursor.get("pulled_through", {}).get(version)
            first = (date.fromisoformat(done) + timedelta(days=1)).isoformat() if done else start
            if first <= end:
                steps.append({"version": version, "start": max(first, start) if not done else first, "end": end})
        return {"steps": steps, "countries": [str(c) for c in self.params.get("countries", [])],
                "page_size": int(self.params.get("page_size", 1000))}

    def count_bulk_request(self) -> None:
        """A download from UCDP's file server: one more request of this run, not one of the API's budget."""
        self.requests += 1

    def token(self) -> str | None:
        return (os.environ.get(self.source.auth_env) or None) if self.source.auth_env else None

    def _fall_back(self, pull: Pull, reason: str, detail: str) -> bool:
        """Switch the rest of the pull to the bulk files, if every release left has one."""
        remaining = [s["version"] for s in pull.plan["steps"][pull.progress.get("step", 0):]]
        urls = bulk_urls(self)
        if any(version not in urls for version in remaining):
            return False
        pull.progress["bulk"] = reason
        pull.summary["fallback"] = {"reason": reason, "detail": detail, "releases": remaining}
        log.warning("%s: pull %s reads UCDP's keyless bulk files for release(s) %s instead of the API: %s",
                    self.source.id, pull.pull_id, ", ".join(remaining), detail)
        self.save()
        return True

    def _lacking(self, pull: Pull) -> str:
        steps = pull.plan["steps"][pull.progress.get("step", 0):]
        lacking = [s["version"] for s in steps if s["version"] not in bulk_urls(self)]
        return (f"name the keyless file of release(s) {', '.join(lacking)} in params.bulk_urls to fall back to "
                "UCDP's bulk downloads (docs/feeds.md)")

    @property
    def marker_url(self) -> str:
        """The API's URL; without one (a keyless set-up, bulk files only) the first bulk file's."""
        if not self.token() and bulk_urls(self):
            try:
                return self.base_url
            except RegistryError:
                return next(iter(bulk_urls(self).values()))
        return self.base_url

    def run_pull(self, pull: Pull) -> None:
        token = self.token()
        header = self.source.auth_header or "x-ucdp-access-token"
        progress = pull.progress
        steps = pull.plan["steps"]
        if steps and not progress.get("bulk") and not token and not self._fall_back(
                pull, "no_token", f"no API token is configured ({self.source.auth_env} is not set)"):
            raise FeedError(f"source {self.source.id}: no API token ({self.source.auth_env} is not set); set it, or "
                            + self._lacking(pull))
        while progress.get("step", 0) < len(steps):
            step = steps[progress.get("step", 0)]
            delivery = pull.summary.setdefault("delivery", {})
            if progress.get("bulk"):
                def advance() -> None:
                    progress.update(step=progress.get("step", 0) + 1, page=0, next_url=None)
                    delivery[step["version"]] = "bulk"
                files = pull.summary.setdefault("bulk_files", {})
                files[step["version"]] = fetch_release(self, step, pull.plan["countries"], advance)
                self.save()
                continue
            page = progress.get("page", 0)
            url = progress.get("next_url")
            params = None
            if not url:
                url = f"{self.base_url}/api/gedevents/{step['version']}"
                params = {"pagesize": pull.plan["page_size"], "page": page, "StartDate": step["start"],
                          "EndDate": step["end"]}
                if pull.plan["countries"]:
                    params["Country"] = ",".join(pull.plan["countries"])
            try:
                response = self.request("GET", url, params=params, headers={header: token})
            except BudgetExhausted as exc:
                if self._fall_back(pull, "budget_spent", str(exc)):
                    continue
                raise BudgetExhausted(f"{exc}; or {self._lacking(pull)}") from None
            if response.status in (401, 403):
                if self._fall_back(pull, "api_refused", f"the API refused the access token (HTTP {response.status} "
                                                        f"for GED {step['version']}); check {self.source.auth_env}"):
                    continue
                raise self.fail(response, f"GED {step['version']} refused the access token",
                                f"check {self.source.auth_env} (UCDP issues tokens on request), or "
                                + self._lacking(pull))
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
            base_host = urlsplit(self.base_url).hostname
            if next_url and urlsplit(next_url).hostname != base_host:
                raise FeedError(f"source {self.source.id}: NextPageUrl points at host {urlsplit(next_url).hostname}, "
                                f"not {base_host}; refusing to send the token there")
            if next_url:
                progress.update(page=page + 1, next_url=next_url)
            else:
                progress.update(step=progress.get("step", 0) + 1, page=0, next_url=None)
            delivery[step["version"]] = "api"
            counts = pull.summary.get("total_count", {})
            counts[step["version"]] = document.get("TotalCount")
            self.land(f"gedevents/{step['version']}", page, response, total_count=counts)

    def next_cursor(self, pull: Pull, cursor: dict) -> dict:
        through = dict(cursor.get("pulled_through", {}))
        for step in pull.plan["steps"]:
            through[step["version"]] = step["end"]
        return {"pulled_through": through}
