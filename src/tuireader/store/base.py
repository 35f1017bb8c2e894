"""What the Library needs from its stores, as protocols, and the backend that opens them.

The Library never constructs a store: it asks a `StoreBackend` for each when first needed, so a
backend on a server (a shared archive for a team) is one package implementing these protocols,
handed to `Library(..., stores=...)`. `LocalStores` is the default: SQLite files for the catalog and
the search index in the library's cache folder, diskcache for derived values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tuireader.model import Article, ArticleSummary, Quote, SearchHit


class CatalogStore(Protocol):
    """What the folder held at the last scan: per file its size, mtime, hash, version and summary."""

    def stats(self) -> dict[str, tuple[int, int, str, str]]: ...
    def put(self, rows: Iterable[tuple[str, int, int, str, str, ArticleSummary]]) -> None: ...
    def remove(self, paths: Iterable[str]) -> None: ...
    def set_stories(self, assignment: dict[str, str | None]) -> None: ...
    def ids(self) -> set[str]: ...
    def summaries(self) -> list[ArticleSummary]: ...
    def lookup(self, article_id: str) -> tuple[str, str, str] | None: ...
    def with_hashes(self, hashes: Iterable[str]) -> dict[str, list[tuple[str, int, int]]]: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def close(self) -> None: ...


class SearchStore(Protocol):
    """Passages (sentences and quotes) of every article, searched across outlets."""

    def add_many(self, items: Iterable[tuple[Article, str | None, str | None, str | None, Sequence[Quote]]]) -> int: ...
    def remove_article(self, article_id: str) -> None: ...
    def set_stories(self, assignment: Mapping[str, str | None]) -> None: ...
    def article_ids(self) -> set[str]: ...
    def search(self, query: str, *, outlet: str | None = None, story: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 50) -> list[SearchHit]: ...  # fmt: skip
    def close(self) -> None: ...


class DerivedCache(Protocol):
    """Values derived from content (cleaned articles, analyses, links), keyed by `cache_key`."""

    def get(self, key: Any, default: Any = None) -> Any: ...
    def set(self, key: Any, value: Any) -> Any: ...
    def delete(self, key: Any) -> Any: ...
    def __contains__(self, key: object) -> bool: ...
    def close(self) -> None: ...


class StoreBackend(Protocol):
    """Opens the stores of one library: `state_dir` is the library's own folder in the cache,
    `cache_dir` the cache folder shared by every library (a server backend may ignore both)."""

    def catalog(self, state_dir: Path) -> CatalogStore: ...
    def search_index(self, state_dir: Path) -> SearchStore: ...
    def derived(self, cache_dir: Path) -> DerivedCache: ...


class LocalStores:
    """The default backend: SQLite and diskcache files on this machine."""

    def catalog(self, state_dir: Path) -> CatalogStore:
        from tuireader.store.catalog import Catalog

        return Catalog(state_dir / "catalog.sqlite")

    def search_index(self, state_dir: Path) -> SearchStore:
        from tuireader.store.index import SearchIndex

        return SearchIndex(state_dir / "search.sqlite")

    def derived(self, cache_dir: Path) -> DerivedCache:
        import diskcache

        from tuireader.locations import derived_cache_dir
        from tuireader.store.plain_disk import PlainDisk

        return diskcache.Cache(str(derived_cache_dir(cache_dir)), size_limit=2**31, disk=PlainDisk)
