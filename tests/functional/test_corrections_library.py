"""Corrections to stories through the Library: move, split, merge, kept across rescans, new
arrivals and a deleted cache (the decisions live in the library folder, .tuireader/stories.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tuireader.library import Library

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"

# Another version of the Dunmore plant fire (tests/data/stories/plant-fire), with its own wording,
# a reworded quote and a different evacuation figure.
FIRE_LATE = """---
outlet: Lakeview Record
url: https://lakeviewrecord.example/dunmore-fire-update
published: 2024-05-15
---
Dunmore residents wait to return home after Calloway Chemicals plant fire

Roughly 1,300 people evacuated after the fire at the Calloway Chemicals plant in Dunmore were still
waiting on Tuesday to learn when they could go back, as investigators searched the site.

"The fire was under control by four in the morning and nobody was seriously hurt," Dunmore Fire Chief
Dana Ruiz told reporters.

Calloway spokesman Tom Becker said the company would keep paying for hotel rooms, and Mayor Lena Ortiz
said the high school gym would stay open for families.
"""

# Another report of the Harlow Bridge closure (tests/data/stories/bridge).
BRIDGE_LATE = """---
outlet: Ridge Tribune
published: 2023-06-13
---
Harlow Bridge closure: repairs to steel beams push reopening to next year

Transport Secretary Maya Chen said the Harlow Bridge would stay shut until early next year while
crews replace its corroded steel beams, leaving drivers with a detour of some 40 miles.

"Safety comes first, whatever commuters say," Chen told reporters on Monday.
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    for path in sorted(STORIES.glob("*/*.txt")):
        shutil.copy2(path, root / path.name)
    return root


def open_library(root: Path, cache: Path) -> Library:
    lib = Library(root, cache_dir=cache)
    lib.scan()
    return lib


def stories_of(lib: Library) -> dict[str, set[str]]:
    return {sid: set(members) for sid, members in lib.story_groups().items()}


FIRE = {"harbor_times", "metro_wire", "river_courier", "valley_post"}
BRIDGE = {"capital_ledger", "lakeside_daily", "north_gazette"}


def test_the_seed_stories_cluster_as_written(folder, tmp_path):
    lib = open_library(folder, tmp_path / "cache")
    assert sorted(stories_of(lib).values(), key=sorted) == [BRIDGE, FIRE]
    lib.close()


