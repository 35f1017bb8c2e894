"""Reader start-up and version-switching times; prints a table.

    .venv/bin/python bench/bench_reader.py [--runs 3] [--size 10000] [--workdir /tmp/tuireader-bench]

Launch times are measured in a fresh interpreter per run (the way a user starts the reader), from
just before the process is spawned to:

* first paint: the list has been painted with its rows;
* article: the open article's text has been painted (readable, scrollable);
* linked: its highlights and cross-version links have arrived (the story analysed or read from cache).

Libraries: the bundled sample articles, and a generated library of `--size` articles made from the
ECB+ corpus in /work/shared/corpora (read only; files are written to the work folder, never into the
project). Each library is prepared once (scanned, and the bundled one analysed) so launches measure
a returning user; the first-ever launch of the bundled library is reported too.

Switching: in one running reader (headless), `n` is pressed repeatedly through the versions of the
bundled story; each switch is timed from the key press to the new text being painted, first with
versions never opened in the session, then revisiting them. Targets (issue 4): first paint < 1 s
bundled, < 2 s at 10,000 articles; switching < 50 ms.

Synthetic libraries (issue 18: first paint must not grow with the library):

    .venv/bin/python bench/bench_reader.py --synthetic 1000,10000,100000 [--runs 3] [--src OTHER/src]

generates each size with bench/synthetic.py (many stories, each told by several outlets), scans
it once, then per size: first paint (launch to the list painted), full list (launch to the scan's
whole list shown), the reader's peak memory (max RSS at that point), and version switching in a
headless reader (`n` through the versions of the ten newest multi-version stories, linked
beforehand, three laps: key press to the new text painted) as p50 / p99 / max. `--src` runs another checkout's code on the
same libraries (e.g. the code before a change: `git archive HEAD | tar -x -C /tmp/before`).
Targets at 1,000,000 (issue 18): first paint < 1 s, switch p99 < 50 ms, reader peak < 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SEEDS = ROOT / "articles"
ECB = Path("/work/shared/corpora/ecbplus/docs.jsonl")

# The child: start the reader headless, record when the list and the article are first painted.
CHILD = r"""
import asyncio, json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
marks = {}

def mark(name):
    marks.setdefault(name, time.time() - T0)

from tuireader.tui.widgets import article_list, article_text

_list_render = article_list.ArticleList.render_line
def list_render(self, y):
    strip = _list_render(self, y)
    if self.lines and "first_paint" not in marks:
        mark("first_paint")
        marks["heavy_imports_before_paint"] = "spacy" in sys.modules or "trafilatura" in sys.modules
    return strip
article_list.ArticleList.render_line = list_render

_text_render = article_text.ArticleText.render_line
def text_render(self, y):
    strip = _text_render(self, y)
    if self.article is not None:
        mark("article")
        if self.highlights:
            mark("linked")
    return strip
article_text.ArticleText.render_line = text_render

from tuireader.library import Library
from tuireader.tui.app import ReaderApp

lib = Library(sys.argv[1], cache_dir=sys.argv[2])
app = ReaderApp(lib, background_analysis=False)

