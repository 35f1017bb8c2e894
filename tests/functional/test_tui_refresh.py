"""`r`/`R`: fetch the subscribed feeds in the background, then rescan; new articles join the list."""

from __future__ import annotations

import shutil
import webbrowser

from feeds_server import FeedServer, serve_site

from tuireader.library import Library
from tuireader.sources.subscriptions import add_subscription
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


def own_copy(warm_library, tmp_path):  # noqa: ANN001, ANN201 - fixture values
    """A writable copy of the shared warm library and its cache (cache in tmp_path/"cache")."""
    root, cache = warm_library
    mine = tmp_path / "articles"
    shutil.copytree(root, mine)
    shutil.copytree(cache, tmp_path / "cache")
    return mine


async def test_r_rescans_the_folder_and_lists_a_new_article(warm_library, tmp_path, settled, waiter):
    mine = own_copy(warm_library, tmp_path)
    library = Library(mine, cache_dir=tmp_path / "cache")
    app = ReaderApp(library, remember=False, background_analysis=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            main = app.reader
            count = len(main.article_list.selectable)
            (mine / "900_new.txt").write_text(
                "---\noutlet: Example Gazette\ntitle: Harbour bridge reopens after repairs\n---\n"
                "The harbour bridge reopened on Monday after three months of repairs, the city said.\n\n"
                "Engineers replaced the cables and resurfaced the road, and traffic returned to normal "
                "by the evening rush hour, according to the transport office.\n",
                encoding="utf-8",
            )
            await pilot.press("r")
            await waiter(pilot, lambda: len(main.article_list.selectable) == count + 1, timeout=60,
                         what="the new article in the list")
            assert "900_new" in main.article_list.position
    finally:
        library.close()


async def test_shift_r_fetches_a_subscribed_feed_and_lists_its_articles(warm_library, tmp_path, settled, waiter,
                                                                      monkeypatch):
    mine = own_copy(warm_library, tmp_path)
    with FeedServer() as server:
        feeds = serve_site(server)
        add_subscription(mine, next(iter(feeds.values())))
        library = Library(mine, cache_dir=tmp_path / "cache")
        app = ReaderApp(library, remember=False, background_analysis=False)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await settled(pilot)
                main = app.reader
                before = set(main.article_list.position)
                await pilot.press("R")
                await waiter(pilot, lambda: len(main.article_list.position) > len(before), timeout=90,
                             what="the feed's articles in the list")
                new = set(main.article_list.position) - before
                assert new
                assert all((mine / f"{aid}.txt").exists() or list(mine.glob(f"{aid}.*")) for aid in new)
                # Open one of them: it reads like any other article.
                aid = sorted(new)[0]
                main.open_article(aid)
                await settled(pilot, view=False)
                assert main.text.article is not None and main.text.article.id == aid
                # `o` hands its web address to the browser.
                opened: list[str] = []
                monkeypatch.setattr(webbrowser, "get", lambda *a, **kw: object())  # a browser is there
                app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
                await pilot.press("o")
                assert opened == [main.text.article.url] and opened[0].startswith(server.base)
        finally:
            library.close()


async def test_refresh_notice_names_each_failed_feed(warm_library, tmp_path, settled, waiter):
    """Two dead feeds: the notice says which ones failed and why, not only the first."""
    mine = own_copy(warm_library, tmp_path)
    dead = ["http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml"]
    for url in dead:
        add_subscription(mine, url)
    library = Library(mine, cache_dir=tmp_path / "cache")
    app = ReaderApp(library, remember=False, background_analysis=False)
    shown: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            await pilot.press("R")
            await waiter(pilot, lambda: any("Refreshed" in m for m in shown), timeout=60, what="the refresh notice")
            notice = next(m for m in shown if "Refreshed" in m)
            assert "2 failed" in notice
            for url in dead:
                assert url in notice and "connection refused" in notice
    finally:
        library.close()


async def test_a_library_of_unreadable_files_says_so_instead_of_empty(tmp_path, waiter):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "binary.txt").write_bytes(b"\x00\x01\x02\x03 not text")
    (lib / "empty.txt").write_bytes(b"")
    library = Library(lib, cache_dir=tmp_path / "cache")
    app = ReaderApp(library, remember=False, background_analysis=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await waiter(pilot, lambda: app.reader.scanned, timeout=30, what="the scan")
            await pilot.pause()
            screen = app.reader
            import html
            import re

            svg = app.export_screenshot()  # the screen's characters, in SVG text runs
            text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
            assert "None of the 2 files in this library could be read" in text
            assert "This library is empty" not in text
            assert "binary.txt" in text and "empty.txt" in text  # the status line names them
            assert screen.scanned
    finally:
        library.close()
