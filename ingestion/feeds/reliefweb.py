"""ReliefWeb API v2 reports: appname on every call, offset paging in steps of at most 1,000,
incremental by `date.changed`, reports deduplicated by id in staging.

Protocol (ReliefWeb API documentation, as the issue gives it): `POST <base>/v2/reports?appname=`
with a JSON query (offset, limit, fields.include, filter with conditions, sort); the answer has
totalCount, count and data[] of {id, fields}. The appname is ReliefWeb's approval of the caller:
it comes from the environment and is redacted from every landed page (the API echoes it in
`href`). The total count drifts while paging (reports are published and edited meanwhile):
pages are sorted by date.changed then id; the drift and the ids seen twice are recorded in the
pull's summary, every copy is kept in raw, and after a drift the cursor does not move, so a
report skipped by shifted offsets is read by the next pull.

Registry params: countries (ISO3), source_types (ReliefWeb's source type names), formats (report
format names), lookback_days (120), page_size (<= 1000; default 500).
"""
from __future__ import annotations

from ingestion.feeds.base import Adapter, FeedError, Pull

MAX_PAGE = 1000
FIELDS = ("id", "title", "url", "body-html", "date.created", "date.changed", "date.original", "source.name",
          "source.shortname", "source.type.name", "country.iso3", "country.name", "primary_country.iso3",
          "format.name", "language.code")


class ReliefWebAdapter(Adapter):
    name = "reliefweb"

    def plan(self, cursor: dict) -> dict:
        size = int(self.params.get("page_size", 500))
        if not 0 < size <= MAX_PAGE:
            raise FeedError(f"source {self.source.id}: params.page_size {size} is outside 1..{MAX_PAGE} (ReliefWeb's "
                            "largest page)")
        start, end = self.window()
        return {"changed_from": cursor.get("changed_from") or f"{start}T00:00:00+00:00",
                "countries": list(self.params.get("countries", [])),
                "source_types": list(self.params.get("source_types", [])),
                "formats": list(self.params.get("formats", [])), "limit": size}

    def query(self, plan: dict, offset: int) -> dict:
        conditions = [{"field": "date.changed", "value": {"from": plan["changed_from"]}}]
        for field, values in (("country.iso3", plan["countries"]), ("source.type.name", plan["source_types"]),
                              ("format.name", plan["formats"])):
            if values:
                conditions.append({"field": field, "value": values, "operator": "OR"})
        return {"offset": offset, "limit": plan["limit"], "fields": {"include": list(FIELDS)},
                "filter": {"operator": "AND", "conditions": conditions},
                "sort": ["date.changed:asc", "id:asc"]}

    def run_pull(self, pull: Pull) -> None:
        plan, progress = pull.plan, pull.progress
        appname = self.source.secret()
        seen = set(progress.get("ids", []))
        while True:
            offset = progress.get("offset", 0)
            response = self.request("POST", f"{self.base_url}/v2/reports", params={"appname": appname},
                                    json_body=self.query(plan, offset))
            if response.status == 403:
                raise self.fail(response, "ReliefWeb refused the appname (403)",
                                f"ReliefWeb requires a pre-approved appname in {self.source.auth_env}")
            if response.status != 200:
                raise self.fail(response, f"reports at offset {offset} failed")
            document = response.json(self.source)
            if not isinstance(document, dict) or not isinstance(document.get("data"), list):
                raise self.fail(response, f"reports at offset {offset}: expected totalCount and a data list")
            rows = document["data"]
            total = document.get("totalCount")
            counts = progress.setdefault("total_counts", [])
            counts.append(total)
            ids = [str(r.get("id")) for r in rows if isinstance(r, dict)]
            duplicates = sum(1 for i in ids if i in seen)
            seen.update(ids)
            progress["ids"] = sorted(seen)
            progress["offset"] = offset + len(rows)
            changed = [r.get("fields", {}).get("date", {}).get("changed") for r in rows if isinstance(r, dict)]
            changed = [c for c in changed if isinstance(c, str)]
            if changed:
                progress["max_changed"] = max([progress.get("max_changed") or "", *changed])
            last = len(rows) < plan["limit"] or (isinstance(total, int) and progress["offset"] >= total)
            self.land("reports", offset // plan["limit"], response, reports=len(seen),
                      duplicates=pull.summary.get("duplicates", 0) + duplicates,
                      count_first=counts[0], count_last=total, count_drifted=len(set(counts)) > 1)
            if last:
                break

    def next_cursor(self, pull: Pull, cursor: dict) -> dict:
        # a count that moved while paging means the offsets shifted under us (a report edited moves
        # to the end, one published before the offset pushes the rest along): a report may have been
        # skipped, so the cursor stays and the next pull reads the same span again (staging dedupes)
        if pull.summary.get("count_drifted"):
            return {"changed_from": pull.plan["changed_from"], "held_after_drift": True}
        return {"changed_from": pull.progress.get("max_changed") or pull.plan["changed_from"]}
