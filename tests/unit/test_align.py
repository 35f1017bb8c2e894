"""Passage alignment of two versions: what the compare view sets side by side."""

from __future__ import annotations

from functools import cache

import pytest
from seedutil import seed_path

from tuireader.analysis.align import PassagePair, align_passages
from tuireader.clean import clean
from tuireader.model import Article, LinkedQuote, Quote, QuoteMatch, StoryLinks
from tuireader.sources.files import read_document
from tuireader.text.units import sentence_spans


@cache
def seed(prefix: str) -> Article:
    return clean(read_document(seed_path(prefix)))


def article(aid: str, *paragraphs: str) -> Article:
    return Article(id=aid, path=f"{aid}.txt", content_hash=aid, title=aid, paragraphs=tuple(paragraphs))


def sentence_at(a: Article, fragment: str) -> tuple[int, int]:
    """The sentence of `a` holding `fragment` (found by the test only to name the expected passage)."""
    pos = a.text.index(fragment)
    return next((s, e) for s, e in sentence_spans(a.text) if s <= pos < e)


def pair_covering(pairs: tuple[PassagePair, ...], a_span: tuple[int, int], b_span: tuple[int, int]):
    """The pair whose two sides hold these sentences, if any."""
    for p in pairs:
        if (
            p.a_start <= a_span[0]
            and a_span[1] <= p.a_end
            and p.b_start <= b_span[0]
            and b_span[1] <= p.b_end
        ):
            return p
    return None


def assert_one_pair_per_sentence(pairs: tuple[PassagePair, ...], a: Article, b: Article) -> None:
    for side, text in (("a", a.text), ("b", b.text)):
        spans = sorted((getattr(p, f"{side}_start"), getattr(p, f"{side}_end")) for p in pairs)
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            assert e1 <= s2, f"two pairs share a sentence of {side}"
        for s, e in spans:
            assert 0 <= s < e <= len(text) and text[s:e].strip() == text[s:e]


# ------------------------------------------------------------------------------------------ seeds

LEAD_004 = "Iran is sending materials to Russia to help Moscow build a drone manufacturing plant"
LEADS = {
    "000": "Iran has been sending material to Russia for the construction of a domestic facility",
    "001": "Iran is providing Russia with materials to build a drone manufacturing plant",
}


@pytest.mark.parametrize("other", sorted(LEADS))
def test_the_reworded_leads_of_two_outlets_pair_with_a_word_diff(other):
    a, b = seed("004"), seed(other)
    pairs = align_passages(a, b)
    p = pair_covering(pairs, sentence_at(a, LEAD_004), sentence_at(b, LEADS[other]))
    assert p is not None, [
        (a.text[q.a_start : q.a_end][:40], b.text[q.b_start : q.b_end][:40]) for q in pairs
    ]
    assert p.kind == "reworded"
    changed = [op for op in p.diff if op.op != "equal"]
    assert changed and any("sending" in op.a for op in p.diff)
    # the diff is made of the two passages' own words
    assert all(w in a.text[p.a_start : p.a_end] for op in p.diff for w in op.a.split())
    assert all(w in b.text[p.b_start : p.b_end] for op in p.diff for w in op.b.split())


@pytest.mark.parametrize(
    "x, y", [("000", "001"), ("000", "004"), ("001", "004"), ("004", "000"), ("001", "000")]
)
def test_the_caspian_sea_route_pairs_across_outlets(x, y):
    a, b = seed(x), seed(y)
    pairs = align_passages(a, b)
    assert pair_covering(pairs, sentence_at(a, "Caspian Sea"), sentence_at(b, "Caspian Sea")) is not None


@pytest.mark.parametrize("x, y", [("000", "001"), ("001", "002"), ("002", "004"), ("003", "004")])
def test_seed_pairs_are_one_to_one_and_point_at_whole_sentences(x, y):
    a, b = seed(x), seed(y)
    pairs = align_passages(a, b)
    assert len(pairs) >= 3
    assert_one_pair_per_sentence(pairs, a, b)
    assert [p.a_start for p in pairs] == sorted(p.a_start for p in pairs)


# ------------------------------------------------------------------------------------- hand-made

BUDGET = (
    "The city council approved a budget of $4 million for the new central library on Tuesday, "
    "after a debate that lasted more than three hours."
)
OPENING = "Mayor Ellen Porter said the library would open in the spring of 2026 on the site of the former bus depot."
OPPONENTS = "Opponents argued that the money should go to road repairs, and two council members voted against the plan."
WORKS = "Construction is expected to begin in September, according to the city's planning department."
UNRELATED = (
    "Meanwhile, the local football club announced that its stadium will host a charity concert "
    "featuring three bands next month."
)


