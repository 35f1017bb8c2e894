"""Highlights: Tab between them, layers on and off, `v` to the same passage elsewhere, mouse clicks."""

from __future__ import annotations

from tuireader.tui.app import ReaderApp
from tuireader.tui.presentation import tab_order
from tuireader.tui.widgets.article_text import PAD, ArticleText
from tuireader.tui.widgets.meta_pane import MetaPane

SIZE = (140, 40)


def _on_screen(text: ArticleText, offset: int) -> bool:
    line = text.line_of_article_offset(offset)
    return line is not None and text.scroll_y <= line < text.scroll_y + text.size.height


async def _open_with_quote(pilot, settled, min_targets: int = 2):
    """Open (with n) the first version holding a quote that other versions carry; returns its highlight."""
    main = pilot.app.reader
    for _ in range(len(main.article_list.selectable)):
        quotes = [h for h in main.text.highlights if h.quote is not None and len(h.targets) >= min_targets]
        if quotes:
            return quotes[0]
        await pilot.press("n")
        await settled(pilot)
    raise AssertionError("no version has a quote carried by other versions")


async def test_tab_and_shift_tab_move_between_highlights_in_reading_order(make_app, settled):
    """Quotes and differences in reading order, then the names (see test_tui_defects)."""
    app: ReaderApp = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        text = app.reader.text
        stops = [text.highlights[i] for i in tab_order(text.highlights)]
        assert len(stops) >= 3, "the seed story has shared names and quotes"
        await pilot.press("tab")
        first = text.current
        assert first is stops[0] and first.kind != "entity"
        await pilot.press("tab")
        second = text.current
        assert second is stops[1] and second.start >= first.start
        await pilot.press("shift+tab")
        assert text.current is first
        await pilot.press("shift+tab")
        assert text.current is stops[-1]  # wraps to the last
        assert _on_screen(text, stops[-1].start)  # and scrolls to it


async def test_number_keys_hide_and_show_highlight_layers(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        assert any(h.kind == "entity" for h in main.text.highlights)
        await pilot.press("1")
        assert not any(h.kind == "entity" for h in main.text.highlights)
        assert main.shown_layers["entity"] is False
        assert "Hidden highlights: names" in main.text.note
        await pilot.press("1")
        assert any(h.kind == "entity" for h in main.text.highlights)
        quote_kinds = {h.kind for h in main.all_highlights if h.quote is not None}
        for n, kind in enumerate(("verbatim", "altered", "unquoted", "solo"), start=2):
            if kind in quote_kinds:
                await pilot.press(str(n))
                assert not any(h.kind == kind for h in main.text.highlights)
                await pilot.press(str(n))
                assert any(h.kind == kind for h in main.text.highlights)


async def test_v_jumps_to_the_same_quote_in_the_next_version_and_cycles_back(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        quote = await _open_with_quote(pilot, settled)
        origin = main.current_id
        while main.text.current is not quote:
            await pilot.press("tab")
        targets = quote.targets
        visited = []
        for target in targets:
            await pilot.press("v")
            await settled(pilot)
            assert main.current_id == target.article
            assert main.text.mark == (target.start, target.end)
            assert _on_screen(main.text, target.start)
            visited.append(main.current_id)
        assert len(set(visited)) == len(targets)  # each press a different outlet
        await pilot.press("v")
        await settled(pilot)
        assert main.current_id == origin  # the cycle closes where it began
        assert main.text.mark == (quote.start, quote.end)


async def test_v_on_a_name_jumps_to_its_mention_in_another_version(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        await pilot.press("2", "3", "4", "5", "6")  # names only
        await pilot.press("tab")
        name = main.text.current
        assert name is not None and name.kind == "entity" and name.targets
        await pilot.press("v")
        await settled(pilot)
        target = name.targets[0]
        assert main.current_id == target.article
        words = main.current_article.text[target.start:target.end]
        assert words == target.text


async def test_clicking_a_highlight_selects_it_and_clicking_it_again_jumps(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        quote = await _open_with_quote(pilot, settled, min_targets=1)
        text = main.text
        text.scroll_to_offset(quote.start)
        await pilot.pause()
        line = text.line_of_article_offset(quote.start)
        bi, start, _end = text._lines[line]
        para_offset = text._blocks[bi].offset
        col = PAD + len(text._blocks[bi].text[start:quote.start - para_offset]) + 1
        row = line - int(text.scroll_y)
        await pilot.click(ArticleText, offset=(col, row))
        selected = text.current
        assert selected is not None
        assert selected.start <= quote.start + 1 < selected.end
        assert selected.targets
        await pilot.click(ArticleText, offset=(col, row))
        await settled(pilot)
        target = selected.targets[0]
        assert main.current_id == target.article
        assert main.text.mark == (target.start, target.end)


async def test_clicking_an_outlet_in_the_info_pane_opens_it_at_the_passage(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        quote = await _open_with_quote(pilot, settled, min_targets=1)
        while main.text.current is not quote:
            await pilot.press("tab")
        await pilot.pause()
        y, jump = next((y, t) for y, t in target_lines(main.meta) if t[0] == "jump")
        target = quote.targets[0]
        assert jump[1:] == (target.article, target.start, target.end)
        await pilot.click(MetaPane, offset=(4, y - int(main.meta.scroll_y)))
        await settled(pilot)
        assert main.current_id == target.article
        assert main.text.mark == (target.start, target.end)


def target_lines(meta: MetaPane) -> list[tuple[int, tuple]]:
    """(line, target) for every clickable line of the info pane, as laid out now."""
    return [(y, entry.target) for y, (_text, entry) in enumerate(meta._lines) if entry.target is not None]
