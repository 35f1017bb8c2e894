"""Start-up: the list paints before heavy libraries load; analysis runs in the background, visibly,
while the keys keep working."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tuireader.library import Library
from tuireader.tui.app import ReaderApp

SIZE = (140, 40)

CHILD = r"""
import asyncio, json, sys
from tuireader.tui.widgets import article_list
seen = {}
original = article_list.ArticleList.render_line
def render_line(self, y):
    if self.lines and "heavy" not in seen:
        seen["heavy"] = sorted(m for m in ("spacy", "trafilatura", "sklearn", "numpy") if m in sys.modules)
        seen["rows"] = len(self.lines)
    return original(self, y)
article_list.ArticleList.render_line = render_line
from tuireader.library import Library
from tuireader.tui.app import ReaderApp
app = ReaderApp(Library(sys.argv[1], cache_dir=sys.argv[2]), background_analysis=False, remember=False)
async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            await pilot.pause(0.01)
            if "heavy" in seen:
                break
asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_list_paints_before_spacy_or_trafilatura_are_imported(warm_library, tmp_path):
    root, cache = warm_library
    shutil.copytree(cache, tmp_path / "cache")
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(tmp_path / "cache")],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["rows"] > 0
    assert seen["heavy"] == []


async def test_analysis_runs_in_the_background_with_progress_while_keys_work(warm_library, tmp_path, settled):
    root, _cache = warm_library
    library = Library(root, cache_dir=tmp_path / "cold-cache")  # nothing analysed yet
    app = ReaderApp(library, remember=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            main = None
            for _ in range(1000):
                await pilot.pause(0.01)
                main = app.reader
                if main.text.article is not None:
                    break
            assert main is not None and main.text.article is not None
            # The text is readable before its links exist, and the reader says what it is doing.
            if main.current_view is None:
                assert "Linking" in main.text.note or main.status.busy
                before = main.article_list.cursor_id
                await pilot.press("down")
                assert main.article_list.cursor_id != before  # keys work during the analysis
                await pilot.press("up")
            await settled(pilot, timeout=180)
            assert main.current_view is not None
            assert main.text.highlights
            assert main.text.note == ""
    finally:
        library.close()
