"""What a user who installs the package gets: the sample library, the licence, the metadata."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tuireader import locations

ROOT = Path(__file__).resolve().parents[2]


def test_the_packaged_samples_are_the_repository_articles_byte_for_byte():
    packaged = {p.name: p.read_bytes() for p in locations.bundled_articles().glob("*.txt")}
    shipped = {p.name: p.read_bytes() for p in (ROOT / "articles").glob("*.txt")}
    assert packaged and packaged == shipped


def test_metadata_names_the_licence_and_bounds_the_fragile_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").is_file()
    deps = {d.split(">")[0].split("=")[0].split("<")[0]: d for d in project["dependencies"]}
    assert "<7" in deps["feedparser"] and "<1" in deps["httpx"]
    assert "sniffio" not in deps
    versions = {c.rsplit(" ", 1)[-1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert {"3.11", "3.12", "3.13"} <= versions


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="builds from a checkout")
def test_the_wheel_carries_the_samples_word_lists_and_stylesheet(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0 and "setuptools" in out.stderr:
        out = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
            capture_output=True,
            text=True,
        )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"tuireader/samples/{p.name}" for p in (ROOT / "articles").glob("*.txt")} <= names
    assert "tuireader/tui/tuireader.tcss" in names
    assert any(n.startswith("tuireader/text/lexicon/") for n in names)
    assert any(n.endswith("licenses/LICENSE") or n.endswith("/LICENSE") for n in names)


def test_every_command_line_argument_says_what_it_does():
    import argparse

    from tuireader.cli.main import build_parser

    missing = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help:
                missing.append(f"{path} {action.dest}")

    walk(build_parser(), "tuireader")
    assert missing == []
    assert "exit status" in build_parser().format_help()
