"""Reading state in the reader: unread dots and counts, N/P, m, A, "new" markers, live folder."""

from __future__ import annotations

from story_texts import ferry

from tuireader.library import Library
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


def ids_in_order(main) -> list[str]:
    lst = main.article_list
    return [lst.items[i].summary.id for i in lst.selectable]


async def test_enter_marks_read_previews_do_not_and_the_story_counts_unread(own_library, settled, waiter, screen):
    app = ReaderApp(own_library, remember=False, background_analysis=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        order = ids_in_order(main)
        assert main.article_list.read == set()  # the reopened article at start-up is not "read"
        assert f"{len(order)} versions ●{len(order)}" in screen(app)
        await pilot.press("down")  # a preview
        await waiter(pilot, lambda: main.current_id == order[1], what="the preview")
        assert order[1] not in main.article_list.read
        await pilot.press("enter")
        assert main.article_list.read == {order[1]}
        assert f"●{len(order) - 1}" in screen(app)
        await waiter(pilot, lambda: own_library.read_ids() == {order[1]}, what="the state file")
    # A new Library on the same folder (as after a restart or a cache rebuild) knows it.
    again = Library(own_library.root, cache_dir=own_library.cache_dir / "elsewhere")
    assert again.read_ids() == {order[1]}


async def test_N_P_walk_unread_articles_m_toggles_and_A_marks_the_story(own_library, settled, waiter):
    app = ReaderApp(own_library, remember=False, background_analysis=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        order = ids_in_order(main)
        main.mark_read([order[1], order[2]], True)
        await pilot.press("N")  # from the first: the next unread skips the two read ones
        assert main.current_id == order[3]
        assert order[3] in main.article_list.read
        await pilot.press("P")
        assert main.current_id == order[0]
        await pilot.press("m")  # read -> unread
        assert order[0] not in main.article_list.read
        await pilot.press("m")
        assert order[0] in main.article_list.read
        await pilot.press("A")
        assert main.article_list.read == set(order)
        await pilot.press("N")
        assert "No unread articles." in [n.message for n in app._notifications]
        await waiter(pilot, lambda: own_library.read_ids() == set(order), what="the state file")


async def test_a_file_ingested_elsewhere_appears_marked_new(own_library, settled, waiter, screen):
    app = ReaderApp(own_library, remember=False, background_analysis=False, poll_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        before = set(main.article_list.position)
        source = own_library.root.parent / "incoming.txt"
        source.write_text(ferry("Harbor Times", "harbor.example", "about 4,000"), encoding="utf-8")
        # Another process: its own Library adds (and catalogues) the file.
        other = Library(own_library.root, cache_dir=own_library.cache_dir)
        report = other.ingest([str(source)])
        other.close()
        assert len(report.added) == 1
        aid = report.added[0]
        await waiter(pilot, lambda: aid in main.article_list.position, timeout=30, what="the new article listed")
        assert set(main.article_list.position) == before | {aid}
        assert main.article_list.new == {aid}
        shown = screen(app)
        assert "Harbor Times" in shown and " new" in shown
        assert "1 new" in str(main.status.query_one("#status-text").render())


async def test_r_with_no_feeds_rescans_the_folder(own_library, settled, waiter):
    app = ReaderApp(own_library, remember=False, background_analysis=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        (own_library.root / "950_coast.txt").write_text(ferry("Coast Daily", "coast.example", "5,000"),
                                                       encoding="utf-8")
        await pilot.press("r")
        await waiter(pilot, lambda: "950_coast" in main.article_list.position, timeout=30, what="the rescan")
        assert not any("No feeds subscribed. Add" in n.message for n in app._notifications)


async def test_another_processes_ingest_regroups_the_story_in_the_open_reader(own_library, settled, waiter, screen):
    """The poll reads the stories another process's ingest made: a second version joins the
    first one's story (the list shows one story of two), a new story stands alone."""
    (own_library.root / "950_harbor.txt").write_text(ferry("Harbor Times", "harbor.example", "4,000"),
                                                     encoding="utf-8")
    app = ReaderApp(own_library, remember=False, background_analysis=False, poll_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        assert len(main.article_list.story_versions("950_harbor")) == 1
        source = own_library.root.parent / "coast.txt"
        source.write_text(ferry("Coast Daily", "coast.example", "5,000"), encoding="utf-8")
        other = Library(own_library.root, cache_dir=own_library.cache_dir)
        aid = other.ingest([str(source)]).added[0]
        other.close()
        await waiter(pilot, lambda: set(main.article_list.story_versions("950_harbor")) == {"950_harbor", aid},
                     timeout=30, what="the new version in the ferry story")
        group = main.article_list.group_of(aid)
        assert group is not None and "2 versions" in screen(app)
        # The Library answers for it too: its story, and the other version beside it.
        assert set(own_library.story(own_library.story_of(aid), with_discrepancies=False).articles) == \
            {"950_harbor", aid}
