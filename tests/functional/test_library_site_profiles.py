"""Site profiles in the Library: furniture a host repeats is dropped, whatever order files came in."""

from __future__ import annotations

from pathlib import Path

from tuireader.library import Library

DISCLAIMER = (
    "The information published on this website is provided for general purposes only and does not "
    "constitute advice of any kind; the publisher accepts no liability for any loss that may arise from "
    "reliance on it, and all content remains the property of its respective owners."
)
ABOUT = (
    "The Brindlewick Post has reported on the towns and villages of the river valley since 1894 and is "
    "owned by a trust that reinvests all of its income in local journalism, training and events."
)
STORIES = {
    "bridge": "The council of Brindlewick voted on Tuesday to rebuild the old stone bridge over the river, "
    "ending a dispute that had divided the town for almost three years.",
    "festival": "The annual river festival will return in June after a two-year break, the organisers said "
    "on Monday, with boat races, a market and a concert on the meadow by the old mill.",
    "bakery": "A local bakery has won a regional prize for its rye loaf, beating more than forty entries "
    "from across the county at a competition held in the market hall on Saturday.",
}


def write_page(folder: Path, name: str) -> None:
    body = "\n".join(
        ["Home", "Local", "Sport", STORIES[name], "Share this story", ABOUT, DISCLAIMER, "Contact us"]
    )
    header = f"---\nurl: https://www.brindlewick-post.example/{name}\n---\n"
    (folder / f"{name}.txt").write_text(header + body, encoding="utf-8")


def texts(folder: Path, cache: Path) -> dict[str, str]:
    lib = Library(folder, cache_dir=cache)
    lib.scan(index=False)
    return {name: lib.article(name).text for name in sorted(lib.summaries())}


def test_furniture_repeated_by_a_host_is_dropped(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in STORIES:
        write_page(folder, name)
    got = texts(folder, tmp_path / "c")
    assert got == STORIES  # each page's own story, nothing of the site's boilerplate


def test_result_is_the_same_whatever_was_scanned_before(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write_page(folder, "bridge")
    first = texts(folder, tmp_path / "c")
    assert first["bridge"] != STORIES["bridge"]  # alone, the page cannot tell its boilerplate apart
    for name in ("festival", "bakery"):
        write_page(folder, name)
        incremental = texts(folder, tmp_path / "c")  # the bridge page is unchanged, its profile not
        assert incremental == texts(folder, tmp_path / f"fresh-{name}")
    assert incremental == STORIES
    (folder / "bakery.txt").unlink()
    (folder / "festival.txt").unlink()
    assert texts(folder, tmp_path / "c") == texts(folder, tmp_path / "fresh-alone") == first
