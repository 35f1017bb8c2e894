"""Quote finding on adversarial text: time against input size (issue 14, item 7).

    nice .venv/bin/python bench/bench_quotes.py [--sizes 16000,64000,256000,1024000] [--cap 20]

Each input is built at every size (characters) and run through `find_quotes` with a synthetic
entity list (one PERSON per name occurrence, as spaCy would give); the table prints seconds per
size and the ratio of the last two sizes (4x input: about 4 for linear work, 16 for quadratic).
A row stops growing once one size takes longer than `--cap` seconds. Never run by the test suite;
tests/unit/test_quotes_adversarial.py holds the deterministic scaling checks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from adversarial_text import adversarial_inputs, synthetic_people  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tuireader.analysis.quotes import find_quotes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16000,64000,256000,1024000")
    parser.add_argument("--cap", type=float, default=20.0, help="stop a row after a size this slow (s)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table = Table(title="find_quotes on adversarial text: seconds by input size (characters)")
    table.add_column("input")
    for n in sizes:
        table.add_column(f"{n:,}", justify="right")
    table.add_column("last ratio (4x input)", justify="right")
    table.add_column("quotes at largest", justify="right")
    for name, build in adversarial_inputs().items():
        cells: list[str] = []
        times: list[float] = []
        found = 0
        for n in sizes:
            if times and times[-1] > args.cap:
                cells.append("—")
                continue
            paragraphs = build(n)
            ents = synthetic_people(paragraphs)
            t0 = time.perf_counter()
            found = len(find_quotes(paragraphs, ents))
            times.append(time.perf_counter() - t0)
            cells.append(f"{times[-1]:.3f}")
        ratio = f"{times[-1] / times[-2]:.1f}" if len(times) >= 2 and times[-2] > 0 else ""
        table.add_row(name, *cells, ratio, str(found))
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
