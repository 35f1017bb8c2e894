"""Revisions against a real local HTTP server: a page fetched again with other text becomes a new
revision file beside the first (never overwriting it), an unchanged page (304, or 200 with the
same text) none, and a feed entry edited under the same guid a revision too."""

from __future__ import annotations

from pathlib import Path

import pytest
from feeds_server import FeedServer

from tuireader.sources.feeds.ingest import ingest_url
from tuireader.sources.feeds.refresh import refresh
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.files import read_document, revision_of
from tuireader.sources.http import HttpConfig
from tuireader.sources.subscriptions import add_subscription

FAST = RefreshOptions(http=HttpConfig(connect_timeout=1, read_timeout=1, total_timeout=3, retries=1, backoff=0.01))

LEAD = (
    "A ferry carrying {n} passengers ran aground off the northern coast on Tuesday evening, the "
    "coast guard said, and all on board were brought ashore by lifeboats before midnight."
)
REST = (
    "The vessel, the Northern Star, had left the harbour at six o'clock for its regular crossing "
    "to the islands when it struck a sandbank in fog, according to the operator's spokeswoman.",
    "Divers will inspect the hull on Wednesday; the crossing is suspended until the inquiry "
    "publishes its first findings, which the ministry expects within a fortnight.",
)


def page(n: int, extra: str = "") -> str:
    paras = [LEAD.format(n=n), *REST] + ([extra] if extra else [])
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        "<html><head><title>Ferry runs aground</title>"
        '<meta property="og:site_name" content="Harbour Times"></head>'
        f"<body><article><h1>Ferry runs aground</h1>{body}</article></body></html>"
    )


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    return root


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.txt"))}


def test_page_changed_twice_gives_three_revisions(server: FeedServer, library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    url = server.add("/ferry", page(230))
    added, existing, problems = ingest_url(url, library, cache, FAST)
    assert problems == [] and existing == [] and len(added) == 1
    first = added[0]
    original = (library / f"{first}.txt").read_bytes()

    server.add("/ferry", page(260))
    added, existing, problems = ingest_url(url, library, cache, FAST)
    assert (added, existing, problems) == ([f"{first}-r2"], [], [])
    server.add("/ferry", page(260, "The operator said on Wednesday it would pay for the passengers' hotels."))
    added, existing, problems = ingest_url(url, library, cache, FAST)
    assert (added, existing, problems) == ([f"{first}-r3"], [], [])

    stored = files(library)
    assert sorted(stored) == [f"{first}-r2.txt", f"{first}-r3.txt", f"{first}.txt"]
    assert stored[f"{first}.txt"] == original  # the first file is never rewritten
    r2, r3 = read_document(library / f"{first}-r2.txt"), read_document(library / f"{first}-r3.txt")
    assert r2.declared["revision"] == "2" and r2.declared["previous"] == first
    assert r3.declared["revision"] == "3" and r3.declared["previous"] == f"{first}-r2"
    assert r2.declared["fetched"] and r2.declared["outlet"] == "Harbour Times"
    assert "260 passengers" in r2.body and "230" not in r2.body
    assert "hotels" in r3.body and "hotels" not in r2.body
    assert "230 passengers" in read_document(library / f"{first}.txt").body
    assert revision_of(f"{first}-r3") == (first, 3)


def test_unchanged_page_gives_no_revision_with_304_or_same_content(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    url = server.add("/etag", page(230), etag='"v1"')
    plain = server.add("/plain", page(120))  # no validators: a full 200 every time
    (first,), _, _ = ingest_url(url, library, cache, FAST)
    (other,), _, _ = ingest_url(plain, library, cache, FAST)
    before = files(library)

    hits = len(server.hits("/etag"))
    assert ingest_url(url, library, cache, FAST) == ([], [first], [])
    asked = server.hits("/etag")[hits:]
    assert len(asked) == 1 and asked[0].get("If-None-Match") == '"v1"'  # revalidated: it answered 304

    hits = len(server.hits("/plain"))
    assert ingest_url(plain, library, cache, FAST) == ([], [other], [])
    assert len(server.hits("/plain")) == hits + 1  # asked again, the same text came back
    # a fresh cache (no validators) still asks, and still finds nothing new
    assert ingest_url(url, library, tmp_path / "fresh-cache", FAST) == ([], [first], [])
    assert files(library) == before

    server.add("/etag", page(260), etag='"v2"')  # the server's validator changed with the text
    assert ingest_url(url, library, cache, FAST) == ([f"{first}-r2"], [], [])


def feed(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
        f"<description><![CDATA[{text}]]></description></item>"
        for guid, title, text in entries
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>'
        f"<link>http://example.org/</link>{items}</channel></rss>"
    )


def entry_text(n: int) -> str:
    return "".join(f"<p>{p}</p>" for p in (LEAD.format(n=n), *REST))


@pytest.mark.parametrize("fetch_pages", [False, True])
def test_feed_entry_edited_under_same_guid_gives_a_revision(
    server: FeedServer, library: Path, tmp_path: Path, fetch_pages: bool
) -> None:
    cache = tmp_path / "cache"
    options = RefreshOptions(http=FAST.http, fetch_pages=fetch_pages, workers=1)
    other = "<p>" + " ".join(["The town council met on Monday to discuss the new library budget."] * 3) + "</p>"
    url = server.add("/feed.xml", feed([("ferry-1", "Ferry runs aground", entry_text(230)),
                                        ("council-1", "Council meets", other)]),
                     content_type="application/rss+xml")  # fmt: skip
    add_subscription(library, url)
    report = refresh(library, cache, options=options)
    assert report.problems == [] and len(report.added) == 2 and report.revised == []
    ferry = next(s for s, (n, b) in ((p.stem, (p, p.read_text())) for p in library.glob("*.txt")) if "230" in b)

    report = refresh(library, cache, options=options)  # nothing changed: nothing stored
    assert report.added == [] and report.revised == []

    server.add("/feed.xml", feed([("ferry-1", "Ferry runs aground", entry_text(260)),
                                  ("council-1", "Council meets", other)]),
               content_type="application/rss+xml")  # fmt: skip
    report = refresh(library, cache, options=options)
    assert report.problems == [] and report.added == [] and report.revised == [f"{ferry}-r2"]
    revision = read_document(library / f"{ferry}-r2.txt")
    assert "260 passengers" in revision.body and revision.declared["previous"] == ferry
    assert revision.declared["outlet"] == read_document(library / f"{ferry}.txt").declared["outlet"]

    report = refresh(library, cache, options=options)  # the edit is stored once
    assert report.added == [] and report.revised == []
    assert len(list(library.glob("*.txt"))) == 3
