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
