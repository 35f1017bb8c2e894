"""Every feed of a folder of feed files through a real refresh over loopback: nothing may crash.

    python bench/feeds_corpus.py CORPUS [--limit N] [--show 12]

CORPUS is a folder of feed documents, such as feedparser's own test corpus (its source
distribution's tests/ folder: `pip download --no-binary :all: --no-deps feedparser==VERSION`,
unpack, point at tests/; it is not kept in this repository). Each file is served by a local HTTP
server on 127.0.0.1 at its path and subscribed to; one refresh (feed text only: the corpus's
links point nowhere) reads them all. A `Header: Name: value` line in a file's leading comment (as
feedparser's corpus has) is sent as that response header, `Header: Status: 301` as the status, so
the HTTP cases (redirects, 304, Content-Location, charsets) are played as written; redirects to
feedparser's test host are sent to this server. `.gz` and `.z` files are sent gzip- and
deflate-encoded.

Prints one table: feeds, parsed (read without error), errors (each one line, naming the feed),
tracebacks (internal errors and exceptions: must be 0), articles stored and how many of those a
scan would refuse (must be 0), wall time; then the most frequent error reasons.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

FEED_SUFFIXES = {".xml", ".rdf", ".rss", ".atom", ".json", ".gz", ".z"}
_HEADER = re.compile(rb"^Header:\s*([A-Za-z-]+):\s*(.*?)\s*$", re.M)
_FEEDPARSER_HOST = re.compile(r"^https?://(?:localhost|127\.0\.0\.1):8097(?:/tests(?=/))?")


def _headers_of(data: bytes) -> list[tuple[str, str]]:
    """The `Header:` lines of a corpus file's leading comment (the first 2 KiB)."""
    head = data[:2048]
    end = head.find(b"-->")
    return [
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in _HEADER.findall(head[: end if end > 0 else 0])
    ]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        if path.startswith("/-/return-304"):
            self._send(304, b"", [])
            return
        file = (self.server.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.server.root) or not file.is_file():
            self._send(404, b"not found", [("Content-Type", "text/plain")])
            return
        data = file.read_bytes()
        status, headers = 200, []
        for name, value in _headers_of(data):
            if name.lower() == "status" and value.isdigit():
                status = int(value)
            elif name.lower() in ("location", "content-location"):
                headers.append((name, _FEEDPARSER_HOST.sub(self.server.base, value)))
            else:
                headers.append((name, value))
        if not any(k.lower() == "content-type" for k, _ in headers):
            ctype = "application/feed+json" if file.suffix == ".json" else "application/xml"
            headers.append(("Content-Type", ctype))
        if file.suffix == ".gz":
            headers.append(("Content-Encoding", "gzip"))
        elif file.suffix == ".z":
            headers.append(("Content-Encoding", "deflate"))
        self._send(status, data, headers)

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    base: str

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _feeds(root: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES)
    return files[:limit] if limit else files


def run(corpus: Path, limit: int | None = None, show: int = 12) -> int:
    from tuireader.model import Problem
    from tuireader.sources.feeds.refresh import refresh_async
    from tuireader.sources.feeds.types import RefreshOptions
    from tuireader.sources.files import read_document
    from tuireader.sources.http import HttpConfig
    from tuireader.sources.opml import Subscription
    from tuireader.sources.subscriptions import save_subscriptions

    root = corpus.resolve()
    files = _feeds(root, limit)
    if not files:
        print(f"{corpus}: no feed files (.xml, .rdf, .rss, .atom, .json, .gz, .z)", file=sys.stderr)
        return 1
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.root = root
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    urls = [f"{httpd.base}/{quote(str(p.relative_to(root)))}" for p in files]
    crashed: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            library, cache = Path(tmp) / "library", Path(tmp) / "cache"
            library.mkdir()
            save_subscriptions(library, [Subscription(url=u) for u in urls])
            # every feed is on this server's origin, which the subscriptions name: nothing to allow
            options = RefreshOptions(http=HttpConfig(retries=0, total_timeout=10.0), fetch_pages=False)
            start = time.perf_counter()
            try:
                report = asyncio.run(refresh_async(library, cache, options=options))
                problems: list[Problem] = report.problems
                parsed = report.feeds_ok
            except Exception:  # noqa: BLE001 - the point is to count these
                crashed.append(traceback.format_exc())
                problems, parsed = [], 0
            took = time.perf_counter() - start
            stored = sorted(library.glob("*.txt"))
            refused = []
            for path in stored:
                try:
                    read_document(path)
                except Exception as exc:  # noqa: BLE001 - a stored article a scan would refuse
                    refused.append(f"{path.name}: {exc}")
    finally:
        httpd.shutdown()
        httpd.server_close()

    feed_urls = set(urls)
    internal = [p for p in problems if p.message.startswith("internal error")] + [
        Problem(str(corpus), c.strip().splitlines()[-1]) for c in crashed
    ]
    feed_errors = [p for p in problems if p.where in feed_urls and not p.message.startswith("internal error")]
    multiline = [p for p in problems if "\n" in p.message or "\r" in p.message]
    rows = [
        ("feeds", len(files)),
        ("parsed", parsed),
        ("errors (one line each)", len(feed_errors)),
        ("other problems (entries)", len(problems) - len(feed_errors) - len(internal)),
        ("tracebacks", len(internal)),
        ("messages over one line", len(multiline)),
        ("articles stored", len(stored)),
        ("stored but unreadable", len(refused)),
        ("time", f"{took:.1f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")
    reasons = collections.Counter(re.sub(r"\d+", "N", p.message)[:90] for p in feed_errors)
    if reasons and show:
        print("\nmost frequent errors:")
        for reason, count in reasons.most_common(show):
            print(f"{count:>6}  {reason}")
    for p in internal[:show]:
        print(f"TRACEBACK {p.where}: {p.message}")
    for line in refused[:show]:
        print(f"UNREADABLE {line}")
    return 1 if internal or refused or multiline else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of feed files (e.g. feedparser's tests/)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--show", type=int, default=12, help="how many error reasons to list")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: not a folder")
    return run(args.corpus, args.limit, args.show)


if __name__ == "__main__":
    sys.exit(main())
