"""Who said it: speakers of quotes in whole stories written for these tests (several paragraphs,
several speakers, pronouns of both genders, a quote continued across paragraphs, an "according to"
report and a scare-quoted word), as a reader of the story would credit them."""

from __future__ import annotations

from seedutil import make_article

from tuireader.analysis.article import analyze

COUNCIL = (
    "Mayor Linda Chavez defended the city budget at a packed council meeting on Tuesday night.",
    "“We kept every promise we made to this city,” Chavez said.",
    "Councilman Robert Hale was not convinced. “Where did the surplus go?” Hale asked. "
    "“Nobody on this council can tell us.”",
    "“The books are open to anyone who wants to read them,” she said.",
    "“We will keep asking until we get an answer,” he said. “The residents deserve to know.",
    "“And they deserve to know before the vote in March.”",
    "The so-called “reform” passed anyway last spring.",
    "The reserve held “less than two weeks of payroll,” according to the city auditor, Maria Lopez.",
    "“Numbers do not lie,” tweeted the council clerk, Dana Brooks.",
    "At the end of a long and often angry meeting on Tuesday night, Hale compared the plan to a blank "
    "check, saying, “Nobody would sign something like this at home.”",
    "Chavez met the protesters outside the hall and called their demands “reasonable but expensive.”",
    "“It was a mistake to delay the audit,” Lopez said. It was “an honest one, though.”",
)


def _speakers(paragraphs):
    text = "\n\n".join(paragraphs)
    quotes = analyze(make_article("story", paragraphs)).quotes
    return text, {q.text: q for q in quotes}


def _quote(quotes, start):
    (q,) = [q for text, q in quotes.items() if text.startswith(start)]
    return q


def test_question_quote_takes_the_attribution_of_the_short_sentence_after_it():
    _, quotes = _speakers(COUNCIL)
    # '"Where did the surplus go?" Hale asked.': the question mark ended the sentence, the
    # attribution is the next one; it is not Chavez's quote going on
    assert _quote(quotes, "Where did the surplus go?").speaker_key == "robert hale"
    assert _quote(quotes, "Nobody on this council").speaker_key == "robert hale"


def test_pronouns_agree_in_gender_with_the_person_they_stand_for():
    text, quotes = _speakers(COUNCIL)
    books = _quote(quotes, "The books are open")
    assert books.speaker_key == "linda chavez"  # "she said" after a man spoke: the woman
    assert text[books.speaker_start : books.speaker_end] == "she"
    assert _quote(quotes, "We will keep asking").speaker_key == "robert hale"  # "he said"


def test_a_quote_continued_across_paragraphs_keeps_its_speaker():
    _, quotes = _speakers(COUNCIL)
    know = _quote(quotes, "The residents deserve to know")
    assert "before the vote in March" in know.text and know.closed
    assert know.speaker_key == "robert hale"


def test_according_to_names_the_speaker_and_a_scare_quote_is_no_quote():
    _, quotes = _speakers(COUNCIL)
    assert _quote(quotes, "less than two weeks").speaker_key == "maria lopez"
    assert not any(text == "reform" for text in quotes)


def test_any_speech_verb_right_after_a_quote_comes_before_its_subject():
    _, quotes = _speakers(COUNCIL)
    assert _quote(quotes, "Numbers do not lie").speaker_key == "dana brooks"  # ', tweeted X'


def test_a_participle_is_credited_to_its_sentence_subject():
    _, quotes = _speakers(COUNCIL)
    assert _quote(quotes, "Nobody would sign").speaker_key == "robert hale"  # '..., saying, "..."'


def test_a_second_verb_of_a_sentence_shares_its_subject():
    _, quotes = _speakers(COUNCIL)
    assert _quote(quotes, "reasonable but expensive").speaker_key == "linda chavez"  # '... and called'


def test_a_partial_quote_in_the_next_sentence_goes_on_with_the_speaker():
    text, quotes = _speakers(COUNCIL)
    mistake = _quote(quotes, "It was a mistake")
    honest = _quote(quotes, "an honest one")
    assert honest.partial and honest.speaker is not None
    assert (honest.speaker_start, honest.speaker_end) == (mistake.speaker_start, mistake.speaker_end)
    assert text[honest.speaker_start : honest.speaker_end] == "Lopez"


