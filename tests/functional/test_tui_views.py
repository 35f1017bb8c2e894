"""Feeds, saved views and timed refreshes in the reader: `feed:` in the filter bar and the search
box, `w` and the palette for config.toml's views, `[refresh] on_start` / `every_minutes`, and
quitting while a refresh hangs."""

from __future__ import annotations

import shutil

from feeds_server import FeedServer, serve_site
from story_texts import ferry
from test_tui_filter import type_filter

from tuireader.config import load_config
from tuireader.library import Library
from tuireader.locations import config_file
from tuireader.sources.subscriptions import add_subscription
from tuireader.tui.app import ReaderApp
from tuireader.tui.screens.search import SearchScreen

SIZE = (140, 40)


def fed(text: str, feed: str) -> str:
    """A story text as a refresh writes it: with the `feed:` line naming its subscription."""
    return text.replace("---\n", f"---\nfeed: {feed}\n", 1)


def write_config(text: str) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_ferry_versions(root) -> None:  # noqa: ANN001 - Path
    (root / "950_harbor.txt").write_text(fed(ferry("Harbor Times", "harbor.example", "4,000"),
                                             "https://harbor.example/rss.xml"), encoding="utf-8")
    (root / "951_coast.txt").write_text(fed(ferry("Coast Daily", "coast.example", "5,000"),
                                            "https://coast.example/feed"), encoding="utf-8")
    (root / "952_valley.txt").write_text(ferry("Valley Post", "valley.example", "4,500"), encoding="utf-8")


async def test_feed_filter_in_the_bar_and_in_search(own_library, settled, waiter):
    write_ferry_versions(own_library.root)
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        everything = set(main.article_list.position)
        assert {"950_harbor", "951_coast", "952_valley"} <= everything

        await type_filter(pilot, "feed:harbor.example")
        await waiter(pilot, lambda: set(main.article_list.position) == {"950_harbor"}, what="the feed filter")
        assert "feed 'harbor.example'" in str(main.status.query_one("#status-text").render())
        await type_filter(pilot, "feed:harbor feed:coast outlets:2")
        assert set(main.article_list.position) == {"950_harbor", "951_coast"}
        await type_filter(pilot, "")
        assert set(main.article_list.position) == everything

        await pilot.press("slash")
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#search-input").value = "ferry crews walked off feed:coast"
        await waiter(pilot, lambda: bool(search.hits), timeout=30, what="search results")
        assert {h.article for h in search.hits} == {"951_coast"}
        search.query_one("#search-input").value = "ferry crews walked off outlet:valley"
        await waiter(pilot, lambda: search.hits and {h.article for h in search.hits} == {"952_valley"},
                     timeout=30, what="the outlet-filtered search")


async def test_saved_views_from_the_config_with_w_and_the_palette(own_library, settled, waiter):
    write_ferry_versions(own_library.root)
    write_config('[views.harbour]\nfeed = "harbor.example"\n\n'
                 '[views.told-twice]\noutlet = ["coast", "valley"]\nmin_outlets = 2\n')
    library = Library(own_library.root, cache_dir=own_library.cache_dir, config=load_config())
    app = ReaderApp(library, remember=False, poll_seconds=None, background_analysis=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot, view=False)
            main = app.reader
            everything = set(main.article_list.position)
            status = lambda: str(main.status.query_one("#status-text").render())  # noqa: E731
            await pilot.press("w")
            await waiter(pilot, lambda: set(main.article_list.position) == {"950_harbor"}, what="the first view")
            assert main.view_name == "harbour" and "View harbour" in status()
            await pilot.press("w")
            assert set(main.article_list.position) == {"951_coast", "952_valley"}
            assert "View told-twice" in status()
            await pilot.press("w")  # round again: everything
            assert set(main.article_list.position) == everything and main.view_name is None

            titles = [c.title for c in app.get_system_commands(main)]
            assert "View: harbour" in titles and "View: told-twice" in titles
            command = next(c for c in app.get_system_commands(main) if c.title == "View: told-twice")
            command.callback()
            assert set(main.article_list.position) == {"951_coast", "952_valley"}
    finally:
        library.close()


def own_copy(warm_library, tmp_path):  # noqa: ANN001, ANN201 - fixture values
    root, cache = warm_library
    mine = tmp_path / "articles"
    shutil.copytree(root, mine, ignore=shutil.ignore_patterns(".tuireader"))
    shutil.copytree(cache, tmp_path / "cache")
    return mine


async def test_refresh_on_start_fetches_without_a_key(warm_library, tmp_path, settled, waiter):
    mine = own_copy(warm_library, tmp_path)
    write_config("[refresh]\non_start = true\n")
    with FeedServer() as server:
        feeds = serve_site(server)
        add_subscription(mine, next(iter(feeds.values())))
        library = Library(mine, cache_dir=tmp_path / "cache", config=load_config())
        # counted before the reader opens: the refresh it starts may be over before it settles
        before = len([p for p in mine.iterdir() if p.suffix in (".txt", ".html")])
        app = ReaderApp(library, remember=False, background_analysis=False, poll_seconds=None)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await settled(pilot, view=False)
                main = app.reader
                await waiter(pilot, lambda: server.requests, timeout=30, what="the feed fetched")
                await waiter(pilot, lambda: len(main.article_list.position) > before, timeout=90,
                             what="the feed's articles listed")
        finally:
            library.close()


async def test_the_timer_refreshes_every_n_minutes(own_library, settled, waiter):
    add_subscription(own_library.root, "http://127.0.0.1:9/dead.xml")  # refused at once
    write_config("[refresh]\nevery_minutes = 0.005\n")  # 0.3 s
    library = Library(own_library.root, cache_dir=own_library.cache_dir, config=load_config())
    calls: list[int] = []
    original = library.refresh

    def refresh(**kwargs):  # noqa: ANN003, ANN202
        calls.append(1)
        return original(**kwargs)

    library.refresh = refresh  # type: ignore[method-assign]
    app = ReaderApp(library, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot, view=False)
            await waiter(pilot, lambda: len(calls) >= 2, timeout=30, what="two timed refreshes")
    finally:
        library.close()


async def test_quitting_during_a_hanging_refresh_does_not_wait_for_it(warm_library, tmp_path, settled, waiter):
    mine = own_copy(warm_library, tmp_path)
    write_config("[refresh]\non_start = true\n")
    with FeedServer() as server:
        add_subscription(mine, server.add_stall("/stall.xml", seconds=60))
        library = Library(mine, cache_dir=tmp_path / "cache", config=load_config())
        app = ReaderApp(library, remember=False, background_analysis=False, poll_seconds=None)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await settled(pilot, view=False)
                main = app.reader
                await waiter(pilot, lambda: server.requests, timeout=30, what="the stalled request")
                thread = main._refresh_thread
                assert thread is not None and thread.is_alive()
                await pilot.press("q")
            # The app is gone while the refresh still waits on the stalled feed: quitting did not
            # wait for it, and its thread does not hold the process open.
            assert app.return_code == 0
            assert thread.is_alive() and thread.daemon
        finally:
            library.close()
