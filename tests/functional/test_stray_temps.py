"""A writer killed mid-write (kill -9 during ingest or refresh) leaves a hidden temporary file: the
next scan removes it once it is stale, never lists it, and leaves everything else alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tuireader.library import Library

ARTICLE = ("---\ntitle: Harbour budget passes\noutlet: Harbor Times\npublished: 2026-11-30\n---\n\n"
           "The council passed the harbour budget on Tuesday by nine votes to two.\n")  # fmt: skip


def test_a_stale_temporary_file_is_swept_and_a_fresh_one_kept(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "001_budget.txt").write_text(ARTICLE, encoding="utf-8")
    stale = lib / ".20261130_ab12cd34.txt.k3j9x_a1.tmp"
    stale.write_text(ARTICLE[:40], encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    fresh = lib / ".20261130_ef56ab78.txt.q8w2e4r6.tmp"  # a writer may be working on this one now
    fresh.write_text(ARTICLE[:40], encoding="utf-8")
    own = lib / ".notes.tmp"  # not ours: a user's own hidden file
    own.write_text("mine", encoding="utf-8")
    os.utime(own, (hour_ago, hour_ago))

    library = Library(lib, cache_dir=tmp_path / "cache")
    try:
        library.scan()
        assert [a.id for a in library.articles()] == ["001_budget"]
    finally:
        library.close()
    assert not stale.exists()
    assert fresh.exists() and own.exists()
