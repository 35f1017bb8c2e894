"""A real HTTP/1.1 server on 127.0.0.1 for the feed tests: static routes, conditional GETs, and
the misbehaviours feeds meet in the wild (stalls, redirect loops, gzip bombs, flaky 5xx).

Fixture files may contain `{BASE}`, replaced by the server's base URL when served, so feeds can
link to the server's own article pages.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tuireader.sources.http import HttpConfig

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    delay: float = 0.0
    handler: Callable[[BaseHTTPRequestHandler, FeedServer], None] | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner.lock:
            owner.requests.append((self.path, dict(self.headers.items())))
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
        if route is None:
            self._send(404, b"<h1>Not Found</h1>", "text/html")
            return
        if route.delay:
            owner.stopping.wait(route.delay)
        if route.handler is not None:
            route.handler(self, owner)
            return
        extra = dict(route.headers)
        if route.etag:
            extra["ETag"] = route.etag
            if self.headers.get("If-None-Match") == route.etag:
                self._send(304, b"", None, extra)
                return
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
            if not route.etag and self.headers.get("If-Modified-Since") == route.last_modified:
                self._send(304, b"", None, extra)
                return
        body = route.body.replace(b"{BASE}", owner.base.encode())
        if route.gzip:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self._send(route.status, body, route.content_type, extra)

    def _send(
        self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (timeouts, interrupted refreshes) are part of the tests


class FeedServer:
    """Start with `with FeedServer() as server:`; `server.url("/path")` is the absolute URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def add_file(self, path: str, name: str, **kwargs: object) -> str:
        return self.add(path, (DATA / name).read_bytes(), **kwargs)

    def hits(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.requests if p == path]

    # -- misbehaviours

    def add_stall(self, path: str, seconds: float = 30.0) -> str:
        """Accepts the request and never answers (until the server stops)."""

        def stall(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
            owner.stopping.wait(seconds)
            handler.close_connection = True

        return self.add(path, handler=stall)

    def add_redirect(self, path: str, target: str, status: int = 302) -> str:
        def redirect(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
            handler.send_response(status)
            handler.send_header("Location", target)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        return self.add(path, handler=redirect)

    def add_gzip_bomb(self, path: str, inflated_mib: int = 64) -> str:
        """A small gzip body that inflates to `inflated_mib` MiB of zeros."""
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"\0" * (1024 * 1024)
        body = b"".join(comp.compress(block) for _ in range(inflated_mib)) + comp.flush()
        return self.add(path, body, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})

    def add_flaky(self, path: str, failures: int, body: bytes, content_type: str, status: int = 503) -> str:
        """Answers `status` to the first `failures` requests, then `body`."""
        count = {"n": 0}

        def flaky(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
            count["n"] += 1
            ok = count["n"] > failures
            payload = body.replace(b"{BASE}", owner.base.encode()) if ok else b"busy"
            handler.send_response(200 if ok else status)
            handler.send_header("Content-Type", content_type if ok else "text/plain")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)

        return self.add(path, handler=flaky)

    def add_drip(self, path: str, seconds: float) -> str:
        """Sends headers, then one byte every 0.2 s for `seconds` (defeats per-read timeouts)."""

        def drip(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(10_000))
            handler.end_headers()
            end = time.monotonic() + seconds
            try:
                while time.monotonic() < end and not owner.stopping.is_set():
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                    owner.stopping.wait(0.2)
            except OSError:
                pass
            handler.close_connection = True

        return self.add(path, handler=drip)


def fast_http(**changes: object) -> HttpConfig:
    """Fetcher limits for tests against this server: short timeouts, quick retries, 1 MiB bodies."""
    limits: dict[str, object] = {"connect_timeout": 1.0, "read_timeout": 0.5, "total_timeout": 2.0, "retries": 2,
                                 "backoff": 0.01, "max_feed_bytes": 2**20, "max_page_bytes": 2**20}  # fmt: skip
    return HttpConfig(**{**limits, **changes})  # type: ignore[arg-type]


def closed_port_url() -> str:
    """An URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


PAGES = {
    "/courier/2024/03/light-rail-extension/": "courier_light_rail.html",
    "/courier/2024/03/library-hours/": "courier_library.html",
    "/herald/storm-power-outages": "herald_storm.html",
    "/herald/harbor-dredging": "herald_harbor.html",
    "/tribune/glacier-drones": "tribune_glacier.html",
    "/tribune/ferry-schedule": "tribune_ferry.html",
    "/gazette/airport-routes": "gazette_airport.html",
}
FEEDS = {
    "rss20.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml",
    "rss10.rdf": "application/rdf+xml",
    "rss091.xml": "text/xml",
}


def serve_site(server: FeedServer) -> dict[str, str]:
    """Serve the four fixture feeds (with ETags) and their article pages; returns name → feed URL.

    Two entries link to pages that do not exist (/courier/2024/03/bridge-inspection/ and
    /gazette/farmers-market): their text must come from the feed itself.
    """
    for path, name in PAGES.items():
        server.add_file(path, name, content_type="text/html; charset=utf-8")
    return {
        name: server.add_file(f"/feeds/{name}", name, content_type=ctype, etag=f'"{name}-v1"')
        for name, ctype in FEEDS.items()
    }
