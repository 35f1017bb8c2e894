"""Snapshots of the reader at fixed sizes: main screen (80x24, 140x40), compare, search results, help.

Deterministic by construction: a warmed copy of the seed library (no analysis timing), no saved
state, fixed terminal sizes, and every screenshot taken only once the reader is idle.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from tuireader.library import Library
from tuireader.tui.app import ReaderApp


@pytest.fixture
def app(warm_library: tuple[Path, Path], tmp_path: Path):
    root, cache = warm_library
    mine = tmp_path / "articles"  # a private folder: other tests' reading state stays out
    shutil.copytree(root, mine, ignore=shutil.ignore_patterns(".tuireader"))
    shutil.copytree(cache, tmp_path / "cache")
    library = Library(mine, cache_dir=tmp_path / "cache")
    yield ReaderApp(library, remember=False, poll_seconds=None)
    library.close()


async def _idle(pilot) -> None:
    """Wait for scan, the open article, its links and the background linking to finish."""
    app = pilot.app
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        await pilot.pause()
        try:
            main = app.reader
        except LookupError:
            await asyncio.sleep(0.02)
            continue
        busy = any(w.is_running for w in app.workers)
        if main.scanned and main.current_view is not None and not busy and not main.status.busy:
            break
        await asyncio.sleep(0.02)
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


async def _waited(pilot, predicate) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not predicate():
        await pilot.pause()
        await asyncio.sleep(0.02)
    await pilot.pause()


def test_main_screen_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=_idle)


def test_main_screen_140x40(snap_compare, app):
    async def run_before(pilot) -> None:
        await _idle(pilot)
        await pilot.press("tab", "tab")  # a highlight selected: the info pane shows where it travels
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 40), run_before=run_before)


def test_compare_view(snap_compare, app):
    async def run_before(pilot) -> None:
        await _idle(pilot)
        await pilot.press("c")
        await _waited(pilot, lambda: getattr(pilot.app.screen, "ready", False))

    assert snap_compare(app, terminal_size=(140, 40), run_before=run_before)


def test_search_results(snap_compare, app):
    async def run_before(pilot) -> None:
        await _idle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*["space" if c == " " else c for c in "full-scale defense partnership"])
        await _waited(pilot, lambda: getattr(pilot.app.screen, "searched_for", None) == "full-scale defense partnership")

    assert snap_compare(app, terminal_size=(140, 40), run_before=run_before)


def test_help_screen(snap_compare, app):
    async def run_before(pilot) -> None:
        await _idle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def _coverage(theme: str):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await _idle(pilot)
        await pilot.press("t")
        await _waited(pilot, lambda: getattr(pilot.app.screen, "export", None) is not None)

    return run_before


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_coverage_view(snap_compare, app, size, theme):
    assert snap_compare(app, terminal_size=size, run_before=_coverage(theme))


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_filter_bar(snap_compare, app, size):
    async def run_before(pilot) -> None:
        await _idle(pilot)
        await pilot.press("f")
        bar = pilot.app.screen.query_one("#filter-bar", Input)
        bar.cursor_blink = False
        await pilot.press(*"outlets", "colon", "2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_highlight_meaning(snap_compare, app, size, theme):
    """A quote selected: at 80x24 the meaning bar under the panes says what it means and where
    else it is told (outlets readable in the list, the date beside the title); at 140x40 the info
    pane does, and the bar stays hidden."""

    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await _idle(pilot)
        await pilot.press("tab", "tab")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