async def run():
    async with app.run_test(size=(140, 40)) as pilot:
        deadline = time.time() + float(sys.argv[3])
        while time.time() < deadline:
            await pilot.pause(0.01)
            main = app.reader
            if main.scanned:
                mark("full_list")
            if "article" in marks and (main.current_view is not None or main.view_error is not None) \
                    and (main.scanned or os.environ.get("BENCH_FULL") != "1"):
                await pilot.pause(0.05)
                if main.current_view is not None:
                    mark("linked")  # analysed (highlights painted, or none to paint)
                break
        marks["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

asyncio.run(run())
lib.close()
print(json.dumps(marks))
"""


# The switching child: `n` through the versions of the newest multi-version stories, timed.
SWITCH_CHILD = r"""
import asyncio, json, sys, time
from tuireader.library import Library
from tuireader.tui.app import ReaderApp
from tuireader.tui.widgets import article_text

painted = {}
original = article_text.ArticleText.render_line
def render_line(self, y):
    strip = original(self, y)
    if self.article is not None:
        painted.setdefault(self.article.id, time.perf_counter())
    return strip
article_text.ArticleText.render_line = render_line

lib = Library(sys.argv[1], cache_dir=sys.argv[2])
app = ReaderApp(lib, background_analysis=False, remember=False, poll_seconds=None)
times = []

async def run():
    async with app.run_test(size=(140, 40)) as pilot:
        main = None
        for _ in range(30000):
            await pilot.pause(0.01)
            main = app.reader
            if main.current_id is not None and main.text.article is not None:
                break
        stories = [g for g in main.article_list.groups if len(g.versions) > 1][:10]
        # Link those stories first (once per library; the content cache keeps them): switching is
        # timed as the reader does it, not spaCy analysing a story on demand in a thread beside it.
        for g in stories:
            await asyncio.to_thread(lib.links, g.id)
        main.text.focus()
        for lap in range(3):
            for g in stories:
                main.open_article(g.versions[0].id)
                await pilot.pause(0.05)
                for _ in range(len(g.versions)):
                    painted.clear()
                    t = time.perf_counter()
                    await pilot.press("n")
                    target = main.current_id
                    deadline = time.monotonic() + 60
                    while target not in painted and time.monotonic() < deadline:
                        await asyncio.sleep(0.001)
                    if target in painted:
                        times.append((painted[target] - t) * 1000)
                    await pilot.pause()

asyncio.run(run())
lib.close()
print(json.dumps(times))
"""


def launch(library: Path, cache: Path, timeout: float = 300.0, src: Path | None = None,
           full: bool = False) -> dict[str, float]:  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(src or ROOT / "src"), BENCH_FULL="1" if full else "0")
    env["BENCH_T0"] = repr(time.time())
    out = subprocess.run([PY, "-c", CHILD, str(library), str(cache), str(timeout)], env=env,
                         capture_output=True, text=True, timeout=timeout + 60)
    if out.returncode != 0:
        raise SystemExit(f"reader child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_bundled(work: Path) -> tuple[Path, Path]:
    lib = work / "bundled" / "articles"
    cache = work / "bundled" / "cache"
    shutil.rmtree(work / "bundled", ignore_errors=True)
    lib.mkdir(parents=True)
    for p in SEEDS.iterdir():
        if p.is_file():
            shutil.copy2(p, lib / p.name)
    return lib, cache


def make_large(work: Path, size: int) -> tuple[Path, Path, float | None]:
    """A library of `size` articles from ECB+ (each document repeated with a distinct outlet/date)."""
    from tuireader.library import Library

    base = work / f"large-{size}"
    lib, cache, ready = base / "articles", base / "cache", base / "ready"
    if ready.exists():
        return lib, cache, None
    shutil.rmtree(base, ignore_errors=True)
    lib.mkdir(parents=True)
    docs = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line.strip()]
    width = len(str(size))
    for i in range(size):
        d = docs[i % len(docs)]
        copy = i // len(docs)
        header = (f"---\noutlet: Bench Outlet {copy:02d}\npublished: 2023-{1 + copy % 12:02d}-{1 + i % 28:02d}\n"
                  f"title: {' '.join(d['title'].split())[:150]}\n---\n")
        body = d["text"].strip()
        (lib / f"{i:0{width}d}_{d['doc_id']}_{copy}.txt").write_text(header + body + f"\n\n(Archive copy {copy}.)\n",
                                                                     encoding="utf-8")
    t = time.perf_counter()
    library = Library(lib, cache_dir=cache)
    library.scan()
    library.close()
    elapsed = time.perf_counter() - t
    ready.write_text("ok")
    return lib, cache, elapsed


def make_synthetic(work: Path, size: int) -> tuple[Path, Path, float | None]:
    """A library of `size` articles from bench/synthetic.py (stories told by several outlets),
    written and scanned once (the scan is the user's first start, not measured here)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from suite import write_library
    from tuireader.library import Library

    base = work / f"synthetic-{size}"
    lib, cache, ready = base / "articles", base / "cache", base / "ready"
    if ready.exists():
        return lib, cache, None
    shutil.rmtree(base, ignore_errors=True)
    write_library(size, 7, lib, base / "incoming")
    t = time.perf_counter()
    library = Library(lib, cache_dir=cache)
    library.scan()
    library.close()
    elapsed = time.perf_counter() - t
    ready.write_text("ok")
    return lib, cache, elapsed


def warm_bundled(lib: Path, cache: Path) -> None:
    from tuireader.library import Library

    library = Library(lib, cache_dir=cache)
    library.scan()
    library.analyze_all()
    library.close()


async def switching(lib: Path, cache: Path) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds from pressing `n` to the new version painted: text on first visits, text on
    revisits, and highlights (the links) on every visit."""
    from tuireader.library import Library
    from tuireader.tui.app import ReaderApp
    from tuireader.tui.widgets import article_text

    painted: dict[str, float] = {}
    linked_at: dict[str, float] = {}
    original = article_text.ArticleText.render_line

    def render_line(self, y):  # noqa: ANN001
        strip = original(self, y)
        if self.article is not None:
            now = time.perf_counter()
            painted.setdefault(self.article.id, now)
            if self.highlights:
                linked_at.setdefault(self.article.id, now)
        return strip

    article_text.ArticleText.render_line = render_line
    library = Library(lib, cache_dir=cache)
    app = ReaderApp(library, background_analysis=False, remember=False)
    first: list[float] = []
    again: list[float] = []
    linked: list[float] = []
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            main = None
            for _ in range(3000):
                await pilot.pause(0.01)
                main = app.reader
                if main.current_view is not None:
                    break
            assert main is not None and main.current_id is not None
            versions = main.article_list.story_versions(main.current_id)
            main.text.focus()
            for lap in range(3):
                for _ in range(len(versions)):
                    painted.clear()
                    linked_at.clear()
                    t = time.perf_counter()
                    await pilot.press("n")
                    target = main.current_id
                    deadline = time.monotonic() + 60
                    while (target not in painted or target not in linked_at) and time.monotonic() < deadline:
                        await asyncio.sleep(0.001)
                    if target in painted:
                        (first if lap == 0 else again).append((painted[target] - t) * 1000)
                    if target in linked_at:
                        linked.append((linked_at[target] - t) * 1000)
                    await pilot.pause()
    finally:
        article_text.ArticleText.render_line = original
        library.close()
    return first, again, linked


def switch_times(library: Path, cache: Path, src: Path | None = None, timeout: float = 900.0) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(src or ROOT / "src"))
    out = subprocess.run([PY, "-c", SWITCH_CHILD, str(library), str(cache)], env=env, capture_output=True,
                         text=True, timeout=timeout)  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"switching child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def synthetic_table(args: argparse.Namespace) -> int:
    """First paint, full list, peak memory and switching at each synthetic size."""
    src = args.src.resolve() if args.src else None
    print(f"code: {src or ROOT / 'src'}")
    print(f"{'articles':>9} {'first paint':>11} {'full list':>10} {'peak MB':>8} "
          f"{'switch p50':>10} {'p99':>8} {'max':>8} {'n':>4}")
    print("-" * 80)
    for size in (int(n) for n in args.synthetic.split(",")):
        lib, cache, prep = make_synthetic(args.workdir, size)
        if prep is not None:
            print(f"(prepared {size:,} articles: first scan {prep:.0f} s)")
        runs = [launch(lib, cache, src=src, full=True) for _ in range(args.runs)]
        m = _median(runs)
        full = statistics.median(r["full_list"] for r in runs if "full_list" in r) if runs else None
        peak = max(r.get("peak_mb", 0) for r in runs)
        times = switch_times(lib, cache, src)
        print(f"{size:>9,} {fmt(m.get('first_paint')):>11} {fmt(full):>10} {peak:8.0f} "
              f"{statistics.median(times):8.1f}ms {percentile(times, 0.99):6.1f}ms {max(times):6.1f}ms {len(times):4d}")
    return 0


def fmt(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:7.0f} ms" if v < 10 else f"{v:7.1f} s "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tuireader-bench"))
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--synthetic", metavar="SIZES", help="comma-separated sizes of synthetic libraries")
    parser.add_argument("--src", type=Path, help="the src/ folder of the code to measure (default: this one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.synthetic:
        return synthetic_table(args)

    rows: list[tuple[str, dict[str, float | None]]] = []
    lib, cache = make_bundled(args.workdir)
    cold = launch(lib, cache)
    rows.append(("bundled, first launch ever (scan + analysis)", cold))
    warm_bundled(lib, cache)
    runs = [launch(lib, cache) for _ in range(args.runs)]
    rows.append((f"bundled (5 articles), median of {args.runs}", _median(runs)))

    prep = None
    if not args.skip_large and ECB.exists():
        large, large_cache, prep = make_large(args.workdir, args.size)
        runs = [launch(large, large_cache) for _ in range(args.runs)]
        rows.append((f"{args.size:,} articles, median of {args.runs}", _median(runs)))

    first, again, linked = asyncio.run(switching(lib, cache))

    print()
    print(f"{'launch to …':48} {'first paint':>11} {'article':>11} {'linked':>11}  heavy imports before paint")
    print("-" * 112)
    for name, m in rows:
        heavy = m.get("heavy_imports_before_paint")
        print(f"{name:48} {fmt(m.get('first_paint')):>11} {fmt(m.get('article')):>11} {fmt(m.get('linked')):>11}  "
              f"{'yes' if heavy else 'no' if heavy is not None else '?'}")
    if prep is not None:
        print(f"(one-time preparation of the {args.size:,}-article library: first scan {prep:.1f} s)")
    print()
    print(f"{'switching versions (n), key press to text painted':56} {'median':>8} {'max':>8} {'n':>4}")
    print("-" * 80)
    for name, values in (("first visit in the session", first), ("revisit", again),
                         ("to links shown (highlights, info pane)", linked)):
        if values:
            print(f"{name:56} {statistics.median(values):6.1f}ms {max(values):6.1f}ms {len(values):4d}")
    return 0


def _median(runs: list[dict]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in ("first_paint", "article", "linked"):
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    out["heavy_imports_before_paint"] = any(r.get("heavy_imports_before_paint") for r in runs)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
