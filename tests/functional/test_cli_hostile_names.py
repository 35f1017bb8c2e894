"""What the command line prints is text, whatever the file is called or how it is encoded: an
escape sequence in a file name never reaches the terminal, and UTF-16/UTF-32 articles with a
byte-order mark are read as text, not refused as binary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = (
    "---\ntitle: Ferry strike ends after talks\noutlet: Harbor Times\npublished: 2026-11-30\n---\n\n"
    "The ferry strike ended on Tuesday after twelve hours of talks, the union said.\n\n"
    "“We have a deal that keeps every crossing running,” said union leader Maria Okafor.\n"
)
RETITLE = "\x1b]0;owned\x07"  # OSC 0: a terminal would set its window title to "owned"
CSI = "\x1b[2J"  # clear the screen


def run(lib: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    return subprocess.run([sys.executable, "-m", "tuireader", "--library", str(lib), "--cache-dir", str(cache),
                           *args], capture_output=True, env=env, timeout=600)  # fmt: skip


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path, str]:
    lib = tmp_path / "lib"
    lib.mkdir()
    stem = f"007_{RETITLE}{CSI}ferry"
    (lib / f"{stem}.txt").write_text(ARTICLE, encoding="utf-8")
    (lib / "008_plain.txt").write_text(ARTICLE.replace("Harbor Times", "Coast Daily"), encoding="utf-8")
    return lib, tmp_path / "cache", stem


@pytest.mark.parametrize("verb", [["list"], ["stories"], ["search", "ferry strike"], ["list", "--json"]])
def test_an_escape_sequence_in_a_file_name_never_reaches_the_terminal(hostile, verb) -> None:
    lib, cache, _stem = hostile
    result = run(lib, cache, *verb)
    assert result.returncode == 0, result.stderr.decode()
    for stream in (result.stdout, result.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    assert b"\xc2\x9b" not in result.stdout  # nor as the one-character C1 form


def test_show_of_such_a_file_prints_its_name_as_visible_characters(hostile) -> None:
    lib, cache, stem = hostile
    result = run(lib, cache, "show", stem)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x07" not in out
    assert "ferry strike ended" in out.lower()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_read_as_text(tmp_path: Path, encoding: str) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    data = ("\ufeff" + ARTICLE).encode(encoding) if encoding == "utf-16-be" else ARTICLE.encode(encoding)
    (lib / "010_bom.txt").write_bytes(data)
    result = run(lib, tmp_path / "cache", "show", "010_bom")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8")
    assert "Ferry strike ends after talks" in out and "Maria Okafor" in out
    assert "binary" not in result.stderr.decode()
