"""`tuireader show` from a new process, and how fast a library is analysed on 1 and 2 workers.

    .venv/bin/python bench/bench_show.py [--articles N] [--runs R] [--src DIR] [--no-throughput]

The library is N articles of ECB+ (../shared/corpora/ecbplus/docs.jsonl, read in place and written
as text files into a temporary folder, whole subtopics so that stories have several versions), or
the five bundled articles when the corpus is absent. Every timing is a whole new process
(`python -m tuireader show ID --json`: interpreter start, imports, library open, cache reads),
wall time and CPU time (user + system: on a busy machine the CPU time is the steadier figure):

* `cold`: an empty cache folder (scan, clean, cluster, analyse the story, load spaCy);
* `scanned`: the library listed (scanned) before, the article's story not analysed yet: what
  scripting `show` over a fresh library cost before `tuireader analyze`;
* `analysed`: after `tuireader analyze`, R different articles (median).

Throughput: `Library.analyze_all` (analysis in batches on 1 or 2 workers, then every story linked)
on a scanned library (articles/s, worker start-up and model loading included; CPU seconds of every
process beside), against what warming the caches did before (`links` story by story, one spaCy
batch per story, in one process). On a shared machine wall times follow the other load, so the
last line splits the CPU: each of two workers' CPU against one process doing everything.

`--src DIR` runs another checkout's `src` (e.g. the parent commit, for before/after); the
throughput rows need this checkout's `analyze_pending`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus" / "docs.jsonl"


def make_library(folder: Path, n: int) -> list[str]:
    """Write N ECB+ documents (whole subtopics, in order) as article files; their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    if not CORPUS.exists():
        import shutil

        for p in sorted((ROOT / "articles").glob("*.txt")):
            shutil.copy(p, folder / p.name)
        return sorted(p.stem for p in folder.glob("*.txt"))
    docs = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    docs.sort(key=lambda d: (str(d["subtopic"]), str(d["doc_id"])))
    ids = []
    for i, d in enumerate(docs[:n]):
        stem = f"{i:03d}_{d['subtopic']}"
        (folder / f"{stem}.txt").write_text(f"{d['title']}\n\n{d['text']}\n", encoding="utf-8")
        ids.append(stem)
    return ids


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one new process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def tuireader(src: Path, library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tuireader", *args, "--library", str(library)]


def environment(src: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, TUIREADER_CACHE_DIR=str(cache), PYTHONPATH=str(src))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode compiled
    return env


_THROUGHPUT = r"""
import json, sys, time
from tuireader.library import Library
lib = Library(sys.argv[1], cache_dir=sys.argv[2])
lib.scan()
n = len(lib.unanalysed()) if hasattr(lib, "unanalysed") else len(lib.summaries())
t = time.perf_counter()
if sys.argv[3] == "per-story":
    for sid in lib.story_groups():
        lib.links(sid)
else:
    lib.analyze_all(workers=int(sys.argv[3]))
print(json.dumps({"articles": n, "seconds": time.perf_counter() - t}))
"""


_SPLIT = r"""
import json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor, wait

def worker_cpu():
    time.sleep(0.5)  # long enough that each worker takes one of these
    return os.getpid(), time.process_time()

def main():
    from tuireader.analysis import article as pipeline
    from tuireader.library import Library
    lib = Library(sys.argv[1], cache_dir=sys.argv[2])
    lib.scan()
    articles = [lib.article(a) for a in sorted(lib.summaries())]
    batches = [articles[i : i + pipeline.BATCH_SIZE] for i in range(0, len(articles), pipeline.BATCH_SIZE)]
    start = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=pipeline._warm_up) as pool:
        wait([pool.submit(pipeline._analyze_batch, b) for b in batches])
        wall = time.perf_counter() - start
        cpus = dict(f.result() for f in [pool.submit(worker_cpu) for _ in range(2)])
    one = time.process_time()
    pipeline.analyze_many(articles)
    print(json.dumps({"wall": wall, "workers": sorted(cpus.values()), "one": time.process_time() - one}))

if __name__ == "__main__":
    main()
"""


def worker_split(src: Path, library: Path) -> dict:
    """CPU seconds of each of two workers against one process doing all (model load included):
    on idle cores, two workers take about as long as the busier one's CPU."""
    with tempfile.TemporaryDirectory() as cache:
        env = environment(src, Path(cache))
        script = Path(cache) / "split.py"
        script.write_text(_SPLIT, encoding="utf-8")
        out = subprocess.run([sys.executable, str(script), str(library), cache], env=env, check=True,
                             capture_output=True, text=True)  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])


