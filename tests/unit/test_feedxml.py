"""The fast feed reader (`feedxml`) gives what feedparser gives, rule by rule, on hand-made feeds.

A user never chooses the reader: a refresh reads most feeds through `feedxml` and the rest through
feedparser, and the same feed must give the same titles, links, keys, dates, authors and texts
either way (otherwise an entry would change its key and come back as "new", or a title would lose
its escaping, depending on which reader happened to run). Every test here builds a small feed
that exercises one of feedparser's rules, checks that the fast path really read it (a test that
only exercised the fallback would prove nothing), and that `parse_feed` gives the same ParsedFeed
with the fast path and with feedparser alone. The expected values spell out what the rule is, so a
change in feedparser that both readers would follow is noticed too.

The second half checks documents the fast path must leave to feedparser, and that the result is
still feedparser's.
"""

from __future__ import annotations

import pytest

from tuireader.sources.base import FeedEntry, FeedError, ParsedFeed
from tuireader.sources.feeds import feedxml
from tuireader.sources.feeds.rss_atom import parse as parse_feed

URL = "https://news.example.test/feeds/main.xml"
SITE = "https://news.example.test"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"

ATOM_NS = 'xmlns:atom="http://www.w3.org/2005/Atom"'
DC_NS = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
CONTENT_NS = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
ITUNES_NS = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
MEDIA_NS = 'xmlns:media="http://search.yahoo.com/mrss/"'
DCTERMS_NS = 'xmlns:dcterms="http://purl.org/dc/terms/"'



def test_the_fast_reader_is_on_with_the_supported_feedparser():
    """pyproject.toml bounds feedparser to the versions whose internals the fast reader mirrors; on
    those it must be on (a silent fallback would hide every difference below)."""
    import feedparser

    major = int(feedparser.__version__.split(".")[0])
    assert major == 6, f"feedparser {feedparser.__version__} is outside the supported range"
    assert feedxml.available(), "the fast feed reader turned itself off on a supported feedparser"


def rss(items: str, *, channel: str | None = None, ns: str = "", root: str = 'version="2.0"') -> bytes:
    """An RSS 2.0 document (UTF-8) with the given channel elements and items."""
    if channel is None:
        channel = f"<title>Example News</title><link>{SITE}/</link><description>Local news</description>"
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss {root} {ns}>\n<channel>\n{channel}\n{items}\n'
        "</channel>\n</rss>\n"
    ).encode()


def atom(entries: str, *, feed: str | None = None, root: str = "") -> bytes:
    """An Atom 1.0 document (UTF-8)."""
    if feed is None:
        feed = f'<title>Example News</title><id>{SITE}/</id><link href="{SITE}/"/>'
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" {root}>\n'
        f"{feed}\n{entries}\n</feed>\n"
    ).encode()


def item(body: str) -> str:
    return f"<item>{body}</item>"


def entry(body: str, *, id_: str = f"{SITE}/e/1") -> str:
    return f"<entry><id>{id_}</id>{body}</entry>"


def _read(data: bytes, ctype: str | None, parser: str) -> ParsedFeed | str:
    try:
        return parse_feed(data, URL, ctype, parser=parser)
    except FeedError as exc:
        return f"FeedError: {exc}"


def same(data: bytes, ctype: str | None = RSS_TYPE) -> ParsedFeed:
    """The feed read the fast way, after checking the fast path took it and feedparser agrees."""
    assert feedxml.read_feed(data, ctype) is not None, "the fast path declined this feed"
    fast = parse_feed(data, URL, ctype)
    assert fast == parse_feed(data, URL, ctype, parser="feedparser")
    return fast


def first(data: bytes, ctype: str | None = RSS_TYPE) -> FeedEntry:
    feed = same(data, ctype)
    assert len(feed.entries) >= 1
    return feed.entries[0]


def declined(data: bytes, ctype: str | None = RSS_TYPE) -> ParsedFeed | str:
    """The outcome for a document the fast path must leave to feedparser (which then reads it)."""
    assert feedxml.read_feed(data, ctype) is None, "the fast path read a document it must decline"
    outcome = _read(data, ctype, "auto")
    assert outcome == _read(data, ctype, "feedparser")
    return outcome


# ---------------------------------------------------------------------------------------------
# Titles: feedparser guesses whether an RSS title is HTML; Atom says so with `type`


