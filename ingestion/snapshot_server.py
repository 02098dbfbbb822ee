"""Serve the bundled snapshot over HTTP on 127.0.0.1, like a publisher would.

The connectors fetch it through the same code path as a live site (ETag, Last-Modified, 304),
so they cannot tell a snapshot from a real publisher.
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

from ingestion.settings import SNAPSHOT_DIR

CONTENT_TYPES = {".json": "application/json; charset=utf-8", ".csv": "text/csv; charset=utf-8",
                 ".md": "text/markdown; charset=utf-8",
                 ".tab": "text/tab-separated-values", ".tsv": "text/tab-separated-values"}


def _handler_for(root: Path) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class SnapshotHandler(BaseHTTPRequestHandler):
        server_version = "ecw-snapshot/1"

        def log_message(self, *_args) -> None:  # keep test and CLI output quiet
            return

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            relative = self.path.split("?", 1)[0].lstrip("/")
            target = (root / relative).resolve()
            if root not in target.parents or not target.is_file():
                self.send_error(404, "not in snapshot")
                return
            body = target.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            modified = formatdate(target.stat().st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPES.get(target.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

    return SnapshotHandler


@contextlib.contextmanager
def serve_snapshot(root: Path = SNAPSHOT_DIR, port: int = 0) -> Iterator[str]:
    """Run the server in a background thread for the duration of the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(Path(root)))
    thread = threading.Thread(target=server.serve_forever, name="snapshot-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_forever(root: Path = SNAPSHOT_DIR, port: int = 8765) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(Path(root)))
    print(f"serving {root} on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
