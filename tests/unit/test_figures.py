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


# ------------------------------------------------------------------- exact numbers, ranges, counted


def _meet(a: str, b: str, kind: str) -> bool:
    from tuireader.analysis.discrepancies import compatible, consistent

    fa, fb = one(a, kind), one(b, kind)
    assert compatible(fa, fb)
    return consistent(fa, fb)


def test_an_exact_number_allows_only_the_rounding_its_digits_show():
    # 250 and 260 passengers cannot both be right; 1,200 may be 1,230 rounded to hundreds
    assert not _meet("The ferry carried 250 passengers.", "The ferry carried 260 passengers.", "count")
    assert not _meet("The ferry carried 245 passengers.", "The ferry carried 260 passengers.", "count")
    assert _meet("Crews filled 1,200 sandbags.", "Crews filled 1,230 sandbags.", "count")
    assert not _meet("The grant is $3.2 million.", "The grant is $3.5 million.", "money")
    assert _meet("The grant is $3.2 million.", "The grant is $3,200,000.", "money")
    assert _meet("The grant is $3.2m.", "The grant is $3.2 million.", "money")
    assert not _meet("The deal is worth £1.5bn.", "The deal is worth £1.8 billion.", "money")
    assert not _meet("It covers 40% of the cost.", "It covers 45 percent of the cost.", "percent")
    assert not _meet("It covers 40 per cent of the cost.", "It covers 45 percent of the cost.", "percent")
    assert not _meet("Twelve people died in the crash.", "Fourteen people died in the crash.", "count")
    assert not _meet("Ten people died in the crash.", "Eleven people died in the crash.", "count")
    # a converted distance is rounded in its own unit: 5 miles is 8.05 km, written "8 kilometres"
    assert _meet("The trail is 5 miles long.", "The trail is 8 kilometres long.", "quantity")
    assert not _meet("The trail is 5 miles long.", "The trail is 9 kilometres long.", "quantity")


def test_a_stated_range_is_one_figure_that_meets_the_numbers_inside_it():
    for text in ("Police said 10 to 12 children were on board.", "Between 10 and 12 children were on board.",
                 "There were 10-12 children on board."):  # fmt: skip
        children = one(text, "count")
        assert children.unit == "children" and figure_range(children) == (10.0, 12.0), text
        assert _meet(text, "Eleven children were on board.", "count")
        assert not _meet(text, "Fifteen children were on board.", "count")
    euros = one("It would cost 80 to 90 million euros.", "money")
    assert figure_range(euros) == (80e6, 90e6)
    # "and" joins a range only after "between": these are two figures
    assert [f.unit for f in figures("It left 12 dead and 30 injured.") if f.kind == "count"] == [
        "dead",
        "injured",
    ]


def test_counts_of_the_dead_and_the_injured_are_one_quantity_however_worded():
    from tuireader.analysis.discrepancies import compatible

    dead = [one(t, "count") for t in ("The crash left 12 dead.", "Fourteen people died.", "It killed 12 people.",
                                        "In all 12 were killed.", "There were 14 deaths.")]  # fmt: skip
    assert {d.value for d in dead} == {12.0, 14.0}
    assert all(compatible(dead[0], d) for d in dead)
    hurt = one("About 30 people were hurt.", "count")
    assert not compatible(dead[0], hurt)  # the dead and the injured are different quantities
    ambulances = one("Three ambulances took them away.", "count")
    assert not compatible(ambulances, one("It left 12 injured.", "count"))


def test_a_date_and_one_of_the_are_not_counts():
    found = figures("One of the passengers said the road reopened on March 12.")
    assert [f.kind for f in found] == ["date"]


# ------------------------------------------------------------------------------ pairing in a story


def _link(tmp_path, texts: dict[str, str]):
    from tuireader.analysis.article import analyze_many
    from tuireader.analysis.link import link_story
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    for stem, body in texts.items():
        (tmp_path / f"{stem}.txt").write_text(
            f"---\noutlet: {stem}\npublished: 2025-03-10\n---\n{body}\n", "utf-8"
        )
    articles = [clean(read_document(p)) for p in sorted(tmp_path.glob("*.txt"))]
    analyses = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    return link_story(articles, analyses, meaning=False)


def test_reworded_versions_pair_differing_figures_and_leave_the_traps_alone(tmp_path):
    links = _link(tmp_path, {
        "alpha": "A bus carrying 41 passengers left the road near Castelmont on Sunday, killing 12 people and "
                 "injuring 30. Three ambulances reached the ravine, and one of the passengers helped rescuers. "
                 "Police said 10 to 12 children were on board. The road had reopened on March 12.",
        "beta": "Fourteen people died on Sunday when a bus with 41 passengers went off the road near Castelmont, "
                "and 30 others were injured. Rescuers said three ambulances reached the ravine. Eleven children "
                "were on the bus, police said. The road reopened on March 12.",
    })  # fmt: skip
    # the dead differ; the injured, the ambulances, the range of children and the date agree
    assert [(d.kind, d.values) for d in links.discrepancies] == [
        ("count", {"alpha": "12 people", "beta": "Fourteen people"})
    ]
    assert links.discrepancies[0].between == "outlets"


def test_figures_after_the_same_words_pair_in_a_short_story_whose_sentences_differ(tmp_path):
    # "the closure would save" before both amounts says they state one fact, though the sentences
    # are told differently and the story is too short for its words to weigh much
    links = _link(tmp_path, {
        "alpha": "The carmaker Orvell will close its Dunmore plant by the end of next year, cutting 1,400 jobs, "
                 "the company said on Thursday.\n\nOrvell said the closure would save £120m a year, and that "
                 "about 300 of the workers would be offered jobs at its other sites.\n\nThe plant opened in 1987 "
                 "and built 85,000 cars last year, 12 per cent fewer than the year before.",
        "beta": "Orvell's decision to close the Dunmore plant will cost 1,400 jobs, the company said on Thursday, "
                "in a town of 30,000 people.\n\nOne of the workers, a welder for 22 years, said the news came as "
                "a shock.\n\nThe plant built 85,000 cars last year, 15 per cent fewer than in the year before, "
                "and Orvell said the closure would save £150m a year.",
    })  # fmt: skip
    found = [(d.kind, d.values) for d in links.discrepancies]
    assert ("money", {"alpha": "£120m", "beta": "£150m"}) in found
    assert ("percent", {"alpha": "12 per cent", "beta": "15 per cent"}) in found
    assert len(found) == 2  # the jobs, the workers, the cars and the years agree or stand alone
