"""`r`/`R`: fetch the subscribed feeds in the background, then rescan; new articles join the list."""

from __future__ import annotations

import shutil

from feeds_server import FeedServer, serve_site

from tuireader.library import Library
from tuireader.sources.subscriptions import add_subscription
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


async def test_r_rescans_the_folder_and_lists_a_new_article(warm_library, tmp_path, settled, waiter):
    root, cache = warm_library
    mine = tmp_path / "articles"
    shutil.copytree(root, mine)
    shutil.copytree(cache, tmp_path / "cache")
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


async def test_shift_r_fetches_a_subscribed_feed_and_lists_its_articles(warm_library, tmp_path, settled, waiter):
    root, cache = warm_library
    mine = tmp_path / "articles"
    shutil.copytree(root, mine)
    shutil.copytree(cache, tmp_path / "cache")
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
                app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
                await pilot.press("o")
                assert opened == [main.text.article.url] and opened[0].startswith(server.base)
        finally:
            library.close()
