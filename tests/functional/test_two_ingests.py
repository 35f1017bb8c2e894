"""Two `ingest` runs at once into one library (two terminals, or a cron job beside a user): no
traceback, no "database is locked", no article stored twice, and every article stored once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tuireader.sources.files import read_document


def article(n: int) -> str:
    return (f"---\ntitle: Council vote {n} on the harbour budget\noutlet: Outlet {n % 7}\n"
            f"published: 2026-11-{1 + n % 28:02d}\n---\n\n"
            f"The council voted {n} to {n + 3} on item {n} of the harbour budget on Tuesday evening.\n\n"
            f"“Item {n} keeps the ferries running,” said councillor number {n}.\n")  # fmt: skip


def test_two_ingests_at_once_store_each_article_once(tmp_path: Path) -> None:
    lib, cache = tmp_path / "lib", tmp_path / "cache"
    lib.mkdir()
    (lib / "000_own.txt").write_text(article(999), encoding="utf-8")  # an existing library
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for n in range(60):  # 0-39 in a, 20-59 in b: twenty articles offered by both at once
        if n < 40:
            (a / f"in_a_{n}.txt").write_text(article(n), encoding="utf-8")
        if n >= 20:
            (b / f"in_b_{n}.txt").write_text(article(n), encoding="utf-8")

    env = {**os.environ, "TUIREADER_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "tuireader", "--library", str(lib), "--cache-dir", str(cache), "ingest"]
    procs = [subprocess.Popen([*cmd, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for folder in (a, b)]  # fmt: skip
    outs = [p.communicate(timeout=900) for p in procs]

    for p, (out, err) in zip(procs, outs, strict=True):
        text = (out + err).decode()
        assert p.returncode == 0, text
        assert "Traceback" not in text and "locked" not in text and "internal error" not in text
    files = sorted(p for p in lib.glob("*.txt"))
    bodies = [read_document(p).content_hash for p in files]
    assert len(files) == 61  # the library's own + sixty distinct articles
    assert len(set(bodies)) == len(bodies)  # none stored twice
    assert len({p.stem for p in files}) == len(files)
    assert not list(lib.glob("*.tmp")) and not list(lib.glob(".*.tmp"))
