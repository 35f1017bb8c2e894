"""The status line: what the reader is doing in the background, with a progress bar while it works."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static


class StatusBar(Horizontal):
    """A message on the left, a progress bar on the right that shows only while work is under way."""

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="status-text", markup=False)
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=True)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def say(self, message: str, *, style: str = "") -> None:
        self.query_one("#status-text", Static).update(Content.styled(message, style) if style else Content(message))

    def progress(self, done: int, total: int | None) -> None:
        """Show `done` of `total`; `total` None hides the bar (work finished)."""
        bar = self.query_one(ProgressBar)
        if total is None:
            bar.display = False
            return
        bar.display = True
        bar.update(total=max(total, 1), progress=done)

    @property
    def busy(self) -> bool:
        return bool(self.query_one(ProgressBar).display)
