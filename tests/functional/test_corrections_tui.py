"""Corrections to stories from the reader: M, S, J, U and the command palette, checked in the list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tuireader.library import Library
from tuireader.tui.app import ReaderApp
from tuireader.tui.screens.corrections import StoryPicker, VersionPicker

SIZE = (140, 40)
STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    for path in sorted(STORIES.glob("*/*.txt")):
        shutil.copy2(path, root / path.name)
    return root


def make_app(folder: Path, cache: Path) -> tuple[ReaderApp, Library]:
    lib = Library(folder, cache_dir=cache)
    return ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None), lib


def story_sizes(main) -> dict[str, int]:
    """Story title -> how many versions the list shows under it."""
    return {g.title: len(g.versions) for g in main.article_list.groups}


BRIDGE = "Harlow Bridge to stay closed until next year"
FIRE = "Fire at Dunmore chemical plant forces 1,200 residents from their homes"


async def test_M_moves_the_open_version_to_the_story_picked_by_typing(folder, tmp_path, settled, waiter, screen):
    app, lib = make_app(folder, tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        assert story_sizes(main) == {BRIDGE: 3, FIRE: 4}
        main.open_article("river_courier", focus_text=False, read=False)
        await pilot.press("M")
        await waiter(pilot, lambda: isinstance(app.screen, StoryPicker), what="the story picker")
        shown = screen(app)
        assert "A story of its own" in shown and "Harlow Bridge to stay closed" in shown
        await pilot.press(*"harlow")
        await pilot.press("enter")
        await waiter(pilot, lambda: story_sizes(main) == {BRIDGE: 4, FIRE: 3}, what="the list regrouped")
        assert "capital_ledger" in main.article_list.story_versions("river_courier")
        assert "4 versions" in screen(app) and "3 versions" in screen(app)
        await pilot.press("M")  # and out again, to a story of its own (the first choice)
        await waiter(pilot, lambda: isinstance(app.screen, StoryPicker), what="the story picker")
        await pilot.press("enter")
        await waiter(pilot, lambda: main.article_list.story_versions("river_courier") == ["river_courier"],
                     what="a story of its own")
        assert story_sizes(main)[BRIDGE] == 3
    lib.close()
    assert [d.action for d in Library(folder, cache_dir=tmp_path / "x").decisions.decisions] == ["move", "move"]


async def test_S_splits_off_the_ticked_versions_and_U_takes_it_back(folder, tmp_path, settled, waiter, screen):
    app, lib = make_app(folder, tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        main.open_article("valley_post", focus_text=False, read=False)
        await pilot.press("S")
        await waiter(pilot, lambda: isinstance(app.screen, VersionPicker), what="the version picker")
        picker = app.screen
        assert picker.query_one("#picker-versions").selected == ["valley_post"]  # the open one, ticked
        versions = [aid for aid, _label in picker.versions]
        # Tick one more: the version listed after the open one (wrapping round).
        other = versions[(versions.index("valley_post") + 1) % len(versions)]
        picker.query_one("#picker-versions").select(other)
        await pilot.press("enter")
        await waiter(pilot, lambda: sorted(main.article_list.story_versions("valley_post")) == sorted(["valley_post", other]),
                     what="the split")
        rest = [g for g in main.article_list.groups if "harbor_times" in {v.id for v in g.versions}
                or "metro_wire" in {v.id for v in g.versions}]
        assert sum(len(g.versions) for g in rest) == 2 and len(main.article_list.groups) == 3
        await pilot.press("U")
        await waiter(pilot, lambda: len(main.article_list.groups) == 2, what="the undo")
        assert story_sizes(main) == {BRIDGE: 3, FIRE: 4}
    lib.close()


async def test_J_merges_two_stories_and_the_merge_survives_deleting_the_cache(folder, tmp_path, settled, waiter, screen):
    cache = tmp_path / "cache"
    app, lib = make_app(folder, cache)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        main.open_article("harbor_times", focus_text=False, read=False)
        await pilot.press("J")
        await waiter(pilot, lambda: isinstance(app.screen, StoryPicker), what="the story picker")
        assert "A story of its own" not in screen(app)
        await pilot.press("enter")  # the only other story
        await waiter(pilot, lambda: len(main.article_list.groups) == 1, what="one story")
        assert "7 versions" in screen(app)
    lib.close()
    shutil.rmtree(cache)
    app, lib = make_app(folder, cache)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        assert [len(g.versions) for g in app.reader.article_list.groups] == [7]
        assert "7 versions" in screen(app)
    lib.close()


async def test_the_palette_offers_the_corrections(folder, tmp_path, settled, waiter):
    app, lib = make_app(folder, tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        app.reader.open_article("metro_wire", focus_text=False, read=False)
        await pilot.press("ctrl+p")
        await pilot.press(*"split this story")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await waiter(pilot, lambda: isinstance(app.screen, VersionPicker), what="the version picker from the palette")
        await pilot.press("escape")
        await waiter(pilot, lambda: not isinstance(app.screen, VersionPicker), what="the picker closed")
        assert len(app.reader.article_list.groups) == 2  # cancelled: nothing changed
    lib.close()
    assert not (folder / ".tuireader" / "stories.json").exists()