@pytest.mark.parametrize(
    ("xml_title", "shown"),
    [
        # escaped tags feedparser's sanitizer accepts, with a close tag: HTML
        ("&lt;b&gt;Bold&lt;/b&gt; move by council", "Bold move by council"),
        ("Budget &lt;em&gt;passes&lt;/em&gt;", "Budget passes"),
        # a tag outside the sanitizer's list: the title stays text, tags and all
        ("&lt;script&gt;track()&lt;/script&gt;Storm warning", "<script>track()</script>Storm warning"),
        # an entity reference alone makes HTML; the text shows what it stands for
        ("Fish &amp;amp; chips shop reopens", "Fish & chips shop reopens"),
        ("Caf&amp;eacute; owners protest", "Café owners protest"),
        ("It&amp;#8217;s official", "It\u2019s official"),
        # an entity HTML does not define: text, even with accepted tags beside it
        ("&lt;em&gt;Mixed&lt;/em&gt; &amp;bogus; signals", "<em>Mixed</em> &bogus; signals"),
        # no close tag and no entity: text, a "<" is just a character
        ("AT&amp;T &lt;3 its customers", "AT&T <3 its customers"),
        ("Plain words only", "Plain words only"),
    ],
)
def test_rss_item_title_html_guess(xml_title: str, shown: str) -> None:
    e = first(rss(item(f"<title>{xml_title}</title><link>{SITE}/a</link>")))
    assert e.title == shown


def test_rss_channel_title_html_guess() -> None:
    feed = same(rss(item("<title>x</title>"), channel="<title>&lt;i&gt;Daily&lt;/i&gt; Courier</title>"))
    assert feed.title == "Daily Courier"


@pytest.mark.parametrize(
    ("attrs", "shown"),
    [
        ("", "<b>Bold</b> &amp; plain"),  # Atom titles default to text and are never guessed
        (' type="text"', "<b>Bold</b> &amp; plain"),
        (' type="html"', "Bold & plain"),
        (' type="text/html"', "Bold & plain"),
        (' type="TEXT/PLAIN"', "<b>Bold</b> &amp; plain"),
    ],
)
def test_atom_title_type(attrs: str, shown: str) -> None:
    e = first(atom(entry(f"<title{attrs}>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; plain</title>")), ATOM_TYPE)
    assert e.title == shown


def test_atom_feed_title_type_html() -> None:
    feed = same(
        atom(entry("<title>x</title>"), feed='<title type="html">&lt;i&gt;Herald&lt;/i&gt;</title>'),
        ATOM_TYPE,
    )
    assert feed.title == "Herald"


def test_empty_title_then_nonempty_title() -> None:
    e = first(rss(item("<title></title><title>Second, non-empty</title>")))
    assert e.title == "Second, non-empty"


def test_first_nonempty_title_wins() -> None:
    e = first(rss(item("<title>First</title><title>Second</title>")))
    assert e.title == "First"


def test_title_after_source_replaces_the_first() -> None:
    # feedparser forgets the entry's title at a <source>, so a later title counts again
    e = first(
        rss(item(f'<title>First</title><source url="{SITE}/wire.xml">Wire</source><title>Second</title>'))
    )
    assert e.title == "Second"
    assert e.source == "Wire"


def test_dc_title() -> None:
    feed = same(
        rss(
            item("<dc:title>Only a Dublin Core title</dc:title>")
            + item("<dc:title>Dublin Core first</dc:title><title>RSS second</title>"),
            ns=DC_NS,
        )
    )
    assert [e.title for e in feed.entries] == ["Only a Dublin Core title", "Dublin Core first"]


def test_channel_title_after_an_item_counts_again() -> None:
    data = rss(
        item("<title>An item</title>") + "<title>Late channel title</title>", channel="<title>Early</title>"
    )
    assert same(data).title == "Late channel title"


# ---------------------------------------------------------------------------------------------
# Links


def test_rss_link_text_with_escaped_query_string() -> None:
    feed = same(
        rss(
            item(f"<title>a</title><link>{SITE}/story?id=7&amp;page=2</link>")
            + item(f"<title>b</title><link>{SITE}/story?id=8&amp;amp;page=3</link>"),
            channel=f"<title>N</title><link>{SITE}/?s=1&amp;amp;t=2</link>",
        )
    )
    assert [e.url for e in feed.entries] == [f"{SITE}/story?id=7&page=2", f"{SITE}/story?id=8&page=3"]
    # the channel's link gets only the "&name;" repair, not the "&amp;" one
    assert feed.link == f"{SITE}/?s=1&ampt=2"


def test_atom_links_inside_rss_items() -> None:
    feed = same(
        rss(
            item(f'<title>a</title><atom:link rel="alternate" href="{SITE}/alt"/>')
            + item(
                f'<title>b</title><atom:link rel="self" href="{SITE}/self.xml"/><guid isPermaLink="false">b1</guid>'
            )
            + item(f'<title>c</title><atom:link rel="enclosure" type="audio/mpeg" href="{SITE}/c.mp3"/>'),
            ns=ATOM_NS,
        )
    )
    assert [e.url for e in feed.entries] == [f"{SITE}/alt", None, None]
    assert feed.entries[1].key == "b1"


def test_rss_link_then_atom_alternate_later_wins() -> None:
    e = first(
        rss(item(f'<title>a</title><link>{SITE}/rss</link><atom:link href="{SITE}/atom"/>'), ns=ATOM_NS)
    )
    assert e.url == f"{SITE}/atom"


