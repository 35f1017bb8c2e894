"""Cross-version links: quote matches, shared names and discrepancies within a story."""

from __future__ import annotations

from seedutil import make_article, seed, seed_links

from tuireader.analysis.article import analyze_many
from tuireader.analysis.link import link_story


def linked(prefix: str, fragment: str):
    hits = [lq for lq in seed_links().quotes[seed(prefix).id] if fragment.lower() in lq.quote.text.lower()]
    assert len(hits) == 1, [lq.quote.text[:40] for lq in seed_links().quotes[seed(prefix).id]]
    return hits[0]


def matches_in(lq, prefix: str):
    return [m for m in lq.matches if m.article == seed(prefix).id]


def link(*articles):
    return link_story(articles, dict(zip((a.id for a in articles), analyze_many(articles), strict=True)))


# ------------------------------------------------------------------------------------------ seeds


def test_reworded_quote_is_altered_with_a_word_diff():
    (m,) = matches_in(linked("001", "full-scale defense partnership"), "002")
    assert m.kind == "altered"
    assert m.text.startswith("This is a large-scale defense partnership that is detrimental to Ukraine")
    changes = {(d.a, d.b) for d in m.diff if d.op == "replace"}
    assert ("full-scale", "large-scale") in changes and ("harmful", "detrimental") in changes
    assert 60 <= m.score < 100
    # and the other way round
    (back,) = matches_in(linked("002", "large-scale defense partnership"), "001")
    assert back.kind == "altered"


def test_second_altered_pair_of_the_issue():
    (m,) = matches_in(linked("001", "We are continuing to use all the tools"), "002")
    assert m.kind == "altered"
    assert "We continue to use every tool at our disposal" in m.text


def test_quote_reported_without_quotation_marks_is_unquoted():
    (m,) = matches_in(linked("000", "Russia has been offering Iran unprecedented defense cooperation"), "004")
    assert m.kind == "unquoted"
    assert (
        "offering Iran unprecedented defense cooperation, including on missiles, electronics and air defense"
        in m.text
    )


def test_short_quote_found_inside_a_longer_quote_is_verbatim():
    lq = linked("002", "unprecedented defense cooperation")
    (in_000,) = matches_in(lq, "000")
    assert in_000.kind == "verbatim" and in_000.score == 100 and in_000.diff == ()
    (in_004,) = matches_in(lq, "004")
    assert in_004.kind == "unquoted"


def test_short_reworded_quotes_match_quote_to_quote():
    (m,) = matches_in(linked("001", "will probably be built"), "002")
    assert m.kind == "altered" and m.text == "will likely be built"


def test_quotes_one_outlet_alone_carries_have_no_matches():
    assert linked("004", "bear fruit").matches == ()
    assert linked("004", "challenging problem").matches == ()
    assert linked("000", "The support is flowing both ways").matches == ()


def test_generic_words_and_different_statements_do_not_match():
    # one-word quotes: "hundreds" occurs in every version, but not as a quotation
    assert linked("000", "hundreds").matches == ()
    assert linked("000", "expanding").matches == ()
    # two Kirby statements that share "This is a ... defense ... that is"
    assert matches_in(linked("003", "This is a defense relationship"), "001") == []


def test_match_offsets_point_into_the_other_version():
    for a in (seed(p) for p in ("000", "001", "002", "003", "004")):
        for lq in seed_links().quotes[a.id]:
            for m in lq.matches:
                other = next(seed(p) for p in ("000", "001", "002", "003", "004") if seed(p).id == m.article)
                assert other.text[m.start : m.end] == m.text
                assert m.article != a.id and 0 <= m.score <= 100


