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


# --- reading commands on a read-only or full cache, and on a read-only library ----------------
# SQLite words a read-only mount and a full disk like damage: "unable to open database file" (a WAL
# database on a read-only mount) and "disk I/O error" (its shared-memory file cannot grow). Both
# were observed on a tmpfs remounted read-only or filled up; here they are injected, with the file
# system's own answer (statvfs) made to match, as that is what a real mount would say.
READERS = [["list"], ["search", "harbour"], ["stories"], ["show", "001_old"]]


def _library_with_cache(tmp_path: Path, capsys) -> tuple[Path, Path, list[str]]:
    lib, cache = tmp_path / "lib", tmp_path / "cache"
    lib.mkdir()
    (lib / "001_old.txt").write_text(ARTICLE, encoding="utf-8")
    argv = ["--library", str(lib), "--cache-dir", str(cache)]
    for command in READERS:
        assert main([*argv, *command]) == 0
    capsys.readouterr()
    return lib, cache, argv


def _fake_statvfs(monkeypatch, under: Path, *, read_only: bool = False, full: bool = False) -> None:
    import os

    real = os.statvfs

    def statvfs(path):  # noqa: ANN001, ANN202
        st = real(path)
        if not str(Path(path).resolve()).startswith(str(under.resolve())):
            return st
        fields = list(st)  # f_bsize f_frsize f_blocks f_bfree f_bavail f_files f_ffree f_favail f_flag f_namemax
        if read_only:
            fields[8] |= os.ST_RDONLY
        if full:
            fields[3] = fields[4] = 0
        return os.statvfs_result(fields)

    monkeypatch.setattr(os, "statvfs", statvfs)


def _cache_files(cache: Path) -> dict[str, bytes]:
    return {str(p.relative_to(cache)): p.read_bytes() for p in cache.rglob("*") if p.is_file()}


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_read_only_cache_is_said_in_one_line_not_taken_for_damage(tmp_path: Path, monkeypatch, capsys,
                                                                    command) -> None:  # fmt: skip
    import sqlite3

    lib, cache, argv = _library_with_cache(tmp_path, capsys)
    before = _cache_files(cache)
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(database).startswith(str(cache)):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    _fake_statvfs(monkeypatch, cache, read_only=True)
    assert main([*argv, *command]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the file system is read-only" in err[0] and str(cache) in err[0], err
    assert "damaged" not in err[0] and "Traceback" not in err[0]
    assert _cache_files(cache) == before  # nothing renamed aside, nothing rebuilt


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_disk_that_fills_during_the_scan_is_named_and_nothing_partial_is_kept(tmp_path: Path, monkeypatch,
                                                                                capsys, command) -> None:  # fmt: skip
    import sqlite3

    from tuireader.store.catalog import Catalog

    lib, cache, argv = _library_with_cache(tmp_path, capsys)
    (lib / "002_new.txt").write_text(ARTICLE.replace("Harbour budget passes", "Harbour budget vote"), encoding="utf-8")

    def no_room(self, rows):  # noqa: ANN001, ANN202
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as m:
        m.setattr(Catalog, "put", no_room)
        _fake_statvfs(m, cache, full=True)
        assert main([*argv, *command]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the disk is full" in err[0] and str(cache) in err[0], err
    assert "Traceback" not in err[0] and "disk I/O error" not in err[0].split(":", 1)[1].split("(")[0]

    assert main([*argv, "list"]) == 0  # room again: the next command catches up, nothing lost
    out = capsys.readouterr()
    assert "2 articles" in out.out and not out.err.strip()


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_reading_commands_on_a_read_only_library_with_a_good_cache_say_nothing(tmp_path: Path, monkeypatch,
                                                                               capsys, command) -> None:  # fmt: skip
    lib, cache, argv = _library_with_cache(tmp_path, capsys)
    assert main([*argv, *command]) == 0
    expected = capsys.readouterr().out

    def read_only(target: Path, data: bytes) -> str:
        raise OSError(errno.EROFS, "simulated", str(target))

    monkeypatch.setattr(fsutil, "_write_temp", read_only)
    _fake_statvfs(monkeypatch, lib, read_only=True)
    assert main([*argv, *command]) == 0
    out = capsys.readouterr()
    assert out.out == expected and out.err == ""


def test_feeds_add_on_a_read_only_library_names_the_file_not_a_temporary(tmp_path: Path, monkeypatch, capsys) -> None:
    import os

    lib = tmp_path / "lib"
    lib.mkdir()

    def mkstemp(prefix: str = "", suffix: str = "", dir: str | None = None) -> tuple[int, str]:  # noqa: A002
        # as a read-only mount answers: the temporary file's own name in the error
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(str(dir), f"{prefix}k3x9q2{suffix}"))

    monkeypatch.setattr(fsutil.tempfile, "mkstemp", mkstemp)
    assert main(["--library", str(lib), "--cache-dir", str(tmp_path / "cache"), "feeds", "add",
                 "https://harbor.example/feed.xml"]) == 1  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {lib / 'feeds.opml'}: the file system is read-only"], err
    assert list(lib.iterdir()) == []
