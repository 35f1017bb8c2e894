"""Bad feeds are normal: each gives one line naming it, the others finish, the library is untouched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from feeds_server import DATA, FeedServer, closed_port_url, fast_http, serve_site

from tuireader.sources.feeds.refresh import refresh
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.files import read_document
from tuireader.sources.subscriptions import add_subscription

# a whole request (retries included) may take 4 s: the server runs in this process, beside a
# 32 MiB gzip bomb being inflated, so a tighter limit times out feeds that answer at once
OPTIONS = RefreshOptions(http=fast_http(total_timeout=4, retries=1))


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def test_every_kind_of_bad_feed_fails_alone_with_one_line(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    # a library that already holds a user's article: no failure may touch it
    own = library / "my_notes.txt"
    own.write_text("---\ntitle: My notes\n---\n\nThe council meets on Tuesday.\n", encoding="utf-8")
    good = serve_site(server)

    xml = "application/rss+xml"
    bad = {
        "ill-formed XML": (
            server.add_file("/bad/illformed.xml", "illformed.xml", content_type=xml),
            "ill-formed XML",
        ),
        "HTML page": (server.add_file("/bad/home.html", "html_page.html"), "an HTML page, not a feed"),
        "billion laughs": (
            server.add_file("/bad/laughs.xml", "billion_laughs.xml", content_type=xml),
            "entity expansion attack",
        ),
        "external entity": (
            server.add_file("/bad/xxe.xml", "external_entity.xml", content_type=xml),
            "external entity",
        ),
        "empty body": (server.add("/bad/empty.xml", b"", content_type=xml), "empty response"),
        "huge feed": (
            server.add(
                "/bad/huge.xml", b"<rss version='2.0'><channel>" + b" " * (2 * 1024 * 1024), content_type=xml
            ),
            "larger than 1 MiB",
        ),
        "404": (server.url("/bad/missing.xml"), "HTTP 404"),
        "410": (server.add("/bad/gone.xml", b"gone", status=410), "HTTP 410 Gone"),
        "500": (server.add("/bad/error.xml", b"oops", status=500), "HTTP 500"),
        "refused": (closed_port_url(), "connection refused"),
        "stall": (server.add_stall("/bad/stall.xml"), "timed out"),
        "drip": (server.add_drip("/bad/drip.xml", seconds=20), "timed out"),
        "redirect loop": (server.add_redirect("/bad/loop-a", server.url("/bad/loop-b")), "redirect loop"),
        "gzip bomb": (server.add_gzip_bomb("/bad/bomb.xml", inflated_mib=32), "once decompressed"),
    }
    server.add_redirect("/bad/loop-b", server.url("/bad/loop-a"))
    # wrong or missing encodings and an empty but valid feed are not failures
    fine = {
        "wrong encoding": server.add_file(
            "/odd/wrong.xml", "wrong_encoding.xml", content_type="application/rss+xml"
        ),
        "no encoding": server.add_file("/odd/none.xml", "no_encoding.xml", content_type="text/xml"),
        "empty channel": server.add_file("/odd/quiet.xml", "empty_channel.xml", content_type=xml),
    }
    for url in [*good.values(), *(u for u, _ in bad.values()), *fine.values()]:
        add_subscription(library, url)

    start = time.monotonic()
    report = refresh(library, tmp_path / "cache", options=OPTIONS)
    elapsed = time.monotonic() - start

    by_feed = {}
    for problem in report.problems:
        by_feed.setdefault(problem.where, []).append(problem.message)
    for kind, (url, words) in bad.items():
        assert len(by_feed.get(url, [])) == 1, (
            f"{kind}: expected one problem for {url}, got {by_feed.get(url)}"
        )
        line = f"{url}: {by_feed[url][0]}"
        assert words in line, f"{kind}: {line}"
        assert "\n" not in line
    assert set(by_feed) == {url for url, _ in bad.values()}  # nothing else failed
    assert report.feeds_failed == len(bad)
    assert report.feeds_ok == len(good) + len(fine)
    assert elapsed < 20  # the stalled and dripping servers did not hold up the rest

    stored = [read_document(p) for p in library.glob("*.txt") if p != own]
    # the fixture site, plus the one entry both odd-encoding feeds carry (same link: stored once)
    assert len(stored) == 9 + 1
    assert {d.declared["feed"] for d in stored} <= set(good.values()) | set(fine.values())
    (accents,) = [d for d in stored if d.declared["url"].endswith("/cafe/creme-brulee")]
    # whichever feed won the race, its accents (and, from the cp1252 one, curly quotes) survive
    assert accents.declared["title"] in (
        "Cr\u00e8me br\u00fbl\u00e9e week at the \u201cCaf\u00e9 du Port\u201d",
        'Cr\u00e8me br\u00fbl\u00e9e week at the "Caf\u00e9 du Port"',
    )
    assert "Ren\u00e9e Dubois" in accents.body and "\ufffd" not in accents.body
    assert own.read_text(encoding="utf-8").endswith("The council meets on Tuesday.\n")
    assert not [p for p in library.rglob("*") if p.name.endswith(".tmp")]
    # transient failures were retried, permanent ones were not
    assert len(server.hits("/bad/error.xml")) == 2
    assert len(server.hits("/bad/missing.xml")) == 1 and len(server.hits("/bad/gone.xml")) == 1


def test_a_feed_that_recovers_is_read_on_the_next_refresh(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    route_url = server.add("/flaky/rss.xml", b"down", status=503)
    add_subscription(library, route_url)
    first = refresh(library, tmp_path / "cache", options=OPTIONS)
    assert first.feeds_failed == 1 and "HTTP 503" in first.problems[0].message
    assert list(library.glob("*.txt")) == []

    route = server.routes["/flaky/rss.xml"]
    route.status = 200
    route.content_type = "application/rss+xml"
    route.body = (DATA / "rss20.xml").read_bytes()
    for path, name in [("/courier/2024/03/light-rail-extension/", "courier_light_rail.html")]:
        server.add_file(path, name)
    second = refresh(library, tmp_path / "cache", options=OPTIONS)
    assert second.problems == [] and second.feeds_ok == 1
    assert len(second.added) == 3  # two pages missing: the feed's own text stands in


def test_entry_without_any_text_is_reported_and_retried(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    feed = server.add(
        "/titles-only.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Headlines</title>"
        "<item><title>Video: the storm from above</title><link>{BASE}/video/storm</link></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
        etag='"h1"',
    )
    add_subscription(library, feed)
    report = refresh(library, tmp_path / "cache", options=OPTIONS)
    assert report.feeds_ok == 1 and report.added == []
    (problem,) = report.problems
    assert problem.where == server.url("/video/storm")
    assert "no article text" in problem.message and "HTTP 404" in problem.message and feed in problem.message
    # the feed is unchanged (304), but the entry was not given up: it is tried again
    server.add_file("/video/storm", "herald_storm.html")
    again = refresh(library, tmp_path / "cache", options=OPTIONS)
    assert again.problems == [] and len(again.added) == 1


def test_misconfigured_canonical_links_do_not_merge_different_articles(
    server: FeedServer, tmp_path: Path
) -> None:
    """Sites that give every page the same rel=canonical (a section, the home page) are common."""
    library = tmp_path / "library"
    items = []
    for i, (name, canonical) in enumerate(
        [
            ("herald_storm.html", "/herald/news"),
            ("herald_harbor.html", "/herald/news"),
            ("tribune_glacier.html", "/"),
        ]
    ):
        html = (DATA / name).read_text(encoding="utf-8")
        start = html.index('<link rel="canonical" href="')
        end = html.index(">", start)
        html = html[:start] + f'<link rel="canonical" href="{{BASE}}{canonical}">' + html[end + 1 :]
        server.add(f"/story/{i}", html)
        items.append(f"<item><title>Story {i}</title><link>{{BASE}}/story/{i}</link></item>")
    feed = server.add(
        "/h.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>H</title>"
        + "".join(items)
        + "</channel></rss>",
        content_type="application/rss+xml",
    )
    add_subscription(library, feed)
    report = refresh(library, tmp_path / "cache", options=OPTIONS)
    assert report.problems == [] and len(report.added) == 3 and report.duplicates == 0


def test_a_huge_valid_feed_is_read_up_to_the_entry_limit(server: FeedServer, tmp_path: Path) -> None:
    library = tmp_path / "library"
    items = "".join(
        f"<item><title>Bulletin {i}</title><link>{{BASE}}/bulletin/{i}</link><guid>b{i}</guid>"
        f"<description>Bulletin number {i} of the day: the harbour office reports berth {i % 40} free.</description></item>"
        for i in range(3000)
    )
    feed = server.add(
        "/bulletins.xml",
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bulletins</title>{items}</channel></rss>",
        content_type="application/rss+xml",
    )
    add_subscription(library, feed)
    options = RefreshOptions(http=OPTIONS.http, fetch_pages=False, max_entries_per_feed=100)
    report = refresh(library, tmp_path / "cache", options=options)
    assert report.problems == [] and report.entries_seen == 100 and len(report.added) == 100
    titles = {read_document(p).declared["title"] for p in library.glob("*.txt")}
    assert "Bulletin 0" in titles and "Bulletin 99" in titles and "Bulletin 100" not in titles
