"""Quality report: cleaning (scraped-text-dev), stories (ECB+), quotes (seeds), names shared
across versions (ECB+ subtopics), the story alignment and figure discrepancies, one table each.

    .venv/bin/python bench/quality.py

Each part is its own script (run them alone for options such as `--worst N` or `--ablation`);
a part whose corpus is absent says so and the rest goes on. Never run by the test suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = (
    "quality_cleaning.py",
    "quality_stories.py",
    "quality_quotes.py",
    "quality_entities.py",
    "quality_alignment.py",
    "quality_figures.py",
)


def main() -> int:
    failed = 0
    for part in PARTS:
        print(f"\n== {part} ==", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / part), *sys.argv[1:2]], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
