"""Does the fast feed reader (tuireader.sources.feeds.feedxml) give what feedparser gives?

    .venv/bin/python bench/feeds_agreement.py [--corpus DIR] [--show N]

The corpus is feedparser's own test suite (≈2,000 small feeds, each written to exercise one rule:
namespaces, xml:base, entities, encodings, dates, authors, sanitising...). It is fetched once from
the package index as feedparser's source distribution (`pip download`) into a cache folder; with
--corpus DIR any folder of feed files can be used instead. Every file is read twice with
`parse_feed`: parser="auto" (the fast path where it applies, feedparser elsewhere) and
parser="feedparser"; the ParsedFeed values (titles, links, ids, dates, authors, plain texts) or the
error messages must be equal. Each file is read with no Content-Type and as application/rss+xml
and text/xml. Prints how many documents took the fast path and every disagreement.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tuireader.sources.base import FeedError  # noqa: E402
from tuireader.sources.feeds import feedxml  # noqa: E402
from tuireader.sources.feeds.rss_atom import parse as parse_feed  # noqa: E402

CONTENT_TYPES = (None, "application/rss+xml", "text/xml")


def feedparser_tests(cache: Path) -> Path:
    """feedparser's test feeds for the installed version, downloaded once."""
    ver = version("feedparser")
    target = cache / f"feedparser-{ver}-tests"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "-q", f"feedparser=={ver}", "--no-binary", ":all:",
               "--no-deps", "-d", tmp]  # fmt: skip
        subprocess.run(cmd, check=True)
        sdist = next(Path(tmp).glob("feedparser-*.tar.gz"))
        staging = Path(tempfile.mkdtemp(dir=cache))
        with tarfile.open(sdist) as tar:
            members = [m for m in tar.getmembers() if "/tests/" in m.name and m.isfile()]
            tar.extractall(staging, members=members, filter="data")
        inner = next(staging.glob("feedparser-*/tests"))
        inner.rename(target)
    return target


def read(data: bytes, ctype: str | None, parser: str) -> object:
    try:
        return parse_feed(data, "http://example.org/feed.xml", ctype, parser=parser)
    except FeedError as exc:
        return f"FeedError: {exc}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="a folder of feed files (default: feedparser's tests)")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "tuireader-bench")
    ap.add_argument("--show", type=int, default=20, help="disagreements to print in full")
    args = ap.parse_args()
    corpus = args.corpus or feedparser_tests(args.cache)
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".xml", ".rss", ".atom", ".rdf"))
    if not feedxml.available():
        raise SystemExit("feedxml is not available here (lxml or a feedparser part is missing)")
    docs = fast = agree = 0
    t_auto = t_fp = 0.0
    differ: list[tuple[Path, str | None, object, object]] = []
    by_folder: dict[str, list[int]] = {}
    for path in files:
        data = path.read_bytes()
        folder = str(path.parent.relative_to(corpus))
        for ctype in CONTENT_TYPES:
            docs += 1
            took_fast = feedxml.read_feed(data, ctype) is not None
            fast += took_fast
            start = time.perf_counter()
            a = read(data, ctype, "auto")
            t_auto += time.perf_counter() - start
            start = time.perf_counter()
            b = read(data, ctype, "feedparser")
            t_fp += time.perf_counter() - start
            row = by_folder.setdefault(folder, [0, 0, 0])
            row[0] += 1
            row[1] += took_fast
            if a == b:
                agree += 1
            else:
                row[2] += 1
                differ.append((path, ctype, a, b))
    print(f"\nfeeds_agreement: {len(files)} files x {len(CONTENT_TYPES)} content types from {corpus}\n")
    print(f"{'folder':<32} {'docs':>6} {'fast path':>10} {'differ':>7}")
    for folder, (n, f, d) in sorted(by_folder.items()):
        print(f"{folder:<32} {n:>6} {f:>10} {d:>7}")
    print(f"{'all':<32} {docs:>6} {fast:>10} {docs - agree:>7}")
    print(f"\ntime: auto {t_auto:.2f} s, feedparser only {t_fp:.2f} s")
    for path, ctype, a, b in differ[: args.show]:
        print(f"\n--- {path.relative_to(corpus)} (content type {ctype})\n  auto:       {a}\n  feedparser: {b}")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