@pytest.mark.parametrize(
    ("link", "url"),
    [
        ('<link href="/e/rel"/>', f"{SITE}/e/rel"),  # rel defaults to alternate, type to text/html
        ('<link rel="alternate" type="application/pdf" href="/e/doc.pdf"/>', None),
        ('<link rel="alternate" type="application/xhtml+xml" href="/e/x"/>', f"{SITE}/e/x"),
        ('<link rel="alternate" type="TEXT/HTML" href="/e/upper"/>', f"{SITE}/e/upper"),
        ('<link rel="ALTERNATE" type="html" href="/e/short"/>', f"{SITE}/e/short"),
        ('<link rel="related" href="/e/related"/>', None),
        ('<link rel="self" type="text/html" href="/e/self"/>', None),
        ('<link rel="replies" href="/e/c"/><link href="/e/second"/>', f"{SITE}/e/second"),
    ],
)
def test_atom_link_rel_and_type(link: str, url: str | None) -> None:
    e = first(atom(entry(f"<title>t</title>{link}", id_="tag:news.example.test,2024:1")), ATOM_TYPE)
    assert e.url == url


@pytest.mark.parametrize(
    ("link", "url"),
    [
        ('<atom:link url="https://one.example/1" uri="https://two.example/2" href="https://three.example/3"/>',
         "https://one.example/1"),
        ('<atom:link uri="https://two.example/2" href="https://three.example/3"/>', "https://two.example/2"),
        # an empty url= does not count: feedparser then uses href=
        ('<atom:link url="" href="https://three.example/3"/>', "https://three.example/3"),
        # and with neither, it reads the element's text, like RSS's <link>
        ('<link url="">https://text.example/t</link>', "https://text.example/t"),
        ('<atom:link href=""/>', None),
    ],
)  # fmt: skip
def test_link_address_attributes(link: str, url: str | None) -> None:
    e = first(rss(item(f'<title>t</title><guid isPermaLink="false">g</guid>{link}'), ns=ATOM_NS))
    assert e.url == url


@pytest.mark.parametrize(
    ("elements", "url", "key"),
    [
        ("<link>https:////one.example/a</link>", "https://one.example/a", "https://one.example/a"),
        ('<atom:link href="https:///two.example/b"/>', "https://two.example/b", "https://two.example/b"),
        ("<guid>https:////three.example/c</guid>", "https://three.example/c", "https://three.example/c"),
        # not a permalink: not an address either, so kept as written
        ('<guid isPermaLink="false">https:////four.example/d</guid>', None, "https:////four.example/d"),
    ],
)
def test_extra_slashes_after_scheme_are_removed(elements: str, url: str | None, key: str) -> None:
    # feedparser's _urifixer: "http:////host/x" is "http://host/x"
    e = first(rss(item(f"<title>t</title>{elements}"), ns=ATOM_NS))
    assert (e.url, e.key) == (url, key)


def test_extra_slashes_in_atom_id_link_and_feed_link() -> None:
    e = first(atom(entry("<title>t</title>", id_="https:////five.example/e")), ATOM_TYPE)
    assert (e.key, e.url) == ("https://five.example/e", "https://five.example/e")
    e = first(
        atom(entry('<title>t</title><link href="https:////six.example/f"/>', id_="tag:x,2024:f")), ATOM_TYPE
    )
    assert e.url == "https://six.example/f"
    feed = same(
        rss(item("<title>t</title>"), channel="<title>N</title><link>https:////seven.example/</link>")
    )
    assert feed.link == "https://seven.example/"


def test_relative_links_count_from_the_feed() -> None:
    feed = same(
        rss(
            item("<title>a</title><link>/2024/05/story-a</link>")
            + item("<title>b</title><guid>story-b</guid>")
            + item('<title>c</title><guid isPermaLink="false">story-c</guid>'),
            channel="<title>N</title><link>/home</link>",
        )
    )
    assert feed.link == f"{SITE}/home"
    a, b, c = feed.entries
    assert (a.url, a.key) == (f"{SITE}/2024/05/story-a", f"{SITE}/2024/05/story-a")
    assert (b.url, b.key) == (f"{SITE}/feeds/story-b", f"{SITE}/feeds/story-b")
    assert (c.url, c.key) == (None, "story-c")


# ---------------------------------------------------------------------------------------------
# guid / id