def throughput(src: Path, library: Path, mode: str) -> dict:
    """Articles and seconds of one analysis run, plus the CPU seconds of the process and its workers."""
    with tempfile.TemporaryDirectory() as cache:
        env = environment(src, Path(cache))
        subprocess.run(tuireader(src, library, "list", "--json"), env=env, check=True, stdout=subprocess.DEVNULL)
        before = os.times()
        out = subprocess.run([sys.executable, "-c", _THROUGHPUT, str(library), cache, mode], env=env,
                             check=True, capture_output=True, text=True)  # fmt: skip
        after = os.times()
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["cpu"] = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=180)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--no-show", action="store_true")
    args = ap.parse_args()
    src = args.src.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        library = Path(tmp) / "library"
        ids = make_library(library, args.articles)
        picks = [ids[(i * 37) % len(ids)] for i in range(args.runs)]
        # compile the bytecode once, as an installed package has it
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False)

        if not args.no_show:
            show_table(src, library, ids, picks, Path(tmp), args.runs)
        if not args.no_throughput:
            print(f"\nanalysis throughput on {os.cpu_count()} cores ({len(ids)} articles, fresh cache each; "
                  f"load average {os.getloadavg()[0]:.1f} at the start)")  # fmt: skip
            print("| method | articles | wall (s) | articles/s | CPU (s, all processes) |")
            print("|---|---|---|---|---|")
            for label, mode in (("per-story links, in process (before)", "per-story"),
                                ("analyze_all, 1 worker", "1"), ("analyze_all, 2 workers", "2")):  # fmt: skip
                r = throughput(src, library, mode)
                print(f"| {label} | {r['articles']} | {r['seconds']:.1f} | {r['articles'] / r['seconds']:.1f} "
                      f"| {r['cpu']:.1f} |")  # fmt: skip
            split = worker_split(src, library)
            print(f"\nCPU per process (s): one process {split['one']:.1f}; two workers "
                  f"{' and '.join(f'{c:.1f}' for c in split['workers'])} (their wall here: {split['wall']:.1f} s); "
                  f"on idle cores two workers would take about {max(split['workers']):.1f} s")  # fmt: skip
    return 0


def show_table(src: Path, library: Path, ids: list[str], picks: list[str], tmp: Path, runs: int) -> None:
    """Print the latency table of `show` in the three cache states."""
    rows = []
    cold = []
    for i in range(min(runs, 3)):
        env = environment(src, tmp / f"cold{i}")
        cold.append(run(tuireader(src, library, "show", picks[i], "--json"), env))
    rows.append(("cold (empty cache)", cold))

    env = environment(src, tmp / "warm")
    subprocess.run(tuireader(src, library, "list", "--json"), env=env, check=True, stdout=subprocess.DEVNULL)
    rows.append(("scanned, story not analysed", [run(tuireader(src, library, "show", p, "--json"), env)
                                                 for p in picks]))  # fmt: skip
    usage = subprocess.run([sys.executable, "-m", "tuireader", "--help"], env=env, capture_output=True, text=True)
    if "analyze" in usage.stdout:
        subprocess.run(tuireader(src, library, "analyze"), env=env, check=True, stderr=subprocess.DEVNULL)
    else:  # a checkout from before the verb: warm every story's links the old way
        warm = "import sys; from tuireader.library import Library; lib = Library(sys.argv[1]); lib.analyze_all()"
        subprocess.run([sys.executable, "-c", warm, str(library)], env=env, check=True)
    others = [ids[(i * 53 + 11) % len(ids)] for i in range(runs)]
    rows.append(("analysed", [run(tuireader(src, library, "show", p, "--json"), env) for p in others]))

    print(f"`tuireader show ID --json` from a new process, {len(ids)} articles, src={src}; "
          f"load average {os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    print("| state | runs | wall median (s) | wall min (s) | CPU median (s) |")
    print("|---|---|---|---|---|")
    for name, samples in rows:
        walls = [w for w, _c in samples]
        cpus = [c for _w, c in samples]
        print(f"| {name} | {len(samples)} | {statistics.median(walls):.3f} | {min(walls):.3f} "
              f"| {statistics.median(cpus):.3f} |")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
