"""Feed parsing on real-shaped documents: the four formats, broken ones, hostile ones."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tuireader.sources.base import FeedError, parse_feed
from tuireader.sources.plaintext import html_to_paragraphs
from tuireader.sources.xmlguard import check_entities

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
BASE = "https://news.example.test"


def load(name: str) -> bytes:
    return (DATA / name).read_bytes().replace(b"{BASE}", BASE.encode())


def test_rss20_entries_with_content_authors_dates() -> None:
    feed = parse_feed(load("rss20.xml"), f"{BASE}/feeds/rss20.xml", "application/rss+xml")
    assert feed.title == "Riverside Courier - Local News"
    assert feed.language == "en-us"
    assert [e.title for e in feed.entries] == [
        "Council approves light rail extension to the east side",
        "Main library to stay open until 9 p.m. on weeknights",
        "Bridge inspection closes River Road lanes overnight",
    ]
    first, _, bridge = feed.entries
    assert first.url == f"{BASE}/courier/2024/03/light-rail-extension/"
    assert first.authors == ("Maria Delgado",)
    assert first.published == "2024-03-15T21:05:00Z"  # -0400 converted to UTC
    assert first.key == f"{BASE}/courier/?p=48213"  # the guid, not the link
    # content:encoded becomes paragraphs of text; scripts and tags vanish, entities are decoded
    assert bridge.content.split("\n\n")[2].startswith("\u201cWe expect short delays, not detours,\u201d")
    assert "trackPageview" not in bridge.content
    assert "<p>" not in bridge.content and len(bridge.content.split("\n\n")) == 3


def test_atom_html_titles_several_authors_and_xhtml_content() -> None:
    feed = parse_feed(load("atom.xml"), f"{BASE}/feeds/atom.xml")
    storm, harbour = feed.entries
    assert storm.title == "Storm leaves 40,000 without power & closes schools"
    assert storm.authors == ("Hannah Lee", "Samuel Ortiz")
    assert storm.published == "2024-03-16T06:30:00Z"
    assert storm.summary.startswith("A fast-moving storm")
    assert harbour.published == "2024-03-15T12:00:00Z"  # only <updated>: used as the date
    assert harbour.content.startswith("Dredging of the inner harbour channel")
    assert feed.link == f"{BASE}/herald/"


def test_rss10_rdf_with_dublin_core() -> None:
    feed = parse_feed(load("rss10.rdf"), f"{BASE}/feeds/rss10.rdf")
    assert feed.version == "rss10"
    glacier = feed.entries[0]
    assert glacier.title == "Researchers use drones to map glacier retreat"
    assert glacier.authors == ("Ingrid Solberg",)
    assert glacier.published == "2024-03-12T09:00:00Z"


def test_rss091_with_netscape_doctype_and_no_dates() -> None:
    feed = parse_feed(load("rss091.xml"), f"{BASE}/feeds/rss091.xml")
    assert feed.version.startswith("rss091")
    assert feed.entries[1].title == "Farmers' market returns to Caf\u00e9 Square"
    assert all(e.published is None for e in feed.entries)


@pytest.mark.parametrize("name", ["wrong_encoding.xml", "no_encoding.xml"])
def test_wrong_or_missing_encoding_still_reads_accents(name: str) -> None:
    feed = parse_feed(load(name), f"{BASE}/feeds/{name}", "text/xml")
    assert feed.title is not None and feed.title.startswith("Caf\u00e9 Society")
    assert "Cr\u00e8me br\u00fbl\u00e9e" in feed.entries[0].title
    assert "\ufffd" not in feed.entries[0].summary


def test_recoverable_ill_formed_feed_is_read_leniently() -> None:
    feed = parse_feed(load("illformed_recoverable.xml"), f"{BASE}/sloppy.xml")
    assert [e.title for e in feed.entries] == ["Fish & chips shop reopens", "Tide tables corrected"]
    assert feed.warning


def test_valid_feed_without_items_is_empty_not_an_error() -> None:
    feed = parse_feed(load("empty_channel.xml"), f"{BASE}/quiet.xml")
    assert feed.title == "Quiet Blog" and feed.entries == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.xml", "empty response"),
        ("illformed.xml", "not a feed: ill-formed XML (line 2"),
        ("html_page.html", f"an HTML page, not a feed (it names a feed: {BASE}/feeds/rss20.xml)"),
        ("billion_laughs.xml", "entity expansion attack"),
        ("external_entity.xml", "external entity &secret;"),
    ],
)
def test_unreadable_documents_say_what_they_are(name: str, expected: str) -> None:
    with pytest.raises(FeedError) as err:
        parse_feed(load(name), f"{BASE}/{name}")
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_billion_laughs_is_refused_fast_without_expanding() -> None:
    start = time.perf_counter()
    with pytest.raises(FeedError):
        check_entities(load("billion_laughs.xml"))
    assert time.perf_counter() - start < 1.0


def test_quadratic_blowup_entity_is_refused() -> None:
    big = "A" * 50_000
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        + "<rss version='2.0'><channel><title>q</title><item><title>"
        + "&a;" * 10_000
        + "</title></item></channel></rss>"
    )
    with pytest.raises(FeedError, match="entity expansion attack"):
        parse_feed(doc.encode(), f"{BASE}/q.xml")


def test_harmless_entity_declarations_are_allowed() -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY copy "&#169;"><!ENTITY org "Harbour Trust">]>
<rss version="2.0"><channel><title>&org; news</title>
<item><title>Annual report &copy; 2024</title><link>https://t.example/r</link></item></channel></rss>"""
    check_entities(doc)
    feed = parse_feed(doc, "https://t.example/feed")
    assert feed.entries[0].url == "https://t.example/r"