def test_a_surname_the_name_finder_missed_is_the_person_named_with_it():
    # "Lopez said" (the NER model finds "Maria Lopez" but not the lone surname): still Maria Lopez
    _, quotes = _speakers(COUNCIL)
    assert _quote(quotes, "It was a mistake").speaker_key == "maria lopez"


INTERVIEW = (
    "Emma Grant gave her first television interview on Monday, a week after winning the primary.",
    "Matt Lauer asked her whether she had practised the speech that made her famous.",
    "“I read it once, on the plane,” she said.",
    "“That is hard to believe,” he said.",
)


def test_pronouns_after_a_mention_do_not_outvote_the_first_name():
    # "asked her whether she ..." follows Lauer's name; his first name still makes him a man
    _, quotes = _speakers(INTERVIEW)
    assert _quote(quotes, "I read it once").speaker_key == "emma grant"
    assert _quote(quotes, "That is hard to believe").speaker_key == "matt lauer"


HEARING = (
    "Jane Moore, who chairs the parks board, and the clerk Dana Brooks spoke after the hearing on Friday.",
    "Jane Moore thanked the mayor for “stepping up when nobody else on the council would.”",
    "The two sides will meet again next week, Brooks said, adding, “They need to sit down and talk.”",
)


def test_a_reported_clause_without_a_speech_verb_is_the_words_of_the_name_opening_it():
    _, quotes = _speakers(HEARING)
    stepping = _quote(quotes, "stepping up")
    assert stepping.partial and stepping.speaker_key == "jane moore"


def test_a_participle_after_a_finite_cue_takes_that_cues_subject():
    # ', Brooks said, adding, "..."': not "The two sides", who open the sentence
    _, quotes = _speakers(HEARING)
    assert _quote(quotes, "They need to sit down").speaker_key == "dana brooks"


PRIMARY = (
    "“He is not my favourite candidate by any means,” Paul Whitaker, a former senator, told reporters "
    "on Tuesday, when a dozen states held their contests. “But he may be the only way to stop the "
    "front-runner now.”",
    "In her speech, Helen Ortiz declared the need for ambition: “Change the world and then change it "
    "again,” she said.",
)


def test_a_second_quote_goes_on_with_the_attribution_between_them():
    # the words between the quotes are one sentence, Whitaker's attribution; not "a dozen states"
    _, quotes = _speakers(PRIMARY)
    assert _quote(quotes, "But he may be").speaker_key == "paul whitaker"


def test_a_quote_after_a_colon_is_credited_by_its_own_attribution():
    text, quotes = _speakers(PRIMARY)
    change = _quote(quotes, "Change the world")
    assert change.speaker_key == "helen ortiz"
    assert text[change.speaker_start : change.speaker_end] == "she"


def test_a_colon_introduction_names_the_subject_that_opens_it():
    paras = (
        "The city published its audit of the stadium deal on Thursday morning.",
        "A footnote in the audit makes the point plainly: “The figures were never checked by anyone.”",
    )
    text, quotes = _speakers(paras)
    q = _quote(quotes, "The figures were never checked")
    assert text[q.speaker_start : q.speaker_end].startswith("A footnote")


def test_a_term_in_quotation_marks_before_a_dash_is_no_quote():
    paras = (
        "The city’s “rainy-day fund” — a reserve built up over a decade — is nearly empty this year.",
        "“We will refill it by 2027,” the treasurer, Omar Haddad, said on Monday.",
    )
    _, quotes = _speakers(paras)
    assert list(quotes) == ["We will refill it by 2027"]


def test_a_relative_pronoun_and_a_party_label_stand_for_the_name_before_them():
    paras = (
        "Senator Ann Fuller (D-Ohio) told reporters on Monday that the deal was “dead on arrival.”",
        "Its critics include the governor, Tom Reyes, who has called the plan “a giveaway to developers.”",
    )
    text, quotes = _speakers(paras)
    assert _quote(quotes, "dead on arrival").speaker_key == "ann fuller"
    giveaway = _quote(quotes, "a giveaway")
    assert giveaway.speaker_key == "tom reyes"
    assert text[giveaway.speaker_start : giveaway.speaker_end] == "who"
