"""Fixtures for the reader's Pilot tests: the seed library with a warmed cache, one copy per test.

spaCy analysis makes the first view of a story take seconds, so one session-scoped fixture builds
a library folder and a cache in which every story is already analysed and linked; each test gets
its own copy of the cache (so state files and search indexes are not shared), reading the same
library folder.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def library(warm_library: tuple[Path, Path], tmp_path: Path) -> Iterator:
    """A Library on the seed articles with its own copy of the warmed cache."""
    from tuireader.library import Library

    root, cache = warm_library
    mine = tmp_path / "cache"
    shutil.copytree(cache, mine)
    lib = Library(root, cache_dir=mine)
    yield lib
    lib.close()


@pytest.fixture
def make_app(library) -> Callable:
    """ReaderApp factory; background analysis on (it only reads the warm cache)."""
    from tuireader.tui.app import ReaderApp

    def make(**kwargs) -> ReaderApp:
        return ReaderApp(library, **kwargs)

    return make


async def settle(pilot, *, timeout: float = 30.0, view: bool = True) -> None:
    """Wait until the reader is idle: scan done, the open article shown and (if `view`) its links in."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        try:
            main = app.reader
        except LookupError:
            await asyncio.sleep(0.02)
            continue
        busy = any(w.is_running for w in app.workers if w.group in ("scan", "article", "view", "background"))
        shown = main.current_id is not None and main.text.article is not None \
            and main.text.article.id == main.current_id
        linked = main.current_view is not None or main.view_error is not None
        if main.scanned and shown and (linked or not view) and not busy:
            await pilot.pause()
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the reader did not settle in time")


async def wait_for(pilot, predicate: Callable[[], bool], *, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def settled() -> Callable:
    """`await settled(pilot)`: wait until the reader is idle (see `settle`)."""
    return settle


@pytest.fixture
def waiter() -> Callable:
    """`await waiter(pilot, predicate, what=...)`: wait until `predicate()` holds."""
    return wait_for


def screen_text(app) -> str:
    """Every character the terminal would be sent for the current screen, control sequences aside."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


@pytest.fixture
def screen() -> Callable:
    """`screen(app)`: the plain text on screen now, one line per terminal row."""
    return screen_text


@pytest.fixture
def own_library(warm_library: tuple[Path, Path], tmp_path: Path) -> Iterator:
    """A private copy of the warm seed library (its reading state is this test's alone)."""
    root, cache = warm_library
    mine = tmp_path / "articles"
    # Other tests' reading state (written into the shared folder) stays behind.
    shutil.copytree(root, mine, ignore=shutil.ignore_patterns(".tuireader"))
    shutil.copytree(cache, tmp_path / "cache")
    from tuireader.library import Library

    lib = Library(mine, cache_dir=tmp_path / "cache")
    yield lib
    lib.close()
