"""Untrusted article text is shown as text: markup does nothing, escape sequences never reach the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.library import Library
from tuireader.tui.app import ReaderApp

EVIL_TITLE = "[@click=app.quit]Click[/] for the [bold red]truth[/]"
EVIL_BODY = [
    "The campaign's statement, posted on Tuesday, asked readers to [@click=app.quit]Click[/] a link "
    "that it said would reveal the full report on the council's spending decisions.",
    "Officials answered with a notice printed in [bold red] capitals [/bold red] that repeated the "
    "council's position and denied that any money had been misused during the year.",
    "A copy of the notice seen by reporters contained stray terminal codes \x1b[31mred\x1b[0m and "
    "\x1b[2J a screen-clearing sequence, which the printer had left in the text it sent out.",
    "It also carried a hidden link \x1b]8;;https://evil.example/\x07to the archive\x1b]8;;\x07 and a "
    "clipboard write \x1b]52;c;ZXZpbCBjb21tYW5k\x07 that a careless terminal might have obeyed.",
    "The council said it would publish the full accounts next month and invited residents to the "
    "public meeting where the spending decisions would be explained in detail.",
]


@pytest.fixture
def evil_library(tmp_path: Path):
    root = tmp_path / "articles"
    root.mkdir()
    header = f"---\noutlet: [bold red]Evil[/] \x1b]52;c;aGk=\x07News\ntitle: {EVIL_TITLE}\npublished: 2024-03-05\n---\n"
    (root / "000_evil.txt").write_text(header + "\n\n".join(EVIL_BODY) + "\n", encoding="utf-8")
    lib = Library(root, cache_dir=tmp_path / "cache")
    yield lib
    lib.close()


async def test_markup_and_escape_sequences_render_as_text_and_trigger_nothing(evil_library, settled, screen):
    app = ReaderApp(evil_library, remember=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, timeout=120)
        main = app.reader
        assert main.current_id == "000_evil"
        shown = screen(app)
        # Markup is shown literally (in the title, the list and the body) ...
        assert "[@click=app.quit]Click[/]" in shown
        assert "[bold red]" in shown
        # ... and no escape or bell character reaches the terminal from any pane.
        assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\x9d" not in shown
        assert "]52;c;" not in shown.replace("␛]52;c;", "")  # shown only as inert text, if at all

        # Clicking exactly on the "Click" of the body and of the title quits nothing.
        for row, line in enumerate(shown.splitlines()):
            col = line.find("[@click=app.quit]Click")
            if col >= 0:
                await pilot.click(offset=(col + len("[@click=app.quit]") + 1, row))
                await pilot.pause()
        await pilot.press("tab", "v", "enter")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert app.screen is main
