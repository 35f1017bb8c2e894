"""`c`: two versions side by side, shared passages aligned, altered quotes diffed word by word.

The alignment comes from the Library: `Library.align` pairs the passages of the two versions that
tell the same thing (sentence by sentence, reworded or not, moved or not, with word-level diffs),
and the quote matches of both views say how each quote travelled. This screen only lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from tuireader.model import ArticleView
from tuireader.safety import printable
from tuireader.tui.presentation import (
    CompareRow,
    PairLike,
    diff_marks,
    passage_rows,
)
from tuireader.tui.widgets.compare_view import CompareView, Side

if TYPE_CHECKING:
    from tuireader.library import Library

QUOTE_KINDS = ("verbatim", "altered", "unquoted")


def compare_layout(
    left: ArticleView, right: ArticleView, pairs: Sequence[PairLike]
) -> tuple[Side, Side, list[CompareRow]]:
    """Spans to paint on each side and the aligned rows, from two Library views and their passage pairs.

    Painted, from the bottom layer up: words a reworded passage changed (`cmp--changed`), passages
    the other version tells elsewhere (`cmp--moved`), quotes by how they travel to the other side,
    and an altered quote's changed words (`cmp--old` / `cmp--new`).
    """
    lid, rid = left.article.id, right.article.id
    lside, rside = Side(left.article), Side(right.article)
    rows = passage_rows(left.article.paragraphs, right.article.paragraphs, pairs)
    on_rows = {(r.left_span, r.right_span) for r in rows if r.shared}
    for p in pairs:
        if p.kind == "reworded" and getattr(p, "diff", ()):
            marks = diff_marks(p.diff)
            lside.spans.extend((s, e, "cmp--changed") for s, e in marks.left)
            rside.spans.extend((s, e, "cmp--changed") for s, e in marks.right)
        if ((p.start, p.end), (p.other_start, p.other_end)) not in on_rows:
            lside.spans.append((p.start, p.end, "cmp--moved"))
            rside.spans.append((p.other_start, p.other_end, "cmp--moved"))
    matched_right: set[tuple[int, int]] = set()
    for lq in left.quotes:
        q = lq.quote
        here = [m for m in lq.matches if m.article == rid]
        if not here:
            lside.spans.append((q.start, q.end, "cmp--solo"))
            continue
        m = max(here, key=lambda m: m.score)
        lside.spans.append((q.start, q.end, f"cmp--{m.kind}"))
        rside.spans.append((m.start, m.end, f"cmp--{m.kind}"))
        matched_right.add((m.start, m.end))
        if m.kind == "altered" and m.diff:
            marks = diff_marks(m.diff)
            lside.spans.extend((s, e, "cmp--old") for s, e in marks.left)
            rside.spans.extend((s, e, "cmp--new") for s, e in marks.right)
    for lq in right.quotes:
        q = lq.quote
        back = [m for m in lq.matches if m.article == lid]
        if any(q.start < e and s < q.end for s, e in matched_right):
            continue
        if not back:
            rside.spans.append((q.start, q.end, "cmp--solo"))
            continue
        m = max(back, key=lambda m: m.score)
        kind = m.kind if m.kind in QUOTE_KINDS else lq.travel
        rside.spans.append((q.start, q.end, f"cmp--{kind}"))
        lside.spans.append((m.start, m.end, f"cmp--{kind}"))
    return lside, rside, rows


class CompareScreen(Screen):
    BINDINGS = [
        Binding("escape,c,q", "close", "Back", tooltip="Back to the reader"),
        Binding("n,right_square_bracket", "other(1)", "Next right", key_display="n",
                tooltip="Another version on the right (next)"),
        Binding("p,left_square_bracket", "other(-1)", "Prev right", key_display="p",
                tooltip="Another version on the right (previous)"),
        Binding("x", "swap", "Swap", tooltip="Swap the two sides"),
        Binding("tab", "shared(1)", "Next shared", priority=True, tooltip="Scroll to the next shared passage"),
        Binding("shift+tab", "shared(-1)", "Prev shared", priority=True, show=False,
                tooltip="Scroll to the previous shared passage"),
    ]

    def __init__(
        self,
        library: Library,
        left: str,
        right: str,
        versions: Sequence[str],
        outlets: Mapping[str, str],
        *,
        views: MutableMapping[str, ArticleView] | None = None,
    ) -> None:
        super().__init__(id="compare")
        self.library = library
        self.left_id = left
        self.right_id = right
        self.versions = list(versions)
        self.outlets = dict(outlets)
        self.views: MutableMapping[str, ArticleView] = views if views is not None else {}
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title", markup=False)
        yield CompareView(id="compare-view")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CompareView).focus()
        self._load()

    def _outlet_name(self, aid: str) -> str:
        return printable(self.outlets.get(aid, aid), keep_newlines=False)

    def _load(self) -> None:
        self.ready = False
        title = self.query_one("#compare-title", Static)
        title.update(Content.assemble(
            ("Compare  ", "bold $text-primary"), Content(self._outlet_name(self.left_id)), ("  ⟷  ", "$text-muted"),
            Content(self._outlet_name(self.right_id)),
            ("   ╋ the same passage, side by side · ", "$text-muted"), ("reworded", "underline $text-accent"),
            (" · ", "$text-muted"), ("told elsewhere", "italic $text-secondary"),
            (" · quote altered: ", "$text-muted"),
            ("before", "strike $text-error"), (" / ", "$text-muted"), ("after", "bold $text-warning"),
        ))
        view = self.query_one(CompareView)
        view.set_message(f"Aligning {self._outlet_name(self.left_id)} with {self._outlet_name(self.right_id)}…")
        self._align(self.left_id, self.right_id)

    @work(thread=True, group="compare", exclusive=True)
    def _align(self, left_id: str, right_id: str) -> None:
        worker = get_current_worker()
        try:
            left = self.views.get(left_id) or self.library.view(left_id)
            right = self.views.get(right_id) or self.library.view(right_id)
            self.views[left_id], self.views[right_id] = left, right
        except Exception as exc:
            message = printable(str(exc), keep_newlines=False) or type(exc).__name__
            self.app.call_from_thread(self.query_one(CompareView).set_message,
                                      f"Cannot compare these versions: {message}")
            return
        if worker.is_cancelled:
            return
        try:
            pairs = self.library.align(left_id, right_id)
        except Exception as exc:
            message = printable(str(exc), keep_newlines=False) or type(exc).__name__
            self.app.call_from_thread(self.query_one(CompareView).set_message,
                                      f"Cannot align these versions: {message}")
            return
        if worker.is_cancelled:
            return
        lside, rside, rows = compare_layout(left, right, pairs)
        lside.label, rside.label = self.outlets.get(left_id, ""), self.outlets.get(right_id, "")
        self.app.call_from_thread(self._show, left_id, right_id, lside, rside, rows)

    def _show(self, left_id: str, right_id: str, lside: Side, rside: Side, rows: list[CompareRow]) -> None:
        if (left_id, right_id) != (self.left_id, self.right_id):
            return
        self.query_one(CompareView).set_data(lside, rside, rows)
        self.ready = True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_other(self, step: int) -> None:
        choices = [v for v in self.versions if v != self.left_id]
        if not choices:
            return
        i = choices.index(self.right_id) if self.right_id in choices else -1
        self.right_id = choices[(i + step) % len(choices)]
        self._load()

    def action_swap(self) -> None:
        self.left_id, self.right_id = self.right_id, self.left_id
        self._load()

    def action_shared(self, step: int) -> None:
        view = self.query_one(CompareView)
        shared = view.shared_rows
        if not shared:
            self.notify("No shared passages found between these versions.", timeout=2, markup=False)
            return
        top = view.row_at_top()
        if step > 0:
            nxt = next((r for r in shared if r > top), shared[0])
        else:
            nxt = next((r for r in reversed(shared) if r < top), shared[-1])
        view.scroll_to_row(nxt)
