"""`?`: every key the reader answers to, read from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.tui.presentation import LAYER_STYLE, LAYERS

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "shift+tab": "Shift+Tab",
    "tab": "Tab",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "ctrl+p": "Ctrl+P",
    "ctrl+c": "Ctrl+C",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "home": "Home",
    "end": "End",
}


def key_label(keys: str) -> str:
    return " ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def _sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(keys, what it does)]) from the reader's binding tables."""
    from tuireader.tui.app import ReaderApp
    from tuireader.tui.screens.compare import CompareScreen
    from tuireader.tui.screens.main import MainScreen
    from tuireader.tui.screens.revisions import RevisionScreen
    from tuireader.tui.screens.search import SearchScreen
    from tuireader.tui.widgets.article_list import ArticleList
    from tuireader.tui.widgets.article_text import ArticleText

    def rows(bindings: list, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        out = []
        for b in bindings:
            if isinstance(b, Binding) and b.action not in skip and b.description:
                out.append((key_label(b.key), b.tooltip or b.description))
        return out

    main = rows(MainScreen.BINDINGS)
    layer_rows = [r for r in main if r[1].startswith("Show or hide highlights")]
    main = [r for r in main if r not in layer_rows]
    return [
        ("The list (left)", rows(ArticleList.BINDINGS) + [("click", "Open the version")]),
        ("Reading and comparing", main + [
            ("click", "Select the highlight under the pointer; click it again to jump (like v)"),
            ("click →", "In the info pane: open that version at that passage"),
        ]),
        ("Highlight layers (legend above the text; click to toggle)", layer_rows),
        ("The text (centre)", rows(ArticleText.BINDINGS) + [("↑ ↓ PgUp PgDn", "Scroll")]),
        ("Compare view (c)", rows(CompareScreen.BINDINGS)),
        ("Revisions (d)", rows(RevisionScreen.BINDINGS)),
        ("Search (/)", rows(SearchScreen.BINDINGS) + [("type", "Results update as you type")]),
        ("Everywhere", rows(ReaderApp.BINDINGS) + [("Ctrl+P", "Command palette: every command, themes")]),
    ]


LEGEND_WORDS = {
    "entity": "a person, place or organisation other versions also name",
    "verbatim": "a quote carried word for word by other versions",
    "altered": "a quote whose words another version changed",
    "unquoted": "a quote another version reports without quotation marks",
    "solo": "a quote no other version carries",
    "discrepancy": "a figure or date other versions state differently",
}


def _rows(rows: list[tuple[Content, Content]]) -> Grid:
    """Two columns, so a long description wraps under itself rather than under the keys."""
    cells = [Static(cell, classes=f"help-{kind}") for row in rows for kind, cell in zip(("keys", "what"), row, strict=True)]
    return Grid(*cells, classes="help-rows")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content.styled("tuireader — keys", "bold $text-primary"), id="help-title")
            with VerticalScroll(id="help-body"):
                for title, entries in _sections():
                    yield Static(Content.styled(title, "bold $text-accent"), classes="help-section")
                    yield _rows([(Content.styled(keys, "bold"), Content(what)) for keys, what in entries])
                yield Static(Content.styled("What the highlights mean", "bold $text-accent"), classes="help-section")
                legend = [
                    (Content.assemble(f"{n}  ", (short, LAYER_STYLE[key])), Content(LEGEND_WORDS[key]))
                    for n, (key, short, _long) in enumerate(LAYERS, start=1)
                ]
                legend.append((Content.styled("⇄3", "bold $text-success"),
                               Content("in the list: quotes of that version other versions carry")))
                legend.append((Content.styled("● ●3", "bold"),
                               Content("in the list: an unread version; a story's unread versions")))
                legend.append((Content.styled("new", "bold italic"),
                               Content("in the list: brought by the last scan or refresh that brought anything")))
                legend.append((Content.styled("#001", "bold"),
                               Content("a version whose outlet is not stated, by its file number")))
                yield _rows(legend)
            yield Static(Content.styled("Esc, q or ? to close", "$text-muted"), id="help-foot")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
