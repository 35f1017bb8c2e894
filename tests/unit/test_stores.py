"""The Library works on whatever stores it is handed: the seam a server-backed store would use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tuireader.library import Library
from tuireader.store.base import DerivedCache, LocalStores


class MemoryCache(dict):
    """Derived values in a dict: what a backend without local files might hand the Library."""

    def set(self, key: Any, value: Any) -> bool:
        self[key] = value
        return True

    def delete(self, key: Any) -> bool:
        return self.pop(key, None) is not None

    def close(self) -> None:
        pass


class MemoryDerived(LocalStores):
    def __init__(self) -> None:
        self.opened = MemoryCache()

    def derived(self, cache_dir: Path) -> DerivedCache:
        return self.opened


def test_a_library_uses_the_stores_it_is_given(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "ferry.txt").write_text("---\ntitle: Ferry resumes\noutlet: Harbour Weekly\n---\n"
                                    + "The ferry to the island resumed on Monday after the storm. " * 12)  # fmt: skip
    backend = MemoryDerived()
    lib = Library(root, tmp_path / "cache", stores=backend)
    try:
        report = lib.scan()
        assert report.added == ["ferry"] and report.problems == []
        assert lib.article("ferry").outlet == "Harbour Weekly"
        assert {h.article for h in lib.search("ferry island")} == {"ferry"}
        assert any(key[0] == "article" for key in backend.opened)  # the cleaned article went to our cache
        assert not (tmp_path / "cache" / "derived").exists()  # and no diskcache was made beside it
    finally:
        lib.close()
