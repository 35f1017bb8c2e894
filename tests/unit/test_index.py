"""The search index: what a reader searching a library notices.

Articles are built by hand here: each test says which sentences exist, so the expected hits follow
from the text, not from a fixture's accident.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.model import Article, Quote
from tuireader.store import index as index_module
from tuireader.store.index import SearchIndex, parse_query
from tuireader.text.units import sentence_spans


def make_article(article_id: str, *paragraphs: str) -> Article:
    return Article(
        id=article_id,
        path=f"{article_id}.txt",
        content_hash=article_id,
        title=paragraphs[0][:40],
        paragraphs=tuple(paragraphs),
    )


def quote_of(article: Article, words: str, speaker: str | None = None) -> Quote:
    start = article.text.index(words)
    return Quote(text=words, speaker=speaker, start=start, end=start + len(words))


@pytest.fixture
def index(tmp_path: Path):
    idx = SearchIndex(tmp_path / "index.sqlite")
    yield idx
    idx.close()


ORIGINAL = make_article(
    "001_original",
    "The White House said on Friday that Iran is helping Russia build a drone factory.",
    "“This is a full-scale defense partnership that is harmful to Ukraine, to Iran’s neighbours, "
    "and to the international community,” Kirby said.",
    "The plant could be operational early next year, officials said.",
)
REWORDED = make_article(
    "002_reworded",
    "Washington accused Tehran of supplying materials for a drone plant east of Moscow.",
    "“This is a large-scale defense partnership that is detrimental to Ukraine, to Iran’s neighbors "
    "and to the international community,” Kirby said, according to the agency.",
)
# Distractors share some of the query's words, in other senses.
DISTRACTORS = [
    make_article(
        "003_football",
        "The club announced a partnership with a kit maker on Tuesday.",
        "Its defense conceded three goals in the first half, and the coach called it a full disaster.",
    ),
    make_article(
        "004_court",
        "Defense lawyers asked for a full review of the scale used to weigh the evidence.",
        "The judge refused, saying the partnership between the two firms was not on trial.",
    ),
    make_article(
        "005_weather",
        "A large storm is expected to reach the coast on Sunday.",
        "Forecasters said the scale of the flooding could be harmful to farms.",
    ),
]


def add(index: SearchIndex, article: Article, *, outlet=None, story=None, published=None, quotes=()):
    index.add_many([(article, outlet, story, published, quotes)])


def test_reworded_quote_ranks_next_to_the_original(index: SearchIndex) -> None:
    add(index, ORIGINAL, outlet="Scripps")
    add(index, REWORDED, outlet="Al Jazeera")
    for article in DISTRACTORS:
        add(index, article, outlet="Elsewhere")

    hits = index.search("full-scale defense partnership", limit=10)

    top = [h.article for h in hits[:2]]
    assert top == ["001_original", "002_reworded"]
    assert "large-scale defense partnership" in hits[1].text
    assert hits[0].score >= hits[1].score > max(h.score for h in hits[2:])


def test_reworded_variants_stay_together_when_a_distractor_scores_between_them(
    index: SearchIndex,
) -> None:
    # A short sentence holding every query word scores high on its own; the reworded quote must
    # still follow the original instead of being pushed below it.
    add(index, ORIGINAL)
    add(index, REWORDED)
    add(
        index,
        make_article(
            "006_analysis", "Analysts said the full-scale defense partnership is harmful to Ukraine."
        ),
    )

    hits = index.search("full-scale defense partnership that is harmful to Ukraine", limit=10)

    articles = [h.article for h in hits]
    first = articles.index("001_original")
    assert articles[first + 1] == "002_reworded"


def test_hits_point_into_the_article_text(index: SearchIndex) -> None:
    quote = quote_of(ORIGINAL, "This is a full-scale defense partnership that is harmful to Ukraine")
    add(index, ORIGINAL, quotes=[quote])
    add(index, REWORDED)

    texts = {"001_original": ORIGINAL.text, "002_reworded": REWORDED.text}
    hits = index.search("drone", limit=10) + index.search("defense partnership", limit=10)
    assert hits
    for hit in hits:
        assert texts[hit.article][hit.start : hit.end] == hit.text


def test_quotations_are_hits_of_their_own(index: SearchIndex) -> None:
    words = "This is a full-scale defense partnership that is harmful to Ukraine"
    add(index, ORIGINAL, quotes=[quote_of(ORIGINAL, words, "Kirby")])

    hits = index.search("defense partnership harmful to Ukraine")

    assert hits[0].kind == "quote"
    assert hits[0].text == words
    # The sentence around the quote is the same find, so it is not listed a second time.
    assert len([h for h in hits if h.start <= hits[0].start < h.end]) == 1


def test_removing_an_article_removes_its_passages(index: SearchIndex) -> None:
    add(index, ORIGINAL)
    add(index, REWORDED)
    assert index.search("operational")  # only in ORIGINAL

    index.remove_article("001_original")

    assert index.article_ids() == {"002_reworded"}
    assert index.search("operational") == []
    assert {h.article for h in index.search("defense partnership")} == {"002_reworded"}
    index.remove_article("001_original")  # removing twice is harmless
    assert_consistent(index)


def test_re_adding_an_article_replaces_its_rows(index: SearchIndex) -> None:
    add(index, make_article("007_draft", "The zeppelin landed in the harbour at dawn."), outlet="A")
    add(index, make_article("007_draft", "The dirigible landed in the harbour at dawn."), outlet="B")

    assert index.search("zeppelin") == []
    hits = index.search("harbour")
    assert [(h.article, h.outlet) for h in hits] == [("007_draft", "B")]
    assert "dirigible" in hits[0].text


def test_the_same_article_twice_in_one_batch_keeps_the_last(index: SearchIndex) -> None:
    first = make_article("008_twice", "The zeppelin landed in the harbour at dawn.")
    second = make_article("008_twice", "The dirigible landed in the harbour at dawn.")
    assert index.add_many([(first, "A", None, None, ()), (second, "B", None, None, ())]) == 2

    assert index.search("zeppelin") == []
    assert [h.outlet for h in index.search("harbour")] == ["B"]
    index.remove_article("008_twice")
    assert index.search("harbour") == []
    assert_consistent(index)


def test_full_text_stays_consistent_through_adds_and_removals(index: SearchIndex) -> None:
    words = "This is a full-scale defense partnership that is harmful to Ukraine"
    add(index, ORIGINAL, quotes=[quote_of(ORIGINAL, words)])
    add(index, REWORDED)
    add(index, ORIGINAL)  # re-added without the quote
    index.remove_article("002_reworded")
    index.add_many((a, None, None, None, ()) for a in DISTRACTORS)
    assert_consistent(index)
    assert all(h.kind == "sentence" for h in index.search(words))


def assert_consistent(index: SearchIndex) -> None:
    """FTS5's own check that its index matches the stored passages (no stale or missing rows)."""
    index._db.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 1)")


