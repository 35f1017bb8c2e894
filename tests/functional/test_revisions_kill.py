"""A crash (SIGKILL) while revisions are being written leaves the old set of revision files or the
old set and whole new ones, never a partial file: a process looping `ingest_url` against a local
server whose page changes on every request (each fetch a new revision) is killed at random points,
many times; after each kill the folder holds complete, numbered, linked revisions only, and the
next scan lists them all and sweeps any temporary file the kill left once it is stale."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from feeds_server import FeedServer
from test_revisions_fetch import REST, page

from tuireader.library import Library
from tuireader.sources.feeds.ingest import ingest_url
from tuireader.sources.files import read_document, revision_of

SRC = Path(__file__).resolve().parents[2] / "src"
KILLS = 10

# The writer: imports and stores one revision first (so the kill lands in the work, not the
# start-up), then says "ready" and stores revisions until it is killed.
WRITER = """
import sys
from pathlib import Path
from tuireader.sources.feeds.ingest import ingest_url
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.http import HttpConfig
from tuireader.sources.pages import extract_page  # noqa: F401 - warm: the page extractor loads lazily
import trafilatura  # noqa: F401

options = RefreshOptions(http=HttpConfig(connect_timeout=1, read_timeout=2, total_timeout=4, retries=1, backoff=0.01))
url, root, cache = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ingest_url(url, root, cache, options)  # the first one in a process opens its caches (half a second)
print("ready", flush=True)
while True:
    ingest_url(url, root, cache, options)
"""


def changing_page(server: FeedServer, path: str) -> str:
    """A page whose passenger count goes up by one on every request."""
    count = [0]

    def serve(handler, owner) -> None:  # noqa: ANN001 - the server's handler and itself
        with owner.lock:
            count[0] += 1
            n = count[0]
        handler._send(200, page(100 + n).encode("utf-8"), "text/html; charset=utf-8")

    server.add(path)
    server.routes[path].handler = serve
    return server.url(path)


def revision_set(root: Path) -> tuple[str, dict[str, bytes]]:
    """The article's first stem and its files; asserts every file in the folder is a complete
    revision (or a hidden temporary file) and that the revisions run 1..N, each naming the one
    before it."""
    stems: dict[int, str] = {}
    first = None
    held: dict[str, bytes] = {}
    for entry in os.scandir(root):
        if entry.name == ".tuireader" or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue  # the library's state folder; a writer's own temporary file, never listed
        assert entry.name.endswith(".txt"), f"unexpected file {entry.name}"
        stem = entry.name.removesuffix(".txt")
        base, number = revision_of(stem)
        assert first in (None, base), f"two articles: {first}, {base}"
        first = base
        assert number not in stems
        stems[number] = stem
        data = Path(entry.path).read_bytes()
        doc = read_document(Path(entry.path))  # a partial file would lose its body's end
        assert doc.body.rstrip().endswith(REST[-1]), f"{entry.name} is not whole"
        if number > 1:
            assert doc.declared["revision"] == str(number)
            assert doc.declared["previous"] == (base if number == 2 else f"{base}-r{number - 1}")
        held[stem] = data
    assert first is not None
    assert sorted(stems) == list(range(1, len(stems) + 1)), f"revisions missing: {sorted(stems)}"
    return first, held


def test_a_kill_mid_write_leaves_the_old_revisions_or_the_new_never_a_partial_file(tmp_path: Path) -> None:
    root, cache = tmp_path / "library", tmp_path / "cache"
    root.mkdir()
    rng = random.Random(16)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    with FeedServer() as server:
        url = changing_page(server, "/ferry")
        (first,), _, problems = ingest_url(url, root, cache)  # the first file; each fetch after it revises it
        assert problems == []
        _first, before = revision_set(root)
        for _ in range(KILLS):
            child = subprocess.Popen([sys.executable, "-c", WRITER, url, str(root), str(cache)], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
            try:
                assert child.stdout is not None and child.stdout.readline().strip() == "ready"
                time.sleep(rng.uniform(0.0, 0.5))  # a fetch and write take about 70 ms
            finally:
                child.send_signal(signal.SIGKILL)
                child.wait(10)
            _first, held = revision_set(root)
            # what was there before is there still, byte for byte: the old set, or it and new ones
            assert all(held.get(stem) == data for stem, data in before.items())
            before = held
    assert len(before) >= 3, "too few revisions were written to test anything"

    hour_ago = time.time() - 3600  # the sweep waits until a temporary file cannot be a live writer's
    for p in root.iterdir():
        if p.name.startswith(".") and p.name.endswith(".tmp"):
            os.utime(p, (hour_ago, hour_ago))
    lib = Library(root, cache_dir=tmp_path / "library-cache")
    try:
        report = lib.scan()
        assert report.problems == []
        assert [r.article for r in lib.revisions(first)] == sorted(before, key=lambda s: revision_of(s)[1])
    finally:
        lib.close()
    assert not [p.name for p in root.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"
