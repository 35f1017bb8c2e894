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
import re
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
    FeedStatus,
    Problem,
    SearchHit,
    SentencePair,
    SourceError,
    Story,
    StoryLinks,
)
from tuireader.sources.files import is_article_path, read_document
from tuireader.store.catalog import Catalog

if TYPE_CHECKING:
    import diskcache

    from tuireader.analysis.stories import StoryIndex
    from tuireader.export import StoryExport
    from tuireader.reading import ReadingState
    from tuireader.sources.refresh import RefreshProgress, RefreshReport
    from tuireader.store.index import SearchIndex

Progress = Callable[[int, int, str], None]  # (done, total, what)
_ARTICLE_EXTS = {"txt", "html", "htm"}


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
    unchanged: list[str] = field(default_factory=list)  # feed URLs with nothing new


def _versions() -> tuple[str, str, str, str]:
    from tuireader.analysis.link import LINK_VERSION
    from tuireader.analysis.pipeline import ANALYSIS_VERSION
    from tuireader.analysis.similarity import SIMILARITY_VERSION
    from tuireader.clean import CLEAN_VERSION

    return CLEAN_VERSION, ANALYSIS_VERSION, LINK_VERSION, SIMILARITY_VERSION


class Library:
    def __init__(self, root: str | Path, cache_dir: str | Path | None = None) -> None:
        self.root = Path(root).expanduser().resolve()
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        key = hashlib.sha1(str(self.root).encode()).hexdigest()[:16]
        self.state_dir = self.cache_dir / "libraries" / key
        self._catalog: Catalog | None = None
        self._lock = threading.RLock()
        self._cache: diskcache.Cache | None = None
        self._index: SearchIndex | None = None
        self._stories: StoryIndex | None = None
        self._summaries: dict[str, ArticleSummary] | None = None
        self._groups: dict[str, list[str]] | None = None
        self.problems: list[Problem] = []
        self._reading: ReadingState | None = None

    # --- lazily opened stores ---------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        """Opened on first need, so the feed verbs (which never read articles) leave the cache alone."""
        if self._catalog is None:
            self._catalog = Catalog(self.state_dir / "catalog.sqlite")
        return self._catalog

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
                        elif name.rpartition(".")[2].lower() in _ARTICLE_EXTS and entry.is_file():
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

        report = ScanReport()
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
            if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and row[3] == CLEAN_VERSION:
                continue
            todo.append((path, st))

        gone = [p for p in known if p not in seen]
        if gone:
            self._mark_derived(False)
            self.catalog.remove(gone)
            report.removed = [Path(p).stem for p in gone]
        if self.catalog.get_meta("derived") == "0" or (todo and self._derived_missing()):
            self._reconcile()

        changed_stories: set[str] = set()
        if report.removed:
            with self._lock:
                stories = self._story_index()
                changed_stories |= stories.remove(report.removed)
            if self._index is not None or index:
                for aid in report.removed:
                    self.index.remove_article(aid)

        if chunk is None:
            chunk = min(5000, max(500, len(todo) // 4))
        for begin in range(0, len(todo), chunk):
            part = todo[begin : begin + chunk]
            if progress:
                progress(begin, len(todo), Path(part[0][0]).name)
            rows, articles = [], []
            for path, st in part:
                try:
                    article = self._clean_file(Path(path))
                except SourceError as exc:
                    report.problems.append(Problem(path, str(exc).removeprefix(f"{path}: ")))
                    if path in known:  # what it held before is no longer there
                        self.catalog.remove([path])
                        report.removed.append(Path(path).stem)
                    continue
                rows.append((path, st.st_size, st.st_mtime_ns, article.content_hash, CLEAN_VERSION,
                             _summary(article, path)))
                articles.append(article)
                (report.changed if path in known else report.added).append(article.id)
            self._mark_derived(False)
            self.catalog.put(rows)
            changed_stories |= self._add_to_stories(articles)
            if index:
                self.index.add_many(
                    (a, a.outlet, self.story_index_lookup(a.id), a.published, self._cached_quotes(a))
                    for a in articles
                )
        if progress and todo:
            progress(len(todo), len(todo), "done")

        if changed_stories or report.removed:
            self._publish_stories(changed_stories)
        if self.catalog.get_meta("derived") == "0":
            self._save_story_index()
            self._mark_derived(True)
        self._summaries = None
        self._groups = None
        self.problems = report.problems
        return report

    def _clean_file(self, path: Path) -> Article:
        from tuireader.clean import CLEAN_VERSION, clean

        raw = read_document(path)
        key = ("article", raw.content_hash, CLEAN_VERSION, raw.id, raw.path, tuple(sorted(raw.declared.items())))
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        article = clean(raw)
        self.cache.set(key, article)
        return article

    def _analysis_key(self, article: Article) -> tuple:
        from tuireader.analysis.pipeline import ANALYSIS_VERSION

        return ("analysis", article.content_hash, _versions()[0], ANALYSIS_VERSION, article.id)

    def _cached_quotes(self, article: Article) -> tuple:
        """Quotes of an article whose analysis is already cached, so the index gets them at once."""
        cached = self._cache_get(self._analysis_key(article))
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

    def _story_index_key(self) -> tuple:
        from tuireader.analysis.stories import STORIES_VERSION

        return ("story-index", str(self.root), STORIES_VERSION)

    def _derived_missing(self) -> bool:
        return self._stories is None and self._story_index_key() not in self.cache

    def _story_index(self) -> StoryIndex:
        """The story index, loaded on first need (unpickling it is the costly part of a change)."""
        if self._stories is None:
            from tuireader.analysis.stories import StoryIndex

            self._stories = self._cache_get(self._story_index_key()) or StoryIndex()
        return self._stories

    def story_index_lookup(self, article_id: str) -> str | None:
        return self._story_index().story_of(article_id)

    def _save_story_index(self) -> None:
        with self._lock:
            if self._stories is not None:
                self.cache.set(self._story_index_key(), self._stories)

    def _add_to_stories(self, articles: Sequence[Article]) -> set[str]:
        from tuireader.analysis.stories import StoryDoc

        if not articles:
            return set()
        with self._lock:
            stories = self._story_index()
            changed = stories.add(
                [StoryDoc(id=a.id, title=a.title, text=a.text, published=a.published, outlet=a.outlet)
                 for a in articles]
            )
        return changed

    def _publish_stories(self, changed: set[str]) -> None:
        """Write the story ids of the members of `changed` stories to the catalog and the index."""
        with self._lock:
            stories = self._story_index()
            groups = stories.stories()
            assignment = {aid: sid for sid in changed for aid in groups.get(sid, ())}
        self.catalog.set_stories(assignment)
        self.index.set_stories(assignment)

    def _reconcile(self) -> None:
        """Repair the story and search indexes after an interrupted scan (or when they are missing)."""
        ids = self.catalog.ids()
        with self._lock:
            stories = self._story_index()
            in_stories = {aid for members in stories.stories().values() for aid in members}
            stale = in_stories - ids
            if stale:
                stories.remove(stale)
            missing = sorted(ids - in_stories)
        for begin in range(0, len(missing), 500):
            self._add_to_stories([self.article(aid) for aid in missing[begin : begin + 500]])
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
        self.catalog.set_stories(assignment)
        self.index.set_stories(assignment)
        self._save_story_index()
        self._mark_derived(True)

    # --- queries ------------------------------------------------------------------------------------
    def summaries(self) -> dict[str, ArticleSummary]:
        if self._summaries is None:
            self._summaries = {s.id: s for s in self.catalog.summaries()}
        return self._summaries

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
        return self._clean_file(Path(found[0]))

    def analysis(self, article_id: str) -> ArticleAnalysis:
        return self.analyses([self.article(article_id)])[article_id]

    def analyses(self, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
        """Per-article analysis, from the cache where possible; the rest in one spaCy batch.

        Newly analysed articles are re-indexed with their quotations, so search finds quotes as
        quotes once an article has been analysed.
        """
        from tuireader.analysis.pipeline import analyze_many

        result: dict[str, ArticleAnalysis] = {}
        missing: list[Article] = []
        for article in articles:
            cached = self._cache_get(self._analysis_key(article))
            if cached is None:
                missing.append(article)
            else:
                result[article.id] = cached
        if missing:
            fresh = analyze_many(missing)
            for article, analysis in zip(missing, fresh, strict=True):
                self.cache.set(self._analysis_key(article), analysis)
                result[article.id] = analysis
            self.index.add_many(
                (a, a.outlet, self.story_of(a.id), a.published, result[a.id].quotes)
                for a in missing
                if result[a.id].quotes
            )
        return result

    def story_groups(self) -> dict[str, list[str]]:
        """Story id -> member article ids, built once per catalog state (it is asked per story)."""
        if self._groups is None:
            groups: dict[str, list[str]] = {}
            for s in self.summaries().values():
                groups.setdefault(s.story or s.id, []).append(s.id)
            self._groups = groups
        return self._groups

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
        from tuireader.analysis.link import link_story

        members = sorted(self.story_groups().get(story_id, []))
        articles = [self.article(m) for m in members]
        versions = _versions()
        key = ("links", versions, tuple((a.id, a.content_hash) for a in articles))
        cached = self._cache_get(key)
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
            reported=links.reported.get(article_id, ()),
            sentences=links.sentences.get(article_id, ()),
        )

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
        `show` agree; two articles of different stories are aligned on demand (cached).
        """
        story_a, story_b = self.story_of(a_id), self.story_of(b_id)
        if story_a and story_a == story_b:
            return self.links(story_a).pairs_between(a_id, b_id)
        from tuireader.analysis.align import PASSAGES_VERSION, align_passages

        a, b = self.article(a_id), self.article(b_id)
        key = ("align", _versions(), PASSAGES_VERSION, a.id, a.content_hash, b.id, b.content_hash)
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        result = tuple(
            SentencePair(b.id, b.outlet, p.kind, p.score, p.a_start, p.a_end, p.b_start, p.b_end, p.diff)  # type: ignore[arg-type]
            for p in align_passages(a, b)
        )
        self.cache.set(key, result)
        return result

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
        sources = self._expand_folders(sources, report)
        for n, source in enumerate(sources):
            if progress:
                progress(n, len(sources), source)
            if source.startswith(("http://", "https://")):
                self._ingest_url(source, report)
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", source):
                scheme = source.split(":", 1)[0]
                report.problems.append(Problem(source, f"{scheme}: addresses are not supported (http or https)"))
                continue
            path = Path(source)
            try:
                raw = read_document(path)
                article = clean(raw)  # refuse what cannot become an article (e.g. HTML with no article)
            except SourceError as exc:
                report.problems.append(Problem(source, str(exc).removeprefix(f"{path}: ")))
                continue
            if article.words == 0:
                report.problems.append(Problem(source, "no article text in it"))
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
            found = sorted(
                str(p) for p in path.rglob("*")
                if p.suffix.lower() in (".txt", ".html", ".htm") and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
            if not found:
                report.problems.append(Problem(source, "a folder with no .txt, .html or .htm files"))
            out.extend(found)
        return out

    def _ingest_url(self, url: str, report: IngestReport) -> None:
        """One page (or a feed's entries, without subscribing) fetched into the folder: the same
        article under any of its URLs, or with the same text, is not stored twice."""
        from tuireader.sources.refresh import ingest_url

        added, existing, problems = ingest_url(url, self.root, self.cache_dir)
        report.added.extend(added)
        report.duplicates.extend((url, article_id) for article_id in existing)
        report.problems.extend(problems)
        if not (added or existing or problems):
            report.unchanged.append(url)  # a feed whose entries are all stored already

    def _new_name(self, content_hash: str, suffix: str) -> Path:
        """`NNN_<hash16><suffix>` with NNN one past the highest numbered file, like the samples.

        Articles from feeds are named by date (`YYYYMMDD_<hash16>.txt`): eight-digit heads are
        dates, not numbers to count on from (that made ingested files look dated tomorrow)."""
        highest = -1
        for p in self.root.iterdir() if self.root.exists() else ():
            head = p.name.split("_", 1)[0]
            if head.isdigit() and len(head) < 8:
                highest = max(highest, int(head))
        width = max(3, len(str(highest + 1)))
        return self.root / f"{highest + 1:0{width}d}_{content_hash[:16]}{suffix}"

    # --- feeds: subscriptions (feeds.opml in the folder), OPML, refresh -------------------------------
    def feed_url(self, url: str) -> str:
        """`url` as a subscription stores it (`https://` added when missing); raises SourceError for
        what is no feed address at all (a usage error, not a failure)."""
        from tuireader.sources.subscriptions import normalize_feed_url

        return normalize_feed_url(url)

    def subscriptions(self) -> list[FeedStatus]:
        """The subscribed feeds with how their last refresh went; raises SourceError when
        feeds.opml cannot be read."""
        from tuireader.sources.refresh import feed_states
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
        fetch_pages: bool = True,
    ) -> RefreshReport:
        """Fetch the subscribed feeds (or just `feeds`) and write their new articles into the
        folder; each failure is a Problem in the report and the others go on. `progress` gets a
        snapshot (feeds and articles done and total) as the work advances. The catalog is
        brought up to date by the next `scan`."""
        from tuireader.sources.refresh import RefreshOptions, refresh

        options = RefreshOptions(fetch_pages=fetch_pages)
        return refresh(self.root, self.cache_dir, progress=progress, feeds=list(feeds) if feeds else None,
                       options=options)  # fmt: skip


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


def _feed_status(sub: Any, state: dict[str, Any]) -> FeedStatus:
    """A subscription (sources.opml.Subscription) and its saved refresh state, as the CLI shows it."""
    return FeedStatus(url=sub.url, outlet=sub.outlet, title=sub.title, html_url=sub.html_url,
                      category=sub.category, last_ok=state.get("ok_at"), error=state.get("error"))  # fmt: skip


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
