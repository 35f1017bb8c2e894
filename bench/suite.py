"""The scale benchmark: build libraries of 1,000, 10,000 and 100,000 articles and time the reader.

    .venv/bin/python bench/suite.py            # 1k, 10k and 100k (minutes on 2 cores, not hours)
    .venv/bin/python bench/suite.py --quick    # 1k only: the CI smoke run, never asserts times
    .venv/bin/python bench/suite.py --sizes 1000,10000 --keep /tmp/libs

For each size it generates articles (`bench/synthetic.py`: many stories, each told by several
outlets with reworded quotes, boilerplate and noise), writes them as .txt files into a fresh library
folder and then measures, through the same code paths a user runs:

* ingest: `Library.scan()` over the folder (clean, cluster into stories, index), articles/s; the
  time spent clustering (`Library._add_to_stories`) and indexing is reported on its own, and B-cubed
  F1 of the found stories against the generator's stories says whether the clustering was any good;
* search: `Library.search()` latency p50/p95 over a fixed mix of queries (quote fragments, phrases,
  single words, outlet and date filters), with the page cache warm;
* add one: `Library.ingest([file])` of one new article into the full library (the incremental path);
* the reader: a separate process starts `ReaderApp` headless on the scanned library (a returning
  user; background analysis off, so spaCy's CPU does not blur the timings) and reports first paint
  (list rows drawn), first article (text drawn), switching versions (`n` to the next version's text
  drawn, median), and its peak RSS.

Each size runs in its own process so peak memory is per size. Targets at 100,000 articles (from
issue 6): search p95 < 100 ms, first paint < 2 s, reader peak < 500 MB. Nothing here asserts them:
the table shows them, and a step that crashes marks its cells "error" and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

TARGETS = {"search_p95_ms": 100.0, "first_paint_s": 2.0, "reader_peak_mb": 500.0}
SEARCH_QUERIES = 200
READER_TIMEOUT_S = 600.0


# --- articles ---------------------------------------------------------------------------------------
def generate(n_articles: int, seed: int) -> list[dict]:
    """Articles from the shared generator, `bench/synthetic.py`."""
    from synthetic import generate as synthetic_generate

    return synthetic_generate(n_articles, seed=seed)


def article_file_text(item: dict) -> str:
    """The article as a library .txt file: a header block stating outlet, title and date, then text."""
    header = ["---", f"title: {one_line(item['title'])}", f"outlet: {one_line(item['outlet'])}"]
    if item.get("published"):
        header.append(f"published: {item['published']}")
    header.append("---")
    return "\n".join(header) + "\n\n" + item["text"].strip() + "\n"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def write_library(items: list[dict], folder: Path) -> dict[str, str]:
    """Write the articles as files; returns file stem -> the generator's story, for scoring."""
    folder.mkdir(parents=True, exist_ok=True)
    gold: dict[str, str] = {}
    width = len(str(len(items)))
    for n, item in enumerate(items):
        stem = f"{n:0{width}d}_{safe(str(item['id']))}"
        (folder / f"{stem}.txt").write_text(article_file_text(item), encoding="utf-8")
        gold[stem] = str(item["story"])
    return gold


def safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:40]


# --- measurements inside one size's process ------------------------------------------------------
class Timer:
    """Adds up the wall time of calls to one method of one object, without changing what it does."""

    def __init__(self, owner: Any, name: str) -> None:
        self.total = 0.0
        self.available = hasattr(owner, name)
        if not self.available:
            return
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - start

        setattr(owner, name, timed)


