"""Deadlines: a server that dribbles bytes cannot hold a refresh, and a cancelled refresh stops.

The servers here send a byte every 0.2 s, so no read ever times out: only the per-request and
per-feed deadlines can end the wait. No test measures speed; each checks what the user sees (the
failure named, the entries left for the next refresh, the refresh returning when cancelled).
"""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from feeds_server import FeedServer, fast_http

from tuireader.config import load_config
from tuireader.sources.feeds.refresh import refresh, refresh_async
from tuireader.sources.feeds.state import RefreshState, refresh_lock
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.http import FetchError, HttpConfig, open_fetcher
from tuireader.sources.subscriptions import add_subscription


def rss(base: str, n: int) -> str:
    items = "".join(
        f"<item><title>Ferry timetable change {i}</title><link>{base}/story/{i}</link>"
        f"<description>Ferry timetable change {i}: the crossing moves to the north pier.</description></item>"
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>{items}</channel></rss>'
    )


PAGE = (
    "<html><head><title>Ferry</title></head><body><article>"
    + (
        "<p>The ferry operator said the crossing will move to the north pier from June, "
        "a change that adds ten minutes to the journey for most passengers.</p>" * 8
    )
    + "</article></body></html>"
)


def _dribble_page(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        while not owner.stopping.is_set():
            handler.wfile.write(b" ")
            handler.wfile.flush()
            owner.stopping.wait(0.2)
    except OSError:
        pass
    handler.close_connection = True


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def test_the_defaults_bound_a_request_and_a_feed_to_at_most_15_seconds(tmp_path: Path) -> None:
    assert HttpConfig().total_timeout <= 15 and RefreshOptions().feed_deadline <= 15
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntotal_timeout = 4.0\nfeed_deadline = 6.5\n", encoding="utf-8")
    loaded = load_config(config)
    assert (loaded.refresh.total_timeout, loaded.refresh.feed_deadline) == (4.0, 6.5) and not loaded.problems


async def test_a_dribbling_server_is_cut_at_the_request_deadline_without_retrying(server: FeedServer) -> None:
    url = server.add_drip("/slow.xml", seconds=60)
    async with open_fetcher(None, fast_http(total_timeout=1.0, read_timeout=5.0, retries=2)) as fetcher:
        with pytest.raises(FetchError, match=r"timed out \(no complete response in 1 s\)"):
            await fetcher.get(url)
    assert len(server.hits("/slow.xml")) == 1  # a deadline spent is not retried


async def test_the_request_deadline_covers_its_redirects(server: FeedServer) -> None:
    server.add_drip("/slow.xml", seconds=60)
    url = server.add_redirect("/moved.xml", server.url("/slow.xml"))
    async with open_fetcher(None, fast_http(total_timeout=1.0, read_timeout=5.0)) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.get(url)


def test_a_dribbling_feed_fails_at_the_feed_deadline(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    feed = server.add_drip("/slow.xml", seconds=60)
    add_subscription(library, feed)
    options = RefreshOptions(http=fast_http(total_timeout=30.0, read_timeout=5.0), feed_deadline=1.0)

    report = refresh(library, tmp_path / "cache", options=options)

    assert report.feeds_failed == 1
    [problem] = report.problems
    assert problem.where == feed and problem.message.startswith("timed out")


def test_pages_past_the_feed_deadline_wait_for_the_next_refresh(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    feed = server.add("/feed.xml", rss(server.base, 3), content_type="application/rss+xml")
    for i in range(3):
        server.add(f"/story/{i}", handler=_dribble_page)
    add_subscription(library, feed)
    slow = RefreshOptions(http=fast_http(total_timeout=30.0, read_timeout=5.0), feed_deadline=1.0)

    first = refresh(library, tmp_path / "cache", options=slow)

    assert first.added == []
    assert [p.message for p in first.problems] == [
        "feed deadline (1 s) passed; 3 entries left for the next refresh"
    ]
    state = RefreshState.load(library)
    assert state.feeds[feed].get("failures") == {}  # not counted as failures: not given up on
    assert not state.feeds[feed].get("done")

    for i in range(3):  # the site is fast again: the entries left are brought in
        server.add(f"/story/{i}", PAGE.replace("Ferry", f"Ferry {i}"))
    second = refresh(library, tmp_path / "cache", options=RefreshOptions(http=fast_http()))
    assert len(second.added) == 3 and second.problems == []


def test_cancelling_a_refresh_from_another_thread_returns_at_once(server: FeedServer, tmp_path: Path) -> None:
    """What the reader does when it quits mid-refresh: the worker's event is set."""
    library = tmp_path / "library"
    library.mkdir()
    add_subscription(library, server.add_drip("/slow.xml", seconds=60))
    cancel = threading.Event()
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("report", refresh(library, tmp_path / "cache", cancel=cancel)),
        daemon=True,
    )
    thread.start()
    time.sleep(0.5)
    cancel.set()
    thread.join(10)  # a hang guard only: without the event this would take the default 15 s deadline

    assert not thread.is_alive()
    [problem] = result["report"].problems
    assert problem.message.startswith("refresh cancelled")
    with refresh_lock(library) as locked:  # the lock was released
        assert locked


async def test_cancelling_the_refresh_task_releases_the_library(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    add_subscription(library, server.add_drip("/slow.xml", seconds=60))
    task = asyncio.ensure_future(refresh_async(library, tmp_path / "cache"))
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    with refresh_lock(library) as locked:
        assert locked