def test_html_to_paragraphs_blocks_breaks_and_plain_text() -> None:
    html = "<div><p>One <b>bold</b> line &amp; more</p><p>Two<br>Three</p><style>p{}</style><ul><li>Four</li></ul></div>"
    assert html_to_paragraphs(html) == ["One bold line & more", "Two", "Three", "Four"]
    assert html_to_paragraphs("First paragraph.\n\nSecond one,\nstill second.") == [
        "First paragraph.",
        "Second one, still second.",
    ]
    assert html_to_paragraphs("") == []


def test_relative_entry_links_are_made_absolute() -> None:
    doc = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link>
<item><title>Rel</title><link>/2024/rel-story</link></item>
<item><title>Bad scheme</title><link>javascript:alert(1)</link></item></channel></rss>"""
    feed = parse_feed(doc, "https://site.example/feed/rss")
    assert feed.entries[0].url == "https://site.example/2024/rel-story"
    assert feed.entries[1].url is None


def test_cp1252_quotes_in_a_latin1_feed_come_out_as_quotes() -> None:
    # Windows editors write curly quotes as bytes 0x93/0x94 into feeds that say ISO-8859-1, where
    # those bytes are C1 control characters; the reader should show the quotes the writer meant.
    doc = (
        b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>\x93Caf\xe9 reopens\x94 \x96 finally</title><link>https://site.example/a</link>"
        b"<description>The owner said \x93we are back\x94.</description></item></channel></rss>"
    )
    (entry,) = parse_feed(doc, "https://site.example/feed").entries
    assert entry.title == "\u201cCaf\u00e9 reopens\u201d \u2013 finally"
    assert entry.text == "The owner said \u201cwe are back\u201d."


def test_xml_base_and_relative_permalink_guids_resolve_against_the_feed_url() -> None:
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>t</title><link href="./"/>
<entry><title>One</title><id>tag:site.example,2024:1</id><link href="posts/one"/></entry>
</feed>"""
    feed = parse_feed(doc, "https://site.example/feeds/atom.xml")
    assert feed.entries[0].url == "https://site.example/blog/posts/one"
    assert feed.entries[0].key == "tag:site.example,2024:1"
    assert feed.link == "https://site.example/blog/"
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Rel</title><guid>/2024/rel-story</guid></item></channel></rss>"""
    (item,) = parse_feed(rss, "https://site.example/feed/rss").entries
    assert item.key == "https://site.example/2024/rel-story"  # a permalink guid, made absolute


def test_paragraph_spacing_is_collapsed_exactly_like_splitting_into_words() -> None:
    """Whatever whitespace a CMS leaves (newlines between blocks, tabs, no-break and ideographic
    spaces, runs of spaces), each paragraph reads as its words separated by single spaces."""
    import random

    from tuireader.sources.plaintext import collapse_paragraphs

    rng = random.Random(5)
    pieces = ["a", "é", "x", " ", "  ", "\x00", "\n", "\t", "\xa0", "\u2003", "\u3000", "\x1f", "\x85", "\u200b"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = [p for chunk in " ".join(text.split()).split("\x00") if (p := chunk.strip(" "))]
        assert collapse_paragraphs(text.split("\x00")) == expected, repr(text)
    html = "<p>One  two\n three</p>\n<p>\tFour&nbsp;five</p><div>six</div>"
    assert html_to_paragraphs(html) == ["One two three", "Four five", "six"]
