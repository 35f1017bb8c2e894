"""`/`: results as you type, grouped by story and outlet, reworded quotes found, Enter opens the passage."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tuireader.tui.screens.search import SearchScreen

SIZE = (140, 40)
QUERY = "full-scale defense partnership"


async def _type(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_slash_searches_as_you_type_and_finds_reworded_variants(make_app, settled, waiter, screen):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("slash")
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert isinstance(app.focused, Input)
        await _type(pilot, QUERY)
        await waiter(pilot, lambda: search.searched_for == QUERY, what="results for the query")
        texts = [h.text for h in search.hits]
        assert any("full-scale defense partnership" in t for t in texts)
        assert any("large-scale defense partnership" in t for t in texts)  # the reworded variant
        # Grouped: a story heading, then outlets, each with its passages.
        options = search.query_one(OptionList)
        headings = [options.get_option_at_index(i) for i in range(options.option_count)
                    if options.get_option_at_index(i).disabled]
        assert len(headings) >= 2
        shown = screen(app)
        assert "large-scale defense partnership" in shown
        # Typing on narrows the results without pressing anything else.
        await _type(pilot, " zzzzqq")
        await waiter(pilot, lambda: search.searched_for == QUERY + " zzzzqq", what="the narrowed results")
        assert len(search.hits) <= len(texts)


async def test_enter_opens_the_version_at_the_matching_passage(make_app, settled, waiter):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        await pilot.press("slash")
        search = app.screen
        await _type(pilot, QUERY)
        await waiter(pilot, lambda: search.searched_for == QUERY, what="results")
        wanted = next(h for h in search.hits if "large-scale defense partnership" in h.text)
        await pilot.press("down")  # into the results
        options = search.query_one(OptionList)
        for _ in range(options.option_count):
            if search._hit_of(options.get_option_at_index(options.highlighted).id) == wanted:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is main
        assert main.current_id == wanted.article
        assert main.text.mark == (wanted.start, wanted.end)
        assert "large-scale defense partnership" in main.current_article.text[wanted.start:wanted.end]
        line = main.text.line_of_article_offset(wanted.start)
        assert main.text.scroll_y <= line < main.text.scroll_y + main.text.size.height


async def test_escape_closes_search_without_moving(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        here = main.current_id
        await pilot.press("slash")
        await _type(pilot, "drone")
        await pilot.press("escape")
        assert app.screen is main
        assert main.current_id == here
