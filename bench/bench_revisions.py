"""The revision diff (`d` in the reader): compute and render times for two revisions; prints a table.

    .venv/bin/python bench/bench_revisions.py [--words 1000,5000,10000] [--runs 20] [--workdir /tmp/x]

For each size, two revisions of one article of that many words are written into a fresh library
folder (`<first>.txt` and `<first>-r2.txt`, as a re-fetch stores them) and scanned. The text is
news prose from the ECB+ corpus in /work/shared/corpora (read only), cut into paragraphs of about
60 words; the second revision edits it the way outlets do: a figure changed in every fifth
paragraph, a sentence added to every seventh, one paragraph taken out and one put in.

* diff compute: `Library.revision_diff(first, second)` (what the revision screen asks the core
  for: paragraph pairs with word diffs), median of `--runs`;
* render: the screen's part, in a headless Textual app at 140x40: the spans and rows built from
  the pairs (`revision_layout`), laid out in the compare view (`CompareView.set_data`: wrapping
  both columns) and every visible line painted (`render_line`), median of `--runs`;
* total: the two together. Target (issue 16): the diff of two 1,000-word revisions renders in
  < 100 ms (diff compute + render).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ECB = Path("/work/shared/corpora/ecbplus/docs.jsonl")
FIRST = "20240514_5b903ab4dc6d6d19"
TARGET_MS = 100.0
SIZE = (140, 40)


def prose(words: int) -> list[str]:
    """About `words` words of news text in paragraphs of ~60 words (ECB+ documents, in order)."""
    sentences: list[str] = []
    total = 0
    with ECB.open(encoding="utf-8") as fh:
        for line in fh:
            text = " ".join(json.loads(line).get("text", "").split())
            for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
                n = len(s.split())
                if 5 <= n <= 60:
                    sentences.append(s)
                    total += n
            if total >= words:
                break
    paragraphs, current, count, used = [], [], 0, 0
    for s in sentences:
        if used >= words:
            break
        current.append(s)
        count += len(s.split())
        used += len(s.split())
        if count >= 60:
            paragraphs.append(" ".join(current))
            current, count = [], 0
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def revise(paragraphs: list[str]) -> list[str]:
    """The second revision: a figure changed in every fifth paragraph, a sentence added to every
    seventh, the fourth paragraph taken out, one put in after the second."""
    out = []
    for i, p in enumerate(paragraphs):
        if i == 3:
            continue
        if i % 5 == 0:
            p = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7), p, count=1) if re.search(r"\d", p) \
                else p.replace(" the ", " the latest ", 1)
        if i % 7 == 0:
            p += " The figures were revised later on Tuesday, officials said."
        out.append(p)
        if i == 1:
            out.append("Correction: an earlier version of this article misstated the number of people evacuated.")
    return out


def document(paragraphs: list[str], revision: int) -> str:
    extra = "" if revision == 1 else f"revision: 2\nprevious: {FIRST}\nfetched: 2024-05-15T07:30:00+00:00\n"
    head = f"---\ntitle: Benchmark article\noutlet: Bench Times\npublished: 2024-05-14\n{extra}---\n"
    return head + "\n\n".join(paragraphs) + "\n"


async def render_times(lib, pairs_runs: int) -> list[float]:  # noqa: ANN001 - Library
    from textual.app import App, ComposeResult

    from tuireader.tui.screens.revisions import revision_layout
    from tuireader.tui.widgets.compare_view import CompareView

    class Host(App):
        CSS_PATH = str(ROOT / "src" / "tuireader" / "tui" / "tuireader.tcss")

        def compose(self) -> ComposeResult:
            yield CompareView(id="revision-view")

    older, newer = lib.article(FIRST), lib.article(f"{FIRST}-r2")
    pairs = lib.revision_diff(FIRST, f"{FIRST}-r2")
    times = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(CompareView)
        for _ in range(pairs_runs):
            t0 = time.perf_counter()
            left, right, rows = revision_layout(older, newer, pairs)
            view.set_data(left, right, rows)
            for y in range(view.size.height):
                view.render_line(y)
            times.append((time.perf_counter() - t0) * 1000)
            await pilot.pause()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", default="1000,5000,10000", help="sizes, comma separated")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from tuireader.library import Library

    work = args.workdir or Path(tempfile.mkdtemp(prefix="tuireader-bench-revisions-"))
    rows = []
    for words in (int(w) for w in args.words.split(",")):
        folder = work / f"lib-{words}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        first = prose(words)
        second = revise(first)
        (folder / f"{FIRST}.txt").write_text(document(first, 1), encoding="utf-8")
        (folder / f"{FIRST}-r2.txt").write_text(document(second, 2), encoding="utf-8")
        lib = Library(folder, cache_dir=work / f"cache-{words}")
        try:
            lib.scan()
            counted = lib.article(FIRST).words
            lib.revision_diff(FIRST, f"{FIRST}-r2")  # the articles read once, as the screen has them
            compute = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                pairs = lib.revision_diff(FIRST, f"{FIRST}-r2")
                compute.append((time.perf_counter() - t0) * 1000)
            changed = sum(1 for p in pairs if p.kind == "reworded")
            render = asyncio.run(render_times(lib, args.runs))
        finally:
            lib.close()
        c, r = statistics.median(compute), statistics.median(render)
        rows.append((counted, len(first), changed, c, r, c + r))

    print(f"Revision diff (median of {args.runs} runs; view {SIZE[0]}x{SIZE[1]})")
    head = ("words", "paragraphs", "changed", "diff compute ms", "render ms", "total ms", "target")
    print(" | ".join(f"{h:>15}" for h in head))
    print("-+-".join("-" * 15 for _ in head))
    for words, paras, changed, c, r, total in rows:
        mark = f"< {TARGET_MS:.0f} ms " + ("✓" if total < TARGET_MS else "✗") if words <= 1100 else "-"
        cells = (f"{words:,}", f"{paras}", f"{changed}", f"{c:.1f}", f"{r:.1f}", f"{total:.1f}", mark)
        print(" | ".join(f"{x:>15}" for x in cells))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
