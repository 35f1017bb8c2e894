"""Each cleaning feature on small hand-made pages (written for these tests, not copied from any site)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.clean import SiteProfile, clean, host_of, site_profile
from tuireader.clean.language import detect_language, words_of
from tuireader.clean.spam import find_spam_tokens, remove_spam_tokens
from tuireader.clean.text import lay_out, paragraphs, tidy
from tuireader.model import Article, RawDocument
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


# ---- comment threads, related lists, site furniture, bad input ------------------------------------

# Readers' comments on the bridge story: prose about the same town, each longer than a story paragraph.
COMMENTS = [
    "I have lived in this town for forty years and I can tell you that the bridge has needed work "
    "for most of them, so I am glad that something is finally being done about it after all this time.",
    "Eight months is far too long for a closure like this, and the people who live in the northern "
    "villages were never asked what they think about all the lorries that will now go past their doors.",
    "The council always finds money for its own projects but never for the things that the rest of us "
    "actually need, like the bus service to the hospital that was cut last spring without any warning.",
    "My father helped to repair that bridge after the flood of 1968 and he always said that it would "
    "need a proper rebuild one day, so none of this comes as a surprise to anyone in our family.",
    "Does anyone know whether the footpath on the east side will stay open during the works, because "
    "my children use it every day to walk to the school by the river and there is no other safe way?",
    "People complain about every plan the council makes, but when the old bridge finally fails they will "
    "be the first to ask why nobody did anything, so I would rather pay for the work now than later.",
]


def _disqus_thread() -> list[str]:
    out = ["Comments"]
    for n, text in enumerate(COMMENTS * 2):
        out += [f"Reader{n} Example", f"{n + 1} hours ago", text, "Reply", "Report"]
    return out


def _wordpress_thread() -> list[str]:
    out = ["12 thoughts on “Council agrees to rebuild the stone bridge”"]
    for n, text in enumerate(COMMENTS * 2):
        out += [f"jo_reader{n} says:", text.replace("council", f"council ({n})"), "Reply"]
    return out + ["Leave a Reply", "Your email address will not be published."]


def _social_thread() -> list[str]:
    out = []
    for n, text in enumerate(COMMENTS * 2):
        out += [f"Sam Writer{n}", text.replace("bridge", f"bridge #{n}"), f"Like · Reply · {n + 1}w"]
    return out


def _headed_thread_without_stamps() -> list[str]:
    out = ["Comments (12)"]
    for n, text in enumerate(COMMENTS * 2):
        out += [f"anon{n}", text.replace("town", f"town {n}")]
    return out


@pytest.mark.parametrize(
    "thread", [_disqus_thread, _wordpress_thread, _social_thread, _headed_thread_without_stamps]
)
def test_comment_thread_longer_than_the_story_is_left_out(tmp_path, thread):
    # No byline or date over the story: only the thread's own structure can make it lose.
    comments = thread()
    story = STORY[:3]
    assert sum(len(c.split()) for c in comments) > 3 * sum(len(p.split()) for p in story)
    text = "\n".join(["Home", "Local", "Council agrees to rebuild the stone bridge", *story, *comments])
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(story)


def test_related_stories_list_after_the_story_is_left_out(tmp_path):
    related = [
        "Related stories",
        "* Ferry company doubles its crossings while the bridge is closed",
        "* Northern villages ask for a lorry ban during the works",
        "Brindlewick school choir wins the county festival for a third year",
        "March 2, 2024",
        "Farmers in the valley warn of a poor apple harvest after the dry summer",
        "March 2, 2024",
        "New cycle path opens along the canal towpath between the two mills",
        "February 28, 2024",
    ]
    text = "\n".join(["Council agrees to rebuild the stone bridge", "By Ann Example", *STORY, *related])
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)
    assert "Related" not in a.text and "apple harvest" not in a.text


def test_related_teasers_with_summaries_after_the_story_are_left_out(tmp_path):
    teasers = ["You may also like"]
    for place, thing in (("Ashford", "library"), ("Milton", "school"), ("Eastbury", "swimming pool")):
        teasers += [
            f"Council in {place} delays the decision on its {thing} until after the summer",
            f"Councillors in {place} said on Monday that they needed more time to study the costs of the "
            f"{thing}, which has been closed since the spring.",
        ]
    text = "\n".join(["Council agrees to rebuild the stone bridge", "By Ann Example", *STORY, *teasers])
    a = page(tmp_path, text)
    assert a.paragraphs == tuple(STORY)


def test_listicle_items_under_short_headings_are_kept(tmp_path):
    items = []
    for n, (name, text) in enumerate(
        zip(["The Old Mill", "River Walk", "Market Hall"], STORY[1:], strict=True)
    ):
        items += [f"{n + 1}. {name}", text, "Read more"]
    text = "\n".join(["Five places to see in Brindlewick", "By Ann Example", P1, *items])
    a = page(tmp_path, text)
    assert all(p in a.text for p in STORY)


def test_promotion_shouted_in_capitals_inside_the_story_is_left_out(tmp_path):
    promo = "GET THE BRINDLEWICK POST APP FOR ALL THE LATEST NEWS FROM THE VALLEY"
    text = "\n".join(
        ["Council agrees to rebuild the stone bridge", P1, promo, P2, "WHAT HAPPENS NEXT", P3, P4]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == (P1, P2, "WHAT HAPPENS NEXT", P3, P4)


def test_ad_labels_between_paragraphs_are_left_out(tmp_path):
    text = "\n".join(
        ["Council agrees to rebuild the stone bridge", P1, "Advertisement", P2, "Story continues below advertisement",
         "What happens next", P3, "ANZEIGE", P4]
    )  # fmt: skip
    a = page(tmp_path, text)
    assert a.paragraphs == (P1, P2, "What happens next", P3, P4)


CONSENT = [
    "We and our partners store and access information on your device, such as cookies, and process "
    "personal data such as unique identifiers sent by your device to personalise the ads and content you "
    "see, to measure how they perform and to improve our products.",
    "With your permission we and our partners may use precise location data. You may click to consent to "
    "our processing as described above, or you may read more detailed information and change your "
    "preferences before consenting.",
]


@pytest.mark.parametrize("where", ["above", "below"])
def test_consent_notice_longer_than_a_short_story_is_left_out(tmp_path, where):
    story = [P1, P2]
    notice = ["Privacy settings", *CONSENT, "Accept all"]
    body = ["Council agrees to rebuild the stone bridge", *story]
    a = page(tmp_path, "\n".join([*notice, *body] if where == "above" else [*body, *notice]))
    assert a.paragraphs == tuple(story)


def test_story_quoting_we_and_you_is_not_a_notice(tmp_path):
    quoted = (
        '"We have listened to you, and we know that you want our bridge back," the mayor told residents, '
        '"so we will do everything we can to keep your journeys short while our engineers do the work."'
    )
    text = "\n".join(["Council agrees to rebuild the stone bridge", P1, quoted, P2])
    assert page(tmp_path, text).paragraphs == (P1, quoted, P2)


@pytest.mark.parametrize("heading", ["About Ann Example", "About the author", "Über Ann Example"])
def test_author_box_under_the_story_is_left_out(tmp_path, heading):
    bio = (
        "Ann Example has covered the towns of the river valley for the Post since 2009 and writes about "
        "local government, transport and the long fight over the future of the old stone bridge."
    )
    text = "\n".join(
        ["Council agrees to rebuild the stone bridge", P1, P2, heading, bio, "About us", "Contact"]
    )
    a = page(tmp_path, text)
    assert a.paragraphs == (P1, P2)


def _site_page(
    tmp_path: Path, name: str, story: list[str], extra: tuple[str, ...] = (), url: str = ""
) -> RawDocument:
    """A page of the invented Brindlewick Post: the site's menu, its disclaimer and about-us
    paragraphs (longer than the short story they frame) and its footer around one story."""
    disclaimer = (
        "The information published on this website is provided for general purposes only and does not "
        "constitute advice of any kind; the publisher accepts no liability for any loss that may arise "
        "from reliance on it, and all content remains the property of its respective owners."
    )
    about = (
        "The Brindlewick Post has reported on the towns and villages of the river valley since 1894 and "
        "is owned by a trust that reinvests all of its income in local journalism, training and events."
    )
    text = "\n".join(
        [
            "Home",
            "Local",
            "Sport",
            "Brindlewick Post",
            *story,
            "Share this story",
            about,
            disclaimer,
            "Contact us",
        ]
    )
    path = tmp_path / name
    header = f"---\nurl: {url or 'https://www.brindlewick-post.example/' + name}\n---\n"
    path.write_text(header + text + "".join(f"\n{line}" for line in extra), encoding="utf-8")
    return read_document(path)


OTHER_STORIES = [
    [
        "The annual river festival will return in June after a two-year break, the organisers said on "
        "Monday, with boat races, a market and a concert on the meadow by the old mill.",
    ],
    [
        "A local bakery has won a regional prize for its rye loaf, beating more than forty entries from "
        "across the county at a competition held in the market hall on Saturday.",
    ],
]


def test_site_furniture_repeated_across_pages_goes_with_a_profile(tmp_path):
    raws = [
        _site_page(tmp_path, "bridge.txt", [P1]),
        _site_page(tmp_path, "festival.txt", OTHER_STORIES[0]),
        _site_page(tmp_path, "bakery.txt", OTHER_STORIES[1]),
    ]
    profile = site_profile(raws)
    assert host_of(raws[0]) == "brindlewick-post.example"
    for raw, story in zip(raws, [[P1], *OTHER_STORIES], strict=True):
        alone = clean(raw)
        profiled = clean(raw, profile)
        assert profiled.paragraphs == tuple(story)
        # Alone, a page cannot tell a one-paragraph story from the boilerplate prose around it: it
        # keeps both. The profile tells them apart and never costs the story.
        assert all(p in alone.text for p in story) and "no liability" in alone.text
        assert "no liability" not in profiled.text and "since 1894" not in profiled.text


def test_a_profile_is_harmless_without_other_pages_or_for_versions_of_one_story(tmp_path):
    single = _site_page(tmp_path, "bridge.txt", STORY)
    assert clean(single, site_profile([single])) == clean(single)
    # The same story fetched twice, from the same address or not, shares its prose with itself:
    # its paragraphs are not furniture, though the site's menu and footer are.
    address = "https://brindlewick-post.example/bridge.txt?utm_source=feed"
    edited = _site_page(
        tmp_path, "bridge-edited.txt", [P1.replace("Tuesday", "Tuesday night"), *STORY[1:]], url=address
    )
    for again in (edited, _site_page(tmp_path, "bridge-again.txt", [*STORY, "A correction was added."])):
        profile = site_profile([single, again, _site_page(tmp_path, "bakery.txt", OTHER_STORIES[1])])
        assert "home" in profile.lines
        assert not any(" ".join(words_of(p)) in profile.lines for p in STORY[1:])
        assert story_kept(clean(single, profile))


def test_profile_digest_follows_only_the_lines_a_page_holds(tmp_path):
    raws = [_site_page(tmp_path, f"p{n}.txt", story) for n, story in enumerate([[P1], *OTHER_STORIES])]
    digest = site_profile(raws).digest_for(raws[0])
    assert digest != SiteProfile("", 0, frozenset()).digest_for(raws[0])
    # Two new pages repeat a line the first page does not print: its cache key stays.
    weather = ("Weather: sunny spells, light winds",)
    more = [_site_page(tmp_path, f"w{n}.txt", [P2 if n else P3], weather) for n in range(2)]
    wider = site_profile([*raws, *more])
    assert "weather sunny spells light winds" in wider.lines
    assert wider.digest_for(raws[0]) == digest


@pytest.mark.parametrize(
    "body",
    ["", "\n\n   \n", "\ufffd\u2592\u2593" * 400, "\u2500\u2502\u250c\u2510" * 50 + "\n" + "�" * 300],
)
def test_empty_or_illegible_text_gives_an_empty_story(body):
    layout = lay_out(body)
    assert paragraphs(layout) == []


def test_illegible_lines_around_a_story_are_dropped(tmp_path):
    junk = "".join(chr(0x2500 + (i * 7) % 0xFF) + "\ufffd" for i in range(200))
    a = page(tmp_path, "\n".join([junk, *STORY, junk]))
    assert a.paragraphs == tuple(STORY)


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
