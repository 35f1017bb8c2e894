"""Quality of the story alignment: quote links, unquoted reports and discrepancies, against what a
reader sees in the stories written for the tests (bench/gold_alignment.json), plus the meaning
matcher on news-paraphrase (bench/bench_similarity.py's rows).

    .venv/bin/python bench/quality_alignment.py [--no-paraphrase]

A quote link is right when the quote (found by a fragment of its words) has a match in the named
version of the named kind; every other match is a false link. A reported passage is right when the
version marks a passage holding the fragment, quoted by exactly the named versions. A discrepancy
is right when one of the named kind lists exactly the named versions. Runs on an older checkout
too (PYTHONPATH=that/src), whose missing features simply score zero, for before/after rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold_alignment.json"
STORIES = ROOT / "tests" / "data" / "stories"


def link(folder: Path):
    try:
        from tuireader.analysis.article import analyze_many
    except ImportError:  # a checkout from before the rename
        from tuireader.analysis.pipeline import analyze_many  # type: ignore[no-redef]
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    try:
        from tuireader.analysis.link import link_story
    except ImportError:  # a checkout from before the story alignment
        from tuireader.analysis.align import link_story  # type: ignore[no-redef]
    articles = [clean(read_document(p)) for p in sorted(folder.glob("*.txt"))]
    analyses = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    return link_story(articles, analyses)


def score(name: str, gold: dict) -> dict[str, float]:
    links = link(STORIES / name)
    expected = {tuple(q) for q in gold["quotes"]}
    found_quotes = 0
    predicted = 0
    for aid, lqs in links.quotes.items():
        for lq in lqs:
            for m in lq.matches:
                predicted += 1
                hit = any(
                    g[0] == aid and g[1] in lq.quote.text and g[2] == m.article and g[3] == m.kind for g in expected
                )
                found_quotes += hit
    reported = getattr(links, "reported", {}) or {}
    found_reported = 0
    for aid, fragment, by in gold["reported"]:
        rows = [r for r in reported.get(aid, ()) if fragment in r.text]
        found_reported += any({q.article for q in r.quoted_by} == set(by) for r in rows)
    found_disc = 0
    for kind, versions in gold["discrepancies"]:
        found_disc += any(d.kind == kind and set(d.values) == set(versions) for d in links.discrepancies)
    return {
        "quote links": found_quotes / len(expected) if expected else 1.0,
        "false links": predicted - found_quotes,
        "reported": found_reported / len(gold["reported"]) if gold["reported"] else 1.0,
        "discrepancies": found_disc / len(gold["discrepancies"]),
        "extra discrepancies": len(links.discrepancies) - found_disc,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-paraphrase", action="store_true", help="skip the news-paraphrase rows (20 s)")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text())["stories"]
    cols = ["quote links", "false links", "reported", "discrepancies", "extra discrepancies"]
    print(f"{'story':<12} " + " ".join(f"{c:>20}" for c in cols))
    for name, g in gold.items():
        row = score(name, g)
        print(f"{name:<12} " + " ".join(f"{row[c]:>20.2f}" if isinstance(row[c], float) else f"{row[c]:>20}" for c in cols))
    if args.no_paraphrase:
        return
    sys.path.insert(0, str(HERE))
    try:
        from bench_similarity import quality_rows
    except ImportError:
        return
    rows = quality_rows()
    if not rows:
        print("\nnews-paraphrase: corpus absent, skipped")
        return
    print("\nnews-paraphrase (reworded >= 4 vs different <= 2; threshold tuned on train)")
    keys = list(rows[0])
    print("  ".join(f"{k:>14}" if i else f"{k:<44}" for i, k in enumerate(keys)))
    for r in rows:
        print("  ".join((f"{v:>14.3f}" if isinstance(v, float) else f"{v!s:>14}") if i else f"{v!s:<44}" for i, (k, v) in enumerate(r.items())))


if __name__ == "__main__":
    main()
