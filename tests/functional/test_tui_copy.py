"""Copy and open: ctrl+c / y copy the selected passage with its source and never quit; `o` without
a browser shows and copies the address."""

from __future__ import annotations

import webbrowser

from story_texts import ferry

from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


async def test_ctrl_c_copies_the_selected_quote_with_speaker_outlet_and_address(make_app, settled):
    app = make_app(remember=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        await pilot.press("ctrl+c")  # nothing selected: the address
        assert app.is_running
        assert app.clipboard == main.current_article.url or not main.current_article.url
        for _ in range(200):  # Tab to the first quote
            await pilot.press("tab")
            if main.text.current is not None and main.text.current.quote is not None:
                break
        h = main.text.current
        assert h is not None and h.quote is not None
        await pilot.press("ctrl+c")
        assert app.is_running  # ctrl+c no longer quits
        copied = app.clipboard
        quote = main.current_view.quotes[h.quote].quote
        first_words = " ".join(main.current_article.text[h.start:h.end].split())
        assert copied.startswith(first_words)
        if quote.speaker:
            assert quote.speaker in copied
        if main.current_article.url:
            assert copied.rstrip().endswith(main.current_article.url)
        assert any(n.message.startswith("Copied the quote") for n in app._notifications)
        await pilot.press("y")
        assert app.clipboard == copied


async def test_o_without_a_browser_shows_and_copies_the_address(own_library, settled, monkeypatch):
    def no_browser(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    (own_library.root / "950_harbor.txt").write_text(ferry("Harbor Times", "harbor.example", "4,000"),
                                                    encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        main.open_article("950_harbor")
        await settled(pilot)
        url = main.current_article.url
        assert url == "https://harbor.example/ferry-strike"
        await pilot.press("o")
        assert app.clipboard == url
        assert any("No web browser" in n.message and url in n.message for n in app._notifications)


async def test_q_and_ctrl_q_still_quit(make_app, settled):
    for key in ("q", "ctrl+q"):
        app = make_app(remember=False, poll_seconds=None)
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot, view=False)
            await pilot.press(key)
            await pilot.pause()
            assert not app.is_running, key


async def test_e_writes_the_story_comparison_as_markdown_and_html(library, settled, waiter, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    app = ReaderApp(library, remember=False, poll_seconds=None, export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        await pilot.press("e")
        await waiter(pilot, lambda: len(list(out.iterdir())) == 2, what="the two files")
        md = next(out.glob("*.md")).read_text(encoding="utf-8")
        page = next(out.glob("*.html")).read_text(encoding="utf-8")
        story = main.current_view.story
        assert f"{len(story.articles)} versions" in md and "## Quotes" in md
        assert page.startswith("<!DOCTYPE html>") and "<script" not in page
        await waiter(pilot, lambda: any(n.message.startswith("Wrote ") for n in app._notifications),
                     what="the message naming the files")


# --- text selected with the mouse --------------------------------------------------------------------
async def test_text_dragged_over_in_the_article_pane_is_what_ctrl_c_copies(make_app, settled):
    """A drag across two wrapped lines of a paragraph selects the words under it; ctrl+c copies
    them as the article has them (the wrap's space, not a line break) and the reader keeps running."""
    from tuireader.tui.widgets.article_text import PAD

    app = make_app(remember=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        text = main.text
        top = int(text.scroll_y)
        # The first paragraph line on screen whose next line continues the same paragraph.
        y = next(y for y in range(text.size.height - 1)
                 if text._lines[top + y][0] >= 0 and text._blocks[text._lines[top + y][0]].kind == "para"
                 and text._lines[top + y + 1][0] == text._lines[top + y][0])
        bi, start, _end = text._lines[top + y]
        _bi, next_start, _next_end = text._lines[top + y + 1]
        block = text._blocks[bi]
        await pilot.mouse_down(text, offset=(PAD + 3, y))
        await pilot.hover(text, offset=(PAD + 8, y + 1))
        await pilot.mouse_up(text, offset=(PAD + 8, y + 1))
        await pilot.pause()
        want = block.text[start + 3 : next_start + 9]  # the character under the pointer is included
        assert main.get_selected_text() == want
        await pilot.press("ctrl+c")
        assert app.is_running
        assert app.clipboard == want
        assert "\n" not in app.clipboard and " " in app.clipboard
        assert any(n.message.startswith("Copied the selection") for n in app._notifications)
        # The selection is painted: the selected cells carry the screen's selection style.
        chosen = main.get_component_rich_style("screen--selection")
        row = text.render_line(y)
        assert any(seg.style is not None and seg.style.bgcolor == chosen.bgcolor and seg.text.strip()
                   for seg in row)


async def test_a_selection_in_the_info_pane_copies_whole_lines_and_the_address_unbroken(own_library, settled):
    from textual.geometry import Offset
    from textual.selection import Selection

    host = "harbor-times-of-the-northern-coast-and-islands.example"
    (own_library.root / "950_harbor.txt").write_text(ferry("Harbor Times", host, "4,000"), encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        main.open_article("950_harbor")
        await settled(pilot)
        meta = main.meta
        url = main.current_article.url
        assert host in url
        wrapped = [text.plain for text, _entry in meta._lines]
        assert not any(url in line for line in wrapped)  # the pane is narrower than the address
        main.screen.selections = {meta: Selection.from_offsets(Offset(0, 0), Offset(10_000, len(meta._lines)))}
        await pilot.pause()
        await pilot.press("y")
        copied = app.clipboard
        assert url in copied  # wrapped at the pane's edge, copied whole
        assert main.current_article.outlet in copied
        # The margin each line is drawn with is not copied, nor the hanging indent of a wrap.
        lines = copied.splitlines()
        assert lines[0] == "Article"
        assert any(line.startswith("url ") and line.endswith(url) for line in lines)
        assert not any("▌" in line for line in lines)
        # A click (no drag) clears the selection: ctrl+c copies the highlight or the address again.
        await pilot.click(main.text, offset=(0, 0))
        await pilot.pause()
        assert main.get_selected_text() is None
        await pilot.press("ctrl+c")
        assert app.clipboard == url
