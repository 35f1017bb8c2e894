"""The centre pane: one article's cleaned text with its highlights, drawn line by line.

A Line API widget rather than a stack of Statics because the reader needs exact mappings between
character offsets and screen cells: Tab scrolls to a highlight's line, `v` marks a passage at an
offset, a click lands on the highlight under the pointer. Wrapping is done here in cells
(presentation.wrap_offsets), so wide characters keep columns straight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip

from tuireader.model import Article, ArticleSummary
from tuireader.safety import printable
from tuireader.tui.messages import HighlightActivated, HighlightChosen
from tuireader.tui.presentation import (
    Highlight,
    cell_len,
    display_text,
    line_of_offset,
    offset_at_cell,
    paragraph_spans,
    short_date,
    source_name,
    tab_order,
    wrap_offsets,
)
from tuireader.tui.widgets.lines import LinesView

MEASURE = 92  # the longest comfortable line of prose, in cells
PAD = 2


@dataclass(slots=True)
class _Block:
    """A run of text laid out as one unit: the title, a paragraph, a caption."""

    text: str
    kind: str  # title | byline | note | para | caption-head | caption
    offset: int | None = None  # where the block starts in Article.text (paragraphs only)
    prefix: str = ""


class ArticleText(LinesView, can_focus=True):
    """Shows an article; knows nothing about the Library, only what the app hands it."""

    COMPONENT_CLASSES = {
        "article--title",
        "article--byline",
        "article--note",
        "article--caption",
        "article--caption-head",
        "hl--entity",
        "hl--verbatim",
        "hl--altered",
        "hl--unquoted",
        "hl--solo",
        "hl--discrepancy",
        "hl--cursor",
        "hl--mark",
    }

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("b", "page_up", "Page up", show=False),
    ]

    DEFAULT_CSS = """
    ArticleText { background: $surface; }
    """

    note: reactive[str] = reactive("", init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.summary: ArticleSummary | None = None
        self.highlights: list[Highlight] = []
        self.cursor: int | None = None
        self.mark: tuple[int, int] | None = None
        self._blocks: list[_Block] = []
        self._lines: list[tuple[int, int, int]] = []  # (block index or -1, start, end)
        self._block_first_line: list[int] = []
        self._block_lines: list[list[tuple[int, int]]] = []
        self._texts: dict[int, Text] = {}
        self._layout_width = 0
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._generation = 0
        self._para_spans: list[tuple[int, int]] = []

    # --- what to show -----------------------------------------------------------------------------
    def show_article(
        self,
        article: Article | None,
        summary: ArticleSummary | None = None,
        *,
        note: str = "",
        placeholder: str = "",
        highlights: Sequence[Highlight] = (),
        mark: tuple[int, int] | None = None,
    ) -> None:
        """Replace the article (with its highlights when already known), scrolled to `mark` or the top."""
        self.article = article
        self.summary = summary
        self.highlights = list(highlights)
        self.cursor = None
        self.mark = None
        self.set_reactive(ArticleText.note, note)
        self._build_blocks(placeholder)
        self.scroll_to(0, 0, animate=False, immediate=True)
        if mark is not None:
            self.set_mark(*mark)

    def set_highlights(self, highlights: Sequence[Highlight], *, note: str = "") -> None:
        keep = self.highlights[self.cursor] if self.cursor is not None and self.cursor < len(self.highlights) else None
        self.highlights = list(highlights)
        self.cursor = None
        if keep is not None:
            for i, h in enumerate(self.highlights):
                if (h.start, h.end, h.kind) == (keep.start, keep.end, keep.kind):
                    self.cursor = i
                    break
        if note != self.note:
            self.set_reactive(ArticleText.note, note)
            self._build_blocks()  # the note is a block of its own: lines move
        else:
            self._restyle()

    def watch_note(self) -> None:
        self._build_blocks()

    def set_mark(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Mark a passage (where a jump or a search landed) and bring it into view."""
        self.mark = (start, end)
        for i, h in enumerate(self.highlights):
            if h.start <= start < h.end or start <= h.start < end:
                self.cursor = i
                break
        self._restyle()
        if scroll:
            self.scroll_to_offset(start)

    def move_cursor(self, step: int) -> Highlight | None:
        """Tab / Shift+Tab: the next or previous highlight, starting from what is on screen."""
        stops = tab_order(self.highlights)
        if not stops:
            return None
        if self.cursor is None or self.cursor not in stops:
            # From what is on screen: the first quote or difference below the top (names come
            # after every quote and difference, so they are not what Tab reaches first).
            top = self._offset_at_line(int(self.scroll_y)) if self.cursor is None else self.highlights[self.cursor].start
            lead = [i for i in stops if self.highlights[i].kind != "entity"] or stops
            if step > 0:
                idx = next((i for i in lead if self.highlights[i].start >= top), lead[0])
            else:
                idx = next((i for i in reversed(lead) if self.highlights[i].start < top), lead[-1])
        else:
            idx = stops[(stops.index(self.cursor) + step) % len(stops)]
        self.select(idx)
        return self.highlights[idx]

    def select(self, index: int | None, *, scroll: bool = True) -> None:
        self.cursor = index
        self._restyle()
        if index is not None and scroll:
            self.scroll_to_offset(self.highlights[index].start)
        self.post_message(HighlightChosen(index))

    @property
    def current(self) -> Highlight | None:
        if self.cursor is None or self.cursor >= len(self.highlights):
            return None
        return self.highlights[self.cursor]

    def scroll_to_offset(self, offset: int, *, animate: bool = False) -> None:
        """Scroll so the line holding article offset `offset` sits a third of the way down."""
        line = self.line_of_article_offset(offset)
        if line is None:
            return
        if not self.size.height:
            self.call_after_refresh(self.scroll_to_offset, offset)
            return
        top = self.scroll_y
        if top <= line < top + self.size.height - 2 and line >= top + 1:
            return
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=animate, immediate=not animate)

    def line_of_article_offset(self, offset: int) -> int | None:
        self._ensure_layout()
        for bi, block in enumerate(self._blocks):
            if block.kind != "para" or block.offset is None:
                continue
            if block.offset <= offset <= block.offset + len(block.text):
                return self._block_first_line[bi] + line_of_offset(self._block_lines[bi], offset - block.offset)
        return None

    def visible_offset(self) -> int:
        """The article offset at the top of the view: what the saved position points at."""
        return self._offset_at_line(int(self.scroll_y))

    def _offset_at_line(self, y: int) -> int:
        self._ensure_layout()
        if y <= 0:
            return 0
        for line in self._lines[y:]:
            bi, start, _end = line
            if bi >= 0 and self._blocks[bi].kind == "para":
                return (self._blocks[bi].offset or 0) + start
        return 0

    # --- layout -----------------------------------------------------------------------------------
    def _build_blocks(self, placeholder: str = "") -> None:
        blocks: list[_Block] = []
        a = self.article
        if a is None:
            if placeholder:
                blocks.append(_Block(placeholder, "note"))
        else:
            blocks.append(_Block(printable(a.title, keep_newlines=False) or "(untitled)", "title"))
            label = self.summary.label if self.summary is not None and self.summary.id == a.id else ""
            byline = [label or source_name(a.outlet, a.id), short_date(a.published)]
            if a.authors:
                byline.append("by " + printable(", ".join(a.authors), keep_newlines=False))
            byline.append(f"{a.words} words · {a.reading_minutes} min")
            blocks.append(_Block(" · ".join(byline), "byline"))
            if self.note:
                blocks.append(_Block(self.note, "note"))
            self._para_spans = paragraph_spans(a.paragraphs)
            for (start, _end), para in zip(self._para_spans, a.paragraphs, strict=True):
                blocks.append(_Block(display_text(para), "para", offset=start))
            if a.captions:
                blocks.append(_Block("Captions", "caption-head"))
                for cap in a.captions:
                    blocks.append(_Block(printable(cap, keep_newlines=False), "caption", prefix="▏ "))
        self._blocks = blocks
        self._layout_width = 0
        self._texts.clear()
        self._generation += 1
        self._line_cache.clear()
        self._ensure_layout()
        self.refresh()

    def _measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(MEASURE, width - 2 * PAD))

    def _ensure_layout(self) -> None:
        width = self._measure()
        if width == self._layout_width and self._lines:
            return
        self._layout_width = width
        lines: list[tuple[int, int, int]] = []
        self._block_first_line = []
        self._block_lines = []
        for bi, block in enumerate(self._blocks):
            if bi and block.kind not in ("byline", "caption"):
                lines.append((-1, 0, 0))
            wrapped = wrap_offsets(block.text, width - cell_len(block.prefix))
            self._block_first_line.append(len(lines))
            self._block_lines.append(wrapped)
            lines.extend((bi, s, e) for s, e in wrapped)
        lines.append((-1, 0, 0))
        self._lines = lines
        self._line_cache.clear()
        self._generation += 1
        self.set_virtual_size(Size(width + 2 * PAD, len(lines)))

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()

    def notify_style_update(self) -> None:
        """Theme changed: component styles resolve to new colours."""
        super().notify_style_update()
        self._restyle()

    def _restyle(self) -> None:
        self._texts.clear()
        self._line_cache.clear()
        self._generation += 1
        self.refresh()

    # --- painting ---------------------------------------------------------------------------------

    def _block_text(self, bi: int) -> Text:
        text = self._texts.get(bi)
        if text is not None:
            return text
        block = self._blocks[bi]
        base = {
            "title": "article--title",
            "byline": "article--byline",
            "note": "article--note",
            "caption": "article--caption",
            "caption-head": "article--caption-head",
        }.get(block.kind)
        text = Text(block.text, style=self.layer_style(base) if base else "", no_wrap=True, end="")
        if block.kind == "para" and block.offset is not None:
            self._paint_spans(text, block.offset)
        self._texts[bi] = text
        return text

    def _paint_spans(self, text: Text, offset: int) -> None:
        end_of_block = offset + len(text.plain)

        def paint(start: int, end: int, style: Style) -> None:
            s, e = max(start, offset), min(end, end_of_block)
            if s < e:
                text.stylize(style, s - offset, e - offset)

        # Quotes first (backgrounds), then facts and names on top, then cursor and mark.
        for layer in ("verbatim", "altered", "unquoted", "solo", "discrepancy", "entity"):
            style = self.layer_style(f"hl--{layer}")
            for h in self.highlights:
                if h.kind == layer:
                    paint(h.start, h.end, style)
        if self.mark is not None:
            paint(self.mark[0], self.mark[1], self.layer_style("hl--mark"))
        cur = self.current
        if cur is not None:
            paint(cur.start, cur.end, self.layer_style("hl--cursor"))

    def render_line(self, y: int) -> Strip:
        self._ensure_layout()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        key = (index, scroll_x, width, self._generation, self.selection_span(index))
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        base = self.base_style
        if index >= len(self._lines):
            strip = Strip.blank(width, base)
        else:
            bi, start, end = self._lines[index]
            lead: list[Segment] = [Segment(" " * PAD, base)]
            body: list[Segment] = []
            if bi >= 0:
                block = self._blocks[bi]
                if block.prefix:
                    lead.append(Segment(block.prefix, base + self.layer_style("article--caption-head")))
                line = self._block_text(bi)[start:end]
                body = list(Segment.apply_style(line.render(self.app.console), base))
            strip = Strip(self.selectable(lead, body, index)).crop_extend(scroll_x, scroll_x + width, base)
        self._line_cache[key] = strip
        return strip

    # --- selecting text with the mouse --------------------------------------------------------------
    def selection_size(self) -> int:
        self._ensure_layout()
        return len(self._lines)

    def selection_line(self, index: int) -> tuple[str, str]:
        """A screen line's text; a wrapped paragraph's lines join with the spaces the wrap took."""
        bi, start, end = self._lines[index]
        if bi < 0:
            return "", "\n"
        text = self._blocks[bi].text
        following = self._lines[index + 1] if index + 1 < len(self._lines) else (-1, 0, 0)
        join = text[end:following[1]] if following[0] == bi else "\n"
        return text[start:end], join

    # --- mouse ------------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if self.text_selection is not None:
            return  # the end of a drag that selected text, not a click on a highlight
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if not (0 <= index < len(self._lines)):
            return
        bi, start, end = self._lines[index]
        if bi < 0 or self._blocks[bi].kind != "para":
            return
        block = self._blocks[bi]
        x = int(self.scroll_x) + offset.x - PAD
        if x < 0:
            return
        local = offset_at_cell(block.text, start, end, x)
        if local >= end:
            return
        at = (block.offset or 0) + local
        under = [i for i, h in enumerate(self.highlights) if h.start <= at < h.end]
        if under:
            # The innermost span wins: a name inside a quote is picked over the quote.
            best = min(under, key=lambda i: self.highlights[i].end - self.highlights[i].start)
            event.stop()
            if best == self.cursor:
                self.post_message(HighlightActivated())
            else:
                self.select(best, scroll=False)
