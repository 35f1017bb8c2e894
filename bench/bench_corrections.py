"""Corrections to stories at scale: what the user's decisions cost on a synthetic library.

    nice .venv/bin/python bench/bench_corrections.py [--articles 10000] [--decisions 200]

Writes a synthetic library (`bench/synthetic.py`) as article files, scans it once, then times the
operations that replay the decisions (`tuireader.corrections.apply_decisions` over the clustering's
stories, written to the catalog and the search index), first with no decisions (the path every
library took before corrections existed), then with `--decisions` of them (moves, splits and merges
in equal parts, taken through the Library API as a user would):

* replay alone: `apply_decisions` over every article, in memory;
* one decision: `move_version` end to end (record, save the file, replay, write the changed rows);
* rescan, nothing changed: `scan()` of the unchanged folder;
* 20 new articles: `scan()` after 20 more versions of existing stories arrive (incremental
  clustering, then the replay over the whole library);
* deleted cache: `scan()` from an empty cache folder (clean, cluster, index, replay).

Median of `--runs` runs where an operation can be repeated; seconds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def write_library(folder: Path, docs: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(docs):
        head = f"---\noutlet: {d['outlet']}\ntitle: {' '.join(d['title'].split())[:150]}\n"
        if d.get("published"):
            head += f"published: {d['published']}\n"
        (folder / f"{i:06d}_synthetic.txt").write_text(head + "---\n" + d["text"], encoding="utf-8")


def timed(fn, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def decide(lib, count: int, rng: random.Random) -> list[float]:
    """`count` decisions (move, split, merge in turn) on multi-version stories; their times."""
    times = []
    for k in range(count):
        groups = [(sid, m) for sid, m in lib.story_groups().items() if len(m) > 2]
        sid, members = rng.choice(groups)
        start = time.perf_counter()
        if k % 3 == 0:
            other = rng.choice([s for s, _m in groups if s != sid])
            lib.move_version(rng.choice(members), other)
        elif k % 3 == 1:
            lib.split_story(sid, rng.sample(members, len(members) // 2))
        else:
            lib.merge_stories(sid, rng.choice([s for s, _m in groups if s != sid]))
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from synthetic import generate
    from tuireader.corrections import apply_decisions
    from tuireader.library import Library

    docs = generate(args.articles + 40, seed=7)
    rng = random.Random(7)
    held = docs[args.articles:]
    base = docs[: args.articles]
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root, cache = Path(tmp) / "lib", Path(tmp) / "cache"
        write_library(root, base)
        lib = Library(root, cache_dir=cache)
        start = time.perf_counter()
        lib.scan()
        first_scan = time.perf_counter() - start

        extra = iter(range(len(held)))

        def add_twenty() -> None:
            for _ in range(20):
                i = next(extra, None)
                if i is None:
                    return
                d = held[i]
                head = f"---\noutlet: {d['outlet']}\ntitle: {' '.join(d['title'].split())[:150]}\n"
                if d.get("published"):
                    head += f"published: {d['published']}\n"
                (root / f"9{i:05d}_late.txt").write_text(head + "---\n" + d["text"], encoding="utf-8")
            lib.scan()

        def cold_scan() -> None:
            lib.close()
            shutil.rmtree(cache)
            again = Library(root, cache_dir=cache)
            again.scan()
            again.close()

        for phase in ("before", "after"):
            if phase == "after":
                decision_times = decide(lib, args.decisions, rng)
            raw = lib._raw_stories()
            published = lib._published_lookup()
            decisions = lib.decisions.decisions
            rows.setdefault("replay alone (in memory)", {})[phase] = timed(
                lambda raw=raw, decisions=decisions, published=published: apply_decisions(raw, decisions, published),
                args.runs)
            if phase == "before":
                one = decide(lib, 1, rng)[0]  # the first decision: from none to one
                lib.undo_decision()
                rows.setdefault("one decision (move/split/merge, end to end)", {})[phase] = one
            else:
                rows.setdefault("one decision (move/split/merge, end to end)", {})[phase] = statistics.median(
                    decision_times[-30:])
            rows.setdefault("rescan, nothing changed", {})[phase] = timed(lib.scan, args.runs)
            rows.setdefault("20 new articles arrive (scan)", {})[phase] = timed(add_twenty, 1)
            rows.setdefault("deleted cache (full scan)", {})[phase] = timed(cold_scan, 1)
            lib = Library(root, cache_dir=cache)
            lib.scan()
        stories = len(lib.story_groups())
        states = lib.story_decisions()
        lib.close()

    table = Table(title=f"Corrections on a synthetic library of {args.articles:,} articles ({stories:,} stories), "
                        f"seconds (median of {args.runs} where repeated)", title_justify="left")
    table.add_column("operation")
    table.add_column("no decisions", justify="right")
    table.add_column(f"{args.decisions} decisions", justify="right")
    for name, values in rows.items():
        table.add_row(name, f"{values['before']:.3f}", f"{values['after']:.3f}")
    Console().print(table)
    applied = sum(1 for s in states if s.status == "applied")
    print(f"first scan: {first_scan:.1f} s; decisions applied: {applied} of {len(states)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
