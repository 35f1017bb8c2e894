"""The reader's revision screen (`d`): the word diff between two revisions of a version its outlet
edited, picked with keys, and an older revision read in the reader, aligned with the other
outlets' versions as it stands (tests/functional/revision_story.py: 230, 245, 260 passengers)."""

from __future__ import annotations

from pathlib import Path

from revision_story import FIRST, OTHERS, harbour, write_story

from tuireader.library import Library
from tuireader.tui.app import ReaderApp
from tuireader.tui.screens.compare import CompareScreen
from tuireader.tui.screens.revisions import RevisionScreen
from tuireader.tui.widgets.compare_view import CompareView

SIZE = (140, 40)
LATEST = f"{FIRST}-r3"


def painted(side, name: str) -> list[str]:
    """The words of one side of the view painted as `name` (cmp--old: taken out, cmp--new: put in)."""
    return [side.article.text[s:e] for s, e, n in side.spans if n == name]


async def open_reader(pilot, app, settled, waiter, article: str) -> None:
    await settled(pilot, view=False)
    app.reader.open_article(article)
    await waiter(pilot, lambda: app.reader.text.article is not None and app.reader.text.article.id == article,
                 what=f"{article} in the reader")  # fmt: skip


async def diff_shown(pilot, app, waiter) -> CompareView:
    await waiter(pilot, lambda: isinstance(app.screen, RevisionScreen) and app.screen.ready, what="the revision diff")
    await pilot.pause()
    return app.screen.query_one(CompareView)


async def test_d_shows_what_the_latest_revision_changed_and_keys_pick_other_revisions(tmp_path: Path, settled,
                                                                                   waiter, screen) -> None:  # fmt: skip
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, LATEST)
            await pilot.press("d")
            view = await diff_shown(pilot, app, waiter)
            shown = screen(app)
            assert "Revisions  Harbour Times  2 ⟶ 3 of 3" in shown
            assert "Revision 2 of 3 · fetched 2024-05-14 22:10 UTC" in shown
            assert "Revision 3 of 3 · fetched 2024-05-15 07:30 UTC" in shown
            assert view.left.article.id == f"{FIRST}-r2" and view.right.article.id == LATEST
            assert painted(view.left, "cmp--old") == ["245"]
            assert painted(view.right, "cmp--new") == [
                "260", "The operator said it would pay for hotel rooms for stranded travellers"]
            assert sum(1 for r in view.rows if r.shared and r.kind == "same") == 2  # untouched paragraphs

            await pilot.press("p")  # both sides one older: 1 ⟶ 2
            view = await diff_shown(pilot, app, waiter)
            assert "1 ⟶ 2 of 3" in screen(app)
            assert painted(view.left, "cmp--old") == ["230"] and painted(view.right, "cmp--new") == ["245"]
            await pilot.press("p")  # there is none older: nothing moves
            await pilot.pause()
            assert (view.left.article.id, view.right.article.id) == (FIRST, f"{FIRST}-r2")

            await pilot.press("n", "less_than_sign")  # 2 ⟶ 3, then the left side older: 1 ⟶ 3
            view = await diff_shown(pilot, app, waiter)
            await waiter(pilot, lambda: view.left is not None and view.left.article.id == FIRST, what="1 ⟶ 3")
            assert painted(view.left, "cmp--old") == ["230"]
            assert painted(view.right, "cmp--new")[0] == "260"
            assert "1 ⟶ 3 of 3" in screen(app)

            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.reader
    finally:
        lib.close()


async def test_the_revision_screen_names_the_figures_changed_between_the_two_shown(tmp_path: Path, settled,
                                                                                  waiter, screen) -> None:  # fmt: skip
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, LATEST)
            await pilot.press("d")
            await diff_shown(pilot, app, waiter)
            await waiter(pilot, lambda: "Figures changed" in screen(app), what="the changed figures")
            shown = screen(app)
            assert "r2 → r3: passengers 245 → 260" in shown
            assert "230" not in shown.split("Figures changed", 1)[1].split("\n", 1)[0]  # 1 -> 2 is not shown here

            await pilot.press("less_than_sign")  # 1 ⟶ 3: both steps
            await waiter(pilot, lambda: "r1 → r2: passengers 230 → 245" in screen(app), what="both steps")
            assert "r2 → r3: passengers 245 → 260" in screen(app)
    finally:
        lib.close()


