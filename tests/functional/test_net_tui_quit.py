"""Quitting the reader during a refresh stops the refresh, instead of leaving a blank terminal
while a slow server dribbles (the TUI part of the deadlines; the core path is tested headlessly in
test_net_deadlines.py)."""

from __future__ import annotations

import asyncio
import shutil

from feeds_server import FeedServer

from tuireader.library import Library
from tuireader.sources.feeds.state import refresh_lock
from tuireader.sources.subscriptions import add_subscription
from tuireader.tui.app import ReaderApp


async def test_quitting_mid_refresh_stops_the_refresh(warm_library, tmp_path, settled, waiter) -> None:
    root, cache = warm_library
    mine = tmp_path / "articles"
    shutil.copytree(root, mine)
    shutil.copytree(cache, tmp_path / "cache")
    with FeedServer() as server:
        add_subscription(mine, server.add_drip("/slow.xml", seconds=120))
        library = Library(mine, cache_dir=tmp_path / "cache")
        app = ReaderApp(library, remember=False, background_analysis=False)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                await settled(pilot)
                await pilot.press("R")
                await waiter(pilot, lambda: bool(server.hits("/slow.xml")), timeout=30, what="the feed requested")
                await pilot.press("q")
            released = False
            for _ in range(100):  # a hang guard: without the cancel the lock is held 15 s and more
                with refresh_lock(mine) as locked:
                    released = locked
                if released:
                    break
                await asyncio.sleep(0.05)
            assert released, "the refresh went on after the reader quit"
        finally:
            library.close()
