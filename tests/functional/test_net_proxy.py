"""HTTP_PROXY / HTTPS_PROXY / NO_PROXY and `[network] proxy`: fetches go through the proxy the user
set (the absolute form for http, CONNECT for https), under the same deadlines and the same
private-address rule (applied to the host as the URL names it).

The proxy is a small forwarding server on 127.0.0.1 in a thread. Targets are named `*.invalid`,
which no resolver knows: a fetch that does not go through the proxy fails with "host not found",
so each test fails when proxies are ignored. (tests/conftest.py clears any proxy the environment
running the tests has set.)"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
import time
from urllib.parse import urlsplit

import pytest
from feeds_server import FeedServer, fast_http

from tuireader.config import load_config
from tuireader.sources.http import FetchError, PrivateAddressError, open_fetcher

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>through the proxy</title></channel></rss>"


class Proxy:
    """Forwards absolute-form GETs to `upstream` (every host name is taken to mean it); answers
    CONNECT with 200 and records the first bytes the client sends through the tunnel."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.tunnelled: list[bytes] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
                headers: dict[str, str] = {}
                while (h := self.rfile.readline(65537).decode("latin-1").rstrip("\r\n")) != "":
                    name, _, value = h.partition(":")
                    headers[name.strip().lower()] = value.strip()
                owner.requests.append((line, headers))
                method, target, _version = line.split(" ", 2)
                if method == "CONNECT":
                    self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    self.wfile.flush()
                    self.request.settimeout(5)
                    try:
                        owner.tunnelled.append(self.request.recv(5))
                    except OSError:
                        owner.tunnelled.append(b"")
                    return
                parts = urlsplit(target)
                upstream = http.client.HTTPConnection(*owner.upstream, timeout=5)
                forwarded = {k: v for k, v in headers.items() if not k.startswith("proxy-")}
                upstream.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=forwarded)
                resp = upstream.getresponse()
                body = resp.read()
                self.wfile.write(f"HTTP/1.1 {resp.status} {resp.reason}\r\n".encode("latin-1"))
                for name, value in resp.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.wfile.write(f"{name}: {value}\r\n".encode("latin-1"))
                self.wfile.write(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode("latin-1"))
                self.wfile.write(body)
                upstream.close()

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def proxy(server: FeedServer):
    with Proxy(("127.0.0.1", urlsplit(server.url("/")).port)) as p:
        yield p


def invalid(server: FeedServer, path: str) -> str:
    """`path` on the test server, under a name only the proxy knows."""
    return f"http://news.invalid:{urlsplit(server.url('/')).port}{path}"


async def test_http_proxy_from_the_environment_carries_the_request(server, proxy, monkeypatch) -> None:
    server.add("/feed.xml", RSS, content_type="application/rss+xml")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    url = invalid(server, "/feed.xml")
    async with open_fetcher(None, fast_http()) as fetcher:
        response = await fetcher.get(url)
    assert response.body == RSS
    (line, headers), = proxy.requests  # fmt: skip
    assert line == f"GET {url} HTTP/1.1"  # the absolute form a proxy expects
    assert headers["host"] == urlsplit(url).netloc
    assert server.hits("/feed.xml")  # and the proxy reached the server


async def test_https_goes_through_a_connect_tunnel(proxy, monkeypatch) -> None:
    monkeypatch.setenv("https_proxy", proxy.url)
    async with open_fetcher(None, fast_http()) as fetcher:
        with pytest.raises(FetchError):  # the test's proxy has no TLS server behind it
            await fetcher.get("https://news.invalid/feed.xml")
    assert proxy.requests and proxy.requests[0][0] == "CONNECT news.invalid:443 HTTP/1.1"
    assert proxy.tunnelled[0][:1] == b"\x16"  # the TLS handshake went into the tunnel


async def test_no_proxy_hosts_are_reached_directly(server, proxy, monkeypatch) -> None:
    url = server.add("/direct.xml", RSS, content_type="application/rss+xml")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.org, 127.0.0.1")
    async with open_fetcher(None, fast_http()) as fetcher:
        assert (await fetcher.get(url)).body == RSS
    assert proxy.requests == []


async def test_a_redirect_to_a_private_literal_is_refused_through_the_proxy(server, proxy, monkeypatch) -> None:
    """The client cannot resolve through a proxy, so the rule is applied to the host as named: the
    named origin passes, a redirect from it to another private origin does not."""
    with FeedServer() as internal:
        secret = internal.add("/secret", b"internal", content_type="text/plain")
        server.add_redirect("/hop", secret)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with open_fetcher(None, fast_http()) as fetcher:
            with pytest.raises(PrivateAddressError, match="refused redirect to loopback address"):
                await fetcher.get(invalid(server, "/hop"))
        assert internal.hits("/secret") == []
    assert [line.split()[1] for line, _ in proxy.requests] == [invalid(server, "/hop")]


async def test_the_config_proxy_overrides_the_environment(server, proxy, monkeypatch) -> None:
    server.add("/feed.xml", RSS, content_type="application/rss+xml")
    async with open_fetcher(None, fast_http(proxy=proxy.url)) as fetcher:
        assert (await fetcher.get(invalid(server, "/feed.xml"))).body == RSS
    assert len(proxy.requests) == 1
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with open_fetcher(None, fast_http(proxy="none")) as fetcher:
        with pytest.raises(FetchError, match="host not found"):
            await fetcher.get(invalid(server, "/feed.xml"))
    assert len(proxy.requests) == 1  # `proxy = false`: direct, whatever the environment says


async def test_a_proxy_that_is_down_is_named_without_its_credentials(monkeypatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    monkeypatch.setenv("HTTP_PROXY", f"http://user:secret@127.0.0.1:{port}")
    async with open_fetcher(None, fast_http()) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get("http://news.invalid/feed.xml")
    assert f"proxy 127.0.0.1:{port}" in str(caught.value) and "refused" in str(caught.value)
    assert "secret" not in str(caught.value)


async def test_a_stalling_proxy_is_held_to_the_request_deadline(monkeypatch) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts (the kernel does), never answers
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
        started = time.monotonic()
        async with open_fetcher(None, fast_http(read_timeout=30.0, total_timeout=1.0, retries=0)) as fetcher:
            with pytest.raises(FetchError, match="timed out"):
                await fetcher.get("http://news.invalid/feed.xml")
        assert time.monotonic() - started < 5  # the 1 s deadline, not the 30 s read timeout


def test_the_config_file_names_a_proxy_or_none(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[network]\nproxy = "http://proxy.example:3128"\n', encoding="utf-8")
    assert load_config(path).network.proxy == "http://proxy.example:3128"
    path.write_text('[network]\nproxy = "http://ann:s3cret@proxy.example:3128"\n', encoding="utf-8")
    shown = dict((k, v) for k, v, _ in load_config(path).items())["network.proxy"]
    assert shown == "http://ann:***@proxy.example:3128"  # `tuireader config` may be pasted somewhere
    path.write_text("[network]\nproxy = false\n", encoding="utf-8")
    assert load_config(path).network.proxy == "none"
    path.write_text('[network]\nproxy = "ftp://proxy.example"\n', encoding="utf-8")
    config = load_config(path)
    assert config.network.proxy is None and any("network.proxy" in p for p in config.problems)
