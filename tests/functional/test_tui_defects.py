"""Defects seen on screen (issue 15), each pinned by a test that failed before its fix."""

from __future__ import annotations

from tuireader.tui.app import ReaderApp

SIZE = (140, 40)


def meta_styles(app) -> list[tuple[str, str]]:  # noqa: ANN001
    """(text, style) of every segment the info pane paints in its visible lines."""
    meta = app.reader.meta
    out = []
    for y in range(min(meta.size.height, 30)):
        for seg in meta.render_line(y):
            if seg.text.strip():
                out.append((seg.text, str(seg.style)))
    return out


async def test_switching_theme_at_run_time_repaints_the_info_pane_like_a_fresh_start(library, settled):
    fresh = ReaderApp(library, remember=False, poll_seconds=None)
    async with fresh.run_test(size=SIZE) as pilot:
        fresh.theme = "textual-light"
        await settled(pilot)
        await pilot.pause()
        expected = meta_styles(fresh)
    switched = ReaderApp(library, remember=False, poll_seconds=None)
    async with switched.run_test(size=SIZE) as pilot:
        await settled(pilot)
        switched.theme = "textual-light"
        for _ in range(5):
            await pilot.pause()
        assert meta_styles(switched) == expected


import pytest  # noqa: E402


@pytest.mark.parametrize(("size", "keys"), [(SIZE, ()), ((100, 30), ("i",)), ((60, 24), ("i",))])
async def test_the_info_pane_wraps_to_the_width_left_beside_its_scrollbar(own_library, settled, size, keys):
    from rich.cells import cell_len
    from story_texts import ferry

    url = "https://ch9.example/dunmore-fire-" + "-".join(["update"] * 8)
    text = ferry("Channel Nine", "ch9.example", "4,000").replace("https://ch9.example/ferry-strike", url)
    (own_library.root / "950_ch9.txt").write_text(text, encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=size) as pilot:
        await settled(pilot, view=False)
        app.reader.open_article("950_ch9")
        await settled(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        meta = app.reader.meta
        assert meta.show_vertical_scrollbar  # the case that lost a character
        room = meta.scrollable_content_region.width
        for line, _entry in meta._lines:
            assert 1 + cell_len(line.plain) <= room, line.plain  # 1: the selection bar's column
        shown = "".join(line.plain.strip() for line, _ in meta._lines)
        assert url in shown


async def test_an_outlet_with_two_versions_is_named_once_with_a_count(own_library, settled, screen):
    from story_texts import ferry

    root = own_library.root
    (root / "950_harbor.txt").write_text(ferry("Harbor Times", "harbor.example", "4,000"), encoding="utf-8")
    (root / "951_harbor.txt").write_text(ferry("Harbor Times", "harbor.example", "about 4,000"), encoding="utf-8")
    (root / "952_coast.txt").write_text(ferry("Coast Daily", "coast.example", "5,000"), encoding="utf-8")
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, view=False)
        app.reader.open_article("952_coast")
        await settled(pilot)
        shown = screen(app)
        assert "3 versions: also Harbor Times (2)" in shown
        assert "Harbor Times, Harbor Times" not in shown


async def test_the_message_naming_unreadable_files_outlasts_the_background_linking(own_library, settled, waiter):
    (own_library.root / "960_broken.txt").write_bytes(b"\x00\x01\x02" * 200)
    app = ReaderApp(own_library, remember=False, poll_seconds=None, background_analysis=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader

        def status() -> str:
            return str(main.status.query_one("#status-text").render())

        await waiter(pilot, lambda: "all versions linked" in status(), timeout=30, what="the linking to end")
        assert "960_broken.txt" in status() and "could not be read" in status()


async def test_tab_reaches_quotes_and_differences_before_names(make_app, settled):
    app = make_app(remember=False, poll_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = app.reader
        hs = main.text.highlights
        quotes = [i for i, h in enumerate(hs) if h.stop and h.kind != "entity"]
        names = [i for i, h in enumerate(hs) if h.stop and h.kind == "entity"]
        assert quotes and names and names[0] < quotes[0]  # the text names someone before its first quote
        visited = []
        for _ in range(len(quotes) + len(names)):
            await pilot.press("tab")
            visited.append(main.text.cursor)
        assert visited[: len(quotes)] == quotes  # every quote and difference first, in text order
        assert sorted(visited[len(quotes):]) == names  # then the names
        await pilot.press("tab")
        assert main.text.cursor == quotes[0]  # round again
        await pilot.press("shift+tab")
        assert main.text.cursor == names[-1]


async def test_lines_that_bring_the_scrollbar_are_wrapped_again_beside_it(tmp_path, settled):
    """The info pane had no scrollbar until the new article's lines arrived: they were wrapped to
    the width without it, and each full line lost its last character under it
    (`https://ch9.example/dun` / `ore-fire`)."""
    from rich.cells import cell_len

    url = "https://ch9.example/dunmore-fire-crews-battle-blaze-near-reservoir-for-third-day-as-winds-rise"
    body = "\n\n".join(f"Paragraph {i} about the fire near the reservoir, with residents told to stay alert."
                       for i in range(8))
    from tuireader.library import Library

    root = tmp_path / "articles"
    root.mkdir()
    (root / "950_ch9.txt").write_text(
        f"---\noutlet: Channel Nine\nurl: {url}\npublished: 2026-11-30\n---\n"
        "Dunmore fire crews battle blaze near reservoir\n\n"
        "Fire crews in Dunmore fought a blaze near the reservoir for a third day, officials said.\n\n"
        f'"We are doing everything we can," said fire chief Ana Ruiz.\n\n{body}\n', encoding="utf-8")
    library = Library(root, cache_dir=tmp_path / "cache")
    app = ReaderApp(library, remember=False, poll_seconds=None, background_analysis=False)
    async with app.run_test(size=(120, 30)) as pilot:  # the only article: open from the start
        await settled(pilot, timeout=120)
        meta = app.reader.meta
        assert meta.show_vertical_scrollbar
        room = meta.scrollable_content_region.width
        for y in range(min(meta.size.height, len(meta._lines))):
            want = meta._lines[y + int(meta.scroll_y)][0].plain.rstrip()
            assert 1 + cell_len(want) <= room, want
            painted = "".join(seg.text for seg in meta.render_line(y))[1:].rstrip()
            assert painted == want  # every character painted, none under the scrollbar
    library.close()
