"""JSON Feed end to end, against a real local server: subscribe, refresh, cache, dedupe, ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feeds_server import FeedServer, serve_site

from tuireader.library import Library
from tuireader.sources.files import read_document

HARBOR = (
    "The harbour board voted on Thursday to close the north pier for eleven weeks of repairs, "
    "moving the evening ferries to the south terminal and adding a shuttle bus for passengers. "
    "Engineers found corrosion in four of the pier's steel piles during a routine inspection in "
    "March, the board's chair said, and the contractor will start work on the first of June."
)


def json_feed(server: FeedServer, version: str = "1.1") -> dict:
    """A feed of three items: one whose page the server has, one the server does not have (its
    text comes from the feed), and one that is the RSS feed's light-rail story under another id."""
    items = [
        {"id": 101, "url": "/herald/storm-power-outages", "title": "Storm leaves thousands without power",
         "date_published": "2024-03-16T09:30:00+02:00", "content_text": "Short teaser."},
        {"id": "harbor-pier", "url": server.url("/harbor/pier-closure"), "title": "North pier to close for repairs",
         "date_published": "2024-03-17T08:00:00Z", "content_html": f"<p>{HARBOR}</p><p>{HARBOR}</p>",
         "summary": "The north pier closes."},
        {"id": "light-rail", "url": server.url("/courier/2024/03/light-rail-extension/"),
         "title": "Light rail extension approved", "content_text": "Council approves the extension."},
    ]
    people = [{"name": "Dana Reyes"}, {"name": "press@herald.example"}]
    for item in items[:2]:
        if version == "1.1":
            item["authors"] = people
        else:
            item["author"] = people[0]
    return {"version": f"https://jsonfeed.org/version/{version}", "title": "Harbour Weekly",
            "home_page_url": server.url("/harbor/"), "items": items}


@pytest.fixture
def site():
    with FeedServer() as server:
        feeds = serve_site(server)
        yield server, feeds


def _articles(root: Path) -> dict[str, dict[str, str]]:
    return {p.stem: {**read_document(p).declared, "body": read_document(p).body} for p in sorted(root.glob("*.txt"))}


def test_json_feed_subscribe_refresh_cache_and_dedupe(site, tmp_path: Path) -> None:
    server, feeds = site
    url = server.add("/harbor/feed.json", json.dumps(json_feed(server)), content_type="application/feed+json",
                     etag='"json-v1"')  # fmt: skip
    root = tmp_path / "library"
    root.mkdir()
    lib = Library(root, tmp_path / "cache")
    lib.subscribe(feeds["rss20.xml"])
    assert lib.refresh(fetch_pages=True).problems == []
    before = set(_articles(root))

    status, new = lib.subscribe(url)
    assert new and status.url == url
    report = lib.refresh()
    assert report.problems == []
    added = {stem: fields for stem, fields in _articles(root).items() if stem not in before}
    assert len(report.added) == len(added) == 2
    assert report.duplicates == 1  # the light-rail story came in through the RSS feed already
    by_title = {fields["title"]: (stem, fields) for stem, fields in added.items()}

    stem, storm = by_title["Storm leaves thousands without power"]
    assert storm["url"] == server.url("/herald/storm-power-outages")  # relative URL, made absolute
    assert storm["published"] == "2024-03-16T07:30:00Z"  # the offset, in UTC
    assert storm["authors"] == "Dana Reyes"  # an e-mail address is no author name
    assert "78 miles per hour" in storm["body"]  # the page's full text, not the teaser
    assert stem.startswith("20240316_")

    _stem, pier = by_title["North pier to close for repairs"]
    assert pier["outlet"] == "The Coastal Herald"  # no page of its own: the name the feed's pages give
    assert pier["body"].strip().split("\n\n") == [HARBOR, HARBOR]  # the page is missing: the feed's HTML as text

    # the next refresh asks with the ETag, gets 304 and writes nothing
    again = lib.refresh()
    assert again.added == [] and again.feeds_unchanged == 2
    assert server.hits("/harbor/feed.json")[-1].get("If-None-Match") == '"json-v1"'
    assert [s.url for s in lib.subscriptions()] == [feeds["rss20.xml"], url]
    assert all(s.error is None and s.last_ok for s in lib.subscriptions())


def test_json_feed_1_0_as_plain_json_without_pages(site, tmp_path: Path) -> None:
    server, _feeds = site
    url = server.add("/harbor/v1.json", json.dumps(json_feed(server, "1")), content_type="application/json")
    root = tmp_path / "library"
    root.mkdir()
    lib = Library(root, tmp_path / "cache")
    lib.subscribe(url)
    report = lib.refresh(fetch_pages=False)
    assert report.problems == [] and len(report.added) == 3
    fields = {f["title"]: f for f in _articles(root).values()}
    assert fields["Storm leaves thousands without power"]["authors"] == "Dana Reyes"  # 1.0's `author`
    assert fields["Storm leaves thousands without power"]["body"].strip() == "Short teaser."
    assert {f["outlet"] for f in fields.values()} == {"Harbour Weekly"}  # no pages: the feed's title


def test_json_that_is_no_feed_is_named_as_such(site, tmp_path: Path) -> None:
    server, _feeds = site
    api = server.add("/api/status.json", '{"status": "ok", "items": []}', content_type="application/json")
    broken = server.add("/harbor/broken.json", '{"version": "https://jsonfeed.org/version/1.1", "items": [',
                        content_type="application/feed+json")  # fmt: skip
    root = tmp_path / "library"
    root.mkdir()
    lib = Library(root, tmp_path / "cache")
    report = lib.refresh(feeds=[api, broken])
    messages = {p.where: p.message for p in report.problems}
    assert report.feeds_failed == 2 and report.added == []
    assert "not a feed" in messages[api]
    assert messages[broken].startswith("not a feed: ill-formed JSON (line 1")


def test_ingest_a_json_feed_url_brings_its_entries_in_without_subscribing(site, tmp_path: Path) -> None:
    server, _feeds = site
    url = server.add("/harbor/feed.json", json.dumps(json_feed(server)), content_type="application/feed+json")
    root = tmp_path / "library"
    root.mkdir()
    lib = Library(root, tmp_path / "cache")
    report = lib.ingest([url])
    assert report.problems == [] and len(report.added) == 3
    assert lib.subscriptions() == []
    again = lib.ingest([url])
    assert again.added == [] and again.unchanged == [url]
