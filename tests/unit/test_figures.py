"""Figures: quantities with units, counts, money, months, dates and times, with what they measure."""

from __future__ import annotations

import pytest
from seedutil import seed, seed_analyses

from tuireader.analysis.figures import figure_range, find_figures


def figures(text: str):
    return find_figures([text])


def one(text: str, kind: str):
    found = [f for f in figures(text) if f.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_distances_are_converted_to_kilometres_with_the_range_their_words_allow():
    miles = one("It released imagery of the site, about 600 miles east of Moscow.", "quantity")
    assert miles.text == "about 600 miles" and miles.unit == "km"
    assert miles.value == pytest.approx(965.6, abs=0.1)
    lo, hi = figure_range(miles)
    assert lo < 965.6 < hi and hi < 1.2 * 965.6
    km = one("The plant, several hundred kilometers east of the Russian capital, is big.", "quantity")
    assert km.text == "several hundred kilometers"
    assert figure_range(km) == (300.0, 700.0)
    assert figure_range(km)[1] < lo  # the two cannot both be right


def test_topic_words_say_what_a_figure_measures():
    miles = one("It released imagery of the site, about 600 miles east of Moscow.", "quantity")
    assert {"east", "moscow", "site"} <= set(miles.topic)
    assert not {"about", "600", "miles", "of"} & set(miles.topic)


def test_months_but_not_the_verbs_may_and_march():
    found = figures("Officials may announce more in May. In April, Iran announced a deal. Crowds march on.")
    assert [(f.kind, f.text, f.value) for f in found] == [("month", "May", "05"), ("month", "April", "04")]


def test_dates_weekdays_and_times():
    found = figures("Posted at 6:51 PM, Jun 09, 2023. It was signed on 9 June 2023 and announced on Friday.")
    values = {(f.kind, f.value) for f in found}
    assert ("time", "18:51") in values
    assert ("date", "2023-06-09") in values
    assert ("date", "weekday:4") in values
    assert sum(1 for f in found if f.value == "2023-06-09") == 2


def test_money_counts_and_percentages():
    money = one("The Pentagon announced a $2.1 billion package on Friday.", "money")
    assert money.text == "$2.1 billion" and money.unit == "USD" and money.value == pytest.approx(2.1e9)
    vague = one("Iran is seeking billions of dollars worth of military equipment.", "money")
    assert figure_range(vague)[0] >= 2e9
    drones = one("Russia had received hundreds of one-way attack drones from Iran.", "count")
    assert drones.unit == "drones" and drones.text == "hundreds of one-way attack drones"
    assert figure_range(drones) == (200.0, 999.0)
    people = one("More than 1,500 people fled the flooded villages.", "count")
    assert people.unit == "people" and figure_range(people)[0] == 1500
    assert one("Turnout fell by 12 percent in the capital.", "percent").value == 12.0


def test_durations_and_ordinals_are_not_counts():
    assert [f for f in figures("He served 3 years in the 17th district.") if f.kind == "count"] == []


def test_seed_figures_include_the_discrepant_facts():
    def texts(prefix):
        return {f.text for f in seed_analyses()[seed(prefix).id].figures}

    assert "about 600 miles" in texts("000")
    assert "several hundred kilometers" in texts("002")
    assert "March" in texts("004")
    for prefix in ("000", "001", "002", "003", "004"):
        article = seed(prefix)
        for f in seed_analyses()[article.id].figures:
            assert article.text[f.start : f.end] == f.text


def test_a_part_of_a_whole_is_not_counted_as_the_whole():
    # "one of six children" and "six children" state the same family size: no discrepancy to find.
    from tuireader.analysis.figures import find_figures

    figures = find_figures(["Page was one of six children of an impoverished family."])
    counts = [(f.value, f.unit) for f in figures if f.kind == "count"]
    assert counts == [(6.0, "children")]
    figures = find_figures(["Two of the 40 passengers died in the crash."])
    assert [(f.value, f.unit) for f in figures if f.kind == "count"] == [(40.0, "passengers")]
