"""Quality of plain-text cleaning on real whole-page scrapes (issue 7, cleaning part).

Corpus: ../shared/corpora/scraped-text-dev/ (91 pages of the Zyte article-extraction benchmark, each
the full text of the page as a browser shows it, with the gold article body in gold.json).

Metric (the benchmark's own): lower-cased `\\w+` tokens, 4-word shingles counted with multiplicity,
per-page precision and recall (each page's tp/fp/fn normalised so long pages weigh no more), averaged
over pages, and F1 of the two averages. As in the benchmark, a page with an empty prediction is left
out of the precision average (it still costs recall).

Rows: "whole page" (keep everything: the score before any cleaning), "tuireader clean" (the
library's cleaned `text`, each page alone) and "tuireader clean + site profile" (the same with the
profile of the page's host, built from the raw pages of that host in the corpus: 14 hosts have two
pages). Each is scored on two halves, split by a hash of the host so both pages of a site fall in the
same half: "tune" (the pages the rules were developed on) and "held-out" (scored only), and on all.
Run: `.venv/bin/python bench/quality_cleaning.py [--worst N]`.
The corpus is data for measurement only; it is read in place, never copied into the project.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CORPUS = Path(
    os.environ.get("TUIREADER_SCRAPED_TEXT_DEV", ROOT.parent / "shared" / "corpora" / "scraped-text-dev")
)
TARGET_F1 = 0.93  # issue 12; and no news page below 0.3
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


def split_of(url: str) -> str:
    """ "tune" or "held-out", by a hash of the page's host: pages of one site stay in one half, so a
    rule tuned on a site's furniture is never scored on that site's other page."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return "tune" if int(hashlib.sha256(host.encode()).hexdigest(), 16) % 2 == 0 else "held-out"


@dataclass(frozen=True, slots=True)
class Page:
    page_id: str
    path: Path
    gold: str
    url: str
    split: str


def load_corpus(corpus: Path = CORPUS) -> list[Page] | None:
    """The pages with their gold body, URL and split, or None when the corpus is absent."""
    gold_path = corpus / "gold.json"
    if not gold_path.is_file():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(gold.items()):
        path = corpus / "pages" / f"{page_id}.txt"
        if path.is_file():
            url = entry.get("url", "")
            pages.append(Page(page_id, path, entry.get("articleBody", ""), url, split_of(url)))
    return pages


def _read(page: Page):
    """The page as the Library reads it, with its URL declared (a scraper knows where it was)."""
    from dataclasses import replace

    from tuireader.sources.files import read_document

    raw = read_document(page.path)
    return replace(raw, declared={**raw.declared, "url": page.url})


def _whole_page(page: Page, profiles: dict) -> str:
    return page.path.read_text(encoding="utf-8", errors="replace")


def _tuireader(page: Page, profiles: dict) -> str:
    from tuireader.clean import clean
    from tuireader.sources.files import SourceError

    try:
        return clean(_read(page)).text
    except SourceError:
        return ""


def _tuireader_profiled(page: Page, profiles: dict) -> str:
    from tuireader.clean import clean, host_of
    from tuireader.sources.files import SourceError

    try:
        raw = _read(page)
        return clean(raw, profiles.get(host_of(raw) or "")).text
    except SourceError:
        return ""


OURS = "tuireader clean"
PROFILED = "tuireader clean + site profile"
METHODS: dict[str, Callable[[Page, dict], str]] = {
    "whole page": _whole_page,
    OURS: _tuireader,
    PROFILED: _tuireader_profiled,
}
SPLITS = ("tune", "held-out", "all")


def build_profiles(pages: list[Page]) -> dict:
    """Site profiles of the hosts with two or more pages, from the raw pages alone (no gold)."""
    from tuireader.clean import site_profiles

    return site_profiles(_read(p) for p in pages)


