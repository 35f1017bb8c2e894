"""The scale benchmark's quick mode runs end to end in CI (its times are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_suite_quick_mode_produces_its_table(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "suite.py"), "--quick"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "TUIREADER_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "250",
             "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    table_rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert any("1,000" in line for line in table_rows), result.stdout[-2000:]
