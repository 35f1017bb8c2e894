"""Refreshing real feeds from a server on 127.0.0.1 into a library folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from feeds_server import FeedServer, serve_site

import tuireader
from tuireader.sources.feeds.ingest import ingest_url
from tuireader.sources.feeds.refresh import refresh
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.files import ARTICLE_NAME, read_document
from tuireader.sources.http import HttpConfig
from tuireader.sources.subscriptions import add_subscription, load_subscriptions

FAST = RefreshOptions(
    http=HttpConfig(connect_timeout=1, read_timeout=1, total_timeout=3, retries=1, backoff=0.01)
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


def articles(root: Path) -> dict[str, tuple[dict[str, str], str]]:
    out = {}
    for path in sorted(root.glob("*.txt")):
        doc = read_document(path)
        out[path.stem] = (doc.declared, doc.body)
    return out


def by_url(root: Path) -> dict[str, tuple[dict[str, str], str]]:
    found = articles(root)
    urls = [fields["url"] for fields, _ in found.values()]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    return {fields["url"]: (fields, body) for fields, body in found.values()}


def no_temp_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_refresh_stores_every_entry_of_four_feed_formats(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    feeds = serve_site(server)
    for url in feeds.values():
        add_subscription(library, url)
    seen = []
    report = refresh(library, tmp_path / "cache", progress=seen.append, options=FAST)

    assert report.problems == []
    assert (report.feeds_ok, report.feeds_failed, report.entries_seen) == (4, 0, 9)
    stored = by_url(library)
    assert len(report.added) == len(stored) == 9
    assert all(ARTICLE_NAME.match(f"{stem}.txt") for stem in report.added)

    rail, body = stored[server.url("/courier/2024/03/light-rail-extension/")]
    assert rail["title"] == "Council approves light rail extension to the east side"
    assert rail["outlet"] == "Riverside Courier"
    assert rail["feed"] == feeds["rss20.xml"]
    assert rail["published"] == "2024-03-15T21:05:00Z"
    assert rail["authors"] == "Maria Delgado"
    assert rail["fetched"]
    # the full page, not the feed's one-paragraph excerpt; no menus, related links or footer
    assert "The $412 million project will add five stations" in body
    assert "a promise written on sand" in body
    assert "Obituaries" not in body and "All rights reserved" not in body and "Related" not in body
    assert len(body.split("\n\n")) >= 6

    # page missing (404): the feed's own content, stripped of markup and scripts
    bridge, body = stored[server.url("/courier/2024/03/bridge-inspection/")]
    assert bridge["outlet"] == "Riverside Courier"  # the name the feed's pages give, not the feed title
    assert body.split("\n\n")[2].startswith("\u201cWe expect short delays, not detours,\u201d")
    assert "trackPageview" not in body

    storm, _ = stored[server.url("/herald/storm-power-outages")]
    assert storm["authors"] == "Hannah Lee; Samuel Ortiz" and storm["outlet"] == "The Coastal Herald"
    glacier, body = stored[server.url("/tribune/glacier-drones")]
    assert glacier["published"] == "2024-03-12T09:00:00Z" and "310 metres" in body
    market, body = stored[server.url("/gazette/farmers-market")]
    assert market["title"] == "Farmers' market returns to Caf\u00e9 Square"
    assert market["outlet"] == "Valley Gazette" and "42 vendors" in body
    airport, body = stored[server.url("/gazette/airport-routes")]
    assert airport["outlet"] == "Valley Gazette" and "612,000" in body and "Classifieds" not in body

    # progress was reported and ends complete
    last = seen[-1]
    assert (last.feeds_done, last.feeds_total) == (4, 4)
    assert last.articles_done == last.articles_total == 9 and last.added == 9
    assert no_temp_files(library)
    # feed titles were learned into the subscription list
    assert {s.title for s in load_subscriptions(library)} >= {"The Coastal Herald", "Northern Tribune"}


def test_second_refresh_is_conditional_and_adds_nothing(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    feeds = serve_site(server)
    for url in feeds.values():
        add_subscription(library, url)
    refresh(library, tmp_path / "cache", options=FAST)
    before = {p.name: p.read_bytes() for p in library.glob("*.txt")}
    state = library / ".tuireader" / "refresh-state.json"
    state_written = state.stat().st_mtime_ns

    report = refresh(library, tmp_path / "cache", options=FAST)
    assert report.added == [] and report.problems == [] and report.feeds_ok == 4
    assert report.feeds_unchanged == 4
    assert state.stat().st_mtime_ns == state_written  # nothing new: nothing rewritten
    assert server.hits("/feeds/atom.xml")[-1]["If-None-Match"] == '"atom.xml-v1"'
    assert len(server.hits("/herald/storm-power-outages")) == 1  # pages are never fetched twice
    assert {p.name: p.read_bytes() for p in library.glob("*.txt")} == before


def test_a_new_entry_in_a_changed_feed_is_added_alone(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    feeds = serve_site(server)
    add_subscription(library, feeds["atom.xml"])
    refresh(library, tmp_path / "cache", options=FAST)
    route = server.routes["/feeds/atom.xml"]
    new_entry = b"""<entry><title>Lighthouse reopens to visitors</title>
    <link href="{BASE}/herald/lighthouse"/><id>tag:coastalherald.example,2024:story-9920</id>
    <updated>2024-03-17T09:00:00Z</updated><summary>The Point Carver lighthouse reopened on Sunday after repairs to its
    lantern room, with guided tours every hour from 10 a.m. to 4 p.m.</summary></entry>"""
    route.body = route.body.replace(b"<entry>", new_entry + b"<entry>", 1)
    route.etag = '"atom.xml-v2"'

    report = refresh(library, tmp_path / "cache", options=FAST)
    assert report.problems == [] and report.entries_seen == 3
    assert len(report.added) == 1
    fields, body = articles(library)[report.added[0]]
    assert fields["title"] == "Lighthouse reopens to visitors" and "guided tours" in body
    assert len(server.hits("/herald/storm-power-outages")) == 1


def test_same_article_from_two_feeds_and_under_other_urls_is_stored_once(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    feeds = serve_site(server)
    # the same outlet's second feed: tracking parameters, a fragment, no trailing slash, a
    # redirecting short link, and a print URL serving the same article text
    server.add_file("/courier/print/library-hours", "courier_library.html")
    server.add_redirect("/go/48190", server.url("/courier/2024/03/library-hours/"), 301)
    rail = "{BASE}/courier/2024/03/light-rail-extension/"
    items = [
        ("Council approves light rail extension", f"{rail}?utm_source=rss&amp;utm_medium=feed#comments"),
        ("Light rail extension approved", rail.rstrip("/") + "?fbclid=IwAR123"),
        ("Library hours extended", "{BASE}/go/48190"),
        ("Library hours (print)", "{BASE}/courier/print/library-hours"),
    ]
    xml = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid isPermaLink='false'>second-{i}</guid></item>"
        for i, (t, u) in enumerate(items)
    )
    second = server.add(
        "/feeds/courier-top.xml",
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Courier Top Stories</title>{xml}</channel></rss>",
        content_type="application/rss+xml",
    )
    add_subscription(library, feeds["rss20.xml"])
    add_subscription(library, second)
    report = refresh(library, tmp_path / "cache", options=FAST)
    assert report.problems == []
    stored = by_url(library)
    assert len(stored) == 3  # light rail, library hours, bridge inspection
    assert report.duplicates == 4
    # later, from a feed on another host name (http/https and case variants of the same URL)
    third = server.add(
        "/feeds/aggregator.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Aggregator</title>"
        f"<item><title>Rail</title><link>{rail.replace('{BASE}', server.base.replace('http:', 'https:'))}</link></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    again = refresh(library, tmp_path / "cache", feeds=[third], options=FAST)
    assert again.added == [] and again.problems == []
    assert len(articles(library)) == 3


def test_interrupted_refresh_leaves_whole_files_and_resumes_without_duplicates(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    n = 30
    template = (Path(__file__).resolve().parents[1] / "data" / "feeds" / "herald_harbor.html").read_text()
    items = []
    for i in range(n):
        page = template.replace("Harbour dredging to begin in May", f"Harbour works, phase {i}, to begin")
        page = page.replace("$7.3 million project", f"${i}.{i} million project, phase {i} of {n},")
        server.add(f"/slow/{i}", page, delay=0.25)
        items.append(
            f"<item><title>Phase {i}</title><link>{{BASE}}/slow/{i}</link><guid>phase-{i}</guid></item>"
        )
    feed = server.add(
        "/feeds/slow.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Slow Herald</title>"
        + "".join(items)
        + "</channel></rss>",
        content_type="application/rss+xml",
        etag='"slow-v1"',
    )
    add_subscription(library, feed)
    cache = tmp_path / "cache"
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from tuireader.sources.http import HttpConfig
        from tuireader.sources.feeds.refresh import refresh
        from tuireader.sources.feeds.types import RefreshOptions
        refresh(Path({str(library)!r}), Path({str(cache)!r}),
                options=RefreshOptions(article_concurrency=2, http=HttpConfig(per_host=2)))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(Path(tuireader.__file__).resolve().parents[1]))
    for sig in (signal.SIGINT, signal.SIGKILL):
        proc = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        start = len(list(library.glob("*.txt")))
        while len(list(library.glob("*.txt"))) < start + 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode != 0, "the refresh finished before it could be interrupted"
        assert no_temp_files(library)
        partial = by_url(library)  # every file whole and readable, none twice
        assert start + 3 <= len(partial) < n
        assert all("phase" in body for _, body in partial.values())
        if sig == signal.SIGINT:
            assert b"Traceback" not in err or b"KeyboardInterrupt" in err

    report = refresh(library, cache, options=FAST)
    assert report.problems == []
    stored = by_url(library)
    assert len(stored) == n
    assert len(report.added) == n - len(partial)
    assert no_temp_files(library)
    for i in range(n):  # pages fetched again only if they were never stored
        assert len(server.hits(f"/slow/{i}")) <= 3


def test_extraction_in_a_process_pool(server: FeedServer, library: Path, tmp_path: Path) -> None:
    feeds = serve_site(server)
    for url in feeds.values():
        add_subscription(library, url)
    options = RefreshOptions(http=FAST.http, workers=2, process_threshold=0)
    report = refresh(library, tmp_path / "cache", options=options)
    assert report.problems == [] and len(report.added) == 9
    assert (
        "The $412 million project" in by_url(library)[server.url("/courier/2024/03/light-rail-extension/")][1]
    )


def test_feed_text_only_without_pages(server: FeedServer, library: Path, tmp_path: Path) -> None:
    feeds = serve_site(server)
    add_subscription(library, feeds["rss20.xml"])
    report = refresh(library, tmp_path / "cache", options=RefreshOptions(http=FAST.http, fetch_pages=False))
    assert len(report.added) == 3
    assert server.hits("/courier/2024/03/light-rail-extension/") == []
    rail, body = by_url(library)[server.url("/courier/2024/03/light-rail-extension/")]
    assert body.startswith("The Riverside City Council voted 7-2")
    assert rail["outlet"] == "Riverside Courier - Local News"


def test_fetch_url_articles_for_ingest(server: FeedServer, library: Path, tmp_path: Path) -> None:
    feeds = serve_site(server)
    cache = tmp_path / "cache"
    page = server.url("/herald/storm-power-outages")
    added, existing, problems = ingest_url(page, library, cache)
    assert problems == [] and existing == [] and len(added) == 1
    article_id = added[0]
    fields, body = articles(library)[article_id]
    assert fields["url"] == page and fields["outlet"] == "The Coastal Herald"
    assert fields["title"] == "Storm leaves 40,000 without power, closes schools"
    assert "78 miles per hour" in body

    # the same page again, under a tracking-laden URL: the existing article, nothing written
    assert ingest_url(page + "?utm_source=twitter#top", library, cache) == ([], [article_id], [])
    assert ingest_url(page, library, cache) == ([], [article_id], [])
    assert len(list(library.glob("*.txt"))) == 1

    missing, existing, problems = ingest_url(server.url("/herald/no-such-story"), library, cache)
    assert missing == [] and existing == [] and len(problems) == 1
    assert problems[0].where == server.url("/herald/no-such-story") and "404" in problems[0].message

    # a feed URL: its entries come in (without subscribing); a second time, nothing new
    first, existing, problems = ingest_url(feeds["rss10.rdf"], library, cache)
    assert problems == [] and len(first) == 2
    assert len(list(library.glob("*.txt"))) == 3
    assert load_subscriptions(library) == []
    assert ingest_url(feeds["rss10.rdf"], library, cache) == ([], [], [])


def test_feed_text_in_worker_processes_dedups_reports_and_resumes(
    server: FeedServer, library: Path, tmp_path: Path
) -> None:
    """Without pages, the workers make each article whole; the duplicate checks, the problems and
    the resumption behave as when the event loop makes them."""
    para = (
        "The harbour authority said on Tuesday that dredging of the main channel will begin in May "
        "and last eleven weeks, with night work limited to two berths so that ferries keep their "
        "timetable; the $7.3 million project was approved after two years of consultations."
    )
    text = f"<p>{para}</p><p>Fishing boats will use the north quay while the work goes on.</p>"

    def item(title: str, link: str | None, guid: str, body: str = text) -> str:
        link_xml = f"<link>{link}</link>" if link else ""
        return (
            f"<item><title>{title}</title>{link_xml}<guid isPermaLink='false'>{guid}</guid>"
            f"<description><![CDATA[{body}]]></description></item>"
        )

    def rss(title: str, items: list[str]) -> str:
        return (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
            + "".join(items)
            + "</channel></rss>"
        )

    one = server.add(
        "/feeds/one.xml",
        rss(
            "Harbour Post",
            [
                item("Dredging to begin", "{BASE}/post/dredging", "a"),
                item("Dredging (print)", "{BASE}/post/print/dredging", "b"),  # same text, same site
                item("Video: the harbour", "{BASE}/post/video", "c", body=""),  # nothing to store
                item("Notice", None, "d", body="<p>Quay closed on Sunday.</p>"),  # no link at all
            ],
        ),
        content_type="application/rss+xml",
        etag='"one-v1"',
    )
    two = server.add(
        "/feeds/two.xml",
        rss("Post Top", [item("Dredging", "{BASE}/post/dredging?utm_source=rss#top", "z")]),
        content_type="application/rss+xml",
    )
    add_subscription(library, one)
    add_subscription(library, two)
    options = RefreshOptions(http=FAST.http, fetch_pages=False, workers=2, process_threshold=0)
    report = refresh(library, tmp_path / "cache", options=options)

    everything = articles(library)
    stored = {fields["url"]: (fields, body) for fields, body in everything.values() if "url" in fields}
    assert len(report.added) == len(everything) == 2  # the dredging story once, the notice
    assert report.duplicates == 2
    dredging, body = stored[server.url("/post/dredging")]
    assert dredging["outlet"] in ("Harbour Post", "Post Top") and body.startswith("The harbour authority")
    (notice,) = [f for f, b in everything.values() if b.strip() == "Quay closed on Sunday."]
    assert notice["title"] == "Notice" and notice["outlet"] == "Harbour Post" and "url" not in notice
    (problem,) = report.problems
    assert problem.where == server.url("/post/video") and "no article text" in problem.message
    assert one in problem.message
    assert server.hits("/post/dredging") == [] and no_temp_files(library)

    # unchanged feed (304), but not finished (the empty entry is tried again); then a new entry
    again = refresh(library, tmp_path / "cache", options=options)
    assert again.added == [] and [p.where for p in again.problems] == [server.url("/post/video")]
    route = server.routes["/feeds/one.xml"]
    new = item("Ferries keep timetable", "{BASE}/post/ferries", "e", body="<p>Ferries sail as usual.</p>")
    route.body = route.body.replace(b"<item>", new.encode() + b"<item>", 1)
    route.etag = '"one-v2"'
    third = refresh(library, tmp_path / "cache", options=options)
    assert len(third.added) == 1
    fields, body = articles(library)[third.added[0]]
    assert (fields["title"], fields["outlet"], body.strip()) == (
        "Ferries keep timetable",
        "Harbour Post",
        "Ferries sail as usual.",
    )
    assert len(articles(library)) == 3


@pytest.mark.parametrize("tmpfile", [True, False], ids=["O_TMPFILE", "named-temporary"])
def test_batch_writes_create_whole_files_and_never_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmpfile: bool
) -> None:
    from tuireader import fsbatch

    if not tmpfile:
        monkeypatch.setattr(fsbatch, "_O_TMPFILE", 0)
    monkeypatch.setattr(fsbatch, "WRITE_CHUNK", 3)  # several chunks in one call
    (tmp_path / "b.txt").write_bytes(b"older")
    items = [(f"{c}.txt", f"text of {c}\n".encode() * 1000) for c in "abcdefg"]
    items.append(("a.txt", b"a second writer for a.txt"))
    results = fsbatch.write_new_batch(tmp_path, items)
    assert results == [True, False, True, True, True, True, True, False]
    assert (tmp_path / "b.txt").read_bytes() == b"older"
    for name, data in items[2:7]:
        assert (tmp_path / name).read_bytes() == data
    assert (tmp_path / "a.txt").read_bytes() == items[0][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{c}.txt" for c in "abcdefg"]
    # created like any new file (0o666 less the umask), not left private like a temporary one
    from tuireader.fsutil import new_file_mode

    assert {(p.stat().st_mode & 0o777) for p in tmp_path.iterdir() if p.name != "b.txt"} == {new_file_mode()}


def test_batch_writes_fall_back_when_linking_through_proc_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some sandboxes allow O_TMPFILE but refuse to link it into place: every file is still written."""
    import errno
    import os

    from tuireader import fsbatch

    if not fsbatch._O_TMPFILE:
        pytest.skip("no O_TMPFILE on this system: the named-temporary path is tested above")
    real_link = os.link
    refused: list[str] = []

    def link(src: str, dst: str, **kwargs: object) -> None:
        if str(src).startswith("/proc/self/fd/"):
            refused.append(dst)
            raise PermissionError(errno.EPERM, "Operation not permitted")
        real_link(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsbatch.os, "link", link)
    monkeypatch.setattr(fsbatch, "WRITE_CHUNK", 2)
    # the writer switches O_TMPFILE off for the process; monkeypatch puts the switch back after
    monkeypatch.setattr(fsbatch, "_O_TMPFILE", fsbatch._O_TMPFILE)
    items = [(f"{c}.txt", f"text of {c}\n".encode()) for c in "abcde"]
    assert fsbatch.write_new_batch(tmp_path, items) == [True] * 5
    assert refused == ["a.txt"]  # tried once, then named temporary files for every chunk
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{c}.txt" for c in "abcde"]
    for name, data in items:
        assert (tmp_path / name).read_bytes() == data


