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

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.model import (
    Article,
    ArticleAnalysis,
    ArticleSummary,
    ArticleView,
    Problem,
    SearchHit,
    Story,
    StoryLinks,
)
from tuireader.sources.files import SourceError, is_article_path, read_document
from tuireader.store.catalog import Catalog

if TYPE_CHECKING:
    import diskcache

    from tuireader.analysis.stories import StoryIndex
    from tuireader.store.index import SearchIndex

Progress = Callable[[int, int, str], None]  # (done, total, what)


def default_cache_dir() -> Path:
    """`$TUIREADER_CACHE_DIR`, else the user's cache folder (e.g. ~/.cache/tuireader)."""
    env = os.environ.get("TUIREADER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tuireader"))


def default_library_dir() -> Path:
    """`./articles` when it exists, else the user data folder (seeded with the sample articles)."""
    here = Path.cwd() / "articles"
    if here.is_dir():
        return here
    from platformdirs import user_data_dir

    target = Path(user_data_dir("tuireader")) / "articles"
    if not target.exists():
        seed_sample_articles(target)
    return target


def seed_sample_articles(target: Path) -> None:
    """Copy the bundled sample articles into a new library folder.

    The samples are the repository's `articles/` folder (next to `src/` in a checkout or editable
    install); a library without them simply starts empty.
    """
    from tuireader.fsutil import write_atomic

    target.mkdir(parents=True, exist_ok=True)
    bundled = Path(__file__).resolve().parents[2] / "articles"
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


def _versions() -> tuple[str, str, str]:
    from tuireader.analysis.align import LINK_VERSION
    from tuireader.analysis.pipeline import ANALYSIS_VERSION
    from tuireader.clean import CLEAN_VERSION

    return CLEAN_VERSION, ANALYSIS_VERSION, LINK_VERSION


