"""Direct quotations and their speakers, on the seeds and on hand-made edge cases."""

from __future__ import annotations

import pytest
from seedutil import make_article, quote_with, seed, seed_analyses

from tuireader.analysis.article import analyze
from tuireader.analysis.quotes import find_quotes
from tuireader.text.units import sentence_spans


def quotes_of(prefix: str):
    return seed_analyses()[seed(prefix).id].quotes


def quotes_in(*paragraphs: str, language: str | None = None):
    return analyze(make_article("hand", paragraphs, language=language)).quotes


# ------------------------------------------------------------------------------------------ seeds


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_quote_offsets_cover_the_quoted_words_without_the_marks(prefix):
    text = seed(prefix).text
    quotes = quotes_of(prefix)
    assert quotes, "every seed quotes someone"
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.text[0] not in "\"“”'‘’ " and q.text[-1] not in "\"“”'‘’ "
        before = text[: q.start].rstrip()
        # the opening mark sits right before the quote, unless a scrape lost it
        assert before.endswith(tuple("\"“”'‘’«„")) or "\n\n" in text[q.start : q.end] or not q.closed


def test_curly_quotes_with_said_after_and_continuing_quote_in_the_same_paragraph():
    quotes = quotes_of("001")
    full = quote_with(quotes, "full-scale defense partnership")
    tools = quote_with(quotes, "all the tools at our disposal")
    assert full.speaker_key == "john kirby" and full.speaker == "John Kirby"
    assert tools.speaker_key == "john kirby"  # no attribution of its own: continues Kirby's
    assert tools.text.endswith("we are prepared to do more.")


def test_said_before_the_speaker_and_he_said_resolved_to_the_last_named_speaker():
    quotes = quotes_of("000")
    assert (
        quote_with(quotes, "The drones are built in Iran").speaker_key == "john kirby"
    )  # "..., said ... John Kirby"
    assert quote_with(quotes, "unprecedented defense cooperation").speaker_key == "john kirby"  # ", he said"
    assert (
        quote_with(quotes, "they don't really trust each other").speaker_key == "william burns"
    )  # ", he said"
    assert quote_with(quotes, "Both federally sanctioned").speaker_key == "william burns"  # "Burns said"


def test_partial_quotes_are_marked_and_attributed_to_the_sentence_subject():
    expanding = quote_with(quotes_of("000"), "expanding")
    assert expanding.text.rstrip(",") == "expanding" and expanding.partial
    assert expanding.speaker_key == "john kirby"  # "Kirby warned that ... was 'expanding'"
    built = quote_with(quotes_of("001"), "will probably be built")
    assert built.partial and built.speaker_key == "white house"  # "where it believes ..."
    full = quote_with(quotes_of("001"), "full-scale")
    assert not full.partial


def test_unclosed_quote_of_seed_004_is_kept_and_flagged():
    quotes = quotes_of("004")
    fruit = quote_with(quotes, "bear fruit")
    assert not fruit.closed and fruit.speaker_key == "henry rome"
    problem = quote_with(quotes, "challenging problem for Western powers")
    # its closing paragraph lost the opening mark: the quote runs on to the closing mark there
    assert "limiting the flow of technology" in problem.text
    assert problem.speaker_key == "henry rome"


def test_quote_introduced_by_a_colon_and_a_non_person_speaker():
    advisory = quote_with(quotes_of("003"), "Industry should be aware")
    assert advisory.speaker == "The advisory" and advisory.speaker_key == "advisory"
    assert advisory.text.endswith("in its weapons.")


def test_multi_sentence_quote_keeps_its_sentences():
    q = quote_with(quotes_of("003"), "I don't want to get into diplomatic conversations")
    assert q.text.endswith("UN Security Council resolutions")
    assert q.speaker_key == "john kirby"


# -------------------------------------------------------------------------------------- hand-made


def test_quote_running_over_paragraphs_by_the_reopening_convention():
    paras = (
        "“I have three points,” Senator Maria Lopez told reporters on Tuesday. “First, the bill is late.",
        "“Second, it costs too much.",
        "“Third, nobody asked us.”",
        "Lopez left without taking questions.",
    )
    quotes = quotes_in(*paras)
    # The attribution ends a sentence: two quotes of one speaker; the second runs over three paragraphs.
    assert [q.text[:6] for q in quotes] == ["I have", "First,"]
    long = quotes[1]
    assert long.text.endswith("nobody asked us.") and "Second" in long.text and long.closed
    assert long.speaker_key == "maria lopez"
    text = "\n\n".join(paras)
    assert text[long.speaker_start : long.speaker_end] == "Maria Lopez"  # the attribution it goes on with


