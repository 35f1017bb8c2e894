"""The status line: what the reader is doing in the background, with a progress bar while it works.

A message that must be read (a failure, a cache file found damaged and rebuilt) is *held*: for a
few seconds the routine messages that follow it (scan and linking progress, "N articles in M
stories") are kept back, the last of them shown when the hold ends. Without it, a failed refresh
was replaced within a quarter of a second by the rescan that follows every refresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from tuireader.safety import printable

HOLD_SECONDS = 8.0  # how long a held message stays before routine messages may replace it
NOTICE_POLL_SECONDS = 0.5


class StatusBar(Horizontal):
    """A message on the left, a progress bar on the right that shows only while work is under way."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - Horizontal's
        super().__init__(*args, **kwargs)
        self._held_until = 0.0
        self._pending: tuple[str, str] | None = None
        self._notices: Callable[[], Sequence[str]] | None = None
        self._notices_seen = 0

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="status-text", markup=False)
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=True)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def say(self, message: str, *, style: str = "", hold: float = 0.0) -> None:
        """Show `message`; with `hold`, keep it for that many seconds against routine messages
        (which are not lost: the latest is shown when the hold ends)."""
        now = time.monotonic()
        if not hold and now < self._held_until:
            self._pending = (message, style)
            return
        self._show(message, style)
        if hold:
            self._held_until = max(self._held_until, now + hold)
            self._pending = None
            self.set_timer(hold, self._release)

    def _show(self, message: str, style: str) -> None:
        self.query_one("#status-text", Static).update(Content.styled(message, style) if style else Content(message))

    def _release(self) -> None:
        if time.monotonic() + 0.05 < self._held_until:
            return  # a later hold runs longer; its own timer releases it
        self._held_until = 0.0
        if self._pending is not None:
            message, style = self._pending
            self._pending = None
            self._show(message, style)

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

    @property
    def held(self) -> bool:
        return time.monotonic() < self._held_until

    # --- notices (Library.notices: a cache file damaged and rebuilt) -----------------------------
    def follow_notices(self, notices: Callable[[], Sequence[str]]) -> None:
        """Show each new line of `notices()` (the Library's list, only read here) as it appears,
        held in the status line and as a notification, at start, after a rescan and whenever a
        store recovers on first use."""
        self._notices = notices
        self.check_notices()
        self.set_interval(NOTICE_POLL_SECONDS, self.check_notices)

    def check_notices(self) -> None:
        if self._notices is None:
            return
        lines = list(self._notices())
        if len(lines) < self._notices_seen:  # emptied by someone else: start over
            self._notices_seen = 0
        fresh, self._notices_seen = lines[self._notices_seen :], len(lines)
        for line in fresh:
            shown = printable(line, keep_newlines=False)
            self.say(shown, style="$text-warning", hold=HOLD_SECONDS)
            self.app.notify(shown, title="Cache rebuilt", severity="warning", timeout=HOLD_SECONDS, markup=False)
