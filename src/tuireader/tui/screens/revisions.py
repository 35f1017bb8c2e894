"""`d`: what changed between two revisions of one article, side by side, word by word.

An outlet that edits an article after publication (a figure changed, a sentence added) leaves
tuireader several revisions of it (`Library.revisions`). This screen shows two of them, the older
on the left, in the compare view's layout: paragraphs kept as they were share a row, a changed
paragraph shows its words taken out (left) and put in (right), a paragraph only one revision has
is painted whole. The pairs come from `Library.revision_diff`; this screen only paints them.

Keys pick the two revisions (default: the one before the latest, or the one being read, against
the latest): `p`/`n` move both sides one revision older/newer, `<`/`>` only the left side, and
`Enter` (or `o`) reads the left revision in the reader, `O` the right one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tuireader.labels import revision_change_lines
from tuireader.model import Article, Revision
from tuireader.safety import printable
from tuireader.tui.presentation import CompareRow, PairLike, diff_marks, paragraph_spans, passage_rows
from tuireader.tui.widgets.compare_view import CompareView, Side

if TYPE_CHECKING:
    from tuireader.library import Library


@dataclass(frozen=True)
class ReadRevision:
    """What the screen hands back when the user chose to read a revision."""

    article: str  # the revision's article id
    line: str  # how the info pane names it: "revision 1 of 3, fetched 2024-05-14 22:10 UTC"
    latest: str  # the id of the article's latest revision (the one the list shows)


def fetched_words(fetched: str | None) -> str:
    """A revision's fetch time as the screen writes it ("2024-05-14 22:10 UTC"), or "first stored"."""
    if not fetched:
        return "when first stored"
    text = printable(fetched, keep_newlines=False)
    if len(text) >= 16 and text[10] == "T":
        zone = " UTC" if text.endswith(("+00:00", "Z")) else ""
        return f"{text[:10]} {text[11:16]}{zone}"
    return text


def revision_line(revision: Revision, count: int) -> str:
    return f"revision {revision.number} of {count}, fetched {fetched_words(revision.fetched)}"


def revision_layout(
    older: Article, newer: Article, pairs: Sequence[PairLike]
) -> tuple[Side, Side, list[CompareRow]]:
    """Spans to paint and the rows to lay out, from two revisions and the Library's pairs: the
    words a changed paragraph took out (`cmp--old`, left) and put in (`cmp--new`, right); a
    paragraph only one side has is painted whole in the same way."""
    left, right = Side(older), Side(newer)
    rows = passage_rows(older.paragraphs, newer.paragraphs, pairs)
    for p in pairs:
        if getattr(p, "diff", ()):
            marks = diff_marks(p.diff)  # type: ignore[attr-defined]
            left.spans.extend((s, e, "cmp--old") for s, e in marks.left)
            right.spans.extend((s, e, "cmp--new") for s, e in marks.right)
    lparas, rparas = paragraph_spans(older.paragraphs), paragraph_spans(newer.paragraphs)
    for row in rows:
        if row.shared:
            continue
        if row.left is not None:
            s, e = row.left_span or lparas[row.left]
            left.spans.append((s, e, "cmp--old"))
        if row.right is not None:
            s, e = row.right_span or rparas[row.right]
            right.spans.append((s, e, "cmp--new"))
    return left, right, rows