def test_a_moved_version_stays_moved_through_rescans_new_arrivals_and_a_deleted_cache(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = open_library(folder, cache)
    story = lib.move_version("river_courier", "capital_ledger")  # by an article of the bridge story
    assert story == lib.story_of("capital_ledger") == "s_capital_ledger"
    assert stories_of(lib)["s_capital_ledger"] == BRIDGE | {"river_courier"}
    assert lib.search("Dunmore", story="s_capital_ledger")  # the search index follows too
    lib.close()

    (folder / "lakeview_record.txt").write_text(FIRE_LATE, encoding="utf-8")
    lib = open_library(folder, cache)  # incremental: one new version of the fire
    got = stories_of(lib)
    fire = lib.story_of("harbor_times")
    assert got[fire] == FIRE - {"river_courier"} | {"lakeview_record"}
    assert lib.story_of("river_courier") == "s_capital_ledger"
    lib.close()

    shutil.rmtree(cache)  # every derived file gone: the folder and its decisions remain
    lib = open_library(folder, cache)
    assert stories_of(lib) == got
    assert [d.action for d in lib.decisions.decisions] == ["move"]
    lib.close()


def test_a_version_moved_to_a_story_of_its_own_gets_a_stable_id(folder, tmp_path):
    lib = open_library(folder, tmp_path / "cache")
    story = lib.move_version("valley_post", "new")
    assert story == "s_valley_post" and stories_of(lib)[story] == {"valley_post"}
    with pytest.raises(ValueError):
        lib.move_version("valley_post", "new")  # it is one already
    lib.close()
    lib = open_library(folder, tmp_path / "other-cache")
    assert lib.story_of("valley_post") == "s_valley_post"
    lib.close()


def test_a_merge_stays_merged_and_takes_in_a_later_version(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = open_library(folder, cache)
    merged = lib.merge_stories("s_capital_ledger", "metro_wire")
    assert stories_of(lib) == {merged: BRIDGE | FIRE}
    lib.close()
    (folder / "lakeview_record.txt").write_text(FIRE_LATE, encoding="utf-8")
    lib = open_library(folder, cache)
    assert stories_of(lib) == {merged: BRIDGE | FIRE | {"lakeview_record"}}
    lib.close()


def test_a_split_stays_split_when_the_story_index_is_rebuilt(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = open_library(folder, cache)
    fire = lib.story_of("harbor_times")
    new = lib.split_story(fire, ["river_courier", "valley_post"])
    assert stories_of(lib)[new] == {"river_courier", "valley_post"}
    assert stories_of(lib)[lib.story_of("harbor_times")] == {"harbor_times", "metro_wire"}
    with pytest.raises(ValueError):
        lib.split_story(new, ["river_courier", "valley_post"])  # all of them: nothing would remain
    with pytest.raises(ValueError):
        lib.split_story(new, ["harbor_times"])  # not a version of that story
    before = stories_of(lib)
    lib.close()
    for path in cache.rglob("stories.sqlite*"):
        path.unlink()  # only the story index is rebuilt
    lib = open_library(folder, cache)
    assert stories_of(lib) == before
    lib.close()


def test_undo_takes_back_a_decision_and_the_clustering_answers_again(folder, tmp_path):
    lib = open_library(folder, tmp_path / "cache")
    lib.move_version("north_gazette", "new")
    lib.merge_stories("harbor_times", "capital_ledger")
    assert len(stories_of(lib)) == 2
    assert lib.undo_decision(1).action == "move"  # the first one, by number
    assert sorted(stories_of(lib).values(), key=sorted) == [BRIDGE | FIRE]
    assert lib.undo_decision().action == "merge"
    assert sorted(stories_of(lib).values(), key=sorted) == [BRIDGE, FIRE]
    assert lib.undo_decision() is None
    lib.close()


def test_decisions_about_removed_files_are_kept_stale_and_the_rest_applies(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = open_library(folder, cache)
    lib.move_version("river_courier", "new")
    lib.move_version("north_gazette", "harbor_times")
    lib.close()
    (folder / "river_courier.txt").unlink()
    lib = open_library(folder, cache)
    states = lib.story_decisions()
    assert [(s.status, s.missing) for s in states] == [("stale", ("river_courier",)), ("applied", ())]
    assert lib.story_of("north_gazette") == lib.story_of("harbor_times")
    data = json.loads(lib.decisions.path.read_text(encoding="utf-8"))
    assert len(data["decisions"]) == 2  # kept: the file may come back
    lib.close()


def test_a_damaged_decisions_file_is_one_line_and_the_library_goes_on(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = open_library(folder, cache)
    lib.move_version("north_gazette", "new")
    lib.close()
    path = folder / ".tuireader" / "stories.json"
    path.write_bytes(b"\x00\xffnot json")
    lib = Library(folder, cache_dir=cache)
    report = lib.scan()
    assert [p.where for p in report.problems] == [str(path)]
    assert "damaged" in report.problems[0].message
    assert sorted(stories_of(lib).values(), key=sorted) == [BRIDGE, FIRE]  # the clustering's own
    aside = list(path.parent.glob("stories.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"\x00\xffnot json"
    assert lib.scan().problems == []  # said once
    lib.close()


def test_a_decision_taken_by_another_process_reaches_an_open_library(folder, tmp_path):
    cache = tmp_path / "cache"
    reader = open_library(folder, cache)
    other = Library(folder, cache_dir=cache)
    other.scan()
    other.merge_stories("capital_ledger", "harbor_times")
    other.close()
    reader.scan()
    assert len(stories_of(reader)) == 1
    (folder / "ridge_tribune.txt").write_text(BRIDGE_LATE, encoding="utf-8")
    reader.scan()
    assert stories_of(reader) == {reader.story_of("capital_ledger"): BRIDGE | FIRE | {"ridge_tribune"}}
    reader.close()
