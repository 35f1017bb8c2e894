"""Fixtures shared by the functional and snapshot tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "articles"
WARM_DIR = "tui-warm-library"


def build_warm_library(base: Path) -> tuple[Path, Path]:
    """(library folder, cache folder) under `base`, built once: scanned, analysed, linked."""
    from tuireader.library import Library

    root = base / WARM_DIR / "articles"
    cache = base / WARM_DIR / "cache"
    done = base / WARM_DIR / "ready"
    if done.exists():
        return root, cache
    shutil.rmtree(base / WARM_DIR, ignore_errors=True)
    root.mkdir(parents=True)
    for path in sorted(SEEDS.iterdir()):
        if path.is_file():
            shutil.copy2(path, root / path.name)
    lib = Library(root, cache_dir=cache)
    try:
        lib.scan()
        lib.analyze_all()
        for summary in lib.articles():
            lib.view(summary.id)
    finally:
        lib.close()
    done.write_text("ok")
    return root, cache


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own user state and config folders: no test reads the developer's
    config.toml or leaves a reading position in their state folder."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TUIREADER_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("TUIREADER_CONFIG_DIR", str(base / "config"))


@pytest.fixture(scope="session")
def warm_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_warm_library(tmp_path_factory.getbasetemp())
