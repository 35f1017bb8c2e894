"""Shared plumbing for the reader's Line API widgets (list, text, info pane, compare)."""

from __future__ import annotations

from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.widget import Widget


class LinesView(ScrollView):
    """A ScrollView that repaints itself without asking the whole screen for a new layout.

    Assigning `virtual_size` makes Textual lay out every widget again; these panes have fixed
    sizes, so only the scrollbars need updating. Switching versions changes two panes' line
    counts, and skipping the layout pass is most of what keeps the switch under a frame.
    """

    _base_key: object = None
    _base_style: Style | None = None

    def set_virtual_size(self, size: Size) -> None:
        if size == self.virtual_size:
            self.refresh()
            return
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        if bars != (self.show_vertical_scrollbar, self.show_horizontal_scrollbar):
            self.refresh(layout=True)  # a scrollbar came or went: the content width changed
        else:
            self.refresh()

    @property
    def base_style(self) -> Style:
        """`rich_style`, computed once per theme/pseudo-class state instead of once per line."""
        key = (self.app.theme, self._pseudo_classes_cache_key, self.styles.background, self.styles.color)
        if self._base_style is None or key != self._base_key:
            self._base_key = key
            self._base_style = self.rich_style
        return self._base_style

    def layer_style(self, name: str) -> Style:
        """A component class as a style to lay over text: only what its CSS sets, colours resolved."""
        if not name:
            return Style()
        cache = self.__dict__.setdefault("_layer_cache", {})
        found = cache.get(name)
        if found is not None:
            return found
        full = self.get_component_rich_style(name)
        part = self.get_component_rich_style(name, partial=True)
        cache[name] = style = Style(
            color=full.color if part.color is not None else None,
            bgcolor=full.bgcolor if part.bgcolor is not None else None,
            bold=part.bold,
            italic=part.italic,
            underline=part.underline,
            reverse=part.reverse,
            strike=part.strike,
            dim=part.dim,
        )
        return style

    def stacked_style(self, *names: str) -> Style:
        """Component classes laid one over another on this widget's background, as opaque colours.

        Terminals have no transparency: a translucent background (`$boost`, a blurred cursor) must
        be blended with what lies under it, and `auto` text colours chosen against the blended
        result. Rich styles added together do neither (the alpha is dropped, so `$boost` turns
        white and `auto` text turns white too), which is how a row could become white on white.
        Backgrounds stack in the order given; the last class that sets a colour wins.
        """
        key = (names, self.app.theme, self._pseudo_classes_cache_key)
        cache = self.__dict__.setdefault("_stack_cache", {})
        found = cache.get(key)
        if found is not None:
            return found
        layers = [self.get_component_styles(name) for name in names]
        _, background = self.background_colors
        for styles in layers:
            if styles.has_rule("background"):
                background = background + styles.background
        color: Color | None = None
        text_style = Style()
        for styles in layers:
            if styles.has_rule("auto_color") and styles.auto_color:
                color = background + background.get_contrast_text(styles.color.a)
            elif styles.has_rule("color"):
                color = background + styles.color
            text_style += styles.text_style
        style = Style(color=color.rich_color if color is not None else None,
                      bgcolor=background.rich_color) + text_style
        cache[key] = style
        return style

    # --- text selection with the mouse (Textual's screen selection) ------------------------------------
    def selection_line(self, index: int) -> tuple[str, str]:
        """The text a user can select on virtual line `index`, and what joins it to the next line
        when copied (the space a wrap took, a newline between paragraphs). Views that can be
        selected override it with `selection_size`."""
        return "", "\n"

    def selection_size(self) -> int:
        """How many virtual lines can be selected (0: none)."""
        return 0

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text as it reads: wrapped lines joined again as in the source, without the
        margins and bars these views draw beside it."""
        count = self.selection_size()
        if not count:
            return None
        start, end = selection
        first_y, first_x = (0, 0) if start is None else (start.y, start.x)
        last_y, last_x = (count - 1, None) if end is None else (end.y, end.x)
        first_y, last_y = max(0, first_y), min(count - 1, last_y)
        parts: list[str] = []
        for y in range(first_y, last_y + 1):
            text, join = self.selection_line(y)
            a = first_x if y == first_y else 0
            b = last_x if y == last_y and last_x is not None and last_x >= 0 else len(text)
            parts.append(text[max(0, a) : b])
            if y != last_y:
                parts.append(join)
        return "".join(parts), "\n"

    def selection_span(self, index: int) -> tuple[int, int] | None:
        """The selected characters of virtual line `index` (end -1: to the end), or None."""
        selection = self.text_selection
        return selection.get_span(index) if selection is not None else None

    def selectable(self, lead: list[Segment], body: list[Segment], index: int) -> list[Segment]:
        """A line's segments carrying the offsets that text selection reads (`lead`, a margin or a
        bar, maps to the line's start; `body` is `selection_line(index)`'s text), with the selected
        part painted in the screen's selection style."""
        at_start = Style.from_meta({"offset": (0, index)})
        out = [Segment(ch, (seg.style or Style()) + at_start) for seg in lead for ch in seg.text]
        span = self.selection_span(index)
        chosen = self.screen.get_component_rich_style("screen--selection") if span is not None else None
        x = 0
        for seg in body:
            text, style = seg.text, seg.style or Style()
            n = len(text)
            if span is not None and chosen is not None:
                a, b = span[0], (x + n if span[1] < 0 else span[1])
                cuts = sorted({0, n, min(n, max(0, a - x)), min(n, max(0, b - x))})
                for c0, c1 in pairwise(cuts):
                    piece_style = style + chosen if a <= x + c0 < b else style
                    out.append(Segment(text[c0:c1], piece_style + Style.from_meta({"offset": (x + c0, index)})))
            else:
                out.append(Segment(text, style + Style.from_meta({"offset": (x, index)})))
            x += n
        return out

    def on_mount(self) -> None:
        # A theme switched at run time restyles the component classes after this widget's own
        # styles, so styles taken (and baked into wrapped lines) in between kept the old theme's
        # colours: once the new stylesheet is in, take them again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.call_after_refresh(self.restyle))

    def restyle(self) -> None:
        """Drop every style taken from the stylesheet and repaint with the current one."""
        self._rich_style_cache.clear()
        self.notify_style_update()

    def notify_style_update(self) -> None:
        self._base_style = None
        self.__dict__.pop("_layer_cache", None)
        self.__dict__.pop("_stack_cache", None)
        super().notify_style_update()
        self._relayout()

    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """Re-wrap content for the current width and styles; views that wrap text override it."""
