"""Story clustering at scale: synthetic libraries of 1,000, 10,000 and 100,000 articles.

    .venv/bin/python bench/bench_stories.py [--sizes 1000,10000,100000] [--seed 0]

For each size, in a fresh process (so peak memory is that size's own): generate the articles
(`bench/synthetic.py`), hold 20 back, cluster the rest in one `StoryIndex.add` into an SQLite file
(what the Library keeps), close it, reopen it (what a new process does), then add the 20 one at a
time (what a feed refresh does: each add is committed to disk), and remove 20. Prints one table:
clustering wall and CPU time (the machine is shared, so CPU time is the steadier figure), peak
memory during clustering, single-article add and remove latency on the reopened index (these are
the whole cost: there is nothing to load or save around them), the SQLite file's size, the time to
reopen, and B-cubed F1 against the generator's ground truth. Target: 100,000 articles clustered in
under 2 minutes on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
HELD_BACK = 20


def _rss_peak_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset VmHWM so the next reading covers clustering only (Linux; harmless elsewhere)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_one(size: int, seed: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    import gc

    from quality_stories import bcubed
    from synthetic import generate
    from tuireader.analysis.stories import StoryDoc, StoryIndex

    articles = generate(size, seed=seed)
    docs = [StoryDoc(a["id"], a["title"], a["text"], a["published"], a["outlet"]) for a in articles]
    step = max(1, len(docs) // HELD_BACK)
    held = set(range(0, len(docs), step)[:HELD_BACK])
    bulk = [d for i, d in enumerate(docs) if i not in held]
    late = [d for i, d in enumerate(docs) if i in held]
    gc.collect()
    _reset_peak()
    folder = Path(tempfile.mkdtemp(prefix="bench-stories-"))
    path = folder / "stories.sqlite"
    index = StoryIndex(path)
    wall, cpu = time.perf_counter(), time.process_time()
    index.add(bulk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _rss_peak_mb()
    index.close()
    start = time.perf_counter()
    index = StoryIndex(path)
    index.story_of(bulk[0].id)
    load = time.perf_counter() - start
    adds, add_cpu = [], []
    for doc in late:
        start, cpu_start = time.perf_counter(), time.process_time()
        index.add([doc])
        adds.append(time.perf_counter() - start)
        add_cpu.append(time.process_time() - cpu_start)
    stories = index.stories()
    predicted = {article: story for story, members in stories.items() for article in members}
    gold = {a["id"]: a["story"] for a in articles}
    _p, _r, f1 = bcubed(predicted, gold)
    removes = []
    for doc in bulk[: len(bulk) : max(1, len(bulk) // HELD_BACK)][:HELD_BACK]:
        start = time.perf_counter()
        index.remove([doc.id])
        removes.append(time.perf_counter() - start)
    index.close()
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    return {
        "size": size,
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak,
        "add_median_ms": statistics.median(adds) * 1000,
        "add_max_ms": max(adds) * 1000,
        "add_cpu_ms": statistics.median(add_cpu) * 1000,
        "remove_median_ms": statistics.median(removes) * 1000,
        "store_mb": size_mb,
        "load_s": load,
        "stories": len(stories),
        "gold": len(set(gold.values())),
        "f1": f1,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return 0
    header = (
        f"{'articles':>8} {'wall':>7} {'cpu':>7} {'art/s':>7} {'peak MB':>8} {'add ms':>7} {'add cpu':>7} {'add max':>8} "
        f"{'rm ms':>6} {'sqlite':>8} {'open':>6} {'stories':>8} {'gold':>7} {'F1':>6}"
    )
    print("Story clustering on synthetic libraries (bench/synthetic.py)")
    print(header)
    print("-" * len(header))
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(
                f"{size:>8} failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}"
            )
            continue
        m = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{m['size']:>8} {m['wall']:>6.1f}s {m['cpu']:>6.1f}s {m['size'] / m['wall']:>7.0f} {m['peak_mb']:>8.0f} "
            f"{m['add_median_ms']:>7.1f} {m['add_cpu_ms']:>7.1f} {m['add_max_ms']:>8.1f} {m['remove_median_ms']:>6.1f} "
            f"{m['store_mb']:>6.1f}MB {m['load_s']:>5.2f}s {m['stories']:>8} {m['gold']:>7} {m['f1']:>6.3f}",
            flush=True,
        )
    print("wall/cpu: one add() of all articles but 20; add ms: one article added to the built index")
    print("(median wall, median CPU and max wall of 20), committed; rm ms: one article removed; peak MB: process peak during")
    print("clustering; sqlite: the index's file; open: reopening it and answering one lookup.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
