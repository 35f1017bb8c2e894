import os

import pytest

from tuireader.fsutil import write_atomic, write_new_atomic


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_write_new_atomic_never_overwrites(tmp_path):
    target = tmp_path / "b.txt"
    assert write_new_atomic(target, b"first") is True
    assert write_new_atomic(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["b.txt"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "c.txt"
    target.write_bytes(b"precious")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, b"partial")
    assert target.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["c.txt"]


def test_written_files_get_ordinary_permissions_and_replacements_keep_theirs(tmp_path) -> None:
    import os

    from tuireader.fsutil import new_file_mode, write_atomic, write_new_atomic

    fresh = tmp_path / "fresh.txt"
    assert write_new_atomic(fresh, b"x")
    assert fresh.stat().st_mode & 0o777 == new_file_mode()
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"{}")
    os.chmod(kept, 0o640)
    write_atomic(kept, b'{"a": 1}')
    assert kept.read_bytes() == b'{"a": 1}' and kept.stat().st_mode & 0o777 == 0o640
