"""Refresh: every subscribed feed, fetched concurrently, its new entries written as article files.

The library folder stays the source of truth. Each new article becomes one readable `.txt` file
(header block + paragraphs) named `<YYYYMMDD>_<16 hex of sha256(canonical URL)>.txt`, written
atomically with a create-only link, so a refresh that is interrupted (Ctrl+C, kill, power) leaves
whole files or none, and two writers can never produce two copies of one URL.

What has been seen is kept in `.tuireader/refresh-state.json` (written atomically, every few
seconds and at the end): per feed the hash of the last fully processed document and its entry
keys; the URL hashes (with aliases: redirect targets, rel=canonical) and per-site content hashes
of stored articles. If the state is lost or behind (killed between a file write and a state
save), `reconcile` rebuilds what it needs from the file names and headers in the folder, so the
next refresh continues without duplicates.

A feed's document is marked done only when all its entries were stored, so a 304 on the next
refresh never hides entries an interrupted refresh did not reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from tuireader.fsutil import write_atomic
from tuireader.model import Problem
from tuireader.sources.feeds import FeedEntry, FeedError, parse_feed, text_fingerprint
from tuireader.sources.files import SourceError, format_header, read_document
from tuireader.sources.http import (
    Fetcher,
    FetchError,
    HttpConfig,
    Response,
    canonical_url,
    open_fetcher,
    site_of,
    url_hash,
)
from tuireader.sources.opml import Subscription
from tuireader.sources.pages import CpuPool, ExtractedPage, extract_page
from tuireader.sources.subscriptions import load_subscriptions, normalize_feed_url, record_feed_titles

STATE_DIR = ".tuireader"
STATE_FILE = "refresh-state.json"
LOCK_FILE = "refresh.lock"
ARTICLE_NAME = re.compile(r"^(\d{8})_([0-9a-f]{16})\.txt$")
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
PAGE_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")
STATE_SAVE_INTERVAL = 5.0


@dataclass(frozen=True, slots=True)
class RefreshOptions:
    """How a refresh behaves; defaults are for real use, tests and benchmarks adjust them."""

    http: HttpConfig = field(default_factory=HttpConfig)
    fetch_pages: bool = True  # fetch each new entry's page for the full text (else feed text only)
    max_entries_per_feed: int = 200  # entries read per document (feeds list newest first)
    article_concurrency: int = 16  # pages in hand at once (bounds memory as well as sockets)
    workers: int | None = None  # processes for parsing/extraction (default: CPU count)
    process_threshold: int = 24  # CPU jobs run in a thread until a refresh proves this big
    max_attempts: int = 3  # an entry that yields no text is retried on this many refreshes


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """A snapshot for progress displays; `articles_total` grows as feeds are read."""

    feeds_total: int
    feeds_done: int
    feeds_failed: int
    articles_total: int
    articles_done: int
    added: int
    current: str | None = None


@dataclass
class RefreshReport:
    """What a refresh did. `added` are the new article ids (file stems)."""

    added: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    feeds_ok: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    duplicates: int = 0  # new entries that turned out to be articles already stored
    feeds_unchanged: int = 0  # of feeds_ok: document unchanged since the last full pass


ProgressCallback = Callable[[RefreshProgress], None]


# ---------------------------------------------------------------------------------------------
# State


def _text_key(site: str, fingerprint: str | None) -> str | None:
    """Per-site content identity (the same words on another site are another outlet's copy)."""
    return f"{site}:{fingerprint}" if fingerprint else None


class RefreshState:
    """What earlier refreshes stored and read; see the module docstring."""

    VERSION = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds: dict[str, dict[str, Any]] = {}
        self.urls: dict[str, str] = {}  # url hash → article id
        self.content: dict[str, str] = {}  # site:text hash → article id
        self.canon: dict[str, str] = {}  # rel=canonical + headline hash → article id
        self.dirty = False
        self._saved_at = time.monotonic()

    @classmethod
    def load(cls, library_root: Path) -> RefreshState:
        state = cls(Path(library_root) / STATE_DIR / STATE_FILE)
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return state  # none yet, or damaged: reconcile() rebuilds the article index from files
        if isinstance(data, dict) and data.get("version") == cls.VERSION:
            state.feeds = {k: v for k, v in (data.get("feeds") or {}).items() if isinstance(v, dict)}
            state.urls = {str(k): str(v) for k, v in (data.get("urls") or {}).items()}
            state.content = {str(k): str(v) for k, v in (data.get("content") or {}).items()}
            state.canon = {str(k): str(v) for k, v in (data.get("canon") or {}).items()}
        return state

    def save(self) -> None:
        data = {
            "version": self.VERSION,
            "feeds": self.feeds,
            "urls": self.urls,
            "content": self.content,
            "canon": self.canon,
        }
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self.dirty = False
        self._saved_at = time.monotonic()

    def save_soon(self) -> None:
        """Save if the last save is a few seconds old: an interruption loses little re-work."""
        self.dirty = True
        if time.monotonic() - self._saved_at > STATE_SAVE_INTERVAL:
            self.save()

    def reconcile(self, library_root: Path) -> int:
        """Learn articles present in the folder but missing from the state; returns how many.

        This covers a refresh killed between writing a file and saving the state, and a lost
        state file: the name gives the URL hash at once, the header gives the rest.
        """
        known = set(self.urls.values())
        learned = 0
        try:
            entries = list(os.scandir(library_root))
        except OSError:
            return 0
        for entry in entries:
            stem = entry.name[:-4]  # "<date>_<hash>.txt" (checked below): cheap for the many known
            if stem in known or not (m := ARTICLE_NAME.match(entry.name)):
                continue
            self.urls.setdefault(m.group(2), stem)
            try:
                doc = read_document(entry.path)
            except SourceError:
                continue
            url = doc.declared.get("url")
            if url:
                self.urls.setdefault(url_hash(url), stem)
                paragraphs = [" ".join(p.split()) for p in doc.body.split("\n\n") if p.strip()]
                key = _text_key(site_of(url), text_fingerprint(paragraphs))
                if key:
                    self.content.setdefault(key, stem)
            learned += 1
        if learned:
            self.dirty = True
        return learned


def feed_states(library_root: Path) -> dict[str, dict[str, Any]]:
    """Per feed URL, its saved state (`ok_at`, `error`, ...); empty when there is none yet."""
    return RefreshState.load(library_root).feeds


@contextlib.contextmanager
def _refresh_lock(library_root: Path) -> Iterator[bool]:
    """An exclusive lock on the library's refresh (two refreshes at once would race on the state)."""
    path = Path(library_root) / STATE_DIR / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: go without
        yield True
        return
    with open(path, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# The refresh itself


def _now_iso() -> str:
    return _iso_second(int(time.time()))


@functools.lru_cache(maxsize=4)
def _iso_second(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date_part(*candidates: str | None) -> str:
    for value in candidates:
        if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            return value[:10].replace("-", "")
    return datetime.now(UTC).strftime("%Y%m%d")


@functools.lru_cache(maxsize=8192)
def _clean_url(url: str) -> str:
    """The URL as written into an article: tracking parameters and fragment removed, scheme kept."""
    if "?" not in url and "#" not in url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    scheme = urlsplit(url).scheme
    canon = urlsplit(canonical_url(url))
    return urlunsplit((scheme or canon.scheme, canon.netloc, urlsplit(url).path or "/", canon.query, ""))


def article_bytes(fields: dict[str, str | None], paragraphs: list[str] | tuple[str, ...]) -> bytes:
    """An article file: the header block, a blank line, paragraphs separated by blank lines."""
    body = "\n\n".join(paragraphs)  # already one line each: sources collapse whitespace
    return (format_header(fields) + "\n" + body + "\n").encode("utf-8")


@functools.lru_cache(maxsize=1)
def _libc_syncfs() -> Callable[[int], int] | None:
    """libc's syncfs (Linux), looked up once; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _syncfs(dir_fd: int) -> bool:
    """Flush the file system holding the open directory `dir_fd` in one call; False where that
    is not available (the caller then fsyncs each file)."""
    syncfs = _libc_syncfs()
    return syncfs is not None and syncfs(dir_fd) == 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


WRITE_CHUNK = 256  # files in flight at once in `write_new_batch` (each holds a descriptor)
# O_TMPFILE files are linked to their name through /proc (linkat with AT_EMPTY_PATH needs a capability)
_O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir("/proc/self/fd") else 0
_NO_TMPFILE = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT)
_NO_PROC_LINK = (errno.EPERM, errno.EACCES, errno.ENOENT, errno.EXDEV, errno.EOPNOTSUPP, errno.EINVAL)


def write_new_batch(directory: Path, items: list[tuple[str, bytes]]) -> list[bool | OSError]:
    """Create files that do not exist yet, all-or-nothing each, durable, in one go.

    The same guarantee as `fsutil.write_new_atomic` for every file (the data made durable in a
    file that has no name yet, then hard-linked to its name, so a file is whole or absent and
    never replaced), but with one `syncfs` per chunk of files instead of one fsync per file: a
    refresh writes thousands of small files and per-file fsyncs would cost more than the
    fetching. On Linux the nameless file is an O_TMPFILE: one directory operation per article
    instead of three (create, link, unlink a temporary name), and a killed refresh leaves
    nothing behind. Elsewhere it is a named temporary file, removed after the link.
    Returns, per item, True (created), False (the name existed) or the OSError that stopped it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    results: list[bool | OSError] = []
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for start in range(0, len(items), WRITE_CHUNK):
            chunk = items[start : start + WRITE_CHUNK]
            done = _write_chunk_tmpfile(dir_fd, chunk) if _O_TMPFILE else None
            results += done if done is not None else _write_chunk_named(directory, dir_fd, chunk)
    finally:
        os.close(dir_fd)
    return results


def _link_all(dir_fd: int, names: list[str], sources: list[str | OSError]) -> list[bool | OSError]:
    results: list[bool | OSError] = []
    for name, src in zip(names, sources, strict=True):
        if isinstance(src, OSError):
            results.append(src)
            continue
        try:
            os.link(src, name, dst_dir_fd=dir_fd, follow_symlinks=True)
            results.append(True)
        except FileExistsError:
            results.append(False)
        except OSError as exc:
            results.append(exc)
    return results


def _write_chunk_tmpfile(dir_fd: int, chunk: list[tuple[str, bytes]]) -> list[bool | OSError] | None:
    """`write_new_batch` with O_TMPFILE; None when this file system does not support it."""
    global _O_TMPFILE
    fds: list[int | OSError] = []
    try:
        for _name, data in chunk:
            try:
                fd = os.open(".", _O_TMPFILE | os.O_WRONLY, 0o666, dir_fd=dir_fd)  # less the umask
            except OSError as exc:
                if not fds and exc.errno in _NO_TMPFILE:
                    return None
                fds.append(exc)
                continue
            fds.append(fd)
            try:
                _write_all(fd, data)
            except OSError as exc:
                os.close(fd)
                fds[-1] = exc
        if not _syncfs(dir_fd):
            for fd in fds:
                if isinstance(fd, int):
                    os.fsync(fd)
        names = [name for name, _ in chunk]
        sources = [f"/proc/self/fd/{fd}" if isinstance(fd, int) else fd for fd in fds]
        # the first link tells whether linking through /proc is allowed here (some sandboxes
        # refuse it); if not, this chunk and every later one use named temporary files
        first = next((i for i, src in enumerate(sources) if isinstance(src, str)), None)
        if first is None:
            return _link_all(dir_fd, names, sources)
        try:
            os.link(sources[first], names[first], dst_dir_fd=dir_fd, follow_symlinks=True)
        except FileExistsError:
            pass  # reported as False by _link_all below
        except OSError as exc:
            if exc.errno in _NO_PROC_LINK:
                _O_TMPFILE = 0
                return None
        else:  # linked: the others follow
            rest = _link_all(dir_fd, names[:first] + names[first + 1 :], sources[:first] + sources[first + 1 :])
            rest.insert(first, True)
            return rest
        return _link_all(dir_fd, names, sources)
    finally:
        for fd in fds:
            if isinstance(fd, int):
                os.close(fd)


def _write_chunk_named(directory: Path, dir_fd: int, chunk: list[tuple[str, bytes]]) -> list[bool | OSError]:
    """`write_new_batch` with named temporary files (hidden: "." prefix, ".tmp" suffix)."""
    from tuireader.fsutil import new_file_mode

    mode = new_file_mode()
    temps: list[str | OSError] = []
    try:
        for name, data in chunk:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            except OSError as exc:
                temps.append(exc)
                continue
            try:
                with os.fdopen(fd, "wb") as fh:
                    if hasattr(os, "fchmod"):
                        os.fchmod(fh.fileno(), mode)
                    fh.write(data)
                temps.append(tmp)
            except OSError as exc:  # e.g. disk full: the temporary file goes, the error is reported
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                temps.append(exc)
        if not _syncfs(dir_fd):
            for tmp in temps:
                if isinstance(tmp, str):
                    fd = os.open(tmp, os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
        return _link_all(dir_fd, [name for name, _ in chunk], temps)
    finally:
        for tmp in temps:
            if isinstance(tmp, str):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


class _BatchWriter:
    """Collects article writes for a moment and performs them in a thread, in batches.

    A caller hands over one file (`write`) or a feed's worth (`write_many`, one future for all:
    ten thousand articles on a first refresh need not be ten thousand tasks)."""

    def __init__(self, directory: Path, max_batch: int = 256, linger: float = 0.02) -> None:
        self.directory = directory
        self.max_batch = max_batch
        self.linger = linger
        self._queue: list[tuple[list[tuple[str, bytes]], asyncio.Future[list[bool | OSError]]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def write(self, name: str, data: bytes) -> bool:
        """True when created, False when a file of that name exists; raises OSError."""
        (result,) = await self.write_many([(name, data)])
        if isinstance(result, OSError):
            raise result
        return result

    async def write_many(self, items: list[tuple[str, bytes]]) -> list[bool | OSError]:
        """Per (name, data): True (created), False (the name existed) or the OSError met."""
        if not items:
            return []
        future: asyncio.Future[list[bool | OSError]] = asyncio.get_running_loop().create_future()
        self._queue.append((items, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(self.linger)
        while self._queue:
            count = taken = 0
            for items, _ in self._queue:  # whole requests, up to max_batch files (at least one)
                if taken and count + len(items) > self.max_batch:
                    break
                count += len(items)
                taken += 1
            batch, self._queue = self._queue[:taken], self._queue[taken:]
            try:
                results = await asyncio.to_thread(
                    write_new_batch, self.directory, [item for items, _ in batch for item in items]
                )
            except BaseException as exc:  # cancelled, or an unexpected failure: nobody waits forever
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc if isinstance(exc, Exception) else OSError("interrupted"))
                raise
            at = 0
            for items, fut in batch:
                if not fut.done():
                    fut.set_result(results[at : at + len(items)])
                at += len(items)


class _Refresh:
    def __init__(
        self,
        library_root: Path,
        state: RefreshState,
        fetcher: Fetcher,
        pool: CpuPool,
        options: RefreshOptions,
        progress: ProgressCallback | None,
    ) -> None:
        self.root = Path(library_root)
        self.state = state
        self.fetcher = fetcher
        self.pool = pool
        self.options = options
        self.progress_cb = progress
        self.report = RefreshReport()
        self.titles: dict[str, tuple[str | None, str | None]] = {}
        self._slots = asyncio.Semaphore(options.article_concurrency)
        self.writer = _BatchWriter(self.root)
        self._claims: dict[str, asyncio.Future[bool]] = {}
        self.feeds_total = 0
        self.feeds_done = 0
        self.articles_total = 0
        self.articles_done = 0

    # -- progress and problems

    def _progress(self, current: str | None = None) -> None:
        if self.progress_cb is None:
            return
        snapshot = RefreshProgress(
            feeds_total=self.feeds_total,
            feeds_done=self.feeds_done,
            feeds_failed=self.report.feeds_failed,
            articles_total=self.articles_total,
            articles_done=self.articles_done,
            added=len(self.report.added),
            current=current,
        )
        with contextlib.suppress(Exception):  # a display error must not stop a refresh
            self.progress_cb(snapshot)

    def _problem(self, where: str, message: str) -> None:
        self.report.problems.append(Problem(where=where, message=" ".join(message.split())))

    # -- feeds

    async def run(self, subscriptions: list[Subscription]) -> RefreshReport:
        self.feeds_total = len(subscriptions)
        self._progress()
        await asyncio.gather(*(self._feed(sub) for sub in subscriptions))
        return self.report

    async def _feed(self, sub: Subscription) -> None:
        try:
            ok = await self._read_feed(sub)
        except Exception as exc:  # a bug met by one feed must not stop the others
            self._problem(sub.url, f"internal error: {exc.__class__.__name__}: {exc}")
            ok = False
        self.feeds_done += 1
        if ok:
            self.report.feeds_ok += 1
        else:
            self.report.feeds_failed += 1
        self._progress(sub.url)

    def _feed_failed(self, sub: Subscription, message: str) -> bool:
        self._problem(sub.url, message)
        fstate = self.state.feeds.setdefault(sub.url, {})
        fstate["error"] = message
        fstate["failed_at"] = _now_iso()
        self.state.dirty = True
        return False

    async def _read_feed(self, sub: Subscription) -> bool:
        cfg = self.options.http
        try:
            resp = await self.fetcher.get(
                sub.url, max_bytes=cfg.max_feed_bytes, accept=FEED_ACCEPT, use_cache=True
            )
        except FetchError as exc:
            return self._feed_failed(sub, str(exc))
        fstate = self.state.feeds.setdefault(sub.url, {})
        if resp.not_modified and fstate.get("done") != resp.sha256:
            # unchanged, but an earlier refresh did not finish it: the body is needed again
            try:
                resp = await self.fetcher.get(sub.url, max_bytes=cfg.max_feed_bytes, accept=FEED_ACCEPT)
            except FetchError as exc:
                return self._feed_failed(sub, str(exc))
        body_hash = resp.sha256
        if fstate.get("done") == body_hash:
            self.report.feeds_unchanged += 1
            self.report.entries_seen += int(fstate.get("entries", 0))
            if fstate.pop("error", None) is not None:
                self.state.dirty = True
            return True
        # Parsed in a worker, where each entry's article is also made ready to write when no page
        # is fetched: the event loop only checks for duplicates and hands the bytes to the writer.
        seen = set(fstate.get("seen") or ())
        prepare = None if self.options.fetch_pages else _Prepare(sub.outlet, fstate.get("site_name"), seen)
        try:
            doc: _Document = await self.pool.run(
                _parse_document,
                resp.body,
                resp.url,
                resp.headers.get("content-type"),
                self.options.max_entries_per_feed,
                sub.url,
                prepare,
            )
        except FeedError as exc:
            return self._feed_failed(sub, str(exc))
        self.titles[sub.url] = (doc.title, doc.link)
        self.report.entries_seen += len(doc.keys)
        done_keys: set[str] = set()
        todo: list[int] = []
        urls = self.state.urls
        for i, key in enumerate(doc.keys):
            if key in seen:
                done_keys.add(key)
            elif doc.urls[i] and doc.primaries[i] in urls:  # the primary is the URL's hash
                done_keys.add(key)  # new here, but the article came from elsewhere
                self.report.duplicates += 1
            else:
                todo.append(i)
        self.articles_total += len(todo)
        self._progress(sub.url)
        outcomes: list[_Outcome]
        if doc.articles is not None:  # nothing to wait for per entry: no task each
            outcomes = [self._prepared(sub, doc, i) for i in todo]
        else:
            outcomes = await asyncio.gather(
                *(self._entry(sub, doc, doc.entries[i], primary=doc.primaries[i]) for i in todo)
            )
        # Articles whose outlet only the feed can name are written once all pages of the feed are
        # in, so they get the name the feed's own pages give (og:site_name), not the feed title.
        pending = [o for o in outcomes if isinstance(o, _Article)]
        if pending:
            site_names = {o.site_name for o in outcomes if isinstance(o, _Article | _Stored) and o.site_name}
            if len(site_names) == 1:
                fstate["site_name"] = site_names.pop()
            outlet = fstate.get("site_name") or doc.title or site_of(sub.url)
            written = await self._commit_many(pending, outlet)
            done = dict(zip((id(o) for o in pending), written, strict=True))
            outcomes = [done.get(id(o), o) if isinstance(o, _Article) else o for o in outcomes]
        failures: dict[str, int] = dict(fstate.get("failures") or {})
        all_done = True
        for i, outcome in zip(todo, outcomes, strict=True):
            key = doc.keys[i]
            if outcome:
                done_keys.add(key)
                failures.pop(key, None)
                continue
            failures[key] = failures.get(key, 0) + 1
            if failures[key] >= self.options.max_attempts:
                done_keys.add(key)  # given up: reported this time, not again
                failures.pop(key, None)
            else:
                all_done = False
        fstate["seen"] = sorted(done_keys)
        if failures:
            keys = set(doc.keys)
            failures = {k: v for k, v in failures.items() if k in keys}
        fstate["failures"] = failures
        fstate["entries"] = len(doc.keys)
        fstate["ok_at"] = _now_iso()
        fstate.pop("error", None)
        if all_done:
            fstate["done"] = body_hash
        self.state.save_soon()
        return True

    # -- entries

    def _known(self, url: str | None) -> str | None:
        return self.state.urls.get(url_hash(url)) if url else None

    def _prepared(self, sub: Subscription, doc: _Document, i: int) -> _Outcome:
        """`_entry` for an entry whose page is not fetched and whose article the worker made
        ready, synchronously. The article is returned pending and written with the feed's others;
        `_commit_many` checks every alias again, so an entry racing another feed's copy of the
        same article is stored once."""
        primary = doc.primaries[i]
        prepared = doc.articles[i] if doc.articles is not None else None
        claim = self._claims.get(primary)
        outcome: _Outcome = False
        if primary in self.state.urls:
            outcome = True
        elif claim is not None and not claim.done():
            outcome = False  # another entry is fetching it now: looked at again next time
        elif isinstance(prepared, Problem):
            self.report.problems.append(prepared)
        elif prepared is not None:
            outcome = prepared
        self.articles_done += 1
        self._progress(doc.urls[i] or sub.url)
        return outcome

    async def _entry(self, sub: Subscription, parsed: _Document | None, entry: FeedEntry,
                     prefetched: Response | None = None, primary: str | None = None) -> _Outcome:  # fmt: skip
        """Bring one entry in. Truthy when it is in the library (or will be: a pending `_Article`)."""
        primary = primary or _primary_of(sub.url, entry)
        claim = self._claims.get(primary)
        if claim is not None:  # the same article from another entry is being stored right now
            stored = await claim
            self.report.duplicates += stored
            self.articles_done += 1
            return stored
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._claims[primary] = future
        outcome: _Outcome = False
        try:
            # The slots bound the pages in hand (sockets and memory), so an entry that fetches no
            # page takes none, and the write (batched, off the loop) happens outside them.
            fetches = entry.url is not None and (self.options.fetch_pages or prefetched is not None)
            async with self._slots if fetches else contextlib.nullcontext():
                outcome = await self._prepare(sub, parsed, entry, primary, prefetched)
            if isinstance(outcome, _Article) and (outcome.fields["outlet"] or parsed is None):
                outcome = await self._commit(outcome, site_of(outcome.site_url))
        except Exception as exc:
            self._problem(entry.url or sub.url, f"internal error: {exc.__class__.__name__}: {exc}")
        finally:
            if not future.done():
                future.set_result(bool(outcome))
            self.articles_done += 1
            self._progress(entry.url or sub.url)
        return outcome

    def _duplicate(self, primary: str, article_id: str) -> bool:
        self.state.urls.setdefault(primary, article_id)
        self.report.duplicates += 1
        self.state.dirty = True
        return True

    async def _prepare(self, sub: Subscription, parsed: _Document | None, entry: FeedEntry, primary: str,
                       prefetched: Response | None) -> _Outcome:  # fmt: skip
        """Fetch and extract the entry's page, choose its text; returns the article to write
        (or True if it is already stored, False on failure, each failure reported)."""
        if primary in self.state.urls:
            return True
        page: ExtractedPage | None = None
        page_error: str | None = None
        final_url = entry.url
        if entry.url and (self.options.fetch_pages or prefetched is not None):
            try:
                resp = prefetched or await self.fetcher.get(
                    entry.url,
                    max_bytes=self.options.http.max_page_bytes,
                    accept=PAGE_ACCEPT,
                    content_types=PAGE_TYPES,
                )
            except FetchError as exc:
                page_error = str(exc)
            else:
                final_url = resp.url
                if (known := self._known(final_url)) is not None:
                    return self._duplicate(primary, known)
                page = await self.pool.run(extract_page, resp.body, resp.url)
                if page is None:
                    page_error = "no article text found in the page"
                elif (canon := _canonical_key(page, final_url)) and (known := self.state.canon.get(canon)):
                    return self._duplicate(primary, known)
        return self._article(sub, parsed, entry, primary, page, page_error, final_url)

    def _article(self, sub: Subscription, parsed: _Document | None, entry: FeedEntry, primary: str,
                 page: ExtractedPage | None, page_error: str | None, final_url: str | None) -> _Outcome:  # fmt: skip
        """The article to write for `entry` (with its page, if one was fetched), or False."""
        article = _build_article(
            sub, parsed.language if parsed else None, entry, primary, page, page_error, final_url
        )
        if isinstance(article, Problem):
            self.report.problems.append(article)
            return False
        return article

    def _reserve(self, article: _Article, outlet: str | None) -> tuple[str, bytes] | bool:
        """Claim `article`'s names before it is written, so entries racing for an alias see them:
        (stem, file bytes), or True when an alias or its text is already stored."""
        urls = self.state.urls
        for h in article.aliases:
            if (known := urls.get(h)) is not None:
                return self._duplicate(article.primary, known)
        if article.text_key and (known := self.state.content.get(article.text_key)) is not None:
            return self._duplicate(article.primary, known)
        if article.data is not None:  # made whole in the worker
            stem, data = article.stem, article.data
        else:
            fields = article.fields
            if not fields["outlet"]:
                fields = {**fields, "outlet": outlet}
            stem = f"{_date_part(fields['published'])}_{article.primary}"
            data = article_bytes(fields, article.paragraphs)
        for h in article.aliases:
            urls.setdefault(h, stem)
        if article.text_key:
            self.state.content.setdefault(article.text_key, stem)
        if article.canonical_key:
            self.state.canon.setdefault(article.canonical_key, stem)
        return stem, data

    def _release(self, article: _Article, stem: str) -> None:
        """Undo `_reserve` for an article that was not written."""
        for h in article.aliases:
            if self.state.urls.get(h) == stem:
                del self.state.urls[h]
        if article.text_key and self.state.content.get(article.text_key) == stem:
            del self.state.content[article.text_key]
        if article.canonical_key and self.state.canon.get(article.canonical_key) == stem:
            del self.state.canon[article.canonical_key]

    def _written(self, article: _Article, stem: str, result: bool | OSError) -> _Outcome:
        """Book the outcome of writing a reserved article (an error releases its names)."""
        if isinstance(result, OSError):
            self._release(article, stem)
            self._problem(article.where, f"cannot write article: {result.strerror or result}")
            return False
        if result:
            self.report.added.append(stem)
        else:
            self.report.duplicates += 1  # the same file was written by an earlier, interrupted run
        return _Stored(stem, article.site_name)

    async def _commit(self, article: _Article, outlet: str | None) -> _Outcome:
        """Write `article` unless an alias or its text arrived meanwhile; truthy when stored."""
        return (await self._commit_many([article], outlet))[0]

    async def _commit_many(self, articles: list[_Article], outlet: str | None) -> list[_Outcome]:
        """`_commit` for several articles with one batched write (in a thread, one syncfs per
        batch) while the loop goes on fetching."""
        outcomes: list[_Outcome] = []
        writes: list[tuple[int, str]] = []  # (index in outcomes, stem)
        files: list[tuple[str, bytes]] = []
        for article in articles:
            reserved = self._reserve(article, outlet)
            if isinstance(reserved, bool):
                outcomes.append(reserved)
                continue
            stem, data = reserved
            writes.append((len(outcomes), stem))
            files.append((f"{stem}.txt", data))
            outcomes.append(False)
        if files:
            try:
                results = await self.writer.write_many(files)
            except OSError as exc:
                results = [exc] * len(files)
            except BaseException:
                # Cancelled (Ctrl+C): whether each file got written is unknown, so none is kept
                # as stored in the state; `reconcile` learns those that were, from the folder.
                for i, stem in writes:
                    self._release(articles[i], stem)
                raise
            for (i, stem), result in zip(writes, results, strict=True):
                outcomes[i] = self._written(articles[i], stem, result)
            self.state.save_soon()
        return outcomes


class _Article(NamedTuple):
    """An entry ready to be written (all but possibly its outlet). A named tuple: ten thousand of
    them come back from the workers on a first refresh, and tuples pickle fastest."""

    primary: str
    fields: dict[str, str | None]
    paragraphs: tuple[str, ...]
    aliases: frozenset[str]
    text_key: str | None
    site_url: str
    site_name: str | None
    where: str
    canonical_key: str | None = None
    stem: str = ""  # with `data`: the file's name and bytes, when the worker made it whole
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class _Stored:
    """An entry written now; truthy."""

    article_id: str
    site_name: str | None


_Outcome = bool | _Article | _Stored


def _primary_of(feed_url: str, entry: FeedEntry) -> str:
    """The hash naming the entry's article: its URL's, else its feed's and key's."""
    if entry.url:
        return url_hash(entry.url)
    return hashlib.sha256(f"{canonical_url(feed_url)}\n{entry.key}".encode()).hexdigest()[:16]


def _canonical_key(page: ExtractedPage, final_url: str) -> str | None:
    """The page's rel=canonical with its title: the same article under another address.

    Canonical links are often misconfigured (every page naming the home page or a section), so
    one counts only on the same site, never the site root, and only with the same headline.
    """
    canon = page.canonical_url
    if not canon or not page.title or site_of(canon) != site_of(final_url):
        return None
    if urlsplit(canon).path in ("", "/"):
        return None
    title = " ".join(re.findall(r"\w+", page.title.casefold()))
    return hashlib.sha256(f"{canonical_url(canon)}\n{title}".encode()).hexdigest()[:20]


def _build_article(sub: Subscription, language: str | None, entry: FeedEntry, primary: str,
                   page: ExtractedPage | None, page_error: str | None, final_url: str | None,
                   ) -> _Article | Problem:  # fmt: skip
    """The article to write for `entry` (with its page, if one was fetched), or the Problem that
    there is no text. A pure function: it also runs in the worker processes."""
    use_page = page is not None and page.words >= 0.8 * entry.words
    paragraphs: tuple[str, ...]
    if page is not None and use_page:
        paragraphs, fingerprint = page.paragraphs, page.fingerprint
    else:
        # the feed's text is already paragraphs joined by blank lines, none empty
        # (feeds.html_to_paragraphs): written as it is, without splitting and re-joining
        text = entry.text.strip()
        paragraphs, fingerprint = ((text,) if text else ()), entry.fingerprint
    if not paragraphs:
        if not sub.url:  # a single page asked for by URL
            where, message = entry.url or "", f"no article text ({page_error or 'empty page'})"
        else:
            where = entry.url or f"{sub.url} ({entry.title or entry.key})"
            page_part = f"page: {page_error}; " if page_error else ""
            message = f"no article text ({page_part}feed {sub.url} gives none)"
        return Problem(where=where, message=" ".join(message.split()))

    site_url = final_url or sub.url
    site_name = page.site_name if page is not None else None
    if site_name and site_name.lower().removeprefix("www.") in (
        site_of(site_url),
        urlsplit(site_url).netloc,
    ):
        site_name = None  # trafilatura falls back to the host name: not a name the site gives
    url = final_url or entry.url
    fields: dict[str, str | None] = {
        "title": entry.title or (page.title if page else None) or "(untitled)",
        "outlet": sub.outlet or site_name or entry.source,
        "url": _clean_url(url) if url else None,
        "feed": sub.url or None,
        "published": entry.published or (page.published if page else None),
        "fetched": _now_iso(),
        "authors": "; ".join(entry.authors or (page.authors if page else ())) or None,
        "language": language or (page.language if page else None),
    }
    aliases = {primary} | {url_hash(u) for u in (final_url, entry.url) if u}
    return _Article(
        primary=primary,
        fields=fields,
        paragraphs=paragraphs,
        aliases=frozenset(aliases),
        text_key=_text_key(site_of(site_url), fingerprint),
        site_url=site_url,
        site_name=site_name,
        where=entry.url or sub.url,
        canonical_key=_canonical_key(page, final_url) if page is not None and final_url else None,
    )


class _Prepare(NamedTuple):
    """What a worker needs to make a feed's articles whole (refreshes without pages)."""

    outlet: str | None  # the subscription's own name for the outlet
    site_name: str | None  # the name the feed's pages gave on an earlier refresh
    seen: set[str]  # keys of the entries already read, not made again


@dataclass(frozen=True, slots=True)
class _Document:
    """A feed document as the event loop needs it: per entry its key, URL and primary hash, and
    either the entries (their pages to fetch) or, with `_Prepare`, the articles the worker made
    ready to write (a Problem where an entry has no text); then `entries` is empty, as the texts
    are already in the articles' bytes and need not travel back twice."""

    title: str | None
    link: str | None
    language: str | None
    keys: tuple[str, ...]
    urls: tuple[str | None, ...]
    primaries: tuple[str, ...]
    entries: tuple[FeedEntry, ...]
    articles: tuple[_Article | Problem | None, ...] | None = None  # None: an entry already seen


def _parse_document(body: bytes, url: str, content_type: str | None, max_entries: int, feed_url: str,
                   prepare: _Prepare | None) -> _Document:  # fmt: skip
    """Parse a feed (in a worker process) into a `_Document`; raises FeedError.

    With `prepare`, every entry's article file is built here, on the workers' cores, instead of
    on the event loop's, which on a first refresh of thousands of entries is the busier one.
    """
    parsed = parse_feed(body, url, content_type, max_entries=max_entries)
    entries = parsed.entries
    primaries = tuple(_primary_of(feed_url, e) for e in entries)
    articles: tuple[_Article | Problem | None, ...] | None = None
    if prepare is not None:
        sub = Subscription(url=feed_url, outlet=prepare.outlet)
        outlet = prepare.site_name or parsed.title or site_of(feed_url)
        made: list[_Article | Problem | None] = []
        for entry, primary in zip(entries, primaries, strict=True):
            if entry.key in prepare.seen:
                made.append(None)
                continue
            try:
                article = _build_article(sub, parsed.language, entry, primary, None, None, entry.url)
            except Exception as exc:  # a bug met by one entry must not lose the others
                message = f"internal error: {exc.__class__.__name__}: {exc}"
                made.append(Problem(where=entry.url or feed_url, message=" ".join(message.split())))
                continue
            if isinstance(article, _Article):
                fields = article.fields
                if not fields["outlet"]:
                    fields = {**fields, "outlet": outlet}
                article = article._replace(
                    fields={},
                    paragraphs=(),
                    stem=f"{_date_part(fields['published'])}_{primary}",
                    data=article_bytes(fields, article.paragraphs),
                )
            made.append(article)
        articles = tuple(made)
    return _Document(
        title=parsed.title,
        link=parsed.link,
        language=parsed.language,
        keys=tuple(e.key for e in entries),
        urls=tuple(e.url for e in entries),
        primaries=primaries,
        entries=() if prepare is not None else entries,
        articles=articles,
    )


def _select(library_root: Path, feeds: list[str] | None) -> tuple[list[Subscription], list[Problem]]:
    from tuireader.sources.subscriptions import SubscriptionError

    problems: list[Problem] = []
    try:
        subs = load_subscriptions(library_root)
    except SubscriptionError as exc:
        if feeds is None:
            return [], [
                Problem(where=str(Path(library_root) / "feeds.opml"), message=str(exc).split(": ", 1)[-1])
            ]
        subs = []
    if feeds is None:
        chosen = subs
    else:
        by_canon = {canonical_url(s.url): s for s in subs}
        chosen = []
        for url in feeds:
            try:
                url = normalize_feed_url(url)
            except Exception as exc:
                problems.append(Problem(where=url, message=str(exc).split(": ", 1)[-1]))
                continue
            chosen.append(by_canon.get(canonical_url(url)) or Subscription(url=url))
    unique: dict[str, Subscription] = {}
    for sub in chosen:
        unique.setdefault(canonical_url(sub.url), sub)
    return list(unique.values()), problems


async def refresh_async(
    library_root: Path,
    cache_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    feeds: list[str] | None = None,
    options: RefreshOptions | None = None,
) -> RefreshReport:
    """Fetch the subscribed feeds (or just `feeds`, subscribed or not) and store new articles.

    Never raises for a bad feed or page: each failure is a Problem naming its URL. `progress` is
    called on the event loop's thread (a GUI on another thread must hand it over itself).
    Cancelling (Ctrl+C) saves the state; files already written are whole and are not re-fetched.
    """
    options = options or RefreshOptions()
    library_root = Path(library_root)
    subs, problems = _select(library_root, feeds)
    if not subs:
        report = RefreshReport(problems=problems)
        return report
    with _refresh_lock(library_root) as locked:
        if not locked:
            return RefreshReport(
                problems=[
                    Problem(where=str(library_root), message="another refresh of this library is running")
                ]
            )
        state = RefreshState.load(library_root)
        state.reconcile(library_root)
        pool = CpuPool(options.workers, options.process_threshold)
        pool.expect(len(subs))
        try:
            async with open_fetcher(Path(cache_dir), options.http) as fetcher:
                job = _Refresh(library_root, state, fetcher, pool, options, progress)
                job.report.problems.extend(problems)
                try:
                    await job.run(subs)
                finally:
                    if state.dirty:  # a refresh that found nothing new writes nothing
                        with contextlib.suppress(OSError):
                            state.save()
            with contextlib.suppress(OSError):
                record_feed_titles(library_root, job.titles)
        finally:
            pool.close()
    return job.report


def refresh(
    library_root: Path,
    cache_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    feeds: list[str] | None = None,
    options: RefreshOptions | None = None,
) -> RefreshReport:
    """Synchronous `refresh_async` (runs its own event loop; not for use inside a running loop)."""
    return asyncio.run(
        refresh_async(library_root, cache_dir, progress=progress, feeds=feeds, options=options)
    )


# ---------------------------------------------------------------------------------------------
# One URL: a page or a feed


def _looks_like_feed(response: Response) -> bool:
    """Feeds are often served as text/html or text/plain, so the body decides as much as the type."""
    ctype = response.content_type
    if any(t in ctype for t in ("rss", "atom", "rdf")):
        return True
    head = response.body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and any(
        t in head for t in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")
    )


async def ingest_url_async(
    url: str, library_root: Path, cache_dir: Path, options: RefreshOptions | None = None
) -> tuple[list[str], list[str], list[Problem]]:
    """Bring the article at `url` into the library, or, if `url` is a feed, its new entries.

    Returns the ids of the articles written, the ids of articles already holding the content
    (the page is known under one of its URLs, or its text is already stored), and the
    problems, each naming the URL.
    """
    options = options or RefreshOptions()
    library_root = Path(library_root)
    try:
        url = normalize_feed_url(url)
    except Exception as exc:
        return [], [], [Problem(where=url, message=str(exc).split(": ", 1)[-1])]
    with _refresh_lock(library_root) as locked:
        if not locked:
            return [], [], [Problem(where=str(library_root), message="a refresh of this library is running")]
        state = RefreshState.load(library_root)
        state.reconcile(library_root)
        if (known := state.urls.get(url_hash(url))) is not None:
            return [], [known], []
        pool = CpuPool(options.workers, options.process_threshold)
        try:
            async with open_fetcher(Path(cache_dir), options.http) as fetcher:
                try:
                    resp = await fetcher.get(url, max_bytes=options.http.max_feed_bytes, accept=PAGE_ACCEPT)
                except FetchError as exc:
                    return [], [], [Problem(where=url, message=str(exc))]
                if not _looks_like_feed(resp):
                    if resp.content_type and not resp.content_type.startswith(PAGE_TYPES):
                        return [], [], [
                            Problem(where=url, message=f"not a web page or feed ({resp.content_type})")
                        ]
                    job = _Refresh(library_root, state, fetcher, pool, options, None)
                    entry = FeedEntry(
                        key=url, url=url, title="", published=None, authors=(), content="", summary=""
                    )
                    try:
                        ok = await job._entry(Subscription(url=""), None, entry, prefetched=resp)
                    finally:
                        state.save()
                    if not ok:
                        return [], [], job.report.problems
                    stored = state.urls[url_hash(url)]
                    if stored in job.report.added:
                        return [stored], [], job.report.problems
                    return [], [stored], job.report.problems  # same text as an article stored
        finally:
            pool.close()
    report = await refresh_async(library_root, cache_dir, feeds=[url], options=options)
    return report.added, [], report.problems


def ingest_url(
    url: str, library_root: Path, cache_dir: Path, options: RefreshOptions | None = None
) -> tuple[list[str], list[str], list[Problem]]:
    """Synchronous `ingest_url_async`."""
    return asyncio.run(ingest_url_async(url, library_root, cache_dir, options))