@pytest.mark.parametrize(
    ("guid", "url", "key"),
    [
        ("<guid>https://a.example/p/1</guid>", "https://a.example/p/1", "https://a.example/p/1"),
        (
            '<guid isPermaLink="true">https://a.example/p/1</guid>',
            "https://a.example/p/1",
            "https://a.example/p/1",
        ),
        ('<guid isPermaLink="false">https://a.example/p/1</guid>', None, "https://a.example/p/1"),
        # feedparser compares with "true" exactly: "True" is not a permalink
        ('<guid isPermaLink="True">/p/1</guid>', None, "/p/1"),
        ("<guid>/p/1</guid>", f"{SITE}/p/1", f"{SITE}/p/1"),
    ],
)
def test_guid_ispermalink(guid: str, url: str | None, key: str) -> None:
    e = first(rss(item(f"<title>t</title>{guid}")))
    assert (e.url, e.key) == (url, key)


def test_guid_before_and_after_link() -> None:
    feed = same(
        rss(
            item(f"<title>a</title><guid>/p/1</guid><link>{SITE}/story-1</link>")
            + item(f"<title>b</title><link>{SITE}/story-2</link><guid>/p/2</guid>")
        )
    )
    a, b = feed.entries
    # a permalink guid before any link: the key is an address (made absolute), the link wins as URL
    assert (a.url, a.key) == (f"{SITE}/story-1", f"{SITE}/p/1")
    # after a link the guid is not taken as a link: the key stays as written
    assert (b.url, b.key) == (f"{SITE}/story-2", "/p/2")


def test_atom_id_without_link_is_the_link() -> None:
    feed = same(
        atom(
            entry("<title>a</title>", id_=f"{SITE}/e/9")
            + entry("<title>b</title>", id_="tag:news.example.test,2024:b")
        ),
        ATOM_TYPE,
    )
    a, b = feed.entries
    assert (a.url, a.key) == (f"{SITE}/e/9", f"{SITE}/e/9")
    assert (b.url, b.key) == (None, "tag:news.example.test,2024:b")


# ---------------------------------------------------------------------------------------------
# Summaries and contents


LONG = "<p>The council voted seven to two on Tuesday.</p><p>Work starts in spring.</p>"
SHORT = "Council votes on the rail line."


def test_description_and_content_encoded_in_either_order() -> None:
    feed = same(
        rss(
            item(
                f"<title>a</title><description>{SHORT}</description><content:encoded><![CDATA[{LONG}]]></content:encoded>"
            )
            + item(
                f"<title>b</title><content:encoded><![CDATA[{LONG}]]></content:encoded><description>{SHORT}</description>"
            )
            + item(f"<title>c</title><content:encoded><![CDATA[{LONG}]]></content:encoded>"),
            ns=CONTENT_NS,
        )
    )
    text = "The council voted seven to two on Tuesday.\n\nWork starts in spring."
    for e in feed.entries[:2]:
        assert (e.summary, e.content) == (SHORT, text)
    assert feed.entries[2].summary == text  # the content stands in for the missing summary


def test_second_description_becomes_the_content() -> None:
    e = first(
        rss(
            item(
                f"<title>a</title><description>{SHORT}</description><description><![CDATA[{LONG}]]></description>"
            )
        )
    )
    assert e.summary == SHORT
    assert e.content == "The council voted seven to two on Tuesday.\n\nWork starts in spring."


def test_itunes_summary() -> None:
    feed = same(
        rss(
            item("<title>a</title><itunes:summary>Episode &lt;b&gt;one&lt;/b&gt; notes</itunes:summary>")
            + item(
                f"<title>b</title><description>{SHORT}</description><itunes:summary>Longer episode notes</itunes:summary>"
            ),
            ns=ITUNES_NS,
        )
    )
    a, b = feed.entries
    assert a.summary == "Episode one notes"  # text/plain by default, but guessed HTML in RSS
    assert (b.summary, b.content) == (SHORT, "Longer episode notes")  # a second summary is content


