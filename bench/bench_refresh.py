"""Refresh 200 feeds x 50 items served on loopback: tuireader beside newsboat.

    .venv/bin/python bench/bench_refresh.py [--feeds 200] [--items 50] [--hosts 10] [--skip-newsboat]

A separate server process serves the feeds (RSS 2.0 with a summary and the full text in
content:encoded, ETags) and one HTML article page per item, spread over several loopback addresses
(127.0.0.1 ... 127.0.0.N) as real feeds are spread over hosts. Article texts are the five sample
articles (≈4 KB each, so a feed is ≈250 KB), each copy made unique by a dateline: the ECB+ copy in
/work/shared/corpora has no paragraph breaks, so it is used only when a copy with them is present.
The table's heading says which texts were used.

Each tool runs as its own process three times: cold (empty library and cache), warm (nothing
new: the conditional-request path) and news (a day's news: a fifth of the feeds, 40 of 200, have
two new items each, 80 new articles). Wall time is measured around the process, CPU time is that
of the process and its children (the fairer figure on a busy machine), peak memory is the largest
summed PSS of the process tree (sampled every 20 ms), so tuireader's workers are counted. Rows:

- tuireader (pages): the default: every new entry's page fetched and extracted with trafilatura;
- tuireader (feed text): `--no-pages`, the same work newsboat does (store what the feed says);
- newsboat: `newsboat -x reload` with an empty config (defaults: one reload thread).

Leave a few minutes between two runs: on the machine these numbers come from, creating thousands
of files within minutes of deleting thousands (this script removes its libraries when it ends)
made tuireader's cold refresh up to 2.5 s slower, and newsboat, which writes one file, not at all.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpora/ecbplus/docs.jsonl")

# ---------------------------------------------------------------------------------------------
# The site


def _texts() -> list[tuple[str, list[str]]]:
    """(headline, paragraphs) pairs of real news text."""
    out: list[tuple[str, list[str]]] = []
    if CORPUS.exists():
        for line in CORPUS.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            paras = [p.strip() for p in doc["text"].split("\n") if len(p.split()) > 5]
            if len(paras) >= 3:
                out.append((doc["title"][:110], paras))
    if not out:
        for path in sorted((ROOT / "articles").glob("*.txt")):
            lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if len(x.split()) > 8]
            out.append((lines[0][:110], lines[1:]))
    return out


OUTLETS = [
    "Riverside Courier", "Coastal Herald", "Northern Tribune", "Valley Gazette", "Metro Ledger",
    "Harbor Times", "Prairie Sentinel", "Capital Dispatch", "Lakeside Observer", "Summit Daily",
]  # fmt: skip


def _nav(base: str) -> str:
    sections = [
        "News",
        "World",
        "Politics",
        "Business",
        "Tech",
        "Science",
        "Health",
        "Sports",
        "Arts",
        "Opinion",
    ]
    links = "".join(f'<li><a href="{base}/{s.lower()}/">{s}</a></li>' for s in sections * 4)
    return f'<nav class="main-nav"><ul>{links}</ul></nav>'


def _page(base: str, outlet: str, title: str, paras: list[str], n: int, when: datetime) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    related = "".join(
        f'<li><a href="{base}/a{(n + k) % 997}.html">Related story {k}</a></li>' for k in range(8)
    )
    script = "<script>" + "var t=0;" * 300 + "</script>"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {outlet}</title>'
        f'<meta property="og:site_name" content="{outlet}"><link rel="canonical" href="{base}/a{n}.html">'
        f'<meta property="article:published_time" content="{when.isoformat()}">{script}</head><body>'
        f'<header><a class="logo" href="{base}/">{outlet}</a>{_nav(base)}</header>'
        f'<main><article><h1>{html.escape(title)}</h1><p class="byline">By Staff Reporter {n % 37}</p>{body}</article>'
        f"<aside><h2>Related</h2><ul>{related}</ul></aside></main>"
        f"<footer><p>&copy; 2024 {outlet}. All rights reserved.</p><p>Privacy | Terms | Contact</p></footer>"
        "</body></html>"
    ).encode()


def _item(base: str, outlet: str, n: int, texts: list[tuple[str, list[str]]]) -> tuple[str, bytes, str]:
    """One article: (page path, page HTML, the feed's <item>)."""
    title, paras = texts[n % len(texts)]
    when = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(minutes=17 * (n % 100_000))
    # a dateline makes every page's text unique, as every real article is
    paras = [f"CITY {n} ({outlet}) - {paras[0]}", *paras[1:]]
    page_path = "/" + base.split("/", 3)[3] + f"/a{n}.html"
    content = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    item = (
        f"<item><title>{html.escape(title)}</title><link>{base}/a{n}.html</link>"
        f'<guid isPermaLink="false">{base}/?p={n}</guid><pubDate>{format_datetime(when)}</pubDate>'
        f"<dc:creator>Staff Reporter {n % 37}</dc:creator>"
        f"<description>{html.escape(paras[0][:300])}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
    )
    return page_path, _page(base, outlet, title, paras, n, when), item


def _feed_place(f: int, hosts: list[str], port: int) -> tuple[str, str]:
    return f"http://{hosts[f % len(hosts)]}:{port}/f{f}", OUTLETS[f % len(OUTLETS)]


def build_site(n_feeds: int, n_items: int, hosts: list[str], port: int) -> tuple[dict[str, bytes], list[str]]:
    """path → body, and the feed URLs."""
    texts = _texts()
    rng = random.Random(7)
    site: dict[str, bytes] = {}
    feeds: list[str] = []
    n = 0
    for f in range(n_feeds):
        base, outlet = _feed_place(f, hosts, port)
        items = []
        for _ in range(n_items):
            page_path, page, item = _item(base, outlet, n, texts)
            site[page_path] = page
            items.append(item)
            n += 1
        rng.shuffle(items[1:])
        site[f"/f{f}/feed.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{outlet} - Feed {f}</title><link>{base}/</link><description>Feed {f}</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()
        feeds.append(f"{base}/feed.xml")
    return site, feeds


def bump_site(site: dict[str, bytes], n_feeds: int, hosts: list[str], port: int, round_: int) -> int:
    """A day's news: every fifth feed gets two new items at the top (and a new ETag)."""
    texts = _texts()
    added = 0
    for f in range(round_ % 5, n_feeds, 5):
        base, outlet = _feed_place(f, hosts, port)
        new = []
        for k in range(2):
            n = 10_000_000 + round_ * 100_000 + f * 10 + k
            page_path, page, item = _item(base, outlet, n, texts)
            site[page_path] = page
            new.append(item)
            added += 1
        path = f"/f{f}/feed.xml"
        site[path] = site[path].replace(b"<item>", "".join(new).encode() + b"<item>", 1)
    return added


async def _serve(site: dict[str, bytes], hosts: list[str], port: int, n_feeds: int, latency: float = 0.0) -> None:
    def etag(body: bytes) -> bytes:
        return f'"{zlib.crc32(body):08x}"'.encode()

    etags = {path: etag(body) for path, body in site.items()}
    rounds = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                path = lines[0].split(b" ")[1].decode("latin-1")
                headers = {}
                for line in lines[1:]:
                    if b":" in line:
                        k, v = line.split(b":", 1)
                        headers[k.strip().lower()] = v.strip()
                if path == "/__bump":  # the benchmark driver asks for a day's news
                    rounds[0] += 1
                    added = bump_site(site, n_feeds, hosts, port, rounds[0])
                    etags.update(
                        {p: etag(b) for p, b in site.items() if p not in etags or p.endswith(".xml")}
                    )
                    msg = str(added).encode()
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(msg)).encode() + b"\r\n\r\n" + msg
                    )
                    await writer.drain()
                    continue
                if latency:  # a network round trip: real servers are not on this machine
                    await asyncio.sleep(latency)
                body = site.get(path)
                if body is None:
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                elif headers.get(b"if-none-match") == etags[path]:
                    writer.write(
                        b"HTTP/1.1 304 Not Modified\r\nETag: "
                        + etags[path]
                        + b"\r\nContent-Length: 0\r\n\r\n"
                    )
                else:
                    ctype = b"application/rss+xml" if path.endswith(".xml") else b"text/html; charset=utf-8"
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nETag: " + etags[path]
                        + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                    )  # fmt: skip
                await writer.drain()
                if headers.get(b"connection", b"").lower() == b"close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, host, port, backlog=1024) for host in hosts]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def serve_main(args: argparse.Namespace) -> None:
    hosts = [f"127.0.0.{i + 1}" for i in range(args.hosts)]
    site, _ = build_site(args.feeds, args.items, hosts, args.port)
    asyncio.run(_serve(site, hosts, args.port, args.feeds, args.latency / 1000))


