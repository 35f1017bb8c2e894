"""Corrections to stories from the reader: M moves the open version, S splits its story, J joins
(merges) it with another, U takes back the latest correction.

The pickers only choose; the Library records the decision (in the library folder) and regroups
the stories, in a worker, and the list is then redrawn from what the Library answers. Titles and
outlets are untrusted, so every label is plain `Content`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from tuireader.safety import printable
from tuireader.tui.presentation import group_stories, plural, source_name

if TYPE_CHECKING:
    from tuireader.model import ArticleSummary
    from tuireader.tui.presentation import StoryGroup

NEW = "new"  # as tuireader.corrections.NEW: the choice "a story of its own"

_BOX_CSS = """
    align: center top;
    & > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 90%; margin-top: 2;
        border: round $primary; background: $surface; padding: 0 1;
    }
    & .picker-help { color: $text-muted; height: auto; }
"""


def _s(value: str | None) -> str:
    return printable(value or "", keep_newlines=False)


def story_option_text(group: StoryGroup) -> str:
    """How a story reads in a picker: its title, how many versions and from whom."""
    outlets: list[str] = []
    for v in group.versions:
        name = source_name(v.outlet, v.id)
        if name not in outlets:
            outlets.append(name)
    shown = ", ".join(outlets[:3]) + (f" +{len(outlets) - 3}" if len(outlets) > 3 else "")
    return f"{_s(group.title)} · {plural(len(group.versions), 'version')} · {_s(shown)}"


class StoryPicker(ModalScreen[str | None]):
    """Choose a story (typing narrows the list); with `allow_new`, "a story of its own" first."""

    DEFAULT_CSS = "StoryPicker {" + _BOX_CSS + "} StoryPicker OptionList { height: auto; max-height: 24; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without changing anything")]

    def __init__(self, title: str, stories: Sequence[StoryGroup], *, allow_new: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.stories = list(stories)
        self.allow_new = allow_new

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled(self.title_text, "bold"))
            yield Input(placeholder="Type part of a title or outlet…", id="picker-filter")
            yield OptionList(id="picker-stories")
            yield Static("Enter chooses · Esc cancels", classes="picker-help")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        wanted = text.strip().casefold()
        if self.allow_new and (not wanted or wanted in "a story of its own new"):
            options.add_option(Option(Content.styled("➕ A story of its own", "bold"), id=NEW))
        for group in self.stories:
            label = story_option_text(group)
            if not wanted or wanted in label.casefold():
                options.add_option(Option(Content(label), id=group.id))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event: Any) -> None:  # noqa: ANN401 - textual.events.Key
        """Up and down move through the stories while the filter box keeps the focus."""
        if event.key in ("up", "down") and self.query_one(Input).has_focus:
            options = self.query_one(OptionList)
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    @on(OptionList.OptionSelected, "#picker-stories")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class VersionPicker(ModalScreen[list[str] | None]):
    """Tick the versions that leave the story (Space ticks, Enter splits)."""

    DEFAULT_CSS = "VersionPicker {" + _BOX_CSS + "} VersionPicker SelectionList { height: auto; max-height: 24; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without changing anything"),
        Binding("enter", "split", "Split", priority=True, tooltip="The ticked versions form a new story"),
    ]

    def __init__(self, title: str, versions: Sequence[tuple[str, str]], ticked: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.versions = list(versions)
        self.ticked = set(ticked)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled(self.title_text, "bold"))
            yield SelectionList[str](
                *(Selection(Content(label), aid, aid in self.ticked) for aid, label in self.versions),
                id="picker-versions",
            )
            yield Static("Space ticks a version · Enter: the ticked ones form a new story · Esc cancels",
                         classes="picker-help")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_split(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))


class StoryCorrections:
    """The main screen's story corrections (mixed into `MainScreen`, which holds the bindings)."""

    # Provided by MainScreen.
    library: Any
    current_id: str | None
    _all_summaries: list[ArticleSummary]

    def _open_story(self) -> tuple[str, str] | None:
        """(open version, its story), or None with a word to the user."""
        if not self.current_id:
            self.notify("Open a version first.", timeout=2, markup=False)  # type: ignore[attr-defined]
            return None
        return self.current_id, self.library.story_of(self.current_id) or self.current_id

    def _other_stories(self, story: str) -> list[StoryGroup]:
        return [g for g in group_stories(self._all_summaries) if g.id != story]

    def _label(self, article_id: str) -> str:
        summary = self.library.summaries().get(article_id)
        return _s(summary.label or source_name(summary.outlet, article_id)) if summary else article_id

    def action_move_version(self) -> None:
        """M: move the open version to another story, or to a story of its own."""
        found = self._open_story()
        if found is None:
            return
        article_id, story = found
        alone = len(self.library.story_groups().get(story, ())) <= 1

        def chosen(target: str | None) -> None:
            if target:
                self._correct(lambda: self.library.move_version(article_id, target), f"Moved {self._label(article_id)}")

        self.app.push_screen(  # type: ignore[attr-defined]
            StoryPicker(f"Move {self._label(article_id)} to…", self._other_stories(story), allow_new=not alone), chosen
        )

    def action_split_story(self) -> None:
        """S: split the open story: the ticked versions (the open one to begin with) leave it."""
        found = self._open_story()
        if found is None:
            return
        article_id, story = found
        versions = self.article_list.story_versions(article_id)  # type: ignore[attr-defined]
        if len(versions) < 2:
            self.notify("This story has one version: nothing to split.", timeout=3, markup=False)  # type: ignore[attr-defined]
            return
        summaries = self.library.summaries()
        rows = [(v, f"{self._label(v)} — {_s(summaries[v].title)}") for v in versions]

        def chosen(ids: list[str] | None) -> None:
            if ids is None:
                return
            if not ids or len(ids) >= len(versions):
                self.notify("Tick some of the versions, not all: they leave the story together.",  # type: ignore[attr-defined]
                            severity="warning", timeout=4, markup=False)
                return
            self._correct(lambda: self.library.split_story(story, ids), f"Split {plural(len(ids), 'version')} off")

        self.app.push_screen(VersionPicker("Split the story: which versions leave it?", rows, [article_id]),  # type: ignore[attr-defined]
                             chosen)

    def action_merge_story(self) -> None:
        """J: join the open story with another one."""
        found = self._open_story()
        if found is None:
            return
        _article_id, story = found

        def chosen(target: str | None) -> None:
            if target:
                self._correct(lambda: self.library.merge_stories(story, target), "Merged the stories")

        self.app.push_screen(StoryPicker("Merge this story with…", self._other_stories(story)), chosen)  # type: ignore[attr-defined]

    def action_undo_correction(self) -> None:
        """U: take back the latest move, split or merge."""

        def undo() -> str | None:
            removed = self.library.undo_decision()
            if removed is None:
                raise LookupError("No corrections to take back.")
            return None

        self._correct(undo, "Took back the latest correction")

    @work(thread=True, group="corrections", exclusive=True)
    def _correct(self, do: Callable[[], str | None], done: str) -> None:
        """Record a decision (the Library regroups the stories), then redraw the list."""
        try:
            story = do()
            page = self.reload_rows()  # type: ignore[attr-defined]
        except LookupError as exc:  # nothing to undo
            self.app.call_from_thread(self.notify, str(exc.args[0] if exc.args else exc), timeout=3, markup=False)  # type: ignore[attr-defined]
            return
        except (ValueError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Not changed: {_s(str(exc))}", severity="warning",  # type: ignore[attr-defined]
                                      timeout=5, markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self._corrected, done, story, page)  # type: ignore[attr-defined]

    def _corrected(self, done: str, story: str | None, page: tuple) -> None:
        self._palette_entries = None
        self._names = None
        summaries, next_offset, total, _pages = page  # the list's pages read again (MainScreen.reload_rows)
        self.show_summaries(summaries, next_offset=next_offset, total=total)  # type: ignore[attr-defined]
        if self.current_id and self.current_id in self.article_list.position:  # type: ignore[attr-defined]
            self.article_list.set_open(self.current_id)  # type: ignore[attr-defined]
            self._views.clear()  # type: ignore[attr-defined]
            self.request_view(self.current_id)  # type: ignore[attr-defined]
        message = done
        group = next((g for g in group_stories(summaries) if g.id == story), None)
        if group is not None:
            message += f": “{_s(group.title)}” now has {plural(len(group.versions), 'version')}"
        self.notify(message + ".", timeout=4, markup=False)  # type: ignore[attr-defined]
