"""A real HTTP server on 127.0.0.1 that misbehaves on cue, like a flaky government website.

Each path is given a script: a list of responses served in order (the last one repeats).
"""
from __future__ import annotations

import io
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0          # seconds before answering (read timeouts)
    truncate_to: int | None = None  # send Content-Length of the full body but only this many bytes
    reset: bool = False         # close the connection with RST after the headers
    reset_after: int | None = None  # send this many body bytes, then close with RST (reset mid-body)
    chunked: bool = False       # no Content-Length: stream the body in chunks


class FaultServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = {}
        self.request_headers: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                return

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                server.request_headers.append(dict(self.headers))
                count = server.hits.get(path, 0)
                server.hits[path] = count + 1
                script = server.scripts.get(path)
                if not script:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                reply = script[min(count, len(script) - 1)]
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                headers = ({"Transfer-Encoding": "chunked"} if reply.chunked
                           else {"Content-Length": str(len(reply.body))})
                headers.update(reply.headers)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.reset or reply.reset_after is not None:
                    self.wfile.write(reply.body[: reply.reset_after or 0])
                    self._reset()
                    return
                if reply.chunked:
                    for start in range(0, len(reply.body), 1024):
                        piece = reply.body[start:start + 1024]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                body = reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to]
                self.wfile.write(body)
                if reply.truncate_to is not None:
                    self.wfile.flush()
                    self.close_connection = True

            def _reset(self) -> None:
                """A real RST: SO_LINGER 0, and the socket's file objects closed too, or close() is a no-op."""
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.rfile.close()
                self.wfile.close()
                self.connection.close()
                self.wfile = io.BytesIO()  # http.server flushes wfile after do_GET
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def script(self, path: str, *replies: Reply) -> str:
        self.scripts[path] = list(replies)
        self.hits[path] = 0
        return self.base_url + path

    def __enter__(self) -> "FaultServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