class Library:
    def __init__(self, root: str | Path, cache_dir: str | Path | None = None) -> None:
        self.root = Path(root).expanduser().resolve()
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        key = hashlib.sha1(str(self.root).encode()).hexdigest()[:16]
        self.state_dir = self.cache_dir / "libraries" / key
        self.catalog = Catalog(self.state_dir / "catalog.sqlite")
        self._lock = threading.RLock()
        self._cache: diskcache.Cache | None = None
        self._index: SearchIndex | None = None
        self._stories: StoryIndex | None = None
        self._summaries: dict[str, ArticleSummary] | None = None
        self.problems: list[Problem] = []

    # --- lazily opened stores ---------------------------------------------------------------------
    @property
    def cache(self) -> diskcache.Cache:
        if self._cache is None:
            import diskcache

            self._cache = diskcache.Cache(str(self.cache_dir / "derived"), size_limit=2**31)
        return self._cache

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            from tuireader.store.index import SearchIndex

            self._index = SearchIndex(self.state_dir / "search.sqlite")
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        if self._cache is not None:
            self._cache.close()
        self.catalog.close()

    # --- the folder ---------------------------------------------------------------------------------
    def article_files(self) -> list[Path]:
        """Every article file below the root (hidden files and folders skipped), sorted by name."""
        found: list[Path] = []
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file() and is_article_path(Path(entry.name)):
                    found.append(Path(entry.path))
        return sorted(found, key=lambda p: p.name)

    def scan(self, progress: Progress | None = None, *, index: bool = True) -> ScanReport:
        """Bring the catalog, stories and search index in line with the folder.

        Files whose size and mtime are unchanged are not read; changed or new files are read,
        cleaned (or fetched from the content cache by hash) and catalogued. Files that cannot be read
        are reported, one Problem each, and left out; nothing else is affected by them.
        """
        from tuireader.clean import CLEAN_VERSION

        report = ScanReport()
        files = self.article_files()
        known = self.catalog.stats()
        seen_paths: set[str] = set()
        todo: list[tuple[Path, os.stat_result]] = []
        for path in files:
            key = str(path)
            seen_paths.add(key)
            try:
                st = path.stat()
            except OSError as exc:
                report.problems.append(Problem(key, f"cannot stat ({exc.strerror})"))
                continue
            row = known.get(key)
            if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and row[3] == CLEAN_VERSION:
                continue
            todo.append((path, st))

        new_rows = []
        new_articles: list[Article] = []
        for i, (path, st) in enumerate(todo):
            if progress:
                progress(i, len(todo), path.name)
            try:
                article = self._clean_file(path)
            except SourceError as exc:
                report.problems.append(Problem(str(path), str(exc).removeprefix(f"{path}: ")))
                continue
            summary = ArticleSummary(
                id=article.id,
                path=str(path),
                outlet=article.outlet,
                title=article.title,
                published=article.published,
                authors=article.authors,
                story=None,
                words=article.words,
            )
            new_rows.append((str(path), st.st_size, st.st_mtime_ns, article.content_hash, CLEAN_VERSION, summary))
            new_articles.append(article)
            (report.changed if str(path) in known else report.added).append(article.id)
        if progress and todo:
            progress(len(todo), len(todo), "cleaned")

        gone = [p for p in known if p not in seen_paths]
        gone_ids = [Path(p).stem for p in gone]
        # A path that failed to read this time is dropped from the catalog too: its old derived
        # values describe content that is no longer there.
        failed = {p.where for p in report.problems} & set(known)
        gone_ids += [Path(p).stem for p in failed]
        report.removed = gone_ids
        if new_rows:
            self.catalog.put(new_rows)
        if gone or failed:
            self.catalog.remove([*gone, *failed])

        if new_articles or gone_ids or self._story_index_missing():
            self._update_stories(new_articles, gone_ids)
        if index and (new_articles or gone_ids):
            self._update_index(new_articles, gone_ids, progress)
        self._summaries = None
        self.problems = report.problems
        return report

    def _clean_file(self, path: Path) -> Article:
        from tuireader.clean import CLEAN_VERSION, clean

        raw = read_document(path)
        key = ("article", raw.content_hash, CLEAN_VERSION, raw.id, raw.path, tuple(sorted(raw.declared.items())))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        article = clean(raw)
        self.cache.set(key, article)
        return article

    # --- stories ------------------------------------------------------------------------------------
    def _story_index_key(self) -> tuple:
        from tuireader.analysis.stories import STORIES_VERSION

        return ("story-index", str(self.root), STORIES_VERSION)

    def _story_index_missing(self) -> bool:
        return self._load_story_index() is None

    def _load_story_index(self) -> StoryIndex | None:
        if self._stories is None:
            self._stories = self.cache.get(self._story_index_key())
        return self._stories

    def _update_stories(self, new_articles: Sequence[Article], gone_ids: Sequence[str]) -> None:
        from tuireader.analysis.stories import StoryDoc, StoryIndex

        with self._lock:
            index = self._load_story_index()
            if index is None:
                index = StoryIndex()
                new_articles = [self.article(s.id) for s in self.catalog.summaries()]
                gone_ids = []
            if gone_ids:
                index.remove(gone_ids)
            new_ids = {a.id for a in new_articles}
            index.remove([i for i in new_ids if index.story_of(i) is not None])
            if new_articles:
                index.add(
                    [
                        StoryDoc(id=a.id, title=a.title, text=a.text, published=a.published, outlet=a.outlet)
                        for a in new_articles
                    ]
                )
            self._stories = index
            self.cache.set(self._story_index_key(), index)
            assignment = {s.id: index.story_of(s.id) for s in self.catalog.summaries()}
            self.catalog.set_stories(assignment)
            if self._index is not None or new_articles:
                for aid, sid in assignment.items():
                    if aid not in new_ids:
                        self.index.set_story(aid, sid)

    def _update_index(self, new_articles: Sequence[Article], gone_ids: Sequence[str], progress: Progress | None) -> None:
        index = self.index
        for aid in gone_ids:
            index.remove_article(aid)
        stories = self._load_story_index()
        if new_articles:
            if progress:
                progress(0, len(new_articles), "indexing")
            index.add_many(
                (a, a.outlet, stories.story_of(a.id) if stories else None, a.published, ())
                for a in new_articles
            )

    # --- queries ------------------------------------------------------------------------------------
    def summaries(self) -> dict[str, ArticleSummary]:
        if self._summaries is None:
            self._summaries = {s.id: s for s in self.catalog.summaries()}
        return self._summaries

    def articles(self) -> list[ArticleSummary]:
        """Every catalogued article, ordered by story, then publication date, then outlet."""
        return sorted(
            self.summaries().values(),
            key=lambda s: (s.story or s.id, s.published or "", (s.outlet or "").lower(), s.id),
        )

    def article(self, article_id: str) -> Article:
        found = self.catalog.lookup(article_id)
        if found is None:
            raise KeyError(article_id)
        return self._clean_file(Path(found[0]))

    def analysis(self, article_id: str) -> ArticleAnalysis:
        return self.analyses([self.article(article_id)])[article_id]

    def analyses(self, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
        """Per-article analysis, from the cache where possible; the rest in one spaCy batch.

        Newly analysed articles are re-indexed with their quotations, so search finds quotes as
        quotes once an article has been analysed.
        """
        from tuireader.analysis.pipeline import ANALYSIS_VERSION, analyze_many

        clean_version = _versions()[0]
        result: dict[str, ArticleAnalysis] = {}
        missing: list[Article] = []
        for article in articles:
            cached = self.cache.get(("analysis", article.content_hash, clean_version, ANALYSIS_VERSION, article.id))
            if cached is None:
                missing.append(article)
            else:
                result[article.id] = cached
        if missing:
            fresh = analyze_many(missing)
            for article, analysis in zip(missing, fresh, strict=True):
                key = ("analysis", article.content_hash, clean_version, ANALYSIS_VERSION, article.id)
                self.cache.set(key, analysis)
                result[article.id] = analysis
            self.index.add_many(
                (a, a.outlet, self.story_of(a.id), a.published, result[a.id].quotes)
                for a in missing
                if result[a.id].quotes
            )
        return result

    def story_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for s in self.summaries().values():
            groups.setdefault(s.story or s.id, []).append(s.id)
        return groups

    def story(self, story_id: str, *, with_discrepancies: bool = True) -> Story:
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
        )

    def stories(self, *, with_discrepancies: bool = True) -> list[Story]:
        result = [self.story(sid, with_discrepancies=with_discrepancies) for sid in self.story_groups()]
        return sorted(result, key=lambda s: (s.last_published or "", s.id), reverse=True)

    def story_of(self, article_id: str) -> str | None:
        s = self.summaries().get(article_id)
        return (s.story or s.id) if s else None

    def links(self, story_id: str) -> StoryLinks:
        """Cross-version links of one story, cached by the content of all its members."""
        from tuireader.analysis.align import link_story

        members = sorted(self.story_groups().get(story_id, []))
        articles = [self.article(m) for m in members]
        versions = _versions()
        key = ("links", versions, tuple((a.id, a.content_hash) for a in articles))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        analyses = self.analyses(articles)
        result = link_story(articles, analyses)
        self.cache.set(key, result)
        return result

    def view(self, article_id: str) -> ArticleView:
        article = self.article(article_id)
        story_id = self.story_of(article_id)
        links = self.links(story_id) if story_id else StoryLinks()
        story = self.story(story_id, with_discrepancies=False) if story_id else None
        if story is not None:
            story = Story(**{**_fields(story), "discrepancies": links.discrepancies})
        return ArticleView(
            article=article,
            story=story,
            entities=links.entities.get(article_id, ()),
            quotes=links.quotes.get(article_id, ()),
        )

    def analyze_all(self, progress: Progress | None = None, ids: Iterable[str] | None = None) -> None:
        """Warm the analysis and link caches (what the reader's background worker runs)."""
        groups = self.story_groups()
        wanted = set(ids) if ids is not None else None
        todo = [sid for sid, members in groups.items() if wanted is None or wanted & set(members)]
        for i, sid in enumerate(todo):
            if progress:
                progress(i, len(todo), sid)
            self.links(sid)
        if progress:
            progress(len(todo), len(todo), "done")

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        return self.index.search(query, outlet=outlet, story=story, since=since, until=until, limit=limit)

    # --- adding articles ----------------------------------------------------------------------------
    def ingest(self, sources: Sequence[str], progress: Progress | None = None) -> IngestReport:
        """Copy article files (or fetch pages/feeds for URLs) into the library folder.

        Originals are never modified; a file whose content is already in the library is refused as a
        duplicate; each failure is one Problem and the others go on.
        """
        from tuireader.clean import clean
        from tuireader.fsutil import write_new_atomic

        report = IngestReport()
        self.scan(index=False)
        hashes = {h: Path(p).stem for p, (_s, _m, h, _v) in self.catalog.stats().items()}
        for n, source in enumerate(sources):
            if progress:
                progress(n, len(sources), source)
            if source.startswith(("http://", "https://")):
                self._ingest_url(source, report)
                continue
            path = Path(source)
            if path.is_dir():
                report.problems.append(Problem(source, "is a folder; pass the files in it"))
                continue
            try:
                raw = read_document(path)
                clean(raw)  # refuse what cannot become an article (e.g. HTML with no article)
            except SourceError as exc:
                report.problems.append(Problem(source, str(exc).removeprefix(f"{path}: ")))
                continue
            if raw.content_hash in hashes:
                report.duplicates.append((source, hashes[raw.content_hash]))
                continue
            data = path.read_bytes()
            target = self._new_name(raw.content_hash, path.suffix.lower())
            if not write_new_atomic(target, data):
                report.problems.append(Problem(source, f"{target.name} appeared while writing; try again"))
                continue
            sidecar = path.with_name(path.stem + ".meta.json")
            if sidecar.exists():
                write_new_atomic(target.with_name(target.stem + ".meta.json"), sidecar.read_bytes())
            hashes[raw.content_hash] = target.stem
            report.added.append(target.stem)
        if report.added:
            self.scan()
        return report

    def _ingest_url(self, url: str, report: IngestReport) -> None:
        try:
            from tuireader.sources.http import fetch_page_article
        except ImportError:
            report.problems.append(Problem(url, "fetching URLs is not available in this build"))
            return
        article_id, problem = fetch_page_article(url, self.root, self.cache_dir)
        if problem is not None:
            report.problems.append(problem)
        elif article_id:
            report.added.append(article_id)

    def _new_name(self, content_hash: str, suffix: str) -> Path:
        """`NNN_<hash16><suffix>` with NNN one past the highest numbered file, like the samples."""
        highest = -1
        for p in self.root.iterdir() if self.root.exists() else ():
            head = p.name.split("_", 1)[0]
            if head.isdigit():
                highest = max(highest, int(head))
        width = max(3, len(str(highest + 1)))
        return self.root / f"{highest + 1:0{width}d}_{content_hash[:16]}{suffix}"


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
