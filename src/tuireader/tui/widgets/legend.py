"""The legend above the text: what each highlight style means, and a switch for each layer.

Items wrap onto a second line when the pane is narrow; a click toggles the item under it, so the
widget keeps the cell ranges it laid the items out in.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.content import Content
from textual.widget import Widget

from tuireader.tui.messages import LayerToggled
from tuireader.tui.presentation import LAYER_STYLE, LAYERS, cell_len

GAP = 2


class Legend(Widget):
    """`1 names  2 verbatim …`, each name drawn in its layer's style; hidden layers struck through."""

    DEFAULT_CSS = """
    Legend { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: dict[str, bool] = {key: True for key, _s, _l in LAYERS}
        self._places: list[tuple[int, int, int, str]] = []  # (line, x0, x1, layer)
        self.tooltip = "Highlight layers: press 1–6 or click a name to show or hide it"

    def set_layers(self, layers: Mapping[str, bool]) -> None:
        self.shown = {key: layers.get(key, True) for key, _s, _l in LAYERS}
        self.refresh(layout=True)

    def _items(self) -> list[tuple[str, Content]]:
        out = []
        for n, (key, short, _long) in enumerate(LAYERS, start=1):
            on = self.shown.get(key, True)
            out.append((key, Content.assemble(
                (str(n), "bold" if on else "$foreground-disabled"), " ",
                (short, LAYER_STYLE[key] if on else "strike $foreground-disabled"),
            )))
        return out

    def _lines(self, width: int) -> list[list[tuple[str, Content]]]:
        lines: list[list[tuple[str, Content]]] = [[]]
        used = 0
        self._places = []
        for key, item in self._items():
            w = cell_len(item.plain)
            if lines[-1] and used + GAP + w > width:
                lines.append([])
                used = 0
            x0 = used + (GAP if lines[-1] else 0)
            self._places.append((len(lines) - 1, x0, x0 + w, key))
            lines[-1].append((key, item))
            used = x0 + w
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self._lines(width))

    def render(self) -> Content:
        lines = self._lines(self.content_region.width or self.size.width or 80)
        return Content("\n").join(Content(" " * GAP).join(item for _k, item in line) for line in lines)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for line, x0, x1, key in self._places:
            if line == offset.y and x0 <= offset.x < x1:
                event.stop()
                self.post_message(LayerToggled(key))
                return
