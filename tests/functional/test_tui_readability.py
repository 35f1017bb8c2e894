"""Every row of the list stays readable, in light and dark themes, with or without the focus.

Contrast is measured on the styles the list actually paints (WCAG relative luminance), so a
translucent theme colour that a terminal cannot show (and that used to turn into white on white)
fails here.
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style

from tuireader.tui.app import ReaderApp

SIZE = (140, 40)
THEMES = ("textual-dark", "textual-light")
MIN_CONTRAST = 3.0  # WCAG's minimum for large text and interface parts


def _luminance(color: Color) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(style: Style) -> float:
    assert style.color is not None and style.bgcolor is not None, style
    low, high = sorted((_luminance(style.color), _luminance(style.bgcolor)))
    return (high + 0.05) / (low + 0.05)


def _list_rows(lst) -> list[tuple[int, list]]:
    """(list line, painted segments with visible text) for every line on screen."""
    rows = []
    for y in range(min(lst.size.height, len(lst.lines) - int(lst.scroll_y))):
        segments = [s for s in lst.render_line(y) if s.text.strip()]
        rows.append((int(lst.scroll_y) + y, segments))
    return rows


async def test_the_list_row_being_read_is_readable_in_both_themes(make_app, settled):
    app: ReaderApp = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        lst = main.article_list
        await pilot.press("down", "enter")  # open the second version: the text pane takes the focus
        await settled(pilot)
        assert app.focused is main.text
        cursor_lines = {lst.first_line[lst.cursor], lst.first_line[lst.cursor] + 1}
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            for focus in (main.text, lst):
                focus.focus()
                await pilot.pause()
                rows = _list_rows(lst)
                assert {line for line, _ in rows} >= cursor_lines
                for line, segments in rows:
                    for seg in segments:
                        assert contrast(seg.style) >= MIN_CONTRAST, (theme, focus.id, line, seg)
                # The row is still told apart from the others.
                cursor_bg = {seg.style.bgcolor for line, segs in rows if line in cursor_lines for seg in segs}
                other_bg = {seg.style.bgcolor for line, segs in rows if line not in cursor_lines for seg in segs}
                assert cursor_bg and not cursor_bg & other_bg, (theme, focus.id)
