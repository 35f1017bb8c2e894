"""The list filter's little language: what each part keeps, and what it refuses."""

from __future__ import annotations

import pytest

from tuireader.filters import FilterError, apply_filter, parse_filter
from tuireader.model import ArticleSummary


def summary(aid: str, outlet: str | None, published: str | None, story: str, title: str = "Ferry strike") -> ArticleSummary:
    return ArticleSummary(id=aid, path=f"/x/{aid}.txt", outlet=outlet, title=title, published=published,
                          authors=(), story=story, words=100)


ROWS = [
    summary("a1", "Harbor Times", "2026-11-30", "ferry"),
    summary("a2", "Coast Daily", "2026-11-30T08:00:00Z", "ferry"),
    summary("a3", "Harbor Times", "2026-12-01", "ferry"),
    summary("b1", "Harbor Times", "2026-10-02", "bakery", title="Bakery opens on Main Street"),
    summary("b2", "Harbor Times", None, "bakery", title="Bakery opens"),
    summary("c1", None, "2026-11-15", "dam", title="Dam breach"),
]


def ids(text: str, read: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return [s.id for s in apply_filter(ROWS, parse_filter(text), read)]


def test_each_part_narrows_the_list() -> None:
    assert ids("") == [s.id for s in ROWS]
    assert ids("outlet:coast") == ["a2"]
    assert ids("outlet:harbor outlet:coast") == ["a1", "a2", "a3", "b1", "b2"]  # either outlet
    assert ids('outlet:"harbor times" bakery') == ["b1", "b2"]
    assert ids("outlet:#c1") == []  # an unnamed outlet is named by its file: no number here
    assert ids("since:2026-11-30") == ["a1", "a2", "a3"]  # a date-time counts by its day; undated out
    assert ids("until:2026-11") == ["a1", "a2", "b1", "c1"]  # a month includes all its days
    assert ids("since:2026-11 until:2026-11-29") == ["c1"]
    assert ids("unread", read={"a1", "b1"}) == ["a2", "a3", "b2", "c1"]
    assert ids("is:unread", read={"a1"}) == ids("unread", read={"a1"})
    assert ids("outlets:2") == ["a1", "a2", "a3"]  # only the ferry story has two outlets
    assert ids("outlets:2 since:2026-12") == ["a3"]  # counted over the whole story, then narrowed
    assert ids("BAKERY main") == ["b1"]


@pytest.mark.parametrize(("text", "says"), [
    ("since:yesterday", "since: needs a date"),
    ("outlets:two", "outlets: needs a number"),
    ("outlets:0", "outlets: needs a number"),
    ("colour:red", "unknown filter colour:"),
    ("outlet:", "outlet: needs a name"),
    ('outlet:"harbor', "unbalanced quotes"),
])
def test_what_cannot_be_read_is_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(FilterError, match=says):
        parse_filter(text)


def test_the_filter_says_what_it_keeps() -> None:
    assert parse_filter("outlet:harbor unread outlets:2").describe() == \
        "outlet 'harbor', unread, stories from 2+ outlets"
    assert parse_filter("  ").empty


def test_feed_keeps_what_a_matching_subscription_brought() -> None:
    from tuireader.filters import parse_filter

    feeds = {"a1": "https://harbor.example/rss Harbor Times news", "a2": "https://coast.example/feed.xml"}
    keep = lambda text: [s.id for s in apply_filter(ROWS, parse_filter(text), frozenset(), feeds)]  # noqa: E731
    assert keep("feed:harbor.example") == ["a1"]
    assert keep("feed:NEWS") == ["a1"]  # the subscription's title, any case
    assert keep("feed:harbor feed:coast") == ["a1", "a2"]  # either of several
    assert keep("feed:coast outlet:harbor") == []  # and every other part still holds
    assert keep("feed:valley") == []  # articles from files (no feed) never match a feed
    with pytest.raises(FilterError, match="feed: needs"):
        parse_filter("feed:")
    assert "feed 'harbor'" in parse_filter("feed:harbor").describe()


def test_a_search_box_splits_into_words_and_filters() -> None:
    from tuireader.filters import split_search

    query, flt = split_search('ferry "will be built" outlet:"harbor times" since:2026-11 unread feed:coast')
    assert query == 'ferry "will be built"'
    assert flt.outlets == ("harbor times",) and flt.since == "2026-11" and flt.unread and flt.feeds == ("coast",)
    query, flt = split_search("https://ch9.example/dune ferry")  # an address is words, not a filter
    assert query == "https://ch9.example/dune ferry" and flt.empty
    with pytest.raises(FilterError):
        split_search("ferry since:someday")


def test_a_view_narrowed_further_keeps_both() -> None:
    from tuireader.filters import combine

    both = combine(parse_filter("outlet:harbor unread since:2026-11-01"), parse_filter("until:2026-11-30 outlets:2"))
    assert both.outlets == ("harbor",) and both.unread and both.min_outlets == 2
    assert (both.since, both.until) == ("2026-11-01", "2026-11-30")
    assert [s.id for s in apply_filter(ROWS, both, {"a3"})] == ["a1"]
