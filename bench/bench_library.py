"""Library round trip on the bundled articles: cold cache vs warm cache, each in a fresh process.

    .venv/bin/python bench/bench_library.py [--runs N]

"cold" = empty cache folder: scan (clean, cluster, index), then `view()` of every article (spaCy
analysis, cross-version linking). "warm" = the same again in a new process over the cache the cold
run left, which is what re-opening the reader or `tuireader show` costs. Issue 3's targets: the five
seeds under 3 s cold and under 0.3 s warm (analysis part; process start-up is shown apart).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from tuireader.library import Library
lib = Library(sys.argv[1], cache_dir=sys.argv[2])
t1 = time.perf_counter()
lib.scan()
t2 = time.perf_counter()
views = [lib.view(a.id) for a in lib.articles()]
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "scan": t2 - t1, "views": t3 - t2,
                  "quotes": sum(len(v.quotes) for v in views)}))
"""


def run_once(cache: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT / "articles"), str(cache)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(run_once(Path(tmp)))
            warm.append(run_once(Path(tmp)))
    table = Table(title=f"Library on the bundled articles (median of {args.runs} runs, seconds)")
    for col in ("cache", "import", "scan", "view all 5", "scan + views", "target"):
        table.add_column(col, justify="right")
    for name, rows, target in (("cold", cold, "< 3 s"), ("warm", warm, "< 0.3 s")):
        med = {k: statistics.median(r[k] for r in rows) for k in ("import", "scan", "views")}
        table.add_row(name, f"{med['import']:.3f}", f"{med['scan']:.3f}", f"{med['views']:.3f}",
                      f"{med['scan'] + med['views']:.3f}", target)
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
