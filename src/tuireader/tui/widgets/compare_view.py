"""Two versions side by side, passage rows aligned, drawn line by line.

Rows come from `presentation.passage_rows` (the passage pairs `Library.align` found): each row
holds a passage of each version and is as tall as the taller side, so a shared passage starts on
the same line on both sides. A blank line separates rows where either version starts a paragraph;
rows that continue a paragraph on both sides follow on directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip

from tuireader.model import Article
from tuireader.safety import printable
from tuireader.tui.presentation import (
    CompareRow,
    cell_len,
    display_text,
    fit_cells,
    paragraph_at,
    paragraph_spans,
    short_date,
    source_name,
    wrap_offsets,
)
from tuireader.tui.widgets.lines import LinesView

GUTTER = 3  # " │ " between the columns
SHARED_START = " ╋ "  # the first line of a shared passage: these two lines start the same passage
SHARED = " ┃ "


@dataclass
class Side:
    """One column: the article and the spans to paint in it (absolute offsets, component name)."""

    article: Article
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    label: str = ""  # the version's name (the Library's label); the outlet or file number if empty


class CompareView(LinesView, can_focus=True):
    COMPONENT_CLASSES = {
        "cmp--head",
        "cmp--sub",
        "cmp--rule",
        "cmp--shared-rule",
        "cmp--verbatim",
        "cmp--altered",
        "cmp--unquoted",
        "cmp--solo",
        "cmp--old",
        "cmp--new",
        "cmp--gap",
        "cmp--changed",
        "cmp--moved",
    }

    # Looks of the passage layers (the quote layers are in tuireader.tcss); theme colours only.
    DEFAULT_CSS = """
    CompareView > .cmp--changed {
        color: $text-accent;
        text-style: underline;
    }
    CompareView > .cmp--moved {
        color: $text-secondary;
        text-style: italic;
    }
    """

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.left: Side | None = None
        self.right: Side | None = None
        self.rows: list[CompareRow] = []
        self.row_first_line: list[int] = []
        # (left line, right line, gutter mark): "" between unrelated text, SHARED_START on the first
        # line of a shared row, SHARED on its other lines
        self._lines: list[tuple[Text | None, Text | None, str]] = []
        self._width = 0
        self.message = "Aligning the two versions…"

    def set_message(self, message: str) -> None:
        self.message = message
        self.left = self.right = None
        self.rows = []
        self._relayout()

    def set_data(self, left: Side, right: Side, rows: Sequence[CompareRow]) -> None:
        self.left, self.right, self.rows = left, right, list(rows)
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)

    @property
    def shared_rows(self) -> list[int]:
        return [i for i, r in enumerate(self.rows) if r.shared]

    def scroll_to_row(self, index: int) -> None:
        if 0 <= index < len(self.row_first_line):
            self.scroll_to(y=max(0, self.row_first_line[index] - 1), animate=False, immediate=True)

    def row_at_top(self) -> int:
        y = int(self.scroll_y)
        best = 0
        for i, first in enumerate(self.row_first_line):
            if first <= y + 1:
                best = i
        return best

    # --- layout -----------------------------------------------------------------------------------

    def _col_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, (width - GUTTER - 2) // 2)


    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        col = self._col_width()
        self._width = col
        lines: list[tuple[Text | None, Text | None, str]] = []
        self.row_first_line = []
        if self.left is None or self.right is None:
            lines.append((Text(self.message, style=self.layer_style("cmp--sub")), None, ""))
        else:
            lines.append((self._head(self.left, col), self._head(self.right, col), ""))
            lines.append((self._sub(self.left.article), self._sub(self.right.article), ""))
            lines.append((None, None, ""))
            left_paras = paragraph_spans(self.left.article.paragraphs)
            right_paras = paragraph_spans(self.right.article.paragraphs)
            gap: list[Text] = []  # nothing on this side: the row is as tall as the other side
            for index, row in enumerate(self.rows):
                starts = (
                    self._starts_paragraph(left_paras, row.left, row.left_span)
                    or self._starts_paragraph(right_paras, row.right, row.right_span)
                )
                if index and starts:
                    lines.append((None, None, ""))
                self.row_first_line.append(len(lines))
                lw = self._passage(self.left, left_paras, row.left, row.left_span, col) if row.left is not None else gap
                rw = (self._passage(self.right, right_paras, row.right, row.right_span, col)
                      if row.right is not None else gap)
                for k in range(max(len(lw), len(rw))):
                    mark = (SHARED_START if k == 0 else SHARED) if row.shared else ""
                    lines.append((lw[k] if k < len(lw) else None, rw[k] if k < len(rw) else None, mark))
            lines.append((None, None, ""))
        self._lines = lines
        self.set_virtual_size(Size(col * 2 + GUTTER + 2, len(lines)))
        self.refresh()

    def _head(self, side: Side, col: int) -> Text:
        title = side.label or source_name(side.article.outlet, side.article.id)
        return Text(fit_cells(title, col), style=self.layer_style("cmp--head"))

    def _sub(self, a: Article) -> Text:
        return Text(f"{short_date(a.published)} · {a.words} words · "
                    + printable(a.title, keep_newlines=False), style=self.layer_style("cmp--sub"))

    @staticmethod
    def _span(paras: Sequence[tuple[int, int]], index: int, span: tuple[int, int] | None) -> tuple[int, int]:
        return span if span is not None else paras[index]

    def _starts_paragraph(
        self, paras: Sequence[tuple[int, int]], index: int | None, span: tuple[int, int] | None
    ) -> bool:
        return index is not None and self._span(paras, index, span)[0] <= paras[index][0]

    def _passage(
        self, side: Side, paras: Sequence[tuple[int, int]], index: int, span: tuple[int, int] | None, col: int
    ) -> list[Text]:
        """The wrapped lines of one side of a row, with its spans painted; a paragraph break inside
        the passage (a pair that joins sentences of two paragraphs) shows as a blank line."""
        start, end = self._span(paras, index, span)
        text = side.article.text
        out: list[Text] = []
        for i in range(paragraph_at(paras, start), len(paras)):
            ps, pe = paras[i]
            if ps >= end:
                break
            s, e = max(start, ps), min(end, pe)
            if s >= e:
                continue
            if out:
                out.append(Text(""))
            piece = Text(display_text(text[s:e]), no_wrap=True, end="")
            for a, b, name in side.spans:
                a2, b2 = max(a, s), min(b, e)
                if a2 < b2:
                    piece.stylize(self.layer_style(name), a2 - s, b2 - s)
            out.extend(self._wrap(piece, col))
        return out or [Text("")]

    @staticmethod
    def _wrap(text: Text, width: int) -> list[Text]:
        return [text[s:e] for s, e in wrap_offsets(text.plain, width)]

    # --- painting ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.base_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        left, right, mark = self._lines[index]
        col = self._width
        segs: list[Segment] = [Segment(" ", base)]
        segs.extend(self._cell(left, col, base))
        if self.left is not None and index >= 3:
            rule = self.layer_style("cmp--shared-rule" if mark else "cmp--rule")
            segs.append(Segment(mark or " │ ", base + rule))
        else:
            segs.append(Segment(" " * GUTTER, base))
        segs.extend(self._cell(right, col, base))
        return Strip(segs).crop_extend(scroll_x, scroll_x + width, base)

    def _cell(self, text: Text | None, col: int, base: Style) -> list[Segment]:
        if text is None:
            return [Segment(" " * col, base)]
        if cell_len(text.plain) > col:
            text = text.copy()
            text.truncate(col, overflow="ellipsis")
        segs = list(Segment.apply_style(text.render(self.app.console), base))
        used = sum(cell_len(s.text) for s in segs)
        if used < col:
            segs.append(Segment(" " * (col - used), base))
        return segs
