"""Speed of the story alignment (`analysis.link.link_story`): a five-version story and a library.

    .venv/bin/python bench/bench_alignment.py [--stories 100] [--runs 5]

Prints one table: the sentence model's load time and memory, the alignment of the five bundled
seed versions (by words alone, and by words and meaning, after the model is loaded), and the
alignment of every story of a synthetic library (`bench/synthetic.py`, stories told by two or more
outlets) in both modes. Per-article analysis (spaCy) is done first and not timed: it is cached by
the Library and measured by bench_analysis.py. Targets: five versions < 300 ms after the model is
loaded.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def seed_articles():
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    return [clean(read_document(p)) for p in sorted((ROOT / "articles").glob("*.txt"))]


def synthetic_stories(n_stories: int):
    from synthetic import generate
    from tuireader.model import Article

    by_story: dict[str, list] = defaultdict(list)
    for row in generate(n_stories * 8, seed=7):
        paragraphs = tuple(p for p in row["text"].split("\n\n") if p.strip())
        by_story[row["story"]].append(
            Article(
                id=row["id"],
                path=row["id"] + ".txt",
                content_hash=hashlib.sha256(row["text"].encode()).hexdigest(),
                title=row["title"],
                paragraphs=paragraphs,
                outlet=row["outlet"],
                published=row["published"],
            )
        )
    multi = [arts for arts in by_story.values() if len(arts) > 1]
    return multi[:n_stories]


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from tuireader.analysis.article import analyze_many
    from tuireader.analysis.link import link_story
    from tuireader.analysis.similarity import model_status, sentence_model

    rows: list[tuple[str, str]] = []
    seeds = seed_articles()
    seed_analyses = dict(zip((a.id for a in seeds), analyze_many(seeds), strict=True))
    before = rss_mb()
    t = time.perf_counter()
    model = sentence_model()
    rows.append(("sentence model", model_status()))
    rows.append(("model load", f"{time.perf_counter() - t:.2f} s, +{rss_mb() - before:.0f} MB resident"))
    link_story(seeds, seed_analyses)  # warm: imports, first encode
    words = timed(lambda: link_story(seeds, seed_analyses, meaning=False), args.runs)
    rows.append(("5 seed versions, words only", f"{words * 1000:.0f} ms"))
    if model is not None:
        from tuireader.analysis import similarity

        def cold() -> None:
            similarity._vectors.clear()  # the process's sentence vectors: encode everything again
            link_story(seeds, seed_analyses)

        first = timed(cold, args.runs)
        both = timed(lambda: link_story(seeds, seed_analyses), args.runs)
        n = sum(len(a.paragraphs) for a in seeds)
        rows.append((f"5 seed versions, words + meaning, encoding included ({n} paragraphs)", f"{first * 1000:.0f} ms"))
        rows.append(("5 seed versions, words + meaning, vectors known", f"{both * 1000:.0f} ms (target < 300 ms)"))

    stories = synthetic_stories(args.stories)
    every = [a for arts in stories for a in arts]
    analyses = dict(zip((a.id for a in every), analyze_many(every), strict=True))
    versions = sum(len(s) for s in stories)
    for label, meaning in (("words only", False), ("words + meaning", True)):
        if meaning and model is None:
            continue
        t = time.perf_counter()
        for arts in stories:
            link_story(arts, analyses, meaning=meaning)
        total = time.perf_counter() - t
        rows.append(
            (
                f"{len(stories)} synthetic stories ({versions} versions), {label}",
                f"{total:.1f} s, {1000 * total / len(stories):.0f} ms a story",
            )
        )
    rows.append(("peak resident memory", f"{rss_mb():.0f} MB"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  result")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
