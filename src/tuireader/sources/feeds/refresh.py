"""Refresh: every subscribed feed, fetched concurrently, its new entries written as article files.

The library folder stays the source of truth. Each new article becomes one file, written
atomically with a create-only link (`fsbatch`), so a refresh that is interrupted (Ctrl+C, kill,
power) leaves whole files or none, and two writers can never produce two copies of one URL.
What was seen is kept by `state`; a feed's document is marked done only when all its entries were
stored, so a 304 on the next refresh never hides entries an interrupted refresh did not reach.
Each feed has a deadline (`RefreshOptions.feed_deadline`): what it has not brought in by then waits
for the next refresh, so one slow server cannot hold the refresh of all the others.

An entry read before whose title, text or dates changed in the feed (`entry_signature`) is looked
at again: its page revalidated (a 304 means unchanged), its text compared with the article's
latest revision, and, when it differs, stored as a new revision file beside the first
(`store_revision`); the files already there are never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.fsbatch import BatchWriter
from tuireader.model import Problem
from tuireader.sources.base import FeedEntry, FeedError, feed_accept
from tuireader.sources.feeds.articles import (
    FeedDocument,
    NewArticle,
    Prepare,
    article_bytes,
    build_article,
    canonical_key,
    now_iso,
    parse_document,
    primary_of,
    revision_fields,
)
from tuireader.sources.feeds.state import RefreshState, refresh_lock
from tuireader.sources.feeds.types import ProgressCallback, RefreshOptions, RefreshProgress, RefreshReport
from tuireader.sources.files import (
    TEXT_SUFFIX,
    SourceError,
    article_stem,
    parse_header,
    read_document,
    revision_files,
    revision_of,
    revision_stem,
    text_identity,
)
from tuireader.sources.http import (
    Deadline,
    Fetcher,
    FetchError,
    PrivateAddressError,
    Response,
    canonical_url,
    open_fetcher,
    site_of,
    url_hash,
)
from tuireader.sources.opml import Subscription
from tuireader.sources.pages import CpuPool, ExtractedPage, extract_page
from tuireader.sources.subscriptions import load_subscriptions, normalize_feed_url, record_feed_titles

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
PAGE_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")


class Refresh:
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
        self.writer = BatchWriter(self.root)
        self._claims: dict[str, asyncio.Future[bool]] = {}
        self._deadlines: dict[str, Deadline] = {}  # per feed URL, shared by its pages
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
        deadline = Deadline(self.options.feed_deadline, "the feed's deadline")  # counts while served
        self._deadlines[sub.url] = deadline
        try:
            ok = await self._read_feed(sub, deadline)
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
        fstate["failed_at"] = now_iso()
        self.state.dirty = True
        return False

    async def _read_feed(self, sub: Subscription, deadline: Deadline) -> bool:
        """One feed: fetch its document, skip it when fully read before, else bring in its new
        entries and record what was done. False (with the failure reported) when it cannot be read."""
        fstate = self.state.feeds.setdefault(sub.url, {})
        resp = await self._fetch_document(sub, fstate, deadline)
        if resp is None:
            return False
        if fstate.get("done") == resp.sha256:
            self.report.feeds_unchanged += 1
            self.report.entries_seen += int(fstate.get("entries", 0))
            if fstate.pop("error", None) is not None:
                self.state.dirty = True
            return True
        seen = set(fstate.get("seen") or ())
        try:
            doc = await self._parse(sub, resp, fstate, seen)
        except FeedError as exc:
            return self._feed_failed(sub, str(exc))
        self.titles[sub.url] = (doc.title, doc.link)
        self.report.entries_seen += len(doc.keys)
        done_keys, todo = self._triage(doc, seen)
        revisits = self._changed(doc, seen, fstate)
        self.articles_total += len(todo) + len(revisits)
        self._progress(sub.url)
        outcomes = await self._bring_in(sub, doc, todo, fstate, deadline)
        revisited = await asyncio.gather(*(self._revisit(sub, doc, i) for i in revisits))
        self._record(fstate, doc, todo, outcomes, done_keys, resp.sha256)
        self._record_signatures(fstate, doc, {doc.keys[i] for i, ok in zip(revisits, revisited, strict=True) if not ok})
        return True

    async def _fetch_document(self, sub: Subscription, fstate: dict, deadline: Deadline) -> Response | None:
        """The feed's document (conditionally requested); fetched whole again when it is unchanged
        but an earlier refresh did not finish it. None when it cannot be had (reported)."""
        cfg = self.options.http
        how = {"max_bytes": cfg.max_feed_bytes, "accept": feed_accept(), "deadline": deadline}
        try:
            resp = await self.fetcher.get(sub.url, use_cache=True, **how)  # type: ignore[arg-type]
            if resp.not_modified and fstate.get("done") != resp.sha256:
                resp = await self.fetcher.get(sub.url, **how)  # type: ignore[arg-type]
        except FetchError as exc:
            self._feed_failed(sub, str(exc))
            return None
        return resp

    async def _parse(self, sub: Subscription, resp: Response, fstate: dict, seen: set[str]) -> FeedDocument:
        """Parsed in a worker, where each entry's article is also made ready to write when no page
        is fetched: the event loop only checks for duplicates and hands the bytes to the writer."""
        prepare = None if self.options.fetch_pages else Prepare(
            sub.outlet, fstate.get("site_name"), seen, fstate.get("signatures")
        )
        return await self.pool.run(
            parse_document,
            resp.body,
            resp.url,
            resp.headers.get("content-type"),
            self.options.max_entries_per_feed,
            sub.url,
            prepare,
        )

    def _triage(self, doc: FeedDocument, seen: set[str]) -> tuple[set[str], list[int]]:
        """(keys already done, indexes of the entries to bring in): an entry read before is done,
        and so is one whose URL is stored already (from another feed: counted as a duplicate)."""
        done_keys: set[str] = set()
        todo: list[int] = []
        urls = self.state.urls
        for i, key in enumerate(doc.keys):
            if key in seen:
                done_keys.add(key)
            elif doc.urls[i] and doc.primaries[i] in urls:  # the primary is the URL's hash
                done_keys.add(key)
                self.report.duplicates += 1
            else:
                todo.append(i)
        return done_keys, todo

    def _changed(self, doc: FeedDocument, seen: set[str], fstate: dict) -> list[int]:
        """Indexes of entries read before, stored, whose signature changed since (revision candidates)."""
        recorded: dict[str, str] = fstate.get("signatures") or {}
        if not recorded or not doc.signatures:
            return []
        return [
            i for i, key in enumerate(doc.keys)
            if key in seen and recorded.get(key, doc.signatures[i]) != doc.signatures[i]
            and doc.primaries[i] in self.state.urls
        ]  # fmt: skip

    def _record_signatures(self, fstate: dict, doc: FeedDocument, retry: set[str]) -> None:
        """Remember each entry's signature (those of revisits that failed stay as they were, so the
        next refresh tries them again)."""
        if not doc.signatures:
            return
        old: dict[str, str] = fstate.get("signatures") or {}
        fstate["signatures"] = {
            key: (old[key] if key in retry and key in old else sig)
            for key, sig in zip(doc.keys, doc.signatures, strict=True)
        }
        self.state.save_soon()

    async def _bring_in(self, sub: Subscription, doc: FeedDocument, todo: list[int], fstate: dict,
                        deadline: Deadline) -> list[_Outcome]:  # fmt: skip
        """Each new entry's outcome. Articles whose outlet only the feed can name are written once
        all pages of the feed are in, so they get the name the feed's own pages give
        (og:site_name), not the feed's title. Entries still fetching at the feed's `deadline` are
        stopped: their outcome is None (neither done nor failed, taken up by the next refresh)."""
        outcomes: list[_Outcome]
        if doc.articles is not None:  # nothing to wait for per entry: no task each
            outcomes = [self._prepared(sub, doc, i) for i in todo]
        elif todo:
            tasks = [
                asyncio.ensure_future(self._entry(sub, doc, doc.entries[i], primary=doc.primaries[i]))
                for i in todo
            ]
            loop = asyncio.get_running_loop()
            try:
                late: set[asyncio.Future[_Outcome]] = set(tasks)
                # the deadline counts only while the feed's requests are served, so it is asked
                # again after each wait: time spent queueing behind other feeds is not counted
                while late and (left := deadline.remaining(loop.time())) > 0:
                    _done, late = await asyncio.wait(late, timeout=left)
            except BaseException:  # cancelled (the reader quits): the entries stop as well
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
            for task in late:
                task.cancel()
            if late:
                await asyncio.gather(*late, return_exceptions=True)
                self._problem(sub.url, f"feed deadline ({self.options.feed_deadline:g} s) passed; "
                              f"{len(late)} entr{'ies' if len(late) != 1 else 'y'} left for the next refresh")  # fmt: skip
            outcomes = [None if t in late or t.cancelled() else t.result() for t in tasks]
        else:
            outcomes = []
        pending = [o for o in outcomes if isinstance(o, NewArticle)]
        if not pending:
            return outcomes
        site_names = {o.site_name for o in outcomes if isinstance(o, NewArticle | _Stored) and o.site_name}
        if len(site_names) == 1:
            fstate["site_name"] = site_names.pop()
        outlet = fstate.get("site_name") or doc.title or site_of(sub.url)
        written = await self._commit_many(pending, outlet)
        done = dict(zip((id(o) for o in pending), written, strict=True))
        return [done.get(id(o), o) if isinstance(o, NewArticle) else o for o in outcomes]

    def _record(self, fstate: dict, doc: FeedDocument, todo: list[int], outcomes: list[_Outcome],
                done_keys: set[str], body_hash: str | None) -> None:  # fmt: skip
        """Save what this pass did: entries done, failures counted (an entry that keeps failing
        is given up after `max_attempts`), and the document marked done when nothing is left."""
        failures: dict[str, int] = dict(fstate.get("failures") or {})
        all_done = True
        for i, outcome in zip(todo, outcomes, strict=True):
            key = doc.keys[i]
            if outcome is None:  # stopped at the feed's deadline: not a failure, not done
                all_done = False
                continue
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
        fstate["ok_at"] = now_iso()
        fstate.pop("error", None)
        if all_done:
            fstate["done"] = body_hash
        self.state.save_soon()

    # -- entries

    def _known(self, url: str | None) -> str | None:
        return self.state.urls.get(url_hash(url)) if url else None

    def _prepared(self, sub: Subscription, doc: FeedDocument, i: int) -> _Outcome:
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

    async def _entry(self, sub: Subscription, parsed: FeedDocument | None, entry: FeedEntry,
                     prefetched: Response | None = None, primary: str | None = None) -> _Outcome:  # fmt: skip
        """Bring one entry in. Truthy when it is in the library (or will be: a pending `NewArticle`)."""
        primary = primary or primary_of(sub.url, entry)
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
            if isinstance(outcome, NewArticle) and (outcome.fields["outlet"] or parsed is None):
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

    async def _prepare(self, sub: Subscription, parsed: FeedDocument | None, entry: FeedEntry, primary: str,
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
                resp = prefetched or await self.fetch_page(
                    entry.url,
                    named=sub.url or entry.url,  # a private address only at the feed's own origin
                    deadline=self._deadlines.get(sub.url),
                )
            except PrivateAddressError as exc:  # said, though the feed's own text may still do
                page_error = str(exc)
                self._problem(entry.url, page_error)
            except FetchError as exc:
                deadline = self._deadlines.get(sub.url)
                if deadline is not None and deadline.remaining(asyncio.get_running_loop().time()) <= 0:
                    return None  # the feed's time is up: the page is fetched next refresh
                page_error = str(exc)
            else:
                final_url = resp.url
                if (known := self._known(final_url)) is not None:
                    return self._duplicate(primary, known)
                page = await self.pool.run(extract_page, resp.body, resp.url)
                if page is None:
                    page_error = "no article text found in the page"
                elif (canon := canonical_key(page, final_url)) and (known := self.state.canon.get(canon)):
                    return self._duplicate(primary, known)
        return self._article(sub, parsed, entry, primary, page, page_error, final_url)

    async def fetch_page(self, url: str, *, revalidate: bool = False, named: str | None = None,
                         deadline: Deadline | None = None) -> Response:  # fmt: skip
        """A page, its validators remembered for a later revalidation. With `revalidate` a 304 is
        returned as it is (the page is unchanged); otherwise the body is fetched whole. `named` and
        `deadline` as for `Fetcher.get` (the origin the user named; the feed's deadline)."""
        cfg = self.options.http
        how: dict[str, Any] = {"max_bytes": cfg.max_page_bytes, "accept": PAGE_ACCEPT, "content_types": PAGE_TYPES,
                               "named": named, "deadline": deadline}  # fmt: skip
        resp = await self.fetcher.get(url, use_cache=True, **how)
        if resp.not_modified and not revalidate:  # validators of a page no longer stored
            resp = await self.fetcher.get(url, **how)
        return resp

    # -- revisions

    async def _revisit(self, sub: Subscription, doc: FeedDocument, i: int) -> bool:
        """Look again at entry `i`, stored before, whose feed entry changed; True when done with it
        (unchanged or a revision stored), False on a failure (reported; tried again next time)."""
        try:
            stem = self.state.urls.get(doc.primaries[i])
            if stem is None:
                return True
            where = doc.urls[i] or sub.url
            if doc.articles is not None:  # made whole in the worker: read its header back
                made = doc.articles[i]
                if not isinstance(made, NewArticle) or made.data is None:
                    return True
                fields, body = parse_header(made.data.decode("utf-8"))
                paragraphs = tuple(p for p in body.split("\n\n") if p.strip())
                new: dict[str, str | None] = dict(fields)
            else:
                fresh = await self.fetch_again(sub, doc, doc.entries[i], doc.primaries[i])
                if fresh is None:
                    return True
                if isinstance(fresh, Problem):
                    self.report.problems.append(fresh)
                    return False
                new, paragraphs = fresh.fields, fresh.paragraphs
            return await self.store_revision(revision_of(stem)[0], new, paragraphs, where) is not False
        except Exception as exc:  # a bug met by one entry must not stop the others
            self._problem(doc.urls[i] or sub.url, f"internal error: {exc.__class__.__name__}: {exc}")
            return False
        finally:
            self.articles_done += 1
            self._progress(doc.urls[i] or sub.url)

    async def fetch_again(self, sub: Subscription, parsed: FeedDocument | None, entry: FeedEntry, primary: str,
                          prefetched: Response | None = None) -> NewArticle | Problem | None:  # fmt: skip
        """The article `entry` gives now, its page revalidated: None when the server says the page
        is not modified (304)."""
        page: ExtractedPage | None = None
        page_error: str | None = None
        final_url = entry.url
        if entry.url and (self.options.fetch_pages or prefetched is not None):
            async with self._slots:
                try:
                    resp = prefetched or await self.fetch_page(entry.url, revalidate=True, named=sub.url or entry.url,
                                                             deadline=self._deadlines.get(sub.url))
                except FetchError as exc:
                    page_error = str(exc)
                else:
                    if resp.not_modified:
                        return None
                    final_url = resp.url
                    page = await self.pool.run(extract_page, resp.body, resp.url)
                    if page is None:
                        page_error = "no article text found in the page"
        return build_article(sub, parsed.language if parsed else None, entry, primary, page, page_error, final_url)

    async def store_revision(self, first: str, fields: dict[str, str | None], paragraphs: tuple[str, ...] | list[str],
                             where: str) -> str | None | bool:  # fmt: skip
        """Store `paragraphs` as the next revision of the article whose first file is `first`,
        unless its latest revision holds the same text. Returns the new revision's id, None when
        the text is unchanged, False on a failure (reported). The write is create-only and atomic
        (`fsbatch`): a kill leaves the files that were there, or those and the whole new one."""
        files = revision_files(self.root, first)
        if not files:
            return None  # the article's file was removed: nothing to revise
        latest = files[-1]
        try:
            stored = read_document(latest)
        except SourceError as exc:
            self._problem(where, f"cannot read the stored article: {exc}")
            return False
        if text_identity(stored.body) == text_identity("\n\n".join(paragraphs)):
            return None
        number = revision_of(latest.stem)[1] + 1
        stem = revision_stem(first, number)
        data = article_bytes(revision_fields(fields, stored.declared, latest.stem, number), paragraphs)
        try:
            (result,) = await self.writer.write_many([(stem + TEXT_SUFFIX, data)])
        except OSError as exc:
            result = exc
        if isinstance(result, OSError):
            self._problem(where, f"cannot write revision: {result.strerror or result}")
            return False
        if result:
            self.report.revised.append(stem)
        return stem

    def _article(self, sub: Subscription, parsed: FeedDocument | None, entry: FeedEntry, primary: str,
                 page: ExtractedPage | None, page_error: str | None, final_url: str | None) -> _Outcome:  # fmt: skip
        """The article to write for `entry` (with its page, if one was fetched), or False."""
        article = build_article(
            sub, parsed.language if parsed else None, entry, primary, page, page_error, final_url
        )
        if isinstance(article, Problem):
            self.report.problems.append(article)
            return False
        return article

    def _reserve(self, article: NewArticle, outlet: str | None) -> tuple[str, bytes] | bool:
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
            stem = article_stem(fields["published"], article.primary)
            data = article_bytes(fields, article.paragraphs)
        for h in article.aliases:
            urls.setdefault(h, stem)
        if article.text_key:
            self.state.content.setdefault(article.text_key, stem)
        if article.canonical_key:
            self.state.canon.setdefault(article.canonical_key, stem)
        return stem, data

    def _release(self, article: NewArticle, stem: str) -> None:
        """Undo `_reserve` for an article that was not written."""
        for h in article.aliases:
            if self.state.urls.get(h) == stem:
                del self.state.urls[h]
        if article.text_key and self.state.content.get(article.text_key) == stem:
            del self.state.content[article.text_key]
        if article.canonical_key and self.state.canon.get(article.canonical_key) == stem:
            del self.state.canon[article.canonical_key]

    def _written(self, article: NewArticle, stem: str, result: bool | OSError) -> _Outcome:
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

    async def _commit(self, article: NewArticle, outlet: str | None) -> _Outcome:
        """Write `article` unless an alias or its text arrived meanwhile; truthy when stored."""
        return (await self._commit_many([article], outlet))[0]

    async def _commit_many(self, articles: list[NewArticle], outlet: str | None) -> list[_Outcome]:
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
            files.append((stem + TEXT_SUFFIX, data))
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


@dataclass(frozen=True, slots=True)
class _Stored:
    """An entry written now; truthy."""

    article_id: str
    site_name: str | None


_Outcome = bool | NewArticle | _Stored | None  # None: stopped at the feed's deadline


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
    with refresh_lock(library_root) as locked:
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
                job = Refresh(library_root, state, fetcher, pool, options, progress)
                job.report.problems.extend(problems)
                if state.notice:
                    job.report.notices.append(state.notice)
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


def refresh(library_root: Path, cache_dir: Path, *, cancel: threading.Event | None = None,
            **how: Any) -> RefreshReport:  # fmt: skip
    """Synchronous `refresh_async`, with the same keywords (runs its own event loop; not for use
    inside a running loop). Setting `cancel` (from another thread: the reader quitting) stops the
    refresh within a fraction of a second, its state saved; the report then says so."""
    return asyncio.run(_cancellable(refresh_async(library_root, cache_dir, **how), cancel, Path(library_root)))


async def _cancellable(work: Coroutine[Any, Any, RefreshReport], cancel: threading.Event | None,
                       library_root: Path) -> RefreshReport:  # fmt: skip
    """Run `work`, cancelled as soon as `cancel` is set (checked every 50 ms)."""
    task = asyncio.ensure_future(work)
    if cancel is None:
        return await task
    while not task.done():
        if cancel.is_set():
            task.cancel()
            break
        await asyncio.wait({task}, timeout=0.05)
    try:
        return await task
    except asyncio.CancelledError:
        message = "refresh cancelled; articles already fetched are kept and the next refresh continues"
        return RefreshReport(problems=[Problem(where=str(library_root), message=message)])