def test_atom_summary_and_content() -> None:
    feed = same(
        atom(
            entry(f'<title>a</title><summary>{SHORT}</summary><content type="html">{LONG.replace("<", "&lt;")}</content>')
            + entry(f'<title>b</title><content type="html">{LONG.replace("<", "&lt;")}</content><summary>{SHORT}</summary>',
                    id_=f"{SITE}/e/2")
            + entry("<title>c</title><content type=\"text\">Keep &lt;b&gt;this&lt;/b&gt; as typed</content>",
                    id_=f"{SITE}/e/3")
            + entry("<title>d</title><summary>One</summary><summary>Two</summary>", id_=f"{SITE}/e/4"),
        ),
        ATOM_TYPE,
    )  # fmt: skip
    a, b, c, d = feed.entries
    text = "The council voted seven to two on Tuesday.\n\nWork starts in spring."
    assert (a.summary, a.content) == (SHORT, text)
    assert (b.summary, b.content) == (SHORT, text)
    assert c.content == "Keep <b>this</b> as typed"
    assert (d.summary, d.content) == ("One", "Two")


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("elements", "published"),
    [
        ("<pubDate>Tue, 05 Mar 2024 14:30:00 -0500</pubDate>", "2024-03-05T19:30:00Z"),
        ("<pubDate>Tue, 05 Mar 2024 14:30:00 GMT</pubDate>", "2024-03-05T14:30:00Z"),
        ("<dc:date>2024-03-05T14:30:00+01:00</dc:date>", "2024-03-05T13:30:00Z"),
        ("<dcterms:modified>2024-03-06T08:00:00Z</dcterms:modified>", "2024-03-06T08:00:00Z"),
        ("<dcterms:issued>2024-03-01</dcterms:issued>", "2024-03-01T00:00:00Z"),
        # two pubDates: the last one counts
        ("<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><pubDate>Fri, 08 Mar 2024 10:00:00 GMT</pubDate>",
         "2024-03-08T10:00:00Z"),
        # a published date wins over an updated one, whatever the order
        ("<dc:date>2024-03-09T00:00:00Z</dc:date><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>",
         "2024-03-04T10:00:00Z"),
        ("<pubDate>sometime last week</pubDate>", None),
        ("<pubDate>yesterday</pubDate><dc:date>2024-03-02T00:00:00Z</dc:date>", "2024-03-02T00:00:00Z"),
        ("<pubDate></pubDate>", None),
    ],
)  # fmt: skip
def test_rss_dates(elements: str, published: str | None) -> None:
    e = first(rss(item(f"<title>t</title>{elements}"), ns=f"{DC_NS} {DCTERMS_NS}"))
    assert e.published == published


def test_atom_dates() -> None:
    feed = same(
        atom(
            entry(
                "<title>a</title><published>2024-03-05T14:30:00-05:00</published><updated>2024-03-07T00:00:00Z</updated>"
            )
            + entry("<title>b</title><updated>2024-03-07T00:00:00Z</updated>", id_=f"{SITE}/e/2")
        ),
        ATOM_TYPE,
    )
    assert [e.published for e in feed.entries] == ["2024-03-05T19:30:00Z", "2024-03-07T00:00:00Z"]


# ---------------------------------------------------------------------------------------------
# Authors


@pytest.mark.parametrize(
    ("elements", "authors"),
    [
        ("<author>jane@example.com (Jane Doe)</author>", ("Jane Doe",)),
        ("<author>Jane Doe &lt;jane@example.com&gt;</author>", ("Jane Doe",)),
        ("<author>jane@example.com</author>", ()),
        ("<author>Jane Doe</author>", ("Jane Doe",)),
        ("<dc:creator>Jane Doe</dc:creator><dc:creator>Sam Ortiz</dc:creator>", ("Jane Doe", "Sam Ortiz")),
        ("<dc:creator>Jane Doe and Sam Ortiz</dc:creator>", ("Jane Doe and Sam Ortiz",)),
        ("<itunes:author>Pod Host</itunes:author>", ("Pod Host",)),
        ("<author></author>", ()),
    ],
)
def test_rss_authors(elements: str, authors: tuple[str, ...]) -> None:
    e = first(rss(item(f"<title>t</title>{elements}"), ns=f"{DC_NS} {ITUNES_NS}"))
    assert e.authors == authors


@pytest.mark.parametrize(
    ("author", "authors"),
    [
        (
            "<name>Hannah Lee</name><email>hl@example.com</email><uri>https:////hl.example/</uri>",
            ("Hannah Lee",),
        ),
        ("<email>hl@example.com</email>", ()),
        ("<name>Hannah Lee</name>", ("Hannah Lee",)),
        ("<name></name><email></email>", ()),
        # text beside the parts: feedparser keeps it as the author when no name or email says more
        ("Hannah Lee<name></name>", ("Hannah Lee",)),
        ("Someone else<name>Hannah Lee</name>", ("Hannah Lee",)),
    ],
)
def test_atom_authors(author: str, authors: tuple[str, ...]) -> None:
    e = first(atom(entry(f"<title>t</title><author>{author}</author>")), ATOM_TYPE)
    assert e.authors == authors


def test_atom_several_authors() -> None:
    e = first(
        atom(entry("<title>t</title><author><name>A One</name></author><author><name>B Two</name></author>")),
        ATOM_TYPE,
    )
    assert e.authors == ("A One", "B Two")


# ---------------------------------------------------------------------------------------------
# Text repairs: UTF-8 read as Latin-1, C1 controls meant as cp1252


def test_mojibake_is_repaired() -> None:
    feed = same(
        rss(
            item("<title>CafÃ© reopens in ZÃ¼rich</title><description>Ã©tÃ© plans</description>")
            + item("<title>Zürich stays as it is</title>")
        )
    )
    assert [e.title for e in feed.entries] == ["Café reopens in Zürich", "Zürich stays as it is"]
    assert feed.entries[0].summary == "été plans"


