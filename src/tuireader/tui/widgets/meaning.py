"""The meaning bar: a line or two under the text saying what the selected highlight means, for
the layouts where the info pane is not beside the text (80 columns and less).

`quote carried word for word elsewhere: quote, Maria Okafor “We have been patient…” · Coast Daily
verbatim, Valley Post altered · v jumps · i details`. Every part comes from the article, so it is
built as Content (never markup) from printable text.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from tuireader.safety import printable
from tuireader.tui.presentation import LAYER_STYLE, LAYERS, Highlight, source_name
from tuireader.tui.widgets.meta_pane import KIND_WORDS

MEANINGS = {key: long for key, _short, long in LAYERS}


def meaning_content(h: Highlight, outlets: Mapping[str, str]) -> Content:
    """The line for highlight `h`: its layer's meaning, its label, where else it is told."""
    label = printable(h.label, keep_newlines=False).removeprefix("differs: ")
    parts: list[tuple[str, str] | str] = [(MEANINGS.get(h.kind, h.kind), f"bold {LAYER_STYLE.get(h.kind, '')}".strip()),
                                          ": ", label]  # fmt: skip
    if h.targets:
        seen: list[str] = []
        for t in h.targets:
            name = printable(outlets.get(t.article) or source_name(t.outlet, t.article), keep_newlines=False)
            words = f"{name} {KIND_WORDS.get(t.kind, t.kind)}"
            if words not in seen:
                seen.append(words)
        parts += [("  ·  ", "$text-muted"), ", ".join(seen), ("  ·  v jumps", "$text-muted")]
    else:
        parts.append(("  ·  no other version carries it", "$text-muted"))
    parts.append(("  ·  i details", "$text-muted"))
    return Content.assemble(*parts)


class MeaningBar(Static):
    """Shown by the main screen when a highlight is selected and the info pane is hidden."""

    DEFAULT_CSS = """
    MeaningBar { height: auto; max-height: 4; background: $panel; padding: 0 1; display: none;
                 border-top: hkey $border-blurred; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)
        self.highlight: Highlight | None = None

    def show_highlight(self, h: Highlight | None, outlets: Mapping[str, str], wanted: bool) -> None:
        """`wanted`: the layout leaves the info pane out, so the meaning has to be said here."""
        self.highlight = h
        self.display = wanted and h is not None
        self.update(meaning_content(h, outlets) if h is not None else Content(""))
