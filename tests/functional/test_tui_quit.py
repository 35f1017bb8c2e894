"""Quitting returns at once even while a worker is deep in a Library call (a scan, a story's
linking, its links being decoded): the reader does not wait for it (issue 15, quit took ~10 s)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# The reader as `tuireader` runs it (app.run_reader), headless, with every story's links taking a
# minute to come: it quits as soon as the open article's view has asked for them.
CHILD = r"""
import functools, sys, threading, time
from tuireader.library import Library
from tuireader.tui import app as tui_app

asked = threading.Event()

def slow_links(self, story_id):
    asked.set()
    time.sleep(60)  # a story whose links take a minute to decode
    raise RuntimeError("not reached before the test gives up")

Library.links = slow_links
apps = []
mount = tui_app.ReaderApp.on_mount

def on_mount(self):
    apps.append(self)
    mount(self)

tui_app.ReaderApp.on_mount = on_mount
tui_app.ReaderApp.run = functools.partialmethod(tui_app.ReaderApp.run, headless=True, size=(100, 30))

def quit_while_busy():
    asked.wait(60)
    time.sleep(0.3)
    busy = sorted({w.group for w in apps[0].workers if w.is_running})
    print("quit", time.monotonic(), ",".join(busy), flush=True)
    apps[0].call_from_thread(apps[0].exit, 0)

threading.Thread(target=quit_while_busy, daemon=True).start()
status = tui_app.run_reader(sys.argv[1], cache_dir=sys.argv[2])
print("returned", time.monotonic(), flush=True)
sys.exit(status)
"""


def test_quitting_while_a_story_is_being_linked_returns_within_a_second(warm_library, tmp_path):
    root, cache = warm_library
    shutil.copytree(root, tmp_path / "articles", ignore=shutil.ignore_patterns(".tuireader"))
    shutil.copytree(cache, tmp_path / "cache")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "articles"), str(tmp_path / "cache")],
                         env=env, capture_output=True, text=True, timeout=50)  # fmt: skip
    ended = time.monotonic()
    assert out.returncode == 0, out.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("quit", "returned")))
    quit_at, busy = lines["quit"].split(" ")
    assert "view" in busy.split(",") or "background" in busy.split(",")  # a worker was waiting on the links
    returned = float(lines["returned"])
    assert returned - float(quit_at) < 1.0  # the reader gave the terminal back at once
    assert ended - float(quit_at) < 5.0  # and the process ended (the minute-long call abandoned)