def test_c1_controls_become_cp1252_punctuation() -> None:
    e = first(
        rss(
            item(
                "<title>&#x93;Quoted&#x94; &#150; wait&#133;what&#133;</title><author>Jane\u0092s desk</author>"
            )
        )
    )
    # U+0085 is whitespace to Python: feedparser strips it off the ends before mapping it
    assert e.title == "\u201cQuoted\u201d \u2013 wait\u2026what"
    assert e.authors == ("Jane\u2019s desk",)


# ---------------------------------------------------------------------------------------------
# Source, language, RSS 1.0, elements read by nobody


def test_rss_source() -> None:
    feed = same(
        rss(
            item(f'<title>a</title><source url="{SITE}/wire.xml">  Wire   Service </source>')
            + item(f'<title>b</title><source url="{SITE}/wire.xml"></source>')
        )
    )
    assert [e.source for e in feed.entries] == ["Wire Service", None]


@pytest.mark.parametrize(
    ("root", "channel", "language"),
    [
        ('version="2.0" xml:lang="en_GB"', "", "en-GB"),
        ('version="2.0" xml:lang="en"', "<language>fr-ca</language>", "fr-ca"),
        ('version="2.0"', "<language>fr</language><dc:language>de</dc:language>", "de"),
        ('version="2.0"', "<dc:language>nl</dc:language>", "nl"),
        ('version="2.0" xml:lang=""', "", None),
    ],
)
def test_feed_language(root: str, channel: str, language: str | None) -> None:
    data = rss(
        item("<title>t</title><language>xx</language>"),
        channel=f"<title>N</title>{channel}",
        root=root,
        ns=DC_NS,
    )
    assert same(data).language == language


def test_atom_language_from_root() -> None:
    assert same(atom(entry("<title>t</title>"), root='xml:lang="sv"'), ATOM_TYPE).language == "sv"


RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'


def test_rss10() -> None:
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF {RDF_NS} {DC_NS} xml:lang="fr">
<channel rdf:about="{SITE}/">
  <title>Example News</title><link>{SITE}/</link><description>d</description>
  <items><rdf:Seq><rdf:li rdf:resource="{SITE}/a"/><rdf:li rdf:resource="{SITE}/b"/></rdf:Seq></items>
</channel>
<item rdf:about="{SITE}/a"><title>A</title><link>{SITE}/a.html</link><dc:date>2024-03-05T10:00:00Z</dc:date>
  <dc:creator>Ingrid Solberg</dc:creator><description>&lt;p&gt;First&lt;/p&gt;</description></item>