async def test_an_older_revision_read_from_the_diff_is_aligned_with_the_other_outlets(tmp_path: Path, settled,
                                                                                   waiter, screen) -> None:  # fmt: skip
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, LATEST)
            main = app.reader
            await pilot.press("d")
            await diff_shown(pilot, app, waiter)
            await pilot.press("p")
            await diff_shown(pilot, app, waiter)
            await waiter(pilot, lambda: app.screen.left == 0, what="1 ⟶ 2")
            await pilot.press("enter")  # read the left one: revision 1
            await waiter(pilot, lambda: main.text.article is not None and main.text.article.id == FIRST,
                         what="revision 1 in the reader")  # fmt: skip
            await waiter(pilot, lambda: main.current_view is not None and main.current_view.article.id == FIRST,
                         what="its links")  # fmt: skip
            await pilot.pause()
            shown = screen(app)
            assert "A ferry carrying 230 passengers" in shown
            assert "revisions revision 1 of 3," in shown and "fetched when first" in shown  # the info pane says which
            assert "revised 2×" not in shown
            # the story's other versions are linked to the revision being read
            view = main.current_view
            assert view.story is not None and set(view.story.articles) == {FIRST, *OTHERS}
            assert any(m.article in OTHERS for q in view.quotes for m in q.matches)
            assert main.all_highlights  # quotes and names other outlets share, on revision 1's text

            await pilot.press("c")  # compare it with another outlet: the older revision on the left
            await waiter(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready, what="compare")
            assert app.screen.left_id == FIRST and app.screen.right_id in OTHERS
            assert "Harbour Times, revision 1 of 3" in screen(app)
            await pilot.press("escape")
            await waiter(pilot, lambda: app.screen is main, what="back in the reader")

            await pilot.press("d")  # from the older revision: it against the latest
            view = await diff_shown(pilot, app, waiter)
            assert (view.left.article.id, view.right.article.id) == (FIRST, LATEST)
            await pilot.press("O")  # read the right one: back to the latest
            await waiter(pilot, lambda: main.text.article is not None and main.text.article.id == LATEST,
                         what="the latest again")  # fmt: skip
            await pilot.pause()
            shown = screen(app)
            assert "revised 2×" in shown and "revision 1 of 3" not in shown
            main.open_article(FIRST, read=False)  # the older revision again: n goes on through the story
            await waiter(pilot, lambda: main.text.article is not None and main.text.article.id == FIRST,
                         what="revision 1 again")  # fmt: skip
            await pilot.press("n")
            await waiter(pilot, lambda: main.current_id in OTHERS, what="the next version of the story")
    finally:
        lib.close()


async def test_a_version_never_revised_has_no_revision_screen(tmp_path: Path, settled, waiter) -> None:
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, OTHERS[0])
            await pilot.press("d")
            await pilot.pause()
            assert app.screen is app.reader
            assert any("One revision only" in str(n.message) for n in app._notifications)
    finally:
        lib.close()


async def test_revision_text_is_shown_as_text_not_markup(tmp_path: Path, settled, waiter, screen) -> None:
    root = write_story(tmp_path / "lib")
    (root / f"{FIRST}-r4.txt").write_text(
        harbour(260, 4, "2024-05-15T09:00:00+00:00", " [red]Update[/] \x1b[31mred\x1b[0m [link=x]here[/link]."),
        encoding="utf-8")  # fmt: skip
    lib = Library(root, cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, f"{FIRST}-r4")
            await pilot.press("d")
            view = await diff_shown(pilot, app, waiter)
            assert view.right.article.id == f"{FIRST}-r4"
            shown = screen(app)
            assert "[red]Update[/]" in shown and "[link=x]here[/link]" in shown
            assert "\x1b" not in shown
    finally:
        lib.close()


async def test_the_palette_opens_the_revision_diff(tmp_path: Path, settled, waiter) -> None:
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_reader(pilot, app, settled, waiter, LATEST)
            await pilot.press("ctrl+p")
            await pilot.press(*"what changed in this version")
            await pilot.pause(0.3)
            await pilot.press("enter")
            view = await diff_shown(pilot, app, waiter)
            assert (view.left.article.id, view.right.article.id) == (f"{FIRST}-r2", LATEST)
    finally:
        lib.close()
