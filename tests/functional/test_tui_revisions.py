"""The reader marks a version that has revisions: "revised 2×" in the info pane and ✎2 on its list
row, from the Library's summary (the latest of three revisions stands for the article); a version
never revised has no marker."""

from __future__ import annotations

from pathlib import Path

from revision_story import FIRST, OTHERS, write_story

from tuireader.library import Library
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)
LATEST = f"{FIRST}-r3"


async def test_a_revised_version_is_marked_in_the_info_pane_and_its_list_row(tmp_path: Path, settled, waiter,
                                                                            screen) -> None:  # fmt: skip
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False, background_analysis=False, poll_seconds=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot, view=False)
            main = app.reader
            rows = [main.article_list.items[i].summary.id for i in main.article_list.selectable]
            assert sorted(rows) == sorted([LATEST, *OTHERS])  # three versions, not five
            main.open_article(LATEST)
            await waiter(pilot, lambda: main.text.article is not None and main.text.article.id == LATEST,
                         what="the revised version")  # fmt: skip
            await pilot.pause()
            shown = screen(app)
            assert "revised 2×" in shown
            assert "revisions revised 2×  latest of 3" in shown
            assert "260 passengers" in shown
            row = next(line for line in shown.splitlines() if "Harbour Times" in line and "✎" in line)
            assert "✎2" in row
            main.open_article(OTHERS[0])
            await waiter(pilot, lambda: main.text.article is not None and main.text.article.id == OTHERS[0],
                         what="a version never revised")  # fmt: skip
            await pilot.pause()
            assert "revised" not in screen(app)
    finally:
        lib.close()
