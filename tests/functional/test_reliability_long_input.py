"""One paragraph longer than spaCy's 1,000,000-character limit must not cost its story anything.

A 1.2 MB feed entry fits the feed size limit; before analysis worked in pieces, spaCy's E088 made
`show` and `stories` exit with a traceback for every version of that story.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tuireader.analysis.entities import pieces

_LEAD = (
    "Officials in Lisbon said on Monday that the harbour bridge will close for repairs in April, "
    "a decision that Mayor Carla Nunes called unavoidable after inspectors found corroded cables."
)
_QUOTE = '"We cannot wait another winter," said Carla Nunes, the mayor of Lisbon.'


def _write(root: Path, name: str, outlet: str, body: str) -> None:
    (root / name).write_text(f"---\ntitle: Lisbon bridge to close in April\noutlet: {outlet}\n---\n\n{body}\n",
                             encoding="utf-8")  # fmt: skip


def _cli(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TUIREADER_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "tuireader", *args, "--library", str(root)], env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def test_pieces_cover_the_text_within_the_limit_at_sentence_ends():
    text = ("The council met. " * 20_000) + "x" * 250_000
    parts = pieces(text, 100_000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 100_000 for _, p in parts)
    assert all(text.startswith(p, off) for off, p in parts)
    assert parts[0][1].endswith(". ")  # cut after a sentence, not inside a word


def test_a_huge_paragraph_leaves_its_story_analysable(tmp_path: Path):
    root, cache = tmp_path / "lib", tmp_path / "cache"
    root.mkdir()
    filler = " ".join(["The repair works on the bridge were discussed at length by the council."] * 17_000)
    assert len(filler) > 1_200_000
    _write(root, "1_wire.txt", "Wire", f"{_LEAD}\n\n{_QUOTE}")
    _write(root, "2_daily.txt", "Daily", f"{_LEAD}\n\n{_QUOTE}\n\n{filler}")
    _write(root, "3_weekly.txt", "Weekly", f"{_LEAD}\n\n{_QUOTE} The bridge carries 60,000 cars a day.")

    stories = _cli(root, cache, "stories")
    assert stories.returncode == 0, stories.stderr
    assert "Traceback" not in stories.stderr
    for aid in ("1_wire", "2_daily"):
        shown = _cli(root, cache, "show", aid)
        assert shown.returncode == 0, shown.stderr
        assert "Traceback" not in shown.stderr
        assert "Carla Nunes" in shown.stdout  # the quote and its speaker are still found
