"""The bench's publisher on 127.0.0.1: the generated files (with ETag and 304, as
ingestion/snapshot_server.py serves them) and the ACLED and UCDP APIs over the generated pages.

The protocols are the ones tests/support/feeds_servers.py speaks (ACLED: OAuth password grant,
/api/acled/read and /api/deleted/read envelopes paged by limit/page; UCDP: token header,
/api/gedevents/<version> paged by pagesize/page with NextPageUrl). That server filters Python
lists on every request, too slow for millions of events; this one serves the generated page
files as they are when the query asks for everything the pages hold (the full pull), and filters
only the pages a narrower query can touch (the nightly increment), using feeds/index.json.
`root` can be switched between the full set and the nightly set while serving.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from ingestion.snapshot_server import CONTENT_TYPES

ACLED_USER, ACLED_PASSWORD, UCDP_TOKEN = "bench@example.org", "bench-synthetic-pw", "bench-synthetic-token"


class BenchServer:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tokens: set[str] = set()
        self.deleted_at = int(time.time())
        self._cache: dict[tuple, list] = {}
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                return

            def do_GET(self) -> None:  # noqa: N802
                owner.dispatch(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                owner.dispatch(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "BenchServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True, name="bench-server").start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def switch(self, root: Path) -> None:
        """Serve another generated set (the nightly one); deletions are stamped from now on."""
        with self._lock:
            self.root = Path(root)
            self._cache.clear()
            self.deleted_at = int(time.time())

    @property
    def index(self) -> dict:
        return json.loads((self.root / "feeds" / "index.json").read_text(encoding="utf-8"))

    # ---- plumbing ---------------------------------------------------------------------------
    @staticmethod
    def send(handler, status: int, body: bytes, content_type: str = "application/json",
             headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def send_json(self, handler, status: int, document) -> None:
        self.send(handler, status, json.dumps(document, separators=(",", ":")).encode())

    def dispatch(self, handler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            if parts.path == "/oauth/token" and method == "POST":
                return self.token(handler, {k: v[-1] for k, v in parse_qs(raw.decode()).items()})
            if parts.path == "/api/acled/read":
                return self.acled(handler, query)
            if parts.path == "/api/deleted/read":
                return self.deleted(handler, query)
            if parts.path.startswith("/api/gedevents/"):
                return self.ucdp(handler, parts.path.rsplit("/", 1)[1], query)
            return self.static(handler, parts.path)
        except Exception as exc:  # a bug of the bench server shows as a 500 with its text
            return self.send_json(handler, 500, {"error": repr(exc)})

    def static(self, handler, path: str) -> None:
        root = self.root.resolve()
        target = (root / path.lstrip("/")).resolve()
        if root not in target.parents or not target.is_file():
            return self.send(handler, 404, b"not found", "text/plain")
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if handler.headers.get("If-None-Match") == etag:
            return self.send(handler, 304, b"", headers={"ETag": etag})
        self.send(handler, 200, body, CONTENT_TYPES.get(target.suffix, "application/octet-stream"),
                  {"ETag": etag, "Last-Modified": formatdate(target.stat().st_mtime, usegmt=True)})

    # ---- ACLED ------------------------------------------------------------------------------
    def token(self, handler, form: dict) -> None:
        if form.get("client_id") != "acled" or form.get("grant_type") not in ("password", "refresh_token"):
            return self.send_json(handler, 400, {"error": "invalid_request"})
        if form["grant_type"] == "password" and (form.get("username"), form.get("password")) != (ACLED_USER, ACLED_PASSWORD):
            return self.send_json(handler, 401, {"error": "invalid_grant"})
        access = f"bench-access-{len(self.tokens) + 1}"
        self.tokens.add(access)
        self.send_json(handler, 200, {"token_type": "Bearer", "expires_in": 86400, "access_token": access,
                                      "refresh_token": f"bench-refresh-{len(self.tokens)}"})

    def authorised(self, handler) -> bool:
        auth = handler.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[len("Bearer "):] in self.tokens

    def acled(self, handler, query: dict) -> None:
        if not self.authorised(handler):
            return self.send_json(handler, 401, {"message": "Unauthorized"})
        limit, page = int(query.get("limit", 5000)), int(query.get("page", 1))
        low, high = query.get("event_date", "0000-00-00|9999-99-99").split("|")
        since = int(query["timestamp"]) if "timestamp" in query else None
        pages = self.index["acled"]
        folder = self.root / "feeds" / "acled" / "events"
        whole = (since is None and "country" not in query and all(p["rows"] == limit for p in pages[:-1])
                 and (not pages or (low <= min(p["min_date"] for p in pages) and max(p["max_date"] for p in pages) <= high)))
        if whole:  # the full pull: page n is the n-th generated page, as generated
            if page <= len(pages):
                return self.send(handler, 200, (folder / pages[page - 1]["file"]).read_bytes())
            return self.send_json(handler, 200, {"status": 200, "success": True, "count": 0, "data": []})
        key = ("acled", low, high, since, query.get("country"))
        with self._lock:
            if key not in self._cache:
                rows = []
                for p in pages:
                    if (since is not None and p["max_timestamp"] < since) or p["max_date"] < low or p["min_date"] > high:
                        continue
                    for e in json.loads((folder / p["file"]).read_bytes())["data"]:
                        if low <= e["event_date"] <= high and (since is None or int(e["timestamp"]) >= since) and (
                                "country" not in query or e["country"] in query["country"].split(":OR:")):
                            rows.append(e)
                self._cache[key] = sorted(rows, key=lambda e: (int(e["timestamp"]), e["event_id_cnty"]))
            rows = self._cache[key]
        chunk = rows[(page - 1) * limit: page * limit]
        self.send_json(handler, 200, {"status": 200, "success": True, "last_update": 0, "count": len(chunk),
                                      "messages": [], "_synthetic": True, "data": chunk, "filename": "synthetic"})

    def deleted(self, handler, query: dict) -> None:
        if not self.authorised(handler):
            return self.send_json(handler, 401, {"message": "Unauthorized"})
        limit, page = int(query.get("limit", 5000)), int(query.get("page", 1))
        since = int(query.get("deleted_timestamp", 0))
        rows = [{"event_id_cnty": i, "deleted_timestamp": str(self.deleted_at)} for i in self.index["acled_deletions"]
                if self.deleted_at >= since]
        chunk = rows[(page - 1) * limit: page * limit]
        self.send_json(handler, 200, {"status": 200, "success": True, "count": len(chunk), "_synthetic": True,
                                      "data": chunk})

    # ---- UCDP -------------------------------------------------------------------------------
    def ucdp(self, handler, version: str, query: dict) -> None:
        if handler.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
            return self.send_json(handler, 401, {"message": "Invalid or missing token"})
        pages = self.index["ucdp"].get(version)
        if pages is None:
            return self.send_json(handler, 404, {"message": "no such version"})
        size, page = int(query.get("pagesize", 100)), int(query.get("page", 0))
        low, high = query.get("StartDate", "0000"), query.get("EndDate", "9999")
        folder = self.root / "feeds" / "ucdp" / version
        whole = ("Country" not in query and all(p["rows"] == size for p in pages[:-1])
                 and low <= min(p["min_date"] for p in pages) and max(p["max_date"] for p in pages) <= high)
        if whole:
            total = sum(p["rows"] for p in pages)
            result_text = (folder / pages[page]["file"]).read_bytes() if page < len(pages) else b'{"Result":[]}'
            document = json.loads(result_text)
            count_pages = len(pages)
        else:
            key = ("ucdp", version, low, high, query.get("Country"))
            with self._lock:
                if key not in self._cache:
                    rows = []
                    for p in pages:
                        if p["max_date"] < low or p["min_date"] > high:
                            continue
                        rows += [e for e in json.loads((folder / p["file"]).read_bytes())["Result"]
                                 if low <= e["date_start"][:10] <= high and (
                                     "Country" not in query or str(e["country_id"]) in query["Country"].split(","))]
                    self._cache[key] = rows
                rows = self._cache[key]
            total = len(rows)
            count_pages = max(1, -(-total // size))
            document = {"Result": rows[page * size:(page + 1) * size]}
        following = ""
        if page + 1 < count_pages:
            following = f"{self.base}/api/gedevents/{version}?" + urlencode({**query, "page": page + 1})
        self.send_json(handler, 200, {"TotalCount": total, "TotalPages": count_pages, "PreviousPageUrl": None,
                                      "NextPageUrl": following, "_synthetic": True, "Result": document["Result"]})
