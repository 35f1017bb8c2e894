"""Fuzzing (hypothesis, bounded so the suite stays fast): OPML, feeds (RSS, Atom, JSON Feed) and
URLs, hostile or broken, raise only their documented one-line errors, never anything else."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuireader.sources.base import FeedError, parse_feed
from tuireader.sources.feeds.articles import build_article, primary_of, strip_controls
from tuireader.sources.http import FetchError, canonical_url, check_url
from tuireader.sources.opml import OpmlError, Subscription, format_opml, parse_opml
from tuireader.sources.subscriptions import SubscriptionError, normalize_feed_url

FUZZ = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# text with what hostile feeds carry: controls, escapes, markup, entities, odd Unicode
hostile = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=12),
        st.sampled_from(
            ["\x1b[31m", "\x1b]0;t\x07", "&amp;", "&#0;", "&#x1b;", "<b>", "]]>", "\ufffe", "\u202e"]
        ),
    ),
    max_size=8,
).map("".join)
urlish = st.one_of(
    hostile,
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", ""]),
        st.sampled_from(["news.example", "127.0.0.1", "[::1]", "[::1", "[x]", "exa mple", "", "a@b", "xn--"]),
        st.sampled_from(["", ":80", ":0", ":99999", ":-1", ":8a", ":"]),
        st.sampled_from(["", "/", "/feed?x=1#f", "/%zz", "/\x00", "/ü"]),
    ),
)


@FUZZ
@given(urlish)
def test_url_checks_raise_only_their_errors(url: str) -> None:
    try:
        check_url(url)
    except FetchError as exc:
        assert "\n" not in str(exc)
    try:
        normalize_feed_url(url)
    except SubscriptionError as exc:
        assert "\n" not in str(exc)
    canonical_url(url)  # never raises: any string names some article


def _outline(draw: st.DrawFn, depth: int) -> str:
    attrs = {
        name: draw(hostile)
        for name in draw(
            st.lists(
                st.sampled_from(["text", "title", "xmlUrl", "XMLURL", "type", "htmlUrl", "outlet"]),
                max_size=4,
            )
        )
    }
    rendered = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items())
    children = "".join(_outline(draw, depth - 1) for _ in range(draw(st.integers(0, 2)))) if depth else ""
    return f"<outline {rendered}>{children}</outline>"


@st.composite
def opml_documents(draw: st.DrawFn) -> bytes:
    body = "".join(_outline(draw, 3) for _ in range(draw(st.integers(0, 4))))
    doc = f'<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><body>{body}</body></opml>'
    data = doc.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # damage it: cut, or splice in bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + (data[at:] if draw(st.booleans()) else b"")
    return data


@FUZZ
@given(opml_documents())
def test_opml_parsing_raises_only_opml_error(data: bytes) -> None:
    try:
        subs = parse_opml(data)
    except OpmlError as exc:
        assert "\n" not in str(exc)
        return
    assert all(s.url for s in subs)
    again = parse_opml(format_opml(subs))  # what is read can be written and read back
    assert len(again) == len(subs)


@st.composite
def xml_feeds(draw: st.DrawFn) -> bytes:
    def field(tag: str) -> str:
        value = draw(hostile)
        return f"<{tag}>{escape(value) if draw(st.booleans()) else value}</{tag}>"

    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    entries = "".join(
        (
            "<item>"
            + field("title")
            + field("link")
            + field("description")
            + field("pubDate")
            + field("guid")
            + "</item>"
            if kind != "atom"
            else "<entry>"
            + field("title")
            + f"<link href={quoteattr(draw(hostile))}/>"
            + field("content")
            + field("updated")
            + field("id")
            + "</entry>"
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    if kind == "rss":
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel>{field("title")}{entries}</channel></rss>'
    elif kind == "atom":
        doc = (
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{field("title")}{entries}</feed>'
        )
    else:
        doc = (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/"><channel>{field("title")}</channel>{entries}</rdf:RDF>'
        )
    data = doc.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + (data[at:] if draw(st.booleans()) else b"")
    return data


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile, inner, max_size=3)),
    max_leaves=12,
)


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    item = st.fixed_dictionaries(
        {},
        optional={
            "id": json_values, "url": st.one_of(hostile, json_values), "title": json_values,
            "content_html": json_values, "content_text": json_values, "date_published": json_values,
            "authors": json_values, "summary": json_values,
        },
    )  # fmt: skip
    feed = {
        "version": draw(
            st.sampled_from(["https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1", "x"])
        ),
        "title": draw(json_values),
        "items": draw(st.one_of(st.lists(item, max_size=3), json_values)),
    }
    return json.dumps(feed).encode()


def _parse_and_build(data: bytes, content_type: str) -> None:
    try:
        parsed = parse_feed(data, "https://news.example/feed", content_type, max_entries=50)
    except FeedError as exc:
        assert "\n" not in str(exc)
        return
    sub = Subscription(url="https://news.example/feed")
    for entry in parsed.entries:
        primary_of(sub.url, entry)  # the entry's key: computed for every entry, whatever its link
        article = build_article(sub, parsed.language, entry, "0" * 16, None, None, entry.url)
        if hasattr(article, "paragraphs"):  # what would be stored carries no control sequence
            assert all(strip_controls(p) == p for p in article.paragraphs)


@FUZZ
@given(xml_feeds(), st.sampled_from(["application/rss+xml", "application/atom+xml", "text/xml", None]))
def test_rss_and_atom_parsing_raise_only_feed_error(data: bytes, content_type: str | None) -> None:
    _parse_and_build(data, content_type)


@FUZZ
@given(json_feeds())
def test_json_feed_parsing_raises_only_feed_error(data: bytes) -> None:
    _parse_and_build(data, "application/feed+json")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["application/rss+xml", "application/feed+json", None]))
def test_random_bytes_raise_only_feed_error(data: bytes, content_type: str | None) -> None:
    _parse_and_build(data, content_type)