def test_discrepancies_in_distance_and_month():
    by_kind = {d.kind: d for d in seed_links().discrepancies}
    distance = by_kind["quantity"]
    assert distance.values[seed("000").id] == "about 600 miles"
    assert distance.values[seed("002").id] == "several hundred kilometers"
    assert "east" in distance.what
    month = by_kind["month"]
    assert month.values == {seed("001").id: "April", seed("004").id: "March"}
    for d in seed_links().discrepancies:
        for aid, (s, e) in d.spans.items():
            article = next(seed(p) for p in ("000", "001", "002", "003", "004") if seed(p).id == aid)
            assert article.text[s:e] == d.values[aid]


def test_entities_link_across_outlets_including_a_lower_case_mention():
    links = seed_links()
    kyiv = [le for le in links.entities[seed("004").id] if le.entity.key == "kyiv"]
    assert kyiv and kyiv[0].entity.text == "kyiv"
    assert {o.article for o in kyiv[0].elsewhere} == {seed("000").id, seed("003").id}
    kirby_002 = [le for le in links.entities[seed("002").id] if le.entity.text == "Kirby"]
    assert kirby_002 and kirby_002[0].entity.key == "john kirby"
    assert len(kirby_002[0].outlets) == 4
    rome = [le for le in links.entities[seed("004").id] if le.entity.key == "henry rome"]
    assert rome and rome[0].outlets == () and rome[0].elsewhere == ()


# -------------------------------------------------------------------------------------- hand-made


def test_two_stories_interleaved_do_not_borrow_each_others_quotes():
    bridge_1 = make_article(
        "a1",
        [
            'Mayor Ann Lee said on Monday: "We will rebuild the bridge within two years, whatever it costs the city."',
            "The bridge over the river collapsed on Sunday night, injuring four drivers.",
        ],
        outlet="Daily One",
    )
    team_1 = make_article(
        "b1",
        [
            'Coach Tom Diaz said after the game: "We will rebuild this team around our young players, whatever it takes."',
            "The club lost its sixth game in a row on Saturday.",
        ],
        outlet="Daily One",
    )
    bridge_2 = make_article(
        "a2",
        [
            "Mayor Ann Lee promised to rebuild the bridge within two years, whatever it costs the city, after it collapsed.",
        ],
        outlet="Courier",
    )
    team_2 = make_article(
        "b2",
        [
            "“We will rebuild this team around our young players, whatever it takes,” Diaz said after the loss.",
        ],
        outlet="Herald",
    )
    links = link(bridge_1, team_1, bridge_2, team_2)
    (bridge_quote,) = links.quotes["a1"]
    assert [(m.article, m.kind) for m in bridge_quote.matches] == [("a2", "unquoted")]
    (team_quote,) = links.quotes["b1"]
    assert [(m.article, m.kind, m.score) for m in team_quote.matches] == [("b2", "verbatim", 100.0)]
    assert team_quote.matches[0].outlet == "Herald"


def test_verbatim_ignores_case_punctuation_and_quote_style():
    one = make_article("x1", ['"Nobody is above the law," the judge said on Tuesday.'], outlet="One")
    two = make_article("x2", ["The judge told the court: ‘nobody is above the law’."], outlet="Two")
    (lq,) = link(one, two).quotes["x1"]
    assert [(m.kind, m.text) for m in lq.matches] == [("verbatim", "nobody is above the law")]


def test_speaker_known_only_by_surname_meets_the_full_name_of_another_version():
    full = make_article(
        "f",
        ["National Security Council spokesman John Kirby spoke to reporters at the White House."],
        outlet="A",
    )
    short = make_article(
        "s", ['"We are watching this closely," Kirby said on Friday at the briefing.'], outlet="B"
    )
    links = link(full, short)
    (lq,) = links.quotes["s"]
    assert lq.quote.speaker_key == "john kirby"


def test_a_story_of_one_article_and_an_empty_article():
    lonely = make_article("l", ['"It is over," she said after the vote on Tuesday evening.'], outlet="A")
    empty = make_article("e", [], outlet="B")
    links = link(lonely, empty)
    assert [lq.matches for lq in links.quotes["l"]] == [()]
    assert links.quotes["e"] == () and links.discrepancies == ()
