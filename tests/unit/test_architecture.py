"""The core stays headless, the Library stays the one door, and start-up stays light."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=180)  # fmt: skip


def test_import_linter_contracts_hold():
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package and its contracts, copied so that a test can break an import without harm."""
    where = tmp_path_factory.mktemp("arch")
    shutil.copytree(ROOT / "src" / "tuireader", where / "src" / "tuireader",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    return where


# (module, an import it must not make, the contract that then breaks)
FORBIDDEN_REACHES = (
    ("cli/main.py", "from tuireader.sources import refresh", "cli, render and tui import no sources"),
    ("tui/screens/main.py", "import tuireader.sources.subscriptions", "cli, render and tui import no sources"),
    ("cli/render.py", "from tuireader.store.catalog import Catalog", "cli, render and tui import no sources"),
    ("clean/html.py", "from tuireader.sources.files import read_document", "The core is layered"),
    ("sources/http.py", "from tuireader.sources.feeds.refresh import refresh", "form no import cycle"),
)


@pytest.mark.parametrize(("module", "bad_import", "contract"), FORBIDDEN_REACHES)
def test_a_contract_fails_when_a_module_reaches_past_its_door(tree_copy: Path, module: str, bad_import: str,
                                                              contract: str) -> None:  # fmt: skip
    path = tree_copy / "src" / "tuireader" / module
    original = path.read_text(encoding="utf-8")
    head, sep, rest = original.partition("from __future__ import annotations\n")
    path.write_text(head + sep + bad_import + "  # noqa\n" + rest, encoding="utf-8")
    try:
        result = _lint(tree_copy, tree_copy / "src")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    # the contract's summary line (wrapped at 80 columns) says BROKEN; the others stay KEPT
    summary = " ".join(result.stdout.split("Contracts\n")[-1].split())
    assert re.search(re.escape(contract) + r"[^.]*?BROKEN", summary), result.stdout
    assert "1 broken" in summary


def test_cli_start_up_does_not_import_heavy_or_ui_libraries():
    code = (
        "import sys, tuireader.cli, tuireader.library, tuireader.cli.render;"
        "heavy = [m for m in ('spacy', 'trafilatura', 'numpy', 'textual', 'sklearn') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