def test_nested_quotes_stay_inside_the_outer_quote():
    quotes = quotes_in(
        "\"We heard him say 'never again' and we believed him,\" said Mayor Anne Hidalgo of Paris."
    )
    assert len(quotes) == 1
    assert quotes[0].text == "We heard him say 'never again' and we believed him"
    assert quotes[0].speaker_key == "anne hidalgo"


def test_straight_quotes_and_apostrophes_are_told_apart():
    quotes = quotes_in(
        "It's the team's best season since the '90s, and the 6'2\" guard didn't say otherwise.",
        'The coach said: "We\'re not done yet." Fans cheered.',
    )
    assert [q.text for q in quotes] == ["We're not done yet."]
    assert quotes[0].speaker == "The coach"


def test_headline_style_single_quotes_and_british_style():
    headline = quotes_in(
        "Biden: 'We will finish the job'", "The president spoke at length on Monday evening about jobs."
    )
    assert [q.text for q in headline] == ["We will finish the job"]
    assert headline[0].speaker_key == "biden"
    british = quotes_in(
        "‘We will not back down,’ the prime minister, Keir Starmer, said on Monday. ‘This is about fairness.’",
        "He added that the plan was ‘non-negotiable’ and that ministers’ salaries would be frozen.",
    )
    assert [q.text for q in british] == ["We will not back down", "This is about fairness.", "non-negotiable"]
    assert {q.speaker_key for q in british} == {"keir starmer"}


def test_quotes_in_the_title_are_not_reported_against_the_body():
    article = make_article(
        "titled",
        ["The minister spoke briefly to reporters on Monday and gave no further details about the plan."],
        title="Minister: 'No comment on the plan'",
    )
    assert analyze(article).quotes == ()


def test_article_without_quotes():
    assert (
        quotes_in(
            "The council met on Tuesday and approved the budget for next year without debate.",
            "Residents can comment on the plan until the end of the month at the town hall.",
        )
        == ()
    )


def test_wire_copy_closing_marks_and_spaces_before_closing_marks():
    quotes = quotes_in(
        "\"We are definitely treating it as suspicious,'' James Steele, the fire chief, told the newspaper.",
        '"I saw her fall back, "said Unique Armstead, a witness. "I saw blood. "',
    )
    assert [q.text for q in quotes] == [
        "We are definitely treating it as suspicious",
        "I saw her fall back",
        "I saw blood.",
    ]
    assert quotes[0].speaker_key == "james steele"
    assert quotes[1].speaker_key == "unique armstead" and quotes[2].speaker_key == "unique armstead"


def test_titles_in_quotation_marks_are_not_quotes():
    quotes = quotes_in(
        'The actor, who starred in "Kate and Leopold," said the role changed his life, friends said.'
    )
    assert quotes == ()


def test_non_english_quotes_are_found_without_english_speakers():
    french = quotes_in(
        "Le président a déclaré : « Nous ne céderons pas », devant les députés réunis à Paris.",
        "Selon lui, la loi sera votée avant l'été, car « la réforme est nécessaire ».",
        language="fr",
    )
    assert [q.text for q in french] == ["Nous ne céderons pas", "la réforme est nécessaire"]
    german = quotes_in("Die Kanzlerin sagte: „Wir schaffen das“, und verließ den Saal ohne weitere Fragen.")
    assert [q.text for q in german] == ["Wir schaffen das"]


def test_find_quotes_without_entities_still_finds_the_quotes():
    quotes = find_quotes(['"It is over," she said.'], [])
    assert [q.text for q in quotes] == ["It is over"]


def test_sentence_spans_do_not_break_after_abbreviations():
    text = "U.S. officials met Mr. Kirby on Friday. He spoke first. Carol E. Lee contributed."
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "U.S. officials met Mr. Kirby on Friday.",
        "He spoke first.",
        "Carol E. Lee contributed.",
    ]


# ------------------------------------------------------------------- journalists' conventions


def test_she_said_goes_to_the_woman_even_when_a_man_spoke_last():
    quotes = quotes_in(
        "“We will vote against it,” Maria Gomez said on Monday after the council met in Springfield.",
        "“The bill is dead,” said Peter Lang, the committee chairman, who has led the panel for years.",
        "“We will keep fighting for the families who need it,” she said. “Nobody should give up now.”",
        "“That is their right,” he said later.",
    )
    keys = [q.speaker_key for q in quotes]
    assert keys == ["maria gomez", "peter lang", "maria gomez", "maria gomez", "peter lang"]


def test_mr_and_ms_decide_the_gender_when_the_first_name_does_not():
    quotes = quotes_in(
        "Ms. Jordan Blake, who runs the shelter, met Mr. Alex Rowe, the landlord, on Friday.",
        "“We need another month,” Ms. Blake said, standing beside the locked door of the building.",
        "“Rules are rules,” Mr. Rowe said.",
        "“I expected more from a neighbour,” she said.",
    )
    assert quotes[-1].speaker_key == quote_with(quotes, "another month").speaker_key
    assert quotes[-1].speaker_key != quote_with(quotes, "Rules are rules").speaker_key


