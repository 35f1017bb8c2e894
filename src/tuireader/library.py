"""The Library: the one door through which the CLI and the reader reach articles.

The library folder is the source of truth; everything here is derived from it and rebuilt when
missing. Derived values live in two places:

* the content cache (diskcache, shared by every library on the machine), keyed by a file's content
  hash plus the version of the pipeline step that produced the value, so re-opening is instant and an
  upgrade recomputes only what changed;
* the per-library state (catalog, story index, search index) in the cache folder, keyed by the
  library folder's resolved path.

Thread safety: the reader calls into one Library from its UI thread and from worker threads; the
catalog and the search index serialise their own access and diskcache is safe across threads, so
the only shared mutable state here (the story index) is guarded by `_lock`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader import locations
from tuireader.config import Config, load_config
from tuireader.labels import version_labels
from tuireader.model import (
    Article,
    ArticleAnalysis,
    ArticleSummary,
    ArticleView,
    Discrepancy,
    FeedStatus,
    Problem,
    Revision,
    SearchHit,
    SentencePair,
    SourceError,
    Story,
    StoryLinks,
)
from tuireader.sources.files import (
    ARTICLE_SUFFIXES,
    article_stem,
    is_article_name,
    is_article_path,
    read_document,
    revision_groups,
    revision_of,
    revision_stem,
    sidecar_path,
)
from tuireader.store.base import CatalogStore, DerivedCache, SearchStore, StoreBackend
from tuireader.store.recovery import StoreUnavailable  # noqa: F401 - the CLI names it through the Library

if TYPE_CHECKING:
    from tuireader.analysis.stories import StoryIndex
    from tuireader.corrections import Decision, DecisionLog, DecisionState
    from tuireader.export import StoryExport
    from tuireader.filters import ListFilter
    from tuireader.reading import ReadingState
    from tuireader.sources.feeds.types import RefreshOptions, RefreshProgress, RefreshReport

Progress = Callable[[int, int, str], None]  # (done, total, what)
REBUILD_CHUNK = 5000  # articles placed into the stories per committed step of a rebuild


def _summary(article: Article, path: str) -> ArticleSummary:
    return ArticleSummary(
        id=article.id,
        path=path,
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        authors=article.authors,
        story=None,
        words=article.words,
    )


def store_backend(url: str | None = None, *, worker: bool = False, config: Config | None = None) -> StoreBackend:
    """The stores a library opens: the shared archive at `url` (else `TUIREADER_STORE`, else the
    config file's `[store] url`), or this machine's files. `worker`: this process writes the
    archive from its folder (`refresh --store`, `scan --store`); any other one only reads it."""
    from tuireader.store.select import open_backend, store_url

    if url is None:
        url = store_url((config or load_config()).store.url)
    return open_backend(url, worker=worker)


def default_library_dir(config: Config | None = None) -> Path:
    """The library when none is named (see `locations.default_library`); the user data folder's
    is seeded with the sample articles the first time."""
    config = config or load_config()
    target = locations.default_library(config.library)
    if config.library is None and not target.exists() and target.parent == locations.data_dir():
        seed_sample_articles(target)
    return target


def seed_sample_articles(target: Path) -> None:
    """Copy the bundled sample articles into a new library folder.

    The samples are the repository's `articles/` folder (next to `src/` in a checkout or editable
    install); a library without them simply starts empty.
    """
    from tuireader.fsutil import write_atomic

    target.mkdir(parents=True, exist_ok=True)
    bundled = locations.bundled_articles()
    if bundled.is_dir():
        for entry in sorted(bundled.iterdir()):
            if is_article_path(entry):
                write_atomic(target / entry.name, entry.read_bytes())


@dataclass
class ScanReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, existing id)
    problems: list[Problem] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # feed URLs with nothing new
    revised: list[str] = field(default_factory=list)  # new revision files (`<first>-r<N>`) of pages stored before


def _derived_id(article: Article) -> str:
    """What analysis results of `article` are keyed by: its file's hash and its cleaned text (a
    site profile can change the text of an unchanged file)."""
    text = hashlib.blake2b(article.text.encode("utf-8"), digest_size=8).hexdigest()
    return f"{article.content_hash}:{text}"


def _derived(content_hash: str, cleaned_with: str) -> str:
    """What results derived from a catalogued file are keyed by: its hash, plus the site-profile
    digest it was cleaned with (a profile can change the text of an unchanged file)."""
    digest = cleaned_with.partition("+")[2]
    return f"{content_hash}+{digest}" if digest else content_hash


def _version(cleaned_with: str) -> str:
    """The CLEAN_VERSION part of a catalog row's version ("3", or "3+<site profile digest>")."""
    return cleaned_with.partition("+")[0]


_STEP_VERSIONS = {  # step -> where its version is declared (imported only when a key needs it)
    "clean": ("tuireader.clean", "CLEAN_VERSION"),
    "analysis": ("tuireader.analysis.article", "ANALYSIS_VERSION"),
    "link": ("tuireader.analysis.link", "LINK_VERSION"),
    "passages": ("tuireader.analysis.align", "PASSAGES_VERSION"),
    "similarity": ("tuireader.analysis.similarity", "SIMILARITY_VERSION"),
}


@functools.cache
def step_version(step: str) -> str:
    """The version of one pipeline step, as a string whatever its module declares: a step's output
    is valid exactly as long as its version and those of the steps before it are unchanged."""
    import importlib

    module, name = _STEP_VERSIONS[step]
    return str(getattr(importlib.import_module(module), name))


# What each cached value is computed from, step by step: its key carries all their versions.
_DEPENDS_ON = {
    "article": ("clean",),
    "analysis": ("clean", "analysis"),
    "links": ("clean", "analysis", "link", "passages", "similarity"),
    "align": ("clean", "analysis", "link", "passages"),
    "vectors": ("clean", "analysis", "link", "passages", "similarity"),
}


def cache_key(kind: str, *identity: object) -> tuple:
    """The one builder of content-cache keys: what the value is, the versions of the steps it
    comes from (so an upgrade recomputes exactly what changed), and what identifies its input."""
    return (kind, tuple(step_version(step) for step in _DEPENDS_ON[kind]), *identity)


INGEST_LOCK_WAIT = 600.0  # seconds a second ingest waits for the first before giving up
INGEST_BATCH = 200  # sources read, cleaned and looked up in the catalog together


