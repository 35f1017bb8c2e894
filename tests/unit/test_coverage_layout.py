"""The coverage view's layout helpers: where a time falls on the track, how counts share a bar."""

from __future__ import annotations

from tuireader.tui.presentation import count_bar, timeline_columns


def test_times_spread_between_the_first_and_the_last() -> None:
    cols = timeline_columns(["2026-11-30", "2026-11-30T12:00:00Z", "2026-12-01", None, "someday"], 11)
    assert cols == [0, 5, 10, None, None]
    assert timeline_columns(["2026-11-30T08:00:00+02:00", "2026-11-30T06:00:00Z"], 5) == [0, 0]  # same instant
    assert timeline_columns([None, None], 5) == [None, None]


def test_counts_share_the_bar_and_none_that_is_counted_vanishes() -> None:
    assert count_bar([1, 1, 2], 8) == [2, 2, 4]
    cells = count_bar([1, 200, 0], 10)
    assert sum(cells) == 10 and cells[0] == 1 and cells[2] == 0
    assert count_bar([0, 0, 0], 10) == [0, 0, 0]


def test_the_first_report_is_the_earliest_time_and_a_bare_day_ties_with_its_day() -> None:
    from tuireader.export import first_reports

    assert first_reports({"a": "2026-11-30T06:00:00Z", "b": "2026-11-30T18:00:00Z", "c": None}) == {"a"}
    assert first_reports({"a": "2026-11-30", "b": "2026-11-30T18:00:00Z", "c": "2026-12-01"}) == {"a", "b"}
    assert first_reports({"a": None, "b": "garbled"}) == set()