def evaluate(method: str, pages: list[Page]) -> list[dict]:
    """Rows of the table for `method`, one per split, each with its per-page scores under "pages"."""
    extract = METHODS[method]
    started = time.perf_counter()
    profiles = build_profiles(pages) if method == PROFILED else {}
    per_page = []
    for page in pages:
        counts = shingle_counts(page.gold, extract(page, profiles))
        p, r, f = page_scores(counts)
        per_page.append(
            {"page": page.page_id, "url": page.url, "split": page.split, "precision": p, "recall": r,
             "f1": f, "counts": counts}
        )  # fmt: skip
    seconds = time.perf_counter() - started
    rows = []
    for split in SPLITS:
        chosen = [row for row in per_page if split in ("all", row["split"])]
        p, r, f = macro([row["counts"] for row in chosen])
        rows.append(
            {"method": method, "split": split, "pages": len(chosen), "precision": p, "recall": r, "f1": f,
             "below_03": sum(1 for row in chosen if row["f1"] < 0.3), "seconds": seconds, "per_page": chosen}
        )  # fmt: skip
    return rows


def report(corpus: Path = CORPUS) -> list[dict]:
    """Rows for the quality table ([] when the corpus is absent): one per method and split."""
    pages = load_corpus(corpus)
    if not pages:
        return []
    return [row for method in METHODS for row in evaluate(method, pages)]


def worst_pages(row: dict, n: int = 10) -> list[dict]:
    return sorted(row["per_page"], key=lambda p: p["f1"])[:n]


def render(rows: list[dict], worst: int = 10) -> list:
    """Rich renderables for the report (the lead's bench/quality.py prints these)."""
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return [f"[skipped] cleaning: corpus not found at {CORPUS}"]
    table = Table(
        title="Cleaning plain-text scrapes (4-word shingles; split by host hash: tune = rules developed "
        "on, held-out = scored only)"
    )
    for column in ("method", "split", "pages", "precision", "recall", "F1", "pages F1<0.3", "target", "s"):
        table.add_column(column, justify="left" if column in ("method", "split") else "right")
    for row in rows:
        ours = row["method"] != "whole page"
        ok = row["f1"] >= TARGET_F1
        table.add_row(
            Text(row["method"]),
            row["split"],
            str(row["pages"]),
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["below_03"]),
            ("met" if ok else "not met") if ours else "",
            f"{row['seconds']:.2f}" if row["split"] == "all" else "",
        )
    out: list = [table]
    for method in (OURS, PROFILED):
        every = next((r for r in rows if r["method"] == method and r["split"] == "all"), None)
        if every is None or not worst:
            continue
        bad = Table(title=f"Worst {worst} pages by F1 ({method})")
        for column in ("page", "split", "precision", "recall", "F1", "url"):
            bad.add_column(column, justify="left" if column in ("page", "split", "url") else "right")
        for page in worst_pages(every, worst):
            bad.add_row(
                Text(page["page"][:12]), page["split"], f"{page['precision']:.2f}", f"{page['recall']:.2f}",
                f"{page['f1']:.2f}", Text(page["url"][:60]),  # untrusted text: never markup
            )  # fmt: skip
        out.append(bad)
    return out


# Each rule of issue 12, switched off by resetting what it reads (bench code, not a production hook).
ABLATIONS: dict[str, dict[str, object]] = {
    "comment stamps ('3 hours ago', 'Jo says:', 'Like · Reply')": {
        "_RELATIVE_TIME": None,
        "cues": "_ACTION|_SAYS",
    },
    "thread headings ('34 Comments') and their zone": {"cues": "_NOUN"},
    "section headings ('Related stories') and teaser lists": {"cues": "_SECTION"},
    "comment split off the story by the stamp under it": {"THREAD_STAMPS": 10**9},
    "threads and teaser lists demoted": {"LIST_FACTOR": 1.0},
    "footer legal text around the last copyright line demoted": {"FOOTER_FACTOR": 1.0},
    "promotions shouted in capitals": {"SHOUTED_WORDS": 10**9},
    "ad slot labels": {"cues": "_AD"},
    "site notices (consent, privacy)": {"NOTICE_HITS": 10**9},
    "author boxes ('About Jane Doe')": {"BIO_WORDS": 0},
}
# Thresholds of the new rules, each moved by a third either way for the sensitivity table.
SENSITIVE = ("LIST_FACTOR", "FOOTER_FACTOR", "FOOTER_SHARE", "THREAD_STAMPS", "LIST_REACH", "LIST_LINES",
             "TEASER_WORDS", "SHOUTED_WORDS", "AD_WORDS", "NOTICE_HITS", "BIO_WORDS")  # fmt: skip


