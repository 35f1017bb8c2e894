"""`library.revision_pairs`: the paragraphs of two revisions paired in order, changed words named
with offsets into both texts, paragraphs added or taken out left unpaired."""

from __future__ import annotations

from tuireader.library import revision_pairs
from tuireader.model import Article

LEAD = "A ferry carrying 230 passengers ran aground off the northern coast on Tuesday evening."
MIDDLE = "The vessel had left Port Ellen at six o'clock when it struck a sandbank in thick fog."
QUOTE = '"The crew did everything right," the operator\'s spokeswoman said on Wednesday morning.'
END = "Divers will inspect the hull on Wednesday, and the crossing is suspended until the inquiry."


def article(aid: str, *paragraphs: str) -> Article:
    return Article(id=aid, path=f"{aid}.txt", content_hash=aid, title="Ferry", paragraphs=paragraphs)


def test_unchanged_paragraphs_pair_as_same_and_a_changed_one_names_its_words():
    a = article("x_0123456789abcdef", LEAD, MIDDLE, END)
    b = article("x_0123456789abcdef-r2", LEAD.replace("230", "260"), MIDDLE, END)
    pairs = revision_pairs(a, b)
    assert [p.kind for p in pairs] == ["reworded", "same", "same"]
    (changed,) = [op for op in pairs[0].diff if op.op != "equal"]
    assert (changed.op, changed.a, changed.b) == ("replace", "230", "260")
    assert a.text[changed.a_start:changed.a_end] == "230" and b.text[changed.b_start:changed.b_end] == "260"
    assert all(a.text[p.start:p.end] == b.text[p.other_start:p.other_end] for p in pairs[1:])


def test_a_paragraph_taken_out_and_one_put_in_stay_unpaired():
    added = "Correction: an earlier version of this article misstated the number of passengers."
    a = article("x_0123456789abcdef", LEAD, MIDDLE, QUOTE, END)
    b = article("x_0123456789abcdef-r2", LEAD, added, QUOTE, END.replace("inquiry", "inquiry reports"))
    pairs = revision_pairs(a, b)
    left = [a.text[p.start:p.end] for p in pairs]
    right = [b.text[p.other_start:p.other_end] for p in pairs]
    assert MIDDLE not in left and added not in right  # nothing shares enough words with them
    assert left == [LEAD, QUOTE, END]
    assert [p.kind for p in pairs] == ["same", "same", "reworded"]
    assert [(op.op, op.b) for op in pairs[-1].diff if op.op != "equal"] == [("insert", "reports")]


def test_identical_revisions_give_only_same_pairs_and_punctuation_alone_is_no_change():
    a = article("x_0123456789abcdef", LEAD, END)
    b = article("x_0123456789abcdef-r2", LEAD.replace("evening.", "evening!"), END)
    assert [p.kind for p in revision_pairs(a, a)] == ["same", "same"]
    assert [(p.kind, p.diff) for p in revision_pairs(a, b)] == [("same", ()), ("same", ())]
