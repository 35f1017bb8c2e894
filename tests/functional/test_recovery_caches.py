"""Caches are disposable: a damaged or lost catalog, search index or story index is set aside (never
deleted), rebuilt from the library folder with a one-line notice, and the command goes on.

Each test runs the real command line in a child process, as a user would, on a copy of the bundled
articles whose cache was built and then damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def run(lib: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "tuireader", "--library", str(lib), "--cache-dir", str(cache),
                           *args], capture_output=True, text=True, env=env, timeout=600)  # fmt: skip


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Path, Path]:
    """A library and its cache after one `list` and one `search` (catalog, index and stories made).
    Built per test: a library's cache folder is named after the library's path, so a copy elsewhere
    would open a new cache rather than the damaged one."""
    lib, cache = tmp_path / "lib", tmp_path / "cache"
    shutil.copytree(ARTICLES, lib)
    assert run(lib, cache, "list").returncode == 0
    assert run(lib, cache, "search", "drone").returncode == 0
    return lib, cache


def only(cache: Path, name: str) -> Path:
    (found,) = [p for p in cache.rglob(name) if p.is_file()]
    return found


def random_head(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [random_head, half], ids=["random head", "half truncated"])
def test_a_damaged_catalog_is_set_aside_and_rebuilt_and_list_goes_on(fresh, damage) -> None:
    lib, cache = fresh
    catalog = only(cache, "catalog.sqlite")
    damage(catalog)
    damaged_bytes = catalog.read_bytes()

    first = run(lib, cache, "list")
    assert first.returncode == 0, first.stderr
    assert "5 articles" in first.stdout
    assert "Traceback" not in first.stderr and "internal error" not in first.stderr
    # set aside, not deleted: the user may want it
    (aside,) = [p for p in catalog.parent.glob("catalog.sqlite.damaged-*")
                if not p.name.endswith(("-wal", "-shm", "-journal"))]  # its companions go along
    assert aside.read_bytes() == damaged_bytes
    # a one-line notice on stderr naming what was rebuilt
    notices = [line for line in first.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 1 and "catalog" in notices[0]

    again = run(lib, cache, "list")
    assert again.returncode == 0 and "5 articles" in again.stdout
    assert "notice:" not in again.stderr  # rebuilt once, then healthy


def test_a_lost_search_index_is_refilled_on_the_next_command(fresh) -> None:
    lib, cache = fresh
    before = run(lib, cache, "search", "drone")
    assert before.returncode == 0 and before.stdout.strip()
    index = only(cache, "search.sqlite")
    for p in index.parent.glob("search.sqlite*"):
        p.unlink()

    after = run(lib, cache, "search", "drone")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout  # every hit found again, not "nothing found, for good"


def test_damage_in_the_middle_of_the_search_index_recovers_at_the_query(fresh) -> None:
    lib, cache = fresh
    before = run(lib, cache, "search", "drone")
    index = only(cache, "search.sqlite")
    data = bytearray(index.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = os.urandom(min(8192, len(data) - middle))
    index.write_bytes(bytes(data))

    after = run(lib, cache, "search", "drone")
    assert after.returncode == 0, after.stderr
    assert "Traceback" not in after.stderr and "internal error" not in after.stderr
    assert after.stdout == before.stdout


def test_a_damaged_story_index_is_rebuilt_and_stories_are_the_same(fresh) -> None:
    lib, cache = fresh
    before = run(lib, cache, "stories")
    assert before.returncode == 0
    stories = only(cache, "stories.sqlite")
    random_head(stories)

    after = run(lib, cache, "stories")
    assert after.returncode == 0, after.stderr
    assert "Traceback" not in after.stderr
    assert list(stories.parent.glob("stories.sqlite.damaged-*"))
    assert after.stdout == before.stdout


def folder_in_place(path: Path) -> None:
    for side in path.parent.glob(path.name + "*"):
        side.unlink()
    path.mkdir()
    (path / "stray").write_text("not a database", encoding="utf-8")


@pytest.mark.parametrize("damage", [random_head, half, folder_in_place],
                         ids=["random head", "half truncated", "a folder in its place"])  # fmt: skip
def test_a_damaged_derived_value_cache_is_set_aside_and_show_goes_on(fresh, damage) -> None:
    """derived/cache.db (diskcache's index of cleaned articles and analyses, shared by every
    library on the machine): damaged, it costs a recomputation and one notice, not the command."""
    lib, cache = fresh
    article = sorted(p.stem for p in lib.iterdir() if p.suffix == ".txt")[0]
    before = run(lib, cache, "show", article)
    assert before.returncode == 0, before.stderr
    db = only(cache, "cache.db")
    assert db.parent.name == "derived"
    damage(db)

    after = run(lib, cache, "show", article)
    assert after.returncode == 0, after.stderr
    assert "Traceback" not in after.stderr and "internal error" not in after.stderr
    assert after.stdout == before.stdout  # the same article, recomputed
    notices = [line for line in after.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 1 and "derived-value cache" in notices[0], after.stderr
    (aside,) = list(db.parent.parent.glob("derived.damaged-*"))  # kept for the user, not deleted
    assert (aside / "cache.db").exists()

    again = run(lib, cache, "show", article)
    assert again.returncode == 0 and "notice:" not in again.stderr and again.stdout == before.stdout
