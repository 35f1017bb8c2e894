"""A full disk or a read-only library: one line naming the path and the cause, exit 1, no
traceback, nothing partial left, and what was stored before untouched."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tuireader import fsutil
from tuireader.cli import main

ARTICLE = ("---\ntitle: Harbour budget passes\noutlet: Harbor Times\npublished: 2026-11-30\n---\n\n"
           "The council passed the harbour budget on Tuesday by nine votes to two.\n")  # fmt: skip


@pytest.mark.parametrize(("code", "cause"), [(errno.ENOSPC, "the disk is full"),
                                             (errno.EROFS, "the file system is read-only")])  # fmt: skip
def test_ingest_on_a_full_or_read_only_disk_says_one_line(tmp_path: Path, monkeypatch, capsys, code, cause) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "001_old.txt").write_text(ARTICLE, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()}
    new = tmp_path / "new.txt"
    new.write_text(ARTICLE.replace("nine votes", "seven votes"), encoding="utf-8")
    argv = ["--library", str(lib), "--cache-dir", str(tmp_path / "cache")]
    assert main([*argv, "list"]) == 0  # the cache is made while the disk has room
    capsys.readouterr()

    def no_room(target: Path, data: bytes) -> str:
        raise OSError(code, "simulated", str(target))

    monkeypatch.setattr(fsutil, "_write_temp", no_room)
    assert main([*argv, "ingest", str(new)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and cause in err[0] and str(lib) in err[0], err
    assert "Traceback" not in "\n".join(err)
    after = {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()}
    assert after == before  # nothing partial, nothing lost