<item rdf:about="urn:x:b"><title>B</title></item>
</rdf:RDF>""".encode()
    feed = same(data, "application/rdf+xml")
    assert (feed.version, feed.title, feed.link, feed.language) == ("rss10", "Example News", f"{SITE}/", None)
    a, b = feed.entries
    assert (a.key, a.url, a.published, a.authors, a.summary) == (
        f"{SITE}/a",
        f"{SITE}/a.html",
        "2024-03-05T10:00:00Z",
        ("Ingrid Solberg",),
        "First",
    )
    assert (b.key, b.url) == ("urn:x:b", None)


def test_media_enclosures_and_categories_are_ignored() -> None:
    e = first(
        rss(
            item(
                f"<title>Flood pictures</title><link>{SITE}/flood</link>"
                '<category domain="x">Weather</category><category>Local</category>'
                f'<enclosure url="{SITE}/f.jpg" length="1" type="image/jpeg"/>'
                f'<media:content url="{SITE}/f.jpg" medium="image"><media:credit>Photo desk</media:credit></media:content>'
                f'<media:group><media:content url="{SITE}/v.mp4"/><media:thumbnail url="{SITE}/t.jpg"/></media:group>'
                f"<comments>{SITE}/flood#c</comments>"
            ),
            ns=MEDIA_NS,
        )
    )
    assert (e.title, e.url, e.authors, e.summary) == ("Flood pictures", f"{SITE}/flood", (), "")


def test_familiar_prefix_bound_to_an_unknown_namespace() -> None:
    # feedparser names elements of namespaces it does not know by the document's prefix, so a dc:
    # bound to a wrong address still reads as Dublin Core
    ns = 'xmlns:dc="http://example.com/not-dublin-core/" xmlns:x="http://example.com/x/"'
    e = first(rss(item("<title>a</title><dc:creator>Jane Doe</dc:creator><x:thing>ignored</x:thing>"), ns=ns))
    assert e.authors == ("Jane Doe",)


def test_known_namespace_under_another_prefix() -> None:
    e = first(
        rss(
            item("<title>b</title><d:creator>Sam Ortiz</d:creator>"),
            ns='xmlns:d="http://purl.org/dc/elements/1.1/"',
        )
    )
    assert e.authors == ("Sam Ortiz",)


@pytest.mark.parametrize(
    "extra",
    [
        "<guidislink>yes</guidislink>",
        '<title_detail type="x"/>',
        "<title:detail>s</title:detail>",
        "<published_parsed>1</published_parsed>",
        "<authors>A</authors>",
    ],
)
def test_unknown_elements_named_like_feedparser_keys(extra: str) -> None:
    # an element feedparser has no handler for is stored under its own name in the entry, and a
    # few names are keys tuireader reads: such feeds are feedparser's
    data = rss(
        item(f'<title>t</title><guid isPermaLink="false">/g</guid>{extra}'),
        ns='xmlns:title="http://x.example/"',
    )
    declined(data)


@pytest.mark.parametrize(
    ("ns", "body"),
    [
        # the same unknown address under two prefixes: feedparser names both by the first declared
        ('xmlns:a="http://x.example/" xmlns:dc="http://x.example/"', "<dc:creator>Jane</dc:creator>"),
        # feedparser maps the prefix `dc` to Media RSS here, so Dublin Core's elements become media:
        ('xmlns:dc="http://search.yahoo.com/mrss/" xmlns:d="http://purl.org/dc/elements/1.1/"',
         "<d:creator>Sam</d:creator>"),
        # an unknown address under `dc`, which Dublin Core (declared too) takes over in feedparser
        ('xmlns:dc="http://x.example/" xmlns:d="http://purl.org/dc/elements/1.1/"',
         "<dc:creator>Jane</dc:creator><d:creator>Sam</d:creator>"),
    ],
)  # fmt: skip
def test_ambiguous_namespace_prefixes_are_feedparsers(ns: str, body: str) -> None:
    out = declined(rss(item(f"<title>t</title>{body}"), ns=ns))
    assert isinstance(out, ParsedFeed)


def test_prefix_rebound_inside_the_document_is_feedparsers() -> None:
    # feedparser never forgets a prefix binding, even outside the element that declared it
    data = rss(
        '<item xmlns:x="http://purl.org/dc/elements/1.1/"><title>a</title><x:creator>Jane</x:creator></item>'
        '<item xmlns:x="http://x.example/"><title>b</title><x:creator>Sam</x:creator></item>'
    )
    declined(data)


def test_channel_image_and_text_input_are_read_apart() -> None:
    channel = (
        f"<title>Example News</title><link>{SITE}/</link>"
        f"<image><url>{SITE}/logo.png</url><title>Logo title</title><link>{SITE}/logo</link><width>88</width>"
        "<description>d</description></image>"
        f"<textInput><title>Search</title><description>d</description><name>q</name><link>{SITE}/s</link></textInput>"
    )
    feed = same(rss(item("<title>t</title>"), channel=channel))
    assert (feed.title, feed.link) == ("Example News", f"{SITE}/")


CAFE = item(f"<title>Caf\u00e9</title><link>{SITE}/a</link>")


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        (rss(CAFE), "text/xml"),  # declared UTF-8
        (rss(CAFE), "text/xml; charset=UTF-8"),
        (rss(CAFE), 'application/rss+xml; charset="utf-8"'),
        (rss(CAFE).split(b"\n", 1)[1], "application/xml"),  # no declaration: UTF-8
        (rss(CAFE).split(b"\n", 1)[1], None),
        (b"\xef\xbb\xbf" + rss(CAFE), RSS_TYPE),  # byte order mark
        # ASCII only: "text/xml" (US-ASCII) reads the same; feedparser still repairs what references spell
        (rss(item("<title>Caf&#195;&#169;</title>")).split(b"\n", 1)[1], "text/xml"),
    ],
)
def test_encodings_the_fast_path_reads(data: bytes, ctype: str | None) -> None:
    assert first(data, ctype).title == "Café"


# ---------------------------------------------------------------------------------------------
# Documents the fast path leaves to feedparser


PLAIN_ITEM = item(f"<title>Caf\u00e9 news</title><link>{SITE}/a</link><description>Text</description>")


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        pytest.param(rss(PLAIN_ITEM).replace(b"<rss", b'<!DOCTYPE rss SYSTEM "rss.dtd">\n<rss', 1), RSS_TYPE, id="doctype"),
        pytest.param(rss(PLAIN_ITEM, root='version="2.0" xml:base="https://other.example/"'), RSS_TYPE, id="xml-base"),
        pytest.param(rss(PLAIN_ITEM).replace(b"utf-8", b"ISO-8859-1", 1), RSS_TYPE, id="latin-1-declaration"),
        pytest.param(rss(PLAIN_ITEM), "application/rss+xml; charset=windows-1252", id="http-charset"),
        # text/* without a charset is US-ASCII (RFC 3023) unless the document declares UTF-8
        pytest.param(rss(PLAIN_ITEM).split(b"\n", 1)[1], "text/xml", id="text-xml-undeclared"),
        pytest.param(
            atom(entry('<title>t</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div></content>')),
            ATOM_TYPE, id="xhtml-content"),
        pytest.param(atom(entry('<title>t</title><summary type="html" mode="base64">PGI+SGk8L2I+</summary>')), ATOM_TYPE,
                     id="base64"),
        pytest.param(rss(item("<title>t</title><description>a <b>bold</b> move</description>")), RSS_TYPE,
                     id="markup-in-description"),
        pytest.param(rss(PLAIN_ITEM, root='version="2.0" xmlns="http://example.com/rss/"'), RSS_TYPE,
                     id="unknown-default-namespace"),
        pytest.param(rss(PLAIN_ITEM).replace(b"</title>", b"</titel>", 1), RSS_TYPE, id="ill-formed"),
        pytest.param(
            b'<?xml version="1.0" encoding="utf-8"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
            b'<title>Old</title><entry><title>t</title><id>tag:a,2004:1</id><issued>2004-01-01T00:00:00Z</issued>'
            b"</entry></feed>", ATOM_TYPE, id="atom-0.3"),
        pytest.param(rss(item(f"<title>t</title><image><url>{SITE}/i.png</url><title>Img</title></image>")), RSS_TYPE,
                     id="image-in-item"),
        pytest.param(rss(item("<media:title>M</media:title><title>t</title>"), ns=MEDIA_NS), RSS_TYPE,
                     id="media-title-as-title"),
        pytest.param(rss(item("<title>t</title>")).replace(b"<channel>", b"<channel><source>x</source>"), RSS_TYPE,
                     id="source-in-channel"),
        pytest.param(rss(item("<title>t</title><link base=\"https://other.example/\">rel</link>")), RSS_TYPE,
                     id="base-attribute"),
    ],
)  # fmt: skip
def test_declined(data: bytes, ctype: str) -> None:
    out = declined(data, ctype)
    if isinstance(out, ParsedFeed) and out.entries:
        assert out.entries[0].title  # feedparser still read the entry


def test_a_declined_feed_still_reads_its_text() -> None:
    out = declined(rss(PLAIN_ITEM).replace(b"utf-8", b"ISO-8859-1", 1).replace("é".encode(), b"\xe9"))
    assert isinstance(out, ParsedFeed)
    assert out.entries[0].title == "Café news"


@pytest.mark.parametrize(
    ("data", "field", "value"),
    [
        # an element feedparser does not expect inside <image> or <textInput> ends its "inside"
        # state, and the title or link that follows lands in the feed
        pytest.param(rss(PLAIN_ITEM, channel=f"<title>N</title><link>{SITE}/</link><image><logo/><title>Img</title></image>"),
                     "title", "Img", id="image-unexpected-child"),
        pytest.param(rss(PLAIN_ITEM, channel=f"<title>N</title><textInput><x/><link>{SITE}/s</link></textInput>"),
                     "link", f"{SITE}/s", id="textinput-unexpected-child"),
        # Microsoft CDF attributes, which feedparser reads as a link and a date
        pytest.param(rss(item("<title>t</title>").replace("<item>", f'<item href="{SITE}/cdf">')),
                     "entry.url", f"{SITE}/cdf", id="item-href-attribute"),
        pytest.param(rss(item("<title>t</title>").replace("<item>", '<item lastMod="2024-03-01T00:00:00Z">')),
                     "entry.published", "2024-03-01T00:00:00Z", id="item-lastmod-attribute"),
        pytest.param(rss(PLAIN_ITEM, channel="<title>N</title>").replace(b"<channel>", f'<channel href="{SITE}/cdf">'.encode()),
                     "link", f"{SITE}/cdf", id="channel-href-attribute"),
        # an unknown element stored under a key tuireader reads: here it makes the guid an address
        pytest.param(rss(item('<title>t</title><guid isPermaLink="false">/g</guid><guidislink>1</guidislink>')),
                     "entry.key", f"{SITE}/g", id="guidislink-element"),
        # feedparser maps the prefix `dc` to Media RSS for the whole document, so Dublin Core's
        # creator (under `d:`) turns into a media element nobody reads
        pytest.param(rss(item("<title>t</title><d:creator>Sam</d:creator>"),
                         ns='xmlns:dc="http://search.yahoo.com/mrss/" xmlns:d="http://purl.org/dc/elements/1.1/"'),
                     "entry.authors", (), id="prefix-mapped-away"),
        # ... and the other way: with `media` naming Dublin Core, a Media RSS element (here in a
        # default namespace) turns into a Dublin Core one
        pytest.param(rss(item('<title>t</title><creator xmlns="http://search.yahoo.com/mrss/">Jane</creator>'),
                         ns='xmlns:media="http://purl.org/dc/elements/1.1/"'),
                     "entry.authors", ("Jane",), id="prefix-mapped-in"),
    ],
)  # fmt: skip
def test_feedparser_quirks_are_left_to_feedparser(data: bytes, field: str, value: object) -> None:
    out = declined(data)
    assert isinstance(out, ParsedFeed)
    target: object = out.entries[0] if field.startswith("entry.") else out
    assert getattr(target, field.removeprefix("entry.")) == value
