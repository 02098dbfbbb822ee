"""`ecw serve`: one local page on 127.0.0.1 linking what the warehouse has built.

The index (/) links the report (data/report/), the dbt docs (data/docs/), the latest quality
gate page (data/quality/latest/, see ingestion/quality_page.py), and the Airflow UI and
Superset when something listens on 127.0.0.1:8080 and :8088 (ECW_AIRFLOW_PORT and
ECW_SUPERSET_PORT move them, as for `make airflow` and `make superset`). Each
link appears only when its target exists, and the index is built per request, so a report
built while the server runs shows up on reload.

Only those three folders are served, read-only (GET and HEAD), from the data directory. A
path is decoded, any `..` segment is refused, and the resolved file must lie inside its
folder's resolved root, else 404: no traversal out of the data directory. The server binds
127.0.0.1 only; a busy port is the one-line message of ingestion/cli_guard.py.
"""
from __future__ import annotations

import html
import mimetypes
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingestion.settings import Paths

HOST = "127.0.0.1"
DEFAULT_PORT = 8780
AIRFLOW_PORT_ENV = "ECW_AIRFLOW_PORT"  # the same variable scripts/run_airflow.py (`make airflow`) reads
SUPERSET_PORT_ENV = "ECW_SUPERSET_PORT"  # the same variable scripts/superset.py (`make superset`) reads
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def mounts(paths: Paths) -> dict[str, Path]:
    """URL prefix -> folder served below it."""
    return {"report": paths.data_dir / "report", "docs": paths.docs, "quality": paths.quality}


def listening(address: tuple[str, int], timeout: float = 0.3) -> bool:
    """Whether something accepts TCP connections at `address`."""
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def airflow_url() -> str:
    return f"http://{HOST}:{int(os.environ.get(AIRFLOW_PORT_ENV, '8080'))}/"


def superset_url() -> str:
    return f"http://{HOST}:{int(os.environ.get(SUPERSET_PORT_ENV, '8088'))}/"


def index_page(paths: Paths) -> str:
    entries = []
    airflow = urlsplit(airflow_url())
    folders = mounts(paths)
    if (folders["report"] / "index.html").is_file():
        entries.append(("report/index.html", "Report", "the crises, charts and sources (ecw report)"))
    else:
        entries.append((None, "Report", "not built yet: run `ecw report`"))
    if (folders["docs"] / "index.html").is_file():
        entries.append(("docs/index.html", "dbt docs", "models, columns and lineage (scripts/build_docs.py)"))
    else:
        entries.append((None, "dbt docs", "not built yet: run `make docs`"))
    latest = folders["quality"] / "latest" / "index.html"
    if latest.is_file():
        run = (folders["quality"] / "latest").resolve().name
        entries.append(("quality/latest/index.html", "Quality gate", f"latest run {run}; GX Data Docs beside it"))
    else:
        entries.append((None, "Quality gate", "no gate run yet: run `ecw run`"))
    if listening((airflow.hostname or HOST, airflow.port or 80)):
        entries.append((airflow.geturl(), "Airflow", f"the scheduler's UI at {airflow.geturl()}"))
    else:
        entries.append((None, "Airflow", "not running: start it with `make airflow`"))
    superset = urlsplit(superset_url())
    if listening((superset.hostname or HOST, superset.port or 80)):
        entries.append((superset.geturl(), "Superset", f"charts and SQL Lab over the marts at {superset.geturl()}"))
    else:
        entries.append((None, "Superset", "not running: start it with `make superset`"))
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(name)}</a>: {html.escape(note)}</li>' if href
        else f'<li class="off">{html.escape(name)}: {html.escape(note)}</li>'
        for href, name, note in entries)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<link rel="icon" href="data:,">
<title>election crises warehouse</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}}
.off{{color:#666}}</style></head>
<body><h1>Election crises warehouse</h1>
<ul>
{items}
</ul>
<p class="off">Served by <code>ecw serve</code> from {html.escape(str(paths.data_dir))}, on 127.0.0.1 only.</p>
</body></html>
"""


def resolve(paths: Paths, url_path: str) -> Path | None:
    """The file a URL path names inside one of the mounts, or None (outside, missing, traversal)."""
    parts = [p for p in unquote(urlsplit(url_path).path).split("/") if p not in ("", ".")]
    if not parts or any(p == ".." or "\\" in p or "\0" in p for p in parts):
        return None
    root = mounts(paths).get(parts[0])
    if root is None or not root.is_dir():
        return None
    root = root.resolve()
    target = root.joinpath(*parts[1:]).resolve()
    if target != root and root not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def handler_for(paths: Paths) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ecw-serve/1"

        def log_message(self, *_args) -> None:
            return

        def _send(self, status: int, body: bytes, content_type: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _get(self, head: bool) -> None:
            if urlsplit(self.path).path in ("/", "/index.html"):
                self._send(200, index_page(paths).encode("utf-8"), "text/html; charset=utf-8", head)
                return
            target = resolve(paths, self.path)
            if target is None:
                self._send(404, b"not found\n", "text/plain; charset=utf-8", head)
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            self._send(200, target.read_bytes(), kind, head)

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            self._get(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._get(head=True)

    return Handler


def make_server(paths: Paths, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """Bound to 127.0.0.1; raises OSError(EADDRINUSE) on a busy port (the CLI guard words it)."""
    server = ThreadingHTTPServer((HOST, port), handler_for(paths))
    server.daemon_threads = True
    return server
