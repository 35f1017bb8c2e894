"""Fuzzing the stages that read strangers' text: the cleaner, the figure finder and the search
index's query parser take any input without an exception, and keep the promises a user relies on
(the cleaned text comes from the input; every figure quotes the text it was read from; a search
returns hits, never an error). Examples are bounded so the suite stays fast."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuireader.analysis.figures import find_figures
from tuireader.clean import clean
from tuireader.sources.files import read_document

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip

# Text that looks like news and like its breakage: words, numbers with units, quote marks of every
# kind, markup-ish brackets, control characters and long runs.
PIECES = st.sampled_from([
    "The", "council", "said", "on", "Tuesday", "600", "miles", "1,200", "km", "$4.5", "million", "30%",
    "“", "”", '"', "'", "«", "»", "—", ":", ".", "\n", "\n\n", "[b]", "<p>", "</p>", "&amp;", "\x1b[2J",
    "\x00", "\u202e", "April", "2023", "several", "hundred", "about", "a.m.", "Mr.", "...", "?!",
])  # fmt: skip
NEWSY = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=120).map(" ".join)


@FUZZ
@given(NEWSY)
def test_the_cleaner_takes_any_text_and_keeps_only_words_it_was_given(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "page.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            raw = read_document(path)
        except Exception as exc:  # noqa: BLE001 - refusing is allowed, but only as a SourceError
            assert type(exc).__name__ == "SourceError", exc
            return
        article = clean(raw)
    given_words = set(re.findall(r"\w+", raw.body.lower()))
    for paragraph in article.paragraphs:
        assert set(re.findall(r"\w+", paragraph.lower())) <= given_words


@FUZZ
@given(st.lists(NEWSY, min_size=1, max_size=4))
def test_every_figure_quotes_the_text_it_was_read_from(paragraphs: list[str]) -> None:
    figures = find_figures(paragraphs)
    joined = "\n\n".join(paragraphs)
    for fig in figures:
        assert fig.text and fig.text in joined


ARTICLE = ("---\ntitle: Harbour budget passes\noutlet: {outlet}\npublished: 2026-11-30\n---\n\n"
           "The council passed the harbour budget on Tuesday by nine votes to two.\n\n"
           "“It keeps every ferry running,” said councillor Ana Ruiz. Fares rise 3% in April.\n")  # fmt: skip


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    from tuireader.library import Library

    root = tmp_path_factory.mktemp("fuzzlib")
    for n, outlet in enumerate(("Harbor Times", "Coast Daily")):
        (root / f"00{n}_budget.txt").write_text(ARTICLE.format(outlet=outlet), encoding="utf-8")
    lib = Library(root, cache_dir=root.parent / (root.name + "-cache"))
    lib.scan()
    assert lib.search("ferry")  # the index holds passages: a query has something to be wrong about
    yield lib
    lib.close()


QUERY = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(
    ['"', "'", "*", "(", ")", "-", "+", ":", "^", "NEAR", "AND", "OR", "NOT", "ferry", "“", "outlet:", "since:",
     "\x00", "%", "_", "\\", "column:", "{", "}", "ferr*", '"keeps every'])
).map(" ".join))  # fmt: skip


@FUZZ
@given(QUERY)
def test_any_search_query_returns_hits_not_an_error(library, query: str) -> None:
    hits = library.search(query)
    assert isinstance(hits, list)
    for hit in hits:
        assert hit.article in {"000_budget", "001_budget"}
