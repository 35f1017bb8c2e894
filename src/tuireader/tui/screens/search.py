"""`/`: search quotes and passages across every outlet, with results as you type.

Each keystroke restarts a short timer; when typing pauses, one thread worker asks the Library
(exclusive: a newer query cancels an older one, and late answers to old queries are dropped).
Results are grouped by story, then outlet; Enter opens the version at the passage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuireader.model import SearchHit
from tuireader.safety import printable
from tuireader.tui.presentation import group_hits, plural, source_name

if TYPE_CHECKING:
    from tuireader.library import Library

DEBOUNCE_SECONDS = 0.2
LIMIT = 60


def _s(value: str | None) -> str:
    return printable(value or "", keep_newlines=False)


class SearchScreen(ModalScreen[SearchHit | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the search"),
        Binding("down", "results", "Results", show=False, tooltip="Move from the box into the results"),
        Binding("enter", "open_first", "Open", tooltip="Open the version at the highlighted passage"),
    ]

    def __init__(self, library: Library, story_titles: Mapping[str, str], outlets: Mapping[str, str],
                 query: str = "") -> None:
        super().__init__()
        self.library = library
        self.story_titles = dict(story_titles)
        self.outlets = dict(outlets)
        self.hits: list[SearchHit] = []
        self.query_text = query
        self.searched_for: str | None = None  # the query the shown results answer
        self._timer: Timer | None = None
        self._open_when_ready = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.query_text,
                        placeholder="Search quotes and passages in every outlet… (narrow with outlet:, feed:, since:, "
                                    "until:, unread)",
                        id="search-input")
            yield Static(Content.styled("Type to search; reworded passages are found too.", "$text-muted"),
                         id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self._run(self.query_text)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._timer is not None:
            self._timer.stop()
        if not event.value.strip():
            self.hits = []
            self.searched_for = None
            self.query_one(OptionList).clear_options()
            self._say("Type to search; reworded passages are found too.")
            return
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self._run(event.value))

    def _run(self, query: str) -> None:
        self._say("Searching…")
        self._search(query)

    @work(thread=True, group="search", exclusive=True)
    def _search(self, query: str) -> None:
        worker = get_current_worker()
        try:
            hits = self.library.search_text(query, limit=LIMIT)  # filter words too: outlet:, feed:, since:…
        except Exception as exc:
            if not worker.is_cancelled:
                message = _s(str(exc)) or type(exc).__name__
                self.app.call_from_thread(self._say, f"Search failed: {message}", "$text-error")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, query, hits)

    def _say(self, message: str, style: str = "$text-muted") -> None:
        self.query_one("#search-status", Static).update(Content.styled(message, style))

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_text:
            return  # typing went on; a newer search is coming
        self.searched_for = query
        self.hits = list(hits)
        results = self.query_one(OptionList)
        results.clear_options()
        if not hits:
            self._open_when_ready = False
            self._say(f"No passage matches “{_s(query)}”.")
            return
        index = {id(h): i for i, h in enumerate(self.hits)}
        options: list[Option | None] = []
        last_story: object = object()
        for group in group_hits(self.hits):
            if group.story != last_story:
                last_story = group.story
                title = self.story_titles.get(group.story or "", "") or "(story unknown)"
                if options:
                    options.append(None)
                options.append(Option(Content.styled(_s(title), "bold $text-primary"), disabled=True))
            outlet = self.outlets.get(group.hits[0].article) or source_name(group.outlet, group.hits[0].article)
            options.append(Option(Content.styled(f"  {outlet}", "bold $text-secondary"), disabled=True))
            for h in group.hits:
                kind = "quote" if h.kind == "quote" else "passage"
                # Rich Padding gives the passage a hanging indent when it wraps; Text (not markup)
                # keeps the untrusted passage literal.
                prompt = Padding(Text.assemble(Text(f"{kind:<7} {h.score:>3.0f}  ", style="dim"), Text(_s(h.text))),
                                 (0, 0, 0, 4))
                options.append(Option(prompt, id=f"hit-{index[id(h)]}"))
        results.add_options(options)
        first = next((i for i, o in enumerate(options) if o is not None and o.id), None)
        results.highlighted = first
        stories = len({h.story for h in hits})
        outlets = len({h.outlet or h.article for h in hits})
        if self._open_when_ready:
            self._open_when_ready = False
            self.action_open_first()
            return
        self._say(f"{plural(len(hits), 'passage')} in {plural(stories, 'story', 'stories')}, "
                  f"{plural(outlets, 'version')} · ↓ to browse, Enter to open")

    def _hit_of(self, option_id: str | None) -> SearchHit | None:
        if not option_id or not option_id.startswith("hit-"):
            return None
        i = int(option_id[4:])
        return self.hits[i] if 0 <= i < len(self.hits) else None

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        hit = self._hit_of(event.option.id)
        if hit is not None:
            self.dismiss(hit)

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if self.query_one(Input).has_focus and results.option_count:
            results.focus()
        elif results.has_focus:
            results.action_cursor_down()

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.searched_for != event.value and event.value.strip():
            # Enter before the pause: search now and open the best result when it arrives.
            if self._timer is not None:
                self._timer.stop()
            self._open_when_ready = True
            self._run(event.value)
            return
        self.action_open_first()

    def action_open_first(self) -> None:
        """Enter in the box opens the highlighted result (the best one unless the user moved)."""
        results = self.query_one(OptionList)
        if results.highlighted is None:
            return
        hit = self._hit_of(results.get_option_at_index(results.highlighted).id)
        if hit is not None:
            self.dismiss(hit)

    def action_close(self) -> None:
        self.dismiss(None)
