"""`c`: two versions side by side, shared passages on one row, altered quotes diffed word by word."""

from __future__ import annotations

from tuireader.tui.app import ReaderApp
from tuireader.tui.presentation import paragraph_at, paragraph_spans
from tuireader.tui.screens.compare import CompareScreen
from tuireader.tui.widgets.compare_view import CompareView

SIZE = (140, 40)


def _altered_pair(main):
    """(left id, right id, quote, match) for a quote that another version alters, from the Library."""
    for summary in main.library.articles():
        view = main.library.view(summary.id)
        for lq in view.quotes:
            for m in lq.matches:
                if m.kind == "altered" and m.diff and any(op.op != "equal" for op in m.diff):
                    return summary.id, m.article, lq.quote, m
    raise AssertionError("the seed story has altered quotes")


async def test_c_shows_versions_side_by_side_with_the_altered_quote_aligned_and_diffed(make_app, settled, waiter):
    app: ReaderApp = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        left, right, quote, match = _altered_pair(main)
        main.open_article(left)
        await settled(pilot)
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.left_id == left
        while screen.right_id != right:
            await pilot.press("n")
        await waiter(pilot, lambda: screen.ready, what="the alignment")
        view = screen.query_one(CompareView)
        lpara = paragraph_at(paragraph_spans(view.left.article.paragraphs), quote.start)
        rpara = paragraph_at(paragraph_spans(view.right.article.paragraphs), match.start)
        assert any(r.shared and r.left == lpara and r.right == rpara for r in view.rows)
        # Rows keep both versions whole and in order (a row shows a passage: a paragraph or part of one).
        for side, article in (("left", view.left.article), ("right", view.right.article)):
            paras = paragraph_spans(article.paragraphs)
            spans = [getattr(r, f"{side}_span") or paras[getattr(r, side)] for r in view.rows
                     if getattr(r, side) is not None]
            assert all(e1 <= s2 for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False))
            assert " ".join(article.text[s:e] for s, e in spans).split() == article.text.split()
        old = [view.left.article.text[s:e] for s, e, name in view.left.spans
               if name == "cmp--old" and quote.start <= s < quote.end]
        new = [view.right.article.text[s:e] for s, e, name in view.right.spans
               if name == "cmp--new" and match.start <= s < match.end]
        changed_a = " ".join(op.a for op in match.diff if op.op != "equal")
        changed_b = " ".join(op.b for op in match.diff if op.op != "equal")
        assert old and all(w in changed_a for w in old)
        assert new and all(w in changed_b for w in new)
        # The shared row starts on the same screen line on both sides.
        row_index = next(i for i, r in enumerate(view.rows) if r.left == lpara and r.right == rpara)
        first = view.row_first_line[row_index]
        left_line, right_line, shared = view._lines[first]
        assert shared and left_line is not None and right_line is not None


async def test_compare_keys_change_the_right_version_swap_and_close(make_app, settled, waiter):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        here = main.current_id
        versions = main.article_list.story_versions(here)
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await waiter(pilot, lambda: screen.ready, what="the alignment")
        assert screen.right_id == versions[(versions.index(here) + 1) % len(versions)]
        first_right = screen.right_id
        await pilot.press("n")
        assert screen.right_id not in (first_right, here)
        await waiter(pilot, lambda: screen.ready, what="the alignment")
        await pilot.press("p")
        assert screen.right_id == first_right
        await pilot.press("x")
        assert (screen.left_id, screen.right_id) == (first_right, here)
        await waiter(pilot, lambda: screen.ready, what="the alignment")
        view = screen.query_one(CompareView)
        assert view.left.article.id == first_right and view.right.article.id == here
        if view.shared_rows:
            await pilot.press("tab")
            assert view.row_at_top() in view.shared_rows
        await pilot.press("escape")
        assert app.screen is main
        assert main.current_id == here


def test_passage_rows_share_a_row_for_pairs_in_order_and_leave_moved_passages_in_place():
    from tuireader.model import SentencePair
    from tuireader.tui.presentation import passage_rows

    left = ["One two three. Four five six.", "Seven eight nine.", "Ten eleven."]
    right = ["Ten eleven!", "One two three. Something else.", "Seven eight nine."]
    lt, rt = "\n\n".join(left), "\n\n".join(right)

    def pair(a: str, b: str, kind: str = "same") -> SentencePair:
        return SentencePair("r", None, kind, 100.0, lt.index(a), lt.index(a) + len(a), rt.index(b), rt.index(b) + len(b))

    first, second = pair("One two three.", "One two three."), pair("Seven eight nine.", "Seven eight nine.")
    moved = pair("Ten eleven.", "Ten eleven!", "reworded")
    rows = passage_rows(left, right, [first, moved, second])
    shared = [(r.left_span, r.right_span) for r in rows if r.shared]
    assert shared == [((p.start, p.end), (p.other_start, p.other_end)) for p in (first, second)]
    # Both versions stay whole and in order; the moved passage stays where each version has it.
    for side, text in (("left", lt), ("right", rt)):
        pieces = [text[slice(*getattr(r, f"{side}_span"))] for r in rows if getattr(r, f"{side}_span")]
        assert " ".join(pieces).split() == text.split()
    assert [rt[slice(*r.right_span)] for r in rows if r.right_span][0] == "Ten eleven!"
    assert [lt[slice(*r.left_span)] for r in rows if r.left_span][-1] == "Ten eleven."
