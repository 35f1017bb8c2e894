"""Article pages: HTML → the article's paragraphs and metadata (trafilatura), off the event loop.

trafilatura is imported lazily (it is heavy) and runs in `CpuPool`, which starts with a thread and
moves to a process pool once a refresh turns out to be big: a few new articles do not pay for
spawning processes, a few thousand use every core while the event loop keeps fetching.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import importlib
import os
import signal
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found in a page. `paragraphs` exclude the headline."""

    paragraphs: tuple[str, ...]
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    fingerprint: str | None = None  # feeds.text_fingerprint of the paragraphs
    words: int = 0


def extract_page(data: bytes | str, url: str) -> ExtractedPage | None:
    """The main text and metadata of an HTML page, or None when no article text is found.

    Date search is kept to the page's metadata (`extensive_search` off): scanning the text for any
    date is three times slower and guesses wrong on pages that mention old years, and the feed
    usually states the date anyway.
    """
    import trafilatura

    from tuireader.sources.plaintext import text_fingerprint

    try:
        doc = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,  # layout tables (old CMSs) would pour menus into the text
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a page that breaks the extractor is a page without text, not a crash
        return None
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    title = " ".join((getattr(doc, "title", None) or "").split()) or None
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    if not paragraphs:
        return None
    author = getattr(doc, "author", None) or ""
    authors = tuple(dict.fromkeys(a.strip() for a in author.split(";") if a.strip()))
    return ExtractedPage(
        paragraphs=tuple(paragraphs),
        title=title,
        authors=authors,
        published=getattr(doc, "date", None) or None,
        site_name=" ".join((getattr(doc, "sitename", None) or "").split()) or None,
        canonical_url=getattr(doc, "url", None) or None,
        language=getattr(doc, "language", None) or None,
        fingerprint=text_fingerprint(paragraphs),
        words=sum(len(p.split()) for p in paragraphs),
    )


def _worker_init(preload: tuple[str, ...] = ()) -> None:
    """Process-pool workers leave Ctrl+C to the parent (which cancels cleanly), load early, and
    exit if the parent is killed (kill -9 gives the pool no chance to stop them)."""
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True, name="tuireader-parent-watch").start()
    _preload(preload)  # already done when forked; done once when spawned


def _preload(names: tuple[str, ...]) -> None:
    """Import each "module" or "module:function" and call the function (a one-time set-up)."""
    for name in names:
        module, _, func = name.partition(":")
        loaded = importlib.import_module(module)
        if func:
            getattr(loaded, func)()


class CpuPool:
    """Runs CPU-heavy calls (feed parsing, page extraction) without blocking the event loop.

    The first `process_threshold` calls go to one thread (no start-up cost); after that a pool of
    `workers` processes takes over, and the GIL no longer serialises extraction with fetching.
    """

    def __init__(
        self,
        workers: int | None = None,
        process_threshold: int = 24,
        preload: tuple[str, ...] = (
            "tuireader.sources.feeds.rss_atom:prepare_feedparser",
            "tuireader.sources.feeds.feedxml:available",
        ),
    ) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.process_threshold = process_threshold
        self.preload = preload
        self._calls = 0
        self._threads: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None
        self._no_processes = False

    def _start_processes(self) -> ProcessPoolExecutor | None:
        """A process pool, or None where processes cannot be started (then threads carry on).

        On Linux the workers are forked: nothing is re-imported (start-up in milliseconds) and,
        unlike spawn, a caller's unguarded `__main__` script is not re-run in each worker. The
        heavy modules are imported here first so no worker is forked inside an import, the thread
        pool is drained so no extraction is mid-flight at fork time, and all workers are forked
        at once, now (a fork pool starts every worker on its first job).
        """
        import multiprocessing
        import sys

        _preload(self.preload)
        if self._threads is not None:
            self._threads.shutdown(wait=True)
            self._threads = None
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        gc.freeze()  # the parent's objects stay out of the workers' collections (and pages unshared)
        try:
            pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_worker_init,
                initargs=(self.preload,),
            )
            pool.submit(int).result(timeout=60)
            return pool
        except Exception:  # e.g. spawn from an unguarded script: stay on threads
            self._no_processes = True
            return None
        finally:
            gc.unfreeze()

    def expect(self, jobs: int) -> None:
        """Start the processes at once when at least this many jobs are known to be coming
        (a refresh of many feeds): before any thread exists is also the best moment to fork."""
        if (
            jobs > self.process_threshold
            and self._processes is None
            and not self._no_processes
            and self.workers > 1
        ):
            self._processes = self._start_processes()

    def _executor(self) -> Executor:
        self._calls += 1
        if (
            self._processes is None
            and not self._no_processes
            and self.workers > 1
            and self._calls > self.process_threshold
        ):
            self._processes = self._start_processes()
        if self._processes is not None:
            return self._processes
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuireader-cpu")
        return self._threads

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` in the pool; `fn` must be a module-level function (picklable)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        for executor in (self._threads, self._processes):
            if executor is not None:
                # wait=True: workers are idle or finishing one short job; not waiting lets the
                # pool's manager thread outlive the interpreter's pipes ("Bad file descriptor")
                executor.shutdown(wait=True, cancel_futures=True)
        self._threads = self._processes = None


class Page:
    """The single-page source: an HTML document is one article (extracted by `extract_page`)."""

    kind = "page"
    media_types = ("text/html", "application/xhtml+xml;q=0.9")

    def claims(self, content_type: str, head: bytes) -> bool:
        if content_type.startswith(("text/html", "application/xhtml")):
            return True
        return head[:15].lower().startswith((b"<!doctype html", b"<html"))


SOURCE = Page()