class RevisionScreen(Screen[ReadRevision | None]):
    DEFAULT_CSS = """
    #revisions-title {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    #revisions-figures {
        height: auto;
        max-height: 4;
        padding: 0 1;
        color: $text-warning;
    }
    """

    BINDINGS = [
        Binding("escape,d,q", "close", "Back", tooltip="Back to the reader"),
        Binding("p,left_square_bracket", "step(-1)", "Older", key_display="p",
                tooltip="Both sides one revision older"),
        Binding("n,right_square_bracket", "step(1)", "Newer", key_display="n",
                tooltip="Both sides one revision newer"),
        Binding("less_than_sign", "left(-1)", "Left older", key_display="<",
                tooltip="Only the left side one revision older (the first against the latest, say)"),
        Binding("greater_than_sign", "left(1)", "Left newer", key_display=">", show=False,
                tooltip="Only the left side one revision newer"),
        Binding("enter,o", "read('left')", "Read left", key_display="Enter",
                tooltip="Read the left (older) revision in the reader, other outlets aligned with it"),
        Binding("O", "read('right')", "Read right", show=False, tooltip="Read the right revision in the reader"),
        Binding("tab", "change(1)", "Next change", priority=True, tooltip="Scroll to the next changed passage"),
        Binding("shift+tab", "change(-1)", "Prev change", priority=True, show=False,
                tooltip="Scroll to the previous changed passage"),
    ]

    def __init__(self, library: Library, article_id: str, outlet: str = "") -> None:
        super().__init__(id="revisions")
        self.library = library
        self.article_id = article_id  # the revision the reader shows
        self.outlet = outlet
        self.revisions: list[Revision] = []
        self.changes: list[Revision] | None = None  # with the figures each changed (`_read_figures`)
        self.left = self.right = 0  # indices into `revisions`
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Static(id="revisions-title", markup=False)
        yield Static(id="revisions-figures", markup=False)
        yield CompareView(id="revision-view")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(CompareView)
        view.focus()
        view.set_message("Reading the revisions…")
        self._title()
        self._list_revisions()

    @work(thread=True, group="revisions", exclusive=True)
    def _list_revisions(self) -> None:
        try:
            revisions = self.library.revisions(self.article_id)
        except Exception as exc:  # noqa: BLE001 - shown on screen, the reader goes on
            self.app.call_from_thread(self._failed, f"Cannot list the revisions: {_one_line(exc)}")
            return
        self.app.call_from_thread(self._listed, revisions)

    def _listed(self, revisions: list[Revision]) -> None:
        self.revisions = revisions
        if len(revisions) < 2:
            self._failed("Only one revision of this version is stored: nothing has changed since.")
            return
        reading = next((i for i, r in enumerate(revisions) if r.article == self.article_id), len(revisions) - 1)
        self.right = len(revisions) - 1
        self.left = reading if reading < self.right else self.right - 1
        self._load()
        self._read_figures()

    @work(thread=True, group="revision-figures", exclusive=True)
    def _read_figures(self) -> None:
        """The figures each revision changed (analysis: may take a moment on a first look)."""
        try:
            changes = self.library.revisions(self.article_id, figures=True)
        except Exception as exc:  # noqa: BLE001 - the diff stands without them
            self.app.call_from_thread(self._figures_line, f"Changed figures unavailable: {_one_line(exc)}")
            return
        self.app.call_from_thread(self._figures_read, changes)

    def _figures_read(self, changes: list[Revision]) -> None:
        self.changes = changes
        self._show_figures()

    def _show_figures(self) -> None:
        """The changed figures of the revisions between the two shown (left exclusive, right inclusive)."""
        if self.changes is None or len(self.changes) != len(self.revisions):
            return
        # the left revision's own changes are from the one before it: not between the two shown
        first = replace(self.changes[self.left], discrepancies=())
        lines = revision_change_lines([first, *self.changes[self.left + 1 : self.right + 1]])
        self._figures_line("\n".join(["Figures changed: " + lines[0], *lines[1:]]) if lines
                           else "No figure changed between these revisions.")

    def _figures_line(self, text: str) -> None:
        self.query_one("#revisions-figures", Static).update(Content(text))

    def _failed(self, message: str) -> None:
        self.query_one(CompareView).set_message(message)
        self.ready = True

    def _title(self) -> None:
        parts: list[tuple[str, str] | Content] = [("Revisions  ", "bold $text-primary")]
        if self.outlet:
            parts.append(Content(printable(self.outlet, keep_newlines=False)))
            parts.append(("  ", ""))
        if len(self.revisions) >= 2:
            parts.append((f"{self.revisions[self.left].number} ⟶ {self.revisions[self.right].number}"
                          f" of {len(self.revisions)}", "bold"))
        parts += [("   ╋ unchanged · ", "$text-muted"), ("taken out", "strike $text-error"),
                  (" / ", "$text-muted"), ("put in", "bold $text-warning")]
        self.query_one("#revisions-title", Static).update(Content.assemble(*parts))

    def _load(self) -> None:
        self.ready = False
        self._title()
        self._show_figures()
        older, newer = self.revisions[self.left], self.revisions[self.right]
        self.query_one(CompareView).set_message(f"Comparing revision {older.number} with {newer.number}…")
        self._diff(older.article, newer.article)

    @work(thread=True, group="revision-diff", exclusive=True)
    def _diff(self, older_id: str, newer_id: str) -> None:
        try:
            pairs = self.library.revision_diff(older_id, newer_id)
            older, newer = self.library.article(older_id), self.library.article(newer_id)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.app.call_from_thread(self._failed, f"Cannot compare these revisions: {_one_line(exc)}")
            return
        left, right, rows = revision_layout(older, newer, pairs)
        count = len(self.revisions)
        by_id = {r.article: r for r in self.revisions}
        left.label = f"Revision {by_id[older_id].number} of {count} · fetched {fetched_words(by_id[older_id].fetched)}"
        right.label = f"Revision {by_id[newer_id].number} of {count} · fetched {fetched_words(by_id[newer_id].fetched)}"
        self.app.call_from_thread(self._show, older_id, newer_id, left, right, rows)

    def _show(self, older_id: str, newer_id: str, left: Side, right: Side, rows: list[CompareRow]) -> None:
        if (older_id, newer_id) != (self.revisions[self.left].article, self.revisions[self.right].article):
            return  # the user moved on meanwhile
        self.query_one(CompareView).set_data(left, right, rows)
        self.ready = True

    # --- actions ----------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_step(self, step: int) -> None:
        if len(self.revisions) < 2:
            return
        left, right = self.left + step, self.right + step
        if left < 0 or right >= len(self.revisions):
            self.notify("No " + ("older" if step < 0 else "newer") + " revision.", timeout=2, markup=False)
            return
        self.left, self.right = left, right
        self._load()

    def action_left(self, step: int) -> None:
        if len(self.revisions) < 2:
            return
        left = self.left + step
        if left < 0 or left >= self.right:
            self.notify("The left side stays older than the right.", timeout=2, markup=False)
            return
        self.left = left
        self._load()

    def action_read(self, side: str) -> None:
        if len(self.revisions) < 2:
            return
        chosen = self.revisions[self.left if side == "left" else self.right]
        self.dismiss(ReadRevision(chosen.article, revision_line(chosen, len(self.revisions)),
                                  self.revisions[-1].article))

    def action_change(self, step: int) -> None:
        view = self.query_one(CompareView)
        changed = [i for i, r in enumerate(view.rows) if not r.shared or r.kind == "reworded"]
        if not changed:
            self.notify("No changed passages between these revisions.", timeout=2, markup=False)
            return
        top = view.row_at_top()
        if step > 0:
            nxt = next((r for r in changed if r > top), changed[0])
        else:
            nxt = next((r for r in reversed(changed) if r < top), changed[-1])
        view.scroll_to_row(nxt)


def _one_line(exc: BaseException) -> str:
    text = printable(str(exc), keep_newlines=False) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"
