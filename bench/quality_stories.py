"""Story clustering quality on real news: ECB+ and stories-dev, tuning and report halves.

    .venv/bin/python bench/quality_stories.py [--corpus ecbplus|stories-dev|both] [--set NAME=VALUE ...]

Both corpora are read in place from ../shared/corpora (never copied) and split deterministically
into a **tuning** half (the thresholds of `analysis/stories.py` were chosen on it) and a **report**
half (never looked at while tuning); each half is clustered on its own, as one library would be.

- **ECB+** (ecbplus/docs.jsonl): 43 topics, each two look-alike events; gold = `subtopic`. Even
  topics tune, odd topics report. The documents are undated, so this measures the text side alone.
  Scored with B-cubed.
- **stories-dev** (stories-dev/docs.jsonl): 3,407 shooting incidents, many in the same cities;
  gold = `event`. An event goes to the tuning half when the first hex digit of md5(event id) is
  even. Scored with B-cubed and pairwise precision/recall/F1, over three views:
  *all* articles; *14-day*: only articles published within 14 days of their event's first (the
  clustering is of the whole half; the scoring keeps those articles); *2+*: the events with two or
  more articles in that view. The *linked* rows score the stories with each `follows` link joined
  (a follow-up months later shown as continuing its story counts as found).

`--set THRESHOLD=0.5` (any module constant) re-runs with a changed constant, for sweeps on the
tuning half. Skips a corpus, saying so, when it is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tuireader.analysis import stories  # noqa: E402
from tuireader.analysis.stories import StoryDoc, StoryIndex  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FOLLOW_UP_DAYS = 14


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of `predicted` (item -> cluster) against `gold`, over gold's items."""
    pred_sets: dict[str, set[str]] = defaultdict(set)
    gold_sets: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        pred_sets[predicted[item]].add(item)
        gold_sets[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        mine, truth = pred_sets[predicted[item]], gold_sets[gold[item]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1: pairs of items put together, against pairs that belong together."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((predicted[i], gold[i]) for i in gold))
    pred = pairs(Counter(predicted[i] for i in gold))
    true = pairs(Counter(gold[i] for i in gold))
    p = both / pred if pred else 1.0
    r = both / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster(docs: list[StoryDoc]) -> tuple[dict[str, str], dict[str, str], float]:
    """Article -> story, article -> story with follow-up links joined, and seconds taken."""
    index = StoryIndex()
    start = time.perf_counter()
    index.add(docs)
    elapsed = time.perf_counter() - start
    groups = index.stories()
    predicted = {a: sid for sid, members in groups.items() for a in members}
    follows = index.follows() if hasattr(index, "follows") else {}

    def root(sid: str) -> str:
        seen = set()
        while sid in follows and sid not in seen:
            seen.add(sid)
            sid = follows[sid]
        return sid

    linked = {a: root(s) for a, s in predicted.items()}
    return predicted, linked, elapsed


def _ecb(path: Path) -> dict[str, tuple[list[StoryDoc], dict[str, str]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    halves: dict[str, tuple[list[StoryDoc], dict[str, str]]] = {}
    for name, parity in (("tuning (even topics)", 0), ("report (odd topics)", 1)):
        part = [r for r in rows if int(r["topic"]) % 2 == parity]
        docs = [StoryDoc(id=r["doc_id"], title=r["title"], text=r["text"]) for r in part]
        halves[name] = (docs, {r["doc_id"]: str(r["subtopic"]) for r in part})
    return halves


def _tuning_event(event: str) -> bool:
    return int(hashlib.md5(event.encode()).hexdigest()[0], 16) % 2 == 0


def _gva(path: Path) -> dict[str, tuple[list[dict], dict[str, str]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    halves = {}
    for name, tuning in (("tuning (md5 even)", True), ("report (md5 odd)", False)):
        part = [r for r in rows if _tuning_event(r["event"]) is tuning]
        halves[name] = (part, {r["id"]: r["event"] for r in part})
    return halves


def _views(rows: list[dict], gold: dict[str, str]) -> dict[str, dict[str, str]]:
    """all / 14-day / 2+ (events with two or more articles in the 14-day view) gold subsets."""
    first: dict[str, dt.date] = {}
    for r in rows:
        day = dt.date.fromisoformat(r["date"][:10])
        first[r["event"]] = min(first.get(r["event"], day), day)
    near = {
        r["id"]: r["event"]
        for r in rows
        if (dt.date.fromisoformat(r["date"][:10]) - first[r["event"]]).days <= FOLLOW_UP_DAYS
    }
    sizes = Counter(near.values())
    multi = {i: e for i, e in near.items() if sizes[e] >= 2}
    all_sizes = Counter(gold.values())
    return {
        "all": gold,
        "all, 2+": {i: e for i, e in gold.items() if all_sizes[e] >= 2},
        "14-day": near,
        "14-day, 2+": multi,
    }


def _row(label: str, view: str, predicted: dict[str, str], gold: dict[str, str], extra: str = "") -> str:
    bp, br, bf = bcubed(predicted, gold)
    pp, pr, pf = pairwise(predicted, gold)
    stories_n = len({predicted[i] for i in gold})
    return (
        f"{label:<20} {view:<11} {len(gold):>5} {bp:>6.3f} {br:>6.3f} {bf:>6.3f}  {pp:>6.3f} {pr:>6.3f} "
        f"{pf:>6.3f} {stories_n:>7} {len(set(gold.values())):>6}{extra}"
    )


HEADER = (
    f"{'half':<20} {'view':<11} {'docs':>5} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}  {'pw P':>6} {'pw R':>6} "
    f"{'pw F1':>6} {'stories':>7} {'gold':>6}"
)


def report_ecb(path: Path) -> None:
    if not path.exists():
        print(f"ECB+ not found at {path}: skipped.")
        return
    print(f"ECB+ (gold: subtopic), stories {stories.STORIES_VERSION}")
    print(HEADER)
    print("-" * len(HEADER))
    for name, (docs, gold) in _ecb(path).items():
        predicted, _linked, seconds = cluster(docs)
        print(_row(name, "all", predicted, gold, f"  {seconds:.1f}s"))


def report_gva(path: Path) -> None:
    if not path.exists():
        print(f"stories-dev not found at {path}: skipped.")
        return
    print(f"stories-dev (gold: event), stories {stories.STORIES_VERSION}")
    print(HEADER)
    print("-" * len(HEADER))
    for name, (rows, gold) in _gva(path).items():
        docs = [StoryDoc(id=r["id"], title=r["title"], text=r["text"], published=r["date"], outlet=r["source"])
                for r in rows]
        predicted, linked, seconds = cluster(docs)
        for view, subset in _views(rows, gold).items():
            print(_row(name, view, predicted, subset, f"  {seconds:.1f}s" if view == "all" else ""))
        for view in ("all", "all, 2+"):
            print(_row(name, view + " linked", linked, _views(rows, gold)[view]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("ecbplus", "stories-dev", "both"), default="both")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    for setting in args.set:
        name, _, value = setting.partition("=")
        setattr(stories, name, type(getattr(stories, name))(value))
        print(f"with {name} = {value}")
    if args.corpus in ("ecbplus", "both"):
        report_ecb(CORPORA / "ecbplus" / "docs.jsonl")
    if args.corpus in ("stories-dev", "both"):
        report_gva(CORPORA / "stories-dev" / "docs.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
