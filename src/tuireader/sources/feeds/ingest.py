"""One URL brought in (`tuireader ingest URL`): a page becomes one article, a feed its entries.

The same article under any of its URLs, or with the same text, is not stored twice; a feed URL is
refreshed once without subscribing. Which it is, the registry of sources decides from the response.

A page stored before is revalidated, not skipped: asked for conditionally (its ETag or
Last-Modified; a 304 means unchanged), and a page whose text differs from the article's latest
revision is stored as a new revision (`<first>-r<N>`, returned among the ids written).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tuireader.model import Problem
from tuireader.sources.base import FeedEntry, FeedSource, detect
from tuireader.sources.feeds.refresh import PAGE_ACCEPT, PAGE_TYPES, Refresh, refresh_async
from tuireader.sources.feeds.state import RefreshState, refresh_lock
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.files import revision_of
from tuireader.sources.http import FetchError, open_fetcher, url_hash
from tuireader.sources.opml import Subscription
from tuireader.sources.pages import CpuPool
from tuireader.sources.subscriptions import normalize_feed_url


async def ingest_url_async(
    url: str, library_root: Path, cache_dir: Path, options: RefreshOptions | None = None
) -> tuple[list[str], list[str], list[Problem]]:
    """Bring the article at `url` into the library, or, if `url` is a feed, its new entries.

    Returns the ids of the files written (new articles, and new revisions `<first>-r<N>` of a
    page stored before), the ids of articles already holding the content (the page is known under
    one of its URLs and unchanged, or its text is already stored), and the problems, each naming
    the URL.
    """
    options = options or RefreshOptions()
    library_root = Path(library_root)
    try:
        url = normalize_feed_url(url)
    except Exception as exc:
        return [], [], [Problem(where=url, message=str(exc).split(": ", 1)[-1])]
    with refresh_lock(library_root) as locked:
        if not locked:
            return [], [], [Problem(where=str(library_root), message="a refresh of this library is running")]
        state = RefreshState.load(library_root)
        state.reconcile(library_root)
        known = state.urls.get(url_hash(url))
        pool = CpuPool(options.workers, options.process_threshold)
        try:
            async with open_fetcher(Path(cache_dir), options.http) as fetcher:
                if known is not None:
                    job = Refresh(library_root, state, fetcher, pool, options, None)
                    return await _revalidate(job, url, known)
                try:
                    resp = await fetcher.get(url, max_bytes=options.http.max_feed_bytes, accept=PAGE_ACCEPT,
                                             use_cache=True)  # fmt: skip
                    if resp.not_modified:  # validators remembered, but the page is not stored here
                        resp = await fetcher.get(url, max_bytes=options.http.max_feed_bytes, accept=PAGE_ACCEPT)
                except FetchError as exc:
                    return [], [], [Problem(where=url, message=str(exc))]
                if not isinstance(detect(resp.content_type, resp.body), FeedSource):
                    if resp.content_type and not resp.content_type.startswith(PAGE_TYPES):
                        return [], [], [
                            Problem(where=url, message=f"not a web page or feed ({resp.content_type})")
                        ]
                    job = Refresh(library_root, state, fetcher, pool, options, None)
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


async def _revalidate(job: Refresh, url: str, known: str) -> tuple[list[str], list[str], list[Problem]]:
    """A page stored before as `known` (or one of its revisions), asked for again: a 304 or the
    same text leaves it as it is, other text becomes its next revision."""
    first = revision_of(known)[0]
    entry = FeedEntry(key=url, url=url, title="", published=None, authors=(), content="", summary="")
    try:
        resp = await job.fetch_page(url, revalidate=True)
    except FetchError as exc:
        return [], [], [Problem(where=url, message=str(exc))]
    if resp.not_modified:
        return [], [first], []
    if resp.content_type and not resp.content_type.startswith(PAGE_TYPES):
        return [], [], [Problem(where=url, message=f"not a web page ({resp.content_type})")]
    fresh = await job.fetch_again(Subscription(url=""), None, entry, url_hash(url), prefetched=resp)
    if fresh is None:
        return [], [first], []
    if isinstance(fresh, Problem):
        return [], [], [fresh]
    stored = await job.store_revision(first, fresh.fields, fresh.paragraphs, url)
    if stored is False:
        return [], [], job.report.problems
    if stored is None:
        return [], [first], job.report.problems
    return [str(stored)], [], job.report.problems


def ingest_url(
    url: str, library_root: Path, cache_dir: Path, options: RefreshOptions | None = None
) -> tuple[list[str], list[str], list[Problem]]:
    """Synchronous `ingest_url_async`."""
    return asyncio.run(ingest_url_async(url, library_root, cache_dir, options))
