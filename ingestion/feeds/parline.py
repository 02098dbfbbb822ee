"""IPU Parline, the election calendar: keyless JSON:API, elections of every chamber.

Protocol (Parline API documentation, data.ipu.org/data-tools/api): `GET <base>/v1/elections`
answers JSON:API (`data[]` of {type, id, attributes}, `meta.total`, `links`), paged with
`page[number]` (from 1) and `page[size]`; an election's id is its election_code
(`<chamber_code>-E<yyyymmdd>`) and each attribute is an object holding its `value`. Each pull is
the whole calendar (the API documents no changed-since filter), so a pull is a complete snapshot.

Registry params: page_size (default 500).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ingestion.feeds.base import Adapter, FeedError, Pull


class ParlineAdapter(Adapter):
    name = "parline"

    def plan(self, cursor: dict) -> dict:
        return {"mode": "full", "page_size": int(self.params.get("page_size", 500))}

    def run_pull(self, pull: Pull) -> None:
        progress, size = pull.progress, pull.plan["page_size"]
        host = urlsplit(self.base_url).hostname
        while True:
            number = progress.get("page", 1)
            url = progress.get("next_url") or f"{self.base_url}/v1/elections"
            params = None if progress.get("next_url") else {"page[number]": number, "page[size]": size}
            response = self.request("GET", url, params=params)
            if response.status != 200:
                raise self.fail(response, f"elections page {number} failed")
            document = response.json(self.source)
            if not isinstance(document, dict) or not isinstance(document.get("data"), list):
                raise self.fail(response, f"elections page {number}: expected a JSON:API document with data[]")
            rows = document["data"]
            total = (document.get("meta") or {}).get("total")
            following = (document.get("links") or {}).get("next")
            if following and urlsplit(following).hostname != host:
                raise FeedError(f"source {self.source.id}: links.next points at another host; not followed")
            seen = progress.get("rows", 0) + len(rows)
            done = not rows or (not following and (len(rows) < size or (isinstance(total, int) and seen >= total)))
            progress.update(page=number + 1, rows=seen, next_url=following or None)
            self.land("elections", number, response, elections=seen, total=total)
            if done:
                break
