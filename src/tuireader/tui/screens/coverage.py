"""`t`: a story's coverage: who published when (first report marked), which outlets carry it, and
how much of each version is shared, reworded or told only there.

The numbers come from the Library (the story, its summaries and the alignment's per-version
counts, gathered by `Library.story_comparison`); this screen only draws them with Rich blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.safety import printable
from tuireader.tui.presentation import count_bar, fit_cells, readable_date, timeline_columns

if TYPE_CHECKING:
    from tuireader.export import StoryExport
    from tuireader.library import Library

PARTS = (("shared", "$success"), ("reworded", "$warning"), ("only here", "$secondary"))


def coverage_content(export: StoryExport, width: int) -> Content:
    """The coverage picture as lines of styled text, `width` cells wide."""
    from tuireader.export import outlets_line

    name_w, date_w = (18, 20) if width >= 90 else (14, 11)
    rest = width - name_w - date_w - 3 - 12  # 3 gaps; 12: room for the numbers after the bar
    track_w = max(8, rest // 2)
    bar_w = max(6, rest - track_w)
    legend = "shared / reworded / only here" if bar_w + 12 >= 29 else "shared/rew./only"
    versions = sorted(export.versions, key=lambda v: (v.published is None, v.published or "", v.name))
    cols = timeline_columns([v.published for v in versions], track_w)
    lines: list[Content] = []
    names = [v.name for v in export.versions]
    lines.append(Content.styled(f"{len(versions)} versions from {len(set(names))} outlets: {outlets_line(names)}",
                                "bold"))
    first = [v.name for v in versions if v.first]
    if first:
        lines.append(Content.assemble("First reported by ", (outlets_line(first), "bold $text-accent"),
                                      f" on {readable_date(min(v.published for v in versions if v.first and v.published))}"))
    lines.append(Content(""))
    lines.append(Content.assemble(
        fit_cells("outlet", name_w), " ", fit_cells("published", date_w), " ",
        fit_cells("when (first → last)", track_w), " ",
        legend,
    ).stylize("$text-muted"))
    for v, col in zip(versions, cols, strict=True):
        track = ["·"] * track_w
        if col is not None:
            track[col] = "★" if v.first else "●"
        counts = (v.shared, v.reworded, v.only_here)
        cells = count_bar(counts, bar_w)
        bar = [("█" * n, style) for n, (_label, style) in zip(cells, PARTS, strict=True) if n]
        numbers = f" {v.shared}/{v.reworded}/{v.only_here}"
        lines.append(Content.assemble(
            (fit_cells(printable(v.name, keep_newlines=False), name_w), "bold"), " ",
            (fit_cells(readable_date(v.published) if v.published else "undated", date_w), "$text-muted"), " ",
            ("".join(track), "$text-accent"), " ",
            *bar, (numbers, "$text-muted"),
        ))
    lines.append(Content(""))
    lines.append(Content.styled("★ the first report  ● a later version  · time between the first and the last "
                                "dated version", "$text-muted"))
    return Content("\n").join(lines)


class CoverageScreen(ModalScreen[None]):
    """The picture of one story's coverage; Esc, q or t closes it."""

    BINDINGS = [Binding("escape,q,t", "close", "Close the coverage view")]

    def __init__(self, library: Library, story_id: str) -> None:
        super().__init__()
        self.library = library
        self.story_id = story_id
        self.export: StoryExport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="coverage-box"):
            yield Static(Content.styled("Coverage", "bold $text-primary"), id="coverage-title")
            with VerticalScroll(id="coverage-body"):
                yield Static(Content.styled("Gathering the versions…", "$text-muted"), id="coverage-text")
            yield Static(Content.styled("Esc, q or t to close", "$text-muted"), id="coverage-foot")

    def on_mount(self) -> None:
        self._gather()

    @work(thread=True, exclusive=True)
    def _gather(self) -> None:
        try:
            export = self.library.story_comparison(self.story_id)
        except Exception as exc:  # noqa: BLE001 - one line on the screen, the reader goes on
            message = printable(str(exc), keep_newlines=False) or type(exc).__name__
            self.app.call_from_thread(self._show_failure, message)
            return
        self.app.call_from_thread(self._show, export)

    def _show(self, export: StoryExport) -> None:
        self.export = export
        self.query_one("#coverage-title", Static).update(
            Content.styled(f"Coverage: {printable(export.title, keep_newlines=False)}", "bold $text-primary"))
        self._paint()

    def _paint(self) -> None:
        if self.export is not None:
            width = max(40, self.query_one("#coverage-body").size.width - 1)
            self.query_one("#coverage-text", Static).update(coverage_content(self.export, width))

    def on_resize(self) -> None:
        self._paint()

    def _show_failure(self, message: str) -> None:
        self.query_one("#coverage-text", Static).update(Content.styled(f"Coverage unavailable: {message}",
                                                                       "$text-error"))

    def action_close(self) -> None:
        self.dismiss(None)