def test_a_quote_interrupted_by_its_attribution_is_one_statement_with_two_parts():
    paras = (
        "“The budget,” the mayor, Ellen Park, said on Tuesday, “is balanced for the first time in ten years.”",
    )
    quotes = quotes_in(*paras)
    assert len(quotes) == 1
    q = quotes[0]
    text = paras[0]
    assert [text[s:e] for s, e in q.parts] == ["The budget", "is balanced for the first time in ten years."]
    assert (q.start, q.end) == (q.parts[0][0], q.parts[-1][1])
    assert q.speaker_key == "ellen park"


def test_two_speakers_answering_each_other_stay_two_quotes():
    quotes = quotes_in(
        "“We are ready,” said Coach Dana Wills. “They are not,” replied the rival coach, Sam Ortiz, with a grin."
    )
    assert len(quotes) == 2 and all(not q.parts for q in quotes)
    assert [q.speaker_key for q in quotes] == ["dana wills", "sam ortiz"]


def test_scare_quotes_nicknames_and_titles_are_not_quotes():
    quotes = quotes_in(
        "The so-called “reform” is a giveaway to developers and their “friends” at city hall.",
        "The senator, nicknamed “the Hammer” by colleagues, appeared on “Meet the Press” on Sunday morning.",
        "She has read “War and Peace” twice, according to her office, and plans a third time this year.",
    )
    assert quotes == ()


def test_markup_attributes_are_never_quotes():
    quotes = quotes_in(
        '<tweet tweet-id="785828772423561216" tweet-author="@someone">Vote today!</tweet>',
        'Watch the video at <a href="http://video.example.com/clip">the station’s site</a>.',
        '"We counted every ballot twice," said the county clerk, Rosa Medina, on Wednesday.',
    )
    assert [q.text for q in quotes] == ["We counted every ballot twice"]
    assert quotes[0].speaker_key == "rosa medina"


def test_partial_quote_keeps_the_speaker_of_its_sentence():
    quotes = quotes_in(
        "Governor Alan Reyes called the storm response “a failure at every level of government.”",
    )
    assert [q.text for q in quotes] == ["a failure at every level of government."]
    assert quotes[0].partial and quotes[0].speaker_key == "alan reyes"


def test_organisations_and_groups_are_speakers():
    quotes = quotes_in(
        "“We do not comment on operations in progress,” the Pentagon said in a statement on Monday.",
        "“This bill is a disgrace to the chamber,” Democratic lawmakers said after the vote on Friday.",
    )
    assert quotes[0].speaker_key == "pentagon"
    assert quotes[1].speaker == "Democratic lawmakers"


def test_according_to_and_colon_introductions_name_the_speaker():
    paras = (
        "The fire was “fully under control by midnight,” according to the Springfield Fire Department.",
        "The statement from the hospital read: “All of the injured are in stable condition tonight.”",
        "Dr. Helen Marsh, the hospital’s director, told reporters:",
        "“We had every bed ready before the first ambulance arrived at the door.”",
    )
    quotes = quotes_in(*paras)
    text = "\n\n".join(paras)
    assert quotes[0].speaker_key == "springfield fire department"
    assert text[quotes[1].speaker_start : quotes[1].speaker_end] == "The statement from the hospital"
    assert quotes[2].speaker_key == "helen marsh"


def test_a_role_alone_is_linked_to_the_person_the_story_names_with_it():
    paras = (
        "U.S. District Judge Gonzalo Curiel heard the motion on Friday in San Diego.",
        "Lawyers for both sides argued for most of the afternoon about the schedule.",
        "“This case will go to trial in November,” the judge said.",
    )
    quotes = quotes_in(*paras)
    text = "\n\n".join(paras)
    assert quotes[0].speaker_key == "gonzalo curiel"
    assert text[quotes[0].speaker_start : quotes[0].speaker_end] == "the judge"


def test_a_pathological_long_token_does_not_stall_attribution():
    token = "x" * 32_000
    quotes = find_quotes([f"{token} he said, “It is over now for all of us.”"], [])
    assert [q.text for q in quotes] == ["It is over now for all of us."]


def test_a_continuing_quote_points_at_the_latest_mention_of_its_speaker():
    paras = (
        "“We start on Monday,” Maria Ruiz, the director of the Toledo plant, told reporters.",
        "She spoke at the gates of the plant, where about two hundred workers had gathered.",
        "“Nobody here will lose a job because of the new line.”",
    )
    quotes = quotes_in(*paras)
    text = "\n\n".join(paras)
    assert [q.speaker_key for q in quotes] == ["maria ruiz", "maria ruiz"]
    assert text[quotes[1].speaker_start : quotes[1].speaker_end] == "She"
