"""One store test suite, run on both implementations: this machine's SQLite files and a shared
archive on a real PostgreSQL server (see `pg_server` in tests/conftest.py; CI always provides one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_texts import write_story
from tuireader.library import Library
from tuireader.model import Article, ArticleSummary, Quote
from tuireader.store.base import LocalStores


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest):
    if request.param == "sqlite":
        return LocalStores()
    from tuireader.store.postgres import PostgresStores

    return PostgresStores(request.getfixturevalue("pg_url"), worker=True)


def _article(aid: str, outlet: str, paragraphs: tuple[str, ...], published: str | None = None) -> Article:
    return Article(id=aid, path=f"/lib/{aid}.txt", content_hash=f"h-{aid}", title=paragraphs[0][:40],
                   paragraphs=paragraphs, outlet=outlet, published=published,
                   provenance={"title": "the file's front matter", "outlet": "the feed"})  # fmt: skip


HARBOUR = _article("harbour", "Harbour Weekly", (
    "The ferry to Skerry Island resumed on Monday after a storm closed the crossing for four days.",
    "\u201cWe are relieved the boats are running again,\u201d said the council leader, Maria Olsen.",
    "About 1,200 passengers a day use the route in summer.",
), "2024-05-13")  # fmt: skip
COAST = _article("coast", "Coast Radio", (
    "Ferry crossings to Skerry Island restarted Monday, four days after the storm shut them.",
    "\u201cWe are so relieved that the boats are running again,\u201d council leader Maria Olsen said.",
    "Roughly 1,500 passengers travel the route each summer day.",
), "2024-05-14")  # fmt: skip
VALLEY = _article("valley", "Valley Times", (
    "The orchard cooperative reported a record apple harvest this autumn.",
    "Growers credited a warm spring and fewer late frosts.",
), "2024-10-02")  # fmt: skip


def _quote(article: Article, words: str) -> Quote:
    start = article.text.index(words)
    return Quote(text=words, start=start, end=start + len(words), speaker="Maria Olsen")


# --- catalog -------------------------------------------------------------------------------------------
def _summary(a: Article, story: str | None = None) -> ArticleSummary:
    return ArticleSummary(a.id, a.path, a.outlet, a.title, a.published, ("Ann Berg", "Ole Dahl"), story, a.words)


def test_catalog_rows_round_trip_and_removal(backend, tmp_path: Path) -> None:
    catalog = backend.catalog(tmp_path / "state")
    try:
        catalog.put([(HARBOUR.path, 100, 11, "h-harbour", "3", _summary(HARBOUR)),
                     (COAST.path, 200, 22, "h-coast", "3+abc", _summary(COAST))])  # fmt: skip
        assert catalog.stats() == {HARBOUR.path: (100, 11, "h-harbour", "3"), COAST.path: (200, 22, "h-coast", "3+abc")}
        assert catalog.lookup("coast") == (COAST.path, "h-coast", "3+abc")
        assert catalog.lookup("nowhere") is None
        assert catalog.ids() == {"harbour", "coast"}
        # a changed file replaces its row, it does not add a second one
        catalog.put([(COAST.path, 210, 23, "h-coast2", "3", _summary(COAST))])
        assert catalog.stats()[COAST.path] == (210, 23, "h-coast2", "3") and len(catalog.stats()) == 2
        catalog.set_stories({"harbour": "s1", "coast": "s1"})
        by_id = {s.id: s for s in catalog.summaries()}
        assert by_id["coast"].story == "s1" and by_id["harbour"].authors == ("Ann Berg", "Ole Dahl")
        assert by_id["harbour"].outlet == "Harbour Weekly" and by_id["harbour"].published == "2024-05-13"
        catalog.remove([HARBOUR.path])
        assert catalog.ids() == {"coast"}
        assert catalog.get_meta("derived") is None
        catalog.set_meta("derived", "1")
        catalog.set_meta("derived", "0")
        assert catalog.get_meta("derived") == "0"
    finally:
        catalog.close()


def test_catalog_finds_the_files_holding_a_content_hash(backend, tmp_path: Path) -> None:
    """What ingest asks to refuse a duplicate without scanning the folder: every catalogued file
    with each hash, with the size and mtime it was catalogued at (one batch for many hashes)."""
    catalog = backend.catalog(tmp_path / "state")
    try:
        catalog.put([(HARBOUR.path, 100, 11, "h-same", "3", _summary(HARBOUR)),
                     (COAST.path, 200, 22, "h-same", "3", _summary(COAST)),
                     (VALLEY.path, 300, 33, "h-valley", "3", _summary(VALLEY))])  # fmt: skip
        found = catalog.with_hashes(["h-same", "h-valley", "h-nowhere", "h-same"])
        assert found == {"h-same": sorted([(HARBOUR.path, 100, 11), (COAST.path, 200, 22)]),
                         "h-valley": [(VALLEY.path, 300, 33)]}  # fmt: skip
        assert catalog.with_hashes([]) == {}
        many = [f"h-{n}" for n in range(1200)]  # more than one query's worth on SQLite
        assert catalog.with_hashes([*many, "h-valley"]) == {"h-valley": [(VALLEY.path, 300, 33)]}
        catalog.put([(VALLEY.path, 310, 34, "h-valley2", "3", _summary(VALLEY))])  # the file changed
        assert catalog.with_hashes(["h-valley"]) == {}
        catalog.remove([HARBOUR.path])
        assert catalog.with_hashes(["h-same"]) == {"h-same": [(COAST.path, 200, 22)]}
    finally:
        catalog.close()


# --- search --------------------------------------------------------------------------------------------
@pytest.fixture
def index(backend, tmp_path: Path):
    index = backend.search_index(tmp_path / "state")
    index.add_many([
        (HARBOUR, HARBOUR.outlet, "ferry", HARBOUR.published,
         [_quote(HARBOUR, "We are relieved the boats are running again")]),
        (COAST, COAST.outlet, "ferry", COAST.published, ()),
        (VALLEY, VALLEY.outlet, "apples", VALLEY.published, ()),
    ])  # fmt: skip
    yield index
    index.close()


def test_search_finds_reworded_versions_across_outlets(index) -> None:
    hits = index.search("relieved the boats are running again")
    assert {h.article for h in hits[:2]} == {"harbour", "coast"}  # both wordings of the quote, together
    assert hits[0].kind == "quote" and hits[0].article == "harbour"
    hit = hits[0]
    assert HARBOUR.text[hit.start : hit.end] == hit.text


def test_search_phrases_and_filters(index) -> None:
    assert {h.article for h in index.search('"resumed on Monday"')} == {"harbour"}
    assert {h.article for h in index.search("Skerry Island ferry", outlet="coast")} == {"coast"}  # part of the name, any case
    assert {h.article for h in index.search("Skerry Island", story="ferry")} == {"harbour", "coast"}
    assert {h.article for h in index.search("Skerry Island", since="2024-05-14")} == {"coast"}
    assert {h.article for h in index.search("Skerry Island", until="2024-05-13")} == {"harbour"}
    assert index.search("apple harvest", outlet="harbour") == []
    assert index.search('NEAR( "*" ^ -- : ) ') == []  # no query syntax reaches the engine
    assert index.search("ferry", limit=0) == []


def test_search_follows_removal_replacement_and_stories(index) -> None:
    index.remove_article("valley")
    assert index.search("orchard apple harvest") == []
    assert index.article_ids() == {"harbour", "coast"}
    index.add_many([(COAST, COAST.outlet, None, COAST.published, ())])  # re-indexed: replaced, not doubled
    hits = index.search("passengers travel the route each summer day")
    sentence = "Roughly 1,500 passengers travel the route each summer day."
    assert [(h.article, h.text) for h in hits].count(("coast", sentence)) == 1
    index.set_stories({"coast": "island", "harbour": "island"})
    assert {h.story for h in index.search("Skerry Island")} == {"island"}
    assert {h.article for h in index.search("Skerry", story="ferry")} == set()


# --- derived values -----------------------------------------------------------------------------------
def test_derived_values_round_trip_as_plain_data(backend, tmp_path: Path) -> None:
    cache = backend.derived(tmp_path / "cache")
    try:
        key = ("article", ("3",), "h-harbour", "harbour")
        assert cache.get(key) is None and key not in cache
        cache.set(key, HARBOUR)
        back = cache.get(key)
        assert back == HARBOUR and list(back.provenance) == ["title", "outlet"]  # field order kept too
        odd = {"z": 1, "a": (1, 2), 3: {"s"}, "b": b"\x00\x01", "nul": "a\x00b", "f": 1.5}
        cache.set(("odd",), odd)
        assert cache.get(("odd",)) == odd and list(cache.get(("odd",))) == ["z", "a", 3, "b", "nul", "f"]
        cache.set(key, "replaced")
        assert cache.get(key) == "replaced"
        assert cache.delete(key) and key not in cache
        with pytest.raises(TypeError):
            cache.set(("bad",), Path("/etc"))  # only plain data and tuireader values, never pickles
    finally:
        cache.close()


# --- the Library on the backend --------------------------------------------------------------------
def test_library_scans_searches_and_forgets_on_the_backend(backend, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    write_story(root)
    lib = Library(root, tmp_path / "cache", stores=backend)
    try:
        report = lib.scan()
        assert sorted(report.added) == ["coast", "harbour", "valley"] and report.problems == []
        groups = lib.story_groups()
        assert lib.story_of("harbour") == lib.story_of("coast") != lib.story_of("valley")
        assert sorted(groups[lib.story_of("coast")]) == ["coast", "harbour"]
        assert lib.article("coast").outlet == "Coast Radio"
        assert {h.article for h in lib.search("relieved boats running again")[:2]} == {"harbour", "coast"}
        assert lib.scan().added == []  # unchanged files are not read again
        (root / "valley.txt").unlink()
        assert lib.scan().removed == ["valley"]
        assert set(lib.summaries()) == {"harbour", "coast"}
        assert lib.search("orchard apple harvest") == []
        report = lib.rebuild()  # from the article files again
        assert sorted(report.added) == ["coast", "harbour"]
        assert set(lib.summaries()) == {"harbour", "coast"} and lib.story_of("harbour") == lib.story_of("coast")
        assert {h.article for h in lib.search("Skerry Island ferry")} == {"harbour", "coast"}
    finally:
        lib.close()


def test_psycopg_is_not_imported_until_an_archive_is_opened(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from tuireader.cli.main import build_parser; from tuireader.library import Library, "
            "store_backend; build_parser(); store_backend('postgresql://u@h/db'); "
            f"Library({str(tmp_path)!r}, {str(tmp_path / 'c')!r}); print('psycopg' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