def bcubed_f1(found: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of a clustering (article -> cluster) against the generator's stories."""
    ids = [i for i in gold if i in found]
    if not ids:
        return 0.0
    by_found: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for i in ids:
        by_found.setdefault(found[i], set()).add(i)
        by_gold.setdefault(gold[i], set()).add(i)
    precision = recall = 0.0
    for i in ids:
        same = len(by_found[found[i]] & by_gold[gold[i]])
        precision += same / len(by_found[found[i]])
        recall += same / len(by_gold[gold[i]])
    precision /= len(ids)
    recall /= len(ids)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def search_queries(items: list[dict], seed: int) -> list[tuple[str, dict]]:
    """A fixed mix of what readers type: fragments of quotes and sentences, phrases, single words,
    and the same with an outlet or a date-range filter."""
    rng = random.Random(seed)
    outlets = sorted({str(i["outlet"]) for i in items})
    dates = sorted(str(i["published"])[:10] for i in items if i.get("published"))
    queries: list[tuple[str, dict]] = []
    while len(queries) < SEARCH_QUERIES:
        # Words from one paragraph, as a reader would copy or remember them.
        words = rng.choice(rng.choice(items)["text"].split("\n\n")).split()
        if len(words) < 8:
            continue
        kind = rng.random()
        length = rng.choice([1, 2, 3, 4, 6]) if kind < 0.7 else rng.choice([2, 3])
        start = rng.randrange(len(words) - length)
        text = " ".join(w.strip('.,;:!?"“”‘’()') for w in words[start : start + length]).strip()
        if not text:
            continue
        filters: dict = {}
        if kind >= 0.7:
            text = f'"{text}"'
        roll = rng.random()
        if roll < 0.1 and outlets:
            filters["outlet"] = rng.choice(outlets).upper()
        elif roll < 0.2 and dates:
            first = rng.randrange(len(dates))
            filters["since"] = dates[first]
            filters["until"] = dates[min(len(dates) - 1, first + max(1, len(dates) // 50))]
        queries.append((text, filters))
    return queries


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    /proc's VmHWM first: `ru_maxrss` survives exec on Linux, so a child spawned by a big parent
    would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_size(n: int, workdir: Path, seed: int) -> dict:
    """Everything for one library size, in this (fresh) process; returns the table row's values."""
    row: dict[str, Any] = {"size": n, "errors": [], "notes": []}

    def fail(step: str, exc: BaseException) -> None:
        row["errors"].append(f"{step}: {type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)

    library_dir = workdir / "library"
    cache_dir = workdir / "cache"
    extra_dir = workdir / "incoming"
    log(f"[{n}] generating")
    t = time.perf_counter()
    items = generate(n + 1, seed)
    newcomer, items = items[-1], items[:-1]
    gold = write_library(items, library_dir)
    row["generate_s"] = time.perf_counter() - t

    try:
        from tuireader.library import Library

        library = Library(library_dir, cache_dir=cache_dir)
        clustering = Timer(library, "_add_to_stories")
        indexing = Timer(library.index, "add_many")
        log(f"[{n}] ingesting (Library.scan)")
        start = time.perf_counter()
        report = library.scan(progress=progress_printer(n))
        elapsed = time.perf_counter() - start
    except Exception as exc:
        fail("ingest", exc)
        return row
    try:
        row["ingest_per_s"] = n / elapsed
        row["ingest_s"] = elapsed
        if report.problems:
            row["notes"].append(f"{len(report.problems)} files not ingested, e.g. {report.problems[0]}")
        if clustering.available:
            row["cluster_s"] = clustering.total
        if indexing.available:
            row["index_s"] = indexing.total
        found = {s.id: (s.story or s.id) for s in library.articles()}
        row["stories_f1"] = bcubed_f1(found, gold)
        row["stories"] = len(set(found.values()))
    except Exception as exc:
        fail("ingest", exc)
        return row
    row["ingest_peak_mb"] = peak_rss_mb()

    log(f"[{n}] searching")
    measure_search(library, items, seed, row)

    log(f"[{n}] adding one article")
    try:
        extra_dir.mkdir(parents=True, exist_ok=True)
        path = extra_dir / f"newcomer_{safe(str(newcomer['id']))}.txt"
        path.write_text(article_file_text(newcomer), encoding="utf-8")
        start = time.perf_counter()
        added = library.ingest([str(path)])
        row["add_one_s"] = time.perf_counter() - start
        if added.problems:
            row["notes"].append(f"add one: {added.problems[0]}")
    except Exception as exc:
        fail("add one", exc)
    library.close()

    log(f"[{n}] starting the reader")
    row.update(measure_reader(library_dir, cache_dir, row))
    return row


def measure_search(searcher: Any, items: list[dict], seed: int, row: dict) -> None:
    """Latency of `searcher.search` over the fixed query mix (wall clock, as the reader feels it)."""
    try:
        queries = search_queries(items, seed)
        searcher.search("warm up the ranker")  # imports rapidfuzz once, as the reader's first search does
        latencies = []
        for text, filters in queries:
            start = time.perf_counter()
            searcher.search(text, **filters)
            latencies.append((time.perf_counter() - start) * 1000)
        row["search_p50_ms"] = statistics.median(latencies)
        row["search_p95_ms"] = percentile(latencies, 0.95)
    except Exception as exc:
        row["errors"].append(f"search: {type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)


def progress_printer(n: int):
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - last[0] > 10 or done == total:
            last[0] = now
            log(f"[{n}]   {what[:30]} {done}/{total}")

    return progress


def measure_reader(library_dir: Path, cache_dir: Path, row: dict) -> dict:
    """Start the reader in its own process, as a user would, and read back its timings."""
    try:
        import tuireader.tui.app  # noqa: F401  (only to know whether the reader exists)
    except ImportError as exc:
        row["notes"].append(f"reader not measured: {exc}")
        return {}
    out = cache_dir / "reader-bench.json"
    out.unlink(missing_ok=True)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--reader", str(library_dir), str(cache_dir), str(out), str(start)],
        capture_output=True,
        text=True,
        timeout=READER_TIMEOUT_S,
    )
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        row["errors"].append(f"reader: exit {proc.returncode}: {tail[0]}")
        return {}
    result = json.loads(out.read_text())
    row["notes"].extend(result.pop("notes", []))
    return result


# --- the reader's own process ----------------------------------------------------------------------
def reader_main(library_dir: str, cache_dir: str, out: str, started: float) -> None:
    """Run `ReaderApp` headless and time what a user sees. `started` is the parent's monotonic
    clock just before this process was spawned, so interpreter start-up and imports count.

    Paints are observed by wrapping the list's and the text's `render_line` (the moment a row of
    each is drawn), the way bench/bench_reader.py does; nothing else about the reader changes.
    """
    import asyncio

    from tuireader.tui.widgets import article_list, article_text

    marks: dict[str, float] = {}
    painted: dict[str, float] = {}
    list_render = article_list.ArticleList.render_line
    text_render = article_text.ArticleText.render_line

    def list_line(self, y):  # noqa: ANN001, ANN202
        strip = list_render(self, y)
        if self.lines:
            marks.setdefault("paint", time.monotonic())
        return strip

    def text_line(self, y):  # noqa: ANN001, ANN202
        strip = text_render(self, y)
        if self.article is not None:
            marks.setdefault("article", time.monotonic())
            painted.setdefault(self.article.id, time.monotonic())
        return strip

    article_list.ArticleList.render_line = list_line
    article_text.ArticleText.render_line = text_line

    from tuireader.library import Library
    from tuireader.tui.app import ReaderApp

    result: dict[str, Any] = {"notes": []}
    library = Library(library_dir, cache_dir=cache_dir)
    app = ReaderApp(library, background_analysis=False, remember=False)

    async def wait_for(pilot, condition, timeout: float = 120.0) -> bool:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            await pilot.pause(0.005)
        return False

    async def run() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            if await wait_for(pilot, lambda: "paint" in marks):
                result["first_paint_s"] = marks["paint"] - started
            if await wait_for(pilot, lambda: "article" in marks):
                result["first_article_s"] = marks["article"] - started
            else:
                result["notes"].append("reader: no article painted within 120 s")
                return
            # Switching versions: in a story told by several outlets, press `n` and time the paint.
            screen = app.reader
            await wait_for(pilot, lambda: screen.scanned, timeout=READER_TIMEOUT_S)
            groups = [g for g in screen.article_list.groups if len(g.versions) > 1]
            if not groups:
                result["notes"].append("reader: no story with several versions to switch between")
                return
            group = groups[len(groups) // 2]
            screen.open_article(group.versions[0].id)
            await wait_for(pilot, lambda: group.versions[0].id in painted)
            switches = []
            for _ in range(min(6, 2 * len(group.versions))):
                painted.clear()
                before = screen.current_id
                t = time.monotonic()
                await pilot.press("n")
                target = screen.current_id
                if target == before or not await wait_for(pilot, lambda t=target: t in painted, timeout=30):
                    break
                switches.append(painted[target] - t)
            if switches:
                result["switch_ms"] = statistics.median(switches) * 1000
            else:
                result["notes"].append("reader: pressing n did not switch versions")

    asyncio.run(run())
    result["reader_peak_mb"] = peak_rss_mb()
    library.close()
    Path(out).write_text(json.dumps(result))


# --- the table -------------------------------------------------------------------------------------
COLUMNS = [
    ("size", "articles", "{:,}"),
    ("ingest_per_s", "ingest art/s", "{:,.0f}"),
    ("cluster_s", "clustering s", "{:.1f}"),
    ("stories_f1", "stories B³F1", "{:.2f}"),
    ("index_s", "indexing s", "{:.1f}"),
    ("search_p50_ms", "search p50 ms", "{:.1f}"),
    ("search_p95_ms", "search p95 ms", "{:.1f}"),
    ("add_one_s", "add one s", "{:.2f}"),
    ("first_paint_s", "first paint s", "{:.2f}"),
    ("first_article_s", "first article s", "{:.2f}"),
    ("switch_ms", "switch version ms", "{:.0f}"),
    ("ingest_peak_mb", "peak MB ingest", "{:,.0f}"),
    ("reader_peak_mb", "peak MB reader", "{:,.0f}"),
]


def cell(row: dict, key: str, fmt: str) -> str:
    if key in row:
        text = fmt.format(row[key])
        target = TARGETS.get(key)
        if target is not None and row.get("size", 0) >= 100_000:
            text += " ✓" if row[key] < target else " ✗"
        return text
    return "error" if row.get("errors") and key != "size" else "n/a"


def print_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tuireader at scale", title_justify="left")
    for _key, header, _fmt in COLUMNS:
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(*(cell(row, key, fmt) for key, _h, fmt in COLUMNS))
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    console.print(
        "Targets at 100,000 articles: search p95 < 100 ms, first paint < 2 s, reader peak < 500 MB "
        "(✓ met, ✗ not met). Ingest = Library.scan() of .txt files (clean, cluster, index).",
        markup=False,
    )
    for row in rows:
        for note in row.get("notes", []):
            console.print(f"{row['size']:,}: note: {note}", markup=False)
        for error in row.get("errors", []):
            console.print(f"{row['size']:,}: error: {error}", markup=False, style="red")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 articles only (CI); never asserts times")
    parser.add_argument("--sizes", help="comma-separated sizes (default 1000,10000,100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="build the libraries under this folder and keep them")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reader", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.reader:
        library_dir, cache_dir, out, started = args.reader
        reader_main(library_dir, cache_dir, out, float(started))
        return 0
    if args.one:
        row = run_size(args.one, args.workdir, args.seed)
        args.out.write_text(json.dumps(row))
        return 0

    sizes = [1000] if args.quick else [int(s) for s in (args.sizes or "1000,10000,100000").split(",")]
    base = args.keep or Path(tempfile.mkdtemp(prefix="tuireader-bench-"))
    rows = []
    try:
        for n in sizes:
            workdir = base / f"lib-{n}"
            if workdir.exists():
                shutil.rmtree(workdir)
            workdir.mkdir(parents=True)
            out = workdir / "row.json"
            cmd = [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--workdir",
                str(workdir),
                "--out",
                str(out),
                "--seed",
                str(args.seed),
            ]
            proc = subprocess.run(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            if proc.returncode == 0 and out.exists():
                rows.append(json.loads(out.read_text()))
            else:
                rows.append({"size": n, "errors": [f"benchmark process exited with {proc.returncode}"]})
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if any(r.get("errors") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
