"""The Library's revision diff (what the reader's revision screen shows) and the view of an older
revision: linked to the other outlets' versions of its story, with its own text standing in for
the latest revision's."""

from __future__ import annotations

from pathlib import Path

import pytest
from revision_story import FIRST, OTHERS, write_story

from tuireader.library import Library

R2, R3 = f"{FIRST}-r2", f"{FIRST}-r3"


@pytest.fixture()
def lib(tmp_path: Path):
    library = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    library.scan()
    yield library
    library.close()


def changes(lib: Library, older: str, newer: str) -> list[tuple[str, str, str]]:
    return [(op.op, op.a, op.b) for p in lib.revision_diff(older, newer) for op in p.diff if op.op != "equal"]


def test_the_revision_diff_names_the_changed_words_and_the_added_sentence(lib):
    assert changes(lib, FIRST, R2) == [("replace", "230", "245")]
    assert changes(lib, R2, R3) == [
        ("replace", "245", "260"),
        ("insert", "", "The operator said it would pay for hotel rooms for stranded travellers"),
    ]
    pairs = lib.revision_diff(R2, R3)
    older, newer = lib.article(R2), lib.article(R3)
    assert [p.kind for p in pairs] == ["reworded", "same", "same", "reworded"]
    first = pairs[0].diff[1]  # the offsets point into both texts: the view paints those words
    assert older.text[first.a_start:first.a_end] == "245" and newer.text[first.b_start:first.b_end] == "260"
    assert changes(lib, R3, FIRST) == [
        ("replace", "260", "230"),
        ("delete", "The operator said it would pay for hotel rooms for stranded travellers", ""),
    ]


def test_a_revision_diff_of_two_different_articles_is_refused(lib):
    with pytest.raises(ValueError):
        lib.revision_diff(FIRST, OTHERS[0])
    with pytest.raises(KeyError):
        lib.revision_diff(FIRST, f"{FIRST}-r9")


def test_an_older_revision_is_linked_to_the_story_in_place_of_the_latest(lib):
    latest = lib.view(R3)
    older = lib.view(FIRST)
    assert older.article.id == FIRST and "230 passengers" in older.article.text
    assert older.story is not None and latest.story is not None
    assert set(older.story.articles) == {FIRST, *OTHERS}
    assert set(latest.story.articles) == {R3, *OTHERS}
    # the alignment with the other outlets is the first revision's: its offsets, its figures
    matched = [m for q in older.quotes for m in q.matches]
    assert matched and {m.article for m in matched} <= set(OTHERS)
    for q in older.quotes:
        assert older.article.text[q.quote.start:q.quote.end] == q.quote.text
    assert any("230" in d.values.get(FIRST, "") for d in older.story.discrepancies)
    assert not any(R3 in d.values for d in older.story.discrepancies)
    assert not any(FIRST in d.values for d in latest.story.discrepancies)


def test_the_compare_alignment_of_an_older_revision_is_the_one_its_view_reads(lib):
    older = lib.view(FIRST)
    pairs = lib.align(FIRST, OTHERS[0])
    assert pairs and all(p.article == OTHERS[0] for p in pairs)
    text = older.article.text
    lead = next(p for p in pairs if p.start == 0)
    assert "230 passengers" in text[lead.start:lead.end]
    # the very pairs the view's sentences hold for that outlet: compare view and highlights agree
    from_view = [p for sentence in older.sentences for p in sentence.pairs if p.article == OTHERS[0]]
    assert list(pairs) == from_view
    assert lib.align(FIRST, R3)  # two revisions of one article: aligned on demand
