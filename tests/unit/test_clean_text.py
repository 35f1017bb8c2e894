"""Each cleaning feature on small hand-made pages (written for these tests, not copied from any site)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.clean import clean
from tuireader.clean.language import detect_language
from tuireader.clean.spam import find_spam_tokens, remove_spam_tokens
from tuireader.clean.text import lay_out, paragraphs, tidy
from tuireader.model import Article
from tuireader.sources.files import read_document

# Story paragraphs shared by the pages below: plain prose about an invented town council.
P1 = (
    "The council of Brindlewick voted on Tuesday to rebuild the old stone bridge over the river, "
    "ending a dispute that had divided the town for almost three years."
)
P2 = (
    "Engineers told the meeting that the bridge could be closed for eight months while the work is "
    "done, and that traffic would be sent through the northern villages in the meantime."
)
P3 = (
    "Residents who had opposed the plan said they were disappointed, but several of them added that "
    "they would now work with the council to keep the disruption as short as possible."
)
P4 = (
    "The mayor said the decision was not an easy one and that the town would hold a public meeting "
    "next month to explain how the money for the project will be raised."
)
STORY = [P1, P2, P3, P4]


def page(tmp_path: Path, text: str, name: str = "page.txt") -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return clean(read_document(path))


def story_kept(article: Article) -> bool:
    return all(p in article.text for p in STORY)


# ---- site furniture ------------------------------------------------------------------------------


def test_menus_breadcrumbs_and_link_lists_are_not_story(tmp_path):
    text = "\n".join(
        [
            "Home > Local > Brindlewick",
            "* News",
            "* Sport",
            "* Weather",
            "* What's on",
            "Council agrees to rebuild the stone bridge",
            *STORY,
            "Most read",
            "- Ten walks to try before the winter sets in",
            "- Local bakery wins a regional prize for its rye loaf",
            "- School choir to sing at the cathedral in spring",
            "Recommended for you",
            "Farmers warn of a poor apple harvest after the dry summer",
            "New cycle path opens along the canal towpath",
            "Library extends its opening hours on Saturdays",
            "© 2024 Brindlewick Evening Post",
        ]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)
    for furniture in ("Home >", "Weather", "Ten walks", "apple harvest", "©"):
        assert furniture not in a.text


def test_notice_at_the_top_is_cut_off_from_the_story(tmp_path):
    notice = (
        "Scripts are switched off in this browser, so some parts of this page may not work as they "
        "should; please switch them on again or use a newer browser to see everything on the site."
    )
    text = "\n\n".join(
        [notice, "Saturday, 1 March 2025", "Council agrees to rebuild the stone bridge", "by", *STORY]
    )
    a = page(tmp_path, text)
    assert story_kept(a)
    assert "Scripts are switched off" not in a.text


def test_notices_to_the_reader_at_the_edges_are_not_story(tmp_path):
    quote = '"We will appeal, and we expect to win," a lawyer for the residents said after the vote.'
    text = "\n\n".join(
        [
            "We use cookies to improve your experience on our site.",
            *STORY,
            quote,
            "Advertisement",
            "Sign up for our newsletter to get the best stories in your inbox.",
        ]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == (*STORY, quote)


def test_teaser_list_and_comments_below_the_story_are_left_out(tmp_path):
    teasers = []
    for n in range(4):
        teasers += [
            f"* Another headline number {n} about something else entirely",
            "Jo Bloggs",
            f"March {n + 2}, 2024",
            "A one-paragraph summary of a different story, long enough to look like prose to a simple "
            "reader, which is exactly why teaser lists are hard to tell apart from a story.",
        ]
    comments = []
    for n in range(4):
        comments += [
            f"reader{n} says:",
            f"March {n + 3}, 2024 at 9:0{n} am",
            "I have lived in this town for forty years and I can tell you that the bridge has needed "
            "work for most of them, so I am glad that something is finally being done about it.",
        ]
    text = "\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            "By Ann Example",
            "March 1, 2024",
            *STORY,
            "More from the Post",
            *teasers,
            "34 comments",
            *comments,
        ]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)
    assert a.authors == ("Ann Example",)
    assert a.published == "2024-03-01"


def test_embedded_box_between_paragraphs_does_not_split_the_story(tmp_path):
    text = "\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            P1,
            P2,
            "Related",
            "* Bridge closures: what drivers need to know",
            "* Town hall opening hours",
            "* Ten years of the river festival",
            "* Bus timetable changes from May",
            P3,
            P4,
        ]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)


def test_subheading_between_paragraphs_is_kept(tmp_path):
    text = "\n\n".join(["Council agrees to rebuild the stone bridge", P1, P2, "What happens next", P3, P4])
    a = page(tmp_path, text)
    assert a.paragraphs == (P1, P2, "What happens next", P3, P4)


def test_list_announced_by_a_colon_is_kept(tmp_path):
    items = ["March 4 - Northern road closed", "March 9 - Ferry service begins", "April 2 - Works start"]
    text = "\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            P1,
            P2,
            P3,
            "The council published these dates for the works:",
            *items,
            "",
            "* Home",
            "* Contact",
        ]
    )
    a = page(tmp_path, text)
    for item in items:
        assert item in a.paragraphs
    assert "Home" not in a.text


def test_a_short_note_is_kept_whole(tmp_path):
    a = page(tmp_path, "Bridge closed\n\nThe bridge is closed today.\nMore news soon.\n\n* Home\n* Contact")
    assert a.paragraphs == ("The bridge is closed today.", "More news soon.")


def test_article_written_by_the_fetcher_is_taken_as_the_story(tmp_path):
    """Under a header naming a feed, the body is already the story: short lines and lists stay."""
    from tuireader.sources.files import format_header

    header = format_header(
        {
            "title": "Council agrees to rebuild the stone bridge",
            "feed": "https://post.example/rss",
            "fetched": "2024-03-01T10:00:00Z",
        }
    )
    body = "\n\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            "By Ann Example",
            P1,
            "Why now?",
            "- Cost",
            "- Safety",
            P2,
        ]
    )
    a = page(tmp_path, header + body)
    assert a.paragraphs == (P1, "Why now?", "• Cost", "• Safety", P2)
    assert a.authors == ("Ann Example",)


# ---- injected spam tokens ------------------------------------------------------------------------


def test_glued_spam_token_is_found_by_behaviour_and_removed():
    text = (
        "Latest > Zorblat:Council agrees to rebuild the stone bridge\n"
        "Zorblat:Council agrees to rebuild the stone bridge\n"
        "The money will be Zorblatraised from a new local tax, the council said on Tuesday.\n"
        "Work on the bridge was approved and the money will be raised by the council.\n"
    )
    assert find_spam_tokens(text) == {"Zorblat"}
    cleaned = remove_spam_tokens(text, {"Zorblat"})
    assert "Zorblat" not in cleaned
    assert "will be raised from a new local tax" in cleaned
    assert "\nCouncil agrees to rebuild" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        # A brand family glued by letters only: AirPods, AirPlay, AirTag.
        "Apple sells AirPods and AirPlay speakers. An AirTag costs less. Pods play tag with air.",
        # A token that is a word of its own elsewhere in the text.
        "Update: Council meets. Update: Bridge closes. The update came late, said the council.",
        # German compounds glued to real words.
        "Die Bundesregierung und das Bundesland streiten. Die Regierung im Land schweigt.",
        # A camel-case brand met once.
        "TrendPulse View: the bridge will close. Readers of TrendPulse agree about the view.",
    ],
)
def test_words_names_and_compounds_are_not_spam(text):
    assert find_spam_tokens(text) == set()


# ---- captions, bylines, datelines ----------------------------------------------------------------


def test_caption_printed_twice_is_kept_once_apart_from_the_story(tmp_path):
    caption = (
        "The old stone bridge over the river at Brindlewick, which will be closed for eight months "
        "while it is rebuilt. (Photo by Jo Bloggs via Example Images)"
    )
    text = "\n\n".join(["Council agrees to rebuild the stone bridge", caption, caption, *STORY])
    a = page(tmp_path, text)
    assert a.captions == (caption,)
    assert "old stone bridge over the river at Brindlewick" not in a.text
    assert story_kept(a)


def test_caption_followed_by_its_credit_line(tmp_path):
    caption = "Workers inspect the arches of the bridge before the vote on Tuesday ,"
    text = "\n\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            P1,
            caption,
            "(Photo: Jo Bloggs / Example)",
            P2,
            P3,
            P4,
        ]
    )
    a = page(tmp_path, text)
    assert a.captions == ("Workers inspect the arches of the bridge before the vote on Tuesday,",)
    assert a.paragraphs == tuple(STORY)


def test_caption_ending_in_a_credit_fragment(tmp_path):
    caption = "A graphic showing the northern route that drivers will follow. Town Council"
    text = "\n\n".join(["Council agrees to rebuild the stone bridge", P1, P2, caption, P3, P4])
    a = page(tmp_path, text)
    assert a.captions == (caption,)
    assert a.paragraphs == tuple(STORY)


def test_byline_wire_and_dateline_become_metadata(tmp_path):
    text = "\n\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            "By JANE DOE and Rob Roe | Reuters",
            "BRINDLEWICK, England (Reuters) - " + P1,
            P2,
            P3,
            P4,
            "Sam Poe contributed to this report.",
        ]
    )
    a = page(tmp_path, text)
    assert a.authors == ("Jane Doe", "Rob Roe", "Sam Poe")
    assert a.wire == "Reuters"
    assert a.dateline == "BRINDLEWICK, England"
    assert a.paragraphs == tuple(STORY)
    assert a.outlet is None  # a wire is not the outlet


def test_dateline_at_the_end_of_the_last_paragraph(tmp_path):
    text = "\n\n".join(["Council agrees to rebuild the stone bridge", P1, P2, P3, P4 + " —BRINDLEWICK (AP)"])
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)
    assert a.dateline == "BRINDLEWICK" and a.wire == "Associated Press"


def test_bare_name_lines_after_the_story_are_authors(tmp_path):
    text = "\n\n".join(
        [
            "Council agrees to rebuild the stone bridge",
            *STORY,
            "Ann de Example",
            "Bob McExample",
            "Related articles",
        ]
    )
    a = page(tmp_path, text)
    assert a.authors == ("Ann de Example", "Bob McExample")
    assert "Example" not in a.text


# ---- tidying -------------------------------------------------------------------------------------


def test_stray_dots_and_spaces_are_tidied_quotes_left_as_written():
    assert tidy("announced on Friday. . Officials said ") == "announced on Friday. Officials said"
    assert tidy("vehicles. .") == "vehicles."
    assert tidy("from Iran ,  he said") == "from Iran, he said"
    assert tidy('“curly” and "straight" and ‘single’') == '“curly” and "straight" and ‘single’'


def test_hard_wrapped_text_is_joined_into_paragraphs():
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p + " " + p, width=72) for p in STORY)
    layout = lay_out("Council agrees to rebuild the stone bridge\n\n" + wrapped)
    assert paragraphs(layout) == [p + " " + p for p in STORY]


def test_line_broken_mid_sentence_is_joined():
    layout = lay_out(
        "\n".join(
            [
                P1,
                P2,
                "Residents who had opposed the plan said they were disappointed, but several",
                "of them added that they would now work with the council to keep the disruption short.",
                P4,
            ]
        )
    )
    assert paragraphs(layout)[2] == (
        "Residents who had opposed the plan said they were disappointed, but several of them added that "
        "they would now work with the council to keep the disruption short."
    )


# ---- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (P1 + " " + P2, "en"),
        (
            "Le conseil de la ville a voté mardi pour reconstruire le vieux pont de pierre, ce qui met fin à un conflit qui divisait les habitants depuis trois ans.",
            "fr",
        ),
        (
            "Der Rat der Stadt hat am Dienstag beschlossen, die alte Steinbrücke über den Fluss neu zu bauen, und damit einen Streit beendet, der die Stadt seit drei Jahren spaltet.",
            "de",
        ),
        (
            "El consejo de la ciudad votó el martes para reconstruir el viejo puente de piedra sobre el río, lo que pone fin a una disputa que dividía a la ciudad desde hace tres años.",
            "es",
        ),
        ("Bridge vote", None),
    ],
)
def test_language_from_function_words(text, expected):
    assert detect_language([text]) == expected
