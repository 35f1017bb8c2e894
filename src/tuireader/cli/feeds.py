"""`tuireader feeds ...` and `tuireader refresh`: subscriptions and fetching, from the shell.

`register(subparsers)` adds the commands; each sets `handler` (and `func`, the same function) to a
callable taking the parsed args, which must carry `library` (a Path) and may carry `cache_dir` (a
Path; None or absent means the Library's default), and returning
the exit status: 0 all went well, 1 some inputs failed (each named on stderr), 2 usage error,
130 interrupted.

Text from feeds and servers (titles, error reasons) is untrusted: it is printed without markup and
with control characters replaced, so a feed cannot restyle or take over the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tuireader.model import SourceError, to_jsonable

if TYPE_CHECKING:
    from tuireader.library import Library

T = TypeVar("T")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: object) -> str:
    """One line safe to print: control characters (escape sequences) become '?'."""
    return _CONTROL.sub("?", " ".join(str(text).split()))


def _library(args: argparse.Namespace, *, worker: bool = False) -> Library:
    """The Library of `--library` (and `--cache-dir`; None or absent means the Library's default);
    with `--store URL`, on that shared archive (`worker`: this command writes it)."""
    from tuireader.library import Library, store_backend

    store = getattr(args, "store", None)
    stores = store_backend(store, worker=worker) if store or worker else None
    return Library(args.library, cache_dir=getattr(args, "cache_dir", None) or None, stores=stores)


def _err(message: str) -> None:
    print(f"error: {_safe(message)}", file=sys.stderr)  # the same one-line form as the other verbs


def register(subparsers: Any, parents: list[argparse.ArgumentParser] | None = None) -> None:
    """Add `feeds` (add, remove, list, import, export) and `refresh` to an argparse subparsers.

    `parents` (e.g. the parser holding --library and --cache-dir) are given to every command, so
    those options may follow the command as well as precede it.
    """
    common = {"parents": list(parents or [])}
    feeds = subparsers.add_parser("feeds", help="manage feed subscriptions (stored as feeds.opml)", **common)
    commands = feeds.add_subparsers(dest="feeds_command", metavar="{add,remove,list,import,export}")
    commands.required = True

    add = commands.add_parser("add", help="subscribe to a feed", **common)
    add.add_argument("url", help="the feed's URL (RSS, Atom or JSON Feed)")
    add.add_argument("--outlet", metavar="NAME", help="outlet name for the feed's articles")
    _handle(add, cmd_feeds_add)

    remove = commands.add_parser("remove", help="unsubscribe (articles already fetched are kept)", **common)
    remove.add_argument("url", help="the feed's URL or the name `feeds list` shows")
    _handle(remove, cmd_feeds_remove)

    listing = commands.add_parser("list", help="list subscriptions and their last refresh", **common)
    listing.add_argument("--json", action="store_true", help="print JSON")
    _handle(listing, cmd_feeds_list)

    imp = commands.add_parser("import", help="subscribe to the feeds of an OPML file", **common)
    imp.add_argument("file", type=Path, help="an OPML file (as newsboat and other readers export)")
    _handle(imp, cmd_feeds_import)

    exp = commands.add_parser("export", help="write subscriptions as OPML (to FILE or stdout)", **common)
    exp.add_argument("file", nargs="?", type=Path, help="where to write (default: standard output)")
    _handle(exp, cmd_feeds_export)

    refresh = subparsers.add_parser(
        "refresh",
        help="fetch feeds and their new articles",
        description="Fetch every subscribed feed (or --feed URL), then each new entry's page, and "
        "write one file per new article into the library. Feeds that fail are named one per line; "
        "the others go on.",
        **common,
    )
    refresh.add_argument(
        "--feed", dest="feeds", action="append", metavar="URL", help="only this feed (repeatable)"
    )
    refresh.add_argument(
        "--no-pages", action="store_true", help="keep the feeds' own text, fetch no article pages"
    )
    refresh.add_argument("--json", action="store_true", help="print the report as JSON")
    refresh.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    refresh.add_argument("--every", type=float, metavar="SECONDS", default=None,
                         help="keep going: refresh and scan the folder (into --store's archive), then wait "
                              "this long, until ctrl+c or SIGTERM (which stop between rounds)")
    _handle(refresh, cmd_refresh)


def _handle(parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], int]) -> None:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _Failed:
            return 1

    parser.set_defaults(handler=run, func=run)


class _Failed(Exception):
    """A Library call failed and said why on stderr: the command exits with status 1."""


def _ask(call: Callable[..., T], *args: Any) -> T:
    """`call(*args)`, its failure (a broken feeds.opml, an unwritable folder) named in one line."""
    try:
        return call(*args)
    except (SourceError, OSError) as exc:
        from tuireader.fsutil import describe_os_error

        _err(describe_os_error(exc) if isinstance(exc, OSError) and exc.errno else str(exc))
        raise _Failed from None


# ---------------------------------------------------------------------------------------------


def cmd_feeds_add(args: argparse.Namespace) -> int:
    lib = _library(args)
    try:
        lib.feed_url(args.url)
    except SourceError as exc:
        _err(str(exc))
        return 2
    sub, new = _ask(lib.subscribe, args.url, getattr(args, "outlet", None))
    name = f" ({sub.outlet})" if sub.outlet else ""
    print(_safe(f"{'subscribed' if new else 'already subscribed'}: {sub.url}{name}"))
    return 0


def cmd_feeds_remove(args: argparse.Namespace) -> int:
    removed = _ask(_library(args).unsubscribe, args.url)
    if removed is None:
        _err(f"{args.url}: not subscribed")
        return 1
    print(_safe(f"unsubscribed: {removed.url}"))
    return 0


def cmd_feeds_list(args: argparse.Namespace) -> int:
    rows = _ask(_library(args).subscriptions)
    if getattr(args, "json", False):
        print(json.dumps(to_jsonable(rows), ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no subscriptions (add one with: tuireader feeds add URL)")
        return 0
    width = min(40, max(len(_safe(r.outlet or r.title or "-")) for r in rows))
    for r in rows:
        name = _safe(r.outlet or r.title or "-")
        status = f"  [failing: {_safe(r.error)}]" if r.error else ""
        print(f"{name[:width]:<{width}}  {_safe(r.url)}{status}")
    return 0


def cmd_feeds_import(args: argparse.Namespace) -> int:
    added, already, skipped = _ask(_library(args).import_opml, args.file)
    for url, reason in skipped:
        print(f"skipped {_safe(url)}: {_safe(reason)}", file=sys.stderr)
    print(
        f"imported {len(added)} feed{'s' if len(added) != 1 else ''}"
        + (f" ({already} already subscribed)" if already else "")
    )
    return 0


def cmd_feeds_export(args: argparse.Namespace) -> int:
    data = _ask(_library(args).export_opml)
    if getattr(args, "file", None):
        from tuireader.fsutil import write_atomic

        try:
            write_atomic(args.file, data)
        except OSError as exc:
            _err(f"{args.file}: cannot write ({exc.strerror or exc})")
            return 1
        return 0
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------------------------


class _Bar:
    """A rich progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.progress: Any = None
        self.task: Any = None
        if not enabled:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from tuireader.cli.render import SafeConsole

        console = SafeConsole(stderr=True)
        if not console.is_terminal:
            return
        self.progress = Progress(
            TextColumn("refresh", markup=False),
            BarColumn(),
            TextColumn("{task.fields[counts]}", markup=False),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", markup=False),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("refresh", total=None, counts="", current="")

    def __enter__(self) -> _Bar:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, p: Any) -> None:
        if self.progress is None:
            return
        counts = f"feeds {p.feeds_done}/{p.feeds_total}  articles {p.articles_done}/{p.articles_total}  new {p.added}"
        current = _safe(p.current or "")[-60:]
        self.progress.update(
            self.task,
            total=p.feeds_total + p.articles_total,
            completed=p.feeds_done + p.articles_done,
            counts=counts,
            current=current,
        )


def cmd_refresh(args: argparse.Namespace) -> int:
    lib = _library(args, worker=True)
    every = getattr(args, "every", None)
    if every is None:
        return _refresh_round(lib, args, scan=lib.shared)
    if every <= 0:
        _err("--every: the wait between rounds must be above 0 seconds")
        return 2
    import signal
    import threading

    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    status = 0
    try:
        while not stop.is_set():
            try:
                status = _refresh_round(lib, args, scan=True, quiet_empty=True)
            except (RuntimeError, OSError) as exc:  # the archive's server away: the next round retries
                _err(f"this round failed ({exc}); trying again in {every:g} s")
                status = 1
            if status == 130:
                break
            stop.wait(every)
    except KeyboardInterrupt:
        status = 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        lib.close()
    print("stopped", file=sys.stderr)
    return 0 if stop.is_set() else status


def _refresh_round(lib: Library, args: argparse.Namespace, *, scan: bool, quiet_empty: bool = False) -> int:
    """One refresh (and with `scan`, the catalog brought up to date after it): the exit status."""
    feeds = getattr(args, "feeds", None) or None
    if feeds is None and not quiet_empty:
        with contextlib.suppress(SourceError):  # a broken feeds.opml is reported by refresh
            if not lib.subscriptions():
                print("no subscriptions (add one with: tuireader feeds add URL)", file=sys.stderr)
                return 0
    bar = _Bar(enabled=not getattr(args, "quiet", False) and not getattr(args, "json", False))
    try:
        with bar:
            pages = False if getattr(args, "no_pages", False) else None  # None: as config.toml says
            report = lib.refresh(progress=bar.update, feeds=feeds, fetch_pages=pages)
    except KeyboardInterrupt:
        _err("interrupted; articles already fetched are kept and the next refresh continues")
        return 130
    for notice in getattr(report, "notices", ()):
        print(f"note: {_safe(notice)}", file=sys.stderr)
    for problem in report.problems:
        _err(str(problem))
    scanned = None
    if scan:
        try:
            scanned = lib.scan()
        except (SourceError, OSError) as exc:
            _err(str(exc))
            return 1
        for problem in scanned.problems:
            _err(str(problem))
    if getattr(args, "json", False):
        print(json.dumps(to_jsonable(report), ensure_ascii=False, indent=2))
    else:
        feeds_total = report.feeds_ok + report.feeds_failed
        failed = f", {report.feeds_failed} failed" if report.feeds_failed else ""
        dup = f", {report.duplicates} duplicates skipped" if report.duplicates else ""
        print(
            f"{len(report.added)} new article{'s' if len(report.added) != 1 else ''} "
            f"from {feeds_total} feed{'s' if feeds_total != 1 else ''}{failed}{dup}"
        )
    return 1 if report.problems else 0
