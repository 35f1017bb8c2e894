"""The story alignment on stories written for the tests (not the seeds): several outlets, a quote
given verbatim, one reworded, one reported without quotation marks, figures that differ."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from seedutil import seed, seed_links

from tuireader.analysis.article import analyze_many
from tuireader.analysis.link import link_story
from tuireader.clean import clean
from tuireader.model import Article, ArticleView, StoryLinks
from tuireader.sources.files import read_document
from tuireader.text.units import words

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"


@cache
def story(name: str) -> tuple[dict[str, Article], StoryLinks]:
    articles = [clean(read_document(p)) for p in sorted((STORIES / name).glob("*.txt"))]
    analyses = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    return {a.id: a for a in articles}, link_story(articles, analyses)


def words_of(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [w for w, _s, _e in words(text, start, end)]


def quote_in(links: StoryLinks, article: str, fragment: str):
    (lq,) = [lq for lq in links.quotes[article] if fragment in lq.quote.text]
    return lq


def matches_by_version(lq) -> dict[str, str]:
    return {m.article: m.kind for m in lq.matches}


# ------------------------------------------------------------------------------------------ quotes


def test_a_quote_reworded_with_several_word_changes_is_matched_as_altered():
    _arts, links = story("plant-fire")
    lq = quote_in(links, "harbor_times", "under control by 4 a.m.")
    kinds = matches_by_version(lq)
    assert kinds["valley_post"] == "altered"  # "The fire was contained by 4 a.m. and no one was seriously hurt"
    m = next(m for m in lq.matches if m.article == "valley_post")
    assert m.text.startswith("The fire was contained by 4 a.m.")
    changed = [(d.a, d.b) for d in m.diff if d.op != "equal"]
    assert len(changed) >= 3
    # and from the reworded side, back to both versions that carry the original words
    back = matches_by_version(quote_in(links, "valley_post", "contained by 4 a.m."))
    assert back.get("harbor_times") == "altered" and back.get("metro_wire") == "altered"


def test_the_compare_pairs_put_the_reworded_quote_beside_its_original():
    arts, links = story("plant-fire")
    valley = arts["valley_post"].text
    harbor = arts["harbor_times"].text
    start = valley.index("The fire was contained")
    (pair,) = [p for p in links.pairs_between("valley_post", "harbor_times") if p.start <= start < p.end]
    assert "under control by 4 a.m." in harbor[pair.other_start : pair.other_end]
    assert pair.kind == "reworded"


def test_a_quote_verbatim_in_three_versions_is_painted_verbatim_and_listed_once_per_version():
    _arts, links = story("plant-fire")
    lq = quote_in(links, "harbor_times", "cooperating fully")
    kinds = matches_by_version(lq)
    assert kinds["river_courier"] == kinds["metro_wire"] == "verbatim"
    assert kinds["valley_post"] == "unquoted"
    assert lq.travel == "verbatim"  # verbatim elsewhere wins over unquoted elsewhere
    for quotes in links.quotes.values():
        for q in quotes:
            articles = [m.article for m in q.matches]
            assert len(articles) == len(set(articles)), q.quote.text


def test_a_quote_reported_without_quotation_marks_is_marked_in_its_own_version():
    arts, links = story("plant-fire")
    reported = links.reported["valley_post"]
    (r,) = [r for r in reported if "cooperating fully" in r.text]
    assert {q.article for q in r.quoted_by} == {"harbor_times", "metro_wire", "river_courier"}
    assert all(q.speaker == "Tom Becker" for q in r.quoted_by)
    assert arts["valley_post"].text[r.start : r.end] == r.text
    river = [r for r in links.reported["river_courier"] if "under control" in r.text]
    assert river and {q.article for q in river[0].quoted_by} >= {"harbor_times", "metro_wire"}


def test_the_reader_and_the_command_line_paint_a_quote_alike():
    from tuireader.cli.render import TRAVEL_STYLE, highlighted_text
    from tuireader.tui.presentation import build_highlights

    arts, links = story("plant-fire")
    view = ArticleView(
        arts["valley_post"],
        None,
        links.entities["valley_post"],
        links.quotes["valley_post"],
        links.reported["valley_post"],
        links.sentences["valley_post"],
    )
    highlights = build_highlights(view)
    text = highlighted_text(view)
    for lq in view.quotes:
        (h,) = [h for h in highlights if h.quote is not None and view.quotes[h.quote] is lq]
        assert h.kind == lq.travel
        styles = {str(s.style) for s in text.spans if s.start == lq.quote.start and s.end == lq.quote.end}
        assert TRAVEL_STYLE[lq.travel] in styles
    reported = [h for h in highlights if h.reported is not None]
    assert reported and all(h.kind == "unquoted" and "quoted by" in h.label for h in reported)


def test_sharing_a_speaker_s_name_does_not_pair_two_statements():
    arts, links = story("plant-fire")
    harbor = arts["harbor_times"].text
    lifted = harbor.index("the evacuation order would be lifted")
    river = arts["river_courier"].text
    for p in links.pairs_between("harbor_times", "river_courier"):
        if p.start <= lifted < p.end:
            assert "under control" not in river[p.other_start : p.other_end]
    mayor = arts["metro_wire"].text.index("The mayor of Dunmore")
    (row,) = [s for s in links.sentences["metro_wire"] if s.start <= mayor < s.end]
    assert row.status == "only here"


# ----------------------------------------------------------------------------------- discrepancies


def test_a_number_that_differs_in_one_of_four_versions_is_reported_with_all_four():
    _arts, links = story("plant-fire")
    (d,) = [d for d in links.discrepancies if d.kind == "count"]
    assert set(d.values) == {"harbor_times", "valley_post", "river_courier", "metro_wire"}
    assert "1,500" in d.values["river_courier"] and "1,200" in d.values["metro_wire"]
    assert d.what.startswith("residents")
    assert d.summary.endswith("1,200 / 1,500")


def test_a_converted_distance_agrees_and_a_different_one_is_reported():
    _arts, links = story("bridge")
    (d,) = [d for d in links.discrepancies if d.what.startswith("distance")]
    assert set(d.values) == {"capital_ledger", "north_gazette", "lakeside_daily"}
    assert d.values["lakeside_daily"] == "about 25 miles"


def test_relative_dates_resolve_against_the_publication_date():
    # "early next year" (June 2023), "in early 2024" and "as soon as next year" all say 2024
    _arts, links = story("bridge")
    assert not [d for d in links.discrepancies if d.kind in {"date", "month"}]


def test_a_title_and_a_speaker_that_differ_are_reported():
    _arts, links = story("bridge")
    (role,) = [d for d in links.discrepancies if d.kind == "role"]
    assert role.values == {"capital_ledger": "Transport Secretary", "north_gazette": "Deputy Transport Secretary"}
    (who,) = [d for d in links.discrepancies if d.kind == "attribution"]
    assert who.values == {"capital_ledger": "Maya Chen", "north_gazette": "Luis Ortega"}


def test_versions_that_leave_a_fact_out_are_named_as_not_stating_it():
    links = seed_links()
    (distance,) = [d for d in links.discrepancies if d.what.startswith("distance")]
    assert {seed(p).id for p in ("000", "001", "002")} == set(distance.values)  # 001's "several hundred miles" too
    assert set(distance.absent) == {seed("003").id, seed("004").id}
    (month,) = [d for d in links.discrepancies if d.kind == "month"]
    assert set(month.values) == {seed("001").id, seed("004").id}
    # "as soon as next year" / "early next year" / "early 2024" in June 2023 all say 2024
    assert not [d for d in links.discrepancies if d.kind == "date"]


@pytest.mark.parametrize("name", ["plant-fire", "bridge"])
def test_every_sentence_is_aligned_once_per_other_version(name):
    arts, links = story(name)
    for aid, rows in links.sentences.items():
        text = arts[aid].text
        for row in rows:
            assert text[row.start : row.end].strip()
            others = [p.article for p in row.pairs]
            assert len(others) == len(set(others)) and aid not in others
            for p in row.pairs:
                other = arts[p.article].text
                assert 0 <= p.other_start < p.other_end <= len(other)
                for op in p.diff:  # the word diff points into both texts
                    assert words_of(text, op.a_start, op.a_end) == words_of(op.a)
                    assert words_of(other, op.b_start, op.b_end) == words_of(op.b)
