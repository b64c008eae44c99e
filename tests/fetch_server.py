"""A real HTTP server on 127.0.0.1 for fetcher tests: scripted replies per path, faults included.

Each path has a list of replies served in order (the last one repeats), so "503 then 200" or
"truncated, then complete" is one ``route`` call. Every request is recorded with its headers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (read timeouts)
    send_bytes: int | None = None  # send only this many body bytes, though Content-Length says all
    content_length: bool = True  # False: no Content-Length, body ends when the connection closes
    etag: str | None = None  # answer 304 when the request's If-None-Match equals it


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    at: float


class FixtureServer(ThreadingHTTPServer):
    """ThreadingHTTPServer on a free port of 127.0.0.1, run in a daemon thread."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self.server_address[1]

    @property
    def netloc(self) -> str:
        """host:port, as written in a test source's hosts."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return f"http://{self.netloc}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        """Serve these replies, in order, to requests for path (path includes the query)."""
        self.routes[path] = list(replies)

    def requests_for(self, path: str) -> list[Seen]:
        """Requests received for a path."""
        return [seen for seen in self.seen if seen.path == path]

    def next_reply(self, path: str, headers: dict[str, str]) -> Reply:
        """Record the request and pick its reply (404 for unknown paths)."""
        with self._lock:
            self.seen.append(Seen(path, headers, time.monotonic()))
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, b"not found")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that gave up (timeouts) make the server's writes fail; that is expected here."""

    def start(self) -> FixtureServer:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def do_GET(self) -> None:
        reply = self.server.next_reply(self.path, dict(self.headers.items()))
        time.sleep(reply.delay)
        if reply.etag is not None and self.headers.get("If-None-Match") == reply.etag:
            self.send_response(304)
            self.send_header("ETag", reply.etag)
            self.end_headers()
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.etag is not None:
            self.send_header("ETag", reply.etag)
        if reply.content_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body if reply.send_bytes is None else reply.body[: reply.send_bytes])

    def do_POST(self) -> None:
        """Scripted as GET is (CKAN actions are POSTs); the request body is read and dropped."""
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests assert on ``server.seen`` instead."""