class Library:
    def __init__(self, root: str | Path, cache_dir: str | Path | None = None, config: Config | None = None,
                 stores: StoreBackend | None = None) -> None:  # fmt: skip
        """`config`: the user's settings (default: config.toml, read now); `cache_dir` the cache
        folder (default: `locations.cache_dir()`); `stores` what opens the catalog, the search index
        and the derived-value cache (default: SQLite and diskcache files, `store.base.LocalStores`)."""
        self.root = Path(root).expanduser().resolve()
        self.config = config or load_config()
        self.stores: StoreBackend = stores or store_backend(config=self.config)
        self.cache_dir = Path(cache_dir) if cache_dir else locations.cache_dir()
        self.state_dir = locations.library_cache_dir(self.cache_dir, self.root)
        self._catalog: CatalogStore | None = None
        self._lock = threading.RLock()
        self._cache: DerivedCache | None = None
        self._index: SearchStore | None = None
        self._stories: StoryIndex | None = None
        self._summaries: dict[str, ArticleSummary] | None = None
        self._revision_groups: dict[str, list[str]] = {}  # first file's stem -> ids of its revisions
        self._groups: dict[str, list[str]] | None = None
        self.problems: list[Problem] = []
        self._reading: ReadingState | None = None
        self._decisions: DecisionLog | None = None
        self._stories_written = threading.RLock()  # story rows are written (and corrected) one at a time
        self._followed: tuple[int, set[str]] | None = None  # a shared archive's reader: what it saw last
        # One line per cache file found damaged and rebuilt (store.recovery), for the CLI's stderr
        # and the reader's status line.
        self.notices: list[str] = []
        self._after_open: list[Callable[[], None]] = []

    # --- lazily opened stores ---------------------------------------------------------------------
    @property
    def catalog(self) -> CatalogStore:
        """Opened on first need, so the feed verbs (which never read articles) leave the cache alone."""
        if self._catalog is None:
            self._catalog = self._guarded("catalog", lambda: self.stores.catalog(self.state_dir),
                                          self.state_dir / "catalog.sqlite", self._catalog_reset)
            self._run_after_open()
        return self._catalog

    @property
    def cache(self) -> DerivedCache:
        if self._cache is None:
            from tuireader.locations import derived_cache_dir

            self._cache = self._guarded("derived-value cache", lambda: self.stores.derived(self.cache_dir),
                                        derived_cache_dir(self.cache_dir), None)
        return self._cache

    @property
    def index(self) -> SearchStore:
        if self._index is None:
            self._index = self._guarded("search index", lambda: self.stores.search_index(self.state_dir),
                                        self.state_dir / "search.sqlite", self._sync_search_index)
            self._run_after_open()
        return self._index

    def close(self) -> None:
        if self._stories is not None:
            self._stories.close()
        if self._index is not None:
            self._index.close()
        if self._cache is not None:
            self._cache.close()
        if self._catalog is not None:
            self._catalog.close()

    # --- the folder ---------------------------------------------------------------------------------
    def article_files(self) -> list[str]:
        """Paths of every article file below the root (hidden files and folders skipped), by name.

        Plain strings and `os.scandir` keep this cheap: at 100,000 files, building Path objects for
        every entry cost more than the walk itself.
        """
        found: list[tuple[str, str]] = []
        stack = [str(self.root)]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    for entry in it:
                        name = entry.name
                        if name[0] == ".":
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif is_article_name(name) and entry.is_file(follow_symlinks=False):  # links not listed
                            found.append((name, entry.path))
            except OSError:
                continue
        found.sort()
        return [path for _name, path in found]

    def scan(self, progress: Progress | None = None, *, index: bool = True, chunk: int | None = None) -> ScanReport:
        """Bring the catalog, stories and search index in line with the folder.

        Files whose size and mtime are unchanged are not read; changed or new files are read,
        cleaned (or fetched from the content cache by hash) and catalogued, `chunk` at a time, each
        chunk committed before the next starts, so an interrupted scan keeps its finished work and
        the next one resumes. Files that cannot be read are reported, one Problem each, and left out.

        The default chunk is a quarter of the work, between 500 and 5,000 files: story clustering
        does better and faster on bigger batches (10,000 synthetic articles: 6 s in chunks of 2,500
        against 17 s in chunks of 500), while a chunk stays small enough to hold in memory and to
        lose on an interruption.
        """
        from tuireader.clean import CLEAN_VERSION

        if self.shared:
            if not getattr(self.stores, "worker", False):
                return self._follow_archive()
            self._claim_archive()
        report = ScanReport()
        from tuireader.fsutil import sweep_stale_temps

        sweep_stale_temps(self.root)  # a writer killed mid-write (kill -9) left its temporary file
        known = self.catalog.stats()
        seen: set[str] = set()
        todo: list[tuple[str, os.stat_result]] = []
        for path in self.article_files():
            seen.add(path)
            try:
                st = os.stat(path)
            except OSError as exc:
                report.problems.append(Problem(path, f"cannot stat ({exc.strerror})"))
                continue
            row = known.get(path)
            if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and _version(row[3]) == CLEAN_VERSION:
                continue
            todo.append((path, st))
        todo += self._refresh_site_profiles(known, todo, seen)
        superseded = _superseded(Path(p).stem for p in seen)  # older revisions: catalogued, not grouped

        gone = [p for p in known if p not in seen]
        if gone:
            self._mark_derived(False)
            self.catalog.remove(gone)
            report.removed = [Path(p).stem for p in gone]
        if self.catalog.get_meta("derived") == "0" or (todo and self._derived_missing()) or self._stories_reset():
            self._reconcile(progress)

        changed_stories: set[str] = set()
        if report.removed:
            with self._lock:
                stories = self._story_index()
                changed_stories |= stories.remove(report.removed)
            if self._index is not None or index:
                for aid in report.removed:
                    self.index.remove_article(aid)
        self._catalogue(todo, known, superseded, report, changed_stories, progress, index=index, chunk=chunk)
        if index:
            self._sync_search_index()
        self.problems = report.problems
        return report

    def _catalogue(self, todo: list[tuple[str, os.stat_result]], known: dict[str, tuple], superseded: set[str],
                   report: ScanReport, changed_stories: set[str], progress: Progress | None = None, *,
                   index: bool = True, chunk: int | None = None) -> None:  # fmt: skip
        """Read, clean and catalogue the files of `todo` (new or changed: `known` holds the catalog
        rows of those catalogued before), place them into the stories and the search index, and
        publish the stories that changed: the second half of `scan`, and all of what `ingest` does
        for the files it wrote. `superseded`: older revisions among the files (catalogued, kept out
        of the stories); `changed_stories`: stories already changed (by removals)."""
        if chunk is None:
            chunk = min(5000, max(500, len(todo) // 4))
        for begin in range(0, len(todo), chunk):
            part = todo[begin : begin + chunk]
            if progress:
                progress(begin, len(todo), Path(part[0][0]).name)
            rows, articles = [], []
            for path, st in part:
                try:
                    article, version = self._clean_file_versioned(Path(path))
                except SourceError as exc:
                    report.problems.append(Problem(path, str(exc).removeprefix(f"{path}: ")))
                    if path in known:  # what it held before is no longer there
                        self.catalog.remove([path])
                        report.removed.append(Path(path).stem)
                    continue
                rows.append((path, st.st_size, st.st_mtime_ns, article.content_hash, version,
                             _summary(article, path)))
                articles.append(article)
                (report.changed if path in known else report.added).append(article.id)
            self._mark_derived(False)
            if self.shared:  # readers elsewhere have no files: they read the cleaned articles
                for (_p, _s, _m, content_hash, version, _summary_row), a in zip(rows, articles, strict=True):
                    self.cache.set(("archived", a.id, content_hash, version), a)
            self.catalog.put(rows)
            articles = [a for a in articles if a.id not in superseded]
            changed_stories |= self._add_to_stories(articles, _within(progress, begin, len(part), len(todo)))
            if index:
                self.index.add_many(
                    (a, a.outlet, self.story_index_lookup(a.id), a.published, self._cached_quotes(a))
                    for a in articles
                )
        if progress and todo:
            progress(len(todo), len(todo), "done")
        changed_stories |= self._settle_revisions(superseded, report.removed, index)

        if changed_stories or report.removed:
            self._publish_stories(changed_stories)
        self._check_corrections(report.problems)  # the decisions file may have changed by hand
        if self.catalog.get_meta("derived") == "0":
            self._mark_derived(True)
        self._summaries = None
        self._groups = None

    def _clean_file(self, path: Path) -> Article:
        return self._clean_file_versioned(path)[0]

    def _settle_revisions(self, superseded: set[str], removed: Sequence[str], index: bool) -> set[str]:
        """Keep only the latest revision of each article in the stories and the search index: a
        revision superseded by a newer file leaves them (its file and catalog row stay), and when
        the latest revision's file is removed the one before it comes back. Returns the stories
        that changed."""
        if not superseded and not any("-r" in r for r in removed):
            return set()
        changed: set[str] = set()
        with self._lock:
            stories = self._story_index()
            demoted = [aid for aid in sorted(superseded) if stories.story_of(aid) is not None]
            if demoted:
                changed |= stories.remove(demoted)
        if demoted:
            self.catalog.set_stories(dict.fromkeys(demoted))
            for aid in demoted:
                self.index.remove_article(aid)
        # the latest revision of an article whose newer revision was removed joins the stories again
        groups = revision_groups(self.catalog.ids())
        back = []
        for first in {revision_of(r)[0] for r in removed}:
            members = groups.get(first) or ([first] if self.catalog.lookup(first) else [])
            if members and self.story_index_lookup(members[-1]) is None:
                try:
                    back.append(self.article(members[-1]))
                except (KeyError, SourceError):
                    continue  # unreadable now: the next scan names it and leaves it out
        if back:
            changed |= self._add_to_stories(back)
            if index or self._index is not None:
                self.index.add_many((a, a.outlet, self.story_index_lookup(a.id), a.published, ()) for a in back)
        return changed

    # --- a shared archive (store.postgres): one worker writes it, readers follow ---------------------
    @property
    def shared(self) -> bool:
        """Whether the stores are a shared archive rather than this machine's files."""
        return bool(getattr(self.stores, "shared", False))

    def _claim_archive(self) -> None:
        """The worker's scan: the archive is written from one folder on one machine, so a second
        worker (another folder) would remove everything the first one catalogued; it is refused."""
        import socket

        mine = f"{socket.gethostname()}:{self.root}"
        owner = self.catalog.get_meta("owner")
        if owner is None:
            self.catalog.set_meta("owner", mine)
        elif owner != mine:
            raise SourceError(f"the archive is written from {owner}, not {mine}; "
                              "`tuireader scan --rebuild --store URL` here moves it")  # fmt: skip

    def _follow_archive(self) -> ScanReport:
        """A reader's scan of a shared archive: nothing of this machine's folder is written; what
        the worker changed since the last call is reported (one cheap query when nothing did)."""
        mark = self.catalog.changes()  # type: ignore[attr-defined]
        report = ScanReport()
        if self._followed is not None and self._followed[0] == mark:
            return report
        before = self._followed[1] if self._followed is not None else set()
        self._summaries = None
        self._groups = None
        now = set(self.summaries())
        report.added = sorted(now - before)
        report.removed = sorted(before - now)
        self._followed = (mark, now)
        return report

    def rebuild(self, progress: Progress | None = None) -> ScanReport:
        """Forget the catalog, the stories and the search index and build them again from the
        folder's article files (the source of truth); derived values keyed by content are kept.
        On a shared archive this also makes this folder the one the archive is written from."""
        with self._lock:
            if self._stories is not None:
                self._stories.close()
                self._stories = None
            if self.shared:
                self.catalog.wipe()  # type: ignore[attr-defined]
                self.catalog.set_meta("derived", "0")
            else:
                for store in (self._index, self._catalog):
                    if store is not None:
                        store.close()
                self._index = self._catalog = None
                for name in ("catalog.sqlite", "search.sqlite"):
                    for suffix in ("", "-wal", "-shm"):
                        (self.state_dir / f"{name}{suffix}").unlink(missing_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self._story_index_key()}{suffix}").unlink(missing_ok=True)
            self._summaries = self._groups = None
        return self.scan(progress)

    def _clean_file_versioned(self, path: Path) -> tuple[Article, str]:
        """The cleaned article and the version it was cleaned with: CLEAN_VERSION, plus the digest
        of the site-profile lines the file holds when its host has a profile (see
        `_refresh_site_profiles`)."""
        from tuireader.clean import CLEAN_VERSION, clean, host_of

        raw = read_document(path)
        host = host_of(raw)
        profile = self._cache_get(("site-profile", host)) if host else None
        version = f"{CLEAN_VERSION}+{profile.digest_for(raw)}" if profile is not None else CLEAN_VERSION
        key = cache_key("article", raw.content_hash, version, raw.id, raw.path, tuple(sorted(raw.declared.items())),
                        tuple(sorted(raw.declared_in.items())))  # fmt: skip
        cached = self._cache_get(key)
        if cached is not None:
            return cached, version
        article = clean(raw, profile)
        self.cache.set(key, article)
        return article, version

    def _refresh_site_profiles(
        self, known: dict[str, tuple], todo: list[tuple[str, os.stat_result]], seen: set[str]
    ) -> list[tuple[str, os.stat_result]]:
        """Rebuild the site profile of every host with a new, changed or removed file, from all the
        library's files of that host, and return the unchanged files those profiles change.

        A profile is the lines a host repeats on pages of different stories (`clean.site_profile`);
        a file's cleaning depends on it through `SiteProfile.digest_for`, so the result is a
        function of the library's files, whatever was scanned before. Hosts come from each file's
        declared URL, kept in a cached index by path, size and mtime, so a scan reads the files of
        the hosts that changed and no others.
        """
        from tuireader.clean import host_of

        if not todo and seen.issuperset(known):
            return []  # nothing new, changed or removed: every profile stands (and the cache stays shut)
        index: dict[str, tuple[int, int, str]] = self._cache_get(("site-hosts",)) or {}
        changed = {path for path, _st in todo}
        hosts = {index[p][2] for p in index if p not in seen}  # hosts of removed files
        fresh: dict[str, tuple[int, int, str]] = {}
        for path in seen:
            row, old = known.get(path), index.get(path)
            if path not in changed and row and old and old[:2] == (row[0], row[1]):
                fresh[path] = old
                continue
            try:
                raw = read_document(path)
                st = os.stat(path)
            except (SourceError, OSError):
                continue
            fresh[path] = (st.st_size, st.st_mtime_ns, host_of(raw) or "")
            if path in changed or old is None or old[2] != fresh[path][2]:
                hosts.add(fresh[path][2])
                if old is not None:
                    hosts.add(old[2])  # a file that moved to another host leaves its old one
        return self._relearn_profiles(index, fresh, hosts, changed, known)

    def _relearn_profiles(self, index: dict[str, tuple[int, int, str]], fresh: dict[str, tuple[int, int, str]],
                          hosts: set[str], changed: set[str], known: dict[str, tuple]) -> list[tuple[str, os.stat_result]]:  # fmt: skip
        """Store the host index `fresh` (it was `index`), learn the profile of each of `hosts` again
        from all of its files, and return the catalogued files (`known`: their rows) outside
        `changed` that the new profiles clean differently."""
        from tuireader.clean import CLEAN_VERSION, site_profile

        if fresh != index:
            self.cache.set(("site-hosts",), fresh)
        hosts.discard("")
        again = []
        for host in sorted(hosts):
            paths = sorted(p for p, entry in fresh.items() if entry[2] == host)
            raws = []
            for path in paths:
                try:
                    raws.append(read_document(path))
                except SourceError:
                    continue
            if len(raws) < 2:
                self.cache.delete(("site-profile", host))
                profile = None
            else:
                profile = site_profile(raws, host)
                self.cache.set(("site-profile", host), profile)
            for raw in raws:
                row = known.get(raw.path)
                if raw.path in changed or row is None:
                    continue
                version = f"{CLEAN_VERSION}+{profile.digest_for(raw)}" if profile is not None else CLEAN_VERSION
                if row[3] != version:
                    try:
                        again.append((raw.path, os.stat(raw.path)))
                    except OSError:
                        continue
        return again

    def _analysis_key(self, content_hash: str, article_id: str, version: str | None = None) -> tuple:
        """The analysis cache key: what the catalog knows (hash, id and the version the file was
        cleaned with, site profile included) is enough to build it, so finding what is not yet
        analysed needs no article read."""
        if version is None:
            found = self.catalog.lookup(article_id)
            version = found[2] if found is not None and found[1] == content_hash else ""
        return cache_key("analysis", _derived(content_hash, version), article_id)

    def _cached_quotes(self, article: Article) -> tuple:
        """Quotes of an article whose analysis is already cached, so the index gets them at once."""
        cached = self._cache_get(self._analysis_key(article.content_hash, article.id))
        return cached.quotes if cached is not None else ()

    def _cache_get(self, key: tuple) -> Any:
        """A cache read that treats an unreadable entry (e.g. pickled by an older layout) as a miss."""
        try:
            return self.cache.get(key)
        except Exception:  # noqa: BLE001 - any unpickling failure means: recompute
            self.cache.delete(key)
            return None

    # --- derived state: stories and search index ------------------------------------------------------
    def _mark_derived(self, complete: bool) -> None:
        """Record whether the story index and search index match the catalog.

        Set to "0" before any change and to "1" once the story index is saved, so a scan that was
        interrupted in between is noticed and reconciled by the next one.
        """
        value = "1" if complete else "0"
        if self.catalog.get_meta("derived") != value:
            self.catalog.set_meta("derived", value)

    def _story_index_key(self) -> Path:
        """Where the story index's rows live (one SQLite file per library)."""
        return self.state_dir / "stories.sqlite"

    def _derived_missing(self) -> bool:
        return self._stories is None and not self._story_index_key().exists()

    def _stories_reset(self) -> bool:
        """Whether the story index was just emptied (a new clustering version, or its file deleted)
        under a filled catalog."""
        stories = self._story_index()
        return stories.reset and len(stories) == 0 and bool(self.catalog.ids())

    def _story_index(self) -> StoryIndex:
        """The story index: SQLite rows, opened on first need (nothing is loaded up front)."""
        with self._lock:
            if self._stories is None:
                from tuireader.analysis.stories import StoryIndex

                self._stories = self._guarded("story index", lambda: StoryIndex(self._story_index_key()),
                                              self._story_index_key(), self._story_index_rebuilt)
                self._run_after_open()
            return self._stories

    # --- recovery: damaged cache files are set aside and rebuilt (store.recovery) ----------------------
    def _notice(self, line: str) -> None:
        self.notices.append(line)

    def _guarded(self, what: str, opener: Callable[[], Any], path: Path, on_reset: Callable[[], None] | None) -> Any:
        """The store `opener` opens, wrapped so that damage found now or later is recovered from:
        the file set aside, a fresh one opened, `on_reset` run to refill it, a notice recorded."""
        from tuireader.store.recovery import Guarded

        guarded = Guarded(opener, path, what, self._notice, on_reset)
        damaged = getattr(guarded.target, "damaged", None)
        if isinstance(damaged, str):  # the store recovered on its own (SearchIndex does)
            self._notice(damaged + "; rebuilding it from the library folder")
        if (guarded.recovered or isinstance(damaged, str)) and on_reset is not None:
            self._after_open.append(on_reset)
        return guarded

    def _run_after_open(self) -> None:
        """Refill stores that were rebuilt when opened (run once the store is in place)."""
        while self._after_open:
            self._after_open.pop(0)()

    def _catalog_reset(self) -> None:
        """A fresh catalog knows no file: everything derived is re-checked by the next scan."""
        self._summaries = None
        self._groups = None
        with contextlib.suppress(Exception):
            self.catalog.set_meta("derived", "0")

    def _story_index_rebuilt(self) -> None:
        """A fresh story index (a damaged one set aside): the articles are placed again by the next
        scan's reconcile."""
        with contextlib.suppress(Exception):
            self.catalog.set_meta("derived", "0")

    def _sync_search_index(self) -> None:
        """Bring the search index in line with the catalog: index what it lacks, drop what is gone.
        Runs at every scan, so a lost or rebuilt index refills on the next command. Superseded
        revisions are catalogued but never indexed: the latest stands for its article."""
        ids = self.catalog.ids()
        ids -= _superseded(ids)
        indexed = self.index.article_ids()
        for aid in indexed - ids:
            self.index.remove_article(aid)
        todo = sorted(ids - indexed)
        for begin in range(0, len(todo), 500):
            articles = []
            for aid in todo[begin : begin + 500]:
                try:
                    articles.append(self.article(aid))
                except (SourceError, KeyError):
                    continue  # gone since the catalog saw it: the next scan removes it
            self.index.add_many(
                (a, a.outlet, self.story_index_lookup(a.id), a.published, self._cached_quotes(a)) for a in articles
            )

    def story_index_lookup(self, article_id: str) -> str | None:
        return self._story_index().story_of(article_id)

    def _add_to_stories(self, articles: Sequence[Article], progress: Progress | None = None) -> set[str]:
        from tuireader.analysis.stories import StoryDoc

        if not articles:
            return set()
        placed = None
        if progress:
            def placed(done: int, total: int) -> None:
                progress(done, total, "grouping stories")
        with self._lock:
            stories = self._story_index()
            changed = stories.add(
                [StoryDoc(id=a.id, title=a.title, text=a.text, published=a.published, outlet=a.outlet)
                 for a in articles],
                placed,
            )
        return changed

    def _publish_stories(self, changed: set[str]) -> None:
        """Write the story ids of the members of `changed` stories to the catalog and the index."""
        with self._lock:
            groups = self._story_index().story_members(changed)
            assignment = {aid: sid for sid in changed for aid in groups.get(sid, ())}
        self._write_stories(assignment)  # corrected by the user's decisions (tuireader.corrections)

    def _reconcile(self, progress: Progress | None = None) -> None:
        """Repair the story and search indexes after an interrupted scan (or when they are missing).

        A full rebuild of the stories (a new clustering version) goes REBUILD_CHUNK articles at a
        time, each chunk committed: interrupted, the next scan goes on from the articles not yet
        placed (the stories do not depend on the chunks), and `progress` shows how far it is.
        """
        self._mark_derived(False)
        ids = self.catalog.ids()
        ids -= _superseded(ids)  # older revisions are catalogued but kept out of stories and search
        with self._lock:
            stories = self._story_index()
            in_stories = {aid for members in stories.stories().values() for aid in members}
            stale = in_stories - ids
            if stale:
                stories.remove(stale)
            missing = sorted(ids - in_stories)
        for begin in range(0, len(missing), REBUILD_CHUNK):
            part = missing[begin : begin + REBUILD_CHUNK]
            self._add_to_stories([self.article(aid) for aid in part],
                                 _within(progress, begin, len(part), len(missing)))
        indexed = self.index.article_ids()
        for aid in indexed - ids:
            self.index.remove_article(aid)
        todo = sorted(ids - indexed)
        for begin in range(0, len(todo), 500):
            self.index.add_many(
                (a, a.outlet, stories.story_of(a.id), a.published, ())
                for a in (self.article(aid) for aid in todo[begin : begin + 500])
            )
        groups = stories.stories()
        assignment = {aid: sid for sid, members in groups.items() for aid in members}
        self._write_stories(assignment)  # corrected by the user's decisions (tuireader.corrections)
        self._mark_derived(True)

    # --- queries ------------------------------------------------------------------------------------
    def summaries(self) -> dict[str, ArticleSummary]:
        """Every catalogued article by id, each with its `label` (unique within its story); an
        article stored in several revisions is its latest one, with their count in `revisions`
        (the older ones stay catalogued for `revisions()` and `article()`, but are listed nowhere)."""
        if self._summaries is None:
            rows = self.catalog.summaries()
            groups = revision_groups(s.id for s in rows)
            if groups:  # an article revised: its latest revision stands for it, the others are hidden
                hidden = {aid for members in groups.values() for aid in members[:-1]}
                counts = {members[-1]: len(members) for members in groups.values()}
                rows = [s for s in rows if s.id not in hidden]
            else:
                counts = {}
            labels = version_labels(rows)
            self._revision_groups = groups
            self._summaries = {  # built whole: dataclasses.replace costs 1 s per 100,000 rows
                s.id: ArticleSummary(s.id, s.path, s.outlet, s.title, s.published, s.authors, s.story, s.words,
                                     labels[s.id], counts.get(s.id, 1))
                for s in rows
            }
        return self._summaries

    def revisions(self, article_id: str, *, figures: bool = False) -> list[Revision]:
        """Every stored revision of the article that `article_id` (the id of any of its revisions)
        names, the first first; one entry for an article never revised. With `figures`, each
        revision carries what it states differently from the one before it (`discrepancies`, from
        `revision_discrepancies`). Raises KeyError for an id not in the library."""
        if figures:
            listed = self.revisions(article_id)
            if len(listed) < 2:
                return listed
            changes = self.revision_discrepancies(article_id)
            return [replace(r, discrepancies=tuple(d for d in changes if list(d.values)[-1] == r.article))
                    for r in listed]
        self.summaries()
        first = revision_of(article_id)[0]
        members = self._revision_groups.get(first)
        if not members or article_id not in members:
            if self.catalog.lookup(article_id) is None:
                raise KeyError(article_id)
            members = [article_id]
        out: list[Revision] = []
        before: Article | None = None
        for aid in members:
            article = self.article(aid)
            found = self.catalog.lookup(aid)
            try:
                fetched = read_document(found[0]).declared.get("fetched") if found else None
            except SourceError:
                fetched = None  # a shared archive's reader has no files: the date is not known here
            changed = _words_changed(before.text, article.text) if before is not None else None
            out.append(Revision(revision_of(aid)[1], aid, fetched or None, article.words, changed))
            before = article
        return out

    def revision_diff(self, older: str, newer: str) -> tuple[SentencePair, ...]:
        """What changed from one revision of an article to another (each named by its article id):
        the paragraphs of `older` paired with theirs in `newer`, in order, "same" when their words
        are identical, else "reworded" with a word-level `diff` whose offsets point into both texts
        (`a` is `older`); a paragraph added or taken out has no pair. The compare view lays these
        out as it lays out `align`. Raises KeyError for an unknown id, ValueError when the two are
        not revisions of one article."""
        if revision_of(older)[0] != revision_of(newer)[0]:
            raise ValueError(f"{older} and {newer} are not revisions of one article")
        return revision_pairs(self.article(older), self.article(newer))

    def revision_discrepancies(self, article_id: str) -> list[Discrepancy]:
        """What each revision of the article states differently from the revision before it (a
        figure changed after publication): `between="revisions"`, values keyed by the two revisions'
        ids, the earlier first. Each pair is aligned like a story of two versions, and cached so."""
        from tuireader.analysis.link import link_story

        ids = [r.article for r in self.revisions(article_id)]
        out: list[Discrepancy] = []
        for before, after in zip(ids, ids[1:], strict=False):
            hashes = []
            for m in sorted((before, after)):
                found = self.catalog.lookup(m)
                if found is None:
                    raise KeyError(m)
                hashes.append((m, _derived(found[1], found[2])))
            key = cache_key("links", tuple(hashes))
            links = self._cache_get(key)
            if links is None:
                articles = [self.article(before), self.article(after)]
                links = self._link(articles, self.analyses(articles), link_story)
                self.cache.set(key, links)
            for d in links.discrepancies:
                if before in d.values and after in d.values:
                    values = {before: d.values[before], after: d.values[after]}
                    out.append(replace(d, values=values, between="revisions"))
        return out

    def labels(self) -> dict[str, str]:
        """Article id -> how the version is named wherever it is shown (tuireader.labels)."""
        return {aid: s.label for aid, s in self.summaries().items()}

    def articles(self) -> list[ArticleSummary]:
        """Every catalogued article, ordered by story, then publication date (undated last, as in
        the reader), then outlet."""
        return sorted(
            self.summaries().values(),
            key=lambda s: (s.story or s.id, s.published is None, s.published or "", (s.outlet or "").lower(), s.id),
        )

    def article(self, article_id: str) -> Article:
        found = self.catalog.lookup(article_id)
        if found is None:
            raise KeyError(article_id)
        if self.shared and not os.path.exists(found[0]):  # a reader of a shared archive
            kept = self._cache_get(("archived", article_id, found[1], found[2]))
            if kept is not None:
                return kept
        return self._clean_file(Path(found[0]))

    def analysis(self, article_id: str) -> ArticleAnalysis:
        return self.analyses([self.article(article_id)])[article_id]

    def analyses(self, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
        """Per-article analysis, from the cache where possible; the rest in one spaCy batch.

        Newly analysed articles are re-indexed with their quotations, so search finds quotes as
        quotes once an article has been analysed.
        """
        from tuireader.analysis.article import analyze_many

        result: dict[str, ArticleAnalysis] = {}
        missing: list[Article] = []
        for article in articles:
            cached = self._cache_get(self._analysis_key(article.content_hash, article.id))
            if cached is None:
                missing.append(article)
            else:
                result[article.id] = cached
        if missing:
            fresh = analyze_many(missing)
            for article, analysis in zip(missing, fresh, strict=True):
                result[article.id] = analysis
            self._store_analyses(missing, fresh)
        return result

    def _store_analyses(self, articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]) -> None:
        """Cache fresh analyses and re-index their articles with their quotations."""
        for article, analysis in zip(articles, analyses, strict=True):
            self.cache.set(self._analysis_key(article.content_hash, article.id), analysis)
        self.index.add_many(
            (a, a.outlet, self.story_of(a.id), a.published, x.quotes)
            for a, x in zip(articles, analyses, strict=True)
            if x.quotes
        )

    def unanalysed(self, ids: Iterable[str] | None = None) -> list[str]:
        """Ids of catalogued articles (of `ids`, default all) whose analysis is not cached yet."""
        stats = self.catalog.stats()
        wanted = None if ids is None else set(ids)
        out = []
        for s in self.summaries().values():
            if wanted is not None and s.id not in wanted:
                continue
            row = stats.get(s.path)
            if row is None or self._analysis_key(row[2], s.id, row[3]) not in self.cache:
                out.append(s.id)
        return sorted(out)

    def analyze_pending(
        self, progress: Progress | None = None, ids: Iterable[str] | None = None, workers: int | None = None
    ) -> list[Problem]:
        """Analyse every catalogued article (of `ids`) not analysed yet, in batches on `workers`
        processes (default: one per idle core), caching each batch as it finishes.

        This is the background batch: `tuireader analyze` and the reader run it after a scan so
        that showing an article later only reads the cache. Returns one Problem per article that
        could not be read or analysed (and a single one when no spaCy model is installed).
        Workers are spawned processes, so a script that calls this with more than one worker must
        keep its top level under `if __name__ == "__main__":` (as for any multiprocessing code);
        without it the workers fail and the batches are analysed in this process instead.
        """
        from tuireader.analysis.article import analyze_batches
        from tuireader.analysis.entities import ModelMissingError

        todo = self.unanalysed(ids)
        problems: list[Problem] = []
        if progress:
            progress(0, len(todo), "analysing")

        def readable():
            for aid in todo:
                try:
                    yield self.article(aid)
                except (KeyError, SourceError) as exc:
                    problems.append(Problem(aid, str(exc) or "not in the library any more"))

        done = 0
        try:
            for batch, results in analyze_batches(readable(), workers):
                good = [(a, r) for a, r in zip(batch, results, strict=True) if not isinstance(r, str)]
                problems.extend(Problem(a.path, r) for a, r in zip(batch, results, strict=True) if isinstance(r, str))
                if good:
                    self._store_analyses([a for a, _ in good], [r for _, r in good])
                done += len(batch)
                if progress:
                    progress(done, len(todo), batch[-1].id)
        except ModelMissingError as exc:
            problems.append(Problem("analysis", str(exc)))
        return problems

    def story_groups(self) -> dict[str, list[str]]:
        """Story id -> member article ids, built once per catalog state (it is asked per story)."""
        if self._groups is None:
            groups: dict[str, list[str]] = {}
            for s in self.summaries().values():
                groups.setdefault(s.story or s.id, []).append(s.id)
            self._groups = groups
        return self._groups

    def story(
        self, story_id: str, *, with_discrepancies: bool = True, follows: dict[str, str] | None = None
    ) -> Story:
        """One story; `follows` is the whole library's follow-up links when the caller has them."""
        members = self.story_groups().get(story_id)
        if not members:
            raise KeyError(story_id)
        summaries = sorted(
            (self.summaries()[m] for m in members), key=lambda s: (s.published or "9999", s.id)
        )
        dates = sorted(s.published for s in summaries if s.published)
        outlets: list[str] = []
        for s in summaries:
            if s.outlet and s.outlet not in outlets:
                outlets.append(s.outlet)
        discrepancies = self.links(story_id).discrepancies if with_discrepancies and len(members) > 1 else ()
        return Story(
            id=story_id,
            title=summaries[0].title,
            articles=tuple(s.id for s in summaries),
            outlets=tuple(outlets),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
            discrepancies=tuple(discrepancies),
            follows=(self._story_follows(story_id, members) if follows is None else follows).get(story_id),
        )

    def stories(self, *, with_discrepancies: bool = True) -> list[Story]:
        links = self._corrected_follows(self._story_index().follows())
        result = [
            self.story(sid, with_discrepancies=with_discrepancies, follows=links) for sid in self.story_groups()
        ]
        return sorted(result, key=lambda s: (s.last_published or "", s.id), reverse=True)

    def story_of(self, article_id: str) -> str | None:
        s = self.summaries().get(article_id)
        return (s.story or s.id) if s else None

    def _links_key(self, story_id: str, members: Sequence[str] | None = None) -> tuple:
        """The link cache key of a story (or of `members` standing for it), from the catalog's
        hashes: no article is read for it."""
        hashes = []
        for m in sorted(self.story_groups().get(story_id, []) if members is None else members):
            found = self.catalog.lookup(m)
            if found is None:
                raise KeyError(m)
            hashes.append((m, _derived(found[1], found[2])))
        return cache_key("links", tuple(hashes))

    def links(self, story_id: str, members: Sequence[str] | None = None) -> StoryLinks:
        """Cross-version links of one story, cached by the content of all its members; `members`
        links those versions instead (an older revision standing in for the latest one)."""
        key = self._links_key(story_id, members)
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        from tuireader.analysis.link import link_story

        articles = [self.article(m) for m, _hash in key[2]]
        analyses = self.analyses(articles)
        result = self._link(articles, analyses, link_story)
        self.cache.set(key, result)
        return result

    def _link(self, articles: Sequence[Article], analyses: dict[str, ArticleAnalysis], link_story) -> StoryLinks:
        """Align a story, with each version's sentence vectors kept in the cache beside its analysis:
        encoding is the slow part of an alignment (about 10 ms a sentence), and a version that joins
        a story, or a story aligned again after an upgrade of the rules, needs no new vectors."""
        if len(articles) < 2:
            return link_story(articles, analyses)
        from tuireader.analysis import similarity
        from tuireader.analysis.link import texts_to_encode

        keys = {a.id: cache_key("vectors", _derived_id(a)) for a in articles}
        fresh = []
        for a in articles:
            kept = self._cache_get(keys[a.id])
            if kept is not None:
                similarity.remember_vectors(*kept)
            else:
                fresh.append(a)
        result = link_story(articles, analyses)
        for a in fresh:
            texts = texts_to_encode(a, analyses[a.id])
            vectors = similarity.known_vectors(texts)
            if vectors is not None:
                self.cache.set(keys[a.id], (texts, vectors))
        return result

    def view(self, article_id: str) -> ArticleView:
        """An article with its links to the other versions of its story. An older revision of an
        article is linked to the story of its latest one, standing in for it: the alignment and
        quote matches are those of the revision being read."""
        article = self.article(article_id)
        story_id, members, latest = self._story_standing(article_id)
        links = self.links(story_id, members) if story_id else StoryLinks()
        story = self.story(story_id, with_discrepancies=False) if story_id else None
        if story is not None:
            articles = story.articles if members is None else tuple(
                article_id if m == latest else m for m in story.articles)  # fmt: skip
            story = Story(**{**_fields(story), "articles": articles, "discrepancies": links.discrepancies})
        return ArticleView(
            article=article,
            story=story,
            entities=links.entities.get(article_id, ()),
            quotes=links.quotes.get(article_id, ()),
            reported=links.reported.get(article_id, ()),
            sentences=links.sentences.get(article_id, ()),
        )

    def _story_standing(self, article_id: str) -> tuple[str | None, list[str] | None, str]:
        """(story, members to link, latest revision) of an article: its own story (members None)
        or, for an older revision of an article, the story of its latest revision with the older
        one standing in for the latest among the members."""
        story_id = self.story_of(article_id)
        if story_id is not None:
            return story_id, None, article_id
        group = self._revision_groups.get(revision_of(article_id)[0], [])  # summaries() filled it
        latest = group[-1] if article_id in group else article_id
        story_id = self.story_of(latest) if latest != article_id else None
        if not story_id:
            return None, None, article_id
        return story_id, [article_id if m == latest else m for m in self.story_groups()[story_id]], latest

    def coverage(self, story_id: str) -> dict[str, dict[str, int]]:
        """Per version of a story: how many of its sentences are shared word for word with another
        version, reworded in one, or told only here (from the story alignment)."""
        members = sorted(self.story_groups().get(story_id, []))
        if len(members) == 1:  # nothing to compare with: every sentence is its own (no analysis needed)
            from tuireader.analysis.align import sentence_units

            told = len(sentence_units(self.article(members[0]).text))
            return {members[0]: {"shared": 0, "reworded": 0, "only here": told}}
        links = self.links(story_id)
        out: dict[str, dict[str, int]] = {}
        for member in members:
            counts = {"shared": 0, "reworded": 0, "only here": 0}
            for sentence in links.sentences.get(member, ()):
                counts[sentence.status] += 1
            out[member] = counts
        return out

    def align(self, a_id: str, b_id: str) -> tuple[SentencePair, ...]:
        """Sentence pairs of two versions (what the compare view lays side by side), in a's order.

        Versions of one story read the story alignment, so the compare view, the highlights and
        `show` agree (an older revision reads the alignment `view` gives it: the story with it in
        place of its latest revision); two articles of different stories, or two revisions of one
        article, are aligned on demand (cached).
        """
        (story_a, members_a, _), (story_b, members_b, _) = self._story_standing(a_id), self._story_standing(b_id)
        members = members_a if members_a is not None else members_b
        if story_a and story_a == story_b and (members_a is None or members_b is None) \
                and (members is None or {a_id, b_id} <= set(members)):
            return self.links(story_a, members).pairs_between(a_id, b_id)
        from tuireader.analysis.align import align_passages

        a, b = self.article(a_id), self.article(b_id)
        key = cache_key("align", a.id, _derived_id(a), b.id, _derived_id(b))
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        result = tuple(
            SentencePair(b.id, b.outlet, p.kind, p.score, p.a_start, p.a_end, p.b_start, p.b_end, p.diff)  # type: ignore[arg-type]
            for p in align_passages(a, b)
        )
        self.cache.set(key, result)
        return result

    def analyze_all(
        self, progress: Progress | None = None, ids: Iterable[str] | None = None, workers: int | None = None
    ) -> list[Problem]:
        """Warm the analysis and link caches: every article (of `ids`) analysed on `workers`
        processes, then every story holding one of them linked, so that `show`, `stories` and the
        reader's highlights only read the cache. `progress` sees the analysis first ("analysing"),
        then the linking (what = "linking" at its start, then story ids). Returns the problems of
        `analyze_pending`; a story whose versions cannot all be read is skipped with a problem.
        """
        wanted = set(ids) if ids is not None else None
        problems = self.analyze_pending(progress, wanted, workers)
        if any(p.where == "analysis" for p in problems):
            return problems  # no model: linking would only fail the same way, story by story
        groups = self.story_groups()
        todo = [sid for sid, members in groups.items() if wanted is None or wanted & set(members)]
        if progress:
            progress(0, len(todo), "linking")
        for i, sid in enumerate(todo):
            try:
                if self._links_key(sid) not in self.cache:  # a hit is not unpickled just to be dropped
                    self.links(sid)
            except (KeyError, SourceError) as exc:
                problems.append(Problem(sid, f"cannot link this story ({exc})"))
            if progress:
                progress(i + 1, len(todo), sid)
        return problems

    def search(self, query: str, **filters: Any) -> list[SearchHit]:
        """Passages matching `query` across outlets; `filters` are those of `SearchIndex.search`
        (outlet, story, since, until, limit)."""
        return self.index.search(query, **filters)

    # --- adding articles ----------------------------------------------------------------------------
    def ingest(self, sources: Sequence[str], progress: Progress | None = None) -> IngestReport:
        """Copy article files (or fetch pages/feeds for URLs) into the library folder.

        Originals are never modified; a file whose content is already in the library is refused as a
        duplicate; each failure is one Problem and the others go on.
        """
        from tuireader.fsutil import held_lock
        from tuireader.reading import STATE_FOLDER

        # One writer at a time: a second ingest waits for the first (then sees its files as
        # duplicates) instead of racing it on the catalog and on the same file names.
        with held_lock(self.root / STATE_FOLDER / "ingest.lock", wait=INGEST_LOCK_WAIT) as held:
            if not held:
                report = IngestReport()
                report.problems.append(Problem(str(self.root), f"another ingest into this library has run for "
                                               f"more than {INGEST_LOCK_WAIT:g} s; try again when it ends"))  # fmt: skip
                return report
            return self._ingest_locked(sources, progress)

    def _ingest_locked(self, sources: Sequence[str], progress: Progress | None) -> IngestReport:
        """Copy the files in (fetch the URLs), then catalogue only what was written: no folder scan
        before or after, so adding one article costs about the same in a library of any size.

        Duplicates are found by content hash in the catalog (`CatalogStore.with_hashes`, a batch of
        sources at a time), each hit checked against its file (gone or changed since it was
        catalogued: no longer a duplicate), and by the name the content would be written under
        (whatever its suffix). A file dropped into the folder by hand under another name is not
        known until the next scan, which catalogues it as before."""
        report = IngestReport()
        sources = self._expand_folders(sources, report)
        written: list[str] = []  # paths of the files this ingest wrote
        hosts: set[str] = set()  # hosts the written files declare, fetched ones included
        pending: list[tuple[str, Path, Any, Article]] = []
        hashes: dict[str, str] = {}  # content hash -> stem, of what this ingest wrote
        rescan = False
        for n, source in enumerate(sources):
            if progress:
                progress(n, len(sources), source)
            if source.startswith(("http://", "https://")):
                self._write_ingested(pending, hashes, written, hosts, report)
                added, revised = len(report.added), len(report.revised)
                self._ingest_url(source, report)
                ids = [*report.added[added:], *report.revised[revised:]]
                fetched = self._fetched_paths(ids)
                if len(fetched) < len(ids):
                    rescan = True  # written somewhere else than expected: a scan finds them
                written += fetched
                hosts.add(source)  # a fetched page declares its URL
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", source):
                scheme = source.split(":", 1)[0]
                report.problems.append(Problem(source, f"{scheme}: addresses are not supported (http or https)"))
                continue
            path = Path(source)
            try:
                from tuireader.clean import clean

                raw = read_document(path)
                article = clean(raw)  # refuse what cannot become an article (e.g. HTML with no article)
            except SourceError as exc:
                report.problems.append(Problem(source, str(exc).removeprefix(f"{path}: ")))
                continue
            if article.words == 0:
                report.problems.append(Problem(source, "no article text in it"))
                continue
            pending.append((source, path, raw, article))
            if len(pending) >= INGEST_BATCH:
                self._write_ingested(pending, hashes, written, hosts, report)
        self._write_ingested(pending, hashes, written, hosts, report)
        if rescan:
            self.scan()
        elif written:
            self._catalogue_written(written, hosts)
        return report

    def _write_ingested(self, pending: list[tuple[str, Path, Any, Article]], hashes: dict[str, str],
                        written: list[str], hosts: set[str], report: IngestReport) -> None:  # fmt: skip
        """Write the `pending` sources (read and cleaned) into the folder, in order, refusing those
        whose content the library holds already: one catalog query for the whole batch."""
        from tuireader.clean import host_of
        from tuireader.fsutil import write_new_atomic

        if not pending:
            return
        catalogued = self.catalog.with_hashes(raw.content_hash for _s, _p, raw, _a in pending)
        for source, path, raw, article in pending:
            existing = hashes.get(raw.content_hash) or self._holding(raw.content_hash, catalogued)
            stem = article_stem(article.published, raw.content_hash)
            target = self.root / (stem + path.suffix.lower())
            if existing is None:
                existing = self._same_name(target, raw.content_hash)
            if existing is not None:
                report.duplicates.append((source, existing))
                continue
            data = path.read_bytes()
            if not write_new_atomic(target, data):
                if target.read_bytes() == data:  # the same article, written meanwhile by someone else
                    report.duplicates.append((source, target.stem))
                else:
                    report.problems.append(Problem(source, f"{target.name} appeared while writing; try again"))
                continue
            sidecar = sidecar_path(path)
            if sidecar.exists():
                write_new_atomic(sidecar_path(target), sidecar.read_bytes())
            hashes[raw.content_hash] = target.stem
            written.append(str(target))
            host = host_of(raw)
            if host:
                hosts.add(host)
            report.added.append(target.stem)
        pending.clear()

    @staticmethod
    def _holding(content_hash: str, catalogued: dict[str, list[tuple[str, int, int]]]) -> str | None:
        """The stem of a catalogued file that still holds `content_hash`: its row's size and mtime
        match the file, or (touched since) its bytes still hash the same. A file removed or changed
        behind the catalog's back holds nothing any more."""
        for path, size, mtime in catalogued.get(content_hash, ()):
            try:
                st = os.stat(path)
                if (st.st_size, st.st_mtime_ns) == (size, mtime) or read_document(path).content_hash == content_hash:
                    return Path(path).stem
            except (OSError, SourceError):
                continue
        return None

    def _same_name(self, target: Path, content_hash: str) -> str | None:
        """The stem of a file already in the folder under the name `target` would have (any
        article suffix) holding the same content, catalogued or not."""
        for suffix in ARTICLE_SUFFIXES:
            other = target.with_suffix(suffix)
            try:
                if other.is_file() and read_document(other).content_hash == content_hash:
                    return other.stem
            except (OSError, SourceError):
                continue
        return None

    def _fetched_paths(self, ids: Sequence[str]) -> list[str]:
        """The files a URL ingest wrote (fetched articles are .txt files at the top of the folder)."""
        from tuireader.sources.files import TEXT_SUFFIX

        return [str(p) for p in (self.root / (aid + TEXT_SUFFIX) for aid in ids) if p.is_file()]

    def _catalogue_written(self, paths: Sequence[str], hosts: set[str]) -> None:
        """Catalogue, index and place into stories just the files ingest wrote (`scan`'s own
        incremental path, `_catalogue`), without walking the folder. When they declare a host
        (`hosts`), its site profile is learnt again and the host's other files cleaned again where
        it changes them (`_profiles_for_written`). A shared archive's reader follows the archive."""
        if self.shared and not getattr(self.stores, "worker", False):
            self.scan()
            return
        if self.shared:
            self._claim_archive()
        report = ScanReport()
        todo: list[tuple[str, os.stat_result]] = []
        for path in paths:
            try:
                todo.append((path, os.stat(path)))
            except OSError as exc:
                report.problems.append(Problem(path, f"cannot stat ({exc.strerror})"))
        known: dict[str, tuple] = {}
        if hosts:
            again, known = self._profiles_for_written(todo)
            todo += again
        superseded = _superseded(self._revisions_beside({Path(p).stem for p, _st in todo}))
        if self.catalog.get_meta("derived") == "0" or self._derived_missing() or self._stories_reset():
            self._reconcile()
        self._catalogue(todo, known, superseded, report, set())
        self.problems = report.problems

    def _profiles_for_written(self, todo: list[tuple[str, os.stat_result]]) -> tuple[list[tuple[str, os.stat_result]],
                                                                                  dict[str, tuple]]:  # fmt: skip
        """`_refresh_site_profiles` for the files ingest wrote (`todo`): they join the cached host
        index, the profiles of their hosts are learnt again from every file of those hosts the index
        knows, and the catalogued files those profiles clean differently are returned, with their
        catalog rows. Files dropped in by hand and not yet scanned are not in the index: the next
        scan adds them and learns their host's profile again, as it does for any new file."""
        from tuireader.clean import host_of

        index: dict[str, tuple[int, int, str]] = self._cache_get(("site-hosts",)) or {}
        fresh = dict(index)
        hosts: set[str] = set()
        for path, st in todo:
            try:
                raw = read_document(path)
            except SourceError:
                continue  # reported when it is catalogued
            fresh[path] = (st.st_size, st.st_mtime_ns, host_of(raw) or "")
            hosts.add(fresh[path][2])
            if path in index:
                hosts.add(index[path][2])
        hosts.discard("")
        changed = {path for path, _st in todo}
        known: dict[str, tuple] = {}
        for path, (size, mtime, host) in fresh.items():
            if host in hosts and path not in changed:
                row = self.catalog.lookup(Path(path).stem)
                if row is not None and row[0] == path:
                    known[path] = (size, mtime, row[1], row[2])
        return self._relearn_profiles(index, fresh, hosts, changed, known), known

    def _revisions_beside(self, stems: set[str]) -> set[str]:
        """`stems` and the catalogued revisions of the same articles next to each (the one before
        and the one after), so that `_superseded` can tell which of them is the latest."""
        out = set(stems)
        for stem in stems:
            first, number = revision_of(stem)
            for other in (revision_stem(first, number - 1), revision_stem(first, number + 1)):
                if other != stem and self.catalog.lookup(other) is not None:
                    out.add(other)
        return out

    def _expand_folders(self, sources: Sequence[str], report: IngestReport) -> list[str]:
        """Each folder among `sources` stands for the article files in it and below it (.txt,
        .html, .htm; hidden files, sidecars and the library itself left out), in name order."""
        out: list[str] = []
        root = self.root.resolve() if self.root.exists() else None
        for source in sources:
            path = Path(source)
            if source.startswith(("http://", "https://")) or not path.is_dir():
                out.append(source)
                continue
            if root is not None and path.resolve() == root:
                report.problems.append(Problem(source, "is the library folder itself"))
                continue
            found: list[str] = []
            links: list[str] = []
            # A symbolic link is never followed (file or folder): a link to /etc/passwd or to a
            # folder elsewhere must not be copied into the library.
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                links += [os.path.join(folder, d) for d in dirs if os.path.islink(os.path.join(folder, d))]
                for name in files:
                    full = os.path.join(folder, name)
                    if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                        continue
                    (links if os.path.islink(full) else found).append(full)
            found.sort()
            for link in sorted(links):
                report.problems.append(Problem(link, "a symbolic link; not followed (copy the file itself to ingest it)"))
            if not found and not links:
                report.problems.append(Problem(source, "a folder with no .txt, .html or .htm files"))
            out.extend(found)
        return out

    def _ingest_url(self, url: str, report: IngestReport) -> None:
        """One page (or a feed's entries, without subscribing) fetched into the folder: the same
        article under any of its URLs, or with the same text, is not stored twice."""
        from tuireader.sources.feeds.ingest import ingest_url
        from tuireader.sources.files import revision_of

        added, existing, problems = ingest_url(url, self.root, self.cache_dir, self._refresh_options())
        report.revised.extend(aid for aid in added if revision_of(aid)[1] > 1)
        report.added.extend(aid for aid in added if revision_of(aid)[1] == 1)
        report.duplicates.extend((url, article_id) for article_id in existing)
        report.problems.extend(problems)
        if not (added or existing or problems):
            report.unchanged.append(url)  # a feed whose entries are all stored already

    # --- feeds: subscriptions (feeds.opml in the folder), OPML, refresh -------------------------------
    def feed_url(self, url: str) -> str:
        """`url` as a subscription stores it (`https://` added when missing); raises SourceError for
        what is no feed address at all (a usage error, not a failure)."""
        from tuireader.sources.subscriptions import normalize_feed_url

        return normalize_feed_url(url)

    def subscriptions(self) -> list[FeedStatus]:
        """The subscribed feeds with how their last refresh went; raises SourceError when
        feeds.opml cannot be read."""
        from tuireader.sources.feeds.state import feed_states
        from tuireader.sources.subscriptions import load_subscriptions

        states = feed_states(self.root)
        return [_feed_status(sub, states.get(sub.url, {})) for sub in load_subscriptions(self.root)]

    def subscribe(self, url: str, outlet: str | None = None) -> tuple[FeedStatus, bool]:
        """Subscribe to the feed at `url` (its articles get `outlet` as their outlet); returns the
        subscription and whether it is new. Raises SourceError or OSError."""
        from tuireader.sources.subscriptions import add_subscription

        sub, new = add_subscription(self.root, url, outlet)
        return _feed_status(sub, {}), new

    def unsubscribe(self, url: str) -> FeedStatus | None:
        """End a subscription (articles already fetched stay); None when `url` was not subscribed."""
        from tuireader.sources.subscriptions import remove_subscription

        removed = remove_subscription(self.root, url)
        return _feed_status(removed, {}) if removed is not None else None

    def import_opml(self, path: str | Path) -> tuple[list[FeedStatus], int, list[tuple[str, str]]]:
        """Subscribe to the feeds of an OPML file: (new subscriptions, how many were there already,
        (url, reason) of the outlines skipped)."""
        from tuireader.sources.subscriptions import import_opml

        added, already, skipped = import_opml(self.root, Path(path))
        return [_feed_status(sub, {}) for sub in added], already, skipped

    def export_opml(self) -> bytes:
        """The subscriptions as an OPML document (what other feed readers import)."""
        from tuireader.sources.subscriptions import export_opml

        return export_opml(self.root)

    def refresh(
        self,
        *,
        progress: Callable[[RefreshProgress], None] | None = None,
        feeds: Sequence[str] | None = None,
        fetch_pages: bool | None = None,
        cancel: threading.Event | None = None,
    ) -> RefreshReport:
        """Fetch the subscribed feeds (or just `feeds`) and write their new articles into the
        folder; each failure is a Problem in the report and the others go on. `progress` gets a
        snapshot (feeds and articles done and total) as the work advances; `fetch_pages` (default:
        the config's `refresh.pages`) whether each entry's page is fetched for its full text; setting
        `cancel` (another thread: the reader quitting) stops it within a fraction of a second. The
        catalog is brought up to date by the next `scan`."""
        from tuireader.sources.feeds.refresh import refresh

        options = self._refresh_options(fetch_pages)
        return refresh(self.root, self.cache_dir, progress=progress, feeds=list(feeds) if feeds else None,
                       options=options, cancel=cancel)  # fmt: skip

    def _refresh_options(self, fetch_pages: bool | None = None) -> RefreshOptions:
        """How fetching behaves, from the config's [refresh] table."""
        from tuireader.sources.feeds.types import RefreshOptions
        from tuireader.sources.http import HttpConfig

        cfg = self.config.refresh
        http = HttpConfig(connect_timeout=cfg.connect_timeout, read_timeout=cfg.read_timeout,
                          total_timeout=cfg.total_timeout,
                          allow_private=self.config.network.allow_private,
                          proxy=self.config.network.proxy)  # fmt: skip
        return RefreshOptions(http=http, fetch_pages=cfg.pages if fetch_pages is None else fetch_pages,
                              article_concurrency=cfg.concurrency, feed_deadline=cfg.feed_deadline)  # fmt: skip


    # --- reading state (kept in the library folder, see tuireader.reading) -------------------------
    @property
    def reading(self) -> ReadingState:
        """The library's read/new state, opened on first need (the file lives in the folder)."""
        if self._reading is None:
            from tuireader.reading import ReadingState, reading_path

            with self._lock:
                if self._reading is None:
                    self._reading = ReadingState(reading_path(self.root))
        return self._reading

    def read_ids(self) -> frozenset[str]:
        """Ids of the articles the user has read."""
        return self.reading.read

    def mark_read(self, ids: Iterable[str], read: bool = True) -> bool:
        """Mark articles read or unread; whether anything changed. Raises OSError when the state
        cannot be written (the change then lasts for this session)."""
        return self.reading.mark(ids, read)

    def new_ids(self) -> frozenset[str]:
        """What the most recent scan that brought anything brought (see `note_arrivals`)."""
        return self.reading.new

    def note_arrivals(self) -> frozenset[str]:
        """Compare the catalog with what was noted last time: the ids that arrived since (they
        become the "new" ones). The first call on a library only learns what is there."""
        return self.reading.note_scan(self.summaries().keys())


    # --- the reader's list: first page, feeds, filters, saved views (read side only) ---------------
    def first_page(self, stories: int = 80, include: Iterable[str] = ()) -> tuple[list[ArticleSummary], int]:
        """What the reader paints first: every version of the `stories` most recent stories (and
        of the stories of the `include` ids), labelled, with the number of catalogued articles.
        Read through the catalog's indexes, so it costs the same at 1,000 articles as at 1,000,000;
        the whole list (`articles()`) follows once the scan has run."""
        page = getattr(self.catalog, "recent_page", None)
        if page is None:  # a store without paging: the whole list
            rows = self.articles()
            return rows, len(rows)
        rows, total = page(stories, include)
        return self._listed(rows), total

    def list_page(self, stories: int = 200, offset: int = 0, skip: Iterable[str] = (),
                  include: Iterable[str] = ()) -> tuple[list[ArticleSummary], int | None, int]:  # fmt: skip
        """The reader's list a page at a time (it asks for the next one as the user scrolls): the
        next `stories` stories, newest first, from `offset` (what the previous page returned),
        leaving out the stories in `skip` and adding those of the `include` ids; labelled. Returns
        the rows, the next page's offset (None: that was the last) and the number of catalogued
        articles. A store without paging answers with every article, as one page."""
        page = getattr(self.catalog, "story_page", None)
        if page is None:
            if offset:
                return [], None, 0
            rows = self.articles()
            return rows, None, len(rows)
        rows, next_offset, total = page(stories, offset, skip, include)
        return self._listed(rows), next_offset, total

    def _listed(self, rows: list[ArticleSummary]) -> list[ArticleSummary]:
        """A page of catalog rows as the list shows them: latest revisions only, with their count, labelled."""
        lookup = self.catalog.lookup
        counts: dict[str, int] = {}
        kept = []
        for s in rows:
            first, number = revision_of(s.id)
            if lookup(revision_stem(first, number + 1)) is not None:
                continue  # a superseded revision: the latest stands for the article
            if number > 1:
                counts[s.id] = sum(1 for n in range(1, number + 1) if lookup(revision_stem(first, n)) is not None)
            kept.append(s)
        labels = version_labels(kept)
        return [ArticleSummary(s.id, s.path, s.outlet, s.title, s.published, s.authors, s.story, s.words,
                               labels[s.id], counts.get(s.id, 1)) for s in kept]  # fmt: skip

    def article_feeds(self) -> dict[str, str]:
        """Article id -> what names the subscription that brought it: the feed's address (the
        `feed:` line its file was written with), then the subscription's title and outlet when it
        is still subscribed. Articles added from files have none. The addresses are read from the
        files' headers and sidecars once and kept by path, size and mtime in the content cache, so
        asking again reads only files added or changed since."""
        stats = self.catalog.stats()
        key = ("article-feeds", str(self.root))
        known: dict[str, tuple[int, int, str]] = self._cache_get(key) or {}
        fresh: dict[str, tuple[int, int, str]] = {}
        for path, (size, mtime, _hash, _version) in stats.items():
            old = known.get(path)
            if old is not None and old[:2] == (size, mtime):
                fresh[path] = old
                continue
            try:
                feed = read_document(path).declared.get("feed") or ""
            except SourceError:
                continue
            fresh[path] = (size, mtime, feed)
        if fresh != known:
            self.cache.set(key, fresh)
        names: dict[str, str] = {}
        try:
            for sub in self.subscriptions():
                names[sub.url] = " ".join(x for x in (sub.url, sub.title, sub.outlet) if x)
        except (SourceError, OSError):
            pass  # feeds.opml unreadable: the addresses alone still filter
        by_path = {s.path: s.id for s in self.summaries().values()}
        return {by_path[p]: names.get(feed, feed) for p, (_s, _m, feed) in fresh.items() if feed and p in by_path}

    def story_views(self, article_id: str, skip: Iterable[str] = ()) -> dict[str, ArticleView]:
        """`view()` of every version of the article's story but those in `skip`, the story's links
        read once for all of them (the reader has the next versions ready for `n`; asking `view`
        per version decoded the links again each time, holding the reader's thread meanwhile)."""
        story_id = self.story_of(article_id)
        if not story_id:
            return {}
        links = self.links(story_id)
        story = self.story(story_id, with_discrepancies=False)
        story = Story(**{**_fields(story), "discrepancies": links.discrepancies})
        out = {}
        for member in story.articles:
            if member in skip:
                continue
            out[member] = ArticleView(article=self.article(member), story=story,
                                      entities=links.entities.get(member, ()), quotes=links.quotes.get(member, ()),
                                      reported=links.reported.get(member, ()),
                                      sentences=links.sentences.get(member, ()))  # fmt: skip
        return out

    def saved_views(self) -> dict[str, ListFilter]:
        """The config file's `[views.NAME]` tables, each as the filter it stands for; one whose
        `filter` text cannot be read is left out and named in `problems`."""
        from tuireader.filters import FilterError, parse_filter

        out = {}
        for name, text in self.config.views:
            try:
                out[name] = parse_filter(text)
            except FilterError as exc:
                self.problems.append(Problem(f"views.{name}", f"{exc} (the view is ignored)"))
        return out

    def filtered(self, flt: ListFilter, summaries: Iterable[ArticleSummary] | None = None) -> list[ArticleSummary]:
        """The articles (`summaries`, default every one in list order) that `flt` keeps, with the
        reading state and the feeds it needs."""
        from tuireader.filters import apply_filter

        rows = self.articles() if summaries is None else summaries
        if flt.empty:
            return list(rows)
        read = self.read_ids() if flt.unread else frozenset()
        return apply_filter(rows, flt, read, self.article_feeds() if flt.feeds else None)

    def search_text(self, text: str, *, base: ListFilter | None = None, story: str | None = None,
                    limit: int = 50) -> list[SearchHit]:  # fmt: skip
        """Search what a search box holds: words, "phrases" and filter words (`outlet:`, `feed:`,
        `since:`, `until:`, `unread`, `outlets:N`, see tuireader.filters), narrowed further by
        `base` (a saved view). The index narrows by one outlet and the dates itself; the other
        conditions are checked on its hits, asking it for more until `limit` are kept or it has
        no more. Raises FilterError for filter words it cannot read."""
        from tuireader.filters import ListFilter, apply_filter, combine, split_search

        query, flt = split_search(text)
        if base is not None:
            flt = combine(base, flt)
        outlet = flt.outlets[0] if len(flt.outlets) == 1 else None
        rest = ListFilter(flt.outlets if outlet is None else (), None, None, flt.unread, flt.min_outlets,
                          flt.words, feeds=flt.feeds)  # fmt: skip
        if rest.empty:
            return self.search(query, outlet=outlet, story=story, since=flt.since, until=flt.until, limit=limit)
        read = self.read_ids() if rest.unread else frozenset()
        feeds = self.article_feeds() if rest.feeds else None
        summaries = self.summaries()
        groups = self.story_groups() if rest.min_outlets else {}
        ask = limit * 4
        while True:
            hits = self.search(query, outlet=outlet, story=story, since=flt.since, until=flt.until, limit=ask)
            rows = [summaries[h.article] for h in hits if h.article in summaries]
            if rest.min_outlets:  # outlets are counted over the whole story, not over the hits
                sids = {s.story or s.id for s in rows}
                rows = [summaries[m] for sid in sids for m in groups.get(sid, [sid]) if m in summaries]
            keep = {s.id for s in apply_filter(rows, rest, read, feeds)}
            kept = [h for h in hits if h.article in keep]
            if len(kept) >= limit or len(hits) < ask:
                return kept[:limit]
            ask *= 4

    # --- sharing a comparison -------------------------------------------------------------------
    def story_id_for(self, given: str) -> str | None:
        """The story `given` names: a story id, or the id of one of its articles."""
        if given in self.story_groups():
            return given
        return self.story_of(given)

    def story_comparison(self, story_id: str) -> StoryExport:
        """What a story's export and coverage view show: its versions with their coverage counts
        and who was first, quotes with their matches, differences, only-here passages."""
        from tuireader.export import build_export

        return build_export(self, story_id)

    def export_story(self, story_id: str, fmt: str = "md") -> str:
        """A story's comparison as Markdown, a self-contained HTML page or JSON (see
        tuireader.export); raises KeyError for an unknown story, ValueError for a format."""
        from tuireader.export import build_export, render

        return render(build_export(self, story_id), fmt)


    # === corrections to stories (tuireader.corrections): the user's word on what belongs together ===
    # Decisions live in the library folder (.tuireader/stories.json) and are replayed over the
    # clustering's stories wherever those are written to the catalog and the search index
    # (`_write_stories`), so rescans, new arrivals and rebuilt caches all respect them.
    @property
    def decisions(self) -> DecisionLog:
        """The library's story decisions, opened on first need (the file lives in the folder)."""
        if self._decisions is None:
            from tuireader.corrections import DecisionLog, decisions_path

            with self._lock:
                if self._decisions is None:
                    self._decisions = DecisionLog(decisions_path(self.root))
        return self._decisions

    def _raw_stories(self) -> dict[str, str]:
        """Article id -> the story the clustering alone puts it in."""
        with self._lock:
            groups = self._story_index().stories()
        return {aid: sid for sid, members in groups.items() for aid in members}

    def _published_lookup(self) -> Callable[[str], str | None]:
        """Publication dates from the catalog, read on the first call only (most stories keep the
        clustering's id and need no date)."""
        dates: dict[str, str | None] = {}

        def published(article_id: str) -> str | None:
            if not dates:
                dates.update((s.id, s.published) for s in self.catalog.summaries())
            return dates.get(article_id)

        return published

    def _write_stories(self, assignment: dict[str, str]) -> None:
        """Write the clustering's `assignment` (article id -> story) to the catalog and the search
        index, corrected by the user's decisions: with none, as it is; else every article's
        corrected story, replayed over the whole clustering (the stores skip rows that do not
        change). One write at a time, so a decision taken meanwhile is never overwritten by a
        scan that replayed the decisions before it."""
        from tuireader.corrections import apply_decisions

        with self._stories_written:
            log = self.decisions
            decisions = log.decisions
            if decisions:
                raw = self._raw_stories()
                assignment = apply_decisions(raw, decisions, self._published_lookup(),
                                             self._carried(raw, decisions)).assignment  # fmt: skip
            self.catalog.set_stories(assignment)  # type: ignore[arg-type]
            self.index.set_stories(assignment)  # type: ignore[arg-type]
            digest = log.digest() if decisions else ""
            if (self.catalog.get_meta("corrections") or "") != digest:
                self.catalog.set_meta("corrections", digest)

    def _apply_corrections(self) -> None:
        """Write every article's corrected story (after a decision, an undo or a changed file)."""
        self._write_stories(self._raw_stories())
        self._summaries = None
        self._groups = None

    def _check_corrections(self, problems: list[Problem]) -> None:
        """At the end of a scan: re-read the decisions file when it changed on disk (another
        process, a hand edit, a copied library), say once when it was damaged, and correct the
        stories when what they were corrected with is not what the file says."""
        log = self.decisions
        log.reload_if_changed()
        problem = log.take_problem()
        if problem:
            problems.append(Problem(str(log.path), problem))
        digest = log.digest() if log.decisions else ""
        if (self.catalog.get_meta("corrections") or "") != digest:
            self._apply_corrections()

    def _members_by_date(self, story_id: str) -> list[str]:
        summaries = self.summaries()
        return sorted(self.story_groups().get(story_id, ()),
                      key=lambda a: (summaries[a].published is None, summaries[a].published or "", a))  # fmt: skip

    def _story_title(self, story_id: str) -> str:
        members = self._members_by_date(story_id)
        return self.summaries()[members[0]].title if members else story_id

    def move_version(self, article_id: str, story: str) -> str:
        """Move a version to another story (`story`: a story id or the id of one of its articles),
        or with `story="new"` into a story of its own; returns the story it is in now.

        Raises KeyError for an unknown article or story, ValueError when there is nothing to move
        (it is there already), OSError when the decisions file cannot be written."""
        from tuireader.corrections import NEW

        article_id = self._story_standing(article_id)[2] if article_id not in self.summaries() else article_id
        if article_id not in self.summaries():  # (an older revision stands for its latest one)
            raise KeyError(article_id)
        current = self.story_of(article_id) or article_id
        if story == NEW:
            if len(self.story_groups().get(current, ())) <= 1:
                raise ValueError(f"{article_id} is already a story of its own")
            to = None
            note = f"{self._story_title(current)} -> a story of its own"
        else:
            target = self.story_id_for(story)
            if target is None:
                raise KeyError(story)
            if target == current:
                raise ValueError(f"{article_id} is in {target} already")
            to = self._members_by_date(target)
            note = f"{self._story_title(current)} -> {self._story_title(target)}"
        self.decisions.add("move", articles=[article_id], to=to, note=note)
        self._apply_corrections()
        return self.story_of(article_id) or article_id

    def split_story(self, story_id: str, article_ids: Sequence[str]) -> str:
        """Split a story: `article_ids` (some of its versions, not all) leave it and form a new
        story together; returns the new story's id. Raises KeyError for an unknown story,
        ValueError for versions that are not the story's or for all of them."""
        story = self.story_id_for(story_id)
        if story is None:
            raise KeyError(story_id)
        members = self.story_groups()[story]
        summaries = self.summaries()  # an older revision named stands for its latest one
        chosen = list(dict.fromkeys(a if a in summaries else self._story_standing(a)[2] for a in article_ids))
        strangers = [a for a in chosen if a not in members]
        if strangers:
            raise ValueError(f"not versions of {story}: {', '.join(strangers)}")
        if not chosen or len(chosen) >= len(members):
            raise ValueError("a split keeps at least one version in the story and moves at least one out")
        self.decisions.add("split", articles=chosen, note=f"{self._story_title(story)}: {len(chosen)} of {len(members)} out")
        self._apply_corrections()
        return self.story_of(chosen[0]) or chosen[0]

    def merge_stories(self, a: str, b: str) -> str:
        """Make two stories one (each named by its id or one of its articles' ids); returns the
        merged story's id. Raises KeyError for an unknown story, ValueError when both are one."""
        first, second = self.story_id_for(a), self.story_id_for(b)
        if first is None or second is None:
            raise KeyError(a if first is None else b)
        if first == second:
            raise ValueError(f"{a} and {b} are one story already ({first})")
        groups = [self._members_by_date(first), self._members_by_date(second)]
        self.decisions.add("merge", groups=groups,
                           note=f"{self._story_title(first)} + {self._story_title(second)}")  # fmt: skip
        self._apply_corrections()
        return self.story_of(groups[0][0]) or groups[0][0]

    def undo_decision(self, n: int | None = None) -> Decision | None:
        """Take back decision `n` (default: the latest); returns it, None when there is none."""
        removed = self.decisions.remove(n)
        if removed is not None:
            self._apply_corrections()
        return removed

    def story_decisions(self) -> list[DecisionState]:
        """Every decision, oldest first, with whether it still applies (a decision naming
        articles that are gone is kept, but stale)."""
        from tuireader.corrections import apply_decisions

        decisions = self.decisions.decisions
        if not decisions:
            return []
        raw = self._raw_stories()
        return apply_decisions(raw, decisions, lambda _a: None, self._carried(raw, decisions)).states

    @staticmethod
    def _carried(raw: dict[str, str], decisions: Sequence[Decision]) -> dict[str, str]:
        """The ids the decisions name that are revisions no longer in the stories -> the revision of
        the same article that is (the latest stands for its article; `corrections.carry_over`)."""
        wanted = {revision_of(a)[0] for d in decisions for a in d.named() if a not in raw}
        if not wanted:
            return {}
        latest = {}
        for aid in raw:
            first = revision_of(aid)[0] if "-r" in aid else aid
            if first in wanted:
                latest[first] = aid
        return {a: latest[revision_of(a)[0]] for d in decisions for a in d.named()
                if a not in raw and revision_of(a)[0] in latest}  # fmt: skip

    def _story_follows(self, story_id: str, members: Sequence[str]) -> dict[str, str]:
        """The follow-up link of one story (see `StoryIndex.follows`), through the corrections."""
        if not self.decisions.decisions:
            return self._story_index().follows([story_id])
        index = self._story_index()
        raw = {index.story_of(m) for m in members} - {None}
        return self._corrected_follows(index.follows(sorted(raw)))  # type: ignore[arg-type]

    def _corrected_follows(self, links: dict[str, str]) -> dict[str, str]:
        """The clustering's follow-up links (raw story -> raw story), between corrected stories:
        a raw story is named after its earliest article ("s_" + id), whose story it now follows."""
        if not self.decisions.decisions:
            return links
        out: dict[str, str] = {}
        for later, earlier in links.items():
            s, t = self.story_of(later.removeprefix("s_")), self.story_of(earlier.removeprefix("s_"))
            if s and t and s != t:
                out.setdefault(s, t)
        return out
    # === end of corrections to stories ===


def _feed_status(sub: Any, state: dict[str, Any]) -> FeedStatus:
    """A subscription (sources.opml.Subscription) and its saved refresh state, as the CLI shows it."""
    return FeedStatus(url=sub.url, outlet=sub.outlet, title=sub.title, html_url=sub.html_url,
                      category=sub.category, last_ok=state.get("ok_at"), error=state.get("error"))  # fmt: skip


def _superseded(ids: Iterable[str]) -> set[str]:
    """The ids among `ids` of revisions that a newer revision of the same article supersedes."""
    return {aid for members in revision_groups(ids).values() for aid in members[:-1]}


def _words_changed(before: str, after: str) -> int:
    """How many words changed from one revision's text to the next: per differing run, the larger
    of the words taken out and put in ("230" -> "260" is one word, five words added are five)."""
    import difflib

    a, b = before.split(), after.split()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")


def revision_pairs(a: Article, b: Article) -> tuple[SentencePair, ...]:
    """Paragraph pairs of two revisions of one article (see `Library.revision_diff`): paragraphs
    kept as they were pair as "same"; within a run that changed, each paragraph of `a` pairs, in
    order, with the first paragraph of `b` after the last one paired that shares enough of its
    words (half of the smaller side's word set), reworded with a word diff. Linear in the words
    but for the changed runs, which difflib compares word by word."""
    import difflib

    from tuireader.text.units import paragraph_spans, word_diff, words

    a_text, b_text = a.text, b.text
    a_spans, b_spans = paragraph_spans(a.paragraphs), paragraph_spans(b.paragraphs)
    out: list[SentencePair] = []

    def pair(i: int, j: int, score: float) -> None:
        (s, e), (t, f) = a_spans[i], b_spans[j]
        if a.paragraphs[i] == b.paragraphs[j]:
            out.append(SentencePair(b.id, b.outlet, "same", 100.0, s, e, t, f))
            return
        diff = word_diff(a_text, words(a_text, s, e), b_text, words(b_text, t, f))
        kind = "same" if all(op.op == "equal" for op in diff) else "reworded"
        out.append(SentencePair(b.id, b.outlet, kind, round(score, 1), s, e, t, f, () if kind == "same" else diff))  # type: ignore[arg-type]

    blocks = difflib.SequenceMatcher(a=list(a.paragraphs), b=list(b.paragraphs), autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in blocks:
        if op == "equal":
            for k in range(i2 - i1):
                pair(i1 + k, j1 + k, 100.0)
            continue
        if op != "replace":
            continue  # paragraphs only one revision has
        b_words = [{w for w, _s, _e in words(b_text, *b_spans[j])} for j in range(j1, j2)]
        next_j = j1
        for i in range(i1, i2):
            mine = {w for w, _s, _e in words(a_text, *a_spans[i])}
            for j in range(next_j, j2):
                theirs = b_words[j - j1]
                shared = len(mine & theirs)
                if mine and theirs and shared * 2 >= min(len(mine), len(theirs)):
                    pair(i, j, 100.0 * shared / max(len(mine | theirs), 1))
                    next_j = j + 1
                    break
    return tuple(out)


def _within(progress: Progress | None, begin: int, size: int, total: int) -> Progress | None:
    """`progress` for one step of `size` items starting at `begin` of `total` (done counts within the step)."""
    if progress is None:
        return None

    def step(done: int, _size: int, what: str) -> None:
        progress(begin + min(done, size), total, what)

    return step


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
