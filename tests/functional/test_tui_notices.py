"""The reader says what went wrong with its files, and leaves it on screen long enough to read:
a cache file found damaged and rebuilt (Library.notices), and `r` on a library it may not write."""

from __future__ import annotations

import contextlib
import errno
import os
import time

from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


def status_text(app: ReaderApp) -> str:
    return str(app.reader.status.query_one("#status-text").render())


async def hold_for(pilot, seconds: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await pilot.pause(0.05)


async def test_a_rebuilt_catalog_is_told_at_start_and_outlasts_the_scan(own_library, settled, waiter) -> None:
    from tuireader.library import Library

    first = Library(own_library.root, cache_dir=own_library.cache_dir)  # this library's catalog, made
    first.scan()
    first.close()
    catalog = own_library.state_dir / "catalog.sqlite"
    data = bytearray(catalog.read_bytes())
    data[:4096] = os.urandom(4096)
    catalog.write_bytes(bytes(data))

    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=True)
    async with app.run_test(size=SIZE) as pilot:
        await waiter(pilot, lambda: "catalog was damaged" in status_text(app), timeout=30,
                     what="the notice in the status line")  # fmt: skip
        assert any("catalog was damaged" in n.message and "rebuilt" in n.message for n in app._notifications)
        await settled(pilot)  # the scan (and the linking) that used to replace it at once
        await hold_for(pilot, 1.0)
        assert "catalog was damaged" in status_text(app)
        assert app.reader.article_list.selectable  # and the reader went on, list rebuilt
        assert len([n for n in app._notifications if "catalog was damaged" in n.message]) == 1  # once


async def test_r_on_a_read_only_library_says_so_and_the_message_stays(own_library, settled, waiter,
                                                                      monkeypatch) -> None:  # fmt: skip
    from tuireader.sources.feeds import refresh as refresh_module

    state = own_library.root / ".tuireader"

    @contextlib.contextmanager
    def read_only(root):  # noqa: ANN001 - what a read-only mount does to the lock's folder
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(state))
        yield True  # pragma: no cover

    monkeypatch.setattr(refresh_module, "refresh_lock", read_only)
    (own_library.root / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline type="rss" text="Harbor" xmlUrl="http://127.0.0.1:9/feed.xml"/></body></opml>',
        encoding="utf-8",
    )
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("r")
        await waiter(pilot, lambda: "read-only" in status_text(app), timeout=30, what="the refresh failure")
        shown = status_text(app)
        assert shown.startswith("Refresh failed:") and str(state) in shown and "Errno" not in shown
        await settled(pilot)  # the rescan after every refresh
        await hold_for(pilot, 1.0)
        assert status_text(app) == shown
