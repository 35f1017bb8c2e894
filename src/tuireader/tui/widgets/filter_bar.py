"""The filter bar under the panes (`f`): type `outlet:harbor feed:harbor.example since:2026-11-01 unread outlets:2`."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = ("filter: outlet:NAME feed:ADDRESS since:YYYY-MM-DD until:YYYY-MM-DD unread outlets:N words…  "
               "(Enter applies, Esc closes)")


class FilterBar(Input):
    """One line; Enter applies what is typed (empty: everything), Esc closes it unchanged."""

    BINDINGS = [Binding("escape", "close", "Close the filter bar", show=False)]

    class Applied(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Closed(Message):
        """Closed without applying."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, select_on_focus=False)

    async def action_submit(self) -> None:
        self.post_message(self.Applied(self.value))

    def action_close(self) -> None:
        self.post_message(self.Closed())
