"""The list reads the library a page of stories at a time (issue 18): the first paint reads only the
newest stories, older ones load as the user moves down, and filters look further back on their own."""

from __future__ import annotations

import datetime

import pytest
from story_texts import one_version_story

from tuireader.tui.app import ReaderApp
from tuireader.tui.screens import main as main_screen

SIZE = (140, 24)
EXTRA = 40  # one-version stories added to the seed library, a day apart back from 2024-12-31 (newer than the seed)


def _article(i: int, outlet: str) -> str:
    return one_version_story(i, outlet, (datetime.date(2024, 12, 31) - datetime.timedelta(days=i)).isoformat())


@pytest.fixture
def paged_library(own_library, monkeypatch):
    """The seed library and EXTRA stories of one version each, older than the seed's; pages of
    five stories, so even this library takes several pages."""
    for i in range(EXTRA):
        outlet = "Far Back Gazette" if i >= EXTRA - 2 else "Paging Post"
        (own_library.root / f"9{i:02d}_extra.txt").write_text(_article(i, outlet), encoding="utf-8")
    own_library.scan()
    monkeypatch.setattr(main_screen, "FIRST_PAGE_STORIES", 5)
    monkeypatch.setattr(main_screen, "PAGE_STORIES", 5)
    return own_library


def _spy(monkeypatch, library) -> list[tuple[int, int]]:
    """(stories asked for, offset) of each page the reader reads; the whole list must never be read."""
    calls: list[tuple[int, int]] = []
    page = library.list_page

    def list_page(stories, offset=0, skip=(), include=()):  # noqa: ANN001, ANN202
        calls.append((stories, offset))
        return page(stories, offset, skip, include)

    def articles():  # noqa: ANN202
        raise AssertionError("the reader read every article of the library")

    monkeypatch.setattr(library, "list_page", list_page)
    monkeypatch.setattr(library, "articles", articles)
    return calls


async def test_the_list_reads_pages_as_the_cursor_moves_down(paged_library, settled, monkeypatch):
    calls = _spy(monkeypatch, paged_library)
    total = len(paged_library.summaries())
    app = ReaderApp(paged_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        lst = main.article_list
        assert calls[0] == (5, 0)  # the first paint: five stories
        shown = len(lst.selectable)
        assert shown < total and not main.all_loaded  # a screen or two of rows, not the library
        assert main._total == total
        latest: dict[str, str] = {}
        for summary in paged_library.summaries().values():
            sid = summary.story or summary.id
            latest[sid] = max(latest.get(sid, ""), summary.published or "")
        oldest = min(latest, key=lambda sid: latest[sid])  # the story whose newest version is oldest
        assert oldest not in {g.id for g in lst.groups}
        lst.focus()
        for _ in range(total + 5):
            await pilot.press("j")
            await pilot.pause()
        await settled(pilot, view=False)
        for _ in range(3):
            await pilot.press("end")
            await pilot.pause(0.1)
        assert main.all_loaded
        assert len(lst.selectable) == total
        assert lst.groups[-1].id == oldest  # the pages follow one another, newest to oldest
        assert [g.latest for g in lst.groups] == sorted((g.latest for g in lst.groups), reverse=True)
        assert len({s.id for s in main._all_summaries}) == total  # no row twice
        offsets = [offset for _stories, offset in calls]
        # Page by page, five stories at a time, each offset read. The scan that ends after the first
        # paint reads the list again from the top (another process may have regrouped it) and a page
        # read meanwhile is read again, so a few offsets come twice, never many.
        pages = (len(lst.groups) + 4) // 5
        assert sorted(set(offsets)) == list(range(0, 5 * pages, 5))
        assert len(calls) <= pages + 4


async def test_a_filter_looks_further_back_than_the_pages_read(paged_library, settled, monkeypatch):
    _spy(monkeypatch, paged_library)
    app = ReaderApp(paged_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        assert not any(s.outlet == "Far Back Gazette" for s in main._all_summaries)
        await pilot.press("f")
        await pilot.press(*"outlet:gazette", "enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if len(main.article_list.selectable) == 2:
                break
        assert [main.article_list.items[i].summary.outlet for i in main.article_list.selectable] \
            == ["Far Back Gazette", "Far Back Gazette"]


async def test_n_looks_further_back_than_the_pages_read_for_the_next_unread(paged_library, settled, monkeypatch):
    _spy(monkeypatch, paged_library)
    last = "939_extra"  # the oldest of the extra stories: the only unread article
    paged_library.mark_read([aid for aid in paged_library.summaries() if aid != last], True)
    app = ReaderApp(paged_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        assert last not in main.article_list.position
        await pilot.press("N")
        for _ in range(200):
            await pilot.pause(0.05)
            if main.current_id == last:
                break
        assert main.current_id == last
        assert main.article_list.cursor_id == last  # the list shows where it is
        await pilot.press("N")  # nothing else unread: said, and the reader stays put
        await pilot.pause(0.2)
        assert main.current_id == last
        assert any(n.message == "No unread articles." for n in app._notifications)