def _patched(text, changes: dict[str, object]) -> dict[str, object]:
    """Apply `changes` to the text module; returns what to restore."""
    import re as _re

    saved: dict[str, object] = {}
    for name, value in changes.items():
        if name == "cues":
            flags = 0
            for flag in str(value).split("|"):
                flags |= getattr(text, flag)
            saved["_CUES"] = text._CUES
            text._CUES = {w: c & ~flags for w, c in text._CUES.items()}
        elif name == "_RELATIVE_TIME":
            saved[name] = text._RELATIVE_TIME
            text._RELATIVE_TIME = _re.compile(r"(?!)")
        else:
            saved[name] = getattr(text, name)
            setattr(text, name, value)
    return saved


def ablation_rows(pages: list[Page]) -> list[tuple[str, dict, dict]]:
    """(rule switched off, tune row, held-out row) for each rule, plus the full cleaner first."""
    from tuireader.clean import text

    out = []
    for label, changes in [("(all rules)", {}), *ABLATIONS.items()]:
        saved = _patched(text, changes)
        try:
            rows = evaluate(OURS, pages)
        finally:
            for name, value in saved.items():
                setattr(text, name, value)
        out.append((label, rows[0], rows[1], rows[2]))
    return out


def sensitivity_rows(pages: list[Page]) -> list[tuple[str, object, float, float]]:
    """(threshold, value, F1 on all pages at 2/3 of it, at 4/3 of it)."""
    from tuireader.clean import text

    out = []
    for name in SENSITIVE:
        base = getattr(text, name)
        scores = []
        for factor in (2 / 3, 4 / 3):
            value = type(base)(base * factor) if isinstance(base, float) else max(1, round(base * factor))
            saved = _patched(text, {name: value})
            try:
                scores.append(evaluate(OURS, pages)[2]["f1"])
            finally:
                setattr(text, name, saved[name])
        out.append((name, base, scores[0], scores[1]))
    return out


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    parser.add_argument("--ablation", action="store_true", help="also score the cleaner with each rule off")
    parser.add_argument(
        "--sensitivity", action="store_true", help="also score each new threshold moved by a third"
    )
    args = parser.parse_args(argv)
    console = Console(width=150)
    if load_corpus() is None:
        console.print(f"skipped: cleaning corpus not found at {CORPUS}", markup=False)
        return 0
    for renderable in render(report(), args.worst):
        if isinstance(renderable, str):
            console.print(renderable, markup=False)
        else:
            console.print(renderable)
    if args.ablation or args.sensitivity:
        from rich.table import Table

        pages = load_corpus() or []
    if args.ablation:
        table = Table(title="Ablation: tuireader clean with one rule of issue 12 switched off (F1)")
        for column in ("switched off", "tune", "held-out", "all", "pages F1<0.3"):
            table.add_column(column, justify="left" if column == "switched off" else "right")
        for label, tune, held, every in ablation_rows(pages):
            table.add_row(
                label, f"{tune['f1']:.3f}", f"{held['f1']:.3f}", f"{every['f1']:.3f}", str(every["below_03"])
            )
        console.print(table)
    if args.sensitivity:
        table = Table(
            title="Sensitivity: F1 on all pages with each new threshold at 2/3 and 4/3 of its value"
        )
        for column in ("threshold", "value", "F1 at 2/3", "F1 at 4/3"):
            table.add_column(column, justify="left" if column == "threshold" else "right")
        for name, value, low, high in sensitivity_rows(pages):
            table.add_row(name, str(value), f"{low:.3f}", f"{high:.3f}")
        console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
