"""Reading state: what was read and what a scan brought, kept in the library folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.reading import ReadingState, reading_path


def test_marks_survive_reopening_and_live_in_the_library_folder(tmp_path: Path) -> None:
    path = reading_path(tmp_path)
    assert path.parent == tmp_path / ".tuireader"  # hidden: folder scans skip it
    state = ReadingState(path)
    assert state.mark(["a", "b"]) is True
    assert state.mark(["a"]) is False  # nothing changed, nothing written again
    assert state.mark(["b"], read=False) is True
    again = ReadingState(path)
    assert again.read == {"a"}


def test_first_scan_learns_then_later_scans_bring_new_ones(tmp_path: Path) -> None:
    state = ReadingState(reading_path(tmp_path))
    assert state.note_scan(["a", "b"]) == set()  # everything would be new: nothing is
    assert state.note_scan(["a", "b", "c"]) == {"c"}
    assert ReadingState(reading_path(tmp_path)).new == {"c"}
    # A scan that brings nothing keeps the last arrivals marked; the next arrivals replace them.
    assert state.note_scan(["a", "b", "c"]) == set()
    assert state.new == {"c"}
    assert state.note_scan(["a", "b", "c", "d"]) == {"d"}
    assert state.new == {"d"}


def test_removed_articles_leave_the_state(tmp_path: Path) -> None:
    state = ReadingState(reading_path(tmp_path))
    state.note_scan(["a"])
    state.note_scan(["a", "b"])
    state.mark(["a", "b"])
    state.note_scan(["a"])
    assert state.read == {"a"} and state.new == set()


@pytest.mark.parametrize("content", [b"", b"\xff\xfe garbage", b"[1, 2]", b'{"read": "a", "new": [3, "x"]}'])
def test_a_damaged_file_reads_as_empty_and_is_replaced_on_change(tmp_path: Path, content: bytes) -> None:
    path = reading_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    state = ReadingState(path)
    assert state.read == set()
    assert state.new <= {"x"}
    state.mark(["z"])
    assert json.loads(path.read_text())["read"] == ["z"]


def test_reading_state_survives_a_cache_rebuild(tmp_path: Path) -> None:
    from tuireader.library import Library

    root = tmp_path / "lib"
    root.mkdir()
    (root / "001_a.txt").write_text("---\noutlet: Harbor Times\n---\nFerry crews strike.\n\nThe strike began on Monday.\n")
    lib = Library(root, cache_dir=tmp_path / "cache1")
    lib.scan(index=False)
    lib.note_arrivals()
    lib.mark_read(["001_a"])
    lib.close()
    rebuilt = Library(root, cache_dir=tmp_path / "cache2")  # a new, empty cache
    rebuilt.scan(index=False)
    assert rebuilt.read_ids() == {"001_a"}
    (root / "002_b.txt").write_text("---\noutlet: Coast Daily\n---\nA bakery opens.\n\nIt sells bread.\n")
    rebuilt.scan(index=False)
    assert rebuilt.note_arrivals() == {"002_b"}
    assert rebuilt.new_ids() == {"002_b"}
    rebuilt.close()
