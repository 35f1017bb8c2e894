"""The reader's main screen: list, text, metadata; every version-to-version move starts here.

All Library calls that may touch the disk or run the analysis happen in thread workers; their
results come back with `call_from_thread` and are dropped when the user has moved on meanwhile.
The article text is shown as soon as it is read; highlights and the metadata pane's links arrive
when the Library's analysis of the story does.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from tuireader.filters import FilterError, ListFilter, apply_filter, parse_filter
from tuireader.model import Article, ArticleSummary, ArticleView, SearchHit
from tuireader.safety import printable
from tuireader.tui.messages import (
    ArticleChosen,
    HighlightActivated,
    HighlightChosen,
    JumpRequested,
    LayerToggled,
)
from tuireader.tui.presentation import (
    LAYER_KEYS,
    LAYERS,
    Highlight,
    Target,
    build_highlights,
    plural,
    shared_quote_count,
    source_name,
    visible_highlights,
)
from tuireader.tui.screens.corrections import StoryCorrections
from tuireader.tui.widgets.article_list import ArticleList
from tuireader.tui.widgets.article_text import ArticleText
from tuireader.tui.widgets.filter_bar import FilterBar
from tuireader.tui.widgets.legend import Legend
from tuireader.tui.widgets.meaning import MeaningBar
from tuireader.tui.widgets.meta_pane import MetaPane
from tuireader.tui.widgets.status import HOLD_SECONDS, StatusBar

if TYPE_CHECKING:
    from tuireader.library import Library
    from tuireader.tui.app import ReaderApp
    from tuireader.tui.state import ReaderState


#: How many multi-version stories (the open one, then the newest) are linked in the background at
#: start-up. Older stories are linked when opened: analysing a whole large library up front would
#: keep the CPU busy for hours.
BACKGROUND_STORIES = 100
#: Stories painted at start-up from the catalog's first page (a screen or two of rows).
FIRST_PAGE_STORIES = 60
#: Stories read from the catalog each time the list nears the end of what it has: the list is
#: paged, so neither the first paint nor the memory the list holds grows with the library.
PAGE_STORIES = 200


@dataclass
class _JumpChain:
    """Repeated `v` presses walk this list of passages (the origin comes last, closing the loop)."""

    stops: list[Target]
    index: int = 0

    @property
    def here(self) -> Target:
        return self.stops[self.index % len(self.stops)]


def _throttled(report: Callable[[int, int, str], object], interval: float = 0.1) -> Callable[[int, int, str], None]:
    """A progress callback passing on at most one report per `interval` (and always the last).

    Each report crosses to the UI thread and waits for it, so a scan of 10,000 files would
    otherwise spend its time updating the status line.
    """
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= interval:
            last[0] = now
            report(done, total, what)

    return progress


#: The name of the threads `_quittable` runs Library calls on (app.run_reader does not close the
#: Library under one still running).
LIBRARY_THREAD = "tuireader-library"


def _quittable(closing: threading.Event, call: Callable, *args: object, **kwargs: object) -> object:
    """`call(*args, **kwargs)` for a thread worker, run on a daemon thread of its own and waited
    for until it returns, or until the reader quits (the worker is cancelled, or `closing` is set):
    then the worker gives up at once (asyncio.CancelledError), rather than holding the exit while a
    scan, a story's linking or the decoding of its links finishes (10 s at 100,000 articles).

    What such a call leaves unfinished is safe to drop: the catalog and indexes change in
    transactions and files are written atomically, so the next start resumes the work."""
    worker = get_current_worker()
    box: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the worker, which says it
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name=LIBRARY_THREAD, daemon=True).start()
    while not done.wait(0.05):
        if worker.is_cancelled or closing.is_set():
            raise asyncio.CancelledError("the reader is closing")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def _slug(title: str) -> str:
    """A file-name-safe short form of a title: letters and digits, dashes between, 60 at most."""
    import re

    words = re.findall(r"[^\W_]+", title.lower())
    return "-".join(words)[:60].strip("-") or "story"


def _one_line(exc: BaseException) -> str:
    from tuireader.fsutil import describe_os_error

    text = describe_os_error(exc) if isinstance(exc, OSError) and exc.errno else str(exc)
    text = printable(text, keep_newlines=False) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


class MainScreen(StoryCorrections, Screen):
    """List | text | metadata, a legend of highlight layers, a status line and the key footer."""

    BINDINGS = [
        Binding("slash", "search", "Search", tooltip="Search quotes and passages in every outlet"),
        Binding("n,right_square_bracket", "version(1)", "Next", key_display="n",
                tooltip="Next version of this story"),
        Binding("p,left_square_bracket", "version(-1)", "Prev", key_display="p",
                tooltip="Previous version of this story"),
        Binding("tab", "highlight(1)", "Next highlight", priority=True, show=False,
                tooltip="Next highlight (quote, name or differing fact) in the text"),
        Binding("shift+tab", "highlight(-1)", "Prev highlight", priority=True, show=False,
                tooltip="Previous highlight in the text"),
        Binding("v", "jump", "Jump", tooltip="Same passage in the next version carrying it (repeat: next outlet)"),
        Binding("c", "compare", "Compare", tooltip="Compare this version with another, side by side"),
        Binding("d", "revisions", "Revisions", show=False,
                tooltip="What changed between two revisions of a version its outlet edited (✎); read an older one"),
        Binding("s", "sort", "Sort", show=False, tooltip="Sort versions by date or by outlet"),
        Binding("i", "toggle_meta", "Info", show=False, tooltip="Show or hide the info pane"),
        Binding("escape", "focus_list", "List", show=False, tooltip="Back to the list"),
        Binding("r,R", "refresh", "Refresh", show=False, tooltip="Fetch subscribed feeds, then rescan the folder"),
        Binding("o", "open_url", "Browser", show=False,
                tooltip="Open the article's web address in a browser (without one: show and copy it)"),
        Binding("N", "next_unread(1)", "Unread", key_display="N", show=False,
                tooltip="Open the next unread article (any story)"),
        Binding("P", "next_unread(-1)", "Prev unread", show=False, tooltip="Open the previous unread article"),
        Binding("m", "toggle_read", "Read/unread", show=False, tooltip="Mark the open article read or unread"),
        Binding("A", "mark_story_read", "All read", show=False,
                tooltip="Mark every version of the open story read"),
        Binding("t", "coverage", "Coverage", show=False,
                tooltip="The story's coverage: who published when, who was first, how much each shares"),
        Binding("e", "export", "Export", show=False,
                tooltip="Write the open story's comparison as Markdown and HTML (versions, quotes, differences)"),
        Binding("f", "filter", "Filter", show=False,
                tooltip="Filter the list: outlet:, feed:, since:, until:, unread, outlets:N, words"),
        Binding("w", "next_view", "Views", show=False,
                tooltip="The next saved view (config.toml [views.NAME]), then everything again"),
        Binding("y,ctrl+c", "copy", "Copy", show=False,
                tooltip="Copy the text selected with the mouse, else the selected quote or passage (with "
                "speaker, outlet and address), else the address"),
        # Corrections to stories (tui/screens/corrections.py)
        Binding("M", "move_version", "Move", show=False, tooltip="Move the open version to another story, or to one of its own"),
        Binding("S", "split_story", "Split", show=False, tooltip="Split the open story: the versions you tick leave it"),
        Binding("J", "merge_story", "Merge", show=False, tooltip="Merge (join) the open story with another story"),
        Binding("U", "undo_correction", "Undo", show=False, tooltip="Take back the latest move, split or merge"),
        *[
            Binding(str(n), f"toggle_layer('{key}')", f"Layer {short}", show=False,
                    tooltip=f"Show or hide highlights: {long}")
            for n, (key, short, long) in enumerate(LAYERS, start=1)
        ],
    ]

    #: Widths (columns) from which the narrow (list | text) and wide (list | text | info) layouts
    #: apply; below NARROW_FROM one pane shows at a time, since beside a 32-column list the text
    #: would get too few columns to read (under ~40).
    NARROW_FROM = 72
    WIDE_FROM = 110

    def __init__(self, library: Library, state: ReaderState, *, background_analysis: bool = True) -> None:
        super().__init__(id="main")
        self.library = library
        self.state = state
        self.background_analysis = background_analysis
        self.current_id: str | None = None
        self.current_article: Article | None = None
        self.current_view: ArticleView | None = None
        self.view_error: str | None = None
        self.all_highlights: list[Highlight] = []
        self.shown_layers: dict[str, bool] = dict(state.layers)
        self._views: dict[str, ArticleView] = {}
        self._story_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._jump: _JumpChain | None = None
        self._pending_mark: tuple[int, int] | None = None
        self._pending_offset: int | None = None
        self._analysed: set[str] = set()
        self._names: dict[str, str] | None = None
        self._palette_entries: tuple | None = None  # (groups, entries), see commands.StoryCommands
        self._revision_lines: dict[str, str] = {}  # older revision read (screens/revisions.py) -> its info line
        self._latest_of: dict[str, str] = {}  # older revision read -> the latest, which the list shows
        self._views_wanted = 0
        self.scanned = False  # the first scan has finished (or failed)
        self.pane_layout = ""  # "single", "narrow" or "wide", from the terminal's width
        self._meta_single = False  # the info pane in place of the text (one pane layout; not saved)
        self._reading_warned = False  # the reading state could not be saved: said once
        self.list_filter = ListFilter()
        self._all_summaries: list[ArticleSummary] = []  # the pages read so far, before the filter
        self._by_id: dict[str, ArticleSummary] = {}
        self._loaded: set[str] = set()  # story ids of the pages read so far
        self._next_offset: int | None = 0  # where the next page starts in the catalog (None: all read)
        self._total = 0  # articles in the catalog (the list holds only the pages read)
        self._pages = 0  # bumped when the list is read again from the top: a page in flight is dropped
        self._after_page: list[Callable[[], None]] = []  # to do once the page being read is shown
        self._page_busy = False  # a page is being read
        self._page_stories = PAGE_STORIES  # the next page's size: doubles while a filter keeps little
        self._feeds: dict[str, str] | None = None  # article id -> its feed (Library.article_feeds), once asked
        self.view_name: str | None = None  # the saved view in force (config.toml [views.NAME])
        self._refresh_timer = None
        self._refresh_thread: threading.Thread | None = None
        self._refresh_cancel = threading.Event()  # set when the reader closes
        self._started_refresh = False  # [refresh] on_start done
        # What the last scan said (and its style): background work that ends puts it back rather
        # than replacing it, so a list of unreadable files stays readable.
        self._scan_message: tuple[str, str] = ("", "")

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    # --- composition ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield ArticleList(id="list")
            with Vertical(id="centre"):
                yield Legend(id="legend")
                yield ArticleText(id="text")
                # Under the text it explains, not under every pane: across the screen it took the
                # list's last rows (and their ⇄ badges) each time Tab selected a highlight.
                yield MeaningBar(id="meaning")
            yield MetaPane(id="meta")
        yield FilterBar(id="filter-bar")
        yield StatusBar(id="status")
        yield Footer()

    @cached_property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @cached_property
    def text(self) -> ArticleText:
        return self.query_one(ArticleText)

    @cached_property
    def meta(self) -> MetaPane:
        return self.query_one(MetaPane)

    @cached_property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.query_one(Legend).set_layers(self.shown_layers)
        self.apply_layout(self.app.size.width)
        # First paint: the newest stories the catalog knows (and the one read last), read through
        # its indexes so it costs the same whatever the library's size; the whole list follows
        # when the scan has run. No heavy imports.
        next_offset: int | None = None
        total = 0
        try:
            known, next_offset, total = self.library.list_page(
                FIRST_PAGE_STORIES, 0, (), [self.state.article] if self.state.article else [])
        except Exception as exc:  # a damaged catalog must not stop the reader: the scan rebuilds it
            known = []
            self.status.say(f"catalog unreadable, rebuilding: {_one_line(exc)}")
        if total > len(known):
            self.status.say(f"{plural(total, 'article')}: the newest stories first, more as you scroll…")
        self.query_one(FilterBar).display = False
        self.article_list.sort = "outlet" if self.state.sort == "outlet" else "date"
        self.show_summaries(known, next_offset=next_offset, total=total)
        try:
            self.article_list.set_reading(self.library.read_ids(), self.library.new_ids())
        except Exception as exc:  # noqa: BLE001 - read state is a comfort, never a reason not to open
            self.status.say(f"reading state unreadable: {_one_line(exc)}")
        if self.article_list.display:
            self.article_list.focus()
        else:
            self.text.focus()
        if known:
            self._open_initial()
        else:
            self.article_list.set_empty_message("Scanning the library folder…")
            self.text.show_article(None, placeholder="Scanning the library folder…")
        self.scan_library()
        self.status.follow_notices(lambda: self.library.notices)  # cache files rebuilt: said, held

    def _open_initial(self) -> None:
        """Reopen the last article at its position, else the first one in the list."""
        target = self.state.article if self.state.article in self.article_list.position else None
        if target:
            self._pending_offset = self.state.offset
            self.open_article(target, focus_text=False, read=False)
        elif self.article_list.cursor_id:
            self.open_article(self.article_list.cursor_id, focus_text=False, read=False)

    # --- layout -----------------------------------------------------------------------------------
    def layout_for(self, width: int) -> str:
        if width >= self.WIDE_FROM:
            return "wide"
        return "narrow" if width >= self.NARROW_FROM else "single"

    def meta_wanted(self) -> bool:
        """Whether the info pane shows in the current layout (each layout has its own choice)."""
        if self.pane_layout == "wide":
            return self.state.meta_wide is not False
        if self.pane_layout == "narrow":
            return self.state.meta_narrow is True
        return self._meta_single

    def apply_layout(self, width: int | None = None) -> None:
        """Show the panes the width and the reader's choices call for; the focus never stays hidden.

        Wide: list | text | info (`i` hides the info). Narrow: list | text (`i` puts the info pane in
        place of the list). Single: the focused pane alone, the list or the text (`i`: the info
        pane in place of the text).
        """
        if width is not None:
            self.pane_layout = self.layout_for(width)
        layout = self.pane_layout or self.layout_for(self.app.size.width)
        self.pane_layout = layout
        meta = self.meta_wanted()
        focused = self.focused
        if layout == "single":
            pane = "meta" if meta else ("list" if focused is self.article_list else "text")
        else:
            pane = ""
        self.update_classes({
            "-wide": layout == "wide",
            "-narrow": layout == "narrow",
            "-single": layout == "single",
            "-meta": meta and layout != "single",
            "-pane-list": pane == "list",
            "-pane-text": pane == "text",
            "-pane-meta": pane == "meta",
        })
        list_hidden = (layout == "narrow" and meta) or (layout == "single" and pane != "list")
        if list_hidden and focused is self.article_list:
            self.text.focus()  # keys must not move through a list the reader cannot see
        self.show_meaning()

    def show_meaning(self) -> None:
        """The selected highlight's meaning under the text when the info pane is not beside it
        (80 columns: list | text), so what a highlight means is never hidden."""
        beside = self.pane_layout != "single" and self.meta_wanted()
        self.query_one(MeaningBar).show_highlight(self.text.current if self.text.highlights else None,
                                                  self.outlet_names(), wanted=not beside)  # fmt: skip

    def on_resize(self, event: events.Resize) -> None:
        if self.layout_for(event.size.width) != self.pane_layout:
            self.apply_layout(event.size.width)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.pane_layout == "single":
            self.apply_layout()

    # --- scanning and background analysis ---------------------------------------------------------
    @work(thread=True, group="scan", exclusive=True)
    def scan_library(self, quiet: bool = False) -> None:
        """Bring the list in line with the folder. `quiet` (the periodic check for files added
        while the reader is open) says nothing unless something changed."""
        worker = get_current_worker()
        progress = _throttled(lambda done, total, what: None if worker.is_cancelled else
                              self.app.call_from_thread(self._scan_progress, done, total, what))
        if quiet:
            progress = None  # an unchanged folder must not flicker the status line

        try:
            report = self._call(self.library.scan, progress=progress)
            page = self._call(self.reload_rows)
        except Exception as exc:
            # Show what the catalog holds anyway: a failing step must not hide readable articles.
            try:
                page = self._call(self.reload_rows)
            except Exception:
                page = ([], None, 0, self._pages)
            self.app.call_from_thread(self._scan_failed, _one_line(exc), page)
            return
        try:
            arrived = self._call(self.library.note_arrivals)
        except OSError as exc:
            arrived = frozenset()
            self.app.call_from_thread(self._reading_unsaved, exc)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._scan_finished, report, page, quiet=quiet, arrived=arrived)

    def reload_rows(self) -> tuple[list[ArticleSummary], int | None, int, int]:
        """(In a worker) the list's pages read again from the top, as many stories as it holds
        now (the open article's story included): the rows, the next page's offset, the catalog's
        size, and the list generation they belong to (see `show_summaries`)."""
        pages = self._pages
        stories = max(FIRST_PAGE_STORIES, len(self._loaded))
        rows, next_offset, total = self.library.list_page(stories, 0, (), [self.current_id] if self.current_id else [])
        return rows, next_offset, total, pages

    def _scan_progress(self, done: int, total: int, what: str) -> None:
        if what == "indexing":
            self.status.say(f"Indexing {plural(total, 'new article')} for search…")
        elif done >= total:
            self.status.say(f"Read {plural(total, 'file')}; grouping them into stories…")
        else:
            self.status.say(f"Reading the library: {printable(what, keep_newlines=False)} ({done}/{total})")
        self.status.progress(done, total)

    def _scan_failed(self, message: str, page: tuple) -> None:
        self.status.progress(0, None)
        self._names = None
        self.status.say(f"Could not scan the library: {message}", style="$text-error", hold=HOLD_SECONDS)
        self.article_list.set_empty_message("Could not read the library (see the status line).")
        summaries, next_offset, total, _pages = page
        if summaries:
            self.show_summaries(summaries, next_offset=next_offset, total=total)
            if self.current_id is None or self.current_id not in self.article_list.position:
                self.current_id = None
                self._open_initial()
        self.scanned = True

    def _scan_finished(self, report, page: tuple, *, quiet: bool = False,  # noqa: ANN001 - ScanReport
                       arrived: frozenset[str] = frozenset()) -> None:
        summaries, next_offset, total, pages = page
        if pages != self._pages:  # the list was read again meanwhile (a correction): this is older
            summaries, next_offset, total = self._all_summaries, self._next_offset, self._total
        # Another process (`tuireader ingest`) may have catalogued new files already: what the
        # list shows is compared too, not only what this scan found.
        changed = bool(report.added or report.changed or report.removed) or summaries != self._all_summaries \
            or total != self._total
        if quiet and not changed:
            return
        self.status.progress(0, None)
        self._names = None
        self._palette_entries = None
        if changed or not self.article_list.items:
            self.show_summaries(summaries, next_offset=next_offset, total=total)
            if self.current_id and self.current_id not in self.article_list.position:
                self.current_id = None
        if not summaries and report.problems:
            self.article_list.set_empty_message(f"No readable articles in {self.library.root.name}/.")
            self.text.show_article(
                None,
                placeholder=f"None of the {plural(len(report.problems), 'file')} in this library could be "
                "read as an article (the status line names them; `tuireader list` says why).",
            )
        elif not summaries:
            self.article_list.set_empty_message(f"No articles in {self.library.root.name}/ yet.")
            self.text.show_article(
                None,
                placeholder="This library is empty. Add articles with `tuireader ingest FILE|URL`, "
                "or subscribe to feeds with `tuireader feeds add URL` and press r to refresh.",
            )
        with contextlib.suppress(Exception):  # the list keeps the markers it had
            self.article_list.set_reading(self.library.read_ids(), self.library.new_ids())
        message = f"{plural(len(summaries), 'article')} in {plural(len(self.article_list.groups), 'story', 'stories')}" \
            if self.all_loaded else self._paged_message()
        if arrived:
            message += f"; {len(arrived)} new"
        if report.removed:
            message += f"; {len(report.removed)} removed"
        if report.problems:
            message += f"; {len(report.problems)} file(s) could not be read: " + ", ".join(
                printable(p.where.rsplit("/", 1)[-1], keep_newlines=False) for p in report.problems[:3]
            )
        self._scan_message = (message, "$text-warning" if report.problems else "")
        self.status.say(message, style=self._scan_message[1])
        self.scanned = True
        if self.current_id is None and summaries:
            self._open_initial()
        elif changed and self.current_id:
            self._views.clear()
            self.request_view(self.current_id)
        if self.background_analysis:
            self.analyse_in_background()
        if not self._started_refresh:
            self._started_refresh = True
            if self.library.config.refresh.on_start:
                self.timed_refresh()
            self.start_refresh_timer()

    def _call(self, call: Callable, *args: object, **kwargs: object):  # noqa: ANN202 - call's result
        """A Library call from a thread worker that quitting does not wait for (see `_quittable`)."""
        return _quittable(self._refresh_cancel, call, *args, **kwargs)

    def story_lock(self, story_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._story_locks.setdefault(story_id, threading.Lock())

    @work(thread=True, group="background", exclusive=True)
    def analyse_in_background(self) -> None:
        """Link every story with more than one version, so badges fill in and switching is instant.

        It yields to the article the user is waiting for: before each story it waits while a view
        is being computed, and story locks keep two threads from analysing the same story.
        """
        worker = get_current_worker()
        try:
            current = self._call(self.library.story_of, self.current_id) if self.current_id else None
        except Exception:
            current = None
        groups = [g for g in self.article_list.groups if len(g.versions) > 1]  # newest first
        groups.sort(key=lambda g: g.id != current)
        groups = groups[:BACKGROUND_STORIES]
        total = len(groups)
        for n, group in enumerate(groups):
            if worker.is_cancelled:
                return
            while self._views_wanted and not worker.is_cancelled:
                time.sleep(0.05)
            if group.id not in self._analysed:
                self.app.call_from_thread(self._analysis_progress, n, total, group.title)
            try:
                with self.story_lock(group.id):
                    links = self._call(self.library.links, group.id)
                badges = {s.id: shared_quote_count(links.quotes.get(s.id, ()), s.id) for s in group.versions}
            except Exception as exc:
                self.app.call_from_thread(self._analysis_failed, _one_line(exc))
                return
            self._analysed.add(group.id)
            self.app.call_from_thread(self.article_list.set_badges, badges)
        self.app.call_from_thread(self._analysis_progress, total, total, "")

    def _analysis_progress(self, done: int, total: int, title: str) -> None:
        if done >= total:
            self.status.progress(0, None)
            message, style = self._scan_message
            message = message or (f"{plural(len(self.article_list.selectable), 'article')} in "
                                  f"{plural(len(self.article_list.groups), 'story', 'stories')}"
                                  if self.all_loaded else self._paged_message())
            self.status.say(f"{message} · all versions linked", style=style)
            return
        self.status.progress(done, total)
        self.status.say(f"Linking versions ({done + 1}/{total}): {printable(title, keep_newlines=False)}")

    def _analysis_failed(self, message: str) -> None:
        self.status.progress(0, None)
        self.status.say(f"Analysis unavailable: {message}", style="$text-warning")

    # --- opening articles -------------------------------------------------------------------------
    def open_article(
        self,
        article_id: str,
        *,
        mark: tuple[int, int] | None = None,
        focus_text: bool = True,
        read: bool = True,
    ) -> None:
        """Show an article: its text at once when known, the links when the analysis arrives.

        `read`: the user chose this article to read (not a preview while moving through the list,
        not the reopening at start-up), so it counts as read."""
        if read:
            self.mark_read([article_id], True)
        if article_id != self.current_id:
            self._jump = None if mark is None else self._jump
        self.current_id = article_id
        self._pending_mark = mark
        self.article_list.set_open(article_id)
        if focus_text:
            self.text.focus()
        view = self._views.get(article_id)
        if view is not None:
            self._present(article_id, view.article, view)
        else:
            self._load_article(article_id)

    @work(thread=True, group="article", exclusive=True)
    def _load_article(self, article_id: str) -> None:
        try:
            article = self._call(self.library.article, article_id)
        except Exception as exc:
            self.app.call_from_thread(self._article_failed, article_id, _one_line(exc))
            return
        self.app.call_from_thread(self._article_loaded, article_id, article)

    def _article_failed(self, article_id: str, message: str) -> None:
        if article_id != self.current_id:
            return
        self.current_article = None
        self.current_view = None
        self.text.show_article(None, placeholder=f"Could not open {article_id}: {message}")
        self.meta.show(None, None)

    def _article_loaded(self, article_id: str, article: Article) -> None:
        if article_id != self.current_id:
            return
        view = self._views.get(article_id)  # it may have arrived while the file was read
        self._present(article_id, view.article if view else article, view)
        if view is None:
            self.request_view(article_id)

    def _present(self, article_id: str, article: Article, view: ArticleView | None) -> None:
        """Show an article in the text and info panes, with its links when `view` is known."""
        # From the list, not the Library's summaries(): before the first scan those read every row.
        summary = self.article_list.summary_of(article_id) or self._by_id.get(article_id)
        self.current_article = article
        self.current_view = view
        self.view_error = None
        self.all_highlights = build_highlights(view, self.article_list.story_versions(article_id)) if view else []
        shown = visible_highlights(self.all_highlights, self.shown_layers)
        note = self._hidden_note() if view else "Linking this story's versions… highlights will appear here."
        mark, self._pending_mark = self._pending_mark, None
        self.text.show_article(article, summary, note=note, highlights=shown, mark=mark)
        self.meta.show(article, view, shown, self.outlet_names(),
                       pending="" if view else "Quotes: analysing…",
                       selected=self.text.current, next_target=self._next_target_index(),
                       revisions=summary.revisions if summary is not None else 1,
                       revision=self._revision_lines.get(article_id, ""))
        if view is not None:
            self.article_list.set_badges({article_id: shared_quote_count(view.quotes, article_id)})
        if self._pending_offset is not None:
            offset, self._pending_offset = self._pending_offset, None
            self.call_after_refresh(self._restore_offset, offset)
        self.show_meaning()
        self._remember()

    def _restore_offset(self, offset: int) -> None:
        if offset <= 0:
            return
        line = self.text.line_of_article_offset(offset)
        if line is not None:
            self.text.scroll_to(y=line, animate=False, immediate=True)

    def request_view(self, article_id: str) -> None:
        with self._locks_guard:
            self._views_wanted += 1
        self._load_view(article_id)

    @work(thread=True, group="view")
    def _load_view(self, article_id: str) -> None:
        try:
            story = self._call(self.library.story_of, article_id) or article_id
            with self.story_lock(story):
                view = self._call(self.library.view, article_id)
            self._analysed.add(story)
        except Exception as exc:
            self.app.call_from_thread(self._view_failed, article_id, _one_line(exc))
            return
        finally:
            with self._locks_guard:
                self._views_wanted -= 1
        self.app.call_from_thread(self._view_arrived, article_id, view)
        # The other versions are what `n`, `p` and `v` open next: have them ready (the story's
        # links read once for all of them).
        if view.story and any(other not in self._views for other in view.story.articles):
            try:
                ready = self._call(self.library.story_views, article_id, skip={article_id, *self._views})
            except Exception:  # noqa: BLE001 - each is loaded when opened instead
                ready = {}
            for other, other_view in ready.items():
                self._views.setdefault(other, other_view)

    def _view_failed(self, article_id: str, message: str) -> None:
        if article_id != self.current_id:
            return
        self.view_error = message
        self.text.note = f"Highlights unavailable: {message}"
        self.meta.show_failure(message)

    def _view_arrived(self, article_id: str, view: ArticleView) -> None:
        self._views[article_id] = view
        if view.story:
            badges = {}
            for aid in view.story.articles:
                v = self._views.get(aid)
                if v is not None:
                    badges[aid] = shared_quote_count(v.quotes, aid)
            self.article_list.set_badges(badges)
        if article_id == self.current_id:
            self._apply_view(article_id, view)

    def _apply_view(self, article_id: str, view: ArticleView) -> None:
        """The analysis arrived for the open article: add highlights and links, keep the reader's place."""
        shown_text = self.text.article
        if shown_text is None or shown_text.id != article_id or shown_text.content_hash != view.article.content_hash:
            self._present(article_id, view.article, view)
            return
        self.current_view = view
        self.current_article = view.article
        self.all_highlights = build_highlights(view, self.article_list.story_versions(article_id))
        self.text.set_highlights(visible_highlights(self.all_highlights, self.shown_layers), note=self._hidden_note())
        if self.text.mark is not None:
            self.text.set_mark(*self.text.mark, scroll=False)
        self.meta.show(view.article, view, self.text.highlights, self.outlet_names(),
                       selected=self.text.current, next_target=self._next_target_index(), keep_scroll=True,
                       revisions=self._revisions_of(view.article.id),
                       revision=self._revision_lines.get(article_id, ""))
        self.article_list.set_badges({article_id: shared_quote_count(view.quotes, article_id)})
        self.show_meaning()
        self._remember()

    def _revisions_of(self, article_id: str) -> int:
        """How many revisions of the article the library holds (its summary in the list says)."""
        summary = self.article_list.summary_of(article_id) or self._by_id.get(article_id)
        return summary.revisions if summary is not None else 1

    def outlet_names(self) -> dict[str, str]:
        """How each version is named on screen (outlet, else file number); rebuilt after a scan."""
        if self._names is None:
            self._names = {s.id: s.label or source_name(s.outlet, s.id) for s in self._all_summaries}
        return self._names

    def _hidden_note(self) -> str:
        hidden = [short for key, short, _l in LAYERS if not self.shown_layers.get(key, True)]
        return f"Hidden highlights: {', '.join(hidden)} (press 1–6 to toggle)" if hidden else ""

    # --- messages from widgets --------------------------------------------------------------------
    @on(ArticleChosen)
    def _chosen(self, message: ArticleChosen) -> None:
        self.open_article(message.article_id, focus_text=message.focus_text, read=message.focus_text)

    @on(HighlightChosen)
    def _highlight_chosen(self, message: HighlightChosen) -> None:
        if message.index is not None and message.index < len(self.text.highlights) \
                and message.index != self.text.cursor:
            # A click in the metadata pane: select in the text (which posts again, with the same index).
            self.text.select(message.index)
            return
        self.meta.show_selected(self.text.current, self.outlet_names(), self._next_target_index())
        self.show_meaning()

    @on(HighlightActivated)
    def _highlight_activated(self, message: HighlightActivated) -> None:
        self.action_jump()

    @on(JumpRequested)
    def _jump_requested(self, message: JumpRequested) -> None:
        self.open_article(message.article_id, mark=(message.start, message.end))

    @on(LayerToggled)
    def _layer_toggled(self, message: LayerToggled) -> None:
        self.action_toggle_layer(message.layer)

    # --- actions ----------------------------------------------------------------------------------
    def action_focus_list(self) -> None:
        """Esc: back to the list, which shows again if the info pane had taken its place."""
        if self.pane_layout == "narrow" and self.state.meta_narrow:
            self.state.meta_narrow = False
            self.reader_app.schedule_state_save()
        self._meta_single = False
        self.article_list.focus()
        self.apply_layout()

    def action_version(self, step: int) -> None:
        """n/p: the next or previous version of the open article's story, wrapping round."""
        if not self.current_id:
            return
        listed = self._latest_of.get(self.current_id, self.current_id)  # an older revision: its latest's place
        versions = self.article_list.story_versions(listed)
        if len(versions) < 2:
            self.notify("This story has only one version.", timeout=2, markup=False)
            return
        i = versions.index(listed)
        target = versions[(i + step) % len(versions)]
        self.open_article(target, focus_text=self.text.has_focus)

    def action_highlight(self, step: int) -> None:
        if not self.text.highlights:
            if self.current_view is None and self.view_error is None:
                self.notify("Highlights are still being computed…", timeout=2, markup=False)
            else:
                self.notify("No highlights in this article (or all layers hidden).", timeout=2, markup=False)
            return
        self.text.move_cursor(step)

    def _next_target_index(self) -> int:
        if self._jump is not None and self.text.current is not None:
            return self._jump.index
        return 0

    def action_jump(self) -> None:
        """v: the same passage in the next version carrying it; repeat to cycle the outlets."""
        h = self.text.current
        chain = self._jump
        if chain is not None and self.current_id == chain.here.article and self.text.mark == (
            chain.here.start, chain.here.end
        ) and (h is None or h.start < chain.here.end and chain.here.start < h.end):
            chain.index = (chain.index + 1) % len(chain.stops)
        else:
            if h is None:
                self.notify("Select a quote or name first: Tab moves between highlights.", timeout=3, markup=False)
                return
            if not h.targets:
                self.notify("No other version carries this passage.", timeout=3, markup=False)
                return
            assert self.current_id is not None
            origin = Target(self.current_id, self.current_article.outlet if self.current_article else None,
                            h.start, h.end, "origin")
            chain = _JumpChain(stops=[*h.targets, origin], index=0)
            self._jump = chain
        stop = chain.here
        name = self.outlet_names().get(stop.article) or source_name(stop.outlet, stop.article)
        if stop.kind == "origin":
            self.notify(f"Back to {name}", timeout=2, markup=False)
        else:
            self.notify(f"{name}: {stop.kind} ({chain.index + 1}/{len(chain.stops) - 1})", timeout=2, markup=False)
        self.open_article(stop.article, mark=(stop.start, stop.end), focus_text=True)

    def action_compare(self) -> None:
        if not self.current_id:
            return
        listed = self._latest_of.get(self.current_id, self.current_id)  # an older revision: its latest's place
        versions = self.article_list.story_versions(listed)
        if len(versions) < 2:
            self.notify("Nothing to compare: this story has only one version.", timeout=3, markup=False)
            return
        right = None
        if self._jump is not None:
            # After a jump, compare the two versions the reader was just moving between.
            other = [s.article for s in self._jump.stops if s.article != self.current_id]
            right = other[0] if other else None
        if right is None or right not in versions:
            right = versions[(versions.index(listed) + 1) % len(versions)]
        from tuireader.tui.screens.compare import CompareScreen

        names = self.outlet_names()
        if listed != self.current_id:  # an older revision on the left: say which
            names = {**names, self.current_id: f"{names.get(listed, '')}, "
                                               f"{self._revision_lines[self.current_id].split(',')[0]}"}
        self.app.push_screen(CompareScreen(self.library, self.current_id, right, versions,
                                           names, views=self._views))

    def action_revisions(self) -> None:
        """`d`: the revision diff of the open version (tui/screens/revisions.py); the revision the
        user picks there to read opens here, aligned with the other outlets (`Library.view`)."""
        aid = self.current_id
        if not aid:
            return
        if self._revisions_of(aid) < 2 and aid not in self._revision_lines:
            self.notify("One revision only: its outlet has not changed this version since it was stored.",
                        timeout=3, markup=False)  # fmt: skip
            return
        from tuireader.tui.screens.revisions import ReadRevision, RevisionScreen

        def chosen(picked: ReadRevision | None) -> None:
            if picked is None or picked.article == self.current_id:
                return
            latest = self.article_list.summary_of(picked.article) is not None
            if not latest:
                self._revision_lines[picked.article] = picked.line
                self._latest_of[picked.article] = picked.latest
            self.open_article(picked.article, read=latest)

        outlet = self.outlet_names().get(aid) or (self.current_article.outlet if self.current_article else "") or ""
        self.app.push_screen(RevisionScreen(self.library, aid, outlet), chosen)

    def action_search(self) -> None:
        from tuireader.tui.screens.search import SearchScreen

        def opened(hit: SearchHit | None) -> None:
            if hit is not None:
                self.open_article(hit.article, mark=(hit.start, hit.end))

        titles = {g.id: g.title for g in self.article_list.groups}
        self.app.push_screen(SearchScreen(self.library, titles, self.outlet_names()), opened)

    def action_sort(self) -> None:
        new = "outlet" if self.article_list.sort == "date" else "date"
        self.article_list.set_sort(new)
        if self.current_id:
            self.article_list.set_open(self.current_id)
        self.state.sort = new
        self._remember()
        self.notify(f"Versions sorted by {new}.", timeout=2, markup=False)

    def action_toggle_layer(self, layer: str) -> None:
        if layer not in LAYER_KEYS:
            return
        self.shown_layers[layer] = not self.shown_layers.get(layer, True)
        self.state.layers = dict(self.shown_layers)
        self.query_one(Legend).set_layers(self.shown_layers)
        self.text.set_highlights(visible_highlights(self.all_highlights, self.shown_layers), note=self._hidden_note())
        if self.current_view is not None:
            self.meta.show(self.current_article, self.current_view, self.text.highlights, self.outlet_names(),
                           selected=self.text.current, next_target=self._next_target_index(), keep_scroll=True,
                           revisions=self._revisions_of(self.current_view.article.id))
        self._remember()

    def action_toggle_meta(self) -> None:
        """i: the info pane on or off, a choice kept for the current layout only."""
        shown = not self.meta_wanted()
        if self.pane_layout == "wide":
            self.state.meta_wide = shown
        elif self.pane_layout == "narrow":
            self.state.meta_narrow = shown
        else:
            self._meta_single = shown
        self.apply_layout()
        self._remember()

    def action_open_url(self) -> None:
        url = self.current_article.url if self.current_article else None
        if not url or not url.startswith(("http://", "https://")):
            self.notify("This article has no web address.", timeout=2, markup=False)
            return
        import webbrowser

        shown = printable(url, keep_newlines=False)
        try:
            webbrowser.get()
        except webbrowser.Error:
            self.app.copy_to_clipboard(url)
            self.notify(f"No web browser found here; the address is copied:\n{shown}", timeout=8, markup=False)
            return
        self.app.open_url(url)
        self.notify(f"Opening {shown}", timeout=3, markup=False)

    def action_refresh(self) -> None:
        try:
            feeds = self.library.subscriptions()
        except Exception:  # noqa: BLE001 - the refresh itself says what is wrong with feeds.opml
            feeds = None
        if feeds == []:
            self.status.say("No feeds subscribed: rescanning the library folder…")
            self.scan_library()
            return
        self._refresh_feeds()

    def poll_folder(self) -> None:
        """The periodic look for files added, changed or removed while the reader is open: a scan
        reads only what changed (unchanged files cost a stat each), so it is cheap when idle."""
        busy = self.refreshing or any(w.is_running for w in self.app.workers if w.group == "scan")
        if self.scanned and not busy:
            self.scan_library(quiet=True)

    @property
    def refreshing(self) -> bool:
        return self._refresh_thread is not None and self._refresh_thread.is_alive()

    def start_refresh_timer(self) -> None:
        """config.toml's `[refresh] every_minutes`: refresh the feeds that often while open."""
        minutes = self.library.config.refresh.every_minutes
        if minutes and minutes > 0 and self._refresh_timer is None:
            self._refresh_timer = self.set_interval(minutes * 60, self.timed_refresh)

    def timed_refresh(self) -> None:
        """A refresh the reader starts by itself (on start, on the timer): only with feeds to
        fetch, and never on top of one still running."""
        if self.refreshing:
            return
        try:
            feeds = self.library.subscriptions()
        except Exception:  # noqa: BLE001 - the refresh itself names what is wrong with feeds.opml
            feeds = None
        if feeds != []:
            self._refresh_feeds()

    def _refresh_feeds(self) -> None:
        """Fetch the subscribed feeds (new articles land in the folder as files), then rescan.

        On a thread of its own that does not hold the process open: quitting during a refresh
        returns the terminal at once (the Library's per-feed deadlines bound how long a refresh
        can take; the article files it writes are atomic, so stopping it loses no stored file)."""
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=2, markup=False)
            return
        self._refresh_thread = threading.Thread(target=self._refresh_in_thread, name="tuireader-refresh",
                                                daemon=True)  # fmt: skip
        self._refresh_thread.start()

    def on_unmount(self) -> None:
        self._refresh_cancel.set()

    def _to_ui(self, callback: Callable, *args: object, **kwargs: object) -> None:
        """`call_from_thread` for the refresh thread, which may outlive the app (quit meanwhile)."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback, *args, **kwargs)

    def _refresh_in_thread(self) -> None:
        last = [0.0]

        def progress(p) -> None:  # noqa: ANN001 - the Library's refresh progress snapshot
            now = time.monotonic()
            if now - last[0] >= 0.1 and not self._refresh_cancel.is_set():
                last[0] = now
                self._to_ui(self._refresh_progress, p.feeds_done, p.feeds_total, p.articles_done,
                            p.articles_total, p.current or "")  # fmt: skip

        self._to_ui(self._refresh_progress, 0, 0, 0, 0, "")
        try:
            # quitting sets the event (on_unmount): the refresh stops at once, its files complete
            report = self.library.refresh(progress=progress, cancel=self._refresh_cancel)
            if self._refresh_cancel.is_set():
                return  # the reader is closing: nothing to show
        except Exception as exc:  # noqa: BLE001 - said in one line; the reader goes on
            self._to_ui(self.status.progress, 0, None)
            self._to_ui(self.status.say, f"Refresh failed: {_one_line(exc)}", style="$text-error", hold=HOLD_SECONDS)
        else:
            self._to_ui(self._refresh_done, report)
        self._to_ui(self.scan_library)

    def _refresh_progress(self, feeds_done: int, feeds_total: int, done: int, total: int, current: str) -> None:
        where = f": {printable(current, keep_newlines=False)}" if current else ""
        self.status.say(f"Refreshing feeds ({feeds_done}/{feeds_total}), articles {done}/{total}{where}")
        self.status.progress(feeds_done, max(feeds_total, 1))

    def _refresh_done(self, report) -> None:  # noqa: ANN001 - RefreshReport
        self.status.progress(0, None)
        feeds = report.feeds_ok + report.feeds_failed  # unchanged feeds are counted in feeds_ok
        if not feeds:
            self.notify("No feeds subscribed (add one with `tuireader feeds add URL`); rescanned the folder.",
                        timeout=4, markup=False)
            return
        message = f"Refreshed {plural(feeds, 'feed')}: {plural(len(report.added), 'new article')}"
        if report.feeds_failed:
            message += f", {report.feeds_failed} failed"
        if report.problems:  # each one named (up to three): which feed, and why
            shown = [printable(str(p), keep_newlines=False) for p in report.problems[:3]]
            more = len(report.problems) - len(shown)
            message += "\n" + "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
        self.notify(message, severity="warning" if report.problems else "information",
                    timeout=8 if report.problems else 5, markup=False)  # fmt: skip

    # --- the filter -----------------------------------------------------------------------------
    def show_summaries(self, summaries: list[ArticleSummary], *, next_offset: int | None | bool = False,
                       total: int | None = None) -> None:
        """Give the list the pages of the Library's articles read so far, as the filter narrows
        them. `summaries` read from the top again (after a scan, a correction) come with
        `next_offset`, where the page after them starts (None: they are the whole library), and
        `total`, the catalog's size; without them the list keeps its paging."""
        self._all_summaries = list(summaries)
        self._by_id = {s.id: s for s in self._all_summaries}
        self._loaded = {s.story or s.id for s in self._all_summaries}
        if next_offset is not False:
            self._next_offset = next_offset  # type: ignore[assignment]
            self._pages += 1
        if total is not None:
            self._total = total
        self._names = None
        if self.list_filter.feeds and self._feeds is None:
            self._feeds = {}
            self._load_feeds()  # the list narrows again when they arrive
        shown = apply_filter(self._all_summaries, self.list_filter, self.article_list.read, self._feeds)
        self.article_list.set_articles(shown, more=self._next_offset is not None)
        if not shown and self._all_summaries and self._next_offset is None:
            self.article_list.set_empty_message(f"Nothing matches the filter ({self.list_filter.describe()}); "
                                                "f to change it.")
        elif not shown and self._next_offset is not None:
            self.article_list.set_empty_message("Looking further back for articles that match…")
        self._want_more()

    @property
    def all_loaded(self) -> bool:
        """Whether the list has read every page of the library."""
        return self._next_offset is None

    def _want_more(self) -> None:
        """Read the next page when the list shows (nearly) all it holds: a screen of rows it cannot
        fill, a filter that kept few rows of the pages read, the cursor near the end."""
        if self._next_offset is None or not self.is_mounted:
            return
        lst = self.article_list
        height = max(lst.size.height, 24)
        if len(lst.lines) < lst.scroll_y + 2 * height:
            self.load_page()

    def load_page(self, then: Callable[[], None] | None = None) -> None:
        """Read the next page of the list in a worker (`then`: what to do once it is shown, or at
        once when every page has been read)."""
        if self._next_offset is None:
            if then is not None:
                then()
            return
        if then is not None:
            self._after_page.append(then)
        if not self._page_busy:
            self._page_busy = True
            self._read_page(self._next_offset, frozenset(self._loaded), self._pages, self._page_stories)

    @work(thread=True, group="page", exclusive=True)
    def _read_page(self, offset: int, skip: frozenset[str], pages: int, stories: int) -> None:
        try:
            rows, next_offset, total = self._call(self.library.list_page, stories, offset, skip)
        except Exception as exc:  # noqa: BLE001 - said in one line; the list keeps what it has
            self.app.call_from_thread(self._page_failed, _one_line(exc))
            return
        self.app.call_from_thread(self._page_read, rows, next_offset, total, pages)

    def _page_failed(self, message: str) -> None:
        self._page_busy = False
        self._after_page = []
        self.status.say(f"Cannot read more of the list: {message}", style="$text-warning")

    def _page_read(self, rows: list[ArticleSummary], next_offset: int | None, total: int, pages: int) -> None:
        self._page_busy = False
        if pages != self._pages:
            self._want_more()  # the list was read again from the top meanwhile: this page is stale
            return
        self._next_offset = next_offset
        self._total = total
        keep = self.current_id
        before = len(self.article_list.selectable)
        self.show_summaries([*self._all_summaries, *(r for r in rows if (r.story or r.id) not in self._loaded)])
        # A filter that keeps few rows of each page: read bigger pages, so looking far back for its
        # matches takes a few rebuilds of the list rather than one per page.
        # A page that simply holds few stories (no filter at work) is no reason to read bigger ones.
        added = len(self.article_list.selectable) - before
        few = added < len(rows) / 2 and added < max(self.article_list.size.height, 24)
        self._page_stories = min(self._page_stories * 2, 100_000) if few else PAGE_STORIES
        if keep and keep in self.article_list.position:
            self.article_list.set_open(keep)
        callbacks, self._after_page = self._after_page, []
        for callback in callbacks:
            callback()  # each may ask for the next page again (N looking further for an unread one)

    @on(ArticleList.NearEnd)
    def _near_end(self, message: ArticleList.NearEnd) -> None:
        self._want_more()

    def _paged_message(self) -> str:
        """How much the library holds while the list has not read every page (stories are counted
        once it has)."""
        return f"{plural(self._total, 'article')} · newest stories first, more as you scroll"

    @work(thread=True, group="feeds", exclusive=True)
    def _load_feeds(self) -> None:
        """Which feed brought each article (read from the files once, then from the cache)."""
        try:
            feeds = self._call(self.library.article_feeds)
        except Exception as exc:  # noqa: BLE001 - said in one line; the filter then keeps nothing
            self.app.call_from_thread(self.status.say, f"Cannot tell which feed brought each article: "
                                      f"{_one_line(exc)}", style="$text-warning")  # fmt: skip
            return
        self.app.call_from_thread(self._feeds_loaded, feeds)

    def _feeds_loaded(self, feeds: dict[str, str]) -> None:
        self._feeds = feeds
        if self.list_filter.feeds:
            self.set_filter(self.list_filter, view=self.view_name)

    def set_filter(self, flt: ListFilter, *, view: str | None = None) -> None:
        """Narrow the list by `flt`; `view`: the saved view it comes from (named in the status)."""
        self.view_name = view
        self.list_filter = flt
        self._palette_entries = None
        self._page_stories = PAGE_STORIES
        self.show_summaries(self._all_summaries)
        if self.current_id and self.current_id in self.article_list.position:
            self.article_list.set_open(self.current_id)
        shown = len(self.article_list.selectable)
        named = f"View {printable(view, keep_newlines=False)}: " if view else "Filter: "
        if flt.empty:
            self.status.say(f"{named}everything · {plural(shown, 'article')}" if view
                            else f"Filter cleared: {plural(shown, 'article')}")
        elif flt.feeds and not self._feeds:
            self.status.say(f"{named}{flt.describe()} · finding which feed brought each article…")
        else:
            self.status.say(f"{named}{flt.describe()} · {plural(shown, 'article')} of {len(self._all_summaries)}"
                            if self.all_loaded else f"{named}{flt.describe()} · {plural(shown, 'article')} so far; "
                            "older stories are read as you scroll")

    def saved_views(self) -> dict[str, ListFilter]:
        """The config file's saved views (`[views.NAME]`), by name."""
        try:
            return self.library.saved_views()
        except Exception:  # noqa: BLE001 - a damaged config names its problems in `tuireader config`
            return {}

    def apply_view(self, name: str | None) -> None:
        """Show a saved view (None: every article, no filter)."""
        if name is None:
            self.set_filter(ListFilter())
            return
        views = self.saved_views()
        if name not in views:
            self.notify(f"No saved view named {printable(name, keep_newlines=False)!r} in config.toml.",
                        severity="warning", timeout=4, markup=False)
            return
        self.set_filter(views[name], view=name)

    def action_next_view(self) -> None:
        """w: the next saved view from config.toml, then every article again, round and round."""
        names = list(self.saved_views())
        if not names:
            self.notify("No saved views: add [views.NAME] tables to config.toml (see `tuireader config`).",
                        timeout=5, markup=False)
            return
        order: list[str | None] = [*names, None]
        at = order.index(self.view_name) if self.view_name in order else len(order) - 1
        self.apply_view(order[(at + 1) % len(order)])

    def action_filter(self) -> None:
        bar = self.query_one(FilterBar)
        bar.value = self.list_filter.text
        bar.cursor_position = len(bar.value)
        bar.display = True
        self.set_focus(bar)  # at once: the keys typed next must land in the bar

    @on(FilterBar.Applied)
    def _filter_applied(self, message: FilterBar.Applied) -> None:
        try:
            flt = parse_filter(message.text)
        except FilterError as exc:
            self.notify(str(exc), severity="warning", timeout=5, markup=False)
            return
        self._close_filter_bar()
        self.set_filter(flt)

    @on(FilterBar.Closed)
    def _filter_closed(self, message: FilterBar.Closed) -> None:
        self._close_filter_bar()

    def _close_filter_bar(self) -> None:
        self.query_one(FilterBar).display = False
        self.article_list.focus()
        self.apply_layout()

    # --- reading state -----------------------------------------------------------------------------
    def mark_read(self, ids: list[str], read: bool) -> None:
        """Mark at once in the list; the Library writes the state file in a worker."""
        lst = self.article_list
        now = lst.read | set(ids) if read else lst.read - set(ids)
        if now != lst.read:
            lst.set_reading(frozenset(now))
            self._save_reading(list(ids), read)

    @work(thread=True, group="reading")
    def _save_reading(self, ids: list[str], read: bool) -> None:
        try:
            self.library.mark_read(ids, read)
        except OSError as exc:
            self.app.call_from_thread(self._reading_unsaved, exc)

    def _reading_unsaved(self, exc: OSError) -> None:
        if not self._reading_warned:
            self._reading_warned = True
            self.notify(f"Could not save what you have read (kept for this session): {_one_line(exc)}",
                        severity="warning", timeout=6, markup=False)

    def action_next_unread(self, step: int) -> None:
        """N / P: the next or previous unread article in the list (any story), wrapping round."""
        target = self.article_list.next_unread(self.current_id or self.article_list.cursor_id, step,
                                               wrap=self.all_loaded)  # fmt: skip
        if target is None and not self.all_loaded:
            # Not in the pages read so far: look further back (a page at a time) before wrapping round.
            self.load_page(then=lambda: self.action_next_unread(step))
            return
        if target is None:
            self.notify("No unread articles.", timeout=2, markup=False)
            return
        self.open_article(target, focus_text=self.text.has_focus)

    def action_toggle_read(self) -> None:
        if not self.current_id:
            return
        read = self.current_id not in self.article_list.read
        self.mark_read([self.current_id], read)
        self.notify("Marked read." if read else "Marked unread.", timeout=2, markup=False)

    def action_mark_story_read(self) -> None:
        """A: every version of the open story read (newsboat's "mark feed read")."""
        if not self.current_id:
            return
        versions = self.article_list.story_versions(self.current_id)
        unread = [v for v in versions if v not in self.article_list.read]
        self.mark_read(versions, True)
        self.notify(f"Marked {plural(len(unread), 'version')} of this story read.", timeout=2, markup=False)

    def action_coverage(self) -> None:
        if not self.current_id:
            return
        from tuireader.tui.screens.coverage import CoverageScreen

        story = self.library.story_of(self.current_id) or self.current_id
        self.app.push_screen(CoverageScreen(self.library, story))

    # --- export ---------------------------------------------------------------------------------
    def action_export(self) -> None:
        if not self.current_id:
            return
        self.notify("Exporting this story's comparison…", timeout=2, markup=False)
        self._export(self.current_id)

    @work(thread=True, group="export", exclusive=True)
    def _export(self, article_id: str) -> None:
        from tuireader.fsutil import write_atomic

        folder = self.reader_app.export_folder()
        try:
            story = self.library.story_id_for(article_id) or article_id
            stem = "tuireader-" + _slug(self.library.story(story, with_discrepancies=False).title)
            written = []
            for fmt in ("md", "html"):
                target = folder / f"{stem}.{fmt}"
                write_atomic(target, self.library.export_story(story, fmt).encode("utf-8"))
                written.append(target)
        except Exception as exc:  # noqa: BLE001 - said in one line; the reader goes on
            self.app.call_from_thread(self.notify, f"Export failed: {_one_line(exc)}", severity="error",
                                      timeout=6, markup=False)
            return
        shown = printable(str(written[0].with_suffix(".{md,html}")), keep_newlines=False)
        self.app.call_from_thread(self.notify, f"Wrote {shown}", timeout=6, markup=False)

    # --- copy -----------------------------------------------------------------------------------
    def copy_text(self) -> tuple[str, str] | None:
        """(what to copy, what to call it): the selected highlight's passage with who said it,
        where and the address; else the open article's address."""
        article = self.current_article
        if article is None:
            return None
        from tuireader.tui.presentation import citation

        h = self.text.current
        if h is not None:
            speaker = None
            if h.quote is not None and self.current_view is not None and h.quote < len(self.current_view.quotes):
                speaker = self.current_view.quotes[h.quote].quote.speaker
            text = citation(article.text[h.start:h.end], speaker, article.outlet, article.url)
            return text, "quote" if h.quote is not None else "passage"
        if article.url:
            return article.url, "address"
        return None

    def action_copy(self) -> None:
        """y / ctrl+c: the text selected with the mouse when there is some, else the selected
        highlight with its source, else the address."""
        selected = self.get_selected_text()
        if selected and selected.strip():
            text = printable(selected)  # pasted into a terminal, control characters would act
            self.app.copy_to_clipboard(text)
            shown = printable(" ".join(text.split()), keep_newlines=False)
            shown = shown if len(shown) <= 70 else shown[:69] + "…"
            self.notify(f"Copied the selection: {shown}", timeout=3, markup=False)
            return
        found = self.copy_text()
        if found is None:
            self.notify("Nothing to copy: select a highlight with Tab first.", timeout=3, markup=False)
            return
        text, what = found
        text = printable(text)  # pasted into a terminal, control characters would act
        self.app.copy_to_clipboard(text)
        shown = printable(text, keep_newlines=False)
        shown = shown if len(shown) <= 70 else shown[:69] + "…"
        self.notify(f"Copied the {what}: {shown}", timeout=3, markup=False)

    # --- state ------------------------------------------------------------------------------------
    def _remember(self) -> None:
        self.state.article = self.current_id
        self.state.offset = self.text.visible_offset() if self.text.article else 0
        self.state.layers = dict(self.shown_layers)
        self.reader_app.schedule_state_save()

    def snapshot_state(self) -> None:
        """Bring the state up to date (scroll position included) just before it is written."""
        if self.current_id:
            self.state.article = self.current_id
            self.state.offset = self.text.visible_offset() if self.text.article else 0
