"""`?` lists every binding, ctrl+p offers the reader's commands, `q` quits."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from tuireader.tui.screens.compare import CompareScreen
from tuireader.tui.screens.help import HelpScreen
from tuireader.tui.screens.main import MainScreen

SIZE = (140, 40)


async def test_question_mark_opens_help_listing_every_binding(make_app, settled, screen):
    app = make_app(remember=False)
    async with app.run_test(size=(140, 60)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(str(w.render()) for w in app.screen.query(".help-rows Static"))
        for binding in MainScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in help_text, binding.description
        assert "verbatim" in help_text and "altered" in help_text  # the legend explained
        assert "Search" in screen(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_descriptions_wrap_under_their_own_column(make_app, settled, screen):
    app = make_app(remember=False)
    async with app.run_test(size=(60, 40)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = list(app.screen.query(".help-keys"))
        whats = list(app.screen.query(".help-what"))
        assert keys and len(keys) == len(whats)
        columns = {w.region.x for w in whats}
        assert len(columns) == 1, columns  # every description starts in the same column
        column = columns.pop()
        # Some descriptions need more than one line at this width; their lines stay in the column.
        body = app.screen.query_one("#help-body").region
        wrapped = [w for w in whats if w.region.height > 1 and body.contains_region(w.region)]
        assert wrapped
        rows = screen(app).splitlines()
        for w in wrapped:
            for y in range(w.region.y, w.region.y + w.region.height):
                assert not rows[y][w.region.x - 1].strip(), rows[y]  # nothing runs into the gap
        # Every key label ends before its description begins (the legend's `5  only here` too).
        for k in keys:
            label = str(k.render())
            assert k.region.x + 2 + len(label) < column, label


async def test_command_palette_runs_the_readers_commands(make_app, settled, waiter):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+p")
        await waiter(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"compare side")
        palette = app.screen
        await waiter(pilot, lambda: palette.query_one(Input).value == "compare side", what="typing")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await waiter(pilot, lambda: isinstance(app.screen, CompareScreen), what="the compare view")


async def test_q_quits_with_status_zero(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
