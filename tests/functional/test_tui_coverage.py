"""`t`: the coverage of the open story: who published when, who was first, what each shares."""

from __future__ import annotations

from story_texts import ferry

from tuireader.tui.app import ReaderApp
from tuireader.tui.screens.coverage import CoverageScreen


async def test_t_shows_who_published_when_and_who_was_first(own_library, settled, waiter, screen):
    root = own_library.root
    early = ferry("Harbor Times", "harbor.example", "4,000").replace("2026-11-30", "2026-11-30T06:00:00Z")
    late = ferry("Coast Daily", "coast.example", "5,000").replace("2026-11-30", "2026-11-30T18:00:00Z")
    (root / "950_harbor.txt").write_text(early, encoding="utf-8")
    (root / "951_coast.txt").write_text(late, encoding="utf-8")
    (root / "952_harbor.txt").write_text(early.replace("4,000", "about 4,000"), encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, view=False)
        main = app.reader
        main.open_article("951_coast")
        await settled(pilot)
        await pilot.press("t")
        await waiter(pilot, lambda: isinstance(app.screen, CoverageScreen) and app.screen.export is not None,
                     timeout=30, what="the coverage")
        shown = screen(app)
        assert "3 versions from 2 outlets: Harbor Times (2), Coast Daily" in shown
        assert "First reported by Harbor Times (2) on 2026-11-30 06:00 UTC" in shown
        rows = [line for line in shown.splitlines() if "2026-11-30 " in line and "█" in line]
        assert len(rows) == 3
        coast = next(r for r in rows if "Coast Daily" in r)
        assert "●" in coast and "★" not in coast  # later, on the right end of the track
        counts = own_library.coverage(own_library.story_of("951_coast"))["951_coast"]
        assert f"{counts['shared']}/{counts['reworded']}/{counts['only here']}" in coast
        await pilot.press("escape")
        assert not isinstance(app.screen, CoverageScreen)
