"""The left pane: the library by story, then each story's versions (outlet, date, badge, title).

A Line API widget so that a library of 10,000 articles costs the same to paint as one of five:
only the visible rows are ever rendered. Rows are fitted in terminal cells, so wide characters
and emoji in titles never push the columns out of line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from tuireader.model import ArticleSummary
from tuireader.safety import printable
from tuireader.tui.messages import ArticleChosen
from tuireader.tui.presentation import (
    SortMode,
    StoryGroup,
    cell_len,
    fit_cells,
    group_stories,
    short_date,
    source_name,
)
from tuireader.tui.widgets.lines import LinesView

PREVIEW_DELAY = 0.12  # seconds the cursor rests on a row before that version is shown
COMPACT_BELOW = 34  # row widths (cells) under which the date goes to the title's line


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str  # "story" or "article"
    group: StoryGroup
    summary: ArticleSummary | None = None


class ArticleList(LinesView, can_focus=True):
    """Stories with their versions. Moving the cursor previews a version; Enter opens it to read."""

    ALLOW_SELECT = False  # a click or a drag picks a row; text is selected in the text and info panes

    class NearEnd(Message):
        """The list is showing (or the cursor is near) the last rows it holds: time for the next page."""

    COMPONENT_CLASSES = {
        "list--story",
        "list--outlet",
        "list--date",
        "list--title",
        "list--badge",
        "list--cursor",
        "list--open",
        "list--empty",
        "list--unread",
        "list--new",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, tooltip="Up the list (the version shows as you rest)"),
        Binding("down,j", "cursor(1)", "Down", show=False, tooltip="Down the list"),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "open", "Open", show=False, tooltip="Open the version to read (moves to the text)"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort: SortMode = "date"
        self.groups: list[StoryGroup] = []
        self.items: list[_Item] = []
        self.lines: list[tuple[int, int]] = []  # (item index, line within item)
        self.first_line: list[int] = []
        self.selectable: list[int] = []  # item indexes of article rows, in order
        self.position: dict[str, int] = {}  # article id -> item index
        self.cursor: int | None = None  # item index
        self.open_id: str | None = None
        self.badges: dict[str, int] = {}
        self.read: frozenset[str] = frozenset()  # ids the user has read (everything else: unread)
        self.new: frozenset[str] = frozenset()  # ids the last scan brought
        self.empty_message = "Loading the library…"
        self.more = False  # the library holds older stories than these (the list is paged)
        self._asked_more = -1  # the generation for which NearEnd was posted
        self._summaries: list[ArticleSummary] = []
        self._cache: LRUCache[tuple, Strip] = LRUCache(512)
        self._generation = 0
        self._rank: dict[int, int] = {}  # item index -> position among selectable rows
        self._preview_timer: Timer | None = None

    # --- data -------------------------------------------------------------------------------------
    def set_articles(self, summaries: Iterable[ArticleSummary], *, sort: SortMode | None = None,
                     more: bool | None = None) -> None:
        """Replace the rows (after a scan, or with a page more); the cursor stays on the same
        article when it still exists. `more`: the library holds older stories than these (a last
        line says so, and showing it asks for the next page)."""
        keep = self.cursor_id
        if more is not None:
            self.more = more
        self._summaries = list(summaries)
        if sort is not None:
            self.sort = sort
        self.groups = group_stories(self._summaries, self.sort)
        items: list[_Item] = []
        for g in self.groups:
            if len(g.versions) > 1:
                items.append(_Item("story", g))
            items.extend(_Item("article", g, s) for s in g.versions)
        self.items = items
        lines: list[tuple[int, int]] = []
        self.first_line = []
        self.selectable = []
        self.position = {}
        for i, item in enumerate(items):
            self.first_line.append(len(lines))
            if item.kind == "story":
                lines.append((i, 0))
            else:
                self.selectable.append(i)
                self.position[item.summary.id] = i  # type: ignore[union-attr]
                lines.extend(((i, 0), (i, 1)))
        self.lines = lines
        self._rank = {item: k for k, item in enumerate(self.selectable)}
        self.set_virtual_size(Size(0, len(lines) + (1 if self.more and lines else 0)))
        self.cursor = None
        if keep and keep in self.position:
            self.cursor = self.position[keep]
        elif self.selectable:
            self.cursor = self.selectable[0]
        self._invalidate()

    @property
    def summaries(self) -> list[ArticleSummary]:
        """The articles the list was last given (before grouping)."""
        return self._summaries

    def set_sort(self, sort: SortMode) -> None:
        self.set_articles(self._summaries, sort=sort)
        self.scroll_cursor_visible()

    def set_badges(self, badges: Mapping[str, int]) -> None:
        self.badges.update(badges)
        self._invalidate()

    def set_open(self, article_id: str | None) -> None:
        self.open_id = article_id
        if article_id in self.position:
            self.cursor = self.position[article_id]
            self.scroll_cursor_visible()
        self._invalidate()

    def set_reading(self, read: frozenset[str], new: frozenset[str] | None = None) -> None:
        """The read (and new) articles, as the Library keeps them: unread dots, counts, markers."""
        self.read = read
        if new is not None:
            self.new = new
        self._invalidate()

    def unread_in(self, group: StoryGroup) -> int:
        return sum(1 for s in group.versions if s.id not in self.read)

    def next_unread(self, from_id: str | None, step: int = 1, *, wrap: bool = True) -> str | None:
        """The next (or previous) unread version in list order after `from_id`, wrapping round
        (`wrap` False: not past the end of the rows the list holds)."""
        order = [self.items[i].summary.id for i in self.selectable]  # type: ignore[union-attr]
        if not order:
            return None
        start = order.index(from_id) if from_id in order else (-1 if step > 0 else 0)
        for k in range(1, len(order) + 1):
            at = start + k * step
            if not wrap and not (0 <= at < len(order)):
                return None
            candidate = order[at % len(order)]
            if candidate not in self.read and candidate != from_id:
                return candidate
        return None

    def set_empty_message(self, message: str) -> None:
        self.empty_message = message
        self._invalidate()

    @property
    def cursor_id(self) -> str | None:
        if self.cursor is None or self.cursor >= len(self.items):
            return None
        s = self.items[self.cursor].summary
        return s.id if s else None

    def story_versions(self, article_id: str) -> list[str]:
        """The versions of the article's story, in the order the list shows them."""
        i = self.position.get(article_id)
        if i is None:
            return []
        return [s.id for s in self.items[i].group.versions]

    def summary_of(self, article_id: str) -> ArticleSummary | None:
        """The row of one version the list shows (None when it is not listed)."""
        i = self.position.get(article_id)
        return self.items[i].summary if i is not None else None

    def group_of(self, article_id: str) -> StoryGroup | None:
        i = self.position.get(article_id)
        return self.items[i].group if i is not None else None

    # --- moving -----------------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        if not self.selectable:
            return
        if self.cursor is None:
            self.cursor = self.selectable[0]
        else:
            k = self._rank.get(self.cursor, 0)
            k = max(0, min(len(self.selectable) - 1, k + step))
            self.cursor = self.selectable[k]
        self.scroll_cursor_visible()
        self._invalidate()
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        """Show the version under the cursor once the cursor rests (holding j stays cheap)."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._preview)

    def _preview(self) -> None:
        self._preview_timer = None
        aid = self.cursor_id
        if aid and aid != self.open_id:
            self.post_message(ArticleChosen(aid, focus_text=False))

    def action_page(self, direction: int) -> None:
        rows = max(1, self.size.height // 2)
        self.action_cursor(direction * rows)

    def action_edge(self, last: int) -> None:
        if self.selectable:
            self.cursor = self.selectable[-1 if last else 0]
            self.scroll_cursor_visible()
            self._invalidate()
            self._schedule_preview()

    def action_open(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        aid = self.cursor_id
        if aid:
            self.post_message(ArticleChosen(aid))

    def scroll_cursor_visible(self) -> None:
        if self.cursor is None or not self.first_line:
            return
        first = self.first_line[self.cursor]
        # Show a story's header with its first version.
        if self.cursor > 0 and self.items[self.cursor - 1].kind == "story":
            first -= 1
        last = self.first_line[self.cursor] + 1
        height = self.size.height or 1
        if first < self.scroll_y:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= self.scroll_y + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if not (0 <= index < len(self.lines)):
            return
        item_index, _ = self.lines[index]
        item = self.items[item_index]
        if item.kind == "story":
            item_index += 1
            item = self.items[item_index]
        self.cursor = item_index
        self._invalidate()
        if item.summary is not None:
            self.post_message(ArticleChosen(item.summary.id, focus_text=False))

    # --- painting ---------------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._cache.clear()
        self._generation += 1
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()

    def _relayout(self) -> None:
        """Resized (a bar came or went below, the terminal changed): the cursor's row stays in view."""
        if self.size.height:
            self.scroll_cursor_visible()

    def _c(self, *names: str) -> Style:
        """The row's classes over the widget's background, blended (see `LinesView.stacked_style`)."""
        return self.base_style + self.stacked_style(*names)

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_y)
        index = scroll_y + y
        if self.more and self._asked_more != self._generation and index >= len(self.lines) - self.size.height:
            self._asked_more = self._generation  # once per change of the rows: the screen reads a page
            self.post_message(self.NearEnd())
        width = self.scrollable_content_region.width
        key = (index, width, self._generation, self.has_focus)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = self.base_style
        if not self.lines:
            strip = Strip([Segment(fit_cells(" " + self.empty_message, width), self._c("list--empty"))]) \
                if y == 0 else Strip.blank(width, base)
        elif index >= len(self.lines):
            if index == len(self.lines) and self.more:
                strip = Strip([Segment(fit_cells(" Older stories load as you scroll…", width), self._c("list--empty"))])
            else:
                strip = Strip.blank(width, base)
        else:
            item_index, sub = self.lines[index]
            strip = Strip(self._render_item_line(self.items[item_index], item_index, sub, width, base))
            strip = strip.crop_extend(0, width, base)
        self._cache[key] = strip
        return strip

    def _render_item_line(self, item: _Item, item_index: int, sub: int, width: int, base: Style) -> list[Segment]:
        if item.kind == "story":
            g = item.group
            unread = self.unread_in(g)
            count = f" {len(g.versions)} versions" + (f" ●{unread} " if unread else " ")
            title = fit_cells(" " + printable(g.title, keep_newlines=False), max(1, width - cell_len(count)))
            return [Segment(title, self._c("list--story")), Segment(count, self._c("list--story", "list--date"))]
        s = item.summary
        assert s is not None
        # The open row's accent sits under each part's own colour; the cursor goes on top of both.
        under = ("list--open",) if s.id == self.open_id else ()
        over = ("list--cursor",) if item_index == self.cursor else ()

        def part(*names: str) -> Style:
            return self._c(*under, *names, *over)

        row = part()
        is_open = bool(under)
        indent = "  " if len(item.group.versions) > 1 else ""
        unread = s.id not in self.read
        marker = "▶ " if is_open else ("● " if unread else "  ")
        # A narrow list (80 columns: 30 cells for a row) moves the date down beside the title, so
        # the outlet keeps the first line's width (it was cut to ten characters).
        compact = width < COMPACT_BELOW
        if sub == 0:
            badge_n = self.badges.get(s.id)
            badge = f" ⇄{badge_n}" if badge_n else ""
            new = " new" if s.id in self.new else ""
            revised = f" ✎{s.revisions - 1}" if s.revisions > 1 else ""  # revised N times since first stored
            date = "" if compact else " " + short_date(s.published)
            outlet_w = max(1, width - cell_len(indent + marker) - cell_len(date) - cell_len(new) - cell_len(badge)
                           - cell_len(revised) - 1)  # fmt: skip
            outlet = fit_cells(s.label or source_name(s.outlet, s.id), outlet_w)
            segs = [
                Segment(indent, row),
                Segment(marker, part("list--unread") if unread and not is_open else row),
                Segment(outlet, part("list--outlet")),
            ]
            if date:
                segs.append(Segment(date, part("list--date")))
            if revised:
                segs.append(Segment(revised, part("list--date")))
            if new:
                segs.append(Segment(new, part("list--new")))
            if badge:
                segs.append(Segment(badge, part("list--badge")))
            segs.append(Segment(" " * (width - sum(cell_len(sg.text) for sg in segs)), row))
            return segs
        date = short_date(s.published) + " " if compact else ""
        title_w = max(1, width - cell_len(indent) - 4 - cell_len(date))
        title = fit_cells(printable(s.title, keep_newlines=False) or "(untitled)", title_w)
        segs = [Segment(indent + "    ", row)]
        if date:
            segs.append(Segment(date, part("list--date")))
        return [*segs, Segment(title, part("list--title"))]