# ---------------------------------------------------------------------------------------------
# Measuring


def _tree_memory_kib(pid: int) -> int:
    """Memory of a process and its descendants: PSS where the kernel gives it (forked workers
    share pages with their parent, and PSS counts a shared page once), else RSS."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
            except (OSError, StopIteration):
                with open(f"/proc/{p}/status") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds of the process and its children, peak memory MiB, exit status,
    stderr tail). CPU time is the fairer figure on a busy machine: it does not count waiting."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_memory_kib(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return wall, cpu, peak / 1024, proc.returncode, err[-500:]


def run_tuireader_main(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from tuireader.sources.feeds.refresh import refresh
    from tuireader.sources.feeds.types import RefreshOptions

    report = refresh(
        Path(args.library), Path(args.cache), options=RefreshOptions(fetch_pages=not args.no_pages)
    )
    print(
        json.dumps({"added": len(report.added), "problems": [str(p) for p in report.problems[:5]]}),
        file=sys.stderr,
    )


def bump(port: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__bump", timeout=30) as response:
        response.read()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--skip-newsboat", action="store_true")
    ap.add_argument("--latency", type=float, default=0.0, metavar="MS",
                    help="delay each response by MS milliseconds, like a real network round trip")
    ap.add_argument("--only", choices=["pages", "feed-text", "newsboat"], action="append")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--run-tuireader", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--library", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--no-pages", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve_main(args)
        return
    if args.run_tuireader:
        run_tuireader_main(args)
        return

    # an installed package starts from compiled modules; with PYTHONDONTWRITEBYTECODE set (as on
    # some CI machines) every run would otherwise compile tuireader again (≈55 ms)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), __file__], check=False)
    port = _free_port()
    hosts = [f"127.0.0.{i + 1}" for i in range(args.hosts)]
    _, feed_urls = build_site(args.feeds, 1, hosts, port)  # only the URLs are needed here
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--port", str(port), "--feeds", str(args.feeds),
         "--items", str(args.items), "--hosts", str(args.hosts), "--latency", str(args.latency)],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert server.stdout is not None
    if server.stdout.readline().strip() != b"ready":
        raise SystemExit("the benchmark server did not start")
    rows: list[tuple[str, str, float, float, float, str]] = []
    want = set(args.only or ["pages", "feed-text", "newsboat"])
    if args.skip_newsboat:
        want.discard("newsboat")
    work = Path(tempfile.mkdtemp(prefix="bench_refresh_"))
    try:
        py = sys.executable
        for mode, extra in (("pages", []), ("feed-text", ["--no-pages"])):
            if mode not in want:
                continue
            lib, cache = work / f"lib-{mode}", work / f"cache-{mode}"
            lib.mkdir()
            sys.path.insert(0, str(ROOT / "src"))
            from tuireader.sources.opml import Subscription
            from tuireader.sources.subscriptions import save_subscriptions

            save_subscriptions(lib, [Subscription(url=u) for u in feed_urls])
            cmd = [py, __file__, "--run-tuireader", "--library", str(lib), "--cache", str(cache), *extra]
            for run in ("cold", "warm", "news"):
                if run == "news":
                    bump(port)
                wall, cpu, peak, rc, err = measure(cmd)
                stored = len(list(lib.glob("*.txt")))
                detail = err.strip().splitlines()[-1] if err.strip() else f"exit {rc}"
                rows.append((f"tuireader ({mode})", run, wall, cpu, peak, f"{stored} articles; {detail}"))
        if "newsboat" in want and shutil.which("newsboat"):
            home = work / "nb-home"
            home.mkdir()
            urls = home / "urls"
            urls.write_text("\n".join(feed_urls) + "\n")
            config = home / "config"
            config.write_text("")
            db = home / "cache.db"
            env = dict(
                os.environ,
                HOME=str(home),
                XDG_CONFIG_HOME=str(home / ".config"),
                XDG_DATA_HOME=str(home / ".local"),
            )
            cmd = ["newsboat", "-u", str(urls), "-c", str(db), "-C", str(config), "-x", "reload"]
            for run in ("cold", "warm", "news"):
                if run == "news":
                    bump(port)
                wall, cpu, peak, rc, err = measure(cmd, env)
                try:
                    with sqlite3.connect(db) as con:
                        items = con.execute("select count(*) from rss_item").fetchone()[0]
                except sqlite3.Error:
                    items = 0
                rows.append(("newsboat", run, wall, cpu, peak, f"{items} items in cache.db; exit {rc}"))
        elif "newsboat" in want:
            nan = float("nan")
            rows.append(("newsboat", "-", nan, nan, nan, "not installed (apt-get install newsboat)"))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    texts = _texts()
    source = "ECB+ documents" if len(texts) > len(list((ROOT / "articles").glob("*.txt"))) else "the sample articles"
    print(
        f"\nrefresh of {args.feeds} feeds x {args.items} items on {args.hosts} loopback hosts"
        f" ({os.cpu_count()} CPUs, {args.latency:g} ms added per response; texts: {source})\n"
    )
    load = os.getloadavg()[0]
    print(f"{'tool':<24} {'run':<5} {'wall s':>8} {'CPU s':>7} {'peak MiB':>9}  result")
    for tool, run, wall, cpu, peak, detail in rows:
        print(f"{tool:<24} {run:<5} {wall:>8.2f} {cpu:>7.2f} {peak:>9.0f}  {detail}")
    print(f"\n(load average at the end: {load:.1f}; peak memory is PSS summed over the process tree)")


if __name__ == "__main__":
    main()
