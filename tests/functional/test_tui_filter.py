"""`f`: the filter bar narrows the list (outlet, dates, unread, outlets per story, title words)."""

from __future__ import annotations

from story_texts import ferry

from tuireader.tui.app import ReaderApp
from tuireader.tui.widgets.filter_bar import FilterBar

SIZE = (140, 40)


async def type_filter(pilot, text: str) -> None:
    await pilot.press("f")
    bar = pilot.app.screen.query_one(FilterBar)
    assert bar.has_focus
    bar.value = ""
    await pilot.press(*[{" ": "space", ":": "colon"}.get(c, c) for c in text], "enter")
    await pilot.pause()


async def test_filters_narrow_the_list_and_clear(own_library, settled, waiter):
    root = own_library.root
    (root / "950_harbor.txt").write_text(ferry("Harbor Times", "harbor.example", "4,000"), encoding="utf-8")
    (root / "951_coast.txt").write_text(ferry("Coast Daily", "coast.example", "5,000"), encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        everything = set(main.article_list.position)
        assert {"950_harbor", "951_coast"} <= everything

        await type_filter(pilot, "outlet:coast")
        assert set(main.article_list.position) == {"951_coast"}
        assert not main.query_one(FilterBar).display and main.article_list.has_focus
        assert "1 article of" in str(main.status.query_one("#status-text").render())

        await type_filter(pilot, "since:2026-11-01 outlets:2")
        assert set(main.article_list.position) == {"950_harbor", "951_coast"}

        main.mark_read(["950_harbor"], True)
        await type_filter(pilot, "unread since:2026")
        assert set(main.article_list.position) == {"951_coast"}

        await type_filter(pilot, "since:someday")  # refused: the bar stays open, the list unchanged
        assert main.query_one(FilterBar).display
        assert any("since: needs a date" in n.message for n in app._notifications)
        assert set(main.article_list.position) == {"951_coast"}
        await pilot.press("escape")
        assert not main.query_one(FilterBar).display

        await type_filter(pilot, "")
        assert set(main.article_list.position) == everything
