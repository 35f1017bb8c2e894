"""Quality of figure discrepancies: are differing figures of one fact reported, and nothing else?

    .venv/bin/python bench/quality_figures.py [--grid]

Scored on three labelled sets, each discrepancy written down by reading the texts:

* our figure stories (tests/functional/figure_stories.py): several outlets, reworded sentences,
  figures that differ and traps that must not be reported; split into a tuning half (`TUNE`) and
  a held-out half, which is the row to quote;
* the stories written for the alignment tests (tests/data/stories, bench/gold_alignment.json);
* the five seeds (articles/, bench/gold_quotes.json), as one story.

A gold discrepancy is found when one reported discrepancy holds each of its versions with a value
containing the gold words; a reported figure discrepancy matching no gold one is extra. `--grid`
also scores `figures.ROUNDING_SHARE` (how far an exact number may be a rounded one) on the tuning
half. Runs on an older checkout too (PYTHONPATH=that/src) for before/after rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "functional"))

from figure_stories import STORIES, TUNE  # noqa: E402

#: Kinds of discrepancy that are not figures (checked by other parts of the report).
NOT_FIGURES = frozenset({"attribution", "role"})


def links_of(folder: Path):
    from tuireader.analysis.article import analyze_many
    from tuireader.analysis.link import link_story
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    articles = [clean(read_document(p)) for p in sorted(folder.glob("*.txt"))]
    analyses = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    return link_story(articles, analyses, meaning=False)


def score(links, gold: list[dict[str, str]]) -> tuple[int, int, int]:
    """(found, missed, extra)."""
    found_disc = [d for d in links.discrepancies if d.kind not in NOT_FIGURES]

    def holds(d, g: dict[str, str]) -> bool:
        return all(frag.lower() in d.values.get(v, "").lower() for v, frag in g.items())

    found = sum(1 for g in gold if any(holds(d, g) for d in found_disc))
    extra = sum(1 for d in found_disc if not any(holds(d, g) for g in gold))
    return found, len(gold) - found, extra


def labelled_sets(tmp: Path) -> dict[str, list[tuple[Path, list[dict[str, str]]]]]:
    sets: dict[str, list[tuple[Path, list[dict[str, str]]]]] = {
        "figure stories (tune)": [],
        "figure stories (held out)": [],
    }
    for st in STORIES:
        part = "figure stories (tune)" if st.name in TUNE else "figure stories (held out)"
        sets[part].append((st.write(tmp / st.name), st.differ))
    gold = json.loads((ROOT / "bench" / "gold_alignment.json").read_text(encoding="utf-8"))["stories"]
    # the alignment gold names versions and kinds only: a value fragment of "" holds any value
    sets["alignment stories"] = [
        (ROOT / "tests" / "data" / "stories" / name, [{v: "" for v in versions} for kind, versions in g["discrepancies"]
                                                      if kind not in NOT_FIGURES])
        for name, g in gold.items()
    ]  # fmt: skip
    seeds = json.loads((ROOT / "bench" / "gold_quotes.json").read_text(encoding="utf-8"))["discrepancies"]
    folder = tmp / "seeds"
    folder.mkdir()
    ids = {}
    for p in sorted((ROOT / "articles").glob("*.txt")):
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
        ids[p.name[:3]] = p.stem
    sets["seeds"] = [(folder, [{ids[k]: v for k, v in g["values"].items()} for g in seeds])]
    return sets


def show(sets, cache: dict) -> None:
    for name, stories in sets.items():
        for folder, _gold in stories:
            for d in cache[str(folder)].discrepancies:
                if d.kind not in NOT_FIGURES:
                    print(f"  {name} / {folder.name}: {d.summary}  {sorted(d.values)}")


def run(sets, cache: dict) -> dict[str, tuple[int, int, int]]:
    out = {}
    for name, stories in sets.items():
        total = [0, 0, 0]
        for folder, gold in stories:
            key = str(folder)
            if key not in cache:
                cache[key] = links_of(folder)
            for k, v in enumerate(score(cache[key], gold)):
                total[k] += v
        out[name] = tuple(total)
    return out


def table(rows: dict[str, tuple[int, int, int]], title: str) -> None:
    print(title)
    print(f"{'set':28} {'found':>6} {'missed':>7} {'extra':>6} {'recall':>7} {'precision':>10}")
    for name, (found, missed, extra) in rows.items():
        rec = found / (found + missed) if found + missed else 1.0
        prec = found / (found + extra) if found + extra else 1.0
        print(f"{name:28} {found:6d} {missed:7d} {extra:6d} {rec:7.2f} {prec:10.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print every figure discrepancy reported")
    ap.add_argument(
        "--ecb",
        type=int,
        default=0,
        metavar="N",
        help="also list the figure discrepancies found in the first N ECB+ subtopics (unlabelled: to judge)",
    )
    ap.add_argument("--grid", action="store_true", help="score ROUNDING_SHARE values on the tuning stories")
    args, _other = ap.parse_known_args()  # bench/quality.py passes its own options on
    with tempfile.TemporaryDirectory() as tmp:
        sets = labelled_sets(Path(tmp))
        cache: dict = {}
        table(
            run(sets, cache),
            "Figure discrepancies (links by words; figures of other kinds are not scored here)",
        )
        if args.show:
            show(sets, cache)
        if args.grid:
            from tuireader.analysis import figures

            if not hasattr(figures, "ROUNDING_SHARE"):
                print("this checkout has no ROUNDING_SHARE")
                return 0
            tune = {"figure stories (tune)": sets["figure stories (tune)"]}
            default = figures.ROUNDING_SHARE
            print(f"\nROUNDING_SHARE on the tuning stories (shipped: {default})")
            for share in (0.01, 0.02, 0.03, 0.05, 0.08, 0.10):
                figures.ROUNDING_SHARE = share
                ((found, missed, extra),) = run(tune, {}).values()
                print(f"  {share:5.2f}: found {found}, missed {missed}, extra {extra}")
            figures.ROUNDING_SHARE = default
        if args.ecb:
            ecb(Path(tmp) / "ecb", args.ecb)
    return 0


ECB = ROOT.parent / "shared" / "corpora" / "ecbplus" / "docs.jsonl"


def ecb(tmp: Path, n: int) -> None:
    """Figure discrepancies in real multi-outlet news (ECB+ subtopics: one event each). No gold:
    the list is for judging by hand, and its length before and after a change shows how much noise
    a change adds."""
    path = ECB if ECB.exists() else Path("/work/shared/corpora/ecbplus/docs.jsonl")
    if not path.exists():
        print("ECB+ not found; skipped")
        return
    by_sub: dict[str, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        by_sub.setdefault(doc["subtopic"], []).append(doc)
    subs = [k for k in sorted(by_sub) if len(by_sub[k]) > 1][:n]
    total = 0
    print(f"\nECB+ subtopics: figure discrepancies in the first {len(subs)}")
    for k, sub in enumerate(subs):
        folder = tmp / f"s{k:03d}"
        folder.mkdir(parents=True)
        for doc in by_sub[sub]:
            name = "".join(c if c.isalnum() else "_" for c in doc["doc_id"])
            (folder / f"{name}.txt").write_text(
                f"---\ntitle: {doc['title'][:80]}\n---\n{doc['text']}\n", encoding="utf-8"
            )
        for d in links_of(folder).discrepancies:
            if d.kind not in NOT_FIGURES:
                total += 1
                print(f"  {sub}: {d.summary[:110]}")
    print(f"  {total} figure discrepancies in {len(subs)} subtopics")


if __name__ == "__main__":
    sys.exit(main())
