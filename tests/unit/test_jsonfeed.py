"""JSON Feed documents read into the entries every other feed format gives."""

from __future__ import annotations

import json

import pytest

from tuireader.sources.base import FeedError, detect, parse_feed

URL = "https://harbour.example/feed.json"


def doc(items: list[dict], version: str = "1.1", **feed: object) -> bytes:
    return json.dumps({"version": f"https://jsonfeed.org/version/{version}", "title": "Harbour", **feed,
                       "items": items}).encode()  # fmt: skip


def test_which_reader_a_response_goes_to() -> None:
    body = doc([])
    assert detect("application/feed+json", b"{}").kind == "jsonfeed"
    assert detect("application/json", body).kind == "jsonfeed"  # the body names its version
    assert detect("text/plain", body).kind == "jsonfeed"  # feeds are often served with a wrong type
    assert detect("application/json", b'{"status": "ok"}') is None  # some other JSON
    assert detect("text/xml", b"<?xml version='1.0'?><rss><channel/></rss>").kind == "rss"
    assert detect("text/html", b"<!doctype html><html><p>Hi</p>").kind == "page"


def test_entries_fields_and_leniency() -> None:
    feed = parse_feed(doc([
        {"id": 7, "url": "/2024/pier", "title": "  Pier\n closes ", "date_published": "2024-03-16T09:30:00-05:00",
         "content_html": "<p>First <b>para</b>.</p><p>Second.</p>", "summary": "Short."},
        {"id": "b", "external_url": "javascript:alert(1)", "content_text": "Line one\n\nLine   two",
         "date_published": "3024-01-01T00:00:00Z"},
        {"url": "https://harbour.example/c", "date_modified": "2024-03-18"},
        "not an item",
    ], language="en-GB", home_page_url="https://harbour.example/"), URL)  # fmt: skip
    assert (feed.title, feed.link, feed.language, feed.version) == ("Harbour", "https://harbour.example/", "en-GB",
                                                                   "json11")  # fmt: skip
    first, second, third = feed.entries
    assert (first.key, first.url, first.title) == ("7", "https://harbour.example/2024/pier", "Pier closes")
    assert first.published == "2024-03-16T14:30:00Z"
    assert (first.content, first.summary, first.text) == ("First para.\n\nSecond.", "Short.", "First para.\n\nSecond.")
    assert second.url is None and second.published is None  # no web address; a date a millennium ahead
    assert second.content == "Line one\n\nLine two"
    assert (third.key, third.published) == ("https://harbour.example/c", "2024-03-18T00:00:00Z")


def test_max_entries_and_version_1_0() -> None:
    feed = parse_feed(doc([{"id": str(i), "content_text": "x"} for i in range(5)], version="1"), URL, max_entries=2)
    assert feed.version == "json10" and [e.key for e in feed.entries] == ["0", "1"]


@pytest.mark.parametrize(
    ("body", "ctype", "message"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "application/feed+json",
         "not a feed: ill-formed JSON (line 1, column 59)"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', "application/feed+json",
         "not a feed: a JSON Feed without an items list"),
        (b'["https://jsonfeed.org/version/1"]', "application/feed+json",
         "not a feed: JSON, but not a JSON Feed (no jsonfeed.org version)"),
    ],
)
def test_what_is_not_a_json_feed_says_why(body: bytes, ctype: str, message: str) -> None:
    with pytest.raises(FeedError) as err:
        parse_feed(body, URL, ctype)
    assert str(err.value) == message
