"""Speed of per-article analysis and story linking on the five seeds.

    .venv/bin/python bench/bench_analysis.py [--runs N]

Each run is a fresh Python process, so "cold" includes importing spaCy and loading the model, as the
reader's first analysis does; the table also shows the model load alone, analysis and linking
without it, and a second pass in the same process (model loaded, nothing cached). The targets: cold
analysis + linking of the five seeds under 3 s. Cleaning is timed apart, since it is not analysis.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {src!r})
sys.path.insert(0, {bench!r})
from quality_quotes import load_seeds
t = time.perf_counter(); articles, how = load_seeds(); clean_s = time.perf_counter() - t
t0 = time.perf_counter()
from tuireader.analysis import entities
entities.load_nlp()
t1 = time.perf_counter()
from tuireader.analysis.article import analyze_many
from tuireader.analysis.link import link_story
analyses = dict(zip([a.id for a in articles], analyze_many(articles)))
t2 = time.perf_counter()
links = link_story(articles, analyses)
t3 = time.perf_counter()
analyses = dict(zip([a.id for a in articles], analyze_many(articles)))
t4 = time.perf_counter()
link_story(articles, analyses)
t5 = time.perf_counter()
print(json.dumps({{"clean": clean_s, "load": t1 - t0, "analyze": t2 - t1, "link": t3 - t2,
                  "analyze2": t4 - t3, "link2": t5 - t4, "how": how,
                  "words": sum(a.words for a in articles),
                  "quotes": sum(len(v) for v in links.quotes.values())}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes to time (median shown)")
    args = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    code = _CHILD.format(src=str(ROOT / "src"), bench=str(ROOT / "bench"))
    results = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(key: str) -> float:
        return statistics.median(r[key] for r in results)

    first = results[0]
    table = Table(
        title=f"Analysis of the 5 seeds ({first['words']} words, {first['quotes']} quotes; "
        f"median of {args.runs} fresh processes; cleaned by {first['how']})"
    )
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("target", justify="right")
    rows = [
        ("cleaning (not analysis)", med("clean"), ""),
        ("spaCy import + model load (once per process)", med("load"), ""),
        ("analysis, model loaded", med("analyze"), ""),
        ("story linking", med("link"), ""),
        ("cold total: load + analysis + linking", med("load") + med("analyze") + med("link"), "< 3.0"),
        ("cold without the model load", med("analyze") + med("link"), ""),
        ("second pass in the same process", med("analyze2") + med("link2"), ""),
    ]
    for name, secs, target in rows:
        table.add_row(name, f"{secs:.3f}", target)
    Console().print(table)


if __name__ == "__main__":
    main()
