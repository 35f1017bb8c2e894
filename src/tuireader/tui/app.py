"""The reader: a Textual app that shows what the Library answers, for comparing versions of a story.

`run_reader()` is what the `tuireader` command calls. `ReaderApp(library)` is the app itself, usable
in tests with `app.run_test(size=(140, 40))`. Nothing heavy is imported here: spaCy and trafilatura
load inside worker threads when the Library first needs them, after the list has painted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tuireader.locations import reader_state_file
from tuireader.safety import printable
from tuireader.tui.commands import CorrectionCommands, RevisionCommands, StoryCommands
from tuireader.tui.screens.main import MainScreen
from tuireader.tui.state import ReaderState, load_state, save_state

if TYPE_CHECKING:
    from tuireader.library import Library


#: Seconds between looks at the library folder for files added while the reader is open
#: (`tuireader ingest` in another terminal); a look at an unchanged folder costs one stat a file.
POLL_SECONDS = 3.0


class ReaderApp(App[int]):
    """List of stories and versions | article text | metadata; `?` lists every key."""

    CSS_PATH = "tuireader.tcss"
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {StoryCommands, CorrectionCommands, RevisionCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit (the reader reopens where you left off)"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This list of keys"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip="Quit (ctrl+c copies)"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        background_analysis: bool = True,
        remember: bool = True,
        poll_seconds: float | None = POLL_SECONDS,
        export_dir: Path | None = None,
    ) -> None:
        """`background_analysis` links every multi-version story after start-up (badges, instant
        switching); `remember` restores and saves the last article, position and theme;
        `poll_seconds` is how often the folder is checked for files added meanwhile (None: never);
        `export_dir` is where `e` writes a story's comparison (default: see `export_folder`)."""
        super().__init__()
        self.library = library
        self.remember = remember
        self.state_path: Path = reader_state_file(library.root)  # not in the cache: clearing it keeps this
        self.state: ReaderState = load_state(self.state_path) if remember else ReaderState()
        self.background_analysis = background_analysis
        self.poll_seconds = poll_seconds
        self.export_dir = export_dir
        self._save_timer = None

    def on_mount(self) -> None:
        theme = self.state.theme or self.library.config.theme  # picked in the reader, else configured
        if theme and theme in self.available_themes:
            self.theme = theme
        self.sub_title = self.library.root.name
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen(self.library, self.state, background_analysis=self.background_analysis))
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll_folder)

    def _poll_folder(self) -> None:
        with contextlib.suppress(LookupError):
            self.reader.poll_folder()

    @property
    def reader(self) -> MainScreen:
        """The main screen (also when a modal screen is on top of it)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the reader's main screen is not mounted")

    # --- state ------------------------------------------------------------------------------------
    def _theme_changed(self, theme: object) -> None:
        self.state.theme = self.theme
        self.schedule_state_save()

    def schedule_state_save(self) -> None:
        """Write the state a moment after the last change, so moving through the list stays cheap."""
        if not self.remember:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_state)

    def save_state(self) -> None:
        if not self.remember:
            return
        # At exit the widgets may already be gone; the state then keeps its last snapshot.
        with contextlib.suppress(Exception):
            self.reader.snapshot_state()
        self.state.theme = self.theme
        try:
            save_state(self.state_path, self.state)
        except OSError as exc:
            self.log.warning(f"could not save reader state: {exc}")

    async def action_quit(self) -> None:
        self.save_state()
        self.exit(0)

    def on_unmount(self) -> None:
        self.save_state()

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open `url` with the configured browser (config.toml `browser`), else the system's."""
        browser = self.library.config.browser
        if not browser:
            super().open_url(url, new_tab=new_tab)
            return
        import webbrowser

        try:
            webbrowser.get(browser).open(url, new=2 if new_tab else 0)
        except webbrowser.Error as exc:
            self.notify(f"Cannot open the browser {browser!r}: {exc}", severity="error", markup=False)

    def export_folder(self) -> Path:
        """Where exports go: `export_dir`, else the user's downloads folder when there is one,
        else the folder the reader was started in."""
        if self.export_dir is not None:
            return self.export_dir
        from platformdirs import user_downloads_dir

        downloads = Path(user_downloads_dir())
        return downloads if downloads.is_dir() else Path.cwd()

    # --- help and the command palette ---------------------------------------------------------------
    def action_help(self) -> None:
        from tuireader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The reader's own commands first, then Textual's (theme, keys, screenshot, quit)."""
        try:
            main = self.reader
        except LookupError:
            main = None
        if main is not None:
            yield SystemCommand("Search quotes and passages", "Search every article (/)", main.action_search)
            yield SystemCommand("Next version", "Open the next version of this story (n or ])",
                                lambda: main.action_version(1))
            yield SystemCommand("Previous version", "Open the previous version of this story (p or [)",
                                lambda: main.action_version(-1))
            yield SystemCommand("Compare side by side", "Compare this version with another (c)", main.action_compare)
            yield SystemCommand("Jump to the same passage elsewhere",
                                "Open the selected quote or name in the next version carrying it (v)",
                                main.action_jump)
            yield SystemCommand("Sort versions by date or outlet", "Toggle the list's order (s)", main.action_sort)
            yield SystemCommand("Show or hide the info pane", "Metadata, quotes, names, discrepancies (i)",
                                main.action_toggle_meta)
            yield SystemCommand("Refresh feeds", "Fetch subscribed feeds, then rescan the folder (r)",
                                main.action_refresh)
            yield SystemCommand("Open in browser", "Open the article's web address (o)", main.action_open_url)
            yield SystemCommand("Next unread", "Open the next unread article (N)", lambda: main.action_next_unread(1))
            yield SystemCommand("Mark read or unread", "The open article (m)", main.action_toggle_read)
            yield SystemCommand("Mark the story read", "Every version of the open story (A)",
                                main.action_mark_story_read)
            from tuireader.filters import parse_filter

            yield SystemCommand("Filter the list", "outlet:, feed:, since:, until:, unread, outlets:N, words (f)",
                                main.action_filter)
            yield SystemCommand("Filter: unread only", "Only the versions not read yet",
                                lambda: main.set_filter(parse_filter("unread")))
            yield SystemCommand("Filter: stories from two or more outlets", "Only stories several outlets tell",
                                lambda: main.set_filter(parse_filter("outlets:2")))
            yield SystemCommand("Clear the filter", "Show every article", lambda: main.set_filter(parse_filter("")))
            for name, flt in main.saved_views().items():
                yield SystemCommand(f"View: {printable(name, keep_newlines=False)}",
                                    f"Saved view from config.toml: {flt.describe()} (w cycles views)",
                                    lambda name=name: main.apply_view(name))
            yield SystemCommand("Coverage of the story", "Who published when, who was first (t)", main.action_coverage)
            yield SystemCommand("Export the story", "Its comparison as Markdown and HTML (e)", main.action_export)
            yield SystemCommand("Copy", "The selected quote or passage with its source, else the address (y)",
                                main.action_copy)
            from tuireader.tui.presentation import LAYERS

            for n, (key, short, long) in enumerate(LAYERS, start=1):
                yield SystemCommand(f"Toggle highlights: {short}", f"{long} ({n})",
                                    lambda key=key: main.action_toggle_layer(key))
        yield SystemCommand("Help", "Every key binding (?)", self.action_help)
        yield from super().get_system_commands(screen)


def run_reader(library_path: str | Path | None = None, cache_dir: str | Path | None = None,
               store: str | None = None) -> int:  # fmt: skip
    """Open the reader on a library folder (or the shared archive at `store`); returns the exit status."""
    from tuireader.library import Library, default_library_dir, store_backend

    root = Path(library_path) if library_path else default_library_dir()
    if not root.is_dir():
        import sys

        print(f"tuireader: {root}: not a folder", file=sys.stderr)
        return 2
    library = Library(root, cache_dir=cache_dir, stores=store_backend(store) if store else None)
    try:
        result = ReaderApp(library).run()
    finally:
        # A Library call the reader quit without waiting for (screens.main._quittable) may still
        # hold a store's lock in a transaction: closing would wait for it. The process is ending:
        # its unfinished transaction is dropped, and the next start resumes that work.
        import threading

        from tuireader.tui.screens.main import LIBRARY_THREAD

        if not any(t.name == LIBRARY_THREAD and t.is_alive() for t in threading.enumerate()):
            library.close()
    return int(result or 0)
