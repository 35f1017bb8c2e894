"""Revisions in the Library: an article stored in three revisions is one version of its outlet
(the latest), in the list, the stories and the story alignment; the older revisions stay in the
folder untouched and are listed by `Library.revisions`."""

from __future__ import annotations

from pathlib import Path

import pytest
from revision_story import FIRST, OTHERS, write_story

from tuireader.library import Library

LATEST = f"{FIRST}-r3"


@pytest.fixture()
def lib_dir(tmp_path: Path) -> Path:
    return write_story(tmp_path / "lib")


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_three_revisions_are_one_version_and_the_latest_stands_for_it(lib_dir: Path, tmp_path: Path) -> None:
    before = files(lib_dir)
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    rows = lib.articles()
    assert sorted(r.id for r in rows) == sorted([LATEST, *OTHERS])  # 3 versions, not 5
    by_id = {r.id: r for r in rows}
    assert by_id[LATEST].revisions == 3
    assert by_id[LATEST].title == "Ferry with 260 passengers runs aground in fog"
    assert all(by_id[o].revisions == 1 for o in OTHERS)
    story = lib.story(lib.story_of(LATEST), with_discrepancies=False)
    assert sorted(story.articles) == sorted([LATEST, *OTHERS])
    assert story.outlets.count("Harbour Times") == 1
    assert "260 passengers" in lib.article(LATEST).text
    assert files(lib_dir) == before  # nothing in the folder is modified


def test_revisions_lists_every_revision_from_any_of_their_ids(lib_dir: Path, tmp_path: Path) -> None:
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    for given in (FIRST, f"{FIRST}-r2", LATEST):
        revs = lib.revisions(given)
        assert [r.number for r in revs] == [1, 2, 3]
        assert [r.article for r in revs] == [FIRST, f"{FIRST}-r2", LATEST]
    revs = lib.revisions(LATEST)
    assert revs[0].changed is None and revs[0].fetched is None
    assert revs[1].changed == 1  # "230" -> "245" in the lead
    assert revs[2].changed == 1 + 12  # the number, and a sentence of twelve words added
    assert revs[1].fetched == "2024-05-14T22:10:00+00:00"
    assert revs[2].words == revs[1].words + 12
    assert "230 passengers" in lib.article(FIRST).text  # the old revision is still readable
    assert [r.number for r in lib.revisions(OTHERS[0])] == [1]
    with pytest.raises(KeyError):
        lib.revisions("20240514_ffffffffffffffff")


def test_search_finds_only_the_latest_revision(lib_dir: Path, tmp_path: Path) -> None:
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    hits = lib.search("ferry carrying passengers ran aground")
    assert {h.article for h in hits} & {FIRST, f"{FIRST}-r2"} == set()
    assert LATEST in {h.article for h in hits}


def test_a_new_revision_arriving_replaces_the_old_one_and_removing_it_brings_it_back(tmp_path: Path) -> None:
    lib_dir = write_story(tmp_path / "lib")
    latest = lib_dir / f"{LATEST}.txt"
    held = latest.read_bytes()
    latest.unlink()
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    assert f"{FIRST}-r2" in lib.summaries() and lib.summaries()[f"{FIRST}-r2"].revisions == 2
    latest.write_bytes(held)  # revision 3 arrives
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    assert sorted(lib.summaries()) == sorted([LATEST, *OTHERS])
    assert lib.story_of(LATEST) == lib.story_of(OTHERS[0])
    members = lib.story_groups()[lib.story_of(LATEST)]
    assert f"{FIRST}-r2" not in members
    page, _total = lib.first_page()
    assert sorted(s.id for s in page) == sorted([LATEST, *OTHERS])
    assert {s.id: s.revisions for s in page}[LATEST] == 3
    latest.unlink()  # and goes again: revision 2 is the latest once more
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    assert sorted(lib.summaries()) == sorted([f"{FIRST}-r2", *OTHERS])
    assert f"{FIRST}-r2" in lib.story_groups()[lib.story_of(OTHERS[0])]
    assert {h.article for h in lib.search("ferry carrying passengers ran aground")} & {f"{FIRST}-r2"}


def test_a_rebuild_keeps_one_version_per_revised_article(lib_dir: Path, tmp_path: Path) -> None:
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    lib.rebuild()
    assert sorted(lib.summaries()) == sorted([LATEST, *OTHERS])
    assert sorted(lib.story_groups()[lib.story_of(LATEST)]) == sorted([LATEST, *OTHERS])
