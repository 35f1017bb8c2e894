"""Messages the reader's widgets send upward; the app decides what they mean."""

from __future__ import annotations

from textual.message import Message


class ArticleChosen(Message):
    """The user picked an article (Enter or a click in the list)."""

    def __init__(self, article_id: str, *, focus_text: bool = True) -> None:
        super().__init__()
        self.article_id = article_id
        self.focus_text = focus_text


class HighlightChosen(Message):
    """The highlight cursor moved onto a highlight (Tab, a click in the text, a click in the pane)."""

    def __init__(self, index: int | None) -> None:
        super().__init__()
        self.index = index


class HighlightActivated(Message):
    """A click on the highlight that is already selected: go to the same passage elsewhere (like `v`)."""


class JumpRequested(Message):
    """Open another version at a passage (a click on an outlet in the metadata pane)."""

    def __init__(self, article_id: str, start: int, end: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.start = start
        self.end = end


class LayerToggled(Message):
    """A click on a legend entry: show or hide one highlight layer."""

    def __init__(self, layer: str) -> None:
        super().__init__()
        self.layer = layer
