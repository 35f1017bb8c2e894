"""Which panes show at which widths, what `i` and Esc do there, and what is remembered per layout.

Wide (110+ columns): list | text | info, `i` hides the info pane. Narrow: list | text, `i` shows the
info pane in place of the list. Very narrow (under 72): one pane at a time, the list until Enter,
then the text; Esc goes back. The wide and narrow choices are remembered separately, because "show
the info pane" means "beside the text" on one and "instead of the list" on the other.
"""

from __future__ import annotations

from tuireader.tui.app import ReaderApp
from tuireader.tui.widgets.article_list import ArticleList

WIDE = (140, 40)
NARROW = (80, 24)


def _shown(widget) -> bool:
    return widget.region.width > 0


async def test_the_wide_info_pane_choice_does_not_hide_the_list_on_a_narrow_start(library, settled):
    app = ReaderApp(library)
    async with app.run_test(size=WIDE) as pilot:
        await settled(pilot)
        await pilot.press("i", "i")  # hidden, then shown again: a saved choice to show it
        await pilot.pause()
        assert _shown(app.reader.meta)
        await pilot.press("q")
    again = ReaderApp(library)
    async with again.run_test(size=NARROW) as pilot:
        await settled(pilot)
        main = again.reader
        assert _shown(main.article_list) and _shown(main.text)
        assert not _shown(main.meta)
        assert again.focused is main.article_list


async def test_the_narrow_list_choice_does_not_hide_the_wide_info_pane(library, settled):
    app = ReaderApp(library)
    async with app.run_test(size=NARROW) as pilot:
        await settled(pilot)
        await pilot.press("i", "i")  # info pane in place of the list, then the list back
        await pilot.pause()
        assert _shown(app.reader.article_list) and not _shown(app.reader.meta)
        await pilot.press("q")
    again = ReaderApp(library)
    async with again.run_test(size=WIDE) as pilot:
        await settled(pilot)
        main = again.reader
        assert _shown(main.meta) and _shown(main.article_list) and _shown(main.text)


async def test_each_layout_keeps_its_own_choice_across_runs_and_resizes(library, settled):
    app = ReaderApp(library)
    async with app.run_test(size=WIDE) as pilot:
        await settled(pilot)
        await pilot.press("i")  # wide: no info pane
        await pilot.pause()
        assert not _shown(app.reader.meta)
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        await pilot.press("i")  # narrow: the info pane instead of the list
        await pilot.pause()
        assert _shown(app.reader.meta) and not _shown(app.reader.article_list)
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not _shown(app.reader.meta) and _shown(app.reader.article_list)
        await pilot.press("q")
    again = ReaderApp(library)
    async with again.run_test(size=NARROW) as pilot:
        await settled(pilot)
        assert _shown(again.reader.meta) and not _shown(again.reader.article_list)
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not _shown(again.reader.meta) and _shown(again.reader.article_list)


async def test_keys_never_move_through_a_hidden_list_and_escape_brings_it_back(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await settled(pilot)
        main = app.reader
        lst: ArticleList = main.article_list
        assert app.focused is lst
        await pilot.press("i")
        await pilot.pause()
        assert not _shown(lst)
        assert app.focused is not lst  # the focus left the list it can no longer see
        before = (lst.cursor, main.current_id)
        await pilot.press("j", "down", "enter")
        await settled(pilot)
        assert (lst.cursor, main.current_id) == before
        await pilot.press("escape")  # "Back to the list"
        await pilot.pause()
        assert _shown(lst) and app.focused is lst
        assert not _shown(main.meta)
        await pilot.press("j")
        assert lst.cursor != before[0]


async def _one_pane_at_a_time(app, pilot, settled, screen, size: tuple[int, int]) -> None:
    await settled(pilot)
    main = app.reader
    width = size[0]
    # Start: the list, using the width.
    assert app.focused is main.article_list
    assert main.article_list.region.width >= width * 0.8
    assert not _shown(main.text)
    await pilot.press("down", "enter")
    await settled(pilot)
    # Reading: the text alone.
    assert app.focused is main.text
    assert main.text.region.width >= width * 0.8
    assert not _shown(main.article_list) and not _shown(main.meta)
    # Its lines are lines of prose, not a word per row.
    rows = [line.strip() for line in screen(app).splitlines()]
    assert max(len(row) for row in rows) >= width * 0.6
    await pilot.press("i")  # the info pane in place of the text
    await pilot.pause()
    assert main.meta.region.width >= width * 0.8 and not _shown(main.text)
    await pilot.press("i")
    await pilot.pause()
    assert main.text.region.width >= width * 0.8 and not _shown(main.meta)
    await pilot.press("escape")
    await pilot.pause()
    assert app.focused is main.article_list
    assert main.article_list.region.width >= width * 0.8 and not _shown(main.text)


async def test_very_narrow_terminals_show_one_pane_at_a_time_40x12(make_app, settled, screen):
    app = make_app(remember=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await _one_pane_at_a_time(app, pilot, settled, screen, (40, 12))


async def test_very_narrow_terminals_show_one_pane_at_a_time_60x20(make_app, settled, screen):
    app = make_app(remember=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await _one_pane_at_a_time(app, pilot, settled, screen, (60, 20))


async def test_tab_at_80x24_keeps_every_list_row_and_badge_in_view(own_library, settled, screen):
    """The meaning bar goes under the text: selecting a highlight with Tab must not take the list's
    last rows (the seed story's versions and their ⇄ badges, at the bottom here) off the screen."""
    from story_texts import one_version_story

    for i in range(5):  # newer one-version stories above the seed story, so its rows reach the bottom
        (own_library.root / f"95{i}_newer.txt").write_text(
            one_version_story(i, "Upper Post", f"2024-01-{10 + i:02d}"), encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        main = app.reader
        lst = main.article_list
        main.open_article("001_e3ccb26ac0196571", focus_text=False)  # a seed version: quotes to Tab to
        await settled(pilot)
        for _ in range(300):  # the background linking fills every badge in
            await pilot.pause()
            if not main.status.busy and len(lst.badges) >= 4:
                break
        await pilot.pause(0.2)
        assert main.pane_layout == "narrow"
        width = lst.region.width

        def list_rows() -> list[str]:
            return [row[:width] for row in screen(app).splitlines()[: lst.region.bottom]]

        before = list_rows()
        assert sum(row.count("⇄") for row in before) >= 4
        assert lst.virtual_size.height > len(before) - 2  # the list fills its pane to the bottom
        height = lst.size.height
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause(0.1)
            assert main.query_one("#meaning").display  # the highlight's meaning is said
            assert lst.size.height == height
            assert list_rows() == before
