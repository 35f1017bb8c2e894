"""The reader's pure layout helpers: wrapping in cells, list grouping, compare rows, diff marks."""

from __future__ import annotations

from rich.cells import cell_len

from tuireader.model import (
    Article,
    ArticleSummary,
    ArticleView,
    DiffOp,
    Entity,
    EntityOccurrence,
    LinkedEntity,
    LinkedQuote,
    Quote,
    QuoteMatch,
    SearchHit,
    Story,
)
from tuireader.tui.presentation import (
    build_highlights,
    diff_marks,
    display_text,
    fit_cells,
    group_hits,
    group_stories,
    wrap_offsets,
)


def test_wrap_keeps_every_line_within_the_width_even_with_wide_characters():
    text = "Kirby said 日本語のテキストと絵文字 😀😀😀 travel across outlets, verbatim or altered."
    for width in (5, 8, 13, 20):
        lines = wrap_offsets(text, width)
        assert all(cell_len(text[s:e]) <= width for s, e in lines)
        # Nothing but spaces is lost between lines.
        covered = "".join(text[s:e] for s, e in lines).replace(" ", "")
        assert covered == text.replace(" ", "")


def test_wrap_breaks_at_hard_newlines_and_keeps_offsets():
    text = "first line\nsecond"
    assert [text[s:e] for s, e in wrap_offsets(text, 40)] == ["first line", "second"]


def test_fit_cells_pads_or_cuts_to_exact_cell_width():
    assert cell_len(fit_cells("短い", 10)) == 10
    cut = fit_cells("ウクライナの首都キーウに対する攻撃", 9)
    assert cell_len(cut) == 9 and cut.rstrip().endswith("…")


def test_display_text_replaces_controls_one_for_one():
    raw = "a\x1b[31mred\x1b]8;;http://x\x07link\x1b]52;c;ZXZpbA==\x07\u202eb\tc"
    shown = display_text(raw)
    assert len(shown) == len(raw)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "[31mred" in shown and "]8;;http://x" in shown


def _summary(aid: str, story: str, outlet: str, date: str) -> ArticleSummary:
    return ArticleSummary(aid, f"/x/{aid}.txt", outlet, f"title {aid}", date, (), story, 100)


def test_group_stories_orders_versions_by_date_or_outlet_and_newest_story_first():
    rows = [
        _summary("a1", "s1", "Zeta", "2023-06-01"),
        _summary("a2", "s1", "Alpha", "2023-06-03"),
        _summary("b1", "s2", "Mid", "2024-01-01"),
    ]
    by_date = group_stories(rows, "date")
    assert [g.id for g in by_date] == ["s2", "s1"]
    assert [s.id for s in by_date[1].versions] == ["a1", "a2"]
    by_outlet = group_stories(rows, "outlet")
    assert [s.outlet for s in by_outlet[1].versions] == ["Alpha", "Zeta"]
    assert by_outlet[1].title == "title a1"  # the earliest version names the story


def test_search_hits_group_by_story_then_outlet_in_rank_order():
    hits = [
        SearchHit("a1", "X", "s1", "t", 90, 0, 1),
        SearchHit("b1", "Y", "s2", "t", 80, 0, 1),
        SearchHit("a2", "Z", "s1", "t", 70, 0, 1),
        SearchHit("a3", "X", "s1", "t", 60, 0, 1),
    ]
    groups = group_hits(hits)
    assert [(g.story, g.outlet, len(g.hits)) for g in groups] == [("s1", "X", 2), ("s1", "Z", 1), ("s2", "Y", 1)]


def test_diff_marks_point_at_the_changed_words():
    left = "This is a full-scale defense partnership"
    right = "This is a large-scale defense partnership"
    ls, rs = left.index("full-scale"), right.index("large-scale")
    ops = (DiffOp("equal", "This is a", "This is a", 0, ls - 1, 0, rs - 1),
           DiffOp("replace", "full-scale", "large-scale", ls, ls + 10, rs, rs + 11),
           DiffOp("equal", "defense partnership", "defense partnership", ls + 11, len(left), rs + 12, len(right)))
    marks = diff_marks(ops)
    assert [left[s:e] for s, e in marks.left] == ["full-scale"]
    assert [right[s:e] for s, e in marks.right] == ["large-scale"]


def _view() -> ArticleView:
    text_a = "Kirby said “we will act” on Friday. Moscow denied it."
    article = Article("a", "/a.txt", "h", "A", (text_a,), outlet="Out A")
    quote = Quote("we will act", "Kirby", text_a.index("we will"), text_a.index("we will") + len("we will act"))
    lq = LinkedQuote(quote, (QuoteMatch("c", "Out C", "verbatim", 100, "we will act", 5, 16),
                             QuoteMatch("b", "Out B", "altered", 80, "we shall act", 7, 19)))
    ent = Entity("Moscow", "GPE", "moscow", text_a.index("Moscow"), text_a.index("Moscow") + 6)
    le = LinkedEntity(ent, ("Out B",), (EntityOccurrence("b", "Out B", 30, 36, "Moscow"),
                                        EntityOccurrence("b", "Out B", 60, 66, "Moscow")))
    story = Story("s", "A", ("a", "b", "c"), ("Out A", "Out B", "Out C"), None, None)
    return ArticleView(article, story, (le,), (lq,))


def test_highlights_style_quotes_by_how_they_travel_and_order_targets_by_version():
    view = _view()
    hl = build_highlights(view, ["a", "b", "c"])
    kinds = [h.kind for h in hl]
    assert kinds == ["verbatim", "entity"]  # carried verbatim somewhere wins over altered elsewhere
    assert view.quotes[0].travel == "verbatim"
    quote = hl[0]
    assert [t.article for t in quote.targets] == ["b", "c"]  # next versions after "a", in story order
    entity = hl[1]
    assert [(t.article, t.start) for t in entity.targets] == [("b", 30)]  # one stop per version


def test_highlights_follow_story_order_from_the_current_version():
    hl = build_highlights(_view(), ["c", "a", "b"])
    assert [t.article for t in hl[0].targets] == ["b", "c"]


def test_publication_times_read_like_dates_not_iso_stamps() -> None:
    from tuireader.tui.presentation import readable_date

    assert readable_date("2023-06-09T12:00:00Z") == "2023-06-09 12:00 UTC"
    assert readable_date("2023-06-09T12:00:00.123+00:00") == "2023-06-09 12:00 UTC"
    assert readable_date("2023-06-09T08:30:00-04:00") == "2023-06-09 08:30 -04:00"
    assert readable_date("2023-06-09T08:30") == "2023-06-09 08:30"
    assert readable_date("2023-06-09") == "2023-06-09"
    assert readable_date("June 2023") == "June 2023"
    assert readable_date(None) == "unknown"
