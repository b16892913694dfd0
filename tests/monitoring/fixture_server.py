"""A local web site for the collection tests: a ``ThreadingHTTPServer`` on 127.0.0.1, port 0,
in a thread, answering from a table of routes (path → status, headers, body, delay).

Nothing in these tests reaches the internet: the fetcher is pointed at this server, and the
``local_only`` guard (``collect_fixtures``) fails any connection to another address.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """One answer. ``etag``/``last_modified``: a conditional request that matches gets 304.
    ``body`` may be a callable of the request headers (a dynamic page); ``chunks`` streams a
    body of that many 64 kB chunks instead (a huge page, never held in memory whole)."""

    status: int = 200
    body: bytes | Callable[[dict[str, str]], bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str = ""
    last_modified: str = ""
    chunks: int = 0
    declare_length: bool = True  # False: no Content-Length, the connection closes at the end


CHUNK = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"


class FixtureServer:
    """The running server: ``url(path)``, ``routes`` to change, ``hits`` and ``requests`` to
    see what the fetcher asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.hits.clear()
            self.requests.clear()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
                return

            def do_GET(self) -> None:  # noqa: N802 - the base's name
                path = self.path
                headers = {name.lower(): value for name, value in self.headers.items()}
                with server._lock:
                    server.hits[path] += 1
                    server.requests.append((path, headers))
                    route = server.routes.get(path, Route(status=404, body=b"not here"))
                try:
                    self._answer(route, headers)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the fetcher stopped reading (a cap, a timeout): as intended

            def _answer(self, route: Route, headers: dict[str, str]) -> None:
                if route.delay:
                    time.sleep(route.delay)
                if (route.etag and headers.get("if-none-match") == route.etag) or (
                    route.last_modified and headers.get("if-modified-since") == route.last_modified
                ):
                    self.send_response(304)
                    self._validators(route)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = route.body(headers) if callable(route.body) else route.body
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self._validators(route)
                if route.chunks:
                    if route.declare_length:
                        self.send_header("Content-Length", str(len(CHUNK) * route.chunks))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    for _chunk in range(route.chunks):
                        self.wfile.write(CHUNK)
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _validators(self, route: Route) -> None:
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)

        return Handler
