"""Quality of plain-text cleaning on real whole-page scrapes (issue 7, cleaning part).

Corpus: ../shared/corpora/scraped-text-dev/ (91 pages of the Zyte article-extraction benchmark, each
the full text of the page as a browser shows it, with the gold article body in gold.json).

Metric (the benchmark's own): lower-cased `\\w+` tokens, 4-word shingles counted with multiplicity,
per-page precision and recall (each page's tp/fp/fn normalised so long pages weigh no more), averaged
over pages, and F1 of the two averages. As in the benchmark, a page with an empty prediction is left
out of the precision average (it still costs recall).

Rows: "whole page" (keep everything: the score before any cleaning) and "tuireader clean" (the
library's cleaned `text`). Run: `.venv/bin/python bench/quality_cleaning.py [--worst N]`.
The corpus is data for measurement only; it is read in place, never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CORPUS = Path(
    os.environ.get("TUIREADER_SCRAPED_TEXT_DEV", ROOT.parent / "shared" / "corpora" / "scraped-text-dev")
)
TARGET_F1 = 0.90
_TOKEN = re.compile(r"\w+")

Counts = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_counts(gold: str, predicted: str) -> Counts:
    """(tp, fp, fn) over 4-word shingles, normalised to sum to 1 (the benchmark's per-page form)."""
    want, got = shingles(gold), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(counts: Counts) -> tuple[float, float, float]:
    tp, fp, fn = counts
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro(rows: list[Counts]) -> tuple[float, float, float]:
    """Mean precision (pages with a prediction), mean recall (pages with gold text), F1 of the two."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p_values = [precision(*c) for c in rows if c[0] + c[1] > 0]
    r_values = [recall(*c) for c in rows if c[0] + c[2] > 0]
    p = statistics.mean(p_values) if p_values else 0.0
    r = statistics.mean(r_values) if r_values else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_corpus(corpus: Path = CORPUS) -> list[tuple[str, Path, str, str]] | None:
    """[(page id, page path, gold body, url)], or None when the corpus is absent."""
    gold_path = corpus / "gold.json"
    if not gold_path.is_file():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(gold.items()):
        path = corpus / "pages" / f"{page_id}.txt"
        if path.is_file():
            pages.append((page_id, path, entry.get("articleBody", ""), entry.get("url", "")))
    return pages


def _whole_page(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _tuireader(path: Path) -> str:
    from tuireader.clean import clean
    from tuireader.sources.files import SourceError, read_document

    try:
        return clean(read_document(path)).text
    except SourceError:
        return ""


METHODS: dict[str, Callable[[Path], str]] = {"whole page": _whole_page, "tuireader clean": _tuireader}


def evaluate(method: str, pages: list[tuple[str, Path, str, str]]) -> dict:
    """One row of the table, plus the per-page scores under "pages"."""
    extract = METHODS[method]
    started = time.perf_counter()
    per_page = []
    for page_id, path, gold, url in pages:
        counts = shingle_counts(gold, extract(path))
        p, r, f = page_scores(counts)
        per_page.append({"page": page_id, "url": url, "precision": p, "recall": r, "f1": f, "counts": counts})
    seconds = time.perf_counter() - started
    p, r, f = macro([row["counts"] for row in per_page])
    return {
        "method": method,
        "pages": len(per_page),
        "precision": p,
        "recall": r,
        "f1": f,
        "seconds": seconds,
        "per_page": per_page,
    }


def report(corpus: Path = CORPUS) -> list[dict]:
    """Rows for the quality table ([] when the corpus is absent): one per method."""
    pages = load_corpus(corpus)
    if not pages:
        return []
    return [evaluate(method, pages) for method in METHODS]


def worst_pages(row: dict, n: int = 10) -> list[dict]:
    return sorted(row["per_page"], key=lambda p: p["f1"])[:n]


def render(rows: list[dict], worst: int = 10) -> list:
    """Rich renderables for the report (the lead's bench/quality.py prints these)."""
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return [f"[skipped] cleaning: corpus not found at {CORPUS}"]
    table = Table(title=f"Cleaning plain-text scrapes ({rows[0]['pages']} pages, 4-word shingles)")
    for column in ("method", "precision", "recall", "F1", "target", "seconds"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for row in rows:
        ok = row["f1"] >= TARGET_F1
        table.add_row(
            Text(row["method"]),
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            ("met" if ok else "not met") if row["method"] == "tuireader clean" else "",
            f"{row['seconds']:.2f}",
        )
    out: list = [table]
    ours = next((r for r in rows if r["method"] == "tuireader clean"), None)
    if ours and worst:
        bad = Table(title=f"Worst {worst} pages by F1 (tuireader clean)")
        for column in ("page", "precision", "recall", "F1", "url"):
            bad.add_column(column, justify="left" if column in ("page", "url") else "right")
        for page in worst_pages(ours, worst):
            bad.add_row(
                Text(page["page"][:12]), f"{page['precision']:.2f}", f"{page['recall']:.2f}",
                f"{page['f1']:.2f}", Text(page["url"][:70]),  # untrusted text: never markup
            )  # fmt: skip
        out.append(bad)
    return out


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    args = parser.parse_args(argv)
    console = Console()
    if load_corpus() is None:
        console.print(f"skipped: cleaning corpus not found at {CORPUS}", markup=False)
        return 0
    for renderable in render(report(), args.worst):
        if isinstance(renderable, str):
            console.print(renderable, markup=False)
        else:
            console.print(renderable)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
