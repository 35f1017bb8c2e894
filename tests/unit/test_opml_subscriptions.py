"""OPML import/export and the subscription file in the library folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.sources.opml import OpmlError, Subscription, format_opml, parse_opml
from tuireader.sources.subscriptions import (
    SubscriptionError,
    add_subscription,
    export_opml,
    import_opml,
    load_subscriptions,
    remove_subscription,
    subscriptions_path,
)

# Shaped like real exports: newsboat writes flat outlines, Feedly and Inoreader nest categories,
# some tools write attribute names in other cases.
FOREIGN_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions from Another Reader</title></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="BBC News - World" title="BBC News - World"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk/news/world"/>
      <outline text="Europe">
        <outline type="rss" text="Deutsche Welle" xmlurl="https://rss.dw.com/rdf/rss-en-all"/>
      </outline>
    </outline>
    <outline type="rss" text="Ars Technica" XMLURL="https://feeds.arstechnica.com/arstechnica/index"/>
    <outline text="Podcast script" type="link" url="https://example.org/not-a-feed"/>
    <outline type="rss" text="Local file" xmlUrl="file:///home/me/feed.xml"/>
  </body>
</opml>"""


def test_parse_nested_categories_and_attribute_case() -> None:
    subs = parse_opml(FOREIGN_OPML)
    assert [s.url for s in subs] == [
        "https://feeds.bbci.co.uk/news/world/rss.xml",
        "https://rss.dw.com/rdf/rss-en-all",
        "https://feeds.arstechnica.com/arstechnica/index",
        "file:///home/me/feed.xml",
    ]
    assert subs[0].title == "BBC News - World" and subs[0].category == "News"
    assert subs[0].html_url == "https://www.bbc.co.uk/news/world"
    assert subs[1].category == "News / Europe"
    assert subs[2].category is None


def test_round_trip_keeps_outlet_title_category_and_odd_characters() -> None:
    subs = [
        Subscription(
            url="https://a.example/feed?x=1&y=2", outlet='Caf\u00e9 "Quotes" & <Co>', category="World"
        ),
        Subscription(url="https://b.example/rss", title="B\x07ell \u2013 news"),
    ]
    back = parse_opml(format_opml(subs))
    assert back[0] == subs[0]
    assert (
        back[1].url == "https://b.example/rss" and back[1].title == "B ell \u2013 news"
    )  # control char dropped


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "not OPML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;">]>'
            b'<opml><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>',
            "entity expansion",
        ),
    ],
)
def test_bad_opml_is_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)


def test_add_list_remove_in_library_folder(tmp_path: Path) -> None:
    sub, new = add_subscription(tmp_path, "  https://news.example/feed.xml ", outlet="Example  News")
    assert new and sub.outlet == "Example News"
    assert subscriptions_path(tmp_path).read_text(encoding="utf-8").startswith("<?xml")
    # the same feed under another spelling is not added twice; a new outlet name updates it
    again, new = add_subscription(tmp_path, "http://news.example/feed.xml/", outlet="Example")
    assert not new and again.outlet == "Example"
    add_subscription(tmp_path, "other.example/rss")  # scheme added
    assert [s.url for s in load_subscriptions(tmp_path)] == [
        "https://news.example/feed.xml",
        "https://other.example/rss",
    ]
    removed = remove_subscription(tmp_path, "https://news.example/feed.xml?utm_source=x")
    assert removed is not None and removed.url == "https://news.example/feed.xml"
    assert remove_subscription(tmp_path, "https://never.example/feed") is None
    assert [s.url for s in load_subscriptions(tmp_path)] == ["https://other.example/rss"]


@pytest.mark.parametrize("url", ["ftp://x.example/feed", "file:///etc/passwd", "https://", ""])
def test_non_web_urls_are_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(SubscriptionError):
        add_subscription(tmp_path, url)
    assert not subscriptions_path(tmp_path).exists()


def test_import_skips_known_and_non_web_feeds_then_export(tmp_path: Path) -> None:
    add_subscription(tmp_path, "https://feeds.bbci.co.uk/news/world/rss.xml")
    opml = tmp_path / "other.opml"
    opml.write_bytes(FOREIGN_OPML)
    added, already, skipped = import_opml(tmp_path, opml)
    assert [s.url for s in added] == [
        "https://rss.dw.com/rdf/rss-en-all",
        "https://feeds.arstechnica.com/arstechnica/index",
    ]
    assert already == 1
    assert [url for url, _reason in skipped] == ["file:///home/me/feed.xml"]  # named, not dropped silently
    exported = parse_opml(export_opml(tmp_path))
    assert len(exported) == 3
    assert {s.category for s in exported} == {None, "News / Europe"}


def test_import_of_broken_file_names_the_file_and_changes_nothing(tmp_path: Path) -> None:
    add_subscription(tmp_path, "https://a.example/feed")
    before = subscriptions_path(tmp_path).read_bytes()
    bad = tmp_path / "broken.opml"
    bad.write_bytes(b"<opml><body><outline xmlUrl='https://b.example/feed'")
    with pytest.raises(SubscriptionError, match="broken.opml"):
        import_opml(tmp_path, bad)
    with pytest.raises(SubscriptionError, match="no such file"):
        import_opml(tmp_path, tmp_path / "missing.opml")
    assert subscriptions_path(tmp_path).read_bytes() == before


def test_broken_subscription_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    subscriptions_path(tmp_path).write_bytes(b"<opml><body>oops")
    with pytest.raises(SubscriptionError, match="feeds.opml"):
        load_subscriptions(tmp_path)
    with pytest.raises(SubscriptionError):
        add_subscription(tmp_path, "https://a.example/feed")
    assert subscriptions_path(tmp_path).read_bytes() == b"<opml><body>oops"


def test_a_bare_word_is_not_taken_for_a_feed_address():
    from tuireader.sources.subscriptions import SubscriptionError, normalize_feed_url

    with pytest.raises(SubscriptionError, match="not a feed address"):
        normalize_feed_url("news")
    assert normalize_feed_url("example.com/rss") == "https://example.com/rss"
    assert normalize_feed_url("http://localhost:8080/feed") == "http://localhost:8080/feed"
