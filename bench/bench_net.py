"""Network and subscription limits, timed: OPML import size, a server dribbling one byte a second.

    python bench/bench_net.py [--opml 5000,20000] [--nested 5000] [--slow] [--cancel]

Prints one table row per measurement:
- `opml import N`: `feeds import` of an OPML file of N feeds into an empty library (linear: 20,000
  outlines must take seconds, not minutes);
- `opml nested N`: an OPML file of N folders nested in one another (parsed without RecursionError);
- `slow feed`: a refresh of one feed whose server sends its headers, then one byte a second for
  ever; the refresh must end at the per-feed deadline (the config's default), not after minutes;
- `cancel`: the same refresh cancelled after 2 s: how long until it returns.

The slow server runs on 127.0.0.1, which the refresh is allowed to reach because the feed's URL
names it (the subscription).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path


def _opml(n: int, nested: bool = False) -> bytes:
    head = '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
    if nested:
        body = "".join(f'<outline text="folder {i}">' for i in range(n))
        body += '<outline type="rss" text="deep" xmlUrl="https://deep.example.com/feed.xml"/>'
        body += "</outline>" * n
    else:
        body = "".join(
            f'<outline type="rss" text="Feed {i}" xmlUrl="https://site{i}.example.com/feed.xml"/>'
            for i in range(n)
        )
    return (head + body + "</body></opml>").encode()


def bench_opml(n: int, nested: bool = False) -> tuple[str, str]:
    from tuireader.sources.subscriptions import import_opml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.opml"
        path.write_bytes(_opml(n, nested))
        lib = Path(tmp) / "lib"
        lib.mkdir()
        start = time.perf_counter()
        try:
            added, _, _ = import_opml(lib, path)
        except RecursionError:
            return f"{time.perf_counter() - start:.2f} s", "RecursionError"
        return f"{time.perf_counter() - start:.2f} s", f"{len(added)} feeds"


class _Dribbler:
    """Headers at once, then one byte a second, for ever (until stopped)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.xml"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"
            )
            while not self.stop.wait(1.0):
                conn.sendall(b" ")
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def bench_slow(cancel_after: float | None = None) -> tuple[str, str]:
    from tuireader.sources.feeds.refresh import refresh_async

    server = _Dribbler()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lib, cache = Path(tmp) / "lib", Path(tmp) / "cache"
            lib.mkdir()

            async def run() -> str:
                task = asyncio.ensure_future(refresh_async(lib, cache, feeds=[server.url]))
                if cancel_after is not None:
                    await asyncio.sleep(cancel_after)
                    began = time.perf_counter()
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                    return f"returned {time.perf_counter() - began:.2f} s after the cancel"
                report = await task
                return "; ".join(p.message for p in report.problems)[:70]

            start = time.perf_counter()
            outcome = asyncio.run(run())
            return f"{time.perf_counter() - start:.1f} s", outcome
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opml", default="5000,20000", help="outline counts, comma-separated ('' for none)")
    parser.add_argument("--nested", type=int, default=5000, help="nesting depth (0: skip)")
    parser.add_argument("--slow", action="store_true", help="time a refresh against a 1 byte/s server")
    parser.add_argument("--cancel", action="store_true", help="time cancelling such a refresh")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str]] = []
    for n in [int(x) for x in args.opml.split(",") if x.strip()]:
        rows.append((f"opml import {n}", *bench_opml(n)))
    if args.nested:
        rows.append((f"opml nested {args.nested}", *bench_opml(args.nested, nested=True)))
    if args.slow:
        rows.append(("slow feed (1 byte/s)", *bench_slow()))
    if args.cancel:
        rows.append(("cancel slow refresh", *bench_slow(cancel_after=2.0)))
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'measurement':<{width}}  {'time':>9}  outcome")
    for name, took, outcome in rows:
        print(f"{name:<{width}}  {took:>9}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
