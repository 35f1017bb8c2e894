"""Passage alignment (`analysis.align.align_passages`): speed, and how often it pairs what it should not.

    .venv/bin/python bench/bench_passages.py [--repeat 20] [--no-quality]

Speed table: two versions of about 1,000 words each, aligned `--repeat` times (median and worst
wall time, one core), for the cases the compare view meets: two versions of the seed story (many
reworded passages, the usual case), a version against itself with its paragraphs reversed (every
sentence pairs, all out of order: the most work for the chain and the one-to-few growth), ECB+
documents about one event, and ECB+ documents of different topics (nearly nothing to pair).
Target: under 50 ms for two 1,000-word articles.

Quality table (ECB+, ../shared/corpora/ecbplus/docs.jsonl, read in place, skipped when absent):
passage pairs found per document pair for documents about the same event (they retell the same
facts: pairs are expected), about a different event of the same kind (two different earthquakes:
sentences written from the same template still pair, "Microsoft releases emergency patch for
IE"), and of different topics (nothing should pair: every pair there is a false one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tuireader.analysis.align import align_passages  # noqa: E402
from tuireader.clean import clean  # noqa: E402
from tuireader.model import Article  # noqa: E402
from tuireader.sources.files import read_document  # noqa: E402

SEEDS = ROOT / "articles"
ECB = ROOT.parent / "shared" / "corpora" / "ecbplus" / "docs.jsonl"
TARGET_WORDS = 1000


def _article(aid: str, paragraphs: list[str]) -> Article:
    return Article(id=aid, path="", content_hash=aid, title=aid, paragraphs=tuple(paragraphs))


def _fill(aid: str, sources: list[Article]) -> Article:
    """Paragraphs of `sources`, in turn, until about TARGET_WORDS words."""
    out: list[str] = []
    words = 0
    for a in sources:
        for p in a.paragraphs:
            if words >= TARGET_WORDS:
                break
            out.append(p)
            words += len(p.split())
    return _article(aid, out)


def _ecb_docs() -> list[dict]:
    if not ECB.exists():
        return []
    with ECB.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _ecb_article(d: dict) -> Article:
    return _article(d["doc_id"], [d["title"], d["text"]])


def cases() -> list[tuple[str, Article, Article]]:
    seeds = {p.name[:3]: clean(read_document(p)) for p in sorted(SEEDS.glob("*.txt"))}
    a = _fill("seeds-a", [seeds["001"], seeds["002"], seeds["003"]])
    b = _fill("seeds-b", [seeds["004"], seeds["000"], seeds["003"]])
    out = [
        ("seed story, two versions", a, b),
        ("same version, paragraphs reversed", a, _article("rev", list(reversed(a.paragraphs)))),
    ]
    docs = _ecb_docs()
    if docs:
        by_sub: dict[str, list[dict]] = defaultdict(list)
        for d in docs:
            by_sub[d["subtopic"]].append(d)
        big = max(by_sub.values(), key=len)
        half = len(big) // 2
        out.append(
            (
                "ECB+ one event",
                _fill("ecb-a", [_ecb_article(d) for d in big[:half]]),
                _fill("ecb-b", [_ecb_article(d) for d in big[half:]]),
            )
        )
        topics = sorted({d["topic"] for d in docs})
        t1 = [_ecb_article(d) for d in docs if d["topic"] == topics[0]]
        t2 = [_ecb_article(d) for d in docs if d["topic"] == topics[1]]
        out.append(("ECB+ different topics", _fill("ecb-c", t1), _fill("ecb-d", t2)))
    return out


def speed(repeat: int) -> None:
    align_passages(*cases()[0][1:])  # import rapidfuzz once, outside the timings
    print(f"{'case':36} {'words a/b':>11} {'pairs':>6} {'median ms':>10} {'worst ms':>9}")
    for name, a, b in cases():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            pairs = align_passages(a, b)
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"{name:36} {a.words:>5}/{b.words:<5} {len(pairs):>6} {statistics.median(times):>10.1f} "
            f"{max(times):>9.1f}"
        )
    print("target: < 50 ms for two 1,000-word articles")


def quality(per_topic: int = 60, seed: int = 0) -> None:
    docs = _ecb_docs()
    if not docs:
        print(f"\n(quality table skipped: {ECB} not found)")
        return
    rng = random.Random(seed)
    by_topic: dict[int, list[dict]] = defaultdict(list)
    for d in docs:
        by_topic[d["topic"]].append(d)
    counts: dict[str, list[int]] = defaultdict(list)
    scores: dict[str, list[float]] = defaultdict(list)
    for ds in by_topic.values():
        combos = list(itertools.combinations(ds, 2))
        rng.shuffle(combos)
        for x, y in combos[:per_topic]:
            kind = "same event" if x["subtopic"] == y["subtopic"] else "other event, same kind"
            pairs = align_passages(_ecb_article(x), _ecb_article(y))
            counts[kind].append(len(pairs))
            scores[kind].extend(p.score for p in pairs)
    for _ in range(per_topic * 25):
        x, y = rng.sample(docs, 2)
        if x["topic"] != y["topic"]:
            pairs = align_passages(_ecb_article(x), _ecb_article(y))
            counts["different topics"].append(len(pairs))
            scores["different topics"].extend(p.score for p in pairs)
    print(
        f"\n{'ECB+ document pairs':26} {'docs':>6} {'pairs':>6} {'per doc pair':>13} {'with any':>9} "
        f"{'median score':>13}"
    )
    for kind in ("same event", "other event, same kind", "different topics"):
        c = counts[kind]
        med = statistics.median(scores[kind]) if scores[kind] else float("nan")
        print(
            f"{kind:26} {len(c):>6} {sum(c):>6} {sum(c) / len(c):>13.3f} "
            f"{sum(1 for n in c if n) / len(c):>9.1%} {med:>13.1f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args()
    speed(args.repeat)
    if not args.no_quality:
        quality()


if __name__ == "__main__":
    main()