def test_index_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with SearchIndex(path) as idx:
        add(idx, ORIGINAL, outlet="Scripps", story="s1")
    with SearchIndex(path) as idx:
        assert idx.article_ids() == {"001_original"}
        assert idx.search("drone factory", story="s1")[0].article == "001_original"


def test_a_new_index_version_starts_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "index.sqlite"
    with SearchIndex(path) as idx:
        add(idx, ORIGINAL)
    monkeypatch.setattr(index_module, "INDEX_VERSION", index_module.INDEX_VERSION + 1)
    with SearchIndex(path) as idx:
        assert idx.article_ids() == set()
        add(idx, REWORDED)
        assert idx.search("defense")[0].article == "002_reworded"


def test_a_damaged_index_file_is_rebuilt_empty(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"this is not a database, just bytes left by a crash" * 100)
    with SearchIndex(path) as idx:
        assert idx.article_ids() == set()
        add(idx, ORIGINAL)
        assert idx.search("drone")[0].article == "001_original"


def test_quotes_with_offsets_outside_the_text_are_skipped(index: SearchIndex) -> None:
    stray = Quote(text="words from elsewhere", speaker=None, start=10_000, end=10_020)
    add(index, ORIGINAL, quotes=[stray])
    assert index.search("elsewhere") == []
    assert index.search("drone factory")[0].article == "001_original"


