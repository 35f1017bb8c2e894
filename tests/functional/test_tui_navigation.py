"""Moving through the library: the list, opening versions, n/p and ]/[, sorting, mouse clicks."""

from __future__ import annotations

from tuireader.tui.app import ReaderApp
from tuireader.tui.widgets.article_list import ArticleList
from tuireader.tui.widgets.article_text import ArticleText

SIZE = (140, 40)


async def test_list_shows_the_story_with_its_versions_and_opens_the_first(make_app, settled, screen):
    app: ReaderApp = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        groups = main.article_list.groups
        versions = [s.id for g in groups for s in g.versions]
        assert sorted(versions) == sorted(s.id for s in main.library.articles())
        multi = [g for g in groups if len(g.versions) > 1]
        assert multi, "the seed articles are versions of one story"
        assert main.current_id == main.article_list.items[main.article_list.selectable[0]].summary.id
        shown = screen(app)
        assert f"{len(multi[0].versions)} versions" in shown
        assert main.current_article.title[:30] in shown  # the open article's title in the text pane


async def test_arrows_and_jk_move_through_the_list_and_enter_opens(make_app, settled, waiter):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        lst = main.article_list
        order = [lst.items[i].summary.id for i in lst.selectable]
        assert app.focused is lst
        await pilot.press("down")
        assert lst.cursor_id == order[1]
        await pilot.press("j")
        assert lst.cursor_id == order[2]
        await pilot.press("k")
        assert lst.cursor_id == order[1]
        await pilot.press("up", "j", "j")
        assert lst.cursor_id == order[2]
        # Resting on a row previews that version; the list keeps the focus.
        await waiter(pilot, lambda: main.current_id == order[2], what="the preview")
        await settled(pilot)
        assert main.text.article.id == order[2]
        assert app.focused is lst
        await pilot.press("enter")
        assert main.current_id == order[2]
        assert isinstance(app.focused, ArticleText)
        await pilot.press("escape")
        assert app.focused is lst


async def test_n_p_and_brackets_walk_the_versions_of_the_story(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        versions = main.article_list.story_versions(main.current_id)
        assert len(versions) >= 3
        start = versions.index(main.current_id)
        await pilot.press("n")
        assert main.current_id == versions[(start + 1) % len(versions)]
        await pilot.press("right_square_bracket")
        assert main.current_id == versions[(start + 2) % len(versions)]
        await pilot.press("p")
        assert main.current_id == versions[(start + 1) % len(versions)]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert main.current_id == versions[(start - 1) % len(versions)]  # wraps round
        await settled(pilot)
        assert main.text.article.id == main.current_id
        assert main.article_list.open_id == main.current_id
        # The text pane shows the new version's own title.
        assert main.text.article.title == main.library.article(main.current_id).title


async def test_s_sorts_versions_by_outlet_and_back_by_date(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        group = next(g for g in main.article_list.groups if len(g.versions) > 1)
        by_date = [s.id for s in group.versions]
        await pilot.press("s")
        group = next(g for g in main.article_list.groups if g.id == group.id)
        names = [main.outlet_names()[s.id] for s in group.versions]
        stated = [(s.outlet or "").lower() for s in group.versions if s.outlet]
        assert stated == sorted(stated)  # outlets alphabetically, unknown outlets last
        assert all(s.outlet for s in group.versions[: len(stated)])
        assert len(names) == len(by_date)
        await pilot.press("s")
        group = next(g for g in main.article_list.groups if g.id == group.id)
        assert [s.id for s in group.versions] == by_date


async def test_clicking_a_version_in_the_list_opens_it(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        lst: ArticleList = main.article_list
        target_item = lst.selectable[2]
        target = lst.items[target_item].summary.id
        row = lst.first_line[target_item] - int(lst.scroll_y)
        await pilot.click(ArticleList, offset=(6, row))
        await settled(pilot)
        assert main.current_id == target
        assert main.text.article.id == target


async def test_narrow_terminals_hide_the_info_pane_until_i_shows_it(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        main = app.reader
        assert main.article_list.region.width > 0 and main.text.region.width >= 40
        assert main.meta.region.width == 0  # no room: hidden
        await pilot.press("i")
        await pilot.pause()
        assert main.meta.region.width > 0 and main.article_list.region.width == 0  # in place of the list
        await pilot.press("i")
        await pilot.pause()
        assert main.meta.region.width == 0 and main.article_list.region.width > 0


async def test_i_hides_and_shows_the_info_pane_on_wide_terminals(make_app, settled):
    app = make_app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        wide_text = main.text.region.width
        assert main.meta.region.width > 0
        await pilot.press("i")
        await pilot.pause()
        assert main.meta.region.width == 0 and main.text.region.width > wide_text
        await pilot.press("i")
        await pilot.pause()
        assert main.meta.region.width > 0
