"""The fetcher against a real server on 127.0.0.1: caching, retries, redirects, caps, timeouts."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from feeds_server import FeedServer, closed_port_url, fast_http

from tuireader.sources.http import USER_AGENT, FetchError, HttpCache, HttpConfig, open_fetcher

FAST = fast_http()
RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


async def test_user_agent_and_conditional_get_from_diskcache(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/feed.xml", RSS, content_type="application/rss+xml", etag='"abc"')
    async with open_fetcher(tmp_path, FAST) as fetcher:
        first = await fetcher.get(url, use_cache=True)
        second = await fetcher.get(url, use_cache=True)
    assert first.body == RSS and not first.not_modified
    # 304: no body travels; the hash says which document the validators belong to
    assert second.not_modified and second.body == b"" and second.sha256 == first.sha256
    hits = server.hits("/feed.xml")
    assert hits[0]["User-Agent"] == USER_AGENT and USER_AGENT.startswith("tuireader/")
    assert "If-None-Match" not in hits[0] and hits[1]["If-None-Match"] == '"abc"'
    # the cache is on disk: a new fetcher (a new run) still revalidates
    async with open_fetcher(tmp_path, FAST) as fetcher:
        third = await fetcher.get(url, use_cache=True)
    assert third.not_modified and third.sha256 == hashlib.sha256(RSS).hexdigest()


async def test_last_modified_validator(server: FeedServer, tmp_path: Path) -> None:
    stamp = "Fri, 15 Mar 2024 18:40:00 GMT"
    url = server.add("/lm.xml", RSS, content_type="application/rss+xml", last_modified=stamp)
    async with open_fetcher(tmp_path, FAST) as fetcher:
        await fetcher.get(url, use_cache=True)
        again = await fetcher.get(url, use_cache=True)
    assert again.not_modified
    assert server.hits("/lm.xml")[1]["If-Modified-Since"] == stamp


async def test_5xx_is_retried_with_backoff_then_succeeds(server: FeedServer) -> None:
    url = server.add_flaky("/flaky.xml", failures=2, body=RSS, content_type="application/rss+xml")
    async with open_fetcher(None, FAST) as fetcher:
        response = await fetcher.get(url)
    assert response.body == RSS
    assert len(server.hits("/flaky.xml")) == 3


async def test_persistent_500_gives_up_after_the_retries(server: FeedServer) -> None:
    url = server.add("/broken.xml", b"oops", status=500)
    async with open_fetcher(None, FAST) as fetcher:
        with pytest.raises(FetchError, match=r"HTTP 500 .*after 3 attempts"):
            await fetcher.get(url)
    assert len(server.hits("/broken.xml")) == 3


@pytest.mark.parametrize(
    ("status", "words"), [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (403, "HTTP 403")]
)
async def test_4xx_is_not_retried(server: FeedServer, status: int, words: str) -> None:
    url = server.add(f"/e{status}", b"no", status=status)
    async with open_fetcher(None, FAST) as fetcher:
        with pytest.raises(FetchError) as err:
            await fetcher.get(url)
    assert str(err.value) == words or str(err.value).startswith(words)
    assert len(server.hits(f"/e{status}")) == 1


async def test_redirects_followed_loops_and_chains_bounded(server: FeedServer) -> None:
    final = server.add("/final.xml", RSS, content_type="application/rss+xml")
    server.add_redirect("/r1", server.url("/r2"), 301)
    server.add_redirect("/r2", "/final.xml", 302)  # relative Location
    server.add_redirect("/loop-a", server.url("/loop-b"))
    server.add_redirect("/loop-b", server.url("/loop-a"))
    for i in range(8):
        server.add_redirect(f"/chain{i}", server.url(f"/chain{i + 1}"))
    server.add_redirect("/to-ftp", "ftp://127.0.0.1/feed.xml")
    async with open_fetcher(None, FAST) as fetcher:
        response = await fetcher.get(server.url("/r1"))
        assert response.url == final and response.body == RSS
        with pytest.raises(FetchError, match="redirect loop"):
            await fetcher.get(server.url("/loop-a"))
        with pytest.raises(FetchError, match="too many redirects"):
            await fetcher.get(server.url("/chain0"))
        with pytest.raises(FetchError, match="unsupported URL scheme ftp"):
            await fetcher.get(server.url("/to-ftp"))
    assert len(server.hits("/loop-a")) == 1  # a loop is not retried


async def test_gzip_bodies_are_decoded_and_a_gzip_bomb_is_refused_within_the_cap(server: FeedServer) -> None:
    text = b"<p>" + b"The storm knocked out power. " * 5000 + b"</p>"
    ok = server.add("/page-gz", text, gzip=True)
    bomb = server.add_gzip_bomb("/bomb.xml", inflated_mib=64)
    async with open_fetcher(None, FAST) as fetcher:
        assert (await fetcher.get(ok)).body == text
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match="larger than 1 MiB once decompressed"):
                await fetcher.get(bomb)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 12 * 1024 * 1024  # never near the 64 MiB the bomb inflates to


async def test_oversized_bodies_are_refused(server: FeedServer) -> None:
    big = server.add(
        "/huge.xml", b"<rss>" + b"x" * (2 * 1024 * 1024) + b"</rss>", content_type="application/rss+xml"
    )
    async with open_fetcher(None, FAST) as fetcher:
        with pytest.raises(FetchError, match="larger than 1 MiB"):
            await fetcher.get(big)


async def test_non_html_page_is_refused_before_its_body_is_read(server: FeedServer) -> None:
    url = server.add("/episode.mp3", b"ID3" + b"\0" * 1000, content_type="audio/mpeg")
    async with open_fetcher(None, FAST) as fetcher:
        with pytest.raises(FetchError, match=r"not a web page \(audio/mpeg\)"):
            await fetcher.get(url, content_types=("text/html",))


async def test_stalled_and_dripping_servers_time_out(server: FeedServer) -> None:
    stall = server.add_stall("/stall.xml")
    drip = server.add_drip("/drip.xml", seconds=10)
    config = HttpConfig(read_timeout=0.3, total_timeout=1.0, retries=1, backoff=0.01)
    async with open_fetcher(None, config) as fetcher:
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out waiting for data \(after 2 attempts\)"):
            await fetcher.get(stall)
        with pytest.raises(FetchError, match=r"timed out \(no complete response in 1 s\)"):
            await fetcher.get(drip)
    assert time.monotonic() - start < 6


async def test_connection_refused_is_named_and_not_retried() -> None:
    async with open_fetcher(None, FAST) as fetcher:
        start = time.monotonic()
        with pytest.raises(FetchError, match="connection refused"):
            await fetcher.get(closed_port_url())
    assert time.monotonic() - start < 1


async def test_requests_per_host_are_bounded(server: FeedServer) -> None:
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.15)
        with lock:
            active["now"] -= 1
        body = gzip.compress(RSS)
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    for i in range(8):
        server.add(f"/slow{i}", handler=slow)
    import asyncio

    config = HttpConfig(per_host=2, max_connections=8, read_timeout=5, total_timeout=10)
    async with open_fetcher(None, config) as fetcher:
        bodies = await asyncio.gather(*(fetcher.get(server.url(f"/slow{i}")) for i in range(8)))
    assert all(b.body == RSS for b in bodies)
    assert active["max"] == 2


def test_damaged_cache_entry_only_costs_a_full_fetch(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    cache._cache.set(("http", "https://x.example/f"), "not a dict")
    assert cache.get("https://x.example/f") is None
    cache.close()