def test_reordered_paragraphs_still_pair_with_their_own_counterparts():
    a = article("a", BUDGET, OPENING, OPPONENTS, WORKS)
    b = article(
        "b",
        WORKS,
        "The city council on Tuesday approved a $4 million budget for the new central library after a debate "
        "of more than three hours.",
        OPPONENTS,
        OPENING.replace("Mayor Ellen Porter said", "According to Mayor Ellen Porter,"),
    )
    pairs = align_passages(a, b)
    got = {
        (a.paragraphs.index(a.text[p.a_start : p.a_end]), b.text[: p.b_start].count("\n\n")) for p in pairs
    }
    assert got == {(0, 1), (1, 3), (2, 2), (3, 0)}
    kinds = {a.text[p.a_start : p.a_end]: p.kind for p in pairs}
    assert kinds[OPPONENTS] == kinds[WORKS] == "same"
    assert kinds[BUDGET] == kinds[OPENING] == "reworded"


def test_a_paragraph_the_other_version_lacks_stays_unpaired():
    a = article("a", BUDGET, UNRELATED, OPENING, OPPONENTS)
    b = article("b", BUDGET, OPENING, OPPONENTS, WORKS)
    pairs = align_passages(a, b)
    start = a.text.index(UNRELATED)
    assert len(pairs) == 3
    assert not any(p.a_start <= start < p.a_end for p in pairs)
    assert not any(b.text[p.b_start : p.b_end] == WORKS for p in pairs)


def test_a_sentence_split_in_two_pairs_with_both_halves_either_way():
    halves = (
        "The city council approved a budget of $4 million for the new central library on Tuesday. "
        "The debate lasted more than three hours."
    )
    whole = article("whole", BUDGET, OPENING)
    split = article("split", halves, OPENING)
    for a, b in ((whole, split), (split, whole)):
        pairs = align_passages(a, b)
        first = min(pairs, key=lambda p: p.a_start)
        a_side, b_side = a.text[first.a_start : first.a_end], b.text[first.b_start : first.b_end]
        assert {a_side, b_side} == {BUDGET, halves}
        assert first.kind == "reworded" and first.score >= 90
        assert any(op.op != "equal" for op in first.diff)
        assert len(pairs) == 2


def test_same_words_with_other_punctuation_and_case_are_the_same_passage():
    a = article(
        "a", "The drones are built in Iran, shipped across the Caspian Sea, and then used by Russian forces."
    )
    b = article(
        "b",
        "“The drones are built in Iran — shipped across the CASPIAN SEA — and then used by Russian forces”.",
    )
    (p,) = align_passages(a, b)
    assert (p.kind, p.score, p.diff) == ("same", 100.0, ())


def test_sentences_that_share_only_the_story_s_common_words_do_not_pair():
    # Every sentence of both versions says Iran, Russia and drones; those words tell nothing.
    a = article(
        "a",
        "Iran sent the drones to Russia by cargo plane in March, according to flight records.",
        "Russia launched the Iranian drones at power stations around Kharkiv overnight.",
    )
    b = article(
        "b",
        "Russia launched Iranian drones at power stations around Kharkiv on Sunday night.",
        "Russia paid Iran for the drones with gold bars, a leaked report claimed.",
    )
    pairs = align_passages(a, b)
    assert pair_covering(pairs, sentence_at(a, "Kharkiv"), sentence_at(b, "Kharkiv")) is not None
    assert pair_covering(pairs, sentence_at(a, "cargo plane"), sentence_at(b, "gold bars")) is None
    assert len(pairs) == 1


def test_a_quote_match_of_the_story_anchors_sentences_too_reworded_to_pair_alone():
    a = article(
        "a",
        "Speaking after a council session that ran late into Monday night, the mayor promised that "
        '"our crews will be out there within days" as soon as the water goes down.',
    )
    b = article(
        "b",
        'Residents who gathered by the bridge on Tuesday were told that "our crews will be out there within days", officials said.',
    )
    assert align_passages(a, b) == ()
    quote = "our crews will be out there within days"
    qa, qb = a.text.index(quote), b.text.index(quote)
    n = len(quote)
    links = StoryLinks(
        quotes={
            "a": (
                LinkedQuote(
                    Quote(quote, "the mayor", qa, qa + n),
                    (QuoteMatch("b", None, "verbatim", 100.0, quote, qb, qb + n),),
                ),
            )
        }
    )
    assert len(align_passages(a, b, links)) == 1


def test_empty_versions_align_to_nothing():
    assert align_passages(article("a"), article("b", OPENING)) == ()
