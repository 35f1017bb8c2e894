"""A story index of another clustering version (or a deleted one) is rebuilt by the next scan, with progress."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tuireader.library import Library

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))


def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in SEEDS:
        shutil.copy2(f, folder / f.name)
    return folder


def _groups(lib: Library) -> dict[str, str | None]:
    return {s.id: s.story for s in lib.articles()}


def test_an_older_clustering_version_is_regrouped_on_the_next_scan_with_progress(tmp_path):
    folder = _library(tmp_path)
    lib = Library(folder, cache_dir=tmp_path / "c")
    lib.scan()
    before = _groups(lib)
    assert any(sum(1 for s in before.values() if s == story) > 1 for story in before.values())
    path = lib.state_dir / "stories.sqlite"
    lib.close()
    with sqlite3.connect(path) as db:  # what an older release left behind
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'version'")

    lib = Library(folder, cache_dir=tmp_path / "c")
    seen: list[tuple[int, int, str]] = []
    lib.scan(progress=lambda done, total, what: seen.append((done, total, what)))
    assert _groups(lib) == before
    assert all(lib.story_index_lookup(aid) == story for aid, story in before.items())
    assert (len(SEEDS), len(SEEDS), "grouping stories") in seen
    added = tmp_path / "late.txt"
    added.write_text("---\ntitle: Storm closes mountain pass\n---\nHeavy rain closed the mountain pass "
                     "north of Granite Falls on Thursday, said highway supervisor Dana Whitlock.\n", encoding="utf-8")
    lib.ingest([str(added)])  # and the rebuilt index goes on working
    assert len(_groups(lib)) == len(SEEDS) + 1
    lib.close()


def test_a_deleted_story_index_is_rebuilt(tmp_path):
    folder = _library(tmp_path)
    lib = Library(folder, cache_dir=tmp_path / "c")
    lib.scan()
    before = _groups(lib)
    lib.close()
    for path in (lib.state_dir).glob("stories.sqlite*"):
        path.unlink()
    lib = Library(folder, cache_dir=tmp_path / "c")
    lib.scan()
    assert _groups(lib) == before
    assert lib.story_index_lookup(next(iter(before))) == before[next(iter(before))]
    lib.close()
