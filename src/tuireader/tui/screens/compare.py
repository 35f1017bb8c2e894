"""`c`: two versions side by side, shared passages aligned, altered quotes diffed word by word.

The alignment's anchors all come from the Library: the quote matches of both versions (with
their word-level diffs), the story's discrepancy spans, and search hits restricted to the story
for each paragraph (the Library's own reworded-passage ranking). This screen only lays them out.
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
    Anchor,
    CompareRow,
    align_paragraphs,
    diff_marks,
    paragraph_spans,
    quote_travel,
)
from tuireader.tui.widgets.compare_view import CompareView, Side

if TYPE_CHECKING:
    from tuireader.library import Library

KIND_WEIGHT = {"verbatim": 3.0, "altered": 2.5, "unquoted": 2.0}
SEARCH_MIN_SCORE = 75.0  # search hits weaker than this do not pair two paragraphs
SEARCH_WORDS = 24  # how much of a paragraph is sent as the query


def compare_layout(
    left: ArticleView,
    right: ArticleView,
    passage_hits: Sequence[tuple[int, int, float]] = (),
) -> tuple[Side, Side, list[CompareRow]]:
    """Spans to paint on each side and the aligned rows, from two Library views.

    `passage_hits` are (left offset, right offset, score) pairs found by the Library's search.
    """
    lid, rid = left.article.id, right.article.id
    lside, rside = Side(left.article), Side(right.article)
    anchors: list[Anchor] = []
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
        anchors.append(Anchor(q.start, m.start, KIND_WEIGHT.get(m.kind, 1.0)))
        if m.kind == "altered" and m.diff:
            marks = diff_marks(m.diff, left.article.text[q.start:q.end], q.start,
                               right.article.text[m.start:m.end], m.start)
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
        kind = quote_travel(lq) if m.kind not in KIND_WEIGHT else m.kind
        rside.spans.append((q.start, q.end, f"cmp--{kind}"))
        lside.spans.append((m.start, m.end, f"cmp--{kind}"))
        anchors.append(Anchor(m.start, q.start, KIND_WEIGHT.get(m.kind, 1.0)))
    story = left.story
    if story is not None:
        for d in story.discrepancies:
            if lid in d.spans and rid in d.spans:
                anchors.append(Anchor(d.spans[lid][0], d.spans[rid][0], 0.5))
    anchors.extend(Anchor(lo, ro, score / 100.0) for lo, ro, score in passage_hits)
    rows = align_paragraphs(paragraph_spans(left.article.paragraphs),
                            paragraph_spans(right.article.paragraphs), anchors)
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
            ("   shared passages share a row, marked ┃ · altered words: ", "$text-muted"),
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
        hits = [] if worker.is_cancelled else self._passage_hits(left, right)
        if worker.is_cancelled:
            return
        lside, rside, rows = compare_layout(left, right, hits)
        self.app.call_from_thread(self._show, left_id, right_id, lside, rside, rows)

    def _passage_hits(self, left: ArticleView, right: ArticleView) -> list[tuple[int, int, float]]:
        """Ask the Library's search, within the story, where each left paragraph reappears on the right."""
        story = self.library.story_of(left.article.id)
        out: list[tuple[int, int, float]] = []
        for (start, _end), para in zip(paragraph_spans(left.article.paragraphs), left.article.paragraphs,
                                       strict=True):
            words = para.split()
            if len(words) < 6:
                continue
            try:
                hits = self.library.search(" ".join(words[:SEARCH_WORDS]), story=story, limit=20)
            except Exception:
                return out
            best = max((h for h in hits if h.article == right.article.id), key=lambda h: h.score, default=None)
            if best is not None and best.score >= SEARCH_MIN_SCORE:
                out.append((start, best.start, best.score))
        return out

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
            self.notify("No shared passages found between these versions.", timeout=2)
            return
        top = view.row_at_top()
        if step > 0:
            nxt = next((r for r in shared if r > top), shared[0])
        else:
            nxt = next((r for r in reversed(shared) if r < top), shared[-1])
        view.scroll_to_row(nxt)