def test_add_many_is_all_or_nothing(index: SearchIndex) -> None:
    def items():
        yield (ORIGINAL, None, None, None, ())
        raise OSError("disk vanished mid-ingest")

    with pytest.raises(OSError):
        index.add_many(items())
    assert index.article_ids() == set()
    assert index.add_many([(ORIGINAL, None, None, None, ()), (REWORDED, None, None, None, ())]) == 2
    assert index.article_ids() == {"001_original", "002_reworded"}


def test_phrase_queries_require_the_phrase(index: SearchIndex) -> None:
    add(index, make_article("010_a", "The defense partnership grew stronger this year."))
    add(index, make_article("011_b", "A partnership in defense was never signed."))

    assert {h.article for h in index.search('"defense partnership"')} == {"010_a"}
    assert {h.article for h in index.search("defense partnership")} == {"010_a", "011_b"}
    # Phrase and loose words together: the phrase decides what matches.
    assert {h.article for h in index.search('never "partnership in defense"')} == {"011_b"}


@pytest.mark.parametrize("budget", [0, 2, 8000])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"defense partnership"', {"010_a", "001_original", "002_reworded"}),
        ('"partnership grew"', {"010_a"}),
        ("defense partnership", {"010_a", "011_b", "001_original", "002_reworded"}),
        ('"partnership in defense" never', {"011_b"}),
    ],
)
def test_every_search_plan_finds_the_same_matches(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch, budget: int, query: str, expected: set[str]
) -> None:
    # The row budget decides how a query is run (rank all matches, newest matches only, or rare
    # words first with the phrase checked afterwards); on a small library all must agree.
    monkeypatch.setattr(index_module, "ROW_BUDGET", budget)
    for article in (ORIGINAL, REWORDED):
        add(index, article)
    add(index, make_article("010_a", "The defense partnership grew stronger this year."))
    add(index, make_article("011_b", "A partnership in defense was never signed."))

    assert {h.article for h in index.search(query)} == expected


def test_plain_words_match_other_word_forms(index: SearchIndex) -> None:
    add(index, make_article("012_forms", "Both governments signed partnerships covering drones."))

    assert index.search("partnership drone")[0].article == "012_forms"


# Run every filter test through both the filter-first walk and the FTS-first join.
@pytest.fixture(params=["walk", "join"])
def filtered(request: pytest.FixtureRequest, index: SearchIndex, monkeypatch: pytest.MonkeyPatch):
    if request.param == "join":
        monkeypatch.setattr(index_module, "SMALL_FILTER", 0)
    add(
        index,
        make_article("020_a", "Kirby said the drone plant is near Moscow."),
        outlet="Scripps News",
        story="drones",
        published="2023-06-09T18:51:00",
    )
    add(
        index,
        make_article("021_b", "Kirby said the drone plant will open next year."),
        outlet="Al Jazeera",
        story="drones",
        published="2023-06-10",
    )
    add(
        index,
        make_article("022_c", "Kirby said the budget talks stalled again."),
        outlet="Scripps News",
        story="budget",
        published="2023-05-02",
    )
    add(
        index,
        make_article("023_d", "Kirby said nothing about drones at all."),
        outlet=None,
        story=None,
        published=None,
    )
    return index


def articles_of(hits) -> set[str]:
    return {h.article for h in hits}