def test_cancelled_refresh_claims_no_article_it_did_not_write(
    server: FeedServer, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C while articles wait to be written: the next refresh writes every one of them."""
    import asyncio
    import threading

    from tuireader import fsbatch
    from tuireader.sources.feeds import refresh as refresh_module

    for f in range(3):
        items = "".join(
            f"<item><title>Story {f}-{i}</title><link>{{BASE}}/s/{f}/{i}</link>"
            f"<description>Text of story {f}-{i}.</description></item>"
            for i in range(5)
        )
        feed = server.add(
            f"/feeds/{f}.xml",
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{f}</title>{items}</channel></rss>",
            content_type="application/rss+xml",
            etag=f'"{f}"',
            delay=0.3 * (f > 0),  # the first feed's articles are being written when the others come
        )
        add_subscription(library, feed)
    writing, release = threading.Event(), threading.Event()
    real = fsbatch.write_new_batch

    def stalled(directory: Path, batch: list[tuple[str, bytes]]) -> list[bool | OSError]:
        writing.set()
        release.wait(10)
        return real(directory, batch)

    monkeypatch.setattr(fsbatch, "write_new_batch", stalled)
    options = RefreshOptions(http=FAST.http, fetch_pages=False)

    async def interrupted() -> None:
        task = asyncio.create_task(refresh_module.refresh_async(library, tmp_path / "cache", options=options))
        while not writing.is_set():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.6)  # the other feeds' articles are queued behind the stalled write
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        release.set()

    asyncio.run(interrupted())
    monkeypatch.setattr(fsbatch, "write_new_batch", real)
    report = refresh(library, tmp_path / "cache", options=options)
    assert report.problems == []
    assert len(by_url(library)) == 15 and no_temp_files(library)


def test_the_configs_refresh_settings_are_in_force(server: FeedServer, library: Path, tmp_path: Path) -> None:
    """config.toml's `[refresh] pages = false`: the feeds' own text, no page fetched."""
    from tuireader.library import Library
    from tuireader.locations import config_file

    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("[refresh]\npages = false\nconcurrency = 2\nconnect_timeout = 1\n")
    feeds = serve_site(server)
    lib = Library(library, tmp_path / "cache")
    lib.subscribe(feeds["rss20.xml"])
    report = lib.refresh()
    assert report.problems == [] and report.added
    assert server.hits("/courier/2024/03/light-rail-extension/") == []
    assert lib.refresh(fetch_pages=True, feeds=[feeds["atom.xml"]]).added  # asked for: pages fetched
    assert server.hits("/herald/storm-power-outages") != [] or server.hits("/herald/harbor-dredging") != []
