"""Reopening returns to the last article at the same place, with the same theme and view."""

from __future__ import annotations

import json

from tuireader.locations import reader_state_file
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


async def test_reopening_returns_to_the_last_article_and_position(library, settled):
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        versions = main.article_list.story_versions(main.current_id)
        await pilot.press("n", "n")
        await settled(pilot)
        chosen = main.current_id
        assert chosen == versions[2]
        main.text.focus()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        offset = main.text.visible_offset()
        assert offset > 0
        await pilot.press("q")
    again = ReaderApp(library)
    async with again.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = again.reader
        assert main.current_id == chosen
        assert main.text.visible_offset() == offset
        assert main.article_list.open_id == chosen


async def test_theme_sort_and_layers_are_kept(library, settled):
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.theme = "textual-light"
        await pilot.press("s", "1")
        await pilot.press("q")
    state = json.loads(app.state_path.read_text())
    assert state["theme"] == "textual-light"
    again = ReaderApp(library)
    async with again.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert again.theme == "textual-light"
        assert again.reader.article_list.sort == "outlet"
        assert again.reader.shown_layers["entity"] is False
        assert not any(h.kind == "entity" for h in again.reader.text.highlights)


async def test_a_damaged_state_file_is_ignored(library, settled):
    path = reader_state_file(library.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"article": 12, "offset": "x", "layers": [1, 2], "theme": "no-such-theme"')
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.reader.current_id is not None
        assert app.theme != "no-such-theme"


async def test_clearing_the_cache_keeps_the_reading_position(library, settled, tmp_path):
    """The reader's state lives in the user state folder, not beside the catalog in the cache."""
    import shutil

    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        await pilot.press("n")
        await settled(pilot)
        chosen = main.current_id
        await pilot.press("q")
    assert not app.state_path.is_relative_to(library.cache_dir)
    root = library.root
    library.close()
    shutil.rmtree(library.cache_dir)
    from tuireader.library import Library

    fresh = Library(root, cache_dir=library.cache_dir)
    try:
        again = ReaderApp(fresh)
        async with again.run_test(size=SIZE) as pilot:
            await settled(pilot, timeout=120)
            assert again.reader.current_id == chosen
    finally:
        fresh.close()


async def test_the_configured_theme_applies_until_one_is_picked(library, settled, tmp_path):
    from dataclasses import replace

    library.config = replace(library.config, theme="textual-light")
    app = ReaderApp(library, remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.theme == "textual-light"