def test_filter_by_outlet_ignores_case(filtered: SearchIndex) -> None:
    assert articles_of(filtered.search("Kirby", outlet="scripps news")) == {"020_a", "022_c"}
    assert articles_of(filtered.search("Kirby", outlet="AL JAZEERA")) == {"021_b"}
    assert filtered.search("Kirby", outlet="Nobody") == []
    # a part of the name is enough, as a user types it
    assert articles_of(filtered.search("Kirby", outlet="scripps")) == {"020_a", "022_c"}
    assert articles_of(filtered.search("Kirby", outlet=" jazeera ")) == {"021_b"}


def test_filter_by_story_follows_set_stories(filtered: SearchIndex) -> None:
    assert articles_of(filtered.search("Kirby said", story="drones")) == {"020_a", "021_b"}
    filtered.set_stories({"022_c": "drones"})
    assert articles_of(filtered.search("Kirby said", story="drones")) == {"020_a", "021_b", "022_c"}
    assert articles_of(filtered.search("Kirby said", story="budget")) == set()


def test_set_stories_moves_many_articles_at_once(filtered: SearchIndex) -> None:
    filtered.set_stories({"020_a": "merged", "022_c": "merged", "021_b": None})
    assert articles_of(filtered.search("Kirby said", story="merged")) == {"020_a", "022_c"}
    assert articles_of(filtered.search("Kirby said", story="drones")) == set()


def test_filter_by_date_range_includes_the_whole_last_day(filtered: SearchIndex) -> None:
    assert articles_of(filtered.search("Kirby", since="2023-06-01")) == {"020_a", "021_b"}
    assert articles_of(filtered.search("Kirby", until="2023-06-09")) == {"020_a", "022_c"}
    assert articles_of(filtered.search("Kirby", since="2023-06-09", until="2023-06-09")) == {"020_a"}


def test_filters_combine_with_phrases(filtered: SearchIndex) -> None:
    hits = filtered.search('"drone plant"', outlet="Scripps News", story="drones")
    assert articles_of(hits) == {"020_a"}


HOSTILE = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(drone plant",
    "-",
    "--",
    "",
    "   ",
    "AND",
    "OR NOT",
    '"unclosed phrase',
    "^Kirby",
    "text:drone",
    "(((",
    ")",
    "drone*",
    "'",
    "+",
    "\\",
    "\x00",
    "drone -plant",
    "🚀",
    "“curly quotes”",
    "a AND OR b",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(filtered: SearchIndex, query: str) -> None:
    hits = filtered.search(query)
    assert isinstance(hits, list)


def test_syntax_characters_are_just_separators(filtered: SearchIndex) -> None:
    assert articles_of(filtered.search("drone*")) == articles_of(filtered.search("drone"))
    assert articles_of(filtered.search("(budget)*^:")) == {"022_c"}
    assert filtered.search("NEAR(budget")[0].article == "022_c"
    assert articles_of(filtered.search('"drone plant')) == {"020_a", "021_b"}
    assert filtered.search("") == [] and filtered.search('"') == []


def test_parse_query_separates_phrases_and_content_words() -> None:
    parsed = parse_query("the “drone plant” near Moscow, said Kirby")
    assert parsed.phrases == (("drone", "plant"),)
    # the one stopword list of text/units: the reporting verb "said" picks no candidates
    assert parsed.words == ("near", "moscow", "kirby")
    assert parse_query("the of a").words == ("the", "of", "a")


def test_sentence_spans_respect_abbreviations_and_quotes() -> None:
    text = (
        "Mr. Kirby said the U.S. would act. John F. Kennedy spoke at 5 p.m. Friday.\n\n"
        "“We will,” he said. “Really?” She asked. It cost $3.5 million"
    )
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "Mr. Kirby said the U.S. would act.",
        "John F. Kennedy spoke at 5 p.m. Friday.",
        "“We will,” he said.",
        "“Really?”",
        "She asked.",
        "It cost $3.5 million",
    ]
