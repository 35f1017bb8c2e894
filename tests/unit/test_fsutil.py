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
